"""graph.html without a browser: the data the page embeds (the <script id="kg-data"> JSON that
vis-network draws) and its header, read back from the written file. Each graph is written
out in its test and every expected value is worked by hand in the comments; what only a
browser shows (drawing, filters, search, tooltips on hover) is in test_viewer.py."""

from __future__ import annotations

import json
import math

import lxml.html
import networkx as nx
import pytest

from kg.errors import KgError
from kg.export.viewer import LABEL_STYLE, RELATION_STYLE, write_viewer


def read_page(path) -> tuple[dict, lxml.html.HtmlElement]:
    """The page's embedded data and its parsed HTML."""
    tree = lxml.html.fromstring(path.read_text("utf-8"))
    return json.loads(tree.get_element_by_id("kg-data").text), tree


def text_of(tree, element_id: str) -> str | None:
    """An element's text with its white space collapsed, None when the page has no such element."""
    found = tree.xpath(f'//*[@id="{element_id}"]')
    return " ".join(found[0].text_content().split()) if found else None


def co_occurrences(data) -> set[tuple[str, str]]:
    return {(e["from"], e["to"]) for e in data["edges"] if e["info"]["type"] == "CO_OCCURS_WITH"}


def entity(graph, node: str, **attrs) -> None:
    label, name = node.split(":", 1)
    graph.add_node(node, **{"id": node, "kind": "entity", "label": label, "name": name, "aliases": [], **attrs})


def co_occur(graph, a: str, b: str, **attrs) -> None:
    graph.add_edge(*sorted((a, b)), key="CO_OCCURS_WITH", **attrs)  # stored once, from the smaller id


def hub_graph() -> nx.MultiDiGraph:
    """A hub A whose eight co-occurrences rank, strongest first (most sentences, then highest
    NPMI, NaN counting as 0 and no NPMI as lowest, then the other end's id):
    B (3 sentences), C (2, NPMI 0.9), D (2, 0.5), G (2, 0.5; D < G), H (2, NaN), I (2, -0.1),
    E (2, none), F (weight not given: 1, NPMI 0.99).
    B..I are a clique of 7 edges each, all of weight 10 and NPMI 0.5, so for up to 7 edges a
    node they keep their clique edges and A's edges are A's choice alone. The hub's edges are
    added weakest first (and G before D), so an order taken from insertion would show.
    B also holds a role at C (a second edge between one pair, not a co-occurrence). The leaves
    are added last id first, so that a tie taken in the graph's order (rather than by the
    other end's id) would show."""
    graph = nx.MultiDiGraph(sources=1, articles=1)
    leaves = "BCDEFGHI"
    for node in "A" + leaves[::-1]:
        entity(graph, f"PERSON:{node}", pagerank=0.1)
    hub = [("F", None, 0.99), ("E", 2, None), ("G", 2, 0.5), ("D", 2, 0.5), ("H", 2, math.nan), ("I", 2, -0.1),
           ("C", 2, 0.9), ("B", 3, 0.1)]  # fmt: skip
    for leaf, weight, npmi in hub:
        co_occur(graph, "PERSON:A", f"PERSON:{leaf}", npmi=npmi, **({} if weight is None else {"weight": weight}))
    for i, u in enumerate(leaves):
        for v in leaves[i + 1 :]:
            co_occur(graph, f"PERSON:{u}", f"PERSON:{v}", weight=10, npmi=0.5)
    graph.add_edge("PERSON:B", "PERSON:C", key="HOLDS_ROLE", title="主任")
    return graph


HUB_ORDER = ["B", "C", "D", "G", "H", "I", "E", "F"]


