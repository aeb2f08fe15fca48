"""`kg neo4j push` and the Cypher/neo4j-admin exports, against a real Bolt server.

FalkorDB (from PyPI) stands in for Neo4j: the official driver talks Bolt to it. Tests that need
Neo4j itself (constraints, the full-text index, credentials, databases) run when NEO4J_URI is set.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import networkx as nx
import pytest
from bolt_server import MAX_REQUEST_BYTES, falkordb_server, free_port, synthetic_graph

from kg.errors import KgError
from kg.export import cypher, neo4j
from kg.export.cypher import properties

ROOT = Path(__file__).resolve().parent.parent
COOKBOOK = ROOT / "queries" / "cookbook.cypher"
NASTY = ["O'Brien", 'say "hi"', "back\\slash", "two\nlines", "tab\there", "emoji 🚀🇨🇳", "<b>&amp;</b>", "line\u2028break", "阿拉山口市'\\\""]


@pytest.fixture(scope="module")
def bolt_uri():
    with falkordb_server() as uri:
        yield uri


@pytest.fixture(scope="module")
def driver(bolt_uri):
    """A driver whose one connection opens now and is reused by every query of the module."""
    import neo4j as driver_module

    with driver_module.GraphDatabase.driver(bolt_uri, auth=None) as value:
        value.verify_connectivity()
        yield value


@pytest.fixture
def empty(driver):
    """Empties the server's default database. (FalkorDB ignores the database of explicit
    transactions, so tests cannot have a database each.)"""
    with driver.session() as session:
        session.run("MATCH (n) DETACH DELETE n").consume()


def push(graph, bolt_uri, **options):
    return neo4j.push(graph, uri=bolt_uri, max_request_bytes=MAX_REQUEST_BYTES, **options)


def dump(driver):
    """Everything in the database: {id: (labels, properties)} and {(start, type, end): properties}."""
    with driver.session() as session:
        nodes = {
            r["props"]["id"]: (sorted(r["labels"]), r["props"])
            for r in session.run("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
        }
        relationships = {
            (r["a"], r["type"], r["b"]): r["props"]
            for r in session.run("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props")
        }
    return nodes, relationships


def same(actual, wanted) -> bool:
    """Equal, floats within 1e-6: FalkorDB's Bolt bridge keeps about six decimals of a float parameter."""
    if isinstance(wanted, float) or isinstance(actual, float):
        return isinstance(actual, (int, float)) and math.isclose(actual, wanted, rel_tol=1e-5, abs_tol=1e-6)
    if isinstance(wanted, dict):
        return isinstance(actual, dict) and actual.keys() == wanted.keys() and all(same(actual[k], wanted[k]) for k in wanted)
    if isinstance(wanted, (list, tuple)):
        return isinstance(actual, (list, tuple)) and len(actual) == len(wanted) and all(map(same, actual, wanted))
    return actual == wanted


def expected(graph):
    """What `dump` must return after pushing `graph` into an empty database."""
    nodes = {}
    for node, data in graph.nodes(data=True):
        base, specific = cypher.node_label(node, data)
        nodes[node] = (sorted(filter(None, [base, cypher.MARK, specific])), {**properties(data), "id": node})
    relationships = {(a, key, b): properties(data) for a, b, key, data in graph.edges(keys=True, data=True)}
    return nodes, relationships


def test_push_writes_every_node_and_relationship_with_its_properties(bolt_uri, empty, driver):
    graph = synthetic_graph(people=60)
    stats = push(graph, bolt_uri)
    assert (stats.nodes, stats.relationships) == (graph.number_of_nodes(), graph.number_of_edges())
    assert (stats.nodes_created, stats.relationships_created) == (graph.number_of_nodes(), graph.number_of_edges())
    assert same(dump(driver), expected(graph))
    nodes, relationships = dump(driver)
    person = next(props for labels, props in nodes.values() if "Person" in labels)
    assert isinstance(person["aliases"], list) and json.loads(person["roles"])[0]["title"]
    evidence = next(p for (_, t, _), p in relationships.items() if t == "CO_OCCURS_WITH")["evidence"]
    assert json.loads(evidence)[0]["text"].endswith("座谈。")


