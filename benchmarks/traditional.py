"""Traditional Chinese (issue 23): the seed pages through OpenCC's s2t against the pages as printed.

    .venv/bin/python benchmarks/traditional.py

Prints the share of the Simplified pages' entities (distinct (label, canonical) pairs) that
the Traditional pages give, the entity nodes both graphs share, and what reading in either
script costs beside the pipeline: CPU time of kg.corpus.script.simplified_view (detection,
and conversion when Traditional) over every page and article, against nlp.pipe over the articles.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import opencc

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.corpus import read_file  # noqa: E402
from kg.corpus.script import simplified_view  # noqa: E402
from kg.graph import build_graph  # noqa: E402
from kg.nlp import annotate, load_pipeline  # noqa: E402

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))


def main() -> None:
    nlp = load_pipeline("auto")
    s2t = opencc.OpenCC("s2t.json")
    pages = {"Simplified": [], "Traditional": []}
    for path in SEEDS:
        raw = path.read_bytes()
        pages["Simplified"] += read_file(str(path), raw)
        pages["Traditional"] += read_file(str(path), s2t.convert(raw.decode("utf-8")).encode("utf-8"))
    raws = {"Simplified": [p.read_text(encoding="utf-8") for p in SEEDS]}
    raws["Traditional"] = [s2t.convert(raw) for raw in raws["Simplified"]]
    list(nlp.pipe(a.text for a in pages["Simplified"][:3]))  # loads what the pipeline loads lazily
    entities, nodes = {}, {}
    for script, articles in pages.items():
        texts = [a.text for a in articles]
        started = time.process_time()
        for _ in range(20):  # the page, to split it, then each article, to tag it
            [simplified_view(raw) for raw in raws[script]]
            views = [simplified_view(text) for text in texts]
        reading = (time.process_time() - started) / 20
        started = time.process_time()
        list(nlp.pipe(views))
        tagging = time.process_time() - started
        chars = sum(map(len, texts))
        print(f"{script}: {chars} chars; simplified_view {reading * 1e3:.2f} ms, nlp.pipe {tagging:.2f} s: "
              f"{reading / tagging:.2%} of the pipeline's CPU time")
        tagged = list(annotate(articles, nlp, progress=False))
        entities[script] = {(m.label, m.canonical) for a in tagged for m in a.mentions}
        graph = build_graph(tagged)
        nodes[script] = {n for n, kind in graph.nodes(data="kind") if kind == "entity"}
    shared = entities["Simplified"] & entities["Traditional"]
    print(f"entities: {len(shared)} of the Simplified pages' {len(entities['Simplified'])} "
          f"({len(shared) / len(entities['Simplified']):.3f}); Traditional alone: {sorted(entities['Traditional'] - shared)}")
    print(f"entity nodes: {len(nodes['Simplified'] & nodes['Traditional'])} shared of {len(nodes['Simplified'])} "
          f"and {len(nodes['Traditional'])}")


if __name__ == "__main__":
    main()
