"""Entity resolution (kg/graph/resolve.py) on small news articles written as papers print them.

Each article is tagged by hand the way the NER tags such text: `tagged` puts a Mention at
every place a listed name occurs, longest names first, never overlapping (中美关系 is 中 and
美, as the People's Daily corpus tags it). The expected entities are worked out by reading
the text, not taken from the code.
"""

from __future__ import annotations

import re

import pytest

from kg.document import Article, Mention
from kg.export.graph_files import read_graph
from kg.graph import build_graph
from kg.errors import KgError
from kg.graph.resolve import _rows, follow, is_short_form, link_across, resolve_article, resolve_mentions


@pytest.fixture(scope="module")
def nlp_pipeline():
    from kg.nlp import load_pipeline

    return load_pipeline("auto")


def tagged(text: str, names: dict[str, str], canonical: dict[str, str] | None = None) -> Article:
    """An article of `text` with a Mention of label `names[name]` wherever `name` occurs."""
    canonical = canonical or {}
    sentences = [match.span() for match in re.finditer(r"[^。！？]*[。！？]?", text) if match.group()]
    article = Article(source="news.txt", index=0, text=text, sentences=sentences)
    taken = [False] * len(text)
    for name in sorted(names, key=len, reverse=True):
        for match in re.finditer(re.escape(name), text):
            start, end = match.span()
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                mention = Mention(name, names[name], start, end, article.sentence_index(start), canonical.get(name, ""))
                article.mentions.append(mention)
    article.mentions.sort(key=lambda mention: mention.start)
    return article


def entities(articles: list[Article], printed: str) -> list[tuple[str, str]]:
    """The entity of each mention printed `printed`, in the order of the articles."""
    keys = resolve_mentions(articles)
    return [key for article, article_keys in zip(articles, keys) for m, key in zip(article.mentions, article_keys) if m.text == printed]


def test_a_country_is_not_the_short_form_of_a_longer_name_that_ends_its_core():
    villages = tagged(
        "河南省临颍县南街村被称为“中国村”。中国农村改革四十年，这里的集体经济一直是样板。",
        {"中国村": "PLACE", "中国": "PLACE", "河南省": "PLACE", "临颍县": "PLACE", "南街村": "PLACE"},
    )
    trade = tagged("中国与哈萨克斯坦签署产能合作协议。中国企业将在阿拉木图投资建厂。", {"中国": "PLACE", "哈萨克斯坦": "PLACE", "阿拉木图": "PLACE"})
    visit = tagged("国家主席习近平抵达莫斯科，开始对俄罗斯的国事访问。中国和俄罗斯是最大邻国。", {"中国": "PLACE", "俄罗斯": "PLACE", "莫斯科": "PLACE", "习近平": "PERSON"})
    assert set(entities([trade, villages, visit], "中国")) == {("PLACE", "中国")}
    assert entities([villages], "中国村") == [("PLACE", "中国村")]


def test_one_character_names_are_never_short_forms_by_suffix():
    # 俄 is Russia by the table even beside 俄亥俄州; 河, cut by the NER out of 河湖 and in no
    # table, is no short form of 伊犁河 for ending it, though 伊犁 is a place.
    text = "中俄两国在俄亥俄州举行研讨会。伊犁河流域普降大雨，河湖水位上涨。"
    article = tagged(text, {"中": "PLACE", "俄": "PLACE", "俄亥俄州": "PLACE", "伊犁河": "PLACE", "河": "PLACE"})
    keys = dict(zip((m.text for m in article.mentions), resolve_article(article).keys))
    assert keys["俄"] == ("PLACE", "俄罗斯")
    assert keys["河"] == ("PLACE", "河")


def test_two_character_names_are_short_forms_only_of_their_name_with_type_words():
    # 曼联 ends 切尔西曼联 (a tagging of "切尔西、曼联" run together) but is not one of it;
    # 日报 ends 新疆日报, and 新疆 is a place, but 日报 alone is any paper;
    # 喀什 is 喀什地区 without the word 地区.
    football = tagged("英超第三轮，切尔西曼联两队战平。曼联主帅赛后表示满意。", {"切尔西曼联": "ORG", "曼联": "ORG"})
    assert entities([football], "曼联") == [("ORG", "曼联")]
    papers = tagged("新疆日报记者从自治区获悉此事。多家日报在头版刊发了评论。", {"新疆日报": "ORG", "日报": "ORG"})
    assert entities([papers], "日报") == [("ORG", "日报")]
    kashgar = tagged("喀什地区今年棉花丰收。喀什的棉农收入增加。", {"喀什地区": "PLACE", "喀什": "PLACE"})
    assert entities([kashgar], "喀什") == [("PLACE", "喀什地区")]


