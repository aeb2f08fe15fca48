"""The graph stage on the real seed pages, with mentions placed where their names stand in the text.

The pages are read by kg.corpus (layout repaired, split into articles and sentences). The NER
is not used: each test names the entities of a page and `seed_articles` makes a Mention at
every place the name occurs, longest names first, never overlapping (so 准东 is not also tagged
inside 准东开发区). A name listed with the label None is consumed but not tagged: it keeps a
longer non-entity phrase from being read as its parts.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from kg.corpus import read_corpus
from kg.document import Article, Mention
from kg.errors import KgError
from kg.export.graph_files import read_graph, write_gexf, write_graphml, write_node_link
from kg.graph import build_graph
from kg.graph.build import community_numbers
from kg.graph.relations import gazetteer_located_in
from kg.nlp.gazetteer import place_parents

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PAGE_000 = SEEDS / "000_63a1591ff90d9bd4.txt"  # 陈小江 and 艾尔肯·吐尼亚孜 in Kashgar
PAGE_001 = SEEDS / "001_6a84046f1e9a8042.txt"  # aid provinces' industry projects (held-out gold)
PAGE_002 = SEEDS / "002_a8c53c550f43afae.txt"  # 阿拉山口市, 张凯, 博州
PAGE_003 = SEEDS / "003_24c6052ba0c1ecb6.txt"  # 准东开发区
PAGE_004 = SEEDS / "004_7cc9aa30a3f8f0b1.txt"  # 准东 once, in passing


def seed_articles(path: Path, names: dict[str, str | None], canonical=None, roles=None) -> list[Article]:
    """The articles of the page, with a Mention of label `names[name]` wherever `name` occurs.

    canonical: {name: the gazetteer's canonical, as the nlp stage would set it}.
    roles: {name: (title, body, printed)} set on the mentions right after the words `printed`.
    """
    canonical, roles = canonical or {}, roles or {}
    articles = list(read_corpus([str(path)]))
    for article in articles:
        taken = [False] * len(article.text)
        mentions = []
        for name in sorted(names, key=len, reverse=True):
            for match in re.finditer(re.escape(name), article.text):
                start, end = match.span()
                if any(taken[start:end]):
                    continue
                taken[start:end] = [True] * (end - start)
                if names[name] is None:
                    continue
                sentence = article.sentence_index(start)
                mention = Mention(name, names[name], start, end, sentence, canonical.get(name, ""))
                if name in roles and roles[name][2] in article.text[max(0, start - 30) : start]:
                    mention.role, mention.role_org = roles[name][:2]
                mentions.append(mention)
        article.mentions = sorted(mentions, key=lambda m: m.start)
    return articles


def holding(articles: list[Article], name: str) -> Article:
    """The one article whose text holds `name`."""
    (article,) = [a for a in articles if name in a.text]
    return article


def node(graph: nx.MultiDiGraph, label: str, name: str) -> dict:
    return graph.nodes[f"{label}:{name}"]


ZHUNDONG = {
    "新疆准东经济技术开发区": "PLACE",
    "准东开发区": "PLACE",
    "准东": "PLACE",
    "昌吉州市场监督管理局准东开发区分局": "ORG",
    "准东分局": "ORG",
    "新疆": "PLACE",
    "新疆准能重工有限公司": "ORG",
}
ALASHANKOU = {
    "阿拉山口市": "PLACE",
    "阿拉山口": "PLACE",
    "阿拉山口口岸": "PLACE",
    "张凯": "PERSON",
    "齐丽格尔": "PERSON",
    "博州": "PLACE",
    "马兴瑞": "PERSON",
}
KASHGAR = {
    "陈小江": "PERSON",
    "艾尔肯·吐尼亚孜": "PERSON",
    "喀什地区": "PLACE",
    "喀什市": "PLACE",
    "新疆": "PLACE",
    "克州": "PLACE",
    "乌恰县": "PLACE",
    "阿图什市": "PLACE",
    "南疆": "PLACE",
}


ROLES_002 = {"张凯": ("党委书记", "阿拉山口市党委", "阿拉山口市党委书记")}


@pytest.fixture(scope="module")
def pages():
    return {
        PAGE_000: seed_articles(PAGE_000, KASHGAR, canonical={"克州": "克孜勒苏柯尔克孜自治州"}),
        PAGE_002: seed_articles(PAGE_002, ALASHANKOU, canonical={"博州": "博尔塔拉蒙古自治州"}, roles=ROLES_002),
        PAGE_003: seed_articles(PAGE_003, ZHUNDONG),
    }


@pytest.fixture(scope="module")
def seeds_graph(pages):
    articles = [article for page in pages.values() for article in page]
    return articles, build_graph(articles)


def test_declared_and_established_short_forms_are_one_node(pages, seeds_graph):
    _, graph = seeds_graph
    zone = node(graph, "PLACE", "新疆准东经济技术开发区")
    assert {"准东开发区", "准东"} <= set(zone["aliases"])
    assert "PLACE:准东开发区" not in graph and "PLACE:准东" not in graph
    page = pages[PAGE_003]
    forms = ("新疆准东经济技术开发区", "准东开发区", "准东")
    assert zone["mentions"] == sum(m.text in forms for article in page for m in article.mentions)
    # 新疆 begins the zone's name but is not a short form of it.
    assert node(graph, "PLACE", "新疆")["label"] == "PLACE"
    # The declared 准东分局 is the ORG it abbreviates, not the zone.
    assert "准东分局" in node(graph, "ORG", "昌吉州市场监督管理局准东开发区分局")["aliases"]
    # After resolution, every mention carries its node's name.
    declaring = holding(page, "以下简称准东开发区")
    assert {m.canonical for m in declaring.mentions if m.text == "准东"} == {"新疆准东经济技术开发区"}


def test_short_forms_cross_articles_only_when_unambiguous(pages):
    # Page 004 says 准东 in passing ("哈密、准东等地"); page 003 established what it is.
    other = holding(seed_articles(PAGE_004, {"准东": "PLACE", "哈密": "PLACE"}), "准东")
    build_graph(pages[PAGE_003] + [other])
    assert {m.canonical for m in other.mentions if m.text == "准东"} == {"新疆准东经济技术开发区"}
    # 喀什 is 喀什地区 on page 001 (no other 喀什 there), but page 000 names both 喀什地区 and
    # 喀什市, so there it stays 喀什 whatever page 001 says.
    kashgar_000 = seed_articles(PAGE_000, {**KASHGAR, "喀什": "PLACE"})
    kashgar_001 = seed_articles(PAGE_001, {"喀什地区": "PLACE", "喀什": "PLACE", "喀什综合保税区": "PLACE"})
    build_graph(kashgar_000 + kashgar_001)
    assert {m.canonical for a in kashgar_001 for m in a.mentions if m.text == "喀什"} == {"喀什地区"}
    assert {m.canonical for a in kashgar_000 for m in a.mentions if m.text == "喀什"} == {"喀什"}


def test_a_county_is_not_a_short_form_of_a_zone_named_after_it():
    names = {"呼图壁县": "PLACE", "呼图壁县工业园区": "PLACE", "呼图壁县气象局": "ORG"}
    graph = build_graph(seed_articles(PAGE_003, names))
    assert node(graph, "PLACE", "呼图壁县")["aliases"] == []
    assert node(graph, "PLACE", "呼图壁县工业园区")["aliases"] == []


def test_bare_place_name_means_the_administrative_area(seeds_graph):
    _, graph = seeds_graph
    assert "阿拉山口" in node(graph, "PLACE", "阿拉山口市")["aliases"]
    assert "PLACE:阿拉山口口岸" in graph  # the port named after the city stays its own


def test_gazetteer_canonical_is_respected(seeds_graph):
    _, graph = seeds_graph
    bozhou = node(graph, "PLACE", "博尔塔拉蒙古自治州")
    assert bozhou["aliases"] == ["博州"]
    assert "PLACE:博州" not in graph
    assert "克州" in node(graph, "PLACE", "克孜勒苏柯尔克孜自治州")["aliases"]


def test_role_links_person_to_the_place_when_its_body_is_not_tagged(pages, seeds_graph):
    _, graph = seeds_graph
    interview = holding(pages[PAGE_002], "张凯表示").id
    zhang = node(graph, "PERSON", "张凯")
    assert {"title": "党委书记", "org": "阿拉山口市党委", "article": interview} in zhang["roles"]
    edge = graph.edges["PERSON:张凯", "PLACE:阿拉山口市", "HOLDS_ROLE"]
    assert edge["title"] == "党委书记"
    assert edge["articles"] == [interview]


def test_role_links_person_to_the_organisation_when_it_is_tagged():
    articles = seed_articles(PAGE_002, {**ALASHANKOU, "阿拉山口市党委": "ORG"}, roles=ROLES_002)
    graph = build_graph(articles)
    assert graph.has_edge("PERSON:张凯", "ORG:阿拉山口市党委", "HOLDS_ROLE")
    assert not graph.has_edge("PERSON:张凯", "PLACE:阿拉山口市", "HOLDS_ROLE")


def test_leaders_cooccur_in_many_sentences_with_evidence(pages, seeds_graph):
    _, graph = seeds_graph
    page = holding(pages[PAGE_000], "陈小江强调")
    # The sentences holding both names, counted on the text itself.
    both = sum("陈小江" in page.text[s:e] and "艾尔肯·吐尼亚孜" in page.text[s:e] for s, e in page.sentences)
    assert both >= 3
    edge = graph.edges["PERSON:艾尔肯·吐尼亚孜", "PERSON:陈小江", "CO_OCCURS_WITH"]
    assert edge["weight"] == both
    assert edge["articles"] == [page.id]
    assert len(edge["evidence"]) == 3
    lines = PAGE_000.read_text(encoding="utf-8").split("\n")
    for evidence in edge["evidence"]:
        assert "陈小江" in evidence["text"] and "艾尔肯·吐尼亚孜" in evidence["text"]
        source, line, column = evidence["location"].rsplit(":", 2)
        assert source == str(PAGE_000) and evidence["article"] == page.id
        # The location is where the evidence's first character stands in the source file.
        assert lines[int(line) - 1][int(column) - 1] == evidence["text"][0]


def test_people_sharing_a_surname_stay_apart(pages):
    articles = pages[PAGE_002] + seed_articles(PAGE_000, {"张楠": "PERSON"})
    graph = build_graph(articles)
    assert {"PERSON:张凯", "PERSON:张楠"} <= set(graph)
    assert node(graph, "PERSON", "张楠")["aliases"] == [] and node(graph, "PERSON", "张凯")["aliases"] == []


def test_places_sharing_a_name_stay_apart(seeds_graph):
    _, graph = seeds_graph
    assert {"PLACE:喀什地区", "PLACE:喀什市"} <= set(graph)


def test_ids_are_stable_across_runs():
    articles = seed_articles(PAGE_003, ZHUNDONG) + seed_articles(PAGE_002, ALASHANKOU)
    first = nx.node_link_data(build_graph(articles), edges="edges")
    second = build_graph(seed_articles(PAGE_003, ZHUNDONG) + seed_articles(PAGE_002, ALASHANKOU))
    assert "PLACE:阿拉山口市" in second
    assert nx.node_link_data(second, edges="edges") == first
    # Again on the same articles, whose mentions now carry their resolved canonical.
    assert nx.node_link_data(build_graph(articles), edges="edges") == first


def test_nodes_and_article_provenance_follow_the_schema(seeds_graph):
    articles, graph = seeds_graph
    assert graph.graph == {"window": "sentence", "sources": 3, "articles": len(articles), "created_by": "kg 0.1.0"}
    for article in articles:
        article_node = graph.nodes[f"ARTICLE:{article.id}"]
        assert article_node["kind"] == "article" and article_node["source"] == article.source
        assert article_node["title"] == (article.title or "") and article_node["index"] == article.index
        counts = {v: data["count"] for _, v, data in graph.out_edges(f"ARTICLE:{article.id}", data=True)}
        assert sum(counts.values()) == len(article.mentions)
    xinjiang = node(graph, "PLACE", "新疆")
    assert xinjiang["articles"] == sorted(a.id for a in articles if any(m.text == "新疆" for m in a.mentions))
    neighbours = {v for u, v, k in graph.edges(keys=True) if k == "CO_OCCURS_WITH" and u == "PLACE:新疆"}
    neighbours |= {u for u, v, k in graph.edges(keys=True) if k == "CO_OCCURS_WITH" and v == "PLACE:新疆"}
    assert xinjiang["degree"] == len(neighbours)
    pageranks = [data["pagerank"] for _, data in graph.nodes(data=True) if data["kind"] == "entity"]
    assert sum(pageranks) == pytest.approx(1.0)
    assert all(isinstance(data["community"], int) for _, data in graph.nodes(data=True) if data["kind"] == "entity")


def test_npmi_is_bounded_and_favours_faithful_pairs_over_hubs(seeds_graph):
    _, graph = seeds_graph
    npmis = {(u, v): data["npmi"] for u, v, k, data in graph.edges(keys=True, data=True) if k == "CO_OCCURS_WITH"}
    assert all(-1.0 <= value <= 1.0 for value in npmis.values())
    leaders = npmis["PERSON:艾尔肯·吐尼亚孜", "PERSON:陈小江"]
    hub = npmis["PERSON:陈小江", "PLACE:新疆"]
    assert leaders > hub


def test_chains_of_places_are_located_in_the_larger():
    names = {"阿克苏地区": "PLACE", "温宿县": "PLACE", "温宿镇": "PLACE", "金华新村": "PLACE",
             "浙江省金华市对口支援阿克苏地区温宿县指挥部": "ORG"}  # fmt: skip
    graph = build_graph(seed_articles(PAGE_001, names))
    assert graph.edges["PLACE:温宿县", "PLACE:阿克苏地区", "LOCATED_IN"]["basis"] == "text"
    assert graph.has_edge("PLACE:温宿镇", "PLACE:温宿县", "LOCATED_IN")
    assert graph.has_edge("PLACE:金华新村", "PLACE:温宿镇", "LOCATED_IN")
    assert not graph.has_edge("PLACE:阿克苏地区", "PLACE:温宿县", "LOCATED_IN")


def test_project_named_after_a_place_is_located_in_it():
    names = {"玛纳斯县": "PLACE", "玛纳斯县乡村振兴村组道路建设项目": "PROJECT", "广东地乡道路建设项目": "PROJECT"}
    graph = build_graph(seed_articles(PAGE_003, names))
    assert graph.edges["PROJECT:玛纳斯县乡村振兴村组道路建设项目", "PLACE:玛纳斯县", "LOCATED_IN"]["basis"] == "text"
    # 广东地乡 is not a tagged place (nor is 广东 here): no edge is guessed.
    assert not any(k == "LOCATED_IN" for _, _, k in graph.out_edges("PROJECT:广东地乡道路建设项目", keys=True))


def test_gazetteer_gives_each_division_the_one_it_lies_in():
    parents = place_parents()
    assert parents["温宿县"] == ["阿克苏地区"]  # under a 地区
    assert parents["精河县"] == ["博尔塔拉蒙古自治州"]  # under a 自治州
    assert parents["阿克苏地区"] == ["新疆维吾尔自治区"]
    assert parents["石河子市"] == ["新疆维吾尔自治区"]  # a city the region administers directly
    assert parents["朝阳区"] == ["北京市", "长春市"]  # one name, two places: both listed
    assert "新疆维吾尔自治区" not in parents
    assert "北京市" not in parents  # a municipality is listed as its own prefecture: no loop


def test_an_ambiguous_name_lies_in_the_one_parent_the_corpus_names():
    assert gazetteer_located_in({"朝阳区", "北京市"}) == {("PLACE:朝阳区", "PLACE:北京市"): "gazetteer"}
    assert gazetteer_located_in({"朝阳区", "北京市", "长春市"}) == {}
    assert gazetteer_located_in({"朝阳区"}) == {}


def test_gazetteer_places_a_county_in_its_prefecture_when_both_are_mentioned(seeds_out):
    graph = read_graph(seeds_out)  # the real pipeline on the seed pages
    parents = place_parents()
    places = {data["name"] for _, data in graph.nodes(data=True) if data.get("label") == "PLACE"}
    assert {"哈巴河县", "阿勒泰地区", "新疆维吾尔自治区"} <= places
    assert graph.edges["PLACE:哈巴河县", "PLACE:阿勒泰地区", "LOCATED_IN"]["basis"] == "gazetteer"
    assert graph.edges["PLACE:阿勒泰地区", "PLACE:新疆维吾尔自治区", "LOCATED_IN"]["basis"] == "gazetteer"
    # Page 001 writes 阿克苏地区温宿县: the gazetteer agrees, and the edge keeps the text's basis.
    assert graph.edges["PLACE:温宿县", "PLACE:阿克苏地区", "LOCATED_IN"]["basis"] == "text"
    gazetteer = [(u, v) for u, v, k, d in graph.edges(keys=True, data=True) if d.get("basis") == "gazetteer"]
    assert all(graph.nodes[v]["name"] in parents[graph.nodes[u]["name"]] for u, v in gazetteer)
    # Places the gazetteer knows whose parent the corpus never names lie in nothing by it.
    orphans = [place for place in places if place in parents and not set(parents[place]) & places]
    assert orphans
    assert not [u for u, _ in gazetteer if graph.nodes[u]["name"] in orphans]


def cooccurrence_edges(graph):
    return {(u, v): data for u, v, k, data in graph.edges(keys=True, data=True) if k == "CO_OCCURS_WITH"}


def test_min_weight_drops_exactly_the_lighter_edges(seeds_graph):
    articles, full = seeds_graph
    pruned = build_graph(articles, min_weight=2)
    assert set(cooccurrence_edges(pruned)) == {pair for pair, data in cooccurrence_edges(full).items() if data["weight"] >= 2}
    assert any(data["weight"] == 1 for data in cooccurrence_edges(full).values())
    # Entities stay even when all their edges go.
    assert {n for n, d in pruned.nodes(data=True) if d["kind"] == "entity"} == {
        n for n, d in full.nodes(data=True) if d["kind"] == "entity"
    }


def test_top_keeps_the_highest_pagerank_entities_and_their_edges(seeds_graph):
    articles, full = seeds_graph
    entities = {n: d["pagerank"] for n, d in full.nodes(data=True) if d["kind"] == "entity"}
    expected = set(sorted(entities, key=lambda n: (-entities[n], n))[:5])
    top = build_graph(articles, top=5)
    assert {n for n, d in top.nodes(data=True) if d["kind"] == "entity"} == expected
    assert set(cooccurrence_edges(top)) == {(u, v) for u, v in cooccurrence_edges(full) if u in expected and v in expected}
    for name in expected:
        assert top.nodes[name]["degree"] == sum(1 for pair in cooccurrence_edges(top) if name in pair)
    for article in articles:
        targets = {v for _, v in top.out_edges(f"ARTICLE:{article.id}")} if f"ARTICLE:{article.id}" in top else set()
        mentioned = {f"{m.label}:{m.canonical}" for m in article.mentions}
        assert targets == mentioned & expected
        assert (f"ARTICLE:{article.id}" in top) == bool(mentioned & expected or not mentioned)


def test_communities_are_numbered_by_size_and_large_graphs_use_their_heaviest_edges(seeds_graph):
    _, graph = seeds_graph
    cooccurrence = nx.Graph()
    cooccurrence.add_nodes_from(n for n, d in graph.nodes(data=True) if d["kind"] == "entity")
    cooccurrence.add_edges_from((u, v, d) for u, v, k, d in graph.edges(keys=True, data=True) if k == "CO_OCCURS_WITH")
    numbers = community_numbers(cooccurrence)
    assert numbers == {n: graph.nodes[n]["community"] for n in cooccurrence}
    sizes = Counter(numbers.values())
    assert [sizes[number] for number in sorted(sizes)] == sorted(sizes.values(), reverse=True)
    # With room for one edge only, the heaviest pair is a community and everyone else is alone.
    u, v, _ = max(cooccurrence.edges(data=True), key=lambda edge: (edge[2]["weight"], edge[2]["npmi"]))
    one_edge = community_numbers(cooccurrence, max_edges=1)
    assert one_edge[u] == one_edge[v] == 0
    assert len(set(one_edge.values())) == cooccurrence.number_of_nodes() - 1


def test_paragraph_and_article_windows_count_more_together(pages, seeds_graph):
    articles, by_sentence = seeds_graph
    by_paragraph = build_graph(articles, window="paragraph")
    by_article = build_graph(articles, window="article")
    pair = ("PERSON:艾尔肯·吐尼亚孜", "PERSON:陈小江", "CO_OCCURS_WITH")
    page = holding(pages[PAGE_000], "陈小江强调")
    paragraphs = [p for p in page.text.split("\n") if "陈小江" in p and "艾尔肯·吐尼亚孜" in p]
    assert len(paragraphs) > 1
    assert by_paragraph.edges[pair]["weight"] == len(paragraphs)
    assert by_article.edges[pair]["weight"] == 1
    assert by_article.graph["window"] == "article"
    with pytest.raises(ValueError):
        build_graph(articles, window="page")


def assert_same_graph(read: nx.MultiDiGraph, written: nx.MultiDiGraph) -> None:
    assert read.graph == written.graph
    assert dict(read.nodes(data=True)) == dict(written.nodes(data=True))
    assert sorted(read.edges(keys=True, data=True), key=repr) == sorted(written.edges(keys=True, data=True), key=repr)


def test_json_and_graphml_round_trip_every_attribute(seeds_graph, tmp_path):
    _, graph = seeds_graph
    assert write_node_link(graph, tmp_path / "graph.json") == tmp_path / "graph.json"
    assert_same_graph(read_graph(tmp_path), graph)
    assert_same_graph(read_graph(tmp_path / "graph.json"), graph)
    assert_same_graph(read_graph(write_graphml(graph, tmp_path / "graph.graphml")), graph)
    data = json.loads((tmp_path / "graph.json").read_text(encoding="utf-8"))
    assert {"directed", "multigraph", "graph", "nodes", "edges"} <= set(data)


def test_gexf_keeps_lists_as_json(seeds_graph, tmp_path):
    _, graph = seeds_graph
    gexf = nx.read_gexf(write_gexf(graph, tmp_path / "graph.gexf"))
    zone = gexf.nodes["PLACE:新疆准东经济技术开发区"]
    assert zone["label"] == "新疆准东经济技术开发区" and zone["entity_label"] == "PLACE"
    assert json.loads(zone["aliases"]) == node(graph, "PLACE", "新疆准东经济技术开发区")["aliases"]


def test_read_graph_names_a_missing_or_malformed_file(tmp_path):
    with pytest.raises(KgError, match="graph.json"):
        read_graph(tmp_path)
    (tmp_path / "graph.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(KgError, match=re.escape(str(tmp_path / "graph.json"))):
        read_graph(tmp_path)
    (tmp_path / "graph.graphml").write_text("<graphml><graph>", encoding="utf-8")
    with pytest.raises(KgError, match="graph.graphml"):
        read_graph(tmp_path / "graph.graphml")


# Held-out gold for alias clustering: page 001, annotated by hand after ENTITY_TYPES.md.
# Each list is one entity; a one-name list is an entity with no other form. None: not an entity.
GOLD_001 = {
    "PLACE": [
        ["吉林省", "吉林"], ["广东省", "广东"], ["安徽省", "安徽"], ["上海市", "上海"],
        ["深圳市", "深圳"], ["山东省"], ["福建"], ["江苏"], ["北京市"], ["江西省"], ["浙江"],
        ["昌吉回族自治州", "昌吉州", "昌吉"], ["伊犁哈萨克自治州", "伊犁"], ["喀什地区", "喀什"],
        ["喀什综合保税区"], ["阿克苏地区"], ["温宿县"], ["温宿镇"], ["金华新村"], ["和田市"],
        ["阿勒泰地区"], ["伽师县"], ["克拉玛依市"], ["新疆"], ["哈萨克斯坦"], ["阿拉木图"], ["福州"], ["厦门"],
        ["疏勒县"], ["英吉沙县"], ["岳普湖县"], ["麦盖提县"], ["阿克陶县"],
    ],
    "ORG": [
        ["合肥国际内陆港发展有限公司", "合肥国际陆港"], ["浙江省金华市对口支援阿克苏地区温宿县指挥部"],
        ["新疆国际陆港(集团)有限责任公司"], ["新疆八一钢铁"], ["上海艾特海浦公司"], ["上海轮匠科技有限公司"],
        ["福建省援疆前方指挥部"], ["江苏省对口支援伊犁州前方指挥部"], ["山东省对口支援新疆工作指挥部"],
        ["湖北省援疆工作前方指挥部"], ["深圳盐田港集团"], ["新疆日报"], ["党中央"], ["伽师县委"],
        ["金华新村党支部"], ["博尔塔拉蒙古自治州湖北商会"],
    ],
    "PROJECT": [
        ["粤伽新梅产业园项目", "粤伽新梅产业园"], ["十城百店"], ["万亩亿元"], ["航天育种工程"],
        ["丝绸之路经济带核心区"], ["伊宁县纺织产业园"], ["江苏援疆(南通)产业园"], ["苏州援疆产业园"],
        ["南京援疆产业园"], ["张家港援疆产业园"], ["阿拉山口国际木材产业园"], ["江西工业园"],
        ["墨玉县农副产品冷链物流建设项目"], ["兵团第十四师皮山农场无花果基地项目"],
    ],
    "PERSON": [["张治立"], ["布海力且木·艾孜木"], ["王东纪"]],
    None: [["和田玉米", "喀什产业园区", "习近平新时代中国特色社会主义思想", "石榴云/新疆日报"]],
}  # fmt: skip


def pairwise_f1(gold: dict, predicted: dict) -> float:
    """Pairwise F1 over the names (keys): a pair is positive when both are one entity."""
    pairs = list(itertools.combinations(sorted(gold), 2))
    true = {pair for pair in pairs if gold[pair[0]] == gold[pair[1]]}
    found = {pair for pair in pairs if predicted[pair[0]] == predicted[pair[1]]}
    precision = len(true & found) / len(found) if found else 1.0
    recall = len(true & found) / len(true) if true else 1.0
    return 2 * precision * recall / (precision + recall)


def test_alias_clustering_meets_f1_on_held_out_gold():
    names = {name: label for label, clusters in GOLD_001.items() for cluster in clusters for name in cluster}
    cluster_of = {
        (label, name): number
        for number, (label, cluster) in enumerate((label, c) for label, cs in GOLD_001.items() for c in cs)
        for name in cluster
        if label
    }
    articles = seed_articles(PAGE_001, names)
    build_graph(articles)
    mentions = [(article.id, m) for article in articles for m in article.mentions]
    assert {(m.label, m.text) for _, m in mentions} == set(cluster_of)  # every gold name is in the page
    # One item per distinct name in each article, so that a name repeated many times (新疆)
    # does not swamp the score with pairs that are trivially right.
    gold = {(aid, m.label, m.text): cluster_of[m.label, m.text] for aid, m in mentions}
    predicted = {(aid, m.label, m.text): (m.label, m.canonical) for aid, m in mentions}
    assert pairwise_f1(gold, predicted) >= 0.90
    # Different places sharing characters stay apart.
    first = articles[0].id
    assert predicted[first, "PLACE", "金华新村"] != predicted[first, "PLACE", "温宿镇"]
