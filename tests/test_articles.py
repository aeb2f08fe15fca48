"""Where kg.corpus.articles cuts a page and which article a headline heads, on repaired pages
put together in each test from paragraphs of the seed pages (000, 001, 004), so that each page
reaches one rule. The expected articles are read off the page as printed."""

from __future__ import annotations

from kg.corpus import repair_page, split_articles
from kg.document import Credit

# Paragraphs of the seed pages, whole sentences as printed.
PARK = "阿勒泰地区各工业园区一派繁忙景象，成为拉动区域经济高质量发展的强劲“引擎”。"  # 000
SHENZHOU = "神舟十九号载人飞行任务的圆满成功，凝聚着广大科技工作者、航天员、干部职工、解放军指战员的智慧和心血。"  # 000
HEROES = "蔡旭哲、宋令东、王浩泽同志是不忘初心、牢记使命、献身崇高事业的时代先锋，是探索宇宙、筑梦太空、建设航天强国的标兵模范。"  # 000
FUTURE = "“未来，我们将继续以园区为主阵地，深耕产业培育，深化改革创新，推动更多优质项目落地生根，让地区经济高质量发展跑出‘加速度’。”冯翠伟说。"  # 000
SURVEY = "本报讯（记者 常轶茹）近日，地委书记谢少迪在吉木乃县、布尔津县调研。"  # 000
TRADE = "新疆日报乌鲁木齐7月23日讯 上半年，新疆口岸客货运量双增长。"  # 000's dateline, 000's headline as its words
POLICY = "陈小江强调，要深刻把握党中央对新疆工作的部署要求，把握南疆工作在新疆发展全局中的特殊重要地位。"  # 000
SALMON = "本报讯 新疆有望成为全国最大三文鱼养殖省区。"  # 004's headline under a dateline


def split(*paragraphs: str) -> list[str]:
    """The texts of the articles of a repaired page (`repair_page`'s output) of `paragraphs`."""
    text = "\n".join(paragraphs)
    origins = [(line, column) for line, p in enumerate(paragraphs, 1) for column in range(1, len(p) + 2)][: len(text)]
    return [article.text for article in split_articles(text, origins, "page.txt")]


def test_a_byline_opened_story_closed_by_a_news_agency_note_holds_two_stories():
    # A local story (byline, one paragraph) and a Xinhua story run together: the cut falls
    # between the two, the one place where the words change; the note stays with Xinhua's.
    closing = HEROES + "（新华社北京7月23日电）"
    assert split("□记者 张楠", PARK, SHENZHOU, closing) == [f"□记者 张楠\n{PARK}", f"{SHENZHOU}\n{closing}"]
    # With two paragraphs of the local story, the cut is the second of the two places it could fall.
    assert split("□记者 张楠", PARK, FUTURE, SHENZHOU, closing) == [f"□记者 张楠\n{PARK}\n{FUTURE}", f"{SHENZHOU}\n{closing}"]


def test_a_news_agency_story_too_short_to_cut_stays_whole():
    # A dateline and two paragraphs, the second closed by the agency's note: no place to cut
    # that leaves each side a paragraph of body.
    closing = HEROES + "（新华社北京7月23日电）"
    assert split(SURVEY, SHENZHOU, closing) == [f"{SURVEY}\n{SHENZHOU}\n{closing}"]


def test_a_continued_note_closes_its_article():
    # "（下转第二版）" ends the story; the undated paragraphs after it are another article,
    # though they speak of the same things and no headline or dateline stands between.
    continued = POLICY + "（下转第二版）"
    assert split(SURVEY, continued, POLICY, PARK) == [f"{SURVEY}\n{continued}", f"{POLICY}\n{PARK}"]


def test_a_headline_sharing_no_words_heads_the_article_printed_below_it():
    # "每一棵寸草都忘不了你日夜守望" (page 001's title) shares no two characters with any story
    # here: printed between the first and second articles it heads the second, and printed
    # at the page's end, the last.
    poem = "每一棵寸草都忘不了你日夜守望"
    assert split(TRADE, poem, SURVEY, SALMON) == [TRADE, f"{poem}\n{SURVEY}", SALMON]
    assert split(TRADE, SURVEY, SALMON, poem) == [TRADE, SURVEY, f"{poem}\n{SALMON}"]


