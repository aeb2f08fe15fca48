"""Corpus stage: read files, repair OCR'd page layout, split pages into articles and sentences."""

from kg.corpus.articles import split_articles
from kg.corpus.layout import repair_page
from kg.corpus.reader import read_corpus
from kg.corpus.sentences import split_sentences

__all__ = ["read_corpus", "repair_page", "split_articles", "split_sentences"]
