"""kg's Chinese tokenizer: one token per character, with context features for the NER.

Characters are tokens so that entity boundaries never fall inside a token. What a
character cannot say alone is put in token attributes that the tok2vec's MultiHashEmbed
reads (config.cfg: attrs):

- NORM: the character bigram starting at the token ("北" in 北京 -> "北京");
- LEMMA: the word jieba segments around the token, so a dictionary word is one feature
  (segmented by rjieba, jieba's Rust port: the same words on the corpora's and the seed pages'
  Chinese, 14 times faster; it only splits Latin runs such as t.cn or 2013-11-05 differently);
- TAG: the token's position in that word, B/M/E/S, with the word's length capped at 4.

No component of the pipeline predicts lemmas or tags, so these attributes are free.
"""

from __future__ import annotations

from functools import lru_cache

import numpy
import rjieba
from spacy.attrs import LEMMA, NORM, TAG
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

_END = "\u2403"  # stands for the character after the text's last one


class CharTokenizer:
    def __init__(self, vocab: Vocab, words: bool = True):
        self.vocab = vocab
        self.words = words

    def __call__(self, text: str) -> Doc:
        chars = list(text)
        doc = Doc(self.vocab, words=chars, spaces=[False] * len(chars))
        if not chars:
            return doc
        add = self.vocab.strings.add
        nexts = chars[1:] + [_END]
        columns = [[add(a + b) for a, b in zip(chars, nexts)]]
        attrs = [NORM]
        if self.words:
            lemmas, tags = [], []
            for word in rjieba.cut(text, hmm=True):
                n = len(word)
                word_id = add(word)
                lemmas.extend([word_id] * n)
                if n == 1:
                    tags.append(add("S"))
                else:
                    size = str(min(n, 4))
                    tags.extend([add("B" + size), *[add("M" + size)] * (n - 2), add("E" + size)])
            columns += [lemmas, tags]
            attrs += [LEMMA, TAG]
        doc.from_array(attrs, numpy.array(columns, dtype="uint64").T)
        return doc

    # Nothing to save: the settings live in config.cfg and rjieba ships its dictionary.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "CharTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        pass

    def from_disk(self, path, **kwargs) -> "CharTokenizer":
        return self


@lru_cache(maxsize=None)
def jieba_tokenizer():
    """The process's one jieba tokenizer, its dictionary loaded (a second): the part-of-speech
    checks of the rules and the fixer, and dictionary lookups."""
    import jieba

    jieba.setLogLevel(60)  # its dictionary-loading chatter goes to stderr
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


@lru_cache(maxsize=None)
def jieba_pos_tagger():
    """jieba's part-of-speech tagger over the same tokenizer; loading its word classes takes
    about 0.6 s and 85 MB, so it is made on first use (the rules' and the fixer's checks of a name)."""
    import jieba.posseg

    return jieba.posseg.POSTokenizer(jieba_tokenizer())


@lru_cache(maxsize=1 << 16)
def tagged_words(text: str) -> tuple[tuple[str, str], ...]:
    """(word, class) of each word jieba's tagger reads in `text`. The checks below ask about
    candidate names, which recur across a corpus, and tagging is the slow part of them."""
    return tuple((word.word, word.flag) for word in jieba_pos_tagger().cut(text))


def holds_word_of(text: str, classes: set[str], shortest: int = 1) -> bool:
    """Whether jieba's tagger reads in `text` a word of one of `classes` ("v", "p"...) with at
    least `shortest` characters."""
    return any(len(word) >= shortest and flag in classes for word, flag in tagged_words(text))


def starts_with_word_of(text: str, classes: set[str], shortest: int = 1) -> bool:
    """Whether jieba's tagger reads `text` as a word of one of `classes`, with at least `shortest`
    characters, followed by more words."""
    words = tagged_words(text)
    return bool(words) and shortest <= len(words[0][0]) < len(text) and words[0][1] in classes


def word_class(word: str) -> str | None:
    """jieba's dictionary class of `word` ("n", "v", "nr"...), None when it is no dictionary word."""
    if not jieba_tokenizer().FREQ.get(word):
        return None  # most names are in no dictionary: no need to load the classes (0.6 s, 85 MB)
    return jieba_pos_tagger().word_tag_tab.get(word)


@registry.tokenizers("kg.CharTokenizer.v1")
def create_char_tokenizer(words: bool = True):
    def make(nlp) -> CharTokenizer:
        return CharTokenizer(nlp.vocab, words=words)

    return make