def test_paragraphs_read_before_a_byline_move_to_its_story_when_they_share_its_words():
    # OCR read the first paragraph of the byline's story (on the parks, as its other paragraph
    # is) before the byline: it goes to that story, in front. A paragraph sharing no words
    # with either side stays where it was read.
    assert split(SURVEY, POLICY, FUTURE, "□记者 张楠", PARK) == [f"{SURVEY}\n{POLICY}", f"{FUTURE}\n□记者 张楠\n{PARK}"]
    assert split(SURVEY, POLICY, HEROES, "□记者 张楠", PARK) == [f"{SURVEY}\n{POLICY}\n{HEROES}", f"□记者 张楠\n{PARK}"]
    # only to a story opened by a byline: not to one that opens with its dateline
    assert split(SURVEY, POLICY, FUTURE, f"本报讯 {PARK}") == [f"{SURVEY}\n{POLICY}\n{FUTURE}", f"本报讯 {PARK}"]
    # the story above keeps its dateline and first paragraph: nothing to move from two
    assert split(SURVEY, FUTURE, "□记者 张楠", PARK) == [f"{SURVEY}\n{FUTURE}", f"□记者 张楠\n{PARK}"]


def test_a_byline_under_a_headline_goes_with_the_story_below():
    # headline, byline, then a second headline line (a subtitle) above the story's dateline:
    # the byline belongs to that story, as does a byline printed last on the page (its story
    # continues on another page).
    title, subtitle = "高质量发展看准东", "园区从“粗放型”向“功能型”转变"
    assert split(TRADE, title, "□记者 张楠", subtitle, SURVEY) == [TRADE, f"{title} {subtitle}\n□记者 张楠\n{SURVEY}"]
    assert split(TRADE, title, "□记者 张楠") == [TRADE, f"{title}\n□记者 张楠"]


def test_one_title_per_article_the_next_headline_goes_to_its_next_choice():
    # Page 000's title of its parks story, printed above it, and one of that story's subheads
    # read apart from it, above the next story. The title takes the parks story; the
    # subhead ("园区", "发展") would too, but the story has its title: it heads the next
    # story, which shares "发展" with it, or, sharing nothing, joins the parks story's title.
    title, subhead = "夯基筑巢引凤来 地区以园区为“引擎” 驱动经济发展“加速跑”", "构建多层次园区发展矩阵"
    policy = f"本报讯 {POLICY}"
    assert split(title, "□记者 张楠", PARK, FUTURE, subhead, policy) == [
        f"{title}\n□记者 张楠\n{PARK}\n{FUTURE}",
        f"{subhead}\n{policy}",
    ]
    assert split(title, "□记者 张楠", PARK, FUTURE, subhead, TRADE) == [
        f"{title} {subhead}\n□记者 张楠\n{PARK}\n{FUTURE}",
        TRADE,
    ]
    # and so with the parks story alone on the page
    assert split(title, "□记者 张楠", PARK, FUTURE, subhead) == [f"{title} {subhead}\n□记者 张楠\n{PARK}\n{FUTURE}"]


def test_a_headline_inside_an_article_over_other_words_starts_a_new_story():
    # Page 000's two-line headline of 陈小江's visit and its one-line headline of the
    # astronauts' honours, printed inside a run of text with no dateline: the text under each
    # shares no two characters with the text above it.
    visit = ["陈小江艾尔肯·吐尼亚孜在喀什克孜勒苏和兵团草湖项目区调研", "牢牢把握工作主线 大力夯实基层基础"]
    honours = "授予宋令东、王浩泽“英雄航天员”荣誉称号"
    assert split(SURVEY, *visit, POLICY, honours, HEROES) == [SURVEY, f"{' '.join(visit)}\n{POLICY}", f"{honours}\n{HEROES}"]


def test_an_article_keeps_the_credits_of_its_dateline():
    # page 000's dateline: a reporter of two publications and a correspondent
    text, origins = repair_page("新疆日报乌鲁木齐7月23日讯（石榴云/新疆日报记者 王娜 通讯员陈助邦）从新疆出入境边防检查总站获悉。")
    (article,) = split_articles(text, origins, "page.txt")
    assert article.credits == [Credit("王娜", "记者", ("石榴云", "新疆日报")), Credit("陈助邦", "通讯员")]
    assert article.byline == ["王娜", "陈助邦"]


def test_a_question_or_a_long_clause_in_the_body_is_no_headline():
    # A short question under a paragraph (not under a headline) and a clause of more than 45
    # characters ending in "；" are body text: no headline, so no new story after them.
    question, clause = "园区靠什么吸引企业？", "一是坚持规划引领，科学编制园区发展规划，持续优化空间布局，推动园区从“粗放型发展”向“功能型升级”转变；"
    assert len(clause) > 45
    assert split(SURVEY, question, POLICY) == [f"{SURVEY}\n{question}\n{POLICY}"]
    assert split(SURVEY, clause, POLICY) == [f"{SURVEY}\n{clause}\n{POLICY}"]