def test_a_relative_name_is_the_body_its_article_names_and_never_another_articles():
    iran = "伊朗外交部发言人卡纳尼13日表示，伊朗愿与各方对话。外交部同时呼吁有关国家保持克制。"
    names = {"伊朗外交部": "ORG", "外交部": "ORG", "伊朗": "PLACE", "卡纳尼": "PERSON"}
    tehran = [tagged(iran, names) for _ in range(3)]
    beijing = tagged("外交部发言人毛宁在例行记者会上回答了记者提问。", {"外交部": "ORG", "毛宁": "PERSON"})
    found = entities([*tehran, beijing], "外交部")
    assert found[:3] == [("ORG", "伊朗外交部")] * 3
    assert found[3] == ("ORG", "外交部")  # three articles say nothing of this one
    # A long article about two countries: the ministry named before it in its paragraph.
    visit = "伊朗外交部发言人卡纳尼当天表示，伊朗愿与各方对话。\n外交部发言人毛宁表示欢迎。"
    assert entities([tagged(visit, names)], "外交部") == [("ORG", "外交部")]
    meeting = tagged("外交部长唐家璇今天会见了来访的伊朗外交部长。", names)
    assert entities([meeting], "外交部") == [("ORG", "外交部")]


def test_a_relative_name_after_a_word_for_several_is_no_one_body():
    # 各国央行 are the central banks of many countries, not the ECB named before them;
    # the ECB's own 央行 further on is.
    text = "欧洲央行宣布维持利率不变。通胀回落主要得益于各国央行不停地向市场注入资金。央行行长表示将密切关注。"
    ecb = tagged(text, {"欧洲央行": "ORG", "央行": "ORG"})
    assert entities([ecb], "央行") == [("ORG", "央行"), ("ORG", "欧洲央行")]
    # The same printed in Traditional (the nlp stage names what it finds in Simplified): 各國 and
    # 兩國 are words for several too.
    for several in ("各國", "兩國"):
        text = f"歐洲央行宣布維持利率不變。通脹回落主要得益於{several}央行不停地向市場注入資金。央行行長表示將密切關注。"
        ecb = tagged(text, {"歐洲央行": "ORG", "央行": "ORG"}, canonical={"歐洲央行": "欧洲央行", "央行": "央行"})
        assert entities([ecb], "央行") == [("ORG", "央行"), ("ORG", "欧洲央行")]


def test_a_name_beginning_with_a_level_word_is_relative():
    # 市住房保障办 is the housing office of whichever city the article is about.
    guangzhou = "广州市住房保障办日前公布了公租房轮候名单。市住房保障办表示，将分批配租。"
    names = {"广州市住房保障办": "ORG", "市住房保障办": "ORG"}
    wuhan = tagged("武汉市民可到市住房保障办咨询经济适用房申请条件。", names)
    found = entities([*(tagged(guangzhou, names) for _ in range(3)), wuhan], "市住房保障办")
    assert found == [("ORG", "广州市住房保障办")] * 3 + [("ORG", "市住房保障办")]


def test_a_short_form_drops_only_places_and_known_bodies_before_it():
    banks = tagged(
        "大连万达集团与联合农业银行签约。万达集团表示，农业银行将提供贷款。",
        {"大连万达集团": "ORG", "万达集团": "ORG", "联合农业银行": "ORG", "农业银行": "ORG"},
    )
    keys = dict(zip((m.text for m in banks.mentions), resolve_article(banks).keys))
    assert keys["万达集团"] == ("ORG", "大连万达集团")  # 大连, a city
    assert keys["农业银行"] == ("ORG", "农业银行")  # 联合 names no place


