"""`kg neo4j push`'s limits measured on the wire: each request's size, rows per transaction,
`--wipe` over several batches, and the credentials sent; and what the push tells its user
(errors, notices, the progress bar on a terminal).

A recorder sits between the driver and the FalkorDB of tests/bolt_server.py and decodes each
Bolt message the client sends (PackStream, decoded here from its specification rather than
by the driver's own code), so the test sees what the server receives. A second recorder answers
in Neo4j 5's place the few queries by which kg tells Neo4j from other servers, and its schema
statements (answers from Neo4j's manuals), so kg's Neo4j branch runs here too, against FalkorDB.
"""

from __future__ import annotations

import contextlib
import json
import math
import random
import re
import socket
import struct
import threading
import time
from collections import Counter
from urllib.parse import urlparse

import networkx as nx
import pytest
from bolt_server import falkordb_server, synthetic_graph

from kg.cli import main
from kg.errors import KgError
from kg.export import neo4j

RUN, BEGIN, COMMIT, HELLO, LOGON, PULL, DISCARD, RESET = 0x10, 0x11, 0x12, 0x01, 0x6A, 0x3F, 0x2F, 0x0F
SUCCESS, RECORD, IGNORED, FAILURE = 0x70, 0x71, 0x7E, 0x7F
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


def pack(value) -> bytes:
    """PackStream of None, a bool, an int, a str, a list or a dict, from the specification."""
    if value is None or isinstance(value, bool):
        return bytes([{None: 0xC0, False: 0xC2, True: 0xC3}[value]])
    if isinstance(value, int):
        return struct.pack(">b", value) if -16 <= value < 128 else b"\xcb" + struct.pack(">q", value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _header(0x80, 0xD0, len(raw)) + raw
    if isinstance(value, list):
        return _header(0x90, 0xD4, len(value)) + b"".join(map(pack, value))
    return _header(0xA0, 0xD8, len(value)) + b"".join(pack(k) + pack(v) for k, v in value.items())


def _header(tiny: int, sized: int, size: int) -> bytes:
    if size < 16:
        return bytes([tiny + size])
    return bytes([sized, size]) if size < 256 else bytes([sized + 1]) + size.to_bytes(2, "big")


def message(signature: int, *fields) -> bytes:
    """One Bolt message in one chunk."""
    body = bytes([0xB0 + len(fields), signature]) + b"".join(map(pack, fields))
    return len(body).to_bytes(2, "big") + body + b"\x00\x00"


class Refusal(Exception):
    """A FAILURE a recorder's `answer` sends in the server's place."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


class Recorder:
    """Relays Bolt connections to `upstream` and keeps each message the clients send:
    (signature, size in bytes, fields). `answer(signature, fields)` may answer a message in the
    server's place: a RUN with (columns, rows), a HELLO with its SUCCESS metadata, any of them
    by raising Refusal; None lets the server answer."""

    def __init__(self, upstream: str, answer=None):
        url = urlparse(upstream)
        self.upstream = (url.hostname, url.port)
        self.answer = answer
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.uri = f"bolt://127.0.0.1:{self.listener.getsockname()[1]}"
        self.messages: list[tuple[int, int, list]] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            client, _ = self.listener.accept()
            server = socket.create_connection(self.upstream)
            to_client = threading.Lock()  # the server's answers and the recorder's never interleave
            threading.Thread(target=self._answers, args=(server, client, to_client), daemon=True).start()
            threading.Thread(target=self._requests, args=(client, server, to_client), daemon=True).start()

    @staticmethod
    def _answers(server: socket.socket, client: socket.socket, to_client: threading.Lock) -> None:
        with contextlib.suppress(OSError):
            while data := server.recv(65536):
                with to_client:
                    client.sendall(data)
        for end in (server, client):
            end.close()

    def _requests(self, client: socket.socket, server: socket.socket, to_client: threading.Lock) -> None:
        """Record each message before the server can answer it (so before the client goes on), and
        forward it, or answer it here."""
        seen, handshaken, rows, ignored = bytearray(), False, None, False
        with contextlib.suppress(OSError):
            while data := client.recv(65536):
                seen += data
                if not handshaken and len(seen) >= 20:  # magic and four versions
                    server.sendall(seen[:20])
                    del seen[:20]
                    handshaken = True
                forward = bytearray()
                for raw, signature, fields in self._messages(seen) if handshaken else ():
                    reply = answered = None
                    try:
                        if signature in (HELLO, LOGON, RUN) and self.answer:
                            answered = self.answer(signature, fields)
                    except Refusal as refusal:  # the PULL or DISCARD after it is ignored
                        failure = {"code": refusal.code, "message": refusal.message}
                        # Bolt 5.7's names; the driver reads them only beside a GQL status, which kg does not read
                        failure |= {"neo4j_code": refusal.code, "description": refusal.message, "gql_status": "50N42"}
                        reply, rows, ignored = message(FAILURE, failure), [], True
                    if isinstance(answered, dict):
                        reply = message(SUCCESS, answered)
                    elif answered:
                        columns, rows = answered
                        reply, ignored = message(SUCCESS, {"fields": columns, "t_first": 0}), False
                    elif signature in (PULL, DISCARD) and rows is not None:
                        records = [message(RECORD, row) for row in rows] if signature == PULL else []
                        done = b"".join(records) + message(SUCCESS, {"t_last": 0, "type": "r"})
                        reply, rows = message(IGNORED) if ignored else done, None
                    elif signature == RESET and ignored:  # the server never saw the failure to reset
                        reply, ignored = message(SUCCESS, {}), False
                    if reply is None:
                        forward += raw
                    else:  # the client sends such a query with nothing else outstanding (session.run)
                        with to_client:
                            client.sendall(reply)
                server.sendall(forward)  # at once: a send per message waits on delayed acknowledgements
        for end in (client, server):
            end.close()

    def _messages(self, seen: bytearray):
        """Take each complete chunked message off the front of `seen`: (its bytes, signature, fields)."""
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
            raw = bytes(seen[: at + 2])
            del seen[: at + 2]
            if body:  # an empty message is a keep-alive
                (signature, fields), _ = unpack(body)
                self.messages.append((signature, len(body), fields))
                yield raw, signature, fields
            else:
                yield raw, None, []

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


def places_graph(count: int) -> nx.MultiDiGraph:
    """`count` places whose rows are all the same size: names of one length, nothing else."""
    graph = nx.MultiDiGraph()
    for index in range(count):
        name = f"地名{index:04d}"
        graph.add_node(f"PLACE:{name}", kind="entity", label="PLACE", name=name)
    return graph


def row_estimate(row: dict) -> int:
    """docs/neo4j.md's request size of a row, from its definition: its JSON (", " and ": " between
    items, UTF-8), one byte more per ', eight per '.', and eight."""
    text = json.dumps(row, ensure_ascii=False, separators=(", ", ": "))
    return len(text.encode("utf-8")) + text.count("'") + 8 * text.count(".") + 8


