"""Score a pipeline's PERSON/PLACE/ORG against a BIO corpus: exact span match, per label and micro."""

from __future__ import annotations

import re
from pathlib import Path

from kg.corpus.text import normalize_width
from kg.errors import KgError

# Corpus types -> kg labels. Weibo adds GPE and a .NAM/.NOM suffix: only named mentions count.
CORPUS_LABELS = {"PER": "PERSON", "LOC": "PLACE", "GPE": "PLACE", "ORG": "ORG"}
SCORED = ("PERSON", "PLACE", "ORG")

# Weibo NER writes the segment index after each character: "口0", "p10", "210" (2, index 10).
_INDEXED_CHAR = re.compile(r"^(.+?)[0-9]+$")


def read_bio(path: str | Path) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Read a BIO/CoNLL file into (text, [(start, end, kg_label)]) sentences.

    One token and tag a line (space or tab separated), sentences separated by blank lines.
    Text is width-normalised; tags of unknown types and nominal (.NOM) mentions become O.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise KgError(f"{path}: cannot read BIO corpus: {error}") from None
    rows: list[tuple[int, str, str] | None] = []
    for number, line in enumerate(lines, 1):
        fields = line.split()
        if not fields:
            rows.append(None)
            continue
        if len(fields) != 2:
            raise KgError(f"{path}:{number}: expected 'TOKEN TAG', got {line!r}")
        token, tag = fields
        if tag != "O" and not re.fullmatch(r"[BI]-[A-Za-z]+(\.[A-Z]+)?", tag):
            raise KgError(f"{path}:{number}: bad BIO tag {tag!r}")
        rows.append((number, token, tag))
    tokens = [row[1] for row in rows if row]
    if not tokens:
        raise KgError(f"{path}: no tokens in BIO corpus")
    indexed = all(_INDEXED_CHAR.match(token) for token in tokens)
    sentences = []
    chars: list[str] = []
    spans: list[tuple[int, int, str]] = []
    open_span: list | None = None
    for row in [*rows, None]:
        if row is None:
            if chars:
                sentences.append((normalize_width("".join(chars)), spans))
            chars, spans, open_span = [], [], None
            continue
        _, token, tag = row
        if indexed:
            token = _INDEXED_CHAR.match(token)[1]
        start = sum(map(len, chars))
        chars.append(token)
        end = start + len(token)
        prefix, _, kind = tag.partition("-")
        kind, _, mention = kind.partition(".")
        label = CORPUS_LABELS.get(kind.upper()) if mention in ("", "NAM") else None
        if label is None:
            open_span = None
        elif prefix == "I" and open_span is not None and open_span[2] == label:
            open_span[1] = end
        else:
            # An I- after O or after another type starts a span, as conlleval reads it.
            open_span = [start, end, label]
            spans.append(open_span)
    return [(text, [tuple(span) for span in found]) for text, found in sentences]


def evaluate_bio(path: str | Path, nlp, batch_size: int = 256) -> dict:
    """P/R/F1 of `nlp`'s doc.ents against the BIO corpus at `path`; see `score_spans`."""
    sentences = read_bio(path)
    docs = nlp.pipe((text for text, _ in sentences), batch_size=batch_size)
    predicted = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in docs]
    return score_spans([gold for _, gold in sentences], predicted)


def score_spans(gold: list[list[tuple]], predicted: list[list[tuple]], labels: tuple[str, ...] = SCORED) -> dict:
    """Exact-match P/R/F1 of (start, end, label) spans, sentence by sentence.

    Only `labels` are scored: by default PERSON, PLACE and ORG, as the corpora annotate nothing
    else, so other labels a pipeline adds (PROJECT) are neither right nor wrong there.
    Returns {label: {"p", "r", "f", "tp", "fp", "fn"}} for each label and "overall" (micro).
    """
    counts = {label: [0, 0, 0] for label in labels}  # tp, fp, fn
    for expected, found in zip(gold, predicted, strict=True):
        expected = set(expected)
        found = {span for span in found if span[2] in labels}
        for span in found:
            counts[span[2]][0 if span in expected else 1] += 1
        for span in expected - found:
            counts[span[2]][2] += 1
    scores = {label: _prf(*counts[label]) for label in labels}
    scores["overall"] = _prf(*(sum(c[i] for c in counts.values()) for i in range(3)))
    return scores


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f": f, "tp": tp, "fp": fp, "fn": fn}


def format_scores(scores: dict) -> str:
    lines = [f"{'label':<8} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}"]
    for label, s in scores.items():
        lines.append(f"{label:<8} {s['p']:6.3f} {s['r']:6.3f} {s['f']:6.3f} {s['tp'] + s['fn']:6d}")
    return "\n".join(lines)
