"""Traditional Chinese news: read as Simplified, printed as it came (issue 23).

The Traditional pages are the seed pages through OpenCC's s2t, the converter the issue names;
what they must give is what the Simplified pages give.
"""

from __future__ import annotations

import json
from pathlib import Path

import opencc
import pytest
from test_viewer import driver, open_viewer, wait_until_focused  # noqa: F401 (driver: a fixture)

from kg.corpus import read_file
from kg.graph import GraphBuilder, build_graph
from kg.nlp import annotate, load_pipeline
from kg.tagging import tag_files

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
BYLINES_PAGE = SEEDS / "004_7cc9aa30a3f8f0b1.txt"  # 9 articles, 14 reporters' names
ZHUNDONG_PAGE = SEEDS / "003_24c6052ba0c1ecb6.txt"  # prints one Traditional character: 海峽


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline("auto")


@pytest.fixture(scope="module")
def traditional(tmp_path_factory) -> dict[str, Path]:
    """Each seed page's Traditional twin, under the same file name in another folder."""
    s2t = opencc.OpenCC("s2t.json")
    folder = tmp_path_factory.mktemp("traditional")
    for page in SEEDS.glob("*.txt"):
        (folder / page.name).write_text(s2t.convert(page.read_text(encoding="utf-8")), encoding="utf-8")
    return {page.name: page for page in folder.glob("*.txt")}


def tagged(nlp, path: Path, script: str = "auto"):
    return list(annotate(read_file(str(path), script=script), nlp, progress=False, script=script))


def canonical(articles) -> list[tuple[str, str]]:
    return sorted((m.label, m.canonical) for a in articles for m in a.mentions)


def test_a_traditional_page_gives_the_entities_of_its_simplified_twin(nlp, traditional):
    simplified = tagged(nlp, BYLINES_PAGE)
    printed = tagged(nlp, traditional[BYLINES_PAGE.name])
    s2t = opencc.OpenCC("s2t.json")
    assert [a.title for a in printed] == [a.title and s2t.convert(a.title) for a in simplified]
    assert len(canonical(simplified)) > 100
    assert canonical(printed) == canonical(simplified)
    # Read as printed, without the conversion, the same page loses most of what it names.
    unread = tagged(nlp, traditional[BYLINES_PAGE.name], script="simplified")
    assert len(canonical(unread)) < 0.8 * len(canonical(simplified))


def test_offsets_and_bylines_index_the_printed_text(nlp, traditional):
    path = traditional[ZHUNDONG_PAGE.name]
    raw_lines = path.read_text(encoding="utf-8").splitlines()
    articles = tagged(nlp, path)
    mentions = [(a, m) for a in articles for m in a.mentions]
    assert len(mentions) > 100
    for article, mention in mentions:
        assert article.text[mention.start : mention.end] == mention.text
        where = article.locate(mention.start)  # back to the Traditional file itself
        assert raw_lines[where.line - 1][where.column - 1] == mention.text[0]
    # Worked by hand: 準 is 准 in Simplified; 余再兴's byline is printed 餘再興 by s2t.
    found = {(m.text, m.canonical) for _, m in mentions}
    assert ("新疆準能重工有限公司", "新疆准能重工有限公司") in found
    assert articles[0].byline[0] == "餘再興"
    assert ("餘再興", "余再兴") in found
    # The Simplified page finds the same mentions at the same offsets.
    twin = tagged(nlp, ZHUNDONG_PAGE)
    assert [[(m.start, m.end, m.label) for m in a.mentions] for a in articles] == [
        [(m.start, m.end, m.label) for m in a.mentions] for a in twin
    ]


def test_a_corpus_in_both_scripts_makes_one_node_of_each_entity(nlp, traditional):
    simplified = tagged(nlp, BYLINES_PAGE)
    both = build_graph(simplified + tagged(nlp, traditional[BYLINES_PAGE.name]))
    alone = build_graph(simplified)
    entities = {n for n, a in both.nodes(data=True) if a.get("kind") == "entity"}
    assert entities == {n for n, a in alone.nodes(data=True) if a.get("kind") == "entity"}
    # 乌什县林业和草原局 is printed 烏什縣林業和草原局 in the twin (s2t, checked by hand): one node
    node = "ORG:乌什县林业和草原局"
    assert "烏什縣林業和草原局" in both.nodes[node]["aliases"]
    assert both.nodes[node]["mentions"] == 2 * alone.nodes[node]["mentions"]