def test_second_push_changes_nothing(bolt_uri, empty, driver):
    graph = synthetic_graph(people=40)
    push(graph, bolt_uri)
    before = dump(driver)
    stats = push(graph, bolt_uri)
    assert (stats.nodes_created, stats.relationships_created) == (0, 0)
    assert dump(driver) == before


def test_larger_graph_adds_only_what_is_new(bolt_uri, empty, driver):
    small, large = synthetic_graph(people=30), synthetic_graph(people=50)
    push(small, bolt_uri)
    stats = push(large, bolt_uri)
    assert stats.nodes_created == large.number_of_nodes() - small.number_of_nodes() > 0
    assert stats.relationships_created == large.number_of_edges() - small.number_of_edges() > 0
    assert same(dump(driver), expected(large))


def nasty_graph():
    graph = synthetic_graph(people=5)
    for index, name in enumerate(NASTY):
        node = f"PERSON:{name}"
        graph.add_node(node, id=node, kind="entity", label="PERSON", name=name, aliases=[name, f"{name}{index}"])
        graph.add_edge(node, "PLACE:阿拉山口市", key="CO_OCCURS_WITH", weight=1, npmi=0.5, articles=[],
                       evidence=[{"text": f"“{name}”说", "article": "a'b", "location": "x\\y:1:1"}])  # fmt: skip
    return graph


def test_nasty_names_round_trip_unchanged(bolt_uri, empty, driver):
    graph = nasty_graph()
    push(graph, bolt_uri)
    nodes, relationships = dump(driver)
    assert {nodes[f"PERSON:{name}"][1]["name"] for name in NASTY} == set(NASTY)
    assert same((nodes, relationships), expected(graph))


def test_a_row_bigger_than_one_request_is_split_by_property(bolt_uri, empty, driver):
    # FalkorDB dies on requests over ~4 KB, so this only passes if every request stayed under the cap.
    graph = synthetic_graph(people=5)
    many = [f"ARTICLE:seeds/来源_{i:04d}.txt#{i}" for i in range(60)]  # ~2 KB each list, ~6 KB the row
    graph.nodes["PLACE:阿拉山口市"].update(articles=many, sources=many[::-1], aliases=[f"别名{i}" for i in range(100)])
    push(graph, bolt_uri)
    assert same(dump(driver), expected(graph))


def test_a_single_value_over_the_cap_is_a_clear_error(bolt_uri, empty):
    graph = synthetic_graph(people=2)
    graph.nodes["PLACE:阿拉山口市"]["articles"] = ["长" * 50] * 100
    with pytest.raises(KgError, match="'articles' of PLACE:阿拉山口市 does not fit"):
        push(graph, bolt_uri)


def test_wipe_deletes_kg_nodes_only(bolt_uri, empty, driver):
    push(synthetic_graph(people=20), bolt_uri)
    with driver.session() as session:
        session.run("CREATE (:Note {id: 'mine', text: '用户自己的节点'})").consume()
    smaller = synthetic_graph(people=3, articles=5)
    push(smaller, bolt_uri, wipe=True)
    nodes, relationships = dump(driver)
    assert nodes.pop("mine")[0] == ["Note"]
    assert same((nodes, relationships), expected(smaller))


def count_nodes(driver) -> int:
    with driver.session() as session:
        return session.run("MATCH (n) RETURN count(n) AS c").single()["c"]


@pytest.mark.slow
def test_a_killed_push_completes_when_run_again(bolt_uri, empty, driver, tmp_path):
    graph = synthetic_graph(people=4000)
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(nx.node_link_data(graph, edges="edges"), ensure_ascii=False), encoding="utf-8")
    command = [sys.executable, "-m", "kg.cli", "neo4j", "push", str(path), "--uri", bolt_uri, "--batch-size", "20"]
    env = {**os.environ, "KG_NEO4J_MAX_REQUEST_BYTES": str(MAX_REQUEST_BYTES)}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while count_nodes(driver) < graph.number_of_nodes() // 4 and time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()
            time.sleep(0.02)
    finally:
        process.kill()  # SIGKILL: no chance to finish a transaction or say goodbye
        process.wait(10)
    written = count_nodes(driver)
    assert 0 < written < graph.number_of_nodes(), "the push was not killed midway; make the graph bigger"
    stats = push(graph, bolt_uri)
    assert stats.nodes_created == graph.number_of_nodes() - written
    assert same(dump(driver), expected(graph))


