"""kg's entities on the five seed pages against the hand annotation in seeds_gold.jsonl.

    .venv/bin/python benchmarks/seeds.py                    # runs `kg extract seeds`
    .venv/bin/python benchmarks/seeds.py OUT.jsonl --errors # scores saved `kg extract` output

Scores DISTINCT entities per page, not mentions. A system entity is (page, label, name): page
is the 3-digit prefix of the record's source file, name the mention's canonical form with
quotes and whitespace removed. It matches a gold item of the same page and label whose text
equals its name or the text of any of its mentions. Gold items marked "doubt" count neither
way: they are not misses, and system entities matching them are not false positives.
P = matched system entities / system entities, R = matched gold items / gold items.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = ROOT / "seeds"
GOLD = Path(__file__).resolve().parent / "seeds_gold.jsonl"
LABELS = ("PERSON", "PLACE", "ORG", "PROJECT")
_NOISE = re.compile(r"[“”\"‘’'「」『』\s]")


def clean(text: str) -> str:
    """Text without quotation marks and whitespace."""
    return _NOISE.sub("", text)


def read_gold(path: Path):
    """{(page, label): texts to score} and {(page, label): texts marked doubt}."""
    gold, doubt = defaultdict(set), defaultdict(set)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            target = doubt if item.get("doubt") else gold
            target[item["page"], item["label"]].add(clean(item["text"]))
    return gold, doubt


def read_system(lines):
    """{(page, label): {name: set of the cleaned mention texts}} from `kg extract` JSONL lines."""
    system = defaultdict(lambda: defaultdict(set))
    for line in lines:
        if line.strip():
            record = json.loads(line)
            page = Path(record["source"]).name[:3]
            for ent in record["entities"]:
                system[page, ent["label"]][clean(ent["canonical"])].add(clean(ent["text"]))
    return system


def run_extract() -> list[str]:
    """`kg extract` over the seed pages, as JSONL lines."""
    cmd = [sys.executable, "-m", "kg.cli", "extract", str(SEEDS_DIR)]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


def compare(gold, doubt, system):
    """{(page, label): (matched gold, missed gold, matched system names, false-positive names)}."""
    result = {}
    for key in set(gold) | set(system):
        texts, unsure = gold.get(key, set()), doubt.get(key, set())
        hit, fp, found = [], [], set()
        for name, mentions in system.get(key, {}).items():
            forms = {name} | mentions
            if forms & texts:
                hit.append(name)
                found |= forms & texts
            elif not forms & unsure:
                fp.append(name)
        result[key] = (found, texts - found, hit, fp)
    return result


def prf(n_gold, n_sys, tp_gold, tp_sys):
    p = tp_sys / n_sys if n_sys else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def print_table(result):
    print(f"{'label':8} {'gold':>5} {'sys':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for label in (*LABELS, "ALL"):
        rows = [v for (_, lab), v in result.items() if label in ("ALL", lab)]
        tp_gold, fn, tp_sys, fp = (sum(len(v[i]) for v in rows) for i in range(4))
        p, r, f = prf(tp_gold + fn, tp_sys + fp, tp_gold, tp_sys)
        print(f"{label:8} {tp_gold + fn:5} {tp_sys + fp:5} {p:6.1%} {r:6.1%} {f:6.1%}")


def print_errors(result):
    for page, label in sorted(result):
        _, fn, _, fp = result[page, label]
        if fp:
            print(f"{page} {label:7} FP: {'、'.join(sorted(fp))}")
        if fn:
            print(f"{page} {label:7} FN: {'、'.join(sorted(fn))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("extract", nargs="?", type=Path, help="saved `kg extract` JSONL (default: run it)")
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--errors", action="store_true", help="list false positives and negatives")
    args = parser.parse_args()

    lines = args.extract.read_text(encoding="utf-8").splitlines() if args.extract else run_extract()
    result = compare(*read_gold(args.gold), read_system(lines))
    print_table(result)
    if args.errors:
        print()
        print_errors(result)


if __name__ == "__main__":
    main()
