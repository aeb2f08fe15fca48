"""Corpus stage: read files, repair OCR'd page layout, split pages into articles and sentences.

Decisions the later stages rely on:
- Article.text holds the title as its first paragraph (NER finds the entities in headlines),
  then the dateline/byline paragraphs as printed (NER finds the reporters there), then the body;
  paragraphs are separated by exactly one "\\n" and the text has no other newline.
- Article.title is the headline block matched to the article (lines joined by a space);
  section subheads inside an article ("强平台") stay in the body and are not titles.
- Article.byline lists the personal names of bylines, dateline credits and photo credits.
- Article.date is ISO when the input states a full date (kg/corpus/dates.py says where from); "7月23日" alone gives None.
- Article.origins maps each character of the text to its (line, column) in the source file;
  separators the repair inserts point just after the character before them. JSONL records
  have no page layout to point back to: their origins are empty.
- A JSONL record is one document split like a page; when it holds several articles their
  doc_id is "<id>/<k>" so that Article.id stays unique.
"""

from kg.corpus.articles import split_articles
from kg.corpus.layout import repair_page
from kg.corpus.reader import list_files, read_bytes, read_corpus, read_file
from kg.corpus.sentences import split_sentences

__all__ = ["list_files", "read_bytes", "read_corpus", "read_file", "repair_page", "split_articles", "split_sentences"]