@pytest.mark.parametrize(
    "value,size,escapable",
    [
        ("阿拉", 2 + 6 + 8, False),  # "阿拉": two quotes and two 3-byte characters
        ({"id": "a'b.c"}, 15 + 1 + 8 + 8, True),  # {"id": "a'b.c"}: 15 bytes, one ', one '.'
        ({"a": [1, 2]}, 13 + 8, False),  # {"a": [1, 2]}: the separators' spaces count
        ([1.5, "x\\y"], 13 + 8 + 8, True),  # [1.5, "x\\y"]: JSON doubles the backslash
        (float("nan"), 3 + 8, False),  # NaN: Bolt sends a float, so it must not be refused
    ],
)
def test_request_size_is_the_json_length_plus_what_falkordb_adds(value, size, escapable):
    """Worked by hand from the rule in `request_size`'s docstring."""
    measured = neo4j.request_size(value)
    assert (measured, measured.escapable) == (size, escapable)


def test_a_value_no_server_stores_is_refused_by_name():
    graph = places_graph(1)
    graph.nodes["PLACE:地名0000"]["name"] = b"\xe5\x9c"  # bytes: no Bolt server stores them as text
    with pytest.raises(KgError) as error:  # before connecting: no server listens on port 9
        neo4j.push(graph, uri="bolt://127.0.0.1:9", max_request_bytes=CAP)
    assert str(error.value) == "cannot export b'\\xe5\\x9c': it is not text, a number or a JSON value"
    node = frozenset({"PLACE"})  # an id networkx takes and JSON cannot write
    with pytest.raises(KgError) as error:
        neo4j.request_size({"id": node})
    assert str(error.value) == "cannot send to Neo4j: {'id': frozenset({'PLACE'})}"