@pytest.fixture
def http_port():
    """A loopback port where a web server, not Bolt, answers."""
    listener = socket.create_server(("127.0.0.1", free_port()))

    def answer():
        with contextlib.suppress(OSError):
            while True:
                client, _ = listener.accept()
                with client:
                    client.recv(1024)
                    client.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
    listener.close()
    thread.join(10)


@pytest.mark.parametrize(
    "where,message",
    [
        ("nobody", "cannot reach a Neo4j server at bolt://127.0.0.1:{port}: Couldn't connect"),
        ("http", "cannot reach a Neo4j server at bolt://127.0.0.1:{port}: .*looks like HTTP"),
        ("scheme", "Neo4j URI 'http://127.0.0.1:{port}' must start with one of bolt://"),
    ],
)
def test_connection_faults_are_one_clear_line(where, message, http_port):
    port = http_port if where == "http" else free_port()
    uri = f"{'http' if where == 'scheme' else 'bolt'}://127.0.0.1:{port}"
    with pytest.raises(KgError, match=message.format(port=port)) as error:
        neo4j.push(synthetic_graph(people=1), uri=uri)
    assert "\n" not in str(error.value)


def test_cli_reports_faults_without_traceback(tmp_path):
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(nx.node_link_data(synthetic_graph(people=1), edges="edges")), encoding="utf-8")
    uri = f"bolt://127.0.0.1:{free_port()}"
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "neo4j", "push", str(path), "--uri", uri],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"kg: error: cannot reach a Neo4j server at {uri}: ")


def test_cypher_script_rebuilds_the_same_graph(bolt_uri, empty, driver, tmp_path):
    graph = nasty_graph()
    script = cypher.write_cypher_script(graph, tmp_path / "graph.cypher", max_statement_bytes=MAX_REQUEST_BYTES - 600)
    # "\n" alone ends a line: U+2028 inside a name is no line break for cypher-shell either.
    statements = [line[:-1] for line in script.read_text(encoding="utf-8").split("\n") if line.endswith(";")]
    assert statements[: len(cypher.NEO4J_SCHEMA)] == cypher.NEO4J_SCHEMA
    with driver.session() as session:
        for statement in statements[len(cypher.NEO4J_SCHEMA) :]:  # Neo4j-only schema lines skipped
            assert "$" not in statement
            session.run(statement).consume()
        # The script makes dates `date` values, which FalkorDB cannot send back: read them as text, then drop them.
        dates = dict(session.run("MATCH (a:Article) WHERE a.date >= date('2024-01-01') RETURN a.id, toString(a.date)").values())
        session.run("MATCH (a:Article) REMOVE a.date").consume()
    assert dates == {node: data["date"] for node, data in graph.nodes(data=True) if data.get("kind") == "article"}
    nodes, relationships = expected(graph)
    for _, props in nodes.values():
        props.pop("date", None)
    assert same(dump(driver), (nodes, relationships))


def test_neo4j_admin_files_hold_the_graph(tmp_path):
    graph = nasty_graph()
    written = cypher.write_neo4j_admin(graph, tmp_path)
    assert tmp_path / "import.sh" in written
    command = (tmp_path / "import.sh").read_text().splitlines()[-1]
    assert command.startswith("neo4j-admin database import full '--array-delimiter=;'")
    nodes, relationships = {}, {}
    json_columns = {"aliases"}  # names such as <b>&amp;</b> hold the array delimiter ';'
    for path in written[:-1]:
        assert path.name in command
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                values = {}
                for column, cell in row.items():
                    name, _, kind = column.partition(":")
                    if cell == "" or not name:
                        continue
                    values[name] = {"long": int, "double": float, "string[]": lambda c: c.split(";")}.get(kind, str)(cell)
                    if kind == "string" and name in json_columns:
                        values[name] = json.loads(values[name])
                if "id:ID" in row:
                    nodes[row["id:ID"]] = (sorted(row[":LABEL"].split(";")), {**values, "id": row["id:ID"]})
                else:
                    relationships[(row[":START_ID"], row[":TYPE"], row[":END_ID"])] = values
    want_nodes, want_relationships = expected(graph)
    # Empty arrays have no CSV form: neo4j-admin leaves the property out.
    strip = lambda props: {k: v for k, v in props.items() if v != []}  # noqa: E731
    assert nodes == {k: (labels, strip(props)) for k, (labels, props) in want_nodes.items()}
    assert relationships == {k: strip(props) for k, props in want_relationships.items()}


