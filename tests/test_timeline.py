"""Time in the graph and every view of it: first and last seen on entities and relationships, an
undated corpus unchanged, `KnowledgeGraph.timeline`, the exports and Neo4j (FalkorDB standing
in), the cookbook's time queries, and the notebook's timeline section.

The corpus is four JSONL records read by kg's reader (so their dates take the real path) and
tagged by hand: the names below, found by string search, stand in for the NER, so that what is
checked is the graph's dates, worked out by hand from the records:

  r1 2023-03-05  阿拉山口市与博乐市签署口岸合作协议。
  r2 2024-07-23  阿拉山口市党委书记张凯在博乐市调研。阿拉山口市与博乐市共建物流园。   (date as 2024年7月23日)
  r3 2025-01-10  张凯在精河县调研。阿拉山口市口岸货运量增长。
  r4 undated     博乐市与精河县、温泉县开展合作。
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import matplotlib
import nbformat
import networkx as nx
import pytest
from bolt_server import MAX_REQUEST_BYTES, falkordb_server
from nbclient import NotebookClient

import kg
from kg.corpus import read_file
from kg.document import Mention
from kg.export import cypher, neo4j, read_graph, write_graph
from kg.graph import build_graph

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
RECORDS = [
    {"id": "r1", "date": "2023-03-05", "text": "阿拉山口市与博乐市签署口岸合作协议。"},
    {"id": "r2", "date": "2024年7月23日", "text": "阿拉山口市党委书记张凯在博乐市调研。阿拉山口市与博乐市共建物流园。"},
    {"id": "r3", "date": "2025-01-10", "text": "张凯在精河县调研。阿拉山口市口岸货运量增长。"},
    {"id": "r4", "text": "博乐市与精河县、温泉县开展合作。"},
]
NAMES = {"阿拉山口市党委": "ORG", "阿拉山口市": "PLACE", "博乐市": "PLACE", "精河县": "PLACE", "温泉县": "PLACE", "张凯": "PERSON"}
SEEN_KEYS = ("first_seen", "last_seen", "years")

# By hand, from the records: (first_seen, last_seen, years) or None when no article behind it is dated.
NODES = {
    "PLACE:阿拉山口市": ("2023-03-05", "2025-01-10", {"2023": 1, "2024": 1, "2025": 1}),
    "PLACE:博乐市": ("2023-03-05", "2024-07-23", {"2023": 1, "2024": 1}),  # and r4, undated
    "PLACE:精河县": ("2025-01-10", "2025-01-10", {"2025": 1}),
    "PLACE:温泉县": None,
    "ORG:阿拉山口市党委": ("2024-07-23", "2024-07-23", {"2024": 1}),
    "PERSON:张凯": ("2024-07-23", "2025-01-10", {"2024": 1, "2025": 1}),
}
CO_OCCURS = {  # sentence windows
    ("PLACE:博乐市", "PLACE:阿拉山口市"): ("2023-03-05", "2024-07-23", {"2023": 1, "2024": 1}),
    ("ORG:阿拉山口市党委", "PERSON:张凯"): ("2024-07-23", "2024-07-23", {"2024": 1}),
    ("ORG:阿拉山口市党委", "PLACE:博乐市"): ("2024-07-23", "2024-07-23", {"2024": 1}),
    ("PERSON:张凯", "PLACE:博乐市"): ("2024-07-23", "2024-07-23", {"2024": 1}),
    ("PERSON:张凯", "PLACE:精河县"): ("2025-01-10", "2025-01-10", {"2025": 1}),
    ("PLACE:博乐市", "PLACE:精河县"): None,
    ("PLACE:博乐市", "PLACE:温泉县"): None,
    ("PLACE:温泉县", "PLACE:精河县"): None,
}


def tag_by_hand(article) -> None:
    """Mentions of NAMES, longest first, never overlapping; 张凯 after 阿拉山口市党委书记 holds that title."""
    taken: set[int] = set()
    for name in sorted(NAMES, key=len, reverse=True):
        start = article.text.find(name)
        while start >= 0:
            if not taken & set(range(start, start + len(name))):
                taken |= set(range(start, start + len(name)))
                titled = name == "张凯" and article.text[:start].endswith("阿拉山口市党委书记")
                article.mentions.append(Mention(
                    name, NAMES[name], start, start + len(name), article.sentence_index(start),
                    role="党委书记" if titled else None, role_org="阿拉山口市党委" if titled else None,
                ))  # fmt: skip
            start = article.text.find(name, start + 1)
    article.mentions.sort(key=lambda mention: mention.start)


def corpus(tmp_path: Path, records=RECORDS) -> list:
    path = tmp_path / "news.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    articles = read_file(str(path))
    for article in articles:
        tag_by_hand(article)
    return articles


@pytest.fixture
def dated(tmp_path) -> nx.MultiDiGraph:
    return build_graph(corpus(tmp_path))


def seen(data: dict):
    return tuple(data[key] for key in SEEN_KEYS) if "first_seen" in data else None


def test_first_and_last_seen_on_entities_and_co_occurrences_worked_by_hand(dated):
    assert {node: seen(data) for node, data in dated.nodes(data=True) if data["kind"] == "entity"} == NODES
    co = {(u, v): seen(d) for u, v, k, d in dated.edges(keys=True, data=True) if k == "CO_OCCURS_WITH"}
    assert co == CO_OCCURS
    articles = {data["name"][-2:]: data["date"] for _, data in dated.nodes(data=True) if data["kind"] == "article"}
    assert articles == {"r1": "2023-03-05", "r2": "2024-07-23", "r3": "2025-01-10", "r4": ""}


def test_a_role_is_seen_in_the_articles_stating_it(dated):
    [(person, body, data)] = [(u, v, d) for u, v, k, d in dated.edges(keys=True, data=True) if k == "HOLDS_ROLE"]
    assert (person, body, data["title"], seen(data)) == ("PERSON:张凯", "ORG:阿拉山口市党委", "党委书记", NODES["ORG:阿拉山口市党委"])


def test_an_undated_corpus_gives_the_graph_it_always_gave(tmp_path, dated):
    # The same records without their dates, at the same path (the fixture's file is overwritten).
    undated = build_graph(corpus(tmp_path, [{"id": r["id"], "text": r["text"]} for r in RECORDS]))
    assert not any(set(SEEN_KEYS) & set(d) for *_, d in [*undated.nodes(data=True), *undated.edges(data=True)])
    # The dated graph is the undated one plus the time attributes, and nothing else differs.
    for *_, data in [*dated.nodes(data=True), *dated.edges(data=True)]:
        for key in SEEN_KEYS:
            data.pop(key, None)
        if data.get("kind") == "article":
            data["date"] = ""
    assert nx.node_link_data(undated, edges="edges") == nx.node_link_data(dated, edges="edges")


# ---- the notebook's view ---------------------------------------------------------------------------------


def test_timeline_counts_mentions_per_month_from_first_to_last(dated):
    table = kg.load(dated).timeline("阿拉山口市")
    # 23 months from 2023-03 to 2025-01; one mention in each of r1, r2 (its second sentence: the
    # first names 阿拉山口市党委) and r3.
    assert [str(month) for month in table.index] == [f"{y}-{m:02d}" for y in (2023, 2024, 2025) for m in range(1, 13)][2:25]
    assert table[table["mentions"] > 0].to_dict("index") == {
        period: {"mentions": 1, "articles": 1} for period in table.index if str(period) in ("2023-03", "2024-07", "2025-01")
    }
    assert table.plot().get_lines()  # draws


def test_timeline_of_an_entity_seen_only_undated_is_empty(dated):
    assert kg.load(dated).timeline("温泉县").empty


# ---- exports and Neo4j ---------------------------------------------------------------------------------


def test_json_and_graphml_keep_the_time_attributes(tmp_path, dated):
    write_graph(dated, tmp_path, formats=["json", "graphml"])
    for path in (tmp_path / "graph.json", tmp_path / "graph.graphml"):
        graph = read_graph(path)
        assert {n: seen(d) for n, d in graph.nodes(data=True) if d["kind"] == "entity"} == NODES, path


def test_neo4j_admin_csv_types_dates_as_dates(tmp_path, dated):
    cypher.write_neo4j_admin(dated, tmp_path)
    with open(tmp_path / "entity_nodes.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {"first_seen:date", "last_seen:date"} <= set(rows[0])
    assert {row["id:ID"]: row["first_seen:date"] for row in rows} == {n: s[0] if s else "" for n, s in NODES.items()}
    with open(tmp_path / "article_nodes.csv", encoding="utf-8", newline="") as handle:
        assert sorted(row["date:date"] for row in csv.DictReader(handle)) == ["", "2023-03-05", "2024-07-23", "2025-01-10"]


@pytest.fixture(scope="module")
def bolt():
    """A FalkorDB server and a driver on it, emptied before each use."""
    import neo4j as driver_module

    with falkordb_server() as uri, driver_module.GraphDatabase.driver(uri, auth=None) as driver:
        yield uri, driver


def emptied(driver):
    with driver.session() as session:
        session.run("MATCH (n) DETACH DELETE n").consume()
    return driver.session()


def test_push_to_falkordb_keeps_dates_as_iso_strings(bolt, dated):
    # FalkorDB dies sending a date value back over Bolt, so the push keeps strings there.
    uri, driver = bolt
    with emptied(driver) as session:
        neo4j.push(dated, uri=uri, max_request_bytes=MAX_REQUEST_BYTES)
        first = dict(session.run("MATCH (e:Entity) RETURN e.id, e.first_seen").values())
        years = dict(session.run("MATCH (e:Entity) WHERE e.years IS NOT NULL RETURN e.id, e.years").values())
        began = session.run("MATCH ()-[r:CO_OCCURS_WITH]->() WHERE r.first_seen >= '2024-01-01' RETURN count(r)").single()[0]
        undated = [row[0].rsplit("#", 1)[1] for row in session.run("MATCH (a:Article) WHERE a.date IS NULL RETURN a.id")]
    assert first == {n: s[0] if s else None for n, s in NODES.items()}
    assert {n: json.loads(y) for n, y in years.items()} == {n: s[2] for n, s in NODES.items() if s}
    assert began == sum(1 for s in CO_OCCURS.values() if s and s[0] >= "2024-01-01")
    assert undated == ["r4"]  # an undated article has no `date` there, not ""


def scripted(bolt, graph, tmp_path):
    """A session on the emptied server holding `graph` as the Cypher script writes it (the schema
    lines, Neo4j's own, left out): with date values, as Neo4j gets them from a push too."""
    _, driver = bolt
    script = cypher.write_cypher_script(graph, tmp_path / "graph.cypher", max_statement_bytes=MAX_REQUEST_BYTES - 600)
    session = emptied(driver)
    for line in script.read_text(encoding="utf-8").splitlines()[2 + len(cypher.NEO4J_SCHEMA) :]:
        session.run(line.rstrip(";")).consume()
    return session


def test_cypher_script_makes_date_values_that_compare_with_date(bolt, dated, tmp_path):
    # Read back as text: FalkorDB cannot send dates.
    with scripted(bolt, dated, tmp_path) as session:
        after = session.run("MATCH (a:Article) WHERE a.date >= date('2024-01-01') RETURN toString(a.date), a.date.year").values()
        first = dict(session.run("MATCH (e:Entity) RETURN e.id, toString(e.first_seen)").values())
        as_string = session.run("MATCH (e:Entity) WHERE e.first_seen >= '2000-01-01' RETURN count(e)").single()[0]
    assert sorted(after) == [["2024-07-23", 2024], ["2025-01-10", 2025]]
    assert first == {n: s[0] if s else None for n, s in NODES.items()}
    assert as_string == 0  # dates, not strings: no date is >= a string


def cookbook(tag: str) -> str:
    text = (ROOT / "queries" / "cookbook.cypher").read_text(encoding="utf-8")
    block = text[text.index(f"// {tag}:") :]
    return "\n".join(line for line in block.splitlines() if not line.startswith("//")).split(";")[0]


def test_cookbook_time_queries_on_date_values(bolt, dated, tmp_path):
    with scripted(bolt, dated, tmp_path) as session:
        params = {"place": "阿拉山口市", "since": "2024-07-01"}
        timeline = session.run(cookbook("timeline"), params).data()
        new = session.run(cookbook("new-per-month"), params).data()
        began = session.run(cookbook("began-after"), params).data()
    assert timeline == [
        {"year": 2023, "month": 3, "mentions": 1, "articles": 1},
        {"year": 2024, "month": 7, "mentions": 1, "articles": 1},
        {"year": 2025, "month": 1, "mentions": 1, "articles": 1},
    ]
    assert new == [  # 阿拉山口市, 博乐市 in 2023-03; 阿拉山口市党委, 张凯 in 2024-07; 精河县 in 2025-01
        {"year": 2023, "month": 3, "label": "PLACE", "new_entities": 2},
        {"year": 2024, "month": 7, "label": "ORG", "new_entities": 1},
        {"year": 2024, "month": 7, "label": "PERSON", "new_entities": 1},
        {"year": 2025, "month": 1, "label": "PLACE", "new_entities": 1},
    ]
    # Each pair as stored (from the smaller id), in the query's order: first seen, then names.
    wanted = [
        ("2024-07-23", "阿拉山口市党委", "张凯"),
        ("2024-07-23", "阿拉山口市党委", "博乐市"),
        ("2024-07-23", "张凯", "博乐市"),
        ("2025-01-10", "张凯", "精河县"),
    ]
    assert [(r["first_seen"], r["name"], r["other"], r["last_seen"]) for r in began] == [(*w, w[0]) for w in sorted(wanted)]


# ---- the notebook --------------------------------------------------------------------------------------


def test_notebook_timeline_section_runs(monkeypatch):
    """The notebook's first cell (imports) and its "Through time" section, run on a kernel."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    start = next(i for i, c in enumerate(notebook.cells) if c.cell_type == "markdown" and c.source.startswith("## Through time"))
    end = next((i for i in range(start + 1, len(notebook.cells)) if notebook.cells[i].source.startswith("## ")), len(notebook.cells))
    first_code = next(c for c in notebook.cells if c.cell_type == "code")
    notebook.cells = [first_code, *notebook.cells[start:end]]
    monkeypatch.setenv("JUPYTER_PATH", str(Path(sys.prefix) / "share" / "jupyter"))
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    NotebookClient(notebook, kernel_name="python3", timeout=900, resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [o for c in notebook.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the timeline's plot
    printed = "".join(o.text for o in outputs if o.output_type == "stream")
    assert "dated articles: 25 of 27, 2023-11-23 to 2025-07-23" in printed