def test_a_relative_name_is_not_a_body_that_ends_with_it_without_a_place():
    # 团县委 is the Youth League's county committee, not the county party committee 县委.
    # 团县委 is printed first, so the rule, not the order, keeps 县委 apart.
    rudong = tagged("他连续3年被团县委、县委评为如东县十佳青年。", {"县委": "ORG", "团县委": "ORG", "如东县": "PLACE"})
    assert entities([rudong], "县委") == [("ORG", "县委")]


def test_a_city_is_not_the_short_form_of_the_state_named_after_it():
    text = "新华社华盛顿6月15日电 华盛顿州州长骆家辉对美中关系发表看法。"
    article = tagged(text, {"新华社": "ORG", "华盛顿": "PLACE", "华盛顿州": "PLACE", "骆家辉": "PERSON"})
    assert entities([article], "华盛顿") == [("PLACE", "华盛顿")]


def test_a_two_character_relative_name_is_the_qualified_body_of_its_article():
    urumqi = tagged("乌鲁木齐市委召开常委会议。会议强调，市委各部门要抓好落实。", {"乌鲁木齐市委": "ORG", "市委": "ORG"})
    assert entities([urumqi], "市委") == [("ORG", "乌鲁木齐市委")]


def test_one_character_abbreviations_of_countries_and_provinces():
    relations = tagged("中美关系保持总体稳定。京津冀协同发展，援疆工作持续推进。", {"中": "PLACE", "美": "PLACE", "京": "PLACE", "津": "PLACE", "冀": "PLACE", "疆": "PLACE"})
    keys = [key for key in resolve_mentions([relations])[0]]
    assert keys == [("PLACE", name) for name in ("中国", "美国", "北京市", "天津市", "河北省", "新疆维吾尔自治区")]


def test_a_character_for_several_countries_is_the_one_its_article_names():
    brazil = tagged("中巴两国元首举行会谈。巴西总统表示，巴方愿扩大对华出口。", {"中": "PLACE", "巴": "PLACE", "巴西": "PLACE", "华": "PLACE"})
    assert entities([brazil], "巴") == [("PLACE", "巴西")] * 2
    assert entities([brazil], "华") == [("PLACE", "中国")]
    mideast = tagged("巴以冲突再度升级。巴勒斯坦卫生部门说，伤亡人数仍在上升。", {"巴": "PLACE", "以": "PLACE", "巴勒斯坦": "PLACE"})
    assert entities([mideast], "巴") == [("PLACE", "巴勒斯坦")]
    talks = tagged("美国特使再度斡旋，巴以和谈仍陷僵局。", {"美国": "PLACE", "巴": "PLACE", "以": "PLACE"})
    assert entities([talks], "巴") == [("PLACE", "巴勒斯坦")]  # 以 is 以色列: the table's cue
    corridor = tagged("中巴经济走廊建设进入新阶段。", {"中": "PLACE", "巴": "PLACE"})
    assert entities([corridor], "巴") == [("PLACE", "巴基斯坦")]  # named by none: the table's first
    # 尼 is Nepal, Nigeria, Nicaragua or Niger alike: no default, it stays as printed.
    lagos = tagged("尼日利亚一架直升机26日坠毁。尼南部近日还缴获一批毒品。", {"尼日利亚": "PLACE", "尼": "PLACE"})
    assert entities([lagos], "尼") == [("PLACE", "尼日利亚")]
    seized = tagged("前不久在尼南部缴获的可卡因类型完全一样。", {"尼": "PLACE"})
    assert entities([seized], "尼") == [("PLACE", "尼")]


ERKIN = {"艾尔肯·吐尼亚孜": "PERSON", "艾尔肯": "PERSON", "新疆": "PLACE"}


def test_a_short_form_crosses_articles_on_several_articles_not_one():
    declaring = "自治区主席艾尔肯·吐尼亚孜在乌鲁木齐会见客人。艾尔肯表示，新疆欢迎各方投资。"
    passing = tagged("会见时，艾尔肯介绍了新疆经济社会发展情况。", ERKIN)
    assert entities([tagged(declaring, ERKIN), passing], "艾尔肯")[-1] == ("PERSON", "艾尔肯")
    passing = tagged("会见时，艾尔肯介绍了新疆经济社会发展情况。", ERKIN)
    assert entities([tagged(declaring, ERKIN), tagged(declaring, ERKIN), passing], "艾尔肯")[-1] == (
        "PERSON",
        "艾尔肯·吐尼亚孜",
    )


