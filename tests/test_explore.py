"""kg.load and its tables, on a small hand-built graph (docs/schema.md) and on the seeds graph."""

from __future__ import annotations

import html
import re
from pathlib import Path

import networkx as nx
import pytest

import kg
from kg.document import LABELS
from kg.errors import KgError

# (label, name, aliases, mentions per article id)
ENTITIES = [
    ("PERSON", "张楠", [], {"seeds/000.txt#0": 1}),
    ("PERSON", "吴红展", ["吴书记"], {"seeds/000.txt#0": 2, "seeds/000.txt#2": 1, "seeds/000.txt#10": 3}),
    ("PLACE", "新疆准东经济技术开发区", ["准东", "准东开发区"], {"seeds/000.txt#2": 2, "seeds/001.txt#0": 1}),
    ("PLACE", "阿拉山口市", [], {"seeds/000.txt#10": 1}),
    ("ORG", "阿拉山口市党委", ["阿拉山口市"], {"seeds/000.txt#10": 1}),  # an OCR short form as alias
    ("PROJECT", "准东煤电一体化项目", ["准东"], {"seeds/001.txt#0": 2}),
    ("PLACE", "哈密", [], {"seeds/001.txt#1": 1}),
    ("ORG", "哈密", [], {"seeds/001.txt#1": 1}),
    ("PLACE", "哈巴河县", [], {"seeds/001.txt#1": 1}),
    ("PLACE", "阿勒泰地区", ["阿勒泰"], {"seeds/001.txt#1": 1}),
]
# (name, name, weight, npmi, evidence sentences as (article id, text))
CO_OCCURRENCES = [
    ("吴红展", "张楠", 1, 0.40, [("seeds/000.txt#0", "记者张楠报道，吴红展调研园区建设。")]),
    ("吴红展", "新疆准东经济技术开发区", 2, 0.55, [("seeds/000.txt#2", "吴红展在准东开发区调研。")]),
    ("吴红展", "阿拉山口市", 2, 0.70, [("seeds/000.txt#10", "吴红展到阿拉山口市检查口岸工作。")]),
    ("吴红展", "阿拉山口市党委", 1, 0.90, [("seeds/000.txt#10", "阿拉山口市党委书记吴红展主持会议。")]),
    ("新疆准东经济技术开发区", "准东煤电一体化项目", 1, 0.80, [("seeds/001.txt#0", "准东煤电一体化项目落户新疆准东经济技术开发区。")]),
    ("哈密", "哈密", 1, 0.10, [("seeds/001.txt#1", "哈密市委在哈密召开会议。")]),  # PLACE - ORG
]


def entity_id(label: str, name: str) -> str:
    return f"{label}:{name}"


def schema_graph() -> nx.MultiDiGraph:
    """A graph as kg.graph.build_graph makes it, with metrics computed as docs/schema.md defines."""
    graph = nx.MultiDiGraph(window="sentence", sources=2, articles=5, created_by="kg test")
    for article in sorted({a for *_, mentions in ENTITIES for a in mentions}):
        source, index = article.split("#")
        graph.add_node(
            f"ARTICLE:{article}", id=f"ARTICLE:{article}", kind="article", name=article, title=f"第{index}篇",
            source=source, index=int(index), byline=[], date="2025-07-01",
        )  # fmt: skip
    for label, name, aliases, mentions in ENTITIES:
        node = entity_id(label, name)
        graph.add_node(
            node, id=node, kind="entity", label=label, name=name, aliases=sorted(aliases),
            mentions=sum(mentions.values()), articles=sorted(mentions),
            sources=sorted({a.split("#")[0] for a in mentions}), roles=[],
        )  # fmt: skip
        for article, count in mentions.items():
            graph.add_edge(f"ARTICLE:{article}", node, key="MENTIONS", count=count)
    by_name = {name: entity_id(label, name) for label, name, *_ in ENTITIES}
    for a, b, weight, npmi, evidence in CO_OCCURRENCES:
        a, b = (by_name[a], by_name[b]) if a != b else ("ORG:哈密", "PLACE:哈密")
        graph.add_edge(
            min(a, b), max(a, b), key="CO_OCCURS_WITH", weight=weight, npmi=npmi,
            articles=sorted({article for article, _ in evidence}),
            evidence=[{"text": text, "article": article, "location": f"{article}:1:1"} for article, text in evidence],
        )  # fmt: skip
    graph.add_edge("PERSON:吴红展", "ORG:阿拉山口市党委", key="HOLDS_ROLE", title="党委书记", articles=["seeds/000.txt#10"])
    graph.add_edge("PLACE:哈巴河县", "PLACE:阿勒泰地区", key="LOCATED_IN", basis="gazetteer")

    cooccurrence = nx.Graph()
    cooccurrence.add_nodes_from(n for n, kind in graph.nodes(data="kind") if kind == "entity")
    cooccurrence.add_edges_from((u, v, d) for u, v, k, d in graph.edges(keys=True, data=True) if k == "CO_OCCURS_WITH")
    pagerank = nx.pagerank(cooccurrence, weight="weight")
    communities = nx.community.greedy_modularity_communities(cooccurrence, weight="weight")
    for number, members in enumerate(communities):
        for node in members:
            graph.nodes[node].update(degree=cooccurrence.degree(node), pagerank=pagerank[node], community=number)
    return graph