def test_each_entity_keeps_its_strongest_co_occurrences(tmp_path):
    graph = hub_graph()
    for per_node in range(1, 8):
        data, _ = read_page(write_viewer(graph, tmp_path / "graph.html", max_nodes=None, max_edges_per_node=per_node))
        drawn = co_occurrences(data)
        assert {v for u, v in drawn if u == "PERSON:A"} == {f"PERSON:{leaf}" for leaf in HUB_ORDER[:per_node]}
        # The role is drawn whatever the cap, beside the co-occurrence of the same pair.
        assert [(e["from"], e["to"]) for e in data["edges"] if e["info"]["type"] == "HOLDS_ROLE"] == [("PERSON:B", "PERSON:C")]
    # One edge a node: in the clique every leaf's ties weigh the same, so each keeps the one to
    # the smallest other id: B-C for B, B-x for every other x; A keeps A-B.
    data, _ = read_page(write_viewer(graph, tmp_path / "graph.html", max_nodes=None, max_edges_per_node=1))
    assert co_occurrences(data) == {("PERSON:A", "PERSON:B"), *(("PERSON:B", f"PERSON:{x}") for x in "CDEFGHI")}
    # Eight a node: every edge (A has 8, each leaf 7 + 1), as with no cap.
    for per_node in (8, None):
        data, _ = read_page(write_viewer(graph, tmp_path / "graph.html", max_nodes=None, max_edges_per_node=per_node))
        assert len(co_occurrences(data)) == 8 + 28


def test_by_default_500_entities_and_5_co_occurrences_each_are_drawn(tmp_path):
    # docs/viewer.md: "the 500 top entities by pagerank and ... each entity's 5 strongest".
    # The hub graph's nine (PageRank 0.1) and 492 more with none: the last of those, by id, is left out.
    graph = hub_graph()
    for i in range(492):
        entity(graph, f"PERSON:Z{i:03d}", pagerank=0.0)
    data, _ = read_page(write_viewer(graph, tmp_path / "graph.html"))
    assert len(data["nodes"]) == 500 and data["nodes"][-1]["id"] == "PERSON:Z490"
    assert {v for u, v in co_occurrences(data) if u == "PERSON:A"} == {f"PERSON:{leaf}" for leaf in HUB_ORDER[:5]}


def ranked_graph() -> nx.MultiDiGraph:
    """Seven entities ranked by PageRank, or by degree where there is no PageRank:
    P4 (degree 3), P1 (0.5), P6 (0.2), P7 (0.2, after P6 by id), then P2 (infinite: 0), P3 (NaN: 0),
    P5 (neither: 0), in id order. An article with a higher PageRank is no entity.
    Co-occurrences P4-P1 (5 sentences), P4-P6 (4), P4-P7 (3), P1-P6 (1), P2-P3 (2): P4 has the
    most, 3; a role P5 -> P1; the article mentions all seven."""
    graph = nx.MultiDiGraph(sources=2, articles=1)
    graph.add_node("ARTICLE:p.txt#1", kind="article", title="头版", pagerank=9.0)
    ranks = {"P1": {"pagerank": 0.5}, "P2": {"pagerank": math.inf}, "P3": {"pagerank": math.nan}, "P4": {"degree": 3},
             "P5": {}, "P6": {"pagerank": 0.2}, "P7": {"pagerank": 0.2}}  # fmt: skip
    for node, rank in ranks.items():
        entity(graph, f"ORG:{node}", **rank)
        graph.add_edge("ARTICLE:p.txt#1", f"ORG:{node}", key="MENTIONS", count=1)
    for u, v, weight in (("P4", "P1", 5), ("P4", "P6", 4), ("P4", "P7", 3), ("P1", "P6", 1), ("P2", "P3", 2)):
        co_occur(graph, f"ORG:{u}", f"ORG:{v}", weight=weight, npmi=0.5)
    graph.add_edge("ORG:P5", "ORG:P1", key="HOLDS_ROLE", title="主任")
    return graph


RANKED = [("ORG:P4", 3.0), ("ORG:P1", 0.5), ("ORG:P6", 0.2), ("ORG:P7", 0.2), ("ORG:P2", 0.0), ("ORG:P3", 0.0), ("ORG:P5", 0.0)]


