"""GraphBuilder without the NER: articles written here, their names marked by hand, added to one
builder or to several parts merged in order.

The articles reach every kind of thing a builder keeps: co-occurrences, a role and its body, a
byline credit with its publication, a photo credit of a person a title names elsewhere,
adjacent places (LOCATED_IN), visits, an aid post and the places of its name, a short form
declared in two articles and one resolved in one, a given name beside its person's full name in
two articles and alone in a third, a bare name that is the short form of two (ambiguous), and a
name of one character. What the graph should hold is read off the texts by the rules of
docs/schema.md and `link_across`; that the parts give exactly one builder's graph checks the rest.
"""

from __future__ import annotations

import json
from dataclasses import replace

import networkx as nx
import pytest
from test_resolve import tagged

from kg.document import Article, Credit
from kg.graph import GraphBuilder

POST = "浙江省金华市对口支援阿克苏地区温宿县指挥部"
ZONE = "新疆准东经济技术开发区"
TEXTS = [
    ("阿拉山口市党委书记张凯在阿拉山口市调研。张凯与自治区主席王芳座谈。", {"阿拉山口市": "PLACE", "张凯": "PERSON", "王芳": "PERSON"}),
    (
        f"{POST}在温宿县援建项目。张凯来到阿克苏地区温宿县。新疆东纯兴纺织有限公司扩产，东纯兴纺织表示。",
        {POST: "ORG", "温宿县": "PLACE", "阿克苏地区": "PLACE", "张凯": "PERSON", "新疆东纯兴纺织有限公司": "ORG", "东纯兴纺织": "ORG"},
    ),
    (
        f"金华市和温宿县两地交流。主任王芳在金华市考察。据新疆日报报道，{ZONE}（以下简称准东开发区）签约。艾尔肯·吐尼亚孜出席，艾尔肯致辞。"
        "艾尔肯·吐尼亚孜还来到喀什市。",
        {"金华市": "PLACE", "温宿县": "PLACE", "王芳": "PERSON", "新疆日报": "ORG", ZONE: "PLACE", "准东开发区": "PLACE",
         "艾尔肯·吐尼亚孜": "PERSON", "艾尔肯": "PERSON", "喀什市": "PLACE"},
    ),
    (
        f"艾尔肯·吐尼亚孜来到喀什市。艾尔肯说，{ZONE}（以下简称准东开发区）招商。准东开发区发展快。喀什市市长王兴瑞会见新疆东纯兴纺织有限公司代表。",
        {"艾尔肯·吐尼亚孜": "PERSON", "艾尔肯": "PERSON", "喀什市": "PLACE", ZONE: "PLACE", "准东开发区": "PLACE", "王兴瑞": "PERSON",
         "新疆东纯兴纺织有限公司": "ORG"},
    ),
    (
        "中尼两国代表出席。艾尔肯在喀什市表示。阿拉山口综合保税区和阿拉山口口岸相邻。阿拉山口很美。准东开发区很大。东纯兴纺织招工。",
        {"艾尔肯": "PERSON", "喀什市": "PLACE", "阿拉山口综合保税区": "PLACE", "阿拉山口口岸": "PLACE", "阿拉山口": "PLACE",
         "准东开发区": "PLACE", "东纯兴纺织": "ORG", "中": "PLACE", "尼": "PLACE"},
    ),
]  # fmt: skip


def corpus() -> list[Article]:
    articles = [replace(tagged(text, names), source="hand/a.txt" if i < 3 else "hand/b.txt", index=i) for i, (text, names) in enumerate(TEXTS)]
    zhang = next(m for m in articles[0].mentions if m.text == "张凯")
    zhang.role, zhang.role_org = "党委书记", "阿拉山口市党委"
    articles[0].date, articles[1].date = "2024-07-23", "2025-01-02"
    articles[0].credits = [Credit("张楠", "记者", ("新疆日报",))]
    articles[2].credits = [Credit("王芳", "通讯员"), Credit("王芳", "摄影")]
    return articles


def merged(parts: list[list[Article]], into: GraphBuilder | None = None, window: str = "sentence") -> GraphBuilder:
    builder = into or GraphBuilder(window)
    for articles in parts:
        part = GraphBuilder(window)
        for article in articles:
            part.add(article)
        assert builder.merge(part) is builder
    return builder


