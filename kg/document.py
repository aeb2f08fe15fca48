"""The records that flow between kg's stages: corpus -> nlp -> graph -> export.

The corpus stage makes `Article`s (cleaned text, sentences, a map back to the
source file); the nlp stage fills `Article.mentions`; the graph stage reads them.
Offsets (`start`, `end`, sentence spans) always index `Article.text`.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

LABELS = ("PERSON", "PLACE", "ORG", "PROJECT")


@dataclass(frozen=True)
class Location:
    """Where a character of cleaned text stood in its source file (1-based)."""

    source: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.source}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Credit:
    """One name a byline, dateline or photo credit prints, with what it credits them as."""

    name: str
    role: str  # the role word as printed (记者, 通讯员, 特约记者, 实习生), or 摄影 for a photo credit
    publications: tuple[str, ...] = ()  # what the credit says they write for: 石榴云/新疆日报记者


@dataclass
class Mention:
    """One entity mention in an article's cleaned text."""

    text: str
    label: str
    start: int
    end: int
    sentence: int  # index into Article.sentences
    canonical: str = ""  # the entity's canonical name; the text itself when unknown
    role: str | None = None  # title printed before a person: 党委书记
    role_org: str | None = None  # the body that title belongs to: 阿拉山口市党委

    def __post_init__(self) -> None:
        if not self.canonical:
            self.canonical = self.text

    def to_record(self) -> dict:
        return {
            "text": self.text,
            "label": self.label,
            "canonical": self.canonical,
            "start": self.start,
            "end": self.end,
            "sentence": self.sentence,
        }


@dataclass
class Article:
    """One article of a source page, after layout repair."""

    source: str  # the path as the user gave it (or the JSONL file for JSONL input)
    index: int  # position of the article in its source, from 0
    text: str
    title: str | None = None
    byline: list[str] = field(default_factory=list)  # reporters' and photographers' names
    date: str | None = None  # ISO date when the page gives one
    sentences: list[tuple[int, int]] = field(default_factory=list)  # (start, end) in text
    # origins[i] is the (line, column) in the source of text[i]; empty when unknown. A dict
    # once `drop_layout` has kept only the sentence starts.
    origins: list[tuple[int, int]] | dict[int, tuple[int, int]] = field(default_factory=list, repr=False)
    mentions: list[Mention] = field(default_factory=list)
    doc_id: str | None = None  # the "id" of a JSONL record
    credits: list[Credit] = field(default_factory=list)  # the byline's names with their roles, in order

    @property
    def id(self) -> str:
        return f"{self.source}#{self.doc_id if self.doc_id is not None else self.index}"

    def locate(self, offset: int) -> Location | None:
        if offset < 0:
            return None
        try:
            line, column = self.origins[offset]
        except (IndexError, KeyError):
            return None
        return Location(self.source, line, column)

    def drop_layout(self) -> None:
        """Keep the source position of sentence starts only (all that the graph's evidence
        cites), so that a tagged article travels between processes and caches small."""
        if isinstance(self.origins, list) and self.origins:
            self.origins = {start: self.origins[start] for start, _ in self.sentences if start < len(self.origins)}

    def sentence_index(self, offset: int) -> int:
        """The index of the sentence holding `offset` (the last one starting before it)."""
        return max(bisect_right(self.sentences, offset, key=lambda sentence: sentence[0]) - 1, 0)

    def sentence_text(self, index: int) -> str:
        start, end = self.sentences[index]
        return self.text[start:end]

    def to_record(self) -> dict:
        """The `kg extract` / entities.jsonl record of this article."""
        return {
            "source": self.source,
            "article": self.index,
            "title": self.title,
            "entities": [m.to_record() for m in self.mentions],
        }