def test_the_entities_with_the_highest_pagerank_are_kept(tmp_path):
    graph = ranked_graph()
    for max_nodes in (*range(8), None):
        data, _ = read_page(write_viewer(graph, tmp_path / "graph.html", max_nodes=max_nodes, max_edges_per_node=None))
        assert [(n["id"], n["value"]) for n in data["nodes"]] == RANKED[:max_nodes]


def test_the_page_says_what_the_caps_left_out(tmp_path):
    graph = ranked_graph()
    entities_edges = 5 + 1  # the co-occurrences and the role; the article's MENTIONS are no entity edges
    cases = {
        # P4, P1, P6 shown: 3 edges among them, all drawn; 4 entities and 6 - 3 edges left out.
        (3, None): "Showing the 3 entities with the highest PageRank; 4 more entities and 3 edges are left out. "
        "To draw them all: kg view {dir} --max-nodes 7",
        # One a node among P4, P1, P6: P4 and P1 keep P4-P1 (5), P6 keeps P4-P6 (4); P1-P6 capped.
        (3, 1): "Showing the 3 entities with the highest PageRank, each with its 1 strongest co-occurrences (most "
        "sentences together, then highest NPMI); 4 more entities and 4 edges are left out, 1 of them between entities "
        "shown. To draw them all: kg view {dir} --max-nodes 7 --max-edges-per-node 3",
        # All shown, one a node: P1-P6 is the only co-occurrence that is no end's strongest.
        (None, 1): "Showing all 7 entities, each with its 1 strongest co-occurrences (most sentences together, then "
        "highest NPMI); 1 edges are left out. To draw them all: kg view {dir} --max-nodes 7 --max-edges-per-node 3",
        (7, 1): "Showing all 7 entities, each with its 1 strongest co-occurrences (most sentences together, then "
        "highest NPMI); 1 edges are left out. To draw them all: kg view {dir} --max-nodes 7 --max-edges-per-node 3",
        # Two a node keep every edge (P1 and P6 have two each): a cap that leaves nothing out is not told.
        (None, 2): None,
        (7, None): None,
    }
    for (max_nodes, per_node), told in cases.items():
        path = write_viewer(graph, tmp_path / "graph.html", max_nodes=max_nodes, max_edges_per_node=per_node)
        data, tree = read_page(path)
        assert text_of(tree, "omitted") == (told and told.format(dir=tmp_path))
        assert text_of(tree, "corpus") == f"2 sources · 1 article · 7 entities (7 ORG) · {entities_edges} edges"


def test_the_header_counts_the_corpus_labels_and_relations(tmp_path):
    # Two people, a project, three labels kg does not know (listed after the four, in name
    # order) and a PLACE-less, ORG-less corpus; the relations present between entities get a
    # legend box: HOLDS_ROLE and AIDS, not VISITED (its end is no entity) nor LOCATED_IN (none).
    graph = nx.MultiDiGraph(sources=1, articles=4)
    for node in ("PERSON:甲", "PERSON:乙", "PROJECT:丙", "MISC:丁", "FAC:戊", "EVENT:己"):
        entity(graph, node)
    graph.add_node("ARTICLE:p.txt#1", kind="article")
    graph.add_edge("ARTICLE:p.txt#1", "PERSON:甲", key="MENTIONS", count=2)
    graph.add_edge("PERSON:甲", "PROJECT:丙", key="AIDS")
    graph.add_edge("PERSON:甲", "PERSON:乙", key="HOLDS_ROLE", title="书记")
    graph.add_edge("PERSON:乙", "ARTICLE:p.txt#1", key="VISITED")
    co_occur(graph, "PERSON:甲", "MISC:丁", weight=1)
    data, tree = read_page(write_viewer(graph, tmp_path / "graph.html"))
    corpus = "1 source · 4 articles · 6 entities (2 PERSON, 1 PROJECT, 1 EVENT, 1 FAC, 1 MISC) · 3 edges"
    assert text_of(tree, "corpus") == corpus and tree.findtext(".//title") == f"kg graph · {corpus}"
    legend = [(box.get("value"), box.getparent().get("title")) for box in tree.xpath('//*[@id="legend"]//input')]
    assert legend == [("PERSON", "人物"), ("PROJECT", "项目"), ("EVENT", "其他"), ("FAC", "其他"), ("MISC", "其他")]
    assert [box.get("value") for box in tree.xpath('//*[@id="relations"]//input')] == ["HOLDS_ROLE", "AIDS"]
    assert tree.xpath('//*[@id="dates"]') == []  # nobody was seen on a date
    # A graph with no figures says 0 of each and draws no legend.
    data, tree = read_page(write_viewer(nx.MultiDiGraph(), tmp_path / "empty.html"))
    assert text_of(tree, "corpus") == "0 sources · 0 articles · 0 entities · 0 edges"
    assert data["nodes"] == data["edges"] == [] and tree.xpath('//*[@id="relations"]') == []