def test_a_name_standing_alone_more_often_than_resolved_is_not_linked_across():
    names = {"穆罕默德·阿里": "PERSON", "穆罕默德": "PERSON"}
    boxer = "拳王穆罕默德·阿里的纪录片上映。穆罕默德生前曾三次夺得重量级金腰带。"
    others = [
        "埃及总统府发言人称，穆罕默德将出席峰会。",
        "沙特王储穆罕默德会见了来访的客人。",
        "阿联酋总统穆罕默德在阿布扎比接受采访。",
    ]
    articles = [tagged(boxer, names), tagged(boxer, names), *(tagged(text, names) for text in others)]
    assert entities(articles, "穆罕默德")[2:] == [("PERSON", "穆罕默德")] * 3


def test_link_across_works_on_counts_of_articles():
    name, entity = ("PERSON", "艾尔肯"), ("PERSON", "艾尔肯·吐尼亚孜")
    assert link_across({name: {entity: 9}}, set()) == {name: entity}
    # Articles that found it a short form of several entities count against the link.
    assert link_across({name: {entity: 9}}, {name: 5}) == {}
    assert link_across({name: {entity: 9}}, set(), standalone={name: 30}) == {}


def test_seed_pages_keep_their_merges_and_have_no_one_character_node(seeds_out):
    graph = read_graph(seeds_out)  # the real pipeline on the seed pages
    assert {"准东开发区", "准东"} <= set(graph.nodes["PLACE:新疆准东经济技术开发区"]["aliases"])
    assert "博州" in graph.nodes["PLACE:博尔塔拉蒙古自治州"]["aliases"]
    assert not [data["name"] for _, data in graph.nodes(data=True) if data.get("label") and len(data["name"]) == 1]


def test_the_graph_links_across_articles_by_the_same_evidence():
    """GraphBuilder hands link_across the articles where each name stood alone: a given
    name printed beside its person's full name did not stand alone there."""
    declaring = "自治区主席艾尔肯·吐尼亚孜在乌鲁木齐会见客人。艾尔肯表示，新疆欢迎各方投资。"
    passing = "会见时，艾尔肯介绍了新疆经济社会发展情况。"
    graph = build_graph([*(tagged(declaring, ERKIN) for _ in range(3)), tagged(passing, ERKIN)])
    # 3 articles say 艾尔肯 is 艾尔肯·吐尼亚孜, 1 prints it alone: linked everywhere.
    assert graph.nodes["PERSON:艾尔肯·吐尼亚孜"]["mentions"] == 7
    assert "PERSON:艾尔肯" not in graph
    names = {"穆罕默德·阿里": "PERSON", "穆罕默德": "PERSON"}
    boxer = "拳王穆罕默德·阿里的纪录片上映。穆罕默德生前曾三次夺得重量级金腰带。"
    others = ["埃及总统府发言人称，穆罕默德将出席峰会。", "沙特王储穆罕默德会见了来访的客人。", "阿联酋总统穆罕默德在阿布扎比接受采访。"]
    graph = build_graph([tagged(boxer, names), tagged(boxer, names), *(tagged(text, names) for text in others)])
    # 3 articles print 穆罕默德 alone against 2 that name the boxer: a name many people bear.
    assert graph.nodes["PERSON:穆罕默德"]["mentions"] == 5
    assert graph.nodes["PERSON:穆罕默德·阿里"]["mentions"] == 2


def test_a_given_name_beside_a_full_name_in_one_article_stays_a_given_name():
    # An article of two stories: Dennis Hopper's film, and a game mod by another Dennis.
    film = "影星丹尼斯·霍珀主演的影片昨日上映。来自德国的玩家丹尼斯制作的游戏模组广受欢迎。"
    names = {"丹尼斯·霍珀": "PERSON", "丹尼斯": "PERSON"}
    others = ["网球选手丹尼斯在首轮告负。", "丹尼斯表示将继续参赛。"]
    assert entities([tagged(film, names), *(tagged(text, names) for text in others)], "丹尼斯") == [("PERSON", "丹尼斯")] * 3
    assert resolve_article(tagged(film, names)).keys == [("PERSON", "丹尼斯·霍珀"), ("PERSON", "丹尼斯")]