@pytest.fixture(scope="module")
def small() -> kg.explore.KnowledgeGraph:
    return kg.load(schema_graph())


def test_entities_are_ranked_by_pagerank_and_filtered_by_label(small):
    table = small.entities()
    assert list(table.columns) == ["name", "label", "mentions", "degree", "pagerank", "community", "aliases"]
    assert len(table) == len(ENTITIES)
    assert table["pagerank"].is_monotonic_decreasing
    assert table.index[0] == "PERSON:吴红展"  # the hub of the hand-built graph
    assert table.loc["PLACE:新疆准东经济技术开发区", "aliases"] == ["准东", "准东开发区"]
    assert table.loc["PERSON:吴红展", "mentions"] == 6 and table.loc["PERSON:吴红展", "degree"] == 4
    for label in LABELS:
        rows = small.entities(label)
        assert not rows.empty and set(rows["label"]) == {label}
    with pytest.raises(KgError, match="'PEOPLE'.*PERSON, PLACE, ORG, PROJECT"):
        small.entities("PEOPLE")


def test_names_resolve_exactly_first_then_through_aliases(small):
    assert small.resolve("新疆准东经济技术开发区") == "PLACE:新疆准东经济技术开发区"
    assert small.resolve("准东开发区") == "PLACE:新疆准东经济技术开发区"
    assert small.resolve("吴书记") == "PERSON:吴红展"
    assert small.resolve("阿拉山口市") == "PLACE:阿拉山口市"  # a name beats ORG:阿拉山口市党委's alias
    assert small.resolve("ORG:哈密") == "ORG:哈密"
    assert small.neighbors("准东开发区").equals(small.neighbors("新疆准东经济技术开发区"))


def test_ambiguous_and_unknown_names_are_one_line_errors_with_candidates(small):
    with pytest.raises(KgError, match="ambiguous entity '哈密': pass one of ORG:哈密, PLACE:哈密"):
        small.resolve("哈密")
    with pytest.raises(KgError, match="ambiguous entity '准东'") as ambiguous:
        small.resolve("准东")  # an alias of both the zone and the project
    assert "PLACE:新疆准东经济技术开发区" in str(ambiguous.value) and "PROJECT:准东煤电一体化项目" in str(ambiguous.value)
    with pytest.raises(KgError, match="unknown entity '准东经济技术开发区': close matches: PLACE:新疆准东经济技术开发区"):
        small.neighbors("准东经济技术开发区")
    with pytest.raises(KgError, match="unknown entity '乌鲁木齐': no close matches"):
        small.ego("乌鲁木齐")
    with pytest.raises(KgError) as unknown:
        small.path("吴红展", "阿拉山口")
    assert "\n" not in str(unknown.value) and "PLACE:阿拉山口市" in str(unknown.value)


def test_neighbors_are_ranked_by_weight_then_npmi(small):
    table = small.neighbors("吴红展")
    assert list(table.columns) == ["name", "label", "weight", "npmi", "articles", "evidence"]
    # weight 2 twice: the higher NPMI first; weight 1 twice: likewise
    assert list(table["name"]) == ["阿拉山口市", "新疆准东经济技术开发区", "阿拉山口市党委", "张楠"]
    assert table.loc["PLACE:阿拉山口市", "evidence"] == ["吴红展到阿拉山口市检查口岸工作。"]
    assert small.neighbors("哈巴河县").empty


def test_ego_is_the_co_occurrence_neighbourhood_with_all_its_relations(small):
    ego = small.ego("吴书记")
    assert "PERSON:吴红展" in ego
    assert set(ego) == {"PERSON:吴红展", *small.neighbors("吴红展").index}
    assert ego.has_edge("PERSON:吴红展", "ORG:阿拉山口市党委", key="HOLDS_ROLE")
    assert all(kind == "entity" for _, kind in ego.nodes(data="kind"))
    wider = small.ego("吴红展", radius=2)
    assert "PROJECT:准东煤电一体化项目" in wider and "PROJECT:准东煤电一体化项目" not in ego
    assert set(small.ego("哈巴河县")) == {"PLACE:哈巴河县"}