def test_the_date_range_spans_the_months_entities_were_seen(tmp_path):
    graph = nx.MultiDiGraph()
    entity(graph, "PLACE:甲", first_seen="2023-05-02", last_seen="2024-01-09")
    entity(graph, "PLACE:乙", first_seen="2022-11-30", last_seen="2023-06-01")
    entity(graph, "PLACE:丙")
    _, tree = read_page(write_viewer(graph, tmp_path / "graph.html"))
    boxes = [(box.get("min"), box.get("max"), box.get("value")) for box in tree.xpath('//*[@id="dates"]//input')]
    assert boxes == [("2022-11", "2024-01", "2022-11"), ("2022-11", "2024-01", "2024-01")]


def test_nodes_carry_their_style_and_tooltip(tmp_path):
    graph = nx.MultiDiGraph()
    articles = {"p.txt#1": ("一版", "2024-03-05", 1), "p.txt#2": ("", "2024-03-20", 5), "p.txt#3": ("三版", "2023-12-01", 3),
                "p.txt#4": ("四版", "", 3), "p.txt#5": ("五版", None, None)}  # fmt: skip
    for article, (title, day, _) in articles.items():
        graph.add_node(f"ARTICLE:{article}", kind="article", title=title, **({} if day is None else {"date": day}))
    roles = [{"org": "县委", "title": "书记"}, {"org": "县委", "title": "书记"}, {"title": "市长"}, {"org": "政协"}]
    entity(graph, "PERSON:王建国", aliases=["王书记"], mentions=12, roles=roles, articles=list(articles), pagerank=0.25,
           first_seen="2023-12-01", last_seen="2024-03-20")  # fmt: skip
    for article, (_, _, count) in articles.items():
        if count is not None:
            graph.add_edge(f"ARTICLE:{article}", "PERSON:王建国", key="MENTIONS", count=count)
    # Its first article has no node (nor MENTIONS edge): 0 mentions, its id for a title, no date.
    entity(graph, "PLACE:乌鲁木齐", aliases=["乌市"], articles=["a.txt#0", "p.txt#1"], degree=2, first_seen="2024-03-05",
           last_seen="2024-03-05")  # fmt: skip
    graph.add_edge("ARTICLE:p.txt#1", "PLACE:乌鲁木齐", key="MENTIONS", count=1)
    # One character in eleven printed in Traditional (关 as 關): too few for the corpus's script
    # detection to call the name Traditional, yet its Simplified spelling is searchable.
    entity(graph, "ORG:阿拉山口综合保税区海關", pagerank=0.03125)
    entity(graph, "ORG:準東", pagerank=0.5)
    entity(graph, "PROJECT:光伏电站", pagerank=0.125)
    graph.add_node("NEW:x", kind="entity", pagerank=0.0625)  # no name, label or anything else
    data, tree = read_page(write_viewer(graph, tmp_path / "graph.html"))
    nodes = {n["id"]: n for n in data["nodes"]}
    # The entity without a label is counted under an empty one, after the four.
    assert [box.get("value") for box in tree.xpath('//*[@id="legend"]//input')] == ["PERSON", "PLACE", "ORG", "PROJECT", ""]
    assert list(nodes) == ["PLACE:乌鲁木齐", "ORG:準東", "PERSON:王建国", "PROJECT:光伏电站", "NEW:x", "ORG:阿拉山口综合保税区海關"]
    styles = {node: (n["label"], n["shape"], n["color"], n["value"]) for node, n in nodes.items()}
    assert styles == {
        "PERSON:王建国": ("王建国", "dot", "#D55E00", 0.25),
        "PLACE:乌鲁木齐": ("乌鲁木齐", "triangle", "#0072B2", 2.0),
        "ORG:準東": ("準東", "diamond", "#009E73", 0.5),
        "PROJECT:光伏电站": ("光伏电站", "star", "#CC79A7", 0.125),
        "NEW:x": ("NEW:x", "square", "#777777", 0.0625),
        "ORG:阿拉山口综合保税区海關": ("阿拉山口综合保税区海關", "diamond", "#009E73", 0.03125),
    }
    assert {node: n["color"] for node, n in nodes.items() if node != "NEW:x"} == {
        node: LABEL_STYLE[node.split(":")[0]]["color"] for node in nodes if node != "NEW:x"
    }
    # Top articles: #2 (5 mentions, untitled: its id), then #3 and #4 (3 each, by id); #5 has no
    # MENTIONS edge. Months: the dated articles' (#4 has an empty date, #5 none).
    assert nodes["PERSON:王建国"]["info"] == {
        "name": "王建国", "label": "PERSON", "aliases": ["王书记"], "spellings": ["王建國", "王書記"], "mentions": 12,
        "roles": ["县委书记", "市长", "政协"], "articles": ["p.txt#2", "三版", "四版"],
        "seen": {"first": "2023-12-01", "last": "2024-03-20", "months": ["2023-12", "2024-03"]},
    }  # fmt: skip
    # The other script's spellings, both ways, in code point order (市 U+5E02 < 魯 U+9B6F).
    assert nodes["PLACE:乌鲁木齐"]["info"]["spellings"] == ["烏市", "烏魯木齊"]
    assert nodes["PLACE:乌鲁木齐"]["info"]["articles"] == ["一版", "a.txt#0"]
    assert nodes["PLACE:乌鲁木齐"]["info"]["seen"] == {"first": "2024-03-05", "last": "2024-03-05", "months": ["2024-03"]}
    assert nodes["ORG:阿拉山口综合保税区海關"]["info"]["spellings"] == ["阿拉山口綜合保稅區海關", "阿拉山口综合保税区海关"]
    assert nodes["ORG:準東"]["info"]["spellings"] == ["准东"]
    assert nodes["NEW:x"]["info"] == {"name": "NEW:x", "label": "", "aliases": [], "spellings": [], "mentions": 0,
                                      "roles": [], "articles": []}  # fmt: skip