def test_seeds_graph_pushes_whole(seeds_out, bolt_uri, empty, driver):
    from kg.export import read_graph

    graph = read_graph(seeds_out)
    stats = push(graph, bolt_uri)
    assert (stats.nodes, stats.relationships) == (graph.number_of_nodes(), graph.number_of_edges())
    assert same(dump(driver), expected(graph))


# ---- the cookbook --------------------------------------------------------------------------------------

COOKBOOK_PARAMS = {
    "person": "张凯", "other": "王凯", "place": "阿拉山口市", "project": "准东开发区", "org": "阿拉山口市党委", "text": "山口",
    "reporter": "王凯",
}  # fmt: skip


def cookbook_queries() -> list[tuple[str, str, str]]:
    """(tag, comment, query) for each query of queries/cookbook.cypher."""
    queries, comment, lines = [], [], []
    for line in COOKBOOK.read_text(encoding="utf-8").splitlines():
        if line.startswith("//") and not lines:
            comment.append(line[2:].strip())
        elif not line.strip():
            comment = [] if not lines else comment
        else:
            lines.append(line)
            if line.rstrip().endswith(";"):
                tag, _, text = comment[0].partition(":")
                queries.append((tag, " ".join([text, *comment[1:]]), "\n".join(lines).rstrip()[:-1]))
                comment, lines = [], []
    return queries


def test_cookbook_has_ten_commented_queries():
    queries = cookbook_queries()
    assert len(queries) >= 10
    assert all(tag and comment.strip() for tag, comment, _ in queries)
    assert len({tag for tag, _, _ in queries}) == len(queries)


def cookbook_expectations(graph) -> dict:
    """The rows each cookbook query must return on `graph`, worked out in Python from docs/schema.md."""
    from collections import Counter

    p = COOKBOOK_PARAMS
    nodes = graph.nodes
    edges = [(a, b, k, d) for a, b, k, d in graph.edges(keys=True, data=True)]
    by_name = {d["name"]: n for n, d in nodes(data=True) if d["kind"] == "entity"}
    person, place, org = by_name[p["person"]], by_name[p["place"]], by_name[p["org"]]
    entities = [d for _, d in nodes(data=True) if d["kind"] == "entity"]
    labels = Counter(x for n, d in nodes(data=True) for x in filter(None, cypher.node_label(n, d)))
    co = [(b if a == person else a, d) for a, b, k, d in edges if k == "CO_OCCURS_WITH" and person in (a, b)]
    inside = {place}
    for _ in range(3):
        inside |= {a for a, b, k, _ in edges if k == "LOCATED_IN" and b in inside}
    mentioning = lambda e: {a for a, b, k, _ in edges if k == "MENTIONS" and b == e}  # noqa: E731
    return {
        "labels": sorted(({"label": k, "nodes": v} for k, v in labels.items()), key=lambda r: (-r["nodes"], r["label"])),
        "types": sorted(
            ({"type": k, "relationships": v} for k, v in Counter(k for *_, k, _ in edges).items()),
            key=lambda r: (-r["relationships"], r["type"]),
        ),
        "lookup": [{"id": place, "name": p["place"], "label": "PLACE", "mentions": nodes[place]["mentions"]}],
        "co-occurs": sorted(
            ({"name": nodes[o]["name"], "label": nodes[o]["label"], "weight": d["weight"], "npmi": d["npmi"]} for o, d in co),
            key=lambda r: (-r["weight"], r["name"]),
        )[:10],
        "projects": sorted(
            ({"project": d["name"], "mentions": d["mentions"]} for n, d in nodes(data=True)
             if d.get("label") == "PROJECT" and n in inside),
            key=lambda r: (-r["mentions"], r["project"]),
        ),  # fmt: skip
        "org-degree": sorted(
            ({"organization": d["name"], "degree": d["degree"], "mentions": d["mentions"]} for d in entities if d["label"] == "ORG"),
            key=lambda r: (-r["degree"], r["organization"]),
        )[:10],
        "both": [{"article": a, "title": nodes[a]["title"]} for a in sorted(mentioning(person) & mentioning(place))],
        "evidence": sorted(
            ({"other": nodes[o]["name"], "weight": d["weight"], "evidence": properties(d)["evidence"]} for o, d in co),
            key=lambda r: (-r["weight"], r["other"]),
        )[:10],
        "roles": sorted(
            ({"title": d["title"], "body": nodes[b]["name"], "label": nodes[b]["label"]} for a, b, k, d in edges
             if k == "HOLDS_ROLE" and a == person),
            key=lambda r: r["body"],
        ),  # fmt: skip
        "staff": sorted(
            ({"person": nodes[a]["name"], "title": d["title"]} for a, b, k, d in edges if k == "HOLDS_ROLE" and b == org),
            key=lambda r: r["person"],
        ),
        "central": sorted(
            ({"name": d["name"], "label": d["label"], "pagerank": d["pagerank"]} for d in entities),
            key=lambda r: (-r["pagerank"], r["name"]),
        )[:10],
        "named": [{"project": d["name"]} for d in sorted(entities, key=lambda d: d["name"])
                  if d["label"] == "PROJECT" and p["project"] in d["name"]],  # fmt: skip
        "sources": sorted(
            ({"source": nodes[a]["source"], "article": a, "mentions": d["count"]} for a, b, k, d in edges
             if k == "MENTIONS" and b == place),
            key=lambda r: (-r["mentions"], r["article"]),
        ),  # fmt: skip
        "visited": sorted(
            ({"person": nodes[a]["name"], "articles": len(d["articles"])} for a, b, k, d in edges if k == "VISITED" and b == place),
            key=lambda r: (-r["articles"], r["person"]),
        ),
        "aid": sorted(
            ({"aider": nodes[a]["name"], "aided": nodes[b]["name"], "articles": len(d["articles"])} for a, b, k, d in edges
             if k == "AIDS" and nodes[b]["label"] == "PLACE"),
            key=lambda r: (r["aider"], r["aided"]),
        ),  # fmt: skip
        "wrote": _written_about(graph, by_name[p["reporter"]]),
    }


