"""The corpus stage on the real seed pages: layout repair, article split, origins, encodings, input errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kg.corpus import read_corpus, repair_page, split_articles, split_sentences
from kg.corpus.text import normalize_width
from kg.errors import InputError

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PAGES = {path.name[:3]: path for path in sorted(SEEDS.glob("*.txt"))}

# Counted by hand, reading each page: datelines, bylines, closing notes and headlines.
ARTICLES_PER_PAGE = {"000": 5, "001": 2, "002": 4, "003": 7, "004": 9}


def raw(page: str) -> str:
    return PAGES[page].read_text(encoding="utf-8")


def repaired(page: str) -> str:
    return repair_page(raw(page))[0]


def articles(page: str):
    return list(read_corpus([str(PAGES[page])], progress=False))


def by_title(page: str, start: str):
    return next(a for a in articles(page) if a.title and a.title.startswith(start))


# --- layout repair ---------------------------------------------------------------------


def test_wrapped_lines_join_inside_words_and_paragraphs_stay():
    text = repaired("000")
    assert "阿勒泰地\n区" in raw("000") and "阿勒泰地\n区" not in text
    assert "阿勒泰地区各工业园区一派繁忙景象，成为拉动区域经济高质量发展的强劲“引擎”。" in text
    # a blank line inside a paragraph (page 000 line 65) is joined too
    assert "园区从“粗放型发展”向“功能型升级”转变" in text
    paragraphs = text.split("\n")
    assert "□记者 张楠" in paragraphs
    # a page printed a paragraph per line: a blank line inside a sentence is an OCR gap
    assert "总经理张立钦告诉笔者:“如果说咱们准东" in repaired("003")
    assert "为新疆岳山供应链管理有限公司完成装表接电" in repaired("003")
    assert all(p and p == p.strip() for p in paragraphs)


def test_double_spaced_page_keeps_its_paragraphs():
    # page 004 has a blank line after every printed line
    paragraphs = repaired("004").split("\n")
    assert "地委副书记、行署专员阿迪力·艾力主持会议。" in paragraphs
    assert "国有和民营企业要认清发展形势、增强发展信心，抢抓机遇、乘势而上，不断开创各项事业发展新局面。" in paragraphs
    assert "行署召开常务会议" in paragraphs and "研究规范涉企行政检查等工作" in paragraphs


def test_vertical_headline_is_rebuilt():
    assert "新疆有望成为全国最大三文鱼养殖省区" in repaired("004").split("\n")


def test_doubled_headlines_collapse_once():
    text = repaired("000")
    paragraphs = text.split("\n")
    assert "构建多层次园区发展矩阵" in paragraphs
    assert text.count("构建多层次园区发展矩阵") == 1
    assert "“九通一平”筑牢发展根基" in paragraphs
    assert "九通一平九通一平" not in text and "筑牢发展根基筑牢" not in text
    assert "精准招商催生产业集聚效应" in paragraphs


def test_letter_spaced_headline_and_caption_dropped_mid_sentence():
    assert "中国贸促会：助力外贸企业跑出“商事认证加速度”" in repaired("002").split("\n")
    # OCR put a photo caption inside "党支|部书记": the sentence reads whole, the caption follows it
    text = repaired("003")
    assert "庄浪户村党支部书记、村委会主任富清说。" in text
    assert "\n凉州户镇庄浪户村道路已摊铺上沥青。\n□丛双强摄\n" in text


def test_full_width_digits_and_letters_become_half_width(tmp_path):
    page = raw("002")
    assert "罗斯9610电商小包裹班列" in page and "综合查验 T" in page
    wide = page.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789T"})
    text, origins = repair_page(wide)
    assert "俄罗斯9610电商小包裹班列" in text and "综合查验 T场" in text
    assert "，" in text and "。" in text  # Chinese punctuation is kept
    assert (text, origins) == repair_page(page)


# --- articles --------------------------------------------------------------------------


@pytest.mark.parametrize("page", sorted(ARTICLES_PER_PAGE))
def test_each_page_splits_into_its_articles(page):
    found = articles(page)
    assert len(found) == ARTICLES_PER_PAGE[page]
    assert [a.index for a in found] == list(range(len(found)))
    for article in found:
        assert "\n\n" not in article.text and article.text == article.text.strip()
        if article.title:
            assert article.text.split("\n")[0] == article.title
        assert len(article.origins) == len(article.text)
        for start, end in article.sentences:
            assert 0 <= start < end <= len(article.text) and "\n" not in article.text[start:end]


def test_titles_and_bylines_on_page_000():
    found = articles("000")
    assert [a.title for a in found] == [
        "夯基筑巢引凤来 地区以园区为“引擎” 驱动经济发展“加速跑”",  # printed at the page's end
        "上半年新疆口岸客货运量双增长",
        "授予宋令东、王浩泽“英雄航天员”荣誉称号",  # printed under its story
        "陈小江艾尔肯·吐尼亚孜在喀什克孜勒苏和兵团草湖项目区调研 牢牢把握工作主线 大力夯实基层基础 "
        "推动高质量发展成果惠及民生凝聚人心",
        "谢少迪在吉木乃县、布尔津县调研",
    ]
    assert [a.byline for a in found] == [["张楠"], ["王娜", "陈助邦"], [], ["王兴瑞"], ["常轶茹"]]
    # the two stories between a dateline and a news agency's closing note are told apart
    assert found[1].text.split("\n")[-1].endswith("有效提升了口岸通关效率。")
    assert found[2].text.split("\n")[1].startswith("2024年10月30日，神舟十九号载人飞船成功发射")
    assert found[2].text.endswith("（新华社北京7月23日电）")
    # section subheads stay inside their article, as paragraphs
    assert "\n强平台\n构建多层次园区发展矩阵\n" in found[0].text
    assert all(a.date is None for a in found)  # "7月23日" prints no year


def test_titles_and_bylines_on_the_other_pages():
    assert by_title("004", "新疆有望成为全国最大三文鱼").byline == ["刘毅"]
    assert by_title("004", "地区快递业务量突破3100万件").byline == ["陆雪婷", "廖文燕"]
    assert by_title("004", "地区备案入库科技型中小企业162家").byline == ["胡潇潇", "李梦冰"]
    assert by_title("004", "志愿服务暖人心").byline == ["外力·克依木"]
    assert by_title("003", "高质量发展看准东").byline == ["余再兴", "周李"]
    assert by_title("003", "木垒县").byline == ["王梦君", "石倩"]
    qitai = by_title("003", "奇台镇实施“十小为民工程”")
    assert qitai.byline == ["张超"] and "夏日炎炎,奇台县奇台镇绿荫小区" in qitai.text
    assert by_title("002", "长风万里启新程").byline == ["齐丽格尔"]
    assert by_title("002", "州政协开展专题调研视察").byline == ["邹小梅", "白建刚"]
    assert by_title("002", "中国贸促会：").text.endswith("（新华社）")
    first, second = articles("001")
    assert first.title == "同心强产业 携手促发展 ——第十批省市援疆工作综述(上)" and first.byline == ["张治立"]
    assert "着眼长远 壮大特色优势产业" in first.text.split("\n")
    assert second.title == "每一棵寸草都忘不了你日夜守望" and second.byline == []


def test_date_when_the_dateline_prints_its_year(tmp_path):
    page = tmp_path / "dated.txt"
    page.write_text(raw("000").replace("新疆日报乌鲁木齐7月23日讯", "新疆日报乌鲁木齐2025年7月23日讯"), encoding="utf-8")
    found = list(read_corpus([str(page)], progress=False))
    assert [a.date for a in found] == [None, "2025-07-23", None, None, None]


def test_byline_and_dateline_stay_in_the_text():
    article = by_title("004", "地区快递业务量")
    assert article.text.split("\n")[1].startswith("本报阿克苏讯（记者 陆雪婷 通讯员 廖文燕）2月10日")


def test_a_page_without_markers_is_one_article(tmp_path):
    lines = raw("003").split("\n")
    page = tmp_path / "plain.txt"
    page.write_text("\n\n".join(lines[8:11:2]), encoding="utf-8")  # two body paragraphs of page 003
    (article,) = read_corpus([str(page)], progress=False)
    assert article.title is None and article.byline == []
    assert article.text == "\n".join(lines[8:11:2])
    headlines = tmp_path / "headlines.txt"
    headlines.write_text("高质量发展看准东\n", encoding="utf-8")
    (article,) = read_corpus([str(headlines)], progress=False)
    assert article.text == "高质量发展看准东"


def test_split_articles_takes_repaired_text_and_source():
    text, origins = repair_page(raw("002"))
    found = split_articles(text, origins, "page.txt")
    assert [a.source for a in found] == ["page.txt"] * 4
    assert split_articles("", [], "empty.txt") == []


# --- sentences -------------------------------------------------------------------------


def test_sentences_close_after_the_closing_quote():
    article = articles("000")[0]
    sentences = [article.sentence_text(i) for i in range(len(article.sentences))]
    assert "“要让企业‘引得进、留得住、发展好’，基础设施必须先行。”" in sentences
    assert "地区工业和信息化局园区招商科科长罗静表示。" in sentences
    assert "塔吊林立的建设现场、机器轰鸣的生产车间、接踵而至的招商洽谈……" in sentences


def test_split_sentences_on_each_mark():
    text = "他说：“好。”走了！真的？是的……完\n标题"
    assert [text[s:e] for s, e in split_sentences(text)] == ["他说：“好。”", "走了！", "真的？", "是的……", "完", "标题"]


# --- origins ---------------------------------------------------------------------------


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_character_maps_back_to_its_place_in_the_raw_page(page):
    lines = raw(page).split("\n")
    for article in articles(page):
        for offset, char in enumerate(article.text):
            line, column = article.origins[offset]
            if char in "\n ":
                continue  # separators the repair inserted
            assert normalize_width(lines[line - 1][column - 1]) == char, (article.title, offset)


def test_origins_of_a_joined_word_and_a_vertical_headline():
    article = articles("000")[0]
    offset = article.text.index("阿勒泰地区各工业园区")
    assert article.locate(offset + 3).line == 6 and article.locate(offset + 4).line == 7
    assert (article.locate(offset + 4).line, article.locate(offset + 4).column) == (7, 1)
    assert str(article.locate(offset + 4)) == f"{PAGES['000']}:7:1"
    salmon = by_title("004", "新疆有望成为全国最大三文鱼养殖省区")
    assert [salmon.origins[i] for i in (0, 1, 16)] == [(551, 1), (552, 1), (567, 1)]


# --- reading files ---------------------------------------------------------------------


def same_articles(left, right) -> bool:
    fields = ("index", "text", "title", "byline", "date", "sentences", "origins")
    return [[getattr(a, f) for f in fields] for a in left] == [[getattr(a, f) for f in fields] for a in right]


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig"])
def test_encodings_give_the_same_articles(tmp_path, encoding):
    for page in ("000", "004"):
        copy = tmp_path / f"{page}.txt"
        copy.write_bytes(raw(page).encode(encoding))
        found = list(read_corpus([str(copy)], progress=False))
        assert same_articles(found, articles(page))
        assert {a.source for a in found} == {str(copy)}


def test_directory_and_glob(tmp_path):
    found = list(read_corpus([str(SEEDS)], progress=False))
    assert len(found) == sum(ARTICLES_PER_PAGE.values())
    assert sorted({a.source for a in found}) == [str(p) for p in PAGES.values()]
    assert [a.source for a in found] == sorted(a.source for a in found)
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    shutil.copy(PAGES["001"], nested / "page.md")
    (tmp_path / "notes.csv").write_text("not a page", encoding="utf-8")
    assert [a.source for a in read_corpus([str(tmp_path)], progress=False)] == [str(nested / "page.md")] * 2
    globbed = list(read_corpus([str(SEEDS / "00[12]_*.txt")], progress=False))
    assert [a.source for a in globbed] == [str(PAGES["001"])] * 2 + [str(PAGES["002"])] * 4


def test_jsonl_records_are_documents(tmp_path):
    page = raw("002")
    records = [
        {"id": "n1", "text": "本报讯 记者张楠报道：阿勒泰地区工业园区入园企业达516家。", "title": "园区企业增多", "date": "2025-07-23"},
        {"id": 7, "text": page, "source": "ignored"},
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    found = list(read_corpus([str(path)], progress=False))
    assert len(found) == 1 + ARTICLES_PER_PAGE["002"]
    first = found[0]
    assert (first.doc_id, first.title, first.date, first.source) == ("n1", "园区企业增多", "2025-07-23", str(path))
    assert first.text.split("\n") == ["园区企业增多", "本报讯 记者张楠报道：阿勒泰地区工业园区入园企业达516家。"]
    assert first.byline == ["张楠"]
    assert [a.doc_id for a in found[1:]] == ["7/0", "7/1", "7/2", "7/3"]
    assert [a.index for a in found] == list(range(len(found)))
    assert len({a.id for a in found}) == len(found)
    assert [a.title for a in found[1:]] == [a.title for a in articles("002")]


def test_jsonl_bad_record(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": 1, "text": "好"}\n{"id": 2}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:2"):
        list(read_corpus([str(path)], progress=False))


def bad_inputs(tmp_path) -> dict[str, str]:
    undecodable = tmp_path / "binary.txt"
    undecodable.write_bytes(bytes(range(128, 256)) * 8)
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"\n  \n")
    no_text = tmp_path / "pictures"
    no_text.mkdir()
    (no_text / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    return {
        "missing": str(tmp_path / "missing.txt"),
        "undecodable": str(undecodable),
        "empty": str(empty),
        "no text": str(no_text),
        "no match": str(tmp_path / "*.jsonl"),
    }


@pytest.mark.parametrize("case", ["missing", "undecodable", "empty", "no text", "no match"])
def test_bad_input_raises_naming_it(tmp_path, case):
    path = bad_inputs(tmp_path)[case]
    with pytest.raises(InputError) as raised:
        list(read_corpus([path], progress=False))
    message = str(raised.value)
    assert message.startswith(path) and "\n" not in message


def test_bad_inputs_are_collected_and_the_rest_is_read(tmp_path):
    bad = bad_inputs(tmp_path)
    errors: list = []
    found = list(read_corpus([*bad.values(), str(PAGES["001"])], errors=errors, progress=False))
    assert sorted(str(e).split(":")[0] for e in errors) == sorted(bad.values())
    assert all(isinstance(e, InputError) for e in errors)
    assert [a.source for a in found] == [str(PAGES["001"])] * 2


def test_no_progress_bar_when_stderr_is_not_a_terminal(capsys):
    assert len(list(read_corpus([str(SEEDS)]))) == sum(ARTICLES_PER_PAGE.values())
    assert capsys.readouterr().err == ""