def test_edges_carry_their_style_and_tooltip(tmp_path):
    graph = nx.MultiDiGraph()
    graph.add_node("ARTICLE:p.txt#1", kind="article", date="2024-05-06")
    graph.add_node("ARTICLE:p.txt#2", kind="article", date="2024-07-01")
    for node in ("PERSON:甲", "ORG:乙", "PLACE:丙", "PLACE:丁"):
        entity(graph, node)
    graph.add_node("ORG:x", kind="entity", label="ORG")  # no name: its id stands for it
    evidence = [{"text": "甲与乙。", "location": "p.txt:1:1"}, {"text": "乙与甲。"}, {"text": "第三句。", "location": "p.txt:3:1"}]
    co_occur(graph, "PERSON:甲", "ORG:乙", weight=4, npmi=0.25, evidence=evidence, articles=["p.txt#2", "p.txt#1"],
             first_seen="2024-05-06", last_seen="2024-07-01")  # fmt: skip
    co_occur(graph, "PLACE:丙", "PLACE:丁", npmi=math.inf)  # weight not given: 1; stored from 丁 (U+4E01 < 丙 U+4E19)
    co_occur(graph, "ORG:x", "PLACE:丁", weight=8)  # no NPMI
    co_occur(graph, "ORG:乙", "PLACE:丙", weight=0, npmi=-0.5)
    graph.add_edge("PERSON:甲", "ORG:乙", key="HOLDS_ROLE", title="书记")
    graph.add_edge("PERSON:甲", "ORG:x", key="HOLDS_ROLE")
    graph.add_edge("PLACE:丙", "PLACE:丁", key="LOCATED_IN", basis="gazetteer")
    graph.add_edge("PLACE:丁", "PLACE:丙", key="LOCATED_IN")
    graph.add_edge("PERSON:甲", "PLACE:丙", key="VISITED", articles=["p.txt#1", "p.txt#2"], evidence=evidence[1:])
    graph.add_edge("ORG:乙", "PLACE:丁", key="AIDS", evidence=[{"location": "p.txt:9:1"}])
    data, _ = read_page(write_viewer(graph, tmp_path / "graph.html", max_edges_per_node=None))
    edges = {(e["from"], e["to"], e["info"]["type"]): e for e in data["edges"]}
    assert len(edges) == len(data["edges"]) == 10
    co = "#b8bcc6"
    # Width 1 + 1.5 log2(weight), weight at least 1: 4 -> 4.0, 8 -> 5.5, 1 and 0 -> 1.0.
    style = {key: {k: v for k, v in e.items() if k not in ("from", "to", "info")} for key, e in edges.items()}
    assert style == {
        ("ORG:乙", "PERSON:甲", "CO_OCCURS_WITH"): {"arrows": "", "width": 4.0, "weight": 4, "color": co},
        ("PLACE:丁", "PLACE:丙", "CO_OCCURS_WITH"): {"arrows": "", "width": 1.0, "weight": 1, "color": co},
        ("ORG:x", "PLACE:丁", "CO_OCCURS_WITH"): {"arrows": "", "width": 5.5, "weight": 8, "color": co},
        ("ORG:乙", "PLACE:丙", "CO_OCCURS_WITH"): {"arrows": "", "width": 1.0, "weight": 0, "color": co},
        ("PERSON:甲", "ORG:乙", "HOLDS_ROLE"): {"dashes": True, "arrows": "to", "width": 1, "color": "#8a8a8a"},
        ("PERSON:甲", "ORG:x", "HOLDS_ROLE"): {"dashes": True, "arrows": "to", "width": 1, "color": "#8a8a8a"},
        ("PLACE:丙", "PLACE:丁", "LOCATED_IN"): {"dashes": [2, 4], "arrows": "to", "width": 1, "color": "#8a8a8a"},
        ("PLACE:丁", "PLACE:丙", "LOCATED_IN"): {"dashes": [2, 4], "arrows": "to", "width": 1, "color": "#8a8a8a"},
        ("PERSON:甲", "PLACE:丙", "VISITED"): {"dashes": False, "arrows": "to", "width": 2, "color": "#E69F00"},
        ("ORG:乙", "PLACE:丁", "AIDS"): {"dashes": False, "arrows": "to", "width": 2, "color": "#56B4E9"},
    }
    assert {kind: e["color"] for (_, _, kind), e in edges.items() if kind in RELATION_STYLE} == {
        kind: style["color"] for kind, style in RELATION_STYLE.items()
    }
    info = {key: e["info"] for key, e in edges.items()}
    # Two of three sentences quoted; a sentence without a location says "".
    quoted = [{"text": "甲与乙。", "location": "p.txt:1:1"}, {"text": "乙与甲。", "location": ""}]
    assert info["ORG:乙", "PERSON:甲", "CO_OCCURS_WITH"] == {
        "type": "CO_OCCURS_WITH", "from": "乙", "to": "甲", "weight": 4, "npmi": 0.25, "evidence": quoted,
        "name": "CO_OCCURS_WITH", "seen": {"first": "2024-05-06", "last": "2024-07-01", "months": ["2024-05", "2024-07"]},
    }  # fmt: skip
    assert info["PLACE:丁", "PLACE:丙", "CO_OCCURS_WITH"] == {
        "type": "CO_OCCURS_WITH", "from": "丁", "to": "丙", "weight": 1, "npmi": 0.0, "evidence": [], "name": "CO_OCCURS_WITH"}  # fmt: skip
    assert info["ORG:x", "PLACE:丁", "CO_OCCURS_WITH"] == {
        "type": "CO_OCCURS_WITH", "from": "ORG:x", "to": "丁", "weight": 8, "npmi": None, "evidence": [], "name": "CO_OCCURS_WITH"}  # fmt: skip
    assert info["ORG:乙", "PLACE:丙", "CO_OCCURS_WITH"]["npmi"] == -0.5
    assert info["PERSON:甲", "ORG:乙", "HOLDS_ROLE"] == {"type": "HOLDS_ROLE", "from": "甲", "to": "乙", "detail": "书记", "name": "holds role"}
    assert info["PERSON:甲", "ORG:x", "HOLDS_ROLE"] == {"type": "HOLDS_ROLE", "from": "甲", "to": "ORG:x", "detail": "", "name": "holds role"}
    assert info["PLACE:丙", "PLACE:丁", "LOCATED_IN"] == {
        "type": "LOCATED_IN", "from": "丙", "to": "丁", "detail": "gazetteer", "name": "located in"}  # fmt: skip
    assert info["PLACE:丁", "PLACE:丙", "LOCATED_IN"]["detail"] == ""
    assert info["PERSON:甲", "PLACE:丙", "VISITED"] == {
        "type": "VISITED", "from": "甲", "to": "丙", "detail": "2 articles", "name": "visited",
        "evidence": [{"text": "乙与甲。", "location": ""}, {"text": "第三句。", "location": "p.txt:3:1"}]}  # fmt: skip
    assert info["ORG:乙", "PLACE:丁", "AIDS"] == {"type": "AIDS", "from": "乙", "to": "丁", "detail": "0 articles", "name": "aids",
                                              "evidence": [{"text": "", "location": "p.txt:9:1"}]}  # fmt: skip