def graph_json(graph: nx.MultiDiGraph) -> str:
    return json.dumps(nx.node_link_data(graph, edges="edges"), ensure_ascii=False, sort_keys=True)


def typed(graph: nx.MultiDiGraph, kind: str) -> set[tuple[str, str]]:
    return {(u, v) for u, v, k in graph.edges(keys=True) if k == kind}


@pytest.mark.parametrize("window", ["sentence", "paragraph", "article"])
def test_parts_merged_in_order_are_one_builder_field_by_field(window):
    articles = corpus()
    one = GraphBuilder(window)
    for article in articles:
        one.add(article)
    splits = [[articles[:k], articles[k:]] for k in range(1, len(articles))] + [[[a] for a in articles]]
    for parts in splits:
        # into an empty builder, and into one that took the first part itself (other numbers)
        first = GraphBuilder(window)
        for article in parts[0]:
            first.add(article)
        for builder in (merged(parts, window=window), merged(parts[1:], into=first, window=window)):
            assert vars(builder) == vars(one)
    two = merged([articles[:2], articles[2:]], window=window)
    assert graph_json(two.finish()) == graph_json(one.finish())
    assert two.aliases() == one.aliases()


def test_a_merged_graph_holds_what_the_texts_say():
    articles = corpus()
    builder = merged([articles[:1], articles[1:3], articles[3:]])
    graph = builder.finish()
    a = [article.id for article in articles]
    people = {"张凯", "王芳", "张楠", "艾尔肯·吐尼亚孜", "王兴瑞"}  # 艾尔肯: beside the full name twice, alone once
    places = {"阿拉山口市", "温宿县", "阿克苏地区", "金华市", ZONE, "喀什市", "阿拉山口综合保税区", "阿拉山口口岸", "阿拉山口", "中国"}
    orgs = {POST, "新疆东纯兴纺织有限公司", "新疆日报", "东纯兴纺织"}  # 东纯兴纺织 resolved in one article only
    expected = {f"PERSON:{n}" for n in people} | {f"PLACE:{n}" for n in places} | {f"ORG:{n}" for n in orgs}
    assert {node for node, data in graph.nodes(data=True) if data["kind"] == "entity"} == expected  # no 尼
    # 张凯: twice in the first article, once in the second
    assert (graph.nodes["PERSON:张凯"]["mentions"], graph.nodes["PERSON:张凯"]["articles"]) == (3, a[:2])
    assert (graph.nodes["PLACE:温宿县"]["mentions"], graph.nodes["PLACE:温宿县"]["articles"]) == (3, a[1:3])
    assert graph.nodes["PERSON:艾尔肯·吐尼亚孜"]["articles"] == a[2:] and graph.nodes["PERSON:艾尔肯·吐尼亚孜"]["aliases"] == ["艾尔肯"]
    assert graph.graph["sources"] == 2 and graph.graph["articles"] == 5
    # the third article names 艾尔肯·吐尼亚孜 three times, once by the given name alone
    assert graph.edges[f"ARTICLE:{a[2]}", "PERSON:艾尔肯·吐尼亚孜", "MENTIONS"]["count"] == 3
    # dated: the first article 2024-07-23, the second 2025-01-02
    first = {"first_seen": "2024-07-23", "last_seen": "2024-07-23", "years": {"2024": 1}}
    second = {"first_seen": "2025-01-02", "last_seen": "2025-01-02", "years": {"2025": 1}}
    node = graph.nodes["PERSON:张凯"]
    assert (node["first_seen"], node["last_seen"], node["years"]) == ("2024-07-23", "2025-01-02", {"2024": 1, "2025": 1})
    for u, v, kind in [("PERSON:张凯", "PERSON:王芳", "CO_OCCURS_WITH"), ("PERSON:张凯", "PLACE:阿拉山口市", "HOLDS_ROLE"),
                       ("PERSON:张楠", f"ARTICLE:{a[0]}", "WROTE"), ("PERSON:张凯", "PLACE:阿拉山口市", "VISITED")]:
        assert {k: graph.edges[u, v, kind][k] for k in first} == first, kind
    assert {k: graph.edges["PLACE:金华市", "PLACE:温宿县", "AIDS"][k] for k in second} == second
    assert "first_seen" not in graph.edges["PERSON:王芳", f"ARTICLE:{a[2]}", "WROTE"]  # the third is undated
    visited = {
        ("PERSON:张凯", "PLACE:阿拉山口市"), ("PERSON:张凯", "PLACE:阿克苏地区"), ("PERSON:张凯", "PLACE:温宿县"),
        ("PERSON:王芳", "PLACE:金华市"), ("PERSON:艾尔肯·吐尼亚孜", "PLACE:喀什市"),
    }  # fmt: skip
    assert typed(graph, "VISITED") == visited
    # the post and the innermost place before 对口支援 in its name (tagged in another part) aid 温宿县
    assert typed(graph, "AIDS") == {(f"ORG:{POST}", "PLACE:温宿县"), ("PLACE:金华市", "PLACE:温宿县")}
    assert graph.edges["PLACE:金华市", "PLACE:温宿县", "AIDS"]["articles"] == [a[1]]
    # the role of the first part's article; the credit's publication tagged in the second part
    assert graph.edges["PERSON:张凯", "PLACE:阿拉山口市", "HOLDS_ROLE"]["title"] == "党委书记"
    assert graph.edges["PERSON:张楠", "ORG:新疆日报", "HOLDS_ROLE"]["title"] == "记者"
    assert graph.edges["PERSON:张楠", "ORG:新疆日报", "HOLDS_ROLE"]["articles"] == [a[0]]
    assert graph.edges["PERSON:王兴瑞", "PLACE:喀什市", "HOLDS_ROLE"]["title"] == "市长"  # a title in the last part
    # a title in the first article, a title and two credits in the third: in reading order
    roles = [("主席", a[0]), ("主任", a[2]), ("摄影", a[2]), ("通讯员", a[2])]
    assert graph.nodes["PERSON:王芳"]["roles"] == [{"title": title, "org": "", "article": article} for title, article in roles]
    assert typed(graph, "WROTE") == {("PERSON:张楠", f"ARTICLE:{a[0]}"), ("PERSON:王芳", f"ARTICLE:{a[2]}")}
    wrote = graph.edges["PERSON:王芳", f"ARTICLE:{a[2]}", "WROTE"]
    assert (wrote["role"], wrote["articles"]) == ("摄影、通讯员", [a[2]])
    # a company's short form printed in one part's article, its full name alone in another's
    assert graph.nodes["ORG:新疆东纯兴纺织有限公司"]["aliases"] == ["东纯兴纺织"]
    # stated in the third article and the fourth: cited in reading order
    cited = graph.edges["PERSON:艾尔肯·吐尼亚孜", "PLACE:喀什市", "VISITED"]["evidence"]
    assert [(e["article"], e["text"]) for e in cited] == [(a[2], "艾尔肯·吐尼亚孜还来到喀什市。"), (a[3], "艾尔肯·吐尼亚孜来到喀什市。")]
    assert graph.edges["PLACE:温宿县", "PLACE:阿克苏地区", "LOCATED_IN"]["basis"] == "text"
    # 准东开发区, declared in two articles of two parts, is the zone where it stands alone too
    assert graph.nodes[f"PLACE:{ZONE}"]["articles"] == a[2:]
    rows = [row for row in builder.aliases() if row[0] == "准东开发区"]
    assert rows == [("准东开发区", "PLACE", ZONE, "across articles", 1), ("准东开发区", "PLACE", ZONE, "declared", 2)]


def test_a_given_name_alone_more_often_than_beside_its_full_name_stays_apart():
    # beside 丹尼斯·霍珀 in two articles, alone in three: more often alone than resolved
    beside = [tagged("影星丹尼斯·霍珀来到北京。丹尼斯说，影片明年上映。", {"丹尼斯·霍珀": "PERSON", "丹尼斯": "PERSON", "北京": "PLACE"})] * 2
    alone = [tagged("丹尼斯在北京表示将继续拍片。", {"丹尼斯": "PERSON", "北京": "PLACE"})] * 3
    builder = merged([[replace(a, index=i) for i, a in enumerate(beside + alone)]])
    graph = builder.finish()
    assert graph.nodes["PERSON:丹尼斯"]["articles"] == [f"news.txt#{i}" for i in range(5)]
    assert graph.nodes["PERSON:丹尼斯·霍珀"]["aliases"] == []


def test_a_builder_of_another_window_is_refused_naming_both():
    with pytest.raises(ValueError, match="cannot merge a article window's builder into a sentence window's"):
        GraphBuilder("sentence").merge(GraphBuilder("article"))