def test_a_mixed_file_reads_each_article_in_its_own_script(nlp, tmp_path):
    simplified = "本报讯 记者 胡潇潇 报道 阿勒泰地区哈巴河县与新疆准东经济技术开发区签约。"
    records = [{"id": "s", "text": simplified}, {"id": "t", "text": opencc.OpenCC("s2t.json").convert(simplified)}]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    first, second = tagged(nlp, path)
    assert first.text == simplified and second.text == records[1]["text"]
    assert canonical([first]) == canonical([second])
    assert ("PLACE", "新疆准东经济技术开发区") in canonical([second])
    assert second.byline == ["胡瀟瀟"]


def test_a_simplified_page_is_read_untouched(nlp):
    # The page prints 海峽: converted, its company would be named 海峡(新疆)能源有限责任公司.
    auto, untouched = tagged(nlp, ZHUNDONG_PAGE), tagged(nlp, ZHUNDONG_PAGE, script="simplified")
    assert [a.text for a in auto] == [a.text for a in untouched]
    assert [[m.to_record() for m in a.mentions] for a in auto] == [[m.to_record() for m in a.mentions] for a in untouched]
    assert ("ORG", "海峽(新疆)能源有限责任公司") in canonical(auto)


def test_the_cache_keeps_each_script_apart(traditional, tmp_path):
    page = str(traditional[BYLINES_PAGE.name])
    auto = next(tag_files([page], cache=tmp_path))
    forced = next(tag_files([page], cache=tmp_path, script="simplified"))
    assert not forced.cached
    assert len(canonical(forced.articles)) < len(canonical(auto.articles))
    assert next(tag_files([page], cache=tmp_path)).cached


def test_the_viewer_finds_an_entity_typed_in_either_script(driver, nlp, tmp_path):  # noqa: F811
    from kg.export.viewer import write_viewer

    # A graph of the Simplified page alone: no Traditional surface is among its aliases.
    graph = build_graph(tagged(nlp, BYLINES_PAGE))
    node = "ORG:乌什县林业和草原局"
    assert "烏什縣林業和草原局" not in graph.nodes[node]["aliases"]
    open_viewer(driver, write_viewer(graph, tmp_path / "graph.html"))
    search = driver.find_element("id", "search-input")
    search.send_keys("烏什縣林業和草原局\n")
    wait_until_focused(driver, node)
    assert driver.find_element("id", "status").text == "found 乌什县林业和草原局 (ORG)"


def test_aliases_a_traditional_page_declares_are_read_and_its_printed_forms_are_of_the_script(nlp, traditional):
    def aliases(articles):
        builder = GraphBuilder()
        for article in articles:
            builder.add(article)
        builder.finish()
        return builder.aliases()

    simplified = aliases(tagged(nlp, ZHUNDONG_PAGE))
    printed = aliases(tagged(nlp, traditional[ZHUNDONG_PAGE.name]))
    # The page declares 准东开发区 (以下簡稱準東開發區 in the twin) and 准东分局.
    assert [row for row in simplified if row[3] == "declared"] == [row for row in printed if row[3] == "declared"]
    assert ("准东开发区", "PLACE", "新疆准东经济技术开发区", "declared", 1) in printed
    assert set(simplified) <= set(printed)
    script = [row for row in printed if row[3] == "script"]
    assert ("準東開發區", "PLACE", "新疆准东经济技术开发区", "script", 1) in script
    assert set(printed) - set(simplified) == set(script)


def test_kg_extract_reads_in_the_script_it_is_told(traditional, capsys):
    from kg.cli import main

    page = str(traditional[BYLINES_PAGE.name])

    def extract(*options) -> list[tuple[str, str]]:
        assert main(["extract", page, "--jobs", "1", "--quiet", *options]) == 0
        records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        return sorted((e["label"], e["canonical"]) for r in records for e in r["entities"])

    auto = extract()
    assert extract("--script", "traditional") == auto
    assert len(extract("--script", "simplified")) < 0.8 * len(auto)
    with pytest.raises(SystemExit):
        main(["extract", page, "--script", "cyrillic"])
    assert "invalid choice: 'cyrillic'" in capsys.readouterr().err
