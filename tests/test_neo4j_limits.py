"""`kg neo4j push`'s limits measured on the wire: each request's size, rows per transaction,
`--wipe` over several batches, and the credentials sent.

A recorder sits between the driver and the FalkorDB of tests/bolt_server.py and decodes each
Bolt message the client sends (PackStream, decoded here from its specification rather than
by the driver's own code), so the test sees what the server receives.
"""

from __future__ import annotations

import json
import math
import random
import socket
import struct
import threading
from collections import Counter
from urllib.parse import urlparse

import networkx as nx
import pytest
from bolt_server import falkordb_server, synthetic_graph

from kg.cli import main
from kg.export import neo4j

RUN, BEGIN, COMMIT, HELLO, LOGON = 0x10, 0x11, 0x12, 0x01, 0x6A
CAP = 3000  # bytes; FalkorDB dies on a request over about 4 KB


def unpack(data: bytes, at: int = 0):
    """(value, next offset) of the PackStream value at `at`; a structure is (signature, fields)."""
    marker = data[at]
    at += 1
    if marker < 0x80:
        return marker, at
    if marker >= 0xF0:
        return marker - 0x100, at
    high, low = marker & 0xF0, marker & 0x0F
    sized = {0xD0: (1, "str"), 0xD1: (2, "str"), 0xD2: (4, "str"), 0xD4: (1, "list"), 0xD5: (2, "list"),
             0xD6: (4, "list"), 0xD8: (1, "map"), 0xD9: (2, "map"), 0xDA: (4, "map"), 0xCC: (1, "bytes"),
             0xCD: (2, "bytes"), 0xCE: (4, "bytes")}  # fmt: skip
    if high in (0x80, 0x90, 0xA0, 0xB0):
        size, kind = low, {0x80: "str", 0x90: "list", 0xA0: "map", 0xB0: "struct"}[high]
    elif marker in sized:
        width, kind = sized[marker]
        size, at = int.from_bytes(data[at : at + width], "big"), at + width
    elif marker in (0xC8, 0xC9, 0xCA, 0xCB):
        width = 1 << (marker - 0xC8)
        return int.from_bytes(data[at : at + width], "big", signed=True), at + width
    elif marker == 0xC1:
        return struct.unpack(">d", data[at : at + 8])[0], at + 8
    else:
        return {0xC0: None, 0xC2: False, 0xC3: True}[marker], at
    if kind in ("str", "bytes"):
        raw = data[at : at + size]
        return (raw.decode("utf-8") if kind == "str" else raw), at + size
    if kind == "struct":
        signature, at = data[at], at + 1
    items = []
    for _ in range(size * (2 if kind == "map" else 1)):
        item, at = unpack(data, at)
        items.append(item)
    if kind == "map":
        return dict(zip(items[::2], items[1::2])), at
    return ((signature, items) if kind == "struct" else items), at


