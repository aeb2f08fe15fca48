"""Relations a reader finds in the text (issue #18): who wrote what, every title of a chain,
who visited where, which place aids which. Expected values are read off the seed pages by
hand; each rule is checked on a sentence that needs it and on one that must not trigger it."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from kg.corpus import split_sentences
from kg.corpus.markers import byline_credits
from kg.document import Article, Credit, Mention
from kg.graph import build_graph
from kg.graph.visits import visit_claims

# Every byline, dateline credit and photo credit of the seed pages, as printed (read from the
# pages): (page, a phrase of the article's title, name, what it credits them as).
SEED_CREDITS = [
    ("000", "夯基筑巢引凤来", "张楠", "记者"),
    ("000", "上半年新疆口岸客货运量双增长", "王娜", "记者"),
    ("000", "上半年新疆口岸客货运量双增长", "陈助邦", "通讯员"),
    ("000", "陈小江艾尔肯", "王兴瑞", "记者"),
    ("000", "谢少迪在吉木乃县", "常轶茹", "记者"),
    ("001", "同心强产业", "张治立", "记者"),
    ("002", "长风万里启新程", "齐丽格尔", "记者"),
    ("002", "州政协开展专题调研视察", "邹小梅", "记者"),
    ("002", "州政协开展专题调研视察", "白建刚", "通讯员"),
    ("003", "准东何以成为投资热土", "余再兴", "通讯员"),
    ("003", "准东何以成为投资热土", "周李", "通讯员"),
    ("003", "木垒县", "王梦君", "通讯员"),
    ("003", "木垒县", "王梦君", "摄影"),  # □王梦君摄 under the picture
    ("003", "木垒县", "石倩", "通讯员"),
    ("003", "玛纳斯县改造城乡路网", "丛双强", "通讯员"),
    ("003", "玛纳斯县改造城乡路网", "丛双强", "摄影"),
    ("003", "玛纳斯县改造城乡路网", "谷雅萍", "通讯员"),
    ("003", "奇台镇", "张超", "通讯员"),
    ("003", "呼图壁县新建5座自动雨量站", "王文霞", "通讯员"),
    ("003", "呼图壁县新建5座自动雨量站", "秦琳琳", "通讯员"),
    ("003", "呼图壁县新建5座自动雨量站", "秦琳琳", "摄影"),
    ("003", "吉木萨尔县", "杨婷", "通讯员"),
    ("004", "地区备案入库科技型中小企业", "胡潇潇", "记者"),
    ("004", "地区备案入库科技型中小企业", "李梦冰", "通讯员"),
    ("004", "地区国有和民营企业座谈会召开", "赵霞", "记者"),
    ("004", "地区国有和民营企业座谈会召开", "曹湘波", "通讯员"),
    ("004", "行署召开常务会议", "潘婷", "记者"),
    ("004", "行署召开常务会议", "丁伟", "通讯员"),
    ("004", "志愿服务暖人心", "外力·克依木", "摄影"),  # 通讯员 外力·克依木 摄: a photo credit
    ("004", ".txt#4", "刘红文", "记者"),  # the page's 5th article has no headline: its name is its id
    ("004", ".txt#4", "刘兵兵", "通讯员"),
    ("004", "地区快递业务量突破3100万件", "陆雪婷", "记者"),
    ("004", "地区快递业务量突破3100万件", "廖文燕", "通讯员"),
    ("004", ".txt#6", "王亚芸", "记者"),  # untitled too
    ("004", "新疆有望成为全国最大三文鱼", "刘毅", "记者"),
    ("004", "新疆规上工业企业突破5000家", "马伊宁", "记者"),
]
# The reporters whose credit names who they write for: 石榴云/新疆日报记者 王娜, 据《新疆日报》报道（记者 刘毅）.
SEED_PUBLICATIONS = {
    ("王娜", "新疆日报"), ("王娜", "石榴云"), ("王兴瑞", "新疆日报"), ("王兴瑞", "石榴云"),
    ("张治立", "新疆日报"), ("张治立", "石榴云"), ("王亚芸", "新疆日报"), ("刘毅", "新疆日报"),
    ("马伊宁", "新疆日报"),
}  # fmt: skip


@pytest.fixture(scope="module")
def seeds_graph(seeds_out: Path) -> nx.MultiDiGraph:
    return nx.node_link_graph(json.loads((seeds_out / "graph.json").read_text("utf-8")), edges="edges")


def tagged(text: str, names: dict[str, str], role: tuple[str, str] | None = None, index: int = 0) -> Article:
    """A one-sentence article of `text` with a mention of label `names[name]` at the first
    place each name stands; the first PERSON among them gets `role` as the nlp stage would set it."""
    result = Article("hand/text.txt", index, text, sentences=[(0, len(text))])
    for name, label in names.items():
        start = text.index(name)
        mention = Mention(name, label, start, start + len(name), 0)
        if label == "PERSON" and role:
            (mention.role, mention.role_org), role = role, None
        result.mentions.append(mention)
    result.mentions.sort(key=lambda m: m.start)
    return result


def page(source: str, text: str, names: dict[str, str], canonical: dict[str, str] | None = None) -> Article:
    """An article of several lines and sentences as kg.corpus cuts them, each character mapped
    to its line and column; a mention of label `names[name]` wherever `name` stands (longest
    names first, never overlapping)."""
    canonical = canonical or {}
    result = Article(source, 0, text, sentences=split_sentences(text))
    result.origins = [(number, column) for number, line in enumerate(text.split("\n"), 1) for column in range(1, len(line) + 2)]
    taken = [False] * len(text)
    for name in sorted(names, key=len, reverse=True):
        for start in (k for k in range(len(text)) if text.startswith(name, k) and not any(taken[k : k + len(name)])):
            taken[start : start + len(name)] = [True] * len(name)
            mention = Mention(name, names[name], start, start + len(name), result.sentence_index(start), canonical.get(name, ""))
            result.mentions.append(mention)
    result.mentions.sort(key=lambda m: m.start)
    return result


def cited(source: str, line: int, column: int, text: str) -> dict:
    return {"text": text, "article": f"{source}#0", "location": f"{source}:{line}:{column}"}


def roles_of(graph: nx.MultiDiGraph, person: str) -> list[tuple[str, str]]:
    return [(role["title"], role["org"]) for role in graph.nodes[f"PERSON:{person}"]["roles"]]


def typed(graph: nx.MultiDiGraph, kind: str) -> dict[tuple[str, str], dict]:
    return {(u, v): d for u, v, k, d in graph.edges(keys=True, data=True) if k == kind}


def article_of(graph: nx.MultiDiGraph, page: str, phrase: str) -> str:
    """The article node of seed page `page` whose title (or, untitled, its name) holds `phrase`."""
    found = [
        node
        for node, data in graph.nodes(data=True)
        if data.get("kind") == "article" and f"/{page}_" in data["source"] and phrase in data["name"]
    ]
    assert len(found) == 1, (page, phrase, found)
    return found[0]


# -- authorship ------------------------------------------------------------------------------


def test_a_dateline_credit_gives_each_name_its_role_and_the_first_its_publications():
    text = "新疆日报乌鲁木齐7月23日讯（石榴云/新疆日报记者 王娜 通讯员陈助邦）从新疆出入境边防检查总站获悉"
    assert byline_credits(text) == [Credit("王娜", "记者", ("石榴云", "新疆日报")), Credit("陈助邦", "通讯员")]


def test_credits_of_bylines_photo_credits_and_reported_by():
    assert byline_credits("□本报通讯员 余再兴 周李") == [Credit("余再兴", "通讯员"), Credit("周李", "通讯员")]
    assert byline_credits("□王梦君摄") == [Credit("王梦君", "摄影")]
    assert byline_credits("通讯员 外力·克依木 摄") == [Credit("外力·克依木", "摄影")]
    assert byline_credits("本报讯 通讯员王梦君、石倩报道:近日,创维汽车与木垒县顺达汽车运输有限责任公司签署") == [
        Credit("王梦君", "通讯员"),
        Credit("石倩", "通讯员"),
    ]
    assert byline_credits("据《新疆日报》报道（记者 王亚芸) 记者2月10日从自治区住房和城乡建设厅获悉") == [
        Credit("王亚芸", "记者", ("新疆日报",))
    ]
    # 本报 is the paper the page is from, which the page does not name; a comment names no one.
    assert byline_credits("本报阿克苏讯（记者 胡潇潇 通讯员 李梦冰）近日") == [
        Credit("胡潇潇", "记者"),
        Credit("李梦冰", "通讯员"),
    ]
    assert byline_credits("新疆日报评论员") == []


def test_every_byline_name_of_the_seeds_wrote_its_article(seeds_graph):
    expected: dict[tuple[str, str], set[str]] = {}
    for page, phrase, name, role in SEED_CREDITS:
        expected.setdefault((f"PERSON:{name}", article_of(seeds_graph, page, phrase)), set()).add(role)
    wrote = typed(seeds_graph, "WROTE")
    assert {pair: set(data["role"].split("、")) for pair, data in wrote.items()} == expected
    for (_, article), data in wrote.items():
        assert data["articles"] == [article.removeprefix("ARTICLE:")]


def test_a_named_publication_is_an_org_its_reporter_holds_a_role_in(seeds_graph):
    roles = {(u, v): d["title"] for (u, v), d in typed(seeds_graph, "HOLDS_ROLE").items() if d["title"] == "记者"}
    assert roles == {(f"PERSON:{name}", f"ORG:{org}"): "记者" for name, org in SEED_PUBLICATIONS}
    assert seeds_graph.nodes["ORG:石榴云"]["label"] == "ORG"
    article = article_of(seeds_graph, "004", "新疆有望成为全国最大三文鱼").removeprefix("ARTICLE:")
    assert {"title": "记者", "org": "新疆日报", "article": article} in seeds_graph.nodes["PERSON:刘毅"]["roles"]


# -- title chains ----------------------------------------------------------------------------


def test_a_chain_of_three_titles_gives_three_roles():
    text = "7月22日至23日，自治区党委书记、兵团党委第一书记、第一政委陈小江在喀什调研。"
    names = {"自治区党委": "ORG", "兵团党委": "ORG", "陈小江": "PERSON", "喀什": "PLACE"}
    graph = build_graph([tagged(text, names, ("党委书记", "自治区党委")), tagged("兵团召开会议。", {"兵团": "ORG"}, index=1)])
    assert roles_of(graph, "陈小江") == [("党委书记", "自治区党委"), ("第一书记", "兵团党委"), ("第一政委", "兵团")]
    assert {body: data["title"] for (person, body), data in typed(graph, "HOLDS_ROLE").items()} == {
        "ORG:自治区党委": "党委书记",
        "ORG:兵团党委": "第一书记",
        "ORG:兵团": "第一政委",  # a bare title after a party committee's: a post in the body it leads
    }


def test_a_bare_title_after_a_company_party_secretary_is_a_post_in_the_company():
    text = "国家电投集团五彩湾发电有限公司党委书记、董事长田永强说。"
    company = "国家电投集团五彩湾发电有限公司"
    graph = build_graph([tagged(text, {company: "ORG", "田永强": "PERSON"}, ("党委书记", company))])
    assert roles_of(graph, "田永强") == [("党委书记", company), ("董事长", company)]


def test_titles_joined_by_jian_and_a_body_after_the_joiner():
    text = "该公司总经理助理兼生产部部长王宁说。"
    graph = build_graph([tagged(text, {"王宁": "PERSON"})])  # 生产部 untagged: the text after 兼 names it
    assert roles_of(graph, "王宁") == [("总经理助理", ""), ("部长", "生产部")]
    text = "新疆玉象胡杨化工有限公司全力确保市场供应充足。该公司总经理助理兼生产部部长王宁说。"
    graph = build_graph([tagged(text, {"新疆玉象胡杨化工有限公司": "ORG", "王宁": "PERSON"})])
    assert roles_of(graph, "王宁") == [("总经理助理", "新疆玉象胡杨化工有限公司"), ("部长", "生产部")]  # 该公司: the one named
    text = "自治区党委副书记、自治区主席艾尔肯·吐尼亚孜讲话。"
    graph = build_graph([tagged(text, {"自治区党委": "ORG", "艾尔肯·吐尼亚孜": "PERSON"}, ("党委副书记", "自治区党委"))])
    assert roles_of(graph, "艾尔肯·吐尼亚孜") == [("党委副书记", "自治区党委"), ("主席", "自治区")]


def test_a_second_title_after_a_party_body_s_title_is_a_post_in_the_body_it_leads():
    text = "州政协党组书记、主席刘自重讲话。"  # page 002
    graph = build_graph([tagged(text, {"州政协党组": "ORG", "刘自重": "PERSON"})])
    assert roles_of(graph, "刘自重") == [("党组书记", "州政协党组"), ("主席", "州政协")]


def test_a_title_s_body_is_the_place_tagged_in_it_and_no_untagged_word():
    # A headline: the title at the article's first character, no 。 at its end.
    graph = build_graph([tagged("博州州长巴音克西在博乐市调研", {"博州": "PLACE", "巴音克西": "PERSON", "博乐市": "PLACE"})])
    assert roles_of(graph, "巴音克西") == [("州长", "博州")]
    assert set(typed(graph, "HOLDS_ROLE")) == {("PERSON:巴音克西", "PLACE:博州")}
    graph = build_graph([tagged("新任州长巴音克西讲话。", {"巴音克西": "PERSON"})])
    assert roles_of(graph, "巴音克西") == [("州长", "")]


def test_this_company_is_the_last_company_named_before_the_title():
    text = "新疆东纯兴纺织有限公司成立于2010年，该公司总经理张凯会见新疆紫金有色金属有限公司和自治区商务厅代表。"
    names = {"新疆东纯兴纺织有限公司": "ORG", "张凯": "PERSON", "新疆紫金有色金属有限公司": "ORG", "自治区商务厅": "ORG"}
    graph = build_graph([tagged(text, names)])
    assert roles_of(graph, "张凯") == [("总经理", "新疆东纯兴纺织有限公司")]


def test_a_name_after_a_titled_name_and_a_word_shares_no_title():
    graph = build_graph([tagged("州政协副主席程鹏和王芳座谈。", {"州政协": "ORG", "程鹏": "PERSON", "王芳": "PERSON"})])
    assert (roles_of(graph, "程鹏"), roles_of(graph, "王芳")) == ([("副主席", "州政协")], [])


def test_the_nlp_stage_s_title_is_a_role_where_titles_txt_has_no_such_word():
    # 馆长 is in no line of kg/nlp/data/titles.txt: the title the nlp stage read stands alone
    text = "新疆博物馆馆长王芳介绍。"
    graph = build_graph([tagged(text, {"新疆博物馆": "ORG", "王芳": "PERSON"}, ("馆长", "新疆博物馆"))])
    assert roles_of(graph, "王芳") == [("馆长", "新疆博物馆")]
    assert set(typed(graph, "HOLDS_ROLE")) == {("PERSON:王芳", "ORG:新疆博物馆")}


def test_a_title_after_the_name():
    text = "要学深悟透习近平总书记关于新疆工作重要讲话重要指示批示精神。"
    graph = build_graph([tagged(text, {"习近平": "PERSON", "新疆": "PLACE"})])
    assert roles_of(graph, "习近平") == [("总书记", "")]


def test_names_listed_after_a_titled_name_share_its_titles():
    text = "2024年10月30日，神舟十九号载人飞船成功发射，航天员蔡旭哲、宋令东、王浩泽驾乘飞船顺利进驻天和核心舱。"
    names = {"蔡旭哲": "PERSON", "宋令东": "PERSON", "王浩泽": "PERSON"}
    graph = build_graph([tagged(text, names, ("航天员", None))])
    assert [roles_of(graph, person) for person in names] == [[("航天员", "")]] * 3


def test_the_seeds_graph_gives_people_the_titles_the_pages_print(seeds_graph):
    # Read off the pages: (person, title, body) records each page prints before or after a name.
    stated = {
        ("陈小江", "党委书记", "自治区党委"), ("陈小江", "第一书记", "兵团党委"), ("陈小江", "第一政委", "兵团"),
        ("张凯", "党委书记", "阿拉山口市党委"), ("张凯", "党工委书记", "综合保税区党工委"),
        ("刘自重", "党组书记", "州政协党组"), ("刘自重", "主席", "州政协"),
        ("吐尔逊·托呼提", "政协副主席", "州政协"), ("苏德玛", "政协副主席", "州政协"),
        ("田永强", "董事长", "国家电投集团五彩湾发电有限公司"), ("宋令东", "航天员", ""), ("习近平", "总书记", ""),
    }  # fmt: skip
    found = {(seeds_graph.nodes[f"PERSON:{p}"]["name"], *r) for p, *_ in stated for r in roles_of(seeds_graph, p)}
    assert stated <= found
    assert seeds_graph.has_edge("PERSON:刘自重", "ORG:州政协", "HOLDS_ROLE")


def test_no_title_where_none_ends_at_the_name():
    # 第一书记 inside a project's name, names in a list, a title of the clause before.
    text = "第一书记产业园项目李明介绍，陈小江、艾尔肯·吐尼亚孜来到喀什市。"
    names = {"第一书记产业园项目": "PROJECT", "李明": "PERSON", "陈小江": "PERSON", "艾尔肯·吐尼亚孜": "PERSON", "喀什市": "PLACE"}
    graph = build_graph([tagged(text, names)])
    assert [roles_of(graph, person) for person in ("李明", "陈小江", "艾尔肯·吐尼亚孜")] == [[], [], []]


# -- visits ----------------------------------------------------------------------------------

CHEN, ERKIN = "陈小江", "艾尔肯·吐尼亚孜"
# Every visit the seed pages state, by my reading of them: (page, words of the sentence, who,
# where, as printed). Places the nlp stage does not tag (艾提尕尔清真寺, 深喀青少年足球训练基地)
# are here too: they count against recall.
SEED_VISITS = [
    *[("000", "在喀什克孜勒苏和兵团草湖项目区调研", who, where)
      for who in (CHEN, ERKIN) for where in ("喀什", "克孜勒苏", "兵团草湖项目区")],
    *[("000", "在喀什地区、克孜勒苏柯尔克孜自治州和兵团草湖项目区调研", who, where)
      for who in (CHEN, ERKIN) for where in ("喀什地区", "克孜勒苏柯尔克孜自治州", "兵团草湖项目区")],
    *[("000", "来到喀什市，在乃则尔巴格镇前进村看望了", who, where)
      for who in (CHEN, ERKIN)
      for where in ("喀什市", "乃则尔巴格镇", "前进村", "艾提尕尔清真寺", "深喀青少年足球训练基地", "喀什能源大数据服务中心")],
    *[("000", "深入巴合齐派出所、新疆东纯兴纺织有限公司", who, where)
      for who in (CHEN, ERKIN) for where in ("巴合齐派出所", "新疆东纯兴纺织有限公司", "新疆理工职业大学")],
    *[("000", "先后调研了乌恰县新疆紫金有色金属有限公司", who, where)
      for who in (CHEN, ERKIN) for where in ("克州", "乌恰县", "新疆紫金有色金属有限公司", "阿图什市")],
    ("000", "谢少迪在吉木乃县、布尔津县调研", "谢少迪", "吉木乃县"),
    ("000", "谢少迪在吉木乃县、布尔津县调研", "谢少迪", "布尔津县"),
    ("000", "地委书记谢少迪在吉木乃县、布尔津县调研。", "谢少迪", "吉木乃县"),
    ("000", "地委书记谢少迪在吉木乃县、布尔津县调研。", "谢少迪", "布尔津县"),
    ("000", "谢少迪先后来到边境一线", "谢少迪", "吉木乃口岸"),
    ("000", "谢少迪先后来到边境一线", "谢少迪", "恰尔夏特边境检查站"),
    ("000", "谢少迪先后来到吉木乃边境经济技术合作区", "谢少迪", "吉木乃边境经济技术合作区"),
    ("000", "谢少迪先后来到吉木乃边境经济技术合作区", "谢少迪", "布尔津工业园区"),
    ("002", "马兴瑞书记在阿拉山口市调研时", "马兴瑞", "阿拉山口市"),
    ("004", "马兴瑞在阿克苏地区调研时", "马兴瑞", "阿克苏地区"),
]  # fmt: skip


@pytest.fixture(scope="module")
def seed_articles(seeds_dir: Path) -> list[Article]:
    from kg import nlp
    from kg.corpus import read_corpus

    return list(nlp.annotate(read_corpus([str(seeds_dir)], progress=False), nlp.load_pipeline("auto"), progress=False))


def stated_visits(articles: list[Article]) -> set[tuple[str, str, str, str]]:
    """(page, sentence, who, where) of each visit the rules read, names as printed."""
    found = set()
    for article in articles:
        mentions = article.mentions
        for claim in visit_claims(article, list(range(len(mentions)))):
            page = Path(article.source).name[:3]
            found.add((page, claim.evidence["text"], mentions[claim.person].text, mentions[claim.target].text))
    return found


def test_visits_on_the_seed_pages_against_a_reading_of_them(seed_articles):
    found = stated_visits(seed_articles)
    right = {(page, sentence, who, where) for page, sentence, who, where in found
             for p, words, w, place in SEED_VISITS if (p, w, place) == (page, who, where) and words in sentence}  # fmt: skip
    recalled = [v for v in SEED_VISITS if any(f[0] == v[0] and v[1] in f[1] and f[2:] == v[2:] for f in found)]
    precision, recall = len(right) / len(found), len(recalled) / len(SEED_VISITS)
    # Measured 2026-12-07 on the seeds as tagged then: 44 of 44 right, 44 of 48 found.
    assert precision >= 0.9 and recall >= 0.7, (precision, recall, sorted(found - right))


def visits(text: str, names: dict[str, str]) -> set[tuple[str, str]]:
    article = tagged(text, names)
    return {(article.mentions[c.person].text, article.mentions[c.target].text) for c in visit_claims(article, list(range(len(names))))}


def test_people_of_a_clause_before_visit_the_list_of_places():
    text = "7月22日至23日，自治区党委书记陈小江，自治区主席艾尔肯·吐尼亚孜在喀什地区、克孜勒苏柯尔克孜自治州和兵团草湖项目区调研。"
    names = {CHEN: "PERSON", ERKIN: "PERSON", "喀什地区": "PLACE", "克孜勒苏柯尔克孜自治州": "PLACE", "兵团草湖项目区": "PLACE"}
    assert visits(text, names) == {(who, where) for who in (CHEN, ERKIN) for where in ("喀什地区", "克孜勒苏柯尔克孜自治州", "兵团草湖项目区")}


def test_the_people_a_sentence_begins_with_go_on_visiting():
    text = "陈小江、艾尔肯·吐尼亚孜听取规划建设进展介绍，深入巴合齐派出所、新疆东纯兴纺织有限公司，同基层民警交流，并实地调研了新疆理工职业大学。"
    names = {CHEN: "PERSON", ERKIN: "PERSON", "巴合齐派出所": "ORG", "新疆东纯兴纺织有限公司": "ORG", "新疆理工职业大学": "ORG"}
    assert visits(text, names) == {(who, where) for who in (CHEN, ERKIN) for where in ("巴合齐派出所", "新疆东纯兴纺织有限公司", "新疆理工职业大学")}


def test_a_place_the_sentence_opens_with_and_a_list_item_without_a_name():
    text = "在克州，陈小江先后调研了乌恰县新疆紫金有色金属有限公司和阿图什市无花果三产融合科技创新园。"
    names = {"克州": "PLACE", CHEN: "PERSON", "乌恰县": "PLACE", "新疆紫金有色金属有限公司": "ORG", "阿图什市": "PLACE"}
    assert visits(text, names) == {(CHEN, "克州"), (CHEN, "乌恰县"), (CHEN, "新疆紫金有色金属有限公司"), (CHEN, "阿图什市")}
    text = "谢少迪先后来到边境一线、吉木乃口岸、恰尔夏特边境检查站，认真听取边境管控情况介绍。"
    names = {"谢少迪": "PERSON", "吉木乃口岸": "PLACE", "恰尔夏特边境检查站": "ORG"}
    assert visits(text, names) == {("谢少迪", "吉木乃口岸"), ("谢少迪", "恰尔夏特边境检查站")}


def test_no_visit_without_a_person_a_place_or_a_visit_verb():
    # 调研 with no person; a person who hears reports of places; 深入 as "thoroughly".
    assert visits("在阿拉山口口岸，视察组详细了解了通关流程及过货情况。", {"阿拉山口口岸": "PLACE"}) == set()
    assert visits("调研中，陈小江先后听取了喀什地区和克州工作汇报。", {CHEN: "PERSON", "喀什地区": "PLACE", "克州": "PLACE"}) == set()
    assert visits("刘自重表示，将深入贯彻落实自治州党委十三届六次全会精神。", {"刘自重": "PERSON", "自治州党委": "ORG"}) == set()
    assert visits("州政协组织部分政协委员在博乐市调研。", {"州政协": "ORG", "博乐市": "PLACE"}) == set()
    assert visits("谢少迪要求深入推进边境管控和吉木乃口岸建设。", {"谢少迪": "PERSON", "吉木乃口岸": "PLACE"}) == set()


def test_visits_read_off_sentences_that_reach_one_rule_each():
    wang = {"王芳": "PERSON"}
    # the visitor comes before the first verb of a clause: 王芳 is visited, 陈小江 visits twice
    for text in ("陈小江在喀什市看望王芳后在阿图什市调研。", "陈小江来到喀什市看望王芳后又来到阿图什市。"):
        assert visits(text, {CHEN: "PERSON", **wang, "喀什市": "PLACE", "阿图什市": "PLACE"}) == {(CHEN, "喀什市"), (CHEN, "阿图什市")}
    # 在<place> before the verb and the place after 了
    text = "陈小江在喀什市考察了新疆理工职业大学。"
    assert visits(text, {CHEN: "PERSON", "喀什市": "PLACE", "新疆理工职业大学": "ORG"}) == {(CHEN, "喀什市"), (CHEN, "新疆理工职业大学")}
    # a clause of 在 and a place after another clause; a later 在 of the sentence is another clause's
    assert visits("近日，在克州，陈小江先后调研了乌恰县。", {"克州": "PLACE", CHEN: "PERSON", "乌恰县": "PLACE"}) == {(CHEN, "克州"), (CHEN, "乌恰县")}
    assert visits("陈小江在喀什市调研，并在座谈会上讲话。", {CHEN: "PERSON", "喀什市": "PLACE"}) == {(CHEN, "喀什市")}
    # the 在 nearest the verb begins the list: 南疆考察期间 is no place
    assert visits("陈小江在南疆考察期间在喀什市调研。", {CHEN: "PERSON", "喀什市": "PLACE"}) == {(CHEN, "喀什市")}
    # 在 and a place that is not all the clause says: on the question of 喀什市, not in it
    assert visits("在喀什市发展问题上，陈小江来到前进村。", {"喀什市": "PLACE", CHEN: "PERSON", "前进村": "PLACE"}) == {(CHEN, "前进村")}
    # two clauses before, each ending with a name: both visit
    text = "自治区党委书记陈小江，自治区主席艾尔肯·吐尼亚孜，近日在喀什地区调研。"
    assert visits(text, {CHEN: "PERSON", ERKIN: "PERSON", "喀什地区": "PLACE"}) == {(CHEN, "喀什地区"), (ERKIN, "喀什地区")}
    # the people named after the verb did not make the visit
    assert visits("来到阿拉山口口岸的旅客逐年增加，张凯介绍。", {"阿拉山口口岸": "PLACE", "张凯": "PERSON"}) == set()


def test_a_visit_cites_each_sentence_that_states_it_where_it_stands():
    # A headline that ends with the place, a sentence without a visitor, three sentences of
    # visits: the first three sentences that state it are cited.
    text = "陈小江来到喀什市\n喀什市很美。陈小江在喀什市调研。陈小江还来到喀什市。陈小江又来到喀什市。"
    article = page("hand/visit.txt", text, {CHEN: "PERSON", "喀什市": "PLACE"})
    edges = typed(build_graph([article]), "VISITED")
    assert list(edges) == [("PERSON:陈小江", "PLACE:喀什市")]
    edge = edges["PERSON:陈小江", "PLACE:喀什市"]
    assert edge["articles"] == ["hand/visit.txt#0"]
    assert edge["evidence"] == [
        cited("hand/visit.txt", 1, 1, "陈小江来到喀什市"),
        cited("hand/visit.txt", 2, 7, "陈小江在喀什市调研。"),
        cited("hand/visit.txt", 2, 17, "陈小江还来到喀什市。"),
    ]
    # an article with no map back to its file cites the file
    graph = build_graph([tagged("陈小江来到喀什市。", {CHEN: "PERSON", "喀什市": "PLACE"})])
    assert [e["location"] for e in typed(graph, "VISITED")["PERSON:陈小江", "PLACE:喀什市"]["evidence"]] == ["hand/text.txt"]


def test_the_seeds_graph_has_each_visit_once_with_its_article_and_sentences(seeds_graph):
    visited = typed(seeds_graph, "VISITED")
    article = article_of(seeds_graph, "000", "谢少迪在吉木乃县").removeprefix("ARTICLE:")
    edge = visited["PERSON:谢少迪", "PLACE:吉木乃县"]
    assert edge["articles"] == [article]
    # the headline and the dateline's sentence say it; a later sentence only hears reports
    assert [e["text"] for e in edge["evidence"]] == ["谢少迪在吉木乃县、布尔津县调研", "本报讯（记者 常轶茹）近日，地委书记谢少迪在吉木乃县、布尔津县调研。"]
    # 克州 and 克孜勒苏柯尔克孜自治州 are one place: one edge, three sentences
    assert len(visited["PERSON:陈小江", "PLACE:克孜勒苏柯尔克孜自治州"]["evidence"]) == 3
    assert all(seeds_graph.nodes[u]["label"] == "PERSON" and seeds_graph.nodes[v]["label"] != "PERSON" for u, v in visited)


# -- paired assistance -----------------------------------------------------------------------

JINHUA_POST = "ORG:浙江省金华市对口支援阿克苏地区温宿县指挥部"
SHANDONG_POST = "ORG:山东省对口支援新疆工作指挥部"
SHANDONG_COUNTIES = ("疏勒县", "英吉沙县", "岳普湖县", "麦盖提县")
# The aid pairs page 001 states, by my reading of it, as the graph's nodes (official names;
# 伊宁 is the node 伊宁市, as the nlp stage reads it): aider, aided.
SEED_AID = {
    ("PLACE:金华市", "PLACE:温宿县"), (JINHUA_POST, "PLACE:温宿县"),  # 浙江省金华市对口支援阿克苏地区温宿县指挥部…
    ("PLACE:吉林省", "PLACE:阿勒泰地区"),  # 吉林省产业援疆…推动阿勒泰地区特色产业发展壮大
    ("PLACE:广东省", "PLACE:伽师县"),  # 广东省投入援疆资金近亿元,与伽师县打造…
    ("PLACE:福建省", "PLACE:昌吉回族自治州"), ("ORG:福建省援疆前方指挥部", "PLACE:昌吉回族自治州"),
    ("PLACE:南通市", "PLACE:伊宁市"),  # 作为援疆项目的伊宁县纺织产业园…南通和伊宁两地产业互动
    ("PLACE:江苏省", "PLACE:伊犁哈萨克自治州"), ("ORG:江苏省对口支援伊犁州前方指挥部", "PLACE:伊犁哈萨克自治州"),
    # 山东省对口支援新疆工作指挥部…在疏勒县建设…, in 英吉沙县, 岳普湖县, 麦盖提县
    *{(aider, f"PLACE:{county}") for aider in ("PLACE:山东省", SHANDONG_POST) for county in SHANDONG_COUNTIES},
    ("PLACE:山东省", "PLACE:新疆维吾尔自治区"), (SHANDONG_POST, "PLACE:新疆维吾尔自治区"),
}  # fmt: skip


def test_aid_pairs_on_the_seed_pages_against_a_reading_of_them(seeds_graph):
    found = set(typed(seeds_graph, "AIDS"))
    # Measured 2026-12-07: 16 of 16 right, 16 of 19 found (金华市 is tagged nowhere, 新疆 in a post's
    # name is no official name).
    assert len(found & SEED_AID) / len(found) >= 0.9 and len(found & SEED_AID) / len(SEED_AID) >= 0.7, found ^ SEED_AID


def aid(text: str, names: dict[str, str]) -> set[tuple[str, str]]:
    return set(typed(build_graph([tagged(text, names)]), "AIDS"))


def test_a_command_post_names_both_ends_of_the_pair():
    text = "这几年,浙江省金华市对口支援阿克苏地区温宿县指挥部从农民持续增收长远考虑,在村里尝试发展多项特色产业。"
    post = tagged(text, {JINHUA_POST[4:]: "ORG"})
    places = tagged("金华市和温宿县两地交流。", {"金华市": "PLACE", "温宿县": "PLACE"}, index=1)
    edges = set(typed(build_graph([post, places]), "AIDS"))
    assert edges == {(JINHUA_POST, "PLACE:温宿县"), ("PLACE:金华市", "PLACE:温宿县")}
    # where no article tags 金华市 or 温宿县 they are no nodes, and no ends
    assert aid(text, {JINHUA_POST[4:]: "ORG"}) == set()


def test_a_place_outside_xinjiang_aids_one_inside_where_the_sentence_says_aid():
    text = "去年,广东省投入援疆资金近亿元,与伽师县打造以新梅为主的全产业链园区。"
    assert aid(text, {"广东省": "PLACE", "伽师县": "PLACE"}) == {("PLACE:广东省", "PLACE:伽师县")}
    # No aid word: a trade fair in Fujian for Changji; aid words and Xinjiang alone.
    text = "在福州市、厦门市等地举办专场推介会,持续推介昌吉回族自治州招商项目。"
    assert aid(text, {"福州市": "PLACE", "厦门市": "PLACE", "昌吉回族自治州": "PLACE"}) == set()
    text = "今日新疆维吾尔自治区的安定祥和,离不开各援疆省市的大力支持。"
    assert aid(text, {"新疆维吾尔自治区": "PLACE"}) == set()


def test_an_aid_post_aids_with_the_innermost_place_its_name_begins_with():
    # The posts' places are tagged in another article, which says no aid: the ends the posts
    # give are the innermost place before 对口支援 (金华市, not 浙江省) and the one place of
    # 福建省援疆前方指挥部; a 指挥部 without an aid word (防汛抗旱) is no post.
    fujian, flood = "福建省援疆前方指挥部", "温宿县防汛抗旱指挥部"
    jinhua = tagged(f"{JINHUA_POST[4:]}与{flood}交流。", {JINHUA_POST[4:]: "ORG", flood: "ORG"})
    changji = tagged(f"{fujian}在昌吉回族自治州召开座谈会。", {fujian: "ORG", "昌吉回族自治州": "PLACE"}, index=1)
    names = {"浙江省": "PLACE", "金华市": "PLACE", "福建省": "PLACE", "温宿县": "PLACE"}
    places = tagged("浙江省金华市、福建省和温宿县的代表出席。", names, index=2)
    expected = {
        (JINHUA_POST, "PLACE:温宿县"), ("PLACE:金华市", "PLACE:温宿县"),
        (f"ORG:{fujian}", "PLACE:昌吉回族自治州"), ("PLACE:福建省", "PLACE:昌吉回族自治州"),
    }  # fmt: skip
    assert set(typed(build_graph([jinhua, changji, places]), "AIDS")) == expected


def test_an_aid_pair_cites_each_sentence_that_states_it_where_it_stands():
    # A headline that begins with the aider and ends with the aided; a hospital of the aided
    # county is no aider; a place of a sentence without an aid word is aided by no one.
    text = "广东省援疆助力伽师县\n去年,广东省投入援疆资金近亿元,与伽师县打造全产业链园区。广东省援疆医生在伽师县人民医院坐诊。喀什地区也在发展。"
    names = {"广东省": "PLACE", "伽师县": "PLACE", "伽师县人民医院": "ORG", "喀什地区": "PLACE"}
    edges = typed(build_graph([page("hand/aid.txt", text, names)]), "AIDS")
    assert list(edges) == [("PLACE:广东省", "PLACE:伽师县")]
    assert edges["PLACE:广东省", "PLACE:伽师县"]["evidence"] == [
        cited("hand/aid.txt", 1, 1, "广东省援疆助力伽师县"),
        cited("hand/aid.txt", 2, 1, "去年,广东省投入援疆资金近亿元,与伽师县打造全产业链园区。"),
    ]
    # an article with no map back to its file cites the file
    graph = build_graph([tagged("广东省援疆助力伽师县。", {"广东省": "PLACE", "伽师县": "PLACE"})])
    assert [e["location"] for e in typed(graph, "AIDS")["PLACE:广东省", "PLACE:伽师县"]["evidence"]] == ["hand/text.txt"]


def test_an_aid_post_pairs_with_the_places_printed_before_it_and_reads_canonical_names():
    # A sentence without an aid word first; 山东省 of the post's name is tagged nowhere, so it
    # is no end; the last sentence's pair is read all the same.
    text = "疏勒县发展很快。在喀什地区疏勒县，山东省对口支援新疆工作指挥部建设了产业园。广东省援疆干部来到伽师县。"
    post = "山东省对口支援新疆工作指挥部"
    names = {"喀什地区": "PLACE", "疏勒县": "PLACE", post: "ORG", "广东省": "PLACE", "伽师县": "PLACE"}
    graph = build_graph([page("hand/shandong.txt", text, names)])
    expected = {(f"ORG:{post}", "PLACE:喀什地区"), (f"ORG:{post}", "PLACE:疏勒县"), ("PLACE:广东省", "PLACE:伽师县")}
    assert set(typed(graph, "AIDS")) == expected
    # 克州 is no gazetteer name; its canonical, 克孜勒苏柯尔克孜自治州, lies in Xinjiang
    article = page("hand/kezhou.txt", "江苏省援疆干部在克州工作。", {"江苏省": "PLACE", "克州": "PLACE"}, {"克州": "克孜勒苏柯尔克孜自治州"})
    assert set(typed(build_graph([article]), "AIDS")) == {("PLACE:江苏省", "PLACE:克孜勒苏柯尔克孜自治州")}


# -- kg.load ---------------------------------------------------------------------------------


def test_kg_load_answers_roles_visits_and_aid_on_the_seeds(seeds_out):
    import kg

    g = kg.load(seeds_out)
    roles = g.roles("陈小江")
    assert list(zip(roles["title"], roles["org"]))[:3] == [("党委书记", "自治区党委"), ("第一书记", "兵团党委"), ("第一政委", "兵团")]
    visits = g.visits("谢少迪")
    # the four places and the checkpoint of 谢少迪在吉木乃县、布尔津县调研 and 先后来到…
    assert set(visits["to"]) == {"吉木乃县", "布尔津县", "吉木乃口岸", "恰尔夏特边境检查站", "吉木乃边境经济技术合作区", "布尔津工业园区"}
    assert set(visits["from"]) == {"谢少迪"}
    assert set(g.visits("吉木乃县")["from"]) == {"谢少迪"}  # who visited a place
    pairs = set(zip(g.aid()["from"], g.aid()["to"]))
    assert ("浙江省金华市对口支援阿克苏地区温宿县指挥部", "温宿县") in pairs and ("广东省", "伽师县") in pairs