@pytest.mark.parametrize("spare,batch_size", [(0, 1000), (1, 1000), (0, 10)])
def test_requests_are_filled_to_the_cap_and_not_a_byte_over(wire, spare, batch_size):
    """A request is the query's text, 32 bytes around the rows, and the rows (their sizes by
    `row_estimate`). With room for exactly k rows each request holds k; a byte less, k - 1;
    and so again in each new transaction of `batch_size` rows."""
    graph = places_graph(30)
    rows_per_request = 7
    assert neo4j.push(graph, uri=wire.uri, max_request_bytes=CAP).nodes == 30
    [query] = {fields[0] for _, fields in wire.runs("UNWIND")}
    sizes = {row_estimate(row) for _, fields in wire.runs("UNWIND") for row in fields[1]["rows"]}
    [size] = sizes  # every row the same size, as the graph was made
    cap = len(query.encode("utf-8")) + 32 + rows_per_request * size - spare
    wire.clear()
    neo4j.push(graph, uri=wire.uri, max_request_bytes=cap, batch_size=batch_size)
    counts = [len(fields[1]["rows"]) for _, fields in wire.runs("UNWIND")]
    full = rows_per_request - spare
    expected = []
    for first in range(0, 30, batch_size):
        rows = min(batch_size, 30 - first)
        expected += [full] * (rows // full) + ([rows % full] if rows % full else [])
    assert counts == expected


def test_the_api_sends_a_thousand_rows_a_transaction_by_default(wire):
    graph = places_graph(1001)
    neo4j.push(graph, uri=wire.uri, max_request_bytes=CAP)
    per_transaction = [
        sum(len(fields[1]["rows"]) for fields in transaction if fields[0].startswith("UNWIND"))
        for transaction in wire.transactions()
    ]
    assert [count for count in per_transaction if count] == [1000, 1]


@pytest.mark.parametrize(
    "options,refused",
    [
        ({"batch_size": 1, "max_request_bytes": 256}, False),
        ({"batch_size": 0, "max_request_bytes": 1 << 20}, True),
        ({"batch_size": 1000, "max_request_bytes": 255}, True),
    ],
)
def test_batch_size_and_request_cap_have_lower_bounds(options, refused):
    """At least one row a transaction and 256 bytes a request; checked before connecting (the port
    here has no server, so an accepted setting fails to connect instead)."""
    uri = "bolt://127.0.0.1:9"
    message = (
        f"batch size {options['batch_size']} and request cap {options['max_request_bytes']} bytes must be >= 1 and >= 256"
        if refused
        else f"cannot reach a Neo4j server at {uri}: "
    )
    with pytest.raises(KgError) as error:
        neo4j.push(places_graph(1), uri=uri, **options)
    assert str(error.value).startswith(message)


def test_a_wrong_scheme_names_the_ones_kg_takes():
    with pytest.raises(KgError) as error:
        neo4j.push(places_graph(1), uri="http://localhost:7474")
    assert str(error.value) == (
        "Neo4j URI 'http://localhost:7474' must start with one of "
        "bolt://, bolt+s://, bolt+ssc://, neo4j://, neo4j+s://, neo4j+ssc://"
    )


def test_a_relationship_whose_nodes_are_missing_is_an_error(wire):
    """WROTE runs from a person to an article; a graph file with it reversed leaves its MATCH empty."""
    graph = places_graph(1)
    graph.add_node("ARTICLE:a.txt#0", kind="article", name="a")
    graph.add_edge("ARTICLE:a.txt#0", "PLACE:地名0000", key="WROTE")
    graph.add_edge("PLACE:地名0000", "ARTICLE:a.txt#0", key="WROTE")  # the right way round: found
    with pytest.raises(KgError, match=r"^1 rows matched no node: UNWIND \$rows AS row MATCH \(a:Entity"):
        neo4j.push(graph, uri=wire.uri, max_request_bytes=CAP)


def test_the_server_and_what_kg_does_about_it_are_told_on_stderr(wire, capsys):
    import neo4j as driver_module

    with driver_module.GraphDatabase.driver(wire.uri, auth=None) as driver:
        agent = driver.get_server_info().agent
    neo4j.push(places_graph(2), uri=wire.uri, max_request_bytes=CAP)
    server = f"a Bolt server that is not Neo4j (agent {agent})"
    assert capsys.readouterr().err.splitlines() == [
        "kg neo4j: this server mangles ' and \\ in string parameters (FalkorDB); escaping them",
        f"kg neo4j: {server}: no constraints or full-text index there; using plain indexes on id",
        f"kg neo4j: {server}: dates kept as ISO strings, not date values",
    ]


def terminal_output(push_it, monkeypatch) -> str:
    """What `push_it()` writes to stderr when stderr is a terminal (a pseudo-terminal here)."""
    import fcntl
    import os
    import pty
    import sys
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))  # a new one is 0 columns wide
    stream = open(slave, "w", encoding="utf-8")
    chunks: list[bytes] = []

    def drain():
        with contextlib.suppress(OSError):  # EIO once the terminal's other end is closed
            while data := os.read(master, 65536):
                chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    with monkeypatch.context() as patch:
        patch.setattr(sys, "stderr", stream)
        push_it()
    stream.close()
    reader.join(10)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("threshold_over_total", [0, 1])
