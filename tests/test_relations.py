"""HOLDS_ROLE and LOCATED_IN on short articles written here, each reaching one rule of
kg/graph/relations.py; what each should give is read off the sentence itself."""

from __future__ import annotations

import re

from kg.document import Article, Mention
from kg.graph import build_graph
from kg.graph.levels import admin_level


def article(index: int, text: str, names: dict[str, str], roles: dict[str, tuple[str, str]] | None = None) -> Article:
    """One article of hand/roles.txt whose only sentence is `text`, with a Mention of label
    `names[name]` wherever `name` stands (longest names first); `roles` gives a person's
    (title, body) as the nlp stage would set them."""
    roles = roles or {}
    result = Article("hand/roles.txt", index, text, sentences=[(0, len(text))])
    taken = [False] * len(text)
    for name in sorted(names, key=len, reverse=True):
        for match in re.finditer(re.escape(name), text):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            taken[start:end] = [True] * (end - start)
            mention = Mention(name, names[name], start, end, 0)
            mention.role, mention.role_org = roles.get(name, (None, None))
            result.mentions.append(mention)
    result.mentions.sort(key=lambda m: m.start)
    return result


def typed_edges(graph, key: str) -> dict[tuple[str, str], dict]:
    return {(u, v): data for u, v, k, data in graph.edges(keys=True, data=True) if k == key}


SECRETARY = {"张凯": ("党委书记", "阿拉山口市党委")}


def test_a_role_names_the_body_another_article_tagged():
    speech = article(0, "阿拉山口市党委书记张凯讲话。", {"张凯": "PERSON", "阿拉山口市": "PLACE"}, SECRETARY)
    meeting = article(1, "阿拉山口市党委召开会议。", {"阿拉山口市党委": "ORG"})
    roles = typed_edges(build_graph([speech, meeting]), "HOLDS_ROLE")
    assert roles == {("PERSON:张凯", "ORG:阿拉山口市党委"): {"title": "党委书记", "articles": ["hand/roles.txt#0"]}}
    # Without that other article, the body is the longest place its name begins with.
    alone = typed_edges(build_graph([article(0, "阿拉山口市党委书记张凯在阿拉山口讲话。",
                                             {"张凯": "PERSON", "阿拉山口市": "PLACE", "阿拉山口": "PLACE"}, SECRETARY)]),
                        "HOLDS_ROLE")  # fmt: skip
    assert set(alone) == {("PERSON:张凯", "PLACE:阿拉山口市")}


def test_a_role_whose_body_is_nowhere_makes_no_edge():
    text = "新疆准能重工有限公司董事长李明讲话。"
    graph = build_graph([article(0, text, {"李明": "PERSON"}, {"李明": ("董事长", "新疆准能重工有限公司")})])
    assert typed_edges(graph, "HOLDS_ROLE") == {}
    assert graph.nodes["PERSON:李明"]["roles"] == [{"title": "董事长", "org": "新疆准能重工有限公司", "article": "hand/roles.txt#0"}]


def test_a_body_without_a_title_is_no_role():
    # A body the nlp stage gives without a title, and no title printed: no role.
    graph = build_graph([article(0, "张凯在阿拉山口市讲话。", {"张凯": "PERSON", "阿拉山口市": "PLACE"},
                                 {"张凯": (None, "阿拉山口市党委")})])  # fmt: skip
    assert typed_edges(graph, "HOLDS_ROLE") == {}
    assert graph.nodes["PERSON:张凯"]["roles"] == []


def test_titles_in_one_body_are_joined_in_one_edge():
    first = article(0, "阿拉山口市党委书记张凯讲话。", {"张凯": "PERSON", "阿拉山口市": "PLACE"}, SECRETARY)
    second = article(1, "阿拉山口市市长张凯调研。", {"张凯": "PERSON", "阿拉山口市": "PLACE"},
                     {"张凯": ("市长", "阿拉山口市")})  # fmt: skip
    graph = build_graph([second, first])
    edge = typed_edges(graph, "HOLDS_ROLE")[("PERSON:张凯", "PLACE:阿拉山口市")]
    assert edge == {"title": "党委书记、市长", "articles": ["hand/roles.txt#0", "hand/roles.txt#1"]}
    assert graph.nodes["PERSON:张凯"]["roles"] == [
        {"title": "党委书记", "org": "阿拉山口市党委", "article": "hand/roles.txt#0"},
        {"title": "市长", "org": "阿拉山口市", "article": "hand/roles.txt#1"},
    ]


def test_a_larger_place_printed_first_holds_the_smaller():
    names = {"博尔塔拉蒙古自治州": "PLACE", "精河县": "PLACE", "温泉县": "PLACE", "托里镇": "PLACE"}
    graph = build_graph([article(0, "博尔塔拉蒙古自治州精河县托里镇与温泉县相邻。", names)])
    located = {pair: data["basis"] for pair, data in typed_edges(graph, "LOCATED_IN").items()}
    assert located[("PLACE:精河县", "PLACE:博尔塔拉蒙古自治州")] == "text"
    assert located[("PLACE:托里镇", "PLACE:精河县")] == "text"
    # 温泉县 is not printed beside the prefecture: only the gazetteer places it.
    assert located[("PLACE:温泉县", "PLACE:博尔塔拉蒙古自治州")] == "gazetteer"