def _written_about(graph, reporter: str) -> list[dict]:
    """The cookbook's `wrote` rows: entities of the reporter's articles by mentions summed over them."""
    from collections import Counter

    written = {b for a, b, k in graph.edges(keys=True) if k == "WROTE" and a == reporter}
    mentions, articles = Counter(), Counter()
    for a, b, k, d in graph.edges(keys=True, data=True):
        if k == "MENTIONS" and a in written:
            mentions[b] += d["count"]
            articles[b] += 1
    rows = [{"name": graph.nodes[e]["name"], "label": graph.nodes[e]["label"], "mentions": n, "articles": articles[e]}
            for e, n in mentions.items()]  # fmt: skip
    return sorted(rows, key=lambda r: (-r["mentions"], r["name"]))[:10]


@pytest.fixture(scope="module")
def cookbook_graph():
    """A generated graph where the cookbook's example names are related as in the seed pages."""
    graph = synthetic_graph(people=150)
    place = "PLACE:阿拉山口市"
    for person in ("PERSON:张凯", "PERSON:王凯"):
        article = graph.nodes[person]["articles"][0]
        graph.add_edge(article, place, key="MENTIONS", count=2)
        evidence = [{"text": f"{person[7:]}在阿拉山口市调研。", "article": article, "location": "seeds/000.txt:9:1"}]
        graph.add_edge(place, person, key="CO_OCCURS_WITH", weight=3, npmi=0.61, articles=[article], evidence=evidence)
        graph.add_edge(person, place, key="VISITED", articles=[article], evidence=evidence)
    # Relations read from the text (issue #18): a pair of aided places, and 王凯's articles.
    aider = next(n for n, d in graph.nodes(data=True) if d.get("label") == "PLACE" and n != place)
    graph.add_edge(aider, place, key="AIDS", articles=graph.nodes[aider]["articles"][:2], evidence=[])
    for article in graph.nodes["PERSON:王凯"]["articles"][:3]:
        graph.add_edge("PERSON:王凯", article, key="WROTE", role="记者", articles=[article.removeprefix("ARTICLE:")])
    return graph