def quote(tmp_path, text: str, u_aliases=(), v_aliases=()) -> str:
    """The tooltip's quote of `text`, said of 张三 and 李四."""
    graph = nx.MultiDiGraph()
    entity(graph, "PERSON:张三", aliases=list(u_aliases))
    entity(graph, "PERSON:李四", aliases=list(v_aliases))
    co_occur(graph, "PERSON:张三", "PERSON:李四", weight=1, evidence=[{"text": text}])
    data, _ = read_page(write_viewer(graph, tmp_path / "graph.html"))
    return data["edges"][0]["info"]["evidence"][0]["text"]


def test_a_long_sentence_is_quoted_around_the_pair(tmp_path):
    # 100 characters or fewer: whole.
    assert quote(tmp_path, "甲" * 100) == "甲" * 100
    # 254 characters, 张三 at 120-122, 李四 at 132-134: centre (120 + 134) // 2 = 127, start 127 - 50 = 77:
    # characters 77-177, that is 43 甲, the pair, 43 乙, cut at both ends.
    text = "甲" * 120 + "张三" + "丙" * 10 + "李四" + "乙" * 120
    assert quote(tmp_path, text) == "…" + "甲" * 43 + "张三" + "丙" * 10 + "李四" + "乙" * 43 + "…"
    # The same, the names the other way round.
    text = "甲" * 120 + "李四" + "丙" * 10 + "张三" + "乙" * 120
    assert quote(tmp_path, text) == "…" + "甲" * 43 + "李四" + "丙" * 10 + "张三" + "乙" * 43 + "…"
    # Near the start (centre 6): the first 100, cut at the end only; near the end (张三 at 195,
    # centre 196, start at most 200 - 100): the last 100, cut at the start only.
    assert quote(tmp_path, "甲" * 5 + "张三" + "乙" * 193) == "甲" * 5 + "张三" + "乙" * 93 + "…"
    assert quote(tmp_path, "甲" * 195 + "张三" + "乙" * 3) == "…" + "甲" * 95 + "张三" + "乙" * 3
    # 101 characters, the pair at the end (centre 100): one cut at the start.
    assert quote(tmp_path, "甲" * 97 + "张三李四") == "…" + "甲" * 96 + "张三李四"
    # A name's first mention counts: 张三 at 0 (and at 198), 李四 at 60: centre 31, start 0.
    text = "张三" + "甲" * 58 + "李四" + "乙" * 136 + "张三"
    assert quote(tmp_path, text) == "张三" + "甲" * 58 + "李四" + "乙" * 38 + "…"
    # Neither name in it: the first 100.
    assert quote(tmp_path, "甲" * 150 + "乙" * 50) == "甲" * 100 + "…"
    # An alias counts as a name (小李 at 150-152, centre 151, start 101); an empty alias does not.
    text = "甲" * 150 + "小李" + "乙" * 148
    assert quote(tmp_path, text, u_aliases=[""], v_aliases=["小李"]) == "…" + "甲" * 49 + "小李" + "乙" * 49 + "…"