def test_a_terminal_sees_a_bar_counting_each_row_once_from_the_threshold(wire, monkeypatch, threshold_over_total):
    """Rows too long for one request go out in parts; the bar still counts graph rows."""
    graph = long_names_graph(seed=2)
    total = graph.number_of_nodes() + graph.number_of_edges()
    monkeypatch.setattr(neo4j, "PROGRESS_FROM", total + threshold_over_total)
    push = lambda: neo4j.push(graph, uri=wire.uri, max_request_bytes=1500, batch_size=50)  # noqa: E731
    text = terminal_output(push, monkeypatch)
    parts = sum(len(fields[1]["rows"]) for _, fields in wire.runs("UNWIND"))
    assert parts > total  # some rows were sent in parts
    counts = [(int(n), int(of)) for n, of in re.findall(r"kg neo4j push: +\d+%\|[^|]*\| (\d+)/(\d+) \[[^\]]*row/s\]", text)]
    if threshold_over_total:
        assert counts == []
    else:
        assert counts[-1] == (total, total)
        assert [n for n, _ in counts] == sorted(n for n, _ in counts)


def as_neo4j_5(signature: int, fields: list):
    """What Neo4j 5 answers to the queries by which kg tells it from other Bolt servers (Operations
    Manual: dbms.components; a parameter comes back as it was sent), to its schema statements
    (Cypher Manual: constraints and full-text indexes, which FalkorDB refuses) and to a query for a
    database it lacks (Status Codes: DatabaseNotFound)."""
    if signature != RUN:
        return None
    query, parameters, extra = fields
    if extra.get("db", "neo4j") != "neo4j":
        raise Refusal("Neo.ClientError.Database.DatabaseNotFound", f"Database does not exist. Database name: '{extra['db']}'.")
    if query == "CALL dbms.components() YIELD name, versions, edition RETURN *":
        return ["name", "versions", "edition"], [["Neo4j Kernel", ["5.26.0"], "community"]]
    if query == "RETURN $probe AS probe":
        if "probe" not in parameters:
            raise Refusal("Neo.ClientError.Statement.ParameterMissing", "Expected parameter(s): probe")
        return ["probe"], [[parameters["probe"]]]
    if query.startswith(("CREATE CONSTRAINT", "CREATE FULLTEXT INDEX")):
        return [], []
    return None


@pytest.fixture(scope="module")
def neo4j_wire():
    """A recorder that answers as Neo4j 5 where Neo4j and FalkorDB differ; FalkorDB stores the graph."""
    with falkordb_server() as uri:
        yield Recorder(uri, answer=as_neo4j_5)


