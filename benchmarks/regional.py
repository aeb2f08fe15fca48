"""kg's entities on regional news sentences it was not built on: benchmarks/regional_dev.jsonl.

    .venv/bin/python benchmarks/regional.py                   # kg's whole pipeline
    .venv/bin/python benchmarks/regional.py --errors          # and each miss and false entity
    .venv/bin/python benchmarks/regional.py --model PATH      # any pipeline load_pipeline takes

The file holds sentences written for the purpose in the style of Xinjiang and aid-province
papers (docs/ner_regional.md), one JSON object a line: {"text": ..., "entities": [[start, end,
label], ...]}, labels PERSON, PLACE, ORG and PROJECT as ../shared/ENTITY_TYPES.md defines them.
Scores are typed exact-span P/R/F1 per label, as `kg evaluate` computes them, with PROJECT too.
Quotation marks at either end of a span are the printing's, not the name's (the spec), so both
sides' spans are read without them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.errors import KgError  # noqa: E402
from kg.nlp.evaluate import score_spans  # noqa: E402

DEV = Path(__file__).resolve().parent / "regional_dev.jsonl"
LABELS = ("PERSON", "PLACE", "ORG", "PROJECT")
QUOTES = "“”\"'‘’「」『』"


def read_dev(path: Path) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """(text, [(start, end, label)]) of each line of `path`."""
    sentences = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise KgError(f"{path}: cannot read the dev set: {error}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text, spans = item["text"], [tuple(span) for span in item["entities"]]
        except (ValueError, KeyError, TypeError) as error:
            raise KgError(f"{path}:{number}: expected {{'text', 'entities'}}: {error}") from None
        for start, end, label in spans:
            if label not in LABELS or not 0 <= start < end <= len(text):
                raise KgError(f"{path}:{number}: bad entity {[start, end, label]}")
        sentences.append((text, [unquoted(text, span) for span in spans]))
    return sentences


def unquoted(text: str, span: tuple[int, int, str]) -> tuple[int, int, str]:
    start, end, label = span
    while start < end and text[start] in QUOTES:
        start += 1
    while end > start and text[end - 1] in QUOTES:
        end -= 1
    return start, end, label


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dev", nargs="?", default=str(DEV), help="JSONL dev set (default: %(default)s)")
    parser.add_argument("--model", default="kg", help="what kg.nlp.load_pipeline takes (default: kg's own)")
    parser.add_argument("--errors", action="store_true", help="print each miss (-) and false entity (+)")
    args = parser.parse_args(argv)

    from kg.nlp import load_pipeline
    from kg.nlp.evaluate import format_scores

    try:
        sentences = read_dev(Path(args.dev))
    except KgError as error:
        print(f"regional: {error}", file=sys.stderr)
        return 2
    nlp = load_pipeline(args.model)
    texts = [text for text, _ in sentences]
    gold = [spans for _, spans in sentences]
    predicted = [[unquoted(doc.text, (e.start_char, e.end_char, e.label_)) for e in doc.ents] for doc in nlp.pipe(texts)]
    print(f"{args.dev}: {len(texts)} sentences, {sum(map(len, gold))} entities; model {args.model}")
    print(format_scores(score_spans(gold, predicted, LABELS)))
    if args.errors:
        for text, expected, found in zip(texts, gold, predicted, strict=True):
            wrong = sorted(set(found) - set(expected)) + sorted(set(expected) - set(found))
            if wrong:
                print(text)
                for start, end, label in wrong:
                    sign = "+" if (start, end, label) in found else "-"
                    print(f"   {sign} {label:<8} {text[start:end]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