def test_names_and_sentences_cannot_end_the_script(tmp_path):
    # Inside <script>, "</script>" or "<!--" would end or bend the data, and U+2028/U+2029 end
    # a JavaScript line; "&" is escaped too. Written as \\u escapes the JSON still reads the same.
    hostile = "</script><!--&\u2028\u2029"
    graph = nx.MultiDiGraph()
    entity(graph, f"PERSON:{hostile}")
    data, tree = read_page(write_viewer(graph, tmp_path / "graph.html"))
    assert data["nodes"][0]["label"] == hostile
    raw = tmp_path.joinpath("graph.html").read_text("utf-8")
    script = raw[raw.index('<script id="kg-data" type="application/json">') :].split(">", 1)[1].split("</script>", 1)[0]
    assert script == tree.get_element_by_id("kg-data").text
    assert not {"<", ">", "&", "\u2028", "\u2029"} & set(script)
    assert "\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\\u2029" in script


def test_the_data_is_compact_utf8(tmp_path):
    # Evidence sentences are most of a big page's bytes: a Chinese character takes 3 of them in
    # UTF-8 and 6 as a \\u escape, and JSON's default ", " and ": " add one a field.
    graph = nx.MultiDiGraph()
    entity(graph, "PERSON:张三")
    raw = read_page(write_viewer(graph, tmp_path / "graph.html"))[1].get_element_by_id("kg-data").text
    assert raw.startswith('{"nodes":[{"color":"#D55E00","value":0.0,"info":{"name":"张三","label":"PERSON",')


def test_the_layout_gets_100000_node_steps_between_150_and_1000(tmp_path):
    # 100,000 // n steps, at least 150 and at most 1000: 0 or 17 nodes 1000, 400 nodes 250, 1000 nodes 150.
    for nodes, steps in ((0, 1000), (17, 1000), (400, 250), (1000, 150)):
        graph = nx.MultiDiGraph()
        for i in range(nodes):
            entity(graph, f"PERSON:{i:04d}")
        data, _ = read_page(write_viewer(graph, tmp_path / "graph.html", max_nodes=None))
        assert data["options"]["physics"]["stabilization"]["iterations"] == steps


def test_fewer_than_one_edge_per_node_is_refused(tmp_path):
    with pytest.raises(KgError, match=r"max edges per node must be at least 1 \(None draws them all\), got 0"):
        write_viewer(hub_graph(), tmp_path / "graph.html", max_edges_per_node=0)
    assert list(tmp_path.iterdir()) == []