def test_on_neo4j_kg_makes_constraints_and_dates_and_escapes_nothing(neo4j_wire, capsys):
    graph = places_graph(3)
    graph.nodes["PLACE:地名0001"]["name"] = "地名\\0001"  # a backslash, which only FalkorDB needs escaped
    graph.nodes["PLACE:地名0002"]["first_seen"] = "2024-07-01"
    graph.add_edge("PLACE:地名0000", "PLACE:地名0002", key="CO_OCCURS_WITH", weight=1, last_seen="2025-03-02")
    stats = neo4j.push(graph, uri=neo4j_wire.uri, max_request_bytes=CAP)
    assert stats.server == "Neo4j Kernel 5.26.0 community"
    assert capsys.readouterr().err == ""  # no notice: Neo4j needs no workaround
    queries = [fields[0] for signature, _, fields in neo4j_wire.messages if signature == RUN]
    # Neo4j 5's syntax (Cypher Manual): uniqueness constraints on the ids and a full-text index using
    # the CJK analyzer; and no plain index, which a constraint brings with it.
    assert [query for query in queries if query.startswith("CREATE")] == [
        "CREATE CONSTRAINT kg_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT kg_article_id IF NOT EXISTS FOR (n:Article) REQUIRE n.id IS UNIQUE",
        "CREATE FULLTEXT INDEX kg_entity_names IF NOT EXISTS FOR (n:Entity) ON EACH [n.name, n.aliases]"
        " OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}",
    ]
    assert not any("db.indexes" in query for query in queries)
    [(_, fields)] = neo4j_wire.runs("MERGE (n:Entity")
    assert {row["id"]: row["props"]["name"] for row in fields[1]["rows"]}["PLACE:地名0001"] == "地名\\0001"
    import neo4j as driver_module

    with driver_module.GraphDatabase.driver(neo4j_wire.uri, auth=None) as driver:
        records, _, _ = driver.execute_query("MATCH (n:Entity) WHERE n.first_seen IS NOT NULL RETURN n.id AS id, n.first_seen.year AS year")
        assert [(record["id"], record["year"]) for record in records] == [("PLACE:地名0002", 2024)]  # a date, not a string
        records, _, _ = driver.execute_query("MATCH ()-[r:CO_OCCURS_WITH]->() RETURN r.last_seen.month AS month")
        assert [record["month"] for record in records] == [3]


def test_the_database_option_reaches_every_transaction(wire):
    """FalkorDB ignores it, so the wire tells: Bolt names the database in each BEGIN and in each
    RUN outside a transaction."""
    neo4j.push(places_graph(2), uri=wire.uri, database="kgtest", max_request_bytes=CAP)
    opened, extras = False, []
    for signature, _, fields in wire.messages:
        if signature == BEGIN:
            opened = True
            extras.append(fields[0])
        elif signature == RUN and not opened:
            extras.append(fields[2])
        elif signature == COMMIT:
            opened = False
    assert len(extras) > 3 and {extra.get("db") for extra in extras} == {"kgtest"}


def test_falkordb_gets_an_index_on_the_ids_once(wire):
    """Neo4j's constraints fail there; a plain index makes MERGE on id fast, made by the first push."""
    import neo4j as driver_module

    with driver_module.GraphDatabase.driver(wire.uri, auth=None) as driver:
        for label in ("Entity", "Article"):  # made by an earlier test's push, if any
            with contextlib.suppress(driver_module.exceptions.Neo4jError):
                driver.execute_query(f"DROP INDEX ON :{label}(id)")
        graph = places_graph(1)
        graph.add_node("ARTICLE:a.txt#0", kind="article", name="a")
        neo4j.push(graph, uri=wire.uri, max_request_bytes=CAP)
        records, _, _ = driver.execute_query("CALL db.indexes() YIELD label, properties")
        assert sorted((record["label"], record["properties"]) for record in records) == [("Article", ["id"]), ("Entity", ["id"])]
    assert len(wire.runs("CREATE INDEX")) == 2
    wire.clear()
    neo4j.push(graph, uri=wire.uri, max_request_bytes=CAP)
    assert wire.runs("CREATE INDEX") == []


def test_a_relationship_property_too_big_for_a_request_names_both_ends(wire):
    graph = places_graph(2)
    evidence = [{"text": "地名" * 300, "article": "a.txt#0"}]
    graph.add_edge("PLACE:地名0000", "PLACE:地名0001", key="CO_OCCURS_WITH", weight=1, evidence=evidence)
    with pytest.raises(KgError) as error:
        neo4j.push(graph, uri=wire.uri, max_request_bytes=1000)
    assert str(error.value) == (
        "property 'evidence' of PLACE:地名0000 -> PLACE:地名0001 does not fit in one request of 1000 bytes; "
        "raise --max-request-bytes"
    )


