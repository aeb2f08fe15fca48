"""The export stage's files, byte for byte where the format is fixed: neo4j-admin CSV with its
typed columns, aliases.tsv, entities.jsonl, and write_graph's choice of formats.

Each expected file is written out here from the format's rules (neo4j-admin's column types:
long, double, boolean, date, string and their arrays joined by ';'), not produced by kg.
"""

from __future__ import annotations

import json
import math
import stat

import pytest

import networkx as nx

from kg.errors import KgError
from kg.export import read_graph, write_aliases, write_graph, write_jsonl
from kg.export.cypher import import_command, literal, write_cypher_script, write_neo4j_admin

ZHANG = {
    "id": "PERSON:张凯", "kind": "entity", "label": "PERSON", "name": "张凯", "aliases": ["张总", "凯"],
    "mentions": 3, "pagerank": 0.25, "flag": True, "scores": [1, 2], "weights": [1, 2.5], "codes": ["a;b", "乙"],
    "roles": [{"title": "书记", "org": "党委"}],
}  # fmt: skip
WANG = {
    "id": "PERSON:王芳", "kind": "entity", "label": "PERSON", "name": "王芳", "aliases": [], "mentions": 1,
    "pagerank": 0.5, "flag": False, "scores": [], "weights": [], "codes": [],
}  # fmt: skip


def typed_graph() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_node(ZHANG["id"], **ZHANG)
    graph.add_node(WANG["id"], **WANG)
    graph.add_node("ARTICLE:a#0", id="ARTICLE:a#0", kind="article", name="甲", index=0, date="2024-07-23")
    graph.add_node("ARTICLE:a#1", id="ARTICLE:a#1", kind="article", name="乙", index=1, date="")
    graph.add_edge("ARTICLE:a#0", ZHANG["id"], key="MENTIONS", count=2)
    graph.add_edge(ZHANG["id"], WANG["id"], key="CO_OCCURS_WITH", weight=1, npmi=0.5, articles=["a#0"])
    return graph


def test_neo4j_admin_columns_are_typed_by_their_values(tmp_path, capsys):
    written = write_neo4j_admin(typed_graph(), tmp_path)
    assert [path.name for path in written] == [
        "article_nodes.csv", "entity_nodes.csv", "co_occurs_with_relationships.csv", "mentions_relationships.csv",
        "import.sh",
    ]  # fmt: skip  (relationships in the order the graph holds them: 张凯's edge first)
    assert b"\r" not in (tmp_path / "entity_nodes.csv").read_bytes()
    assert (tmp_path / "entity_nodes.csv").read_text("utf-8").splitlines() == [
        "id:ID,:LABEL,aliases:string[],codes:string,flag:boolean,kind:string,label:string,mentions:long,name:string,"
        "pagerank:double,roles:string,scores:long[],weights:double[]",
        'PERSON:张凯,Entity;KgNode;Person,张总;凯,"[""a;b"", ""乙""]",true,entity,PERSON,3,张凯,0.25,'
        '"[{""org"": ""党委"", ""title"": ""书记""}]",1;2,1;2.5',
        "PERSON:王芳,Entity;KgNode;Person,,[],false,entity,PERSON,1,王芳,0.5,,,",
    ]
    # An undated article has no date at all, not an empty one.
    assert (tmp_path / "article_nodes.csv").read_text("utf-8").splitlines() == [
        "id:ID,:LABEL,date:date,index:long,kind:string,name:string",
        "ARTICLE:a#0,Article;KgNode,2024-07-23,0,article,甲",
        "ARTICLE:a#1,Article;KgNode,,1,article,乙",
    ]
    assert (tmp_path / "co_occurs_with_relationships.csv").read_text("utf-8").splitlines() == [
        ":START_ID,:END_ID,:TYPE,articles:string[],npmi:double,weight:long",
        "PERSON:张凯,PERSON:王芳,CO_OCCURS_WITH,a#0,0.5,1",
    ]
    script = (tmp_path / "import.sh").read_text("utf-8").splitlines()
    assert script[-1] == (
        "neo4j-admin database import full '--array-delimiter=;' --multiline-fields=true --overwrite-destination=true "
        "--nodes=article_nodes.csv --nodes=entity_nodes.csv --relationships=co_occurs_with_relationships.csv "
        "--relationships=mentions_relationships.csv neo4j"
    )
    assert script[:3] == [
        "#!/bin/sh", "# Stop Neo4j first: this replaces the whole database named at the end.", 'cd "$(dirname "$0")" || exit 1'
    ]  # fmt: skip
    assert stat.S_IMODE((tmp_path / "import.sh").stat().st_mode) == 0o755
    assert capsys.readouterr().err == f"kg export: import with: (cd {tmp_path} && {script[-1]})\n"