def test_path_follows_co_occurrence(small):
    assert small.path("张楠", "准东煤电一体化项目") == ["张楠", "吴红展", "新疆准东经济技术开发区", "准东煤电一体化项目"]
    assert small.path("准东开发区", "准东开发区") == ["新疆准东经济技术开发区"]
    assert small.path("阿拉山口市", "准东开发区") == ["阿拉山口市", "吴红展", "新疆准东经济技术开发区"]
    with pytest.raises(KgError, match="no co-occurrence path between '张楠' and '哈巴河县'"):
        small.path("张楠", "哈巴河县")
    with pytest.raises(KgError, match="no co-occurrence path between '哈巴河县' and '阿勒泰'"):
        small.path("哈巴河县", "阿勒泰")  # LOCATED_IN joins them, but it is no co-occurrence


def test_articles_list_mentions_with_their_evidence(small):
    table = small.articles("吴红展")
    assert list(table.columns) == ["article", "title", "source", "date", "count", "evidence"]
    # most mentions first; equal counts in corpus order, where #2 precedes #10
    assert list(table["article"]) == ["seeds/000.txt#10", "seeds/000.txt#0", "seeds/000.txt#2"]
    assert list(table["count"]) == [3, 2, 1]
    assert table.loc[0, "evidence"] == ["吴红展到阿拉山口市检查口岸工作。", "阿拉山口市党委书记吴红展主持会议。"]
    assert table.loc[0, "title"] == "第10篇" and table.loc[0, "source"] == "seeds/000.txt"
    assert small.articles("哈巴河县")["evidence"].tolist() == [[]]  # mentioned, but never beside another


def test_load_reads_a_build_directory_its_graph_json_or_graphml(tmp_path: Path):
    from kg.export import write_graph

    graph = schema_graph()
    write_graph(graph, tmp_path, formats=["json", "graphml"])
    built = kg.load(graph)
    for source in (tmp_path, tmp_path / "graph.json", tmp_path / "graph.graphml"):
        loaded = kg.load(source)
        assert loaded.entities().equals(built.entities()), source
        assert loaded.neighbors("准东开发区").equals(built.neighbors("准东开发区")), source
        assert loaded.articles("吴红展").equals(built.articles("吴红展")), source


def test_show_inlines_the_viewer_page(small):
    shown = small.show(max_nodes=50)
    frame = re.fullmatch(r'<div><iframe srcdoc="([^"]*)".*</iframe></div>', shown.data, flags=re.S)
    assert frame, shown.data[:200]
    page = html.unescape(frame.group(1))
    assert "<html" in page.lower() and "吴红展" in page


def test_on_the_seeds_graph(seeds_out: Path):
    seeds = kg.load(seeds_out)
    entities = seeds.entities()
    assert entities["pagerank"].is_monotonic_decreasing
    assert all(not seeds.entities(label).empty for label in LABELS)

    # aliases that name one entity only, and no entity by its canonical name, lead to that entity
    forms = entities["aliases"].explode().dropna()
    unique = forms[~forms.isin(entities["name"]) & ~forms.duplicated(keep=False)]
    assert not unique.empty, "the seeds graph merges no surface forms"
    assert all(seeds.resolve(alias) == node for node, alias in unique.items())
    assert seeds.resolve("准东开发区") == "PLACE:新疆准东经济技术开发区"

    top = entities.index[0]
    neighbors = seeds.neighbors(top)
    assert not neighbors.empty
    assert list(neighbors[["weight", "npmi"]].itertuples(index=False)) == sorted(
        neighbors[["weight", "npmi"]].itertuples(index=False), reverse=True
    )
    assert top in seeds.ego(top) and set(neighbors.index) <= set(seeds.ego(top))

    far = max(nx.single_source_shortest_path_length(seeds.cooccurrence, top).items(), key=lambda item: item[1])[0]
    path = seeds.path(top, far)
    assert path[0] == entities.loc[top, "name"] and path[-1] == entities.loc[far, "name"]

    surface_forms = [entities.loc[top, "name"], *entities.loc[top, "aliases"]]
    articles = seeds.articles(top)
    assert set(articles["article"]) == set(seeds.graph.nodes[top]["articles"])
    for sentences in articles["evidence"]:
        assert all(any(form in sentence for form in surface_forms) for sentence in sentences)
