"""A news corpus of a given size, made of the real sentences of ../shared/corpora, for scale tests.

    .venv/bin/python benchmarks/news_corpus.py OUT --mb 20 [--seed 0] [--format jsonl|txt]

Sentences: the People's Daily and MSRA .bio files and the CLUENER texts, width-normalised as
kg reads them (news in the wild prints half-width digits and Latin), deduplicated, each ended
with sentence-final punctuation (CLUENER snippets stop mid-sentence). Sentences that are page
markers (datelines, bylines, closing notes) are kept out of article bodies, where kg would
take them for the edge of another article; the corpora's own datelines (本报北京5月4日讯记者…)
open the articles instead, as on a printed page. Every sentence is used once per shuffled
round before any repeats, so a corpus larger than the corpora (about 2.6 MB of text) repeats
each sentence about the same number of times.

An article: a dateline sentence, then 7-29 sentences, in paragraphs of 1-4 sentences, and a
headline made from a clause of its first body sentence (so that, on a page, kg can tell which
story a headline heads). Files hold about FILE_BYTES each (43 files for 20 MB), written as
- jsonl: one record {"id", "title", "text"} an article, paragraphs separated by "\\n";
- txt: the day's pages, each article a headline line, then one line a paragraph, a blank line
  between articles.
A seed gives the same sequence of articles in both formats (txt, with less markup, fits a few
more in a size). Sizes are in MB of UTF-8 bytes (10^6); the last article may overshoot by less
than one article.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.corpus import markers  # noqa: E402
from kg.corpus.layout import ends_sentence  # noqa: E402
from kg.export.files import atomic_write  # noqa: E402
from kg.nlp.training import CLUENER, NEWSWIRE, default_corpora, read_bio, read_cluener  # noqa: E402

FILE_BYTES = 470_000  # the 20 MB corpus of issue #16 had 43 files
SENTENCES = (8, 30)  # per article, dateline sentence included
PARAGRAPH = (1, 4)  # sentences per paragraph
HEADLINE = (6, 28)  # characters of a headline clause
FORMATS = ("jsonl", "txt")

_CLAUSE = re.compile(r"[，。！？；：,!?;:“”\"（）()《》、]")
_OPEN_ENDING = "，,、；;：: "


def write_news_corpus(out_dir, megabytes: float, seed: int = 0, fmt: str = "jsonl", corpora=None) -> list[Path]:
    """Write a corpus of about `megabytes` MB into `out_dir`; returns its files in order.

    Files are named news-s<seed>-<k>.<fmt>, so corpora of different seeds can share a folder.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if megabytes <= 0:
        raise ValueError(f"megabytes must be positive, not {megabytes}")
    openers, body = _sentences(Path(corpora) if corpora else default_corpora())
    rng = random.Random(seed)
    articles = _articles(rng, _rounds(openers, rng), _rounds(body, rng))
    total = megabytes * 1_000_000
    count = max(1, math.ceil(total / FILE_BYTES))
    out_dir = Path(out_dir)
    files, written, number = [], 0, 0
    for k in range(count):
        chunks, quota = [], total * (k + 1) / count
        while written < quota:
            title, paragraphs = next(articles)
            chunk = _format(fmt, f"s{seed}-{number:06d}", title, paragraphs)
            chunks.append(chunk)
            written += len(chunk.encode("utf-8"))
            number += 1
        path = out_dir / f"news-s{seed}-{k:04d}.{fmt}"
        with atomic_write(path) as handle:
            handle.write("".join(chunks))
        files.append(path)
    return files


def read_news_corpus(files) -> Iterator[tuple[str, str]]:
    """(headline, text) of each article in files written by `write_news_corpus`, text's
    paragraphs separated by "\\n"."""
    for path in files:
        content = Path(path).read_text(encoding="utf-8")
        if str(path).endswith(".jsonl"):
            for line in content.splitlines():
                record = json.loads(line)
                yield record["title"], record["text"]
        else:
            for block in content.split("\n\n"):
                if block.strip():
                    title, text = block.strip("\n").split("\n", 1)
                    yield title, text


def _sentences(corpora: Path) -> tuple[list[str], list[str]]:
    """(dateline sentences that open articles, sentences for bodies), in the corpora's order."""
    texts = [text for name in NEWSWIRE for text, _ in read_bio(corpora / name)]
    texts += [text for name in CLUENER for text, _ in read_cluener(corpora / name)]
    openers, body = [], []
    for text in dict.fromkeys(" ".join(text.split()) for text in texts):
        if len(text) < 2:
            continue
        if not ends_sentence(text):
            text = text.rstrip(_OPEN_ENDING) + "。"
        if markers.TRAILER.search(text) or markers.PHOTO_CREDIT.match(text):
            continue
        if markers.DATELINE.match(text):
            openers.append(text)
        elif not markers.BYLINE.match(text):
            body.append(text)
    return openers, body


def _rounds(sentences: list[str], rng: random.Random) -> Iterator[str]:
    """The sentences in a new shuffled order each round, forever."""
    order = list(sentences)
    while True:
        rng.shuffle(order)
        yield from order


def _articles(rng: random.Random, openers: Iterator[str], body: Iterator[str]) -> Iterator[tuple[str, list[str]]]:
    while True:
        sentences = [next(openers), *(next(body) for _ in range(rng.randint(*SENTENCES) - 1))]
        paragraphs, start = [], 0
        while start < len(sentences):
            end = start + rng.randint(*PARAGRAPH)
            paragraphs.append("".join(sentences[start:end]))
            start = end
        yield _headline(sentences[1:]), paragraphs


def _headline(sentences: list[str]) -> str:
    """The first clause of HEADLINE length in the sentences, else the first sentence's start."""
    shortest, longest = HEADLINE
    for sentence in sentences:
        for clause in _CLAUSE.split(sentence):
            clause = clause.strip()
            if shortest <= len(clause) <= longest and _reads_as_headline(clause):
                return clause
    return _CLAUSE.sub("", sentences[0])[:longest].strip() or "新闻"


def _reads_as_headline(text: str) -> bool:
    """Whether kg's page reader takes `text` for a headline (kg.corpus.articles._kind)."""
    return not (ends_sentence(text) or markers.starts_article(text) or markers.TRAILER.search(text)
                or markers.PHOTO_CREDIT.match(text))  # fmt: skip


def _format(fmt: str, article_id: str, title: str, paragraphs: list[str]) -> str:
    if fmt == "jsonl":
        record = {"id": article_id, "title": title, "text": "\n".join(paragraphs)}
        return json.dumps(record, ensure_ascii=False) + "\n"
    return "\n".join([title, *paragraphs]) + "\n\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="folder to write the files into")
    parser.add_argument("--mb", type=float, required=True, help="size in MB (10^6 bytes of UTF-8)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", choices=FORMATS, default="jsonl")
    parser.add_argument("--corpora", default=None, help="folder of the NER corpora (default: ../shared/corpora)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    files = write_news_corpus(args.out, args.mb, seed=args.seed, fmt=args.format, corpora=args.corpora)
    articles = list(read_news_corpus(files))
    chars = sum(len(title) + len(text) for title, text in articles)
    size = sum(path.stat().st_size for path in files) / 1e6
    print(f"{len(files)} files, {size:.2f} MB, {len(articles)} articles, {chars} characters "
          f"in {args.out}; {time.perf_counter() - started:.1f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