def test_places_of_one_level_or_in_the_wrong_order_hold_nothing():
    names = {"精河县": "PLACE", "温泉县": "PLACE", "托里镇": "PLACE", "博乐市": "PLACE", "阿拉山口市": "PLACE"}
    graph = build_graph([article(0, "精河县温泉县两地，托里镇精河县一带，博乐市阿拉山口市之间。", names)])
    assert typed_edges(graph, "LOCATED_IN") == {}


def test_a_project_lies_in_the_longest_place_its_name_begins_with():
    names = {"阿拉山口": "PLACE", "阿拉山口市": "PLACE", "阿拉山口市物流园项目": "PROJECT"}
    graph = build_graph([article(0, "阿拉山口市物流园项目落户阿拉山口市，阿拉山口口岸繁忙。", names)])
    assert typed_edges(graph, "LOCATED_IN") == {("PROJECT:阿拉山口市物流园项目", "PLACE:阿拉山口市"): {"basis": "text"}}


def test_a_role_in_a_body_the_article_calls_by_its_short_form():
    text = "昌吉州市场监督管理局准东开发区分局（以下简称准东分局）成立。准东分局局长李明讲话。"
    names = {"昌吉州市场监督管理局准东开发区分局": "ORG", "准东分局": "ORG", "李明": "PERSON"}
    graph = build_graph([article(0, text, names, {"李明": ("局长", "准东分局")})])
    assert set(typed_edges(graph, "HOLDS_ROLE")) == {("PERSON:李明", "ORG:昌吉州市场监督管理局准东开发区分局")}


def test_a_project_in_a_place_of_two_characters():
    graph = build_graph([article(0, "和田物流园项目开工，和田各界祝贺。", {"和田": "PLACE", "和田物流园项目": "PROJECT"})])
    assert set(typed_edges(graph, "LOCATED_IN")) == {("PROJECT:和田物流园项目", "PLACE:和田")}


def test_a_place_s_level_is_read_from_its_ending():
    levels = {"新疆维吾尔自治区": 1, "阿克苏地区": 2, "博尔塔拉蒙古自治州": 2, "石河子市": 2.5, "焉耆回族自治县": 3,
              "天山区": 3, "托里镇": 4, "金华新村": 5, "幸福社区": 5, "准东开发区": None, "阿拉山口口岸": None}  # fmt: skip
    assert {name: admin_level(name) for name in levels} == levels
    assert [admin_level(word) for word in ("区", "市", "镇")] == [None, None, None]  # a type word alone is no name


def test_relations_of_entities_cut_by_top_are_left_out():
    places = {"阿拉山口市": "PLACE", "艾比湖镇": "PLACE", "精河县": "PLACE", "温泉县": "PLACE", "博乐市": "PLACE"}
    texts = ["阿拉山口市党委书记张凯讲话。", "阿拉山口市艾比湖镇与精河县合作。", "阿拉山口市与温泉县合作。", "阿拉山口市与博乐市合作。"]
    articles = [article(index, text, {"张凯": "PERSON", **places}, SECRETARY) for index, text in enumerate(texts)]
    graph = build_graph(articles, top=1)  # 阿拉山口市 meets everyone: the highest PageRank
    assert [n for n, kind in graph.nodes(data="kind") if kind == "entity"] == ["PLACE:阿拉山口市"]
    assert all("kind" in data for _, data in graph.nodes(data=True))  # no node made up by an edge
    assert {key for *_, key in graph.edges(keys=True)} == {"MENTIONS"}


def test_the_gazetteer_places_a_county_that_shares_a_sentence_with_its_prefecture():
    # Not printed side by side, so not the text's edge; their co-occurrence is stored from the
    # smaller id, 伊宁县 (U+5B81 < U+7281), the same direction as the LOCATED_IN edge.
    graph = build_graph([article(0, "伊犁哈萨克自治州和伊宁县联合举办活动。", {"伊犁哈萨克自治州": "PLACE", "伊宁县": "PLACE"})])
    located = {pair: data["basis"] for pair, data in typed_edges(graph, "LOCATED_IN").items()}
    assert located == {("PLACE:伊宁县", "PLACE:伊犁哈萨克自治州"): "gazetteer"}


def test_one_place_printed_twice_does_not_stop_the_next_pair():
    names = {"阿拉山口": "PLACE", "阿拉山口市": "PLACE", "霍城县": "PLACE", "清水河镇": "PLACE"}
    graph = build_graph([article(0, "阿拉山口阿拉山口市欢迎你，霍城县清水河镇也欢迎你。", names)])
    assert ("PLACE:清水河镇", "PLACE:霍城县") in typed_edges(graph, "LOCATED_IN")