def test_a_body_named_after_its_country_is_not_a_short_form_of_a_branch():
    # 澳门中国银行 is the Bank of China's Macao branch; 中国银行 the bank. 浦发 is no country:
    # 浦发银行 is 上海浦发银行 (the Shanghai Pudong Development Bank).
    banks = tagged(
        "澳门中国银行发行新版澳门币。中国银行拟收购一家信托公司。上海浦发银行同日公布业绩，浦发银行净利润增长。",
        {"澳门中国银行": "ORG", "中国银行": "ORG", "上海浦发银行": "ORG", "浦发银行": "ORG", "澳门": "PLACE"},
    )
    keys = dict(zip((m.text for m in banks.mentions), resolve_article(banks).keys))
    assert keys["中国银行"] == ("ORG", "中国银行")
    assert keys["浦发银行"] == ("ORG", "上海浦发银行")


def test_an_abbreviation_printed_against_another_is_chosen_by_that_pair():
    # 印巴 is India and Pakistan even in an article that names Brazil elsewhere; 伊科边界 is
    # the Iraq-Kuwait border though 伊 alone stays unresolved.
    nuclear = tagged(
        "在20天的时间里，印巴两国共进行了11次核试验。巴西队在世界杯上惨败。",
        {"印": "PLACE", "巴": "PLACE", "巴西": "PLACE"},
    )
    assert entities([nuclear], "巴") == [("PLACE", "巴基斯坦")]
    border = tagged("联合国观察团在伊科边界巡逻。", {"伊": "PLACE", "科": "PLACE"})
    assert entities([border], "伊") == [("PLACE", "伊拉克")]


def test_a_town_named_after_a_mountain_is_not_what_the_mountain_is_called(nlp_pipeline):
    # The gazetteer gives 马鞍山 (a prefecture-level city) its official name, but not 武夷山
    # or 大兴安岭, the mountains that 武夷山市 and 大兴安岭地区 are named after.
    from kg.nlp import annotate

    text = "游客登上武夷山主峰。莽莽大兴安岭林海苍茫。马鞍山的钢铁产量增长。"
    article = Article(source="news.txt", index=0, text=text, sentences=[(0, 10), (10, 21), (21, 33)])
    places = {m.text: m.canonical for m in next(annotate([article], nlp_pipeline, progress=False)).mentions}
    assert places.get("马鞍山") == "马鞍山市"
    assert places.get("武夷山", "武夷山") == "武夷山"
    assert places.get("大兴安岭", "大兴安岭") == "大兴安岭"


def test_a_one_character_name_left_unresolved_names_no_node():
    # 伊 is Iran, Iraq or Israel by the table, and the article names none of them; 中 is China.
    article = tagged("伊方表示愿同中方继续谈判。", {"伊": "PLACE", "中": "PLACE"})
    graph = build_graph([article])
    assert [(m.text, m.canonical) for m in article.mentions] == [("伊", "伊"), ("中", "中国")]
    assert [node for node, kind in graph.nodes(data="kind") if kind == "entity"] == ["PLACE:中国"]


# Pairs judged by reading them: is the first a short form of the second?
SHORT_FORMS = [
    ("准东开发区", "新疆准东经济技术开发区", "PLACE", True),  # 新疆, a place, and its type words end the longer ones
    ("甘泉堡开发区", "乌鲁木齐甘泉堡经济技术开发区", "PLACE", True),
    ("全兴队", "四川全兴队", "ORG", True),  # three characters: 四川 dropped
    ("粤伽新梅产业园", "粤伽新梅产业园项目", "PROJECT", True),  # the park built as a project
    ("艾尔肯", "艾尔肯·吐尼亚孜", "PERSON", True),
    ("穆罕默德", "穆罕默德·本·萨勒曼", "PERSON", True),  # the given name, not 穆罕默德·本
    ("吐尼亚孜", "艾尔肯·吐尼亚孜", "PERSON", False),  # the father's name
    ("金华区", "金华小区", "PLACE", False),  # a district, not a housing estate
    ("农业园区", "联合农业产业园区", "PLACE", False),  # 联合 names no place
    ("开发区", "准东开发区", "PLACE", False),  # a bare type word names nothing
    ("准东开发区", "甘泉堡开发区", "PLACE", False),  # another zone
    ("准东分局", "准东管委会", "ORG", False),  # another body of 准东
    ("市委", "乌鲁木齐市政府", "ORG", False),  # the city's government, not its party committee
    ("县委", "团县委", "ORG", False),  # the Youth League's
]