def test_a_server_that_changes_escaped_strings_too_is_refused(neo4j_wire, monkeypatch):
    def mangles(signature, fields):  # a server that drops backslashes, escaped or not
        if signature == RUN and fields[0] == "RETURN $probe AS probe":
            return ["probe"], [[fields[1]["probe"].replace("\\", "")]]
        return as_neo4j_5(signature, fields)

    monkeypatch.setattr(neo4j_wire, "answer", mangles)
    with pytest.raises(KgError) as error:
        neo4j.push(places_graph(1), uri=neo4j_wire.uri, max_request_bytes=CAP)
    assert str(error.value) == "the server changes string parameters holding ' or \\; names would not survive"


def test_a_database_the_server_lacks_is_named(neo4j_wire):
    with pytest.raises(KgError) as error:
        neo4j.push(places_graph(1), uri=neo4j_wire.uri, database="nosuch", max_request_bytes=CAP)
    assert str(error.value) == f"database 'nosuch' does not exist on {neo4j_wire.uri}"


def test_refused_credentials_are_told_with_the_servers_reason(neo4j_wire, monkeypatch):
    reason = "The client is unauthorized due to authentication failure."

    def refuses(signature, fields):  # Neo4j 5 greets, then refuses the password (Bolt 5.1+: LOGON)
        if signature == HELLO:
            return {"server": "Neo4j/5.26.0", "connection_id": "bolt-1"}
        if signature == LOGON:
            raise Refusal("Neo.ClientError.Security.Unauthorized", reason)
        return as_neo4j_5(signature, fields)

    monkeypatch.setattr(neo4j_wire, "answer", refuses)
    with pytest.raises(KgError) as error:
        neo4j.push(places_graph(1), uri=neo4j_wire.uri, auth=("neo4j", "wrong"), max_request_bytes=CAP)
    assert str(error.value) == f"Neo4j at {neo4j_wire.uri} refused the credentials: {reason}"


def test_on_falkordb_dates_stay_iso_strings(wire, capsys):
    """FalkorDB stores dates but fails sending one back over Bolt, so kg leaves them strings there."""
    graph = places_graph(2)
    graph.nodes["PLACE:地名0001"]["first_seen"] = "2024-07-01"
    graph.add_edge("PLACE:地名0000", "PLACE:地名0001", key="CO_OCCURS_WITH", weight=1, last_seen="2025-03-02")
    neo4j.push(graph, uri=wire.uri, max_request_bytes=CAP)
    import neo4j as driver_module

    with driver_module.GraphDatabase.driver(wire.uri, auth=None) as driver:
        query = "MATCH (n)-[r]->(m) RETURN m.first_seen = '2024-07-01' AS node, r.last_seen = '2025-03-02' AS edge"
        records, _, _ = driver.execute_query(query)  # compared there: a date would not come back
    assert [(record["node"], record["edge"]) for record in records] == [(True, True)]


def test_a_uri_the_driver_cannot_read_is_named():
    with pytest.raises(KgError) as error:
        neo4j.push(places_graph(1), uri="bolt://[::1")
    assert str(error.value) == "cannot use Neo4j at bolt://[::1: Invalid IPv6 URL"  # urllib's words


def test_a_query_the_server_fails_is_told_with_its_code(neo4j_wire, monkeypatch):
    def fails_probes(signature, fields):
        if signature == RUN and fields[0] == "RETURN $probe AS probe":
            raise Refusal("Neo.ClientError.Statement.SyntaxError", "Invalid input\n  'RETURN'")
        return as_neo4j_5(signature, fields)

    monkeypatch.setattr(neo4j_wire, "answer", fails_probes)
    with pytest.raises(KgError) as error:
        neo4j.push(places_graph(1), uri=neo4j_wire.uri, max_request_bytes=CAP)
    assert str(error.value) == f"Neo4j at {neo4j_wire.uri} failed: Neo.ClientError.Statement.SyntaxError: Invalid input 'RETURN'"


def test_the_summary_times_the_push(wire):
    started = time.perf_counter()
    stats = neo4j.push(places_graph(3), uri=wire.uri, max_request_bytes=CAP)
    assert 0 < stats.seconds <= time.perf_counter() - started  # the push's own clock, within the test's