@pytest.mark.parametrize("tag,comment,query", cookbook_queries(), ids=[q[0] for q in cookbook_queries()])
def test_cookbook_query_returns_the_expected_rows(tag, comment, query, cookbook_graph, bolt_uri, empty, driver):
    if "neo4j-only" in comment:
        pytest.skip("needs Neo4j itself (set NEO4J_URI); FalkorDB lacks it")
    push(cookbook_graph, bolt_uri)
    with driver.session() as session:
        rows = session.run(query, COOKBOOK_PARAMS).data()
    graph = cookbook_graph
    if tag == "path":  # several chains may be equally short: check the length and that it is a chain
        co = nx.Graph((a, b) for a, b, k in graph.edges(keys=True) if k == "CO_OCCURS_WITH")
        by_name = {d["name"]: n for n, d in graph.nodes(data=True)}
        hops = nx.shortest_path_length(co, by_name[COOKBOOK_PARAMS["person"]], by_name[COOKBOOK_PARAMS["other"]])
        assert hops <= 4, "pick two people closer together for this test"
        [row] = rows
        chain = [by_name[name] for name in row["chain"]]
        assert row["hops"] == hops == len(chain) - 1 and all(co.has_edge(a, b) for a, b in zip(chain, chain[1:]))
    elif tag == "communities":  # members of equal pagerank may come in either order
        communities = {}
        for _, data in graph.nodes(data=True):
            if data["kind"] == "entity":
                communities.setdefault(data["community"], []).append(data)
        assert [(r["community"], r["size"]) for r in rows] == sorted(
            ((c, len(m)) for c, m in communities.items()), key=lambda r: (-r[1], r[0])
        )[:10]
        for row in rows:
            top = sorted(communities[row["community"]], key=lambda d: -d["pagerank"])[:5]
            assert sorted(d["pagerank"] for d in top) == sorted(
                next(d["pagerank"] for d in top + communities[row["community"]] if d["name"] == name)
                for name in row["top_members"]
            )
    else:
        wanted = cookbook_expectations(graph)[tag]
        assert wanted, f"the test graph gives query {tag!r} nothing to find"
        assert same(rows, wanted)


# ---- Neo4j itself (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD); FalkorDB cannot show these ---------------

needs_neo4j = pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason="needs a Neo4j 5 server: set NEO4J_URI")


@pytest.fixture
def neo4j_target():
    """(uri, auth) of a real Neo4j; kg's nodes there are wiped by the test's push."""
    return os.environ["NEO4J_URI"], neo4j.auth_from(os.environ.get("NEO4J_USERNAME"), os.environ.get("NEO4J_PASSWORD"))


@needs_neo4j
def test_neo4j_gets_constraints_and_a_full_text_index(neo4j_target):
    import neo4j as driver_module

    uri, auth = neo4j_target
    graph = nasty_graph()
    stats = neo4j.push(graph, uri=uri, auth=auth, wipe=True)
    assert stats.server.startswith("Neo4j Kernel")
    with driver_module.GraphDatabase.driver(uri, auth=auth) as driver, driver.session() as session:
        constraints = {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name")}
        assert {"kg_entity_id", "kg_article_id"} <= constraints
        session.run("CALL db.awaitIndexes(60)").consume()
        found = [r["name"] for r in session.run(
            "CALL db.index.fulltext.queryNodes('kg_entity_names', '山口') YIELD node RETURN node.name AS name")]
        assert "阿拉山口市" in found
        names = {r["name"] for r in session.run("MATCH (n:Person) RETURN n.name AS name")}
    assert set(NASTY) <= names


@needs_neo4j
def test_neo4j_wrong_password_is_one_clear_line(neo4j_target):
    uri, _ = neo4j_target
    with pytest.raises(KgError, match="refused the credentials"):
        neo4j.push(synthetic_graph(people=1), uri=uri, auth=("neo4j", "not-the-password-" + "x" * 8))


@needs_neo4j
def test_neo4j_missing_database_is_one_clear_line(neo4j_target):
    uri, auth = neo4j_target
    with pytest.raises(KgError, match="database 'kg_no_such_db' does not exist"):
        neo4j.push(synthetic_graph(people=1), uri=uri, auth=auth, database="kg_no_such_db")