@pytest.mark.parametrize(("short", "full", "label", "expected"), SHORT_FORMS)
def test_is_short_form_on_pairs_judged_by_hand(short, full, label, expected):
    assert is_short_form(short, full, label) is expected


def test_a_short_form_is_resolved_through_the_longest_name_first():
    # 准东 alone would be a short form of both zones; 准东开发区 is itself a short form of
    # 准东经济技术开发区, so both lead to it. 外交部 between them is read in its paragraph.
    text = "准东经济技术开发区今年新上项目20个。外交部官员到准东开发区考察。准东的煤电产业发展迅速。"
    article = tagged(text, {"准东经济技术开发区": "PLACE", "准东开发区": "PLACE", "准东": "PLACE", "外交部": "ORG"})
    resolution = resolve_article(article)
    assert resolution.keys == [("PLACE", "准东经济技术开发区"), ("ORG", "外交部")] + [("PLACE", "准东经济技术开发区")] * 2
    assert resolution.ambiguous == set()


def test_a_short_form_of_two_names_is_ambiguous_and_a_place_is_the_administrative_one():
    # 准东 of two zones named after it is either; 阿拉山口 is the city rather than its bonded zone.
    zones = tagged("准东开发区和准东工业园区签约。准东的企业受益。", {"准东开发区": "PLACE", "准东工业园区": "PLACE", "准东": "PLACE"})
    resolution = resolve_article(zones)
    assert resolution.keys[-1] == ("PLACE", "准东")
    assert resolution.ambiguous == {("PLACE", "准东")}
    port = tagged(
        "阿拉山口综合保税区进出口额增长。阿拉山口市加快口岸建设。阿拉山口的中欧班列持续增加。",
        {"阿拉山口综合保税区": "PLACE", "阿拉山口市": "PLACE", "阿拉山口": "PLACE"},
    )
    assert resolve_article(port).keys[-1] == ("PLACE", "阿拉山口市")


def test_each_link_of_an_article_has_its_basis():
    text = "新疆准东经济技术开发区（以下简称准东开发区）成立于2012年。中美贸易持续增长。伊朗外交部发言人表示，外交部将发表声明。"
    names = {"新疆准东经济技术开发区": "PLACE", "准东开发区": "PLACE", "中": "PLACE", "美": "PLACE", "伊朗外交部": "ORG", "外交部": "ORG"}
    links = resolve_article(tagged(text, names)).links
    assert links[("PLACE", "准东开发区"), ("PLACE", "新疆准东经济技术开发区")] == "declared"
    assert links[("PLACE", "中"), ("PLACE", "中国")] == "abbreviation"
    assert links[("ORG", "外交部"), ("ORG", "伊朗外交部")] == "short form"
    # An alias declared for a name that is itself a short form is linked to the longest.
    chain = tagged("准东开发区（以下简称准东）是新疆准东经济技术开发区的一部分。", {"准东开发区": "PLACE", "准东": "PLACE", "新疆准东经济技术开发区": "PLACE"})
    assert resolve_article(chain).links[("PLACE", "准东"), ("PLACE", "新疆准东经济技术开发区")] == "declared"


def test_a_name_printed_in_traditional_links_its_simplified_and_printed_forms():
    text = "烏魯木齊舉辦絲綢之路國際博覽會，來自各國的客商雲集。"
    article = tagged(text, {"烏魯木齊": "PLACE"}, canonical={"烏魯木齊": "乌鲁木齐市"})
    links = resolve_article(article).links
    assert links == {
        (("PLACE", "乌鲁木齐"), ("PLACE", "乌鲁木齐市")): "gazetteer",
        (("PLACE", "烏魯木齊"), ("PLACE", "乌鲁木齐市")): "script",
    }


def test_a_relative_name_after_two_qualified_bodies_is_ambiguous():
    text = "伊朗外交部和以色列外交部先后发表声明。外交部发言人随后表示反对。"
    article = tagged(text, {"伊朗外交部": "ORG", "以色列外交部": "ORG", "外交部": "ORG"})
    resolution = resolve_article(article)
    assert resolution.keys[-1] == ("ORG", "外交部")
    assert resolution.ambiguous == {("ORG", "外交部")}


