"""How big graph.html is and how fast it settles: a 500-entity page in headless Chromium.

Prints the page's size and the edges it draws of the graph's, then, for each run, the time
from navigation start to vis-network's `stabilized` event (after which the page switches
physics off), read from the page's performance clock. `--news` gives every co-occurrence
three real People's Daily sentences (from the shared corpora) as evidence, as a built graph
has; the size of the top 500 entities of a 20 MB news corpus is `--edges 16000 --news`.

    .venv/bin/python benchmarks/viewer.py [--nodes 500] [--edges 2000] [--max-edges-per-node 5] [--news] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import CORPORA  # noqa: E402
from test_viewer import chrome, chrome_missing, entity_edges, news_sentences, open_viewer, schema_graph, with_news_evidence  # noqa: E402

from kg.export.viewer import write_viewer  # noqa: E402


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--nodes", type=int, default=500, help="entities in the graph (all drawn)")
    args.add_argument("--edges", type=int, default=2000, help="co-occurrence edges (role/location edges come on top)")
    args.add_argument("--max-edges-per-node", type=int, default=5, help="write_viewer's cap; 0 draws every edge")
    args.add_argument("--news", action="store_true", help=f"real news sentences as evidence, from {CORPORA}")
    args.add_argument("--runs", type=int, default=5)
    args = args.parse_args()
    missing = chrome_missing()
    if missing:
        print(f"benchmarks/viewer.py: {missing}", file=sys.stderr)
        return 2

    graph = schema_graph(args.nodes, args.edges, seed=0)
    if args.news:
        graph = with_news_evidence(graph, news_sentences(CORPORA))
    with tempfile.TemporaryDirectory(prefix="kg-viewer-bench-") as tmp:
        started = time.perf_counter()
        path = write_viewer(graph, Path(tmp) / "graph.html", max_nodes=args.nodes, max_edges_per_node=args.max_edges_per_node or None)
        written = time.perf_counter() - started
        settled = []
        with chrome() as driver:
            for run in range(1, args.runs + 1):
                open_viewer(driver, path)
                if run == 1:
                    print(
                        f"page: {args.nodes} nodes, {driver.execute_script('return kgViewer.edges.length')} of "
                        f"{len(entity_edges(graph))} edges drawn ({args.edges} co-occurrence, at most "
                        f"{args.max_edges_per_node or 'all'} per node, {'news' if args.news else 'one-line'} evidence); "
                        f"{path.stat().st_size / 1e6:.2f} MB, written in {written * 1000:.0f} ms"
                    )
                settled.append(driver.execute_script("return kgViewer.settledAt") / 1000)
                print(f"run {run}: navigation -> stabilized {settled[-1]:.2f} s")
    print(
        f"stabilized: median {statistics.median(settled):.2f} s, max {max(settled):.2f} s over {args.runs} runs "
        f"(load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