class Recorder:
    """Relays Bolt connections to `upstream` and keeps each message the clients send:
    (signature, size in bytes, fields)."""

    def __init__(self, upstream: str):
        url = urlparse(upstream)
        self.upstream = (url.hostname, url.port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.uri = f"bolt://127.0.0.1:{self.listener.getsockname()[1]}"
        self.messages: list[tuple[int, int, list]] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            client, _ = self.listener.accept()
            server = socket.create_connection(self.upstream)
            threading.Thread(target=self._pipe, args=(server, client, None), daemon=True).start()
            threading.Thread(target=self._pipe, args=(client, server, bytearray()), daemon=True).start()

    def _pipe(self, source: socket.socket, target: socket.socket, seen: bytearray | None) -> None:
        handshaken = False
        try:
            while data := source.recv(65536):
                if seen is not None:  # recorded before the server can answer, so before the client goes on
                    seen += data
                    if not handshaken and len(seen) >= 20:  # magic and four versions
                        del seen[:20]
                        handshaken = True
                    if handshaken:
                        self._messages(seen)
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                end.close()

    def _messages(self, seen: bytearray) -> None:
        """Take each complete chunked message off the front of `seen`."""
        while True:
            at, body = 0, b""
            while at + 2 <= len(seen):
                size = int.from_bytes(seen[at : at + 2], "big")
                if size == 0:
                    break
                if at + 2 + size > len(seen):
                    return
                body += seen[at + 2 : at + 2 + size]
                at += 2 + size
            else:
                return
            del seen[: at + 2]
            if body:  # an empty message is a keep-alive
                (signature, fields), _ = unpack(bytes(body))
                self.messages.append((signature, len(body), fields))

    def clear(self) -> None:
        self.messages.clear()

    def runs(self, containing: str) -> list[tuple[int, list]]:
        """(size, fields) of each RUN whose query holds `containing`."""
        return [(size, fields) for sig, size, fields in self.messages if sig == RUN and containing in fields[0]]

    def transactions(self) -> list[list[list]]:
        """The RUNs' fields of each explicit transaction (BEGIN ... COMMIT), in order."""
        found, current = [], None
        for signature, _, fields in self.messages:
            if signature == BEGIN:
                current = []
            elif signature == RUN and current is not None:
                current.append(fields)
            elif signature == COMMIT and current is not None:
                found.append(current)
                current = None
        return found


@pytest.fixture(scope="module")
def recorder():
    with falkordb_server() as uri:
        yield Recorder(uri)


@pytest.fixture
def wire(recorder):
    """The recorder, after emptying the database."""
    import neo4j as driver_module

    with driver_module.GraphDatabase.driver(recorder.uri, auth=None) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n")
    recorder.clear()
    return recorder


def long_names_graph(seed: int = 0) -> nx.MultiDiGraph:
    """A small graph whose rows are mostly long Chinese text, so that a request's PackStream size
    is close to kg's estimate of it and the cap binds."""
    rng = random.Random(seed)
    graph = synthetic_graph(people=20)
    for node, data in graph.nodes(data=True):
        if data["kind"] == "entity":
            data["aliases"] = ["别名" * rng.randrange(20, 200)]
    return graph


def write(graph, tmp_path) -> str:
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(nx.node_link_data(graph, edges="edges"), ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_every_request_stays_under_the_cap_on_the_wire(wire, tmp_path, monkeypatch):
    graph = long_names_graph()
    monkeypatch.setenv("KG_NEO4J_MAX_REQUEST_BYTES", str(CAP))  # the option's default comes from here
    assert main(["neo4j", "push", write(graph, tmp_path), "--uri", wire.uri]) == 0
    sizes = [size for size, _ in wire.runs("UNWIND")]
    assert max(sizes) <= CAP
    assert max(sizes) > 0.8 * CAP  # requests are filled, not sent a row at a time
    rows = sum(len(fields[1]["rows"]) for _, fields in wire.runs("UNWIND"))
    assert rows == graph.number_of_nodes() + graph.number_of_edges()


def test_the_cap_option_lowers_the_requests(wire, tmp_path):
    graph = long_names_graph(seed=1)
    argv = ["neo4j", "push", write(graph, tmp_path), "--uri", wire.uri, "--max-request-bytes", "1500"]
    assert main(argv) == 0
    sizes = [size for size, _ in wire.runs("UNWIND")]
    assert 0.8 * 1500 < max(sizes) <= 1500


def test_transactions_hold_batch_size_rows(wire, tmp_path):
    graph = synthetic_graph(people=30)
    argv = ["neo4j", "push", write(graph, tmp_path), "--uri", wire.uri, "--batch-size", "7", "--max-request-bytes", "3500"]
    assert main(argv) == 0
    # One query per node label and per relationship type, counted from the graph.
    groups = Counter(data["label"] if data["kind"] == "entity" else "ARTICLE" for _, data in graph.nodes(data=True))
    groups.update(key for *_, key in graph.edges(keys=True))
    per_query: dict[str, list[int]] = {}
    for transaction in wire.transactions():
        queries = {fields[0] for fields in transaction if fields[0].startswith("UNWIND")}
        if not queries:
            continue  # the wipe's or the schema's
        assert len(queries) == 1  # a transaction serves one query
        per_query.setdefault(queries.pop(), []).append(sum(len(fields[1]["rows"]) for fields in transaction))
    expected = sorted([7] * (n // 7) + ([n % 7] if n % 7 else []) for n in groups.values())
    assert sorted(per_query.values()) == expected


def test_wipe_runs_batches_until_nothing_is_left(wire, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(neo4j, "WIPE_BATCH", 7)
    first = synthetic_graph(people=20)
    assert main(["neo4j", "push", write(first, tmp_path), "--uri", wire.uri, "--max-request-bytes", "3500"]) == 0
    smaller = synthetic_graph(people=3, articles=5)
    wire.clear()
    argv = ["neo4j", "push", write(smaller, tmp_path), "--uri", wire.uri, "--max-request-bytes", "3500", "--wipe"]
    assert main(argv) == 0
    wipes = wire.runs("DETACH DELETE")
    # 7 at a time until a batch comes back short: n // 7 full batches and one short (maybe empty).
    assert len(wipes) == first.number_of_nodes() // 7 + 1
    assert {fields[1]["limit"] for _, fields in wipes} == {7}
    import neo4j as driver_module

    with driver_module.GraphDatabase.driver(wire.uri, auth=None) as driver:
        records, _, _ = driver.execute_query("MATCH (n) RETURN n.id AS id")
    assert {record["id"] for record in records} == set(smaller)
    assert f"kg neo4j: wiped {first.number_of_nodes()} nodes kg had pushed before" in capsys.readouterr().err.splitlines()


def test_user_and_password_are_sent_as_basic_auth(wire, tmp_path, capsys):
    path = write(synthetic_graph(people=1), tmp_path)
    # FalkorDB takes no credentials and fails the push; what matters here is what was sent.
    main(["neo4j", "push", path, "--uri", wire.uri, "--user", "bob", "--password", "s3cret", "--max-request-bytes", "3500"])
    tokens = [fields[-1] for sig, _, fields in wire.messages if sig in (HELLO, LOGON)]
    assert {"scheme": "basic", "principal": "bob", "credentials": "s3cret"} in [
        {key: token.get(key) for key in ("scheme", "principal", "credentials")} for token in tokens
    ]
    wire.clear()
    assert main(["neo4j", "push", path, "--uri", wire.uri, "--max-request-bytes", "3500"]) == 0
    tokens = [fields[-1] for sig, _, fields in wire.messages if sig in (HELLO, LOGON)]
    assert tokens and all("principal" not in token and "credentials" not in token for token in tokens)


def test_the_decoder_reads_what_the_driver_packs():
    """The recorder's PackStream decoder against values packed by hand from the specification."""
    assert unpack(bytes([0x85]) + "hello".encode())[0] == "hello"
    assert unpack(bytes([0xD0, 6]) + "阿拉".encode())[0] == "阿拉"
    assert unpack(bytes([0xC9, 0xFF, 0x38]))[0] == -200
    assert unpack(bytes([0xF0]))[0] == -16
    assert unpack(bytes([0xC1]) + struct.pack(">d", math.pi))[0] == math.pi
    assert unpack(bytes([0xA1, 0x81, ord("a"), 0x92, 1, 0xC3]))[0] == {"a": [1, True]}
    assert unpack(bytes([0xB1, 0x10, 0x80]))[0] == (0x10, [""])


def test_the_summary_and_the_credentials():
    stats = neo4j.PushStats(nodes=10, relationships=20, nodes_created=5, relationships_created=6, seconds=2.0, server="X")
    assert str(stats) == "10 nodes (5 new), 20 relationships (6 new) in 2.0 s (15/s) on X"
    stats.seconds = 0.0
    assert str(stats).endswith("in 0.0 s (0/s) on X")
    assert neo4j.auth_from(None, "pw") == ("neo4j", "pw") and neo4j.auth_from("bob", "pw") == ("bob", "pw")
    assert neo4j.auth_from("bob", None) is None


def test_a_fault_is_told_in_one_line():
    """A driver error's own message when it has one (str() of a Neo4jError adds its code), else its
    text, else its type's name; spaces and newlines squeezed to one space."""

    class Refusal(Exception):
        message = "no\n  access"

    assert neo4j._one_line(Refusal("{code: X} no access")) == "no access"
    assert neo4j._one_line(ValueError("bad\n   uri ")) == "bad uri"
    assert neo4j._one_line(ValueError()) == "ValueError"