def test_an_abbreviation_pair_is_read_only_where_printed_together():
    # 印方与巴方 (India and Brazil, named in the article) is no 印巴; 巴印两国 is.
    visit = tagged("巴西总统卢拉访问印度。印方与巴方签署了协议。", {"巴西": "PLACE", "印度": "PLACE", "印": "PLACE", "巴": "PLACE"})
    assert entities([visit], "巴") == [("PLACE", "巴西")]
    talks = tagged("巴印两国外长举行会晤。巴西队在世界杯上获胜。", {"巴": "PLACE", "印": "PLACE", "巴西": "PLACE"})
    assert entities([talks], "巴") == [("PLACE", "巴基斯坦")]
    # Apart, 以 still says which 巴 by its cue.
    protest = tagged("以方拒绝撤军，巴方表示强烈抗议。", {"以": "PLACE", "巴": "PLACE"})
    assert entities([protest], "巴") == [("PLACE", "巴勒斯坦")]


def test_articles_that_find_a_name_ambiguous_count_against_its_link():
    declaring = "自治区主席艾尔肯·吐尼亚孜在乌鲁木齐会见客人。艾尔肯表示，新疆欢迎各方投资。"
    two = "艾尔肯·吐尼亚孜和艾尔肯·买买提出席会议。艾尔肯介绍了情况。"
    names = {**ERKIN, "艾尔肯·买买提": "PERSON"}
    # 2 articles for 艾尔肯·吐尼亚孜 and 1 that cannot tell: 2 < 0.9 * 3, no link.
    found = entities([tagged(declaring, ERKIN), tagged(declaring, ERKIN), tagged(two, names)], "艾尔肯")
    assert found == [("PERSON", "艾尔肯")] * 3


def test_link_across_by_hand():
    zhundong, zone = ("PLACE", "准东"), ("PLACE", "新疆准东经济技术开发区")
    name, erkin = ("PERSON", "艾尔肯"), ("PERSON", "艾尔肯·吐尼亚孜")
    # One article is enough where the gazetteer says the same, not elsewhere.
    assert link_across({zhundong: {zone: 1}}, set()) == {zhundong: zone}
    assert link_across({name: {erkin: 1}}, set()) == {}
    # Exactly 0.9 of the articles agree; a set of ambiguous names counts each once.
    assert link_across({name: {erkin: 9, ("PERSON", "艾尔肯·买买提"): 1}}, set()) == {name: erkin}
    assert link_across({name: {erkin: 9}}, {name}) == {name: erkin}
    # Standing alone in as many articles as resolved it is still linked; never alone, with alone=0.
    assert link_across({name: {erkin: 3}}, set(), {name: 3}) == {name: erkin}
    assert link_across({name: {erkin: 3}}, set(), alone=0.0) == {name: erkin}
    # The most frequent entity, whatever the order of the counts, and a one-character name
    # skipped does not stop the others.
    other = ("PERSON", "艾尔肯·买买提")
    assert link_across({("PLACE", "巴"): {("PLACE", "巴西"): 5}, name: {erkin: 1, other: 9}}, set()) == {name: other}
    tied = [link_across({name: counts}, set(), agreement=0.5) for counts in ({erkin: 5, other: 5}, {other: 5, erkin: 5})]
    assert tied[0] == tied[1]


def test_follow_stops_at_a_cycle():
    a, b, c = ("ORG", "甲"), ("ORG", "乙"), ("ORG", "丙")
    assert follow({a: b, b: c}, a) == c
    assert follow({a: b, b: c, c: b}, a) == c  # c leads back to b: stop there


def test_resolution_data_files_are_read_as_tab_separated_rows(tmp_path):
    table = tmp_path / "abbreviations.tsv"
    table.write_text("# a comment\n\n伊\t?\t伊朗\t伊拉克 科威特\n", encoding="utf-8")
    assert _rows(table) == [["伊", "?", "伊朗", "伊拉克 科威特"]]
    with pytest.raises(KgError, match="missing.tsv"):
        _rows(tmp_path / "missing.tsv")
