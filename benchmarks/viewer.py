"""How fast graph.html settles: a 500-entity, ~2,000-edge page in headless Chromium.

For each run, prints the time from navigation start to vis-network's `stabilized` event
(after which the page switches physics off), read from the page's performance clock.

    .venv/bin/python benchmarks/viewer.py [--nodes 500] [--edges 2000] [--runs 5]
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

from test_viewer import chrome, chrome_missing, entity_edges, open_viewer, schema_graph  # noqa: E402

from kg.export.viewer import write_viewer  # noqa: E402


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--nodes", type=int, default=500, help="entities in the graph (all drawn)")
    args.add_argument("--edges", type=int, default=2000, help="co-occurrence edges (role/location edges come on top)")
    args.add_argument("--runs", type=int, default=5)
    args = args.parse_args()
    missing = chrome_missing()
    if missing:
        print(f"benchmarks/viewer.py: {missing}", file=sys.stderr)
        return 2

    graph = schema_graph(args.nodes, args.edges, seed=0)
    with tempfile.TemporaryDirectory(prefix="kg-viewer-bench-") as tmp:
        started = time.perf_counter()
        path = write_viewer(graph, Path(tmp) / "graph.html", max_nodes=args.nodes)
        written = time.perf_counter() - started
        print(
            f"page: {args.nodes} nodes, {len(entity_edges(graph))} edges ({args.edges} co-occurrence); "
            f"{path.stat().st_size / 1e6:.2f} MB, written in {written * 1000:.0f} ms"
        )
        settled = []
        with chrome() as driver:
            for run in range(1, args.runs + 1):
                open_viewer(driver, path)
                settled.append(driver.execute_script("return kgViewer.settledAt") / 1000)
                print(f"run {run}: navigation -> stabilized {settled[-1]:.2f} s")
    print(
        f"stabilized: median {statistics.median(settled):.2f} s, max {max(settled):.2f} s over {args.runs} runs "
        f"(load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