def test_neo4j_admin_types_of_columns_with_mixed_values(tmp_path):
    graph = nx.MultiDiGraph()
    for number, value in enumerate([1, 2.5]):
        graph.add_node(f"PLACE:{number}", kind="entity", label="PLACE", size=value, tags=[number, 0.5], flags=[True])
    write_neo4j_admin(graph, tmp_path)
    header, first, second = (tmp_path / "entity_nodes.csv").read_text("utf-8").splitlines()
    # ints and floats: double; a list of booleans is neither numbers nor strings, so JSON text
    assert header == "id:ID,:LABEL,flags:string,kind:string,label:string,size:double,tags:double[]"
    assert first.endswith(",[true],entity,PLACE,1,0;0.5") and second.endswith(",[true],entity,PLACE,2.5,1;0.5")
    assert import_command(["n.csv"], [], database="kg") == (
        "neo4j-admin database import full '--array-delimiter=;' --multiline-fields=true --overwrite-destination=true "
        "--nodes=n.csv kg"
    )


def test_write_graph_writes_each_format_once(tmp_path):
    written = write_graph(typed_graph(), tmp_path, formats=["json", "gexf", "json", "graphml"])
    assert written == [tmp_path / "graph.json", tmp_path / "graph.gexf", tmp_path / "graph.graphml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.gexf", "graph.graphml", "graph.json"]
    assert set(json.loads((tmp_path / "graph.json").read_text("utf-8"))) >= {"nodes", "edges"}
    cypher = write_graph(typed_graph(), tmp_path / "c", formats=["cypher", "neo4j-admin"])
    assert [p.name for p in cypher] == ["graph.cypher", "article_nodes.csv", "entity_nodes.csv",
                                        "co_occurs_with_relationships.csv", "mentions_relationships.csv", "import.sh"]  # fmt: skip


def test_aliases_tsv_has_a_header_and_one_row_per_alias(tmp_path):
    rows = [("准东", "PLACE", "新疆准东经济技术开发区", "declared", 2), ("博州", "PLACE", "博尔塔拉蒙古自治州", "gazetteer", 1)]
    path = write_aliases(rows, tmp_path / "aliases.tsv")
    assert path == tmp_path / "aliases.tsv"
    assert path.read_bytes().decode() == (
        "alias\tlabel\tcanonical\tbasis\tarticles\n"
        "准东\tPLACE\t新疆准东经济技术开发区\tdeclared\t2\n"
        "博州\tPLACE\t博尔塔拉蒙古自治州\tgazetteer\t1\n"
    )


def test_jsonl_is_one_record_a_line_in_plain_utf8(tmp_path):
    records = [{"source": "甲.txt", "article": 0}, {"source": "乙.txt", "article": 1}]
    path = write_jsonl(tmp_path / "entities.jsonl", iter(records))
    assert path == tmp_path / "entities.jsonl"
    assert path.read_bytes() == '{"source": "甲.txt", "article": 0}\n{"source": "乙.txt", "article": 1}\n'.encode()


def test_graph_files_keep_chinese_as_text_and_structures_as_json(tmp_path):
    graph = typed_graph()
    graph.nodes[WANG["id"]].update(a_note="[draft", years={"2024": 1})  # not JSON, then a dict
    json_path, graphml_path = write_graph(graph, tmp_path, formats=["json", "graphml"])
    for path in (json_path, graphml_path):
        assert "张总" in path.read_text("utf-8")  # not \u5f20\u603b
        again = read_graph(path)
        assert again.nodes[WANG["id"]]["years"] == {"2024": 1} and again.nodes[WANG["id"]]["a_note"] == "[draft"
        assert again.nodes[ZHANG["id"]]["roles"] == ZHANG["roles"]


def test_cypher_literals_by_hand():
    assert [literal(v) for v in (None, True, False, 3, 0.25)] == ["null", "true", "false", "3", "0.25"]
    assert [literal(v) for v in (math.nan, math.inf, -math.inf)] == ["(0.0/0.0)", "(1.0/0.0)", "(-1.0/0.0)"]
    assert literal("it's\\ a\n\x01张") == "'it\\'s\\\\ a\\n\\u0001张'"
    assert literal({"a`b": [1, "x"]}) == "{`a``b`: [1, 'x']}"
    with pytest.raises(KgError, match=r"^cannot write a set as a Cypher value: \{1\}$"):
        literal({1})


def test_cypher_script_statements_hold_as_many_rows_as_fit(tmp_path):
    graph = nx.MultiDiGraph()
    for number in range(10, 20):
        graph.add_node(f"ARTICLE:a#{number}", kind="article")
    row = len("{`id`: 'ARTICLE:a#10', `props`: {`kind`: 'article'}}")  # every row's literal is this long
    # Three rows and their ", " separators: 3 * row + 4 bytes; a fourth would not fit.
    script = write_cypher_script(graph, tmp_path / "graph.cypher", max_statement_bytes=3 * row + 4)
    lines = script.read_text("utf-8").splitlines()
    assert lines[0] == "// kg graph: 10 nodes, 0 relationships."
    assert lines[1] == "// cypher-shell -u neo4j -p PASSWORD -f graph.cypher   (Neo4j 5; the schema lines need Neo4j)"
    merges = [line for line in lines if line.startswith("UNWIND")]
    assert [line.count("'ARTICLE:a#") for line in merges] == [3, 3, 3, 1]
    assert all(line.endswith(";") for line in merges)
