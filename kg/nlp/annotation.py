"""Run a pipeline over articles and fill their mentions."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from itertools import tee

from spacy.language import Language
from spacy.tokens import Doc

from kg.corpus.script import check_script, simplified_view
from kg.document import LABELS, Article, Mention
from kg.errors import KgError


def annotate(
    articles: Iterable[Article],
    nlp: Language,
    batch_size: int = 64,
    progress: bool = True,
    script: str = "auto",
) -> Iterator[Article]:
    """Yield each article with `mentions` filled from nlp's doc.ents, sorted and unique.

    nlp reads each article in Simplified characters (`script`: "auto" converts the articles
    found Traditional, "traditional" all, "simplified" none; kg.corpus.script). A mention's
    text is the span of article.text, as printed; its canonical name, in Simplified, is the
    official one of a short form (博州 -> 博尔塔拉蒙古自治州), else the text without quotes inside it.

    Byline names (article.byline) the pipeline missed are added as PERSON at their first
    place in the text. A progress bar over articles is shown when stderr is a terminal.
    """
    if batch_size < 1:
        raise KgError(f"batch_size must be at least 1, not {batch_size}")
    check_script(script)
    articles, texts = tee(articles)
    docs = nlp.pipe((simplified_view(a.text, script) for a in texts), batch_size=batch_size)
    if progress and sys.stderr.isatty():
        from tqdm import tqdm

        docs = tqdm(docs, desc="kg nlp", unit=" articles", file=sys.stderr)
    for article, doc in zip(articles, docs):
        article.mentions = mentions(article, doc)
        yield article


def mentions(article: Article, doc: Doc) -> list[Mention]:
    """The mentions of `doc`, the article's text as processed (in Simplified, of the same
    length); offsets index article.text."""
    found: dict[tuple[int, int], Mention] = {}
    for ent in doc.ents:
        if ent.label_ not in LABELS:
            continue
        found[ent.start_char, ent.end_char] = Mention(
            text=article.text[ent.start_char : ent.end_char],
            label=ent.label_,
            start=ent.start_char,
            end=ent.end_char,
            sentence=article.sentence_index(ent.start_char),
            canonical=_name(ent._.kg_canonical or ent.text),
            role=ent._.kg_role,
            role_org=ent._.kg_role_org,
        )
    taken = {i for start, end in found for i in range(start, end)}
    for name in article.byline:
        start = article.text.find(name)
        if start < 0 or any(m.text == name and m.label == "PERSON" for m in found.values()):
            continue
        if not taken.intersection(range(start, start + len(name))):
            end = start + len(name)
            found[start, end] = Mention(
                name, "PERSON", start, end, article.sentence_index(start), canonical=doc.text[start:end]
            )
    return sorted(found.values(), key=lambda m: (m.start, m.end))


def _name(text: str) -> str:
    """A name without its printing: quotes inside it (“十城百店”工程) and spaces."""
    return "".join(ch for ch in text if ch not in "“”\"‘’「」『』" and not ch.isspace())
