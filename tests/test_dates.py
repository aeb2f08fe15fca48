"""Where an article's date comes from (kg/corpus/dates.py): each source, the order between them,
month-day datelines with and without a known year, and `kg build --date/--since/--until`.

The dates expected are read off the inputs by hand: seed page 000 prints three datelines of
7月23日 without a year (articles 1-3: 新疆日报乌鲁木齐7月23日讯, 新华社北京7月23日电,
新疆日报阿图什7月23日讯) and none in articles 0 and 4.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from kg.cli import main
from kg.corpus import read_file
from kg.corpus.dates import assign_default
from kg.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "seeds" / "000_63a1591ff90d9bd4.txt"
SAMPLE = ROOT / "notebooks" / "seeds_dated.jsonl"
MONTH_DAY = [None, (7, 23), (7, 23), (7, 23), None]  # page 000's articles, by hand


def page_at(tmp_path: Path, relative: str, text: str | None = None) -> Path:
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text is not None else PAGE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def dates(path: Path) -> list[str | None]:
    return [article.date for article in read_file(str(path))]


def jsonl(tmp_path: Path, relative: str, *records: dict) -> Path:
    return page_at(tmp_path, relative, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


# ---- each source -------------------------------------------------------------------------------------


def test_an_undated_page_has_no_dates(tmp_path):
    assert dates(page_at(tmp_path, "page.txt")) == [None] * 5


@pytest.mark.parametrize(
    "relative",
    ["2024-07-24/page.txt", "xjrb_20240724_1.txt", "2024/07/24/page.txt", "新疆日报2024年7月24日.txt"],
)
def test_a_date_in_the_path_dates_every_article(tmp_path, relative):
    assert dates(page_at(tmp_path, relative)) == ["2024-07-24"] * 5


@pytest.mark.parametrize("relative", ["20241301/page.txt", "scan_2024072412.txt", "000_63a1591ff90d9bd4.txt"])
def test_numbers_in_the_path_that_are_no_date_date_nothing(tmp_path, relative):
    assert dates(page_at(tmp_path, relative)) == [None] * 5


def test_the_file_name_dates_a_page_before_its_folders(tmp_path):
    assert dates(page_at(tmp_path, "2023/01/01/2024-07-24.txt")) == ["2024-07-24"] * 5


def test_a_dateline_or_closing_note_printing_its_year_dates_its_article(tmp_path):
    text = PAGE.read_text(encoding="utf-8")
    text = text.replace("阿图什7月23日讯", "阿图什2025年7月23日讯").replace("北京7月23日电", "北京2024年10月30日电")
    assert dates(page_at(tmp_path, "page.txt", text)) == [None, None, "2024-10-30", "2025-07-23", None]


@pytest.mark.parametrize("given", ["2024-07-23", "2024-07-23T09:30:00+08:00", "2024年7月23日", "2024年07月23日"])
def test_a_jsonl_record_date_in_either_form(tmp_path, given):
    path = jsonl(tmp_path, "news.jsonl", {"id": "a", "text": "阿拉山口市口岸货运量增长。", "date": given})
    assert dates(path) == ["2024-07-23"]


@pytest.mark.parametrize("given", ["yesterday", "2024-02-30", "23/07/2024", 20240723])
def test_a_bad_record_date_is_one_line_naming_file_line_and_value(tmp_path, given):
    path = jsonl(tmp_path, "news.jsonl", {"id": "a", "text": "正文。"}, {"id": "b", "text": "正文。", "date": given})
    with pytest.raises(InputError) as caught:
        read_file(str(path))
    message = str(caught.value)
    assert message.startswith(f"{path}:2: ") and repr(given) in message and "\n" not in message


def test_an_empty_or_null_record_date_is_no_date(tmp_path):
    path = jsonl(tmp_path, "news.jsonl", {"id": "a", "text": "正文。", "date": ""}, {"id": "b", "text": "正文。", "date": None})
    assert dates(path) == [None, None]


# ---- the order between them ------------------------------------------------------------------------


def test_record_date_then_path_then_dateline(tmp_path):
    dateline = "本报讯 新华社北京2022年3月4日电 阿拉山口市口岸货运量增长。"
    record = {"id": "a", "text": dateline, "date": "2024年7月23日"}
    undated = {"id": "a", "text": dateline}
    assert dates(jsonl(tmp_path, "2021-01-01/a.jsonl", record)) == ["2024-07-23"]  # the record's own
    assert dates(jsonl(tmp_path, "2021-01-01/b.jsonl", undated)) == ["2021-01-01"]  # the path's
    assert dates(jsonl(tmp_path, "plain/c.jsonl", undated)) == ["2022-03-04"]  # the dateline's


# ---- month and day without a year ------------------------------------------------------------------


def with_default(path: Path, default: str | None) -> list[str | None]:
    articles = read_file(str(path))
    for article in articles:
        assign_default(article, default)
    return [article.date for article in articles]


def test_month_day_datelines_stay_undated_without_a_known_year(tmp_path):
    assert with_default(page_at(tmp_path, "page.txt"), None) == [None] * 5


def test_month_day_datelines_take_the_year_of_the_given_date(tmp_path):
    # Articles 1-3 print 7月23日: that day in the year of --date; 0 and 4 print none: --date itself.
    page = page_at(tmp_path, "page.txt")
    assert with_default(page, "2025-07-24") == ["2025-07-24", "2025-07-23", "2025-07-23", "2025-07-23", "2025-07-24"]
    # The nearest 23 July to 2 January 2025 is 2024's (163 days before; 2025's is 202 days after).
    assert with_default(page, "2025-01-02") == ["2025-01-02", "2024-07-23", "2024-07-23", "2024-07-23", "2025-01-02"]


def test_month_day_datelines_of_a_traditional_page_take_the_year_too(tmp_path):
    from kg.corpus.script import to_traditional

    page = page_at(tmp_path, "page.txt", to_traditional(PAGE.read_text(encoding="utf-8")))
    assert "7月23日訊" in page.read_text(encoding="utf-8")
    assert with_default(page, "2025-07-24") == ["2025-07-24", "2025-07-23", "2025-07-23", "2025-07-23", "2025-07-24"]


def test_a_new_years_eve_dateline_printed_in_january_is_of_the_year_before(tmp_path):
    page = page_at(tmp_path, "page.txt", PAGE.read_text(encoding="utf-8").replace("7月23日", "12月31日"))
    assert with_default(page, "2025-01-01")[1:4] == ["2024-12-31"] * 3


def test_the_given_date_never_overrides_a_stated_one(tmp_path):
    assert with_default(page_at(tmp_path, "2024-07-24/page.txt"), "2025-01-01") == ["2024-07-24"] * 5


# ---- kg build --------------------------------------------------------------------------------------


def article_dates(out: Path) -> dict[str, str]:
    graph = nx.node_link_graph(json.loads((out / "graph.json").read_text("utf-8")), edges="edges")
    return {node: data["date"] for node, data in graph.nodes(data=True) if data["kind"] == "article"}


def test_build_date_is_applied_after_the_cache_and_never_stored_in_it(tmp_path):
    page = page_at(tmp_path, "page.txt")
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert main(["build", str(page), "--out", str(out), "--cache", str(cache), "--jobs", "1", "--quiet", "--date", "2025-07-24"]) == 0
    assert sorted(article_dates(out).values()) == ["2025-07-23"] * 3 + ["2025-07-24"] * 2
    assert main(["build", str(page), "--out", str(out), "--cache", str(cache), "--jobs", "1", "--quiet"]) == 0
    assert list(article_dates(out).values()) == [""] * 5  # taken from the cache, undated as the page is


def test_build_since_until_keep_only_articles_dated_in_the_range(tmp_path):
    # The sample's records are dated 2025-07-23 (000), none (001), 2023-11-23 (002), 2025-07-10 (003)
    # and 2025-02-11 (004); each record's articles are those the reader finds in it.
    records = {json.loads(line)["id"][:3]: json.loads(line)["date"] for line in SAMPLE.read_text("utf-8").splitlines()}
    assert records == {"000": "2025-07-23", "001": None, "002": "2023-11-23", "003": "2025-07-10", "004": "2025-02-11"}
    by_record: dict[str, set[str]] = {}
    for article in read_file(str(SAMPLE)):
        by_record.setdefault(article.doc_id[:3], set()).add(f"ARTICLE:{article.id}")
    cache = tmp_path / "cache"

    def build(*options: str) -> dict[str, str]:
        out = tmp_path / "-".join(options)
        assert main(["build", str(SAMPLE), "--out", str(out), "--cache", str(cache), "--jobs", "1", "--quiet", *options]) == 0
        return article_dates(out)

    first_half = build("--since", "2025-01-01", "--until", "2025-06-30")
    assert set(first_half) == by_record["004"] and set(first_half.values()) == {"2025-02-11"}
    assert set(build("--since", "2025-07-10")) == by_record["000"] | by_record["003"]
    assert set(build("--until", "2025-07-09")) == by_record["002"] | by_record["004"]
    assert set(build("--since", "2023-11-23", "--until", "2023-11-23")) == by_record["002"]


def test_a_bad_date_option_is_one_clear_line(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["build", "seeds", "--out", "x", "--since", "2025-13-01"])
    assert exited.value.code == 2
    assert "argument --since: '2025-13-01' is not a date (YYYY-MM-DD)" in capsys.readouterr().err
