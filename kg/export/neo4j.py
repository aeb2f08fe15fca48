"""`kg neo4j push`: merge a kg graph into Neo4j 5 (or another Bolt server) with the official driver.

Rows go out as UNWIND requests capped by their encoded size, in managed write transactions of up to
`batch_size` rows (the driver retries a transaction on transient failures). Every write is a MERGE on
kg's stable ids, so pushing the same graph again changes nothing and a push killed midway completes
when re-run.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass

import neo4j

from kg.errors import KgError
from kg.export.cypher import (
    MARK,
    NEO4J_SCHEMA,
    PLAIN_INDEXES,
    node_groups,
    node_query,
    relationship_groups,
    relationship_query,
)

# Bolt only: the driver's HTTP transport is a preview that needs extra packages.
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
PROGRESS_FROM = 10_000  # rows; smaller pushes finish before a bar is worth drawing
WIPE_BATCH = 1000
CONNECTION_TIMEOUT = 10.0  # seconds to connect and to hear the Bolt handshake
# Beyond the rows: the query text (added per query) and {"rows": [...]} around the rows.
_REQUEST_OVERHEAD = 32


@dataclass
class PushStats:
    nodes: int
    relationships: int
    nodes_created: int
    relationships_created: int
    seconds: float
    server: str

    def __str__(self) -> str:
        rate = (self.nodes + self.relationships) / self.seconds if self.seconds else 0.0
        return (
            f"{self.nodes} nodes ({self.nodes_created} new), {self.relationships} relationships "
            f"({self.relationships_created} new) in {self.seconds:.1f} s ({rate:,.0f}/s) on {self.server}"
        )


def auth_from(user: str | None, password: str | None):
    """Basic auth when a password is given; no auth otherwise (servers running with auth disabled)."""
    return (user or "neo4j", password) if password is not None else None


def push(
    graph,
    *,
    uri: str,
    auth=None,
    database: str | None = None,
    batch_size: int = 1000,
    max_request_bytes: int = 1 << 20,
    wipe: bool = False,
) -> PushStats:
    """MERGE `graph` into the server at `uri`; returns what was sent and what was new."""
    scheme = uri.partition("://")[0]
    if scheme not in BOLT_SCHEMES:
        raise KgError(f"Neo4j URI {uri!r} must start with one of {', '.join(s + '://' for s in BOLT_SCHEMES)}")
    if batch_size < 1 or max_request_bytes < 256:
        raise KgError(f"batch size {batch_size} and request cap {max_request_bytes} bytes must be >= 1 and >= 256")
    started = time.perf_counter()
    nodes = node_groups(graph)
    relationships = relationship_groups(graph)
    try:
        with neo4j.GraphDatabase.driver(
            uri, auth=auth, connection_timeout=CONNECTION_TIMEOUT, connection_acquisition_timeout=CONNECTION_TIMEOUT
        ) as driver:
            with driver.session(database=database) as session:
                server, is_neo4j = _server(driver, session)
                escape = _needs_escaping(session)
                if wipe:
                    _wipe(session)
                _create_schema(session, server, is_neo4j)
                writer = _Writer(session, batch_size, max_request_bytes, escape)
                if not is_neo4j:
                    # FalkorDB stores dates but dies sending one back over Bolt (4.16): keep them strings there.
                    _notice(f"{server}: dates kept as ISO strings, not date values")
                total = sum(map(len, nodes.values())) + sum(map(len, relationships.values()))
                with _progress(total) as bar:
                    for labels, rows in nodes.items():
                        writer.write(node_query(labels, "$rows", dates=is_neo4j), rows, ("id",), bar)
                    for rel_type, rows in relationships.items():
                        query = relationship_query(rel_type, "$rows", dates=is_neo4j)
                        writer.write(query, rows, ("source", "target"), bar)
    except neo4j.exceptions.AuthError as error:
        raise KgError(f"Neo4j at {uri} refused the credentials: {_one_line(error)}") from None
    except neo4j.exceptions.ServiceUnavailable as error:
        raise KgError(f"cannot reach a Neo4j server at {uri}: {_one_line(error)}") from None
    except neo4j.exceptions.Neo4jError as error:
        if "DatabaseNotFound" in (error.code or ""):
            raise KgError(f"database {database!r} does not exist on {uri}") from None
        raise KgError(f"Neo4j at {uri} failed: {error.code}: {_one_line(error)}") from None
    except (neo4j.exceptions.DriverError, ValueError) as error:
        raise KgError(f"cannot use Neo4j at {uri}: {_one_line(error)}") from None
    return PushStats(
        nodes=sum(map(len, nodes.values())),
        relationships=sum(map(len, relationships.values())),
        nodes_created=writer.nodes_created,
        relationships_created=writer.relationships_created,
        seconds=time.perf_counter() - started,
        server=server,
    )


def _one_line(error: Exception) -> str:
    text = getattr(error, "message", None) or str(error) or type(error).__name__
    return " ".join(text.split())


def _notice(message: str) -> None:
    print(f"kg neo4j: {message}", file=sys.stderr)


def _server(driver, session) -> tuple[str, bool]:
    """(description, whether it is Neo4j). FalkorDB reports the agent Neo4j/5.13 too, so ask for
    dbms.components, which only Neo4j has."""
    agent = driver.get_server_info().agent
    try:
        record = session.run("CALL dbms.components() YIELD name, versions, edition RETURN *").single()
    except neo4j.exceptions.Neo4jError:  # a refusal means "not Neo4j"; a real fault recurs on the next query
        return f"a Bolt server that is not Neo4j (agent {agent})", False
    return f"{record['name']} {record['versions'][0]} {record['edition']}", True


# A string the server must echo back unchanged. FalkorDB 4.16's Bolt bridge pastes string parameters
# into its query text without escaping, so ' and \ break or change there; escaping them first fixes it.
_PROBE = "it's a \\ test"


def _needs_escaping(session) -> bool:
    try:
        if session.run("RETURN $probe AS probe", probe=_PROBE).single()["probe"] == _PROBE:
            return False
    except neo4j.exceptions.Neo4jError:  # FalkorDB fails on the quote; the second probe tells
        pass
    if session.run("RETURN $probe AS probe", probe=_escape(_PROBE)).single()["probe"] != _PROBE:
        raise KgError("the server changes string parameters holding ' or \\; names would not survive")
    _notice("this server mangles ' and \\ in string parameters (FalkorDB); escaping them")
    return True


def _escape(value):
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("'", "\\'")
    if isinstance(value, list):
        return [_escape(v) for v in value]
    if isinstance(value, dict):
        return {k: _escape(v) for k, v in value.items()}
    return value


def _wipe(session) -> None:
    deleted = 0
    while True:
        count = session.execute_write(
            lambda tx: tx.run(
                f"MATCH (n:{MARK}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted", limit=WIPE_BATCH
            ).single()["deleted"]
        )
        deleted += count
        if count < WIPE_BATCH:
            break
    _notice(f"wiped {deleted} nodes kg had pushed before")


def _create_schema(session, server: str, is_neo4j: bool) -> None:
    if is_neo4j:
        for statement in NEO4J_SCHEMA:
            session.run(statement).consume()
        return
    existing = {record["label"] for record in session.run("CALL db.indexes() YIELD label, properties")}
    for label, statement in PLAIN_INDEXES.items():
        if label not in existing:
            session.run(statement).consume()
    _notice(f"{server}: no constraints or full-text index there; using plain indexes on id")


class _Writer:
    """Sends the rows of one query: requests capped by bytes, up to `batch_size` rows a transaction."""

    def __init__(self, session, batch_size: int, max_request_bytes: int, escape: bool):
        self.session = session
        self.batch_size = batch_size
        self.max_bytes = max_request_bytes
        self.escape = escape
        self.nodes_created = 0
        self.relationships_created = 0

    def write(self, query: str, rows: list[dict], keys: tuple[str, ...], bar) -> None:
        budget = self.max_bytes - len(query.encode("utf-8")) - _REQUEST_OVERHEAD
        for requests, done in self._transactions(rows, keys, budget):
            merged, nodes, relationships = self.session.execute_write(_run, query, requests)
            if merged != sum(map(len, requests)):  # only a relationship whose end node is missing falls short
                raise KgError(f"{sum(map(len, requests)) - merged} rows matched no node: {query}")
            self.nodes_created += nodes
            self.relationships_created += relationships
            bar.update(done)

    def _transactions(self, rows, keys, budget: int):
        """Yield (requests, graph rows completed by them): each request a list of rows within `budget`
        bytes, each transaction at most `batch_size` rows. A row too big for one request is split by property."""
        requests: list[list[dict]] = [[]]
        size = count = done = 0
        for row in rows:
            row_size = request_size(row)
            if self.escape and row_size.escapable:  # most rows have neither ' nor \; the check is cheaper than _escape
                row = _escape(row)
                row_size = request_size(row)
            parts = self._fit(row, row_size, keys, budget)
            for index, (part, part_size) in enumerate(parts):
                if count >= self.batch_size:
                    yield requests, done
                    requests, size, count, done = [[]], 0, 0, 0
                elif requests[-1] and size + part_size > budget:
                    requests.append([])
                    size = 0
                requests[-1].append(part)
                size += part_size
                count += 1
                done += index == len(parts) - 1
        if count:
            yield requests, done

    def _fit(self, row: dict, size: int, keys: tuple[str, ...], budget: int) -> list[tuple[dict, int]]:
        if size <= budget:
            return [(row, size)]
        # SET += only touches the keys it is given, so a row's properties may arrive over several rows.
        head = {key: row[key] for key in keys}
        parts: list[tuple[dict, int]] = []
        props: dict = {}
        for name, value in row["props"].items():
            if props and request_size({**head, "props": {**props, name: value}}) > budget:
                parts.append(({**head, "props": props}, request_size({**head, "props": props})))
                props = {}
            props[name] = value
            if request_size({**head, "props": props}) > budget:
                raise KgError(
                    f"property {name!r} of {' -> '.join(map(str, head.values()))} does not fit in one request of "
                    f"{self.max_bytes} bytes; raise --max-request-bytes"
                )
        parts.append(({**head, "props": props}, request_size({**head, "props": props})))
        return parts


def _run(tx, query: str, requests: list[list[dict]]) -> tuple[int, int, int]:
    merged = nodes = relationships = 0
    for rows in requests:
        result = tx.run(query, rows=rows)
        merged += result.single(strict=True)["merged"]
        counters = result.consume().counters
        nodes += counters.nodes_created
        relationships += counters.relationships_created
    return merged, nodes, relationships


class _Size(int):
    """A request size that also tells whether the value holds ' or \\ (which FalkorDB needs escaped)."""

    escapable: bool


def request_size(value) -> _Size:
    """An upper bound of the bytes `value` takes in a request, both as PackStream (what Neo4j receives)
    and as Cypher text (FalkorDB's Bolt bridge pastes parameters into the query, and that text must
    stay under its ~4 KB limit).

    Measured on JSON, which C code writes fast: it is at least as long as either form, except that a
    float packs into 9 bytes and FalkorDB may print it with more digits, hence 8 more bytes per '.'
    (every float has one, or an exponent, which the constant covers), and ' which FalkorDB escapes."""
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "), allow_nan=True)
    except TypeError:
        raise KgError(f"cannot send to Neo4j: {value!r}") from None
    quotes = text.count("'")
    size = _Size(len(text.encode("utf-8")) + quotes + 8 * text.count(".") + 8)
    # JSON writes every backslash of a value as an escape sequence, so "\\" finds each one (and newlines
    # and double quotes too, whose rows are escaped needlessly but harmlessly).
    size.escapable = bool(quotes) or "\\" in text
    return size


def _progress(total: int):
    from tqdm import tqdm

    # None lets tqdm hide the bar when stderr is not a terminal.
    return tqdm(total=total, unit="row", desc="kg neo4j push", disable=None if total >= PROGRESS_FROM else True)
