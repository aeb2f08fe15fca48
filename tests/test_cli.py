"""`kg build` and `kg extract` end to end on the seed pages, and what bad input does."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from kg.cli import main
from kg.document import LABELS
from kg.export import atomic_write

RECORD_KEYS = {"source", "article", "title", "entities"}
ENTITY_KEYS = {"text", "label", "canonical", "start", "end", "sentence"}


def run_kg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def assert_one_clean_error(stderr: str, *names: str) -> None:
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("kg: error:")]
    for name in names:
        assert any(name in line for line in errors), (name, stderr)


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_build_writes_graphml_and_gexf_only_when_asked(seeds_out: Path, seeds_dir: Path, tmp_path, fmt, read):
    assert not (seeds_out / f"graph.{fmt}").exists()
    out = tmp_path / "out"
    assert main(["build", str(seeds_dir), "--out", str(out), "--cache", str(seeds_out / "cache"), "--format", fmt]) == 0
    graph = nx.node_link_graph(json.loads((out / "graph.json").read_text("utf-8")), edges="edges")
    written = read(out / f"graph.{fmt}")
    assert set(written) == set(graph)
    assert written.number_of_edges() == graph.number_of_edges()


def test_build_writes_the_four_files(seeds_out: Path, seeds_dir: Path):
    records = [json.loads(line) for line in (seeds_out / "entities.jsonl").read_text("utf-8").splitlines()]
    assert {r["source"] for r in records} == {str(p) for p in sorted(seeds_dir.glob("*.txt"))}
    assert all(set(r) == RECORD_KEYS for r in records)

    graph = nx.node_link_graph(json.loads((seeds_out / "graph.json").read_text("utf-8")), edges="edges")
    # The entity nodes are exactly the (label, canonical) of entities.jsonl, and with one node
    # per article they are all the nodes.
    names = {(d["label"], d["name"]) for _, d in graph.nodes(data=True) if d["kind"] == "entity"}
    assert {(e["label"], e["canonical"]) for r in records for e in r["entities"]} == names
    assert graph.number_of_nodes() == len(names) + len(records)
    # Counted again from entities.jsonl: one MENTIONS edge per article and entity, and two
    # entities co-occur once per sentence naming both.
    edges = Counter(key for _, _, key in graph.edges(keys=True))
    assert edges["MENTIONS"] == sum(len({(e["label"], e["canonical"]) for e in r["entities"]}) for r in records)
    windows = {}
    for r in records:
        for e in r["entities"]:
            windows.setdefault((r["source"], r["article"], e["sentence"]), set()).add(f"{e['label']}:{e['canonical']}")
    pairs = Counter(pair for nodes in windows.values() for pair in itertools.combinations(sorted(nodes), 2))
    weights = {(u, v): d["weight"] for u, v, k, d in graph.edges(keys=True, data=True) if k == "CO_OCCURS_WITH"}
    assert weights == dict(pairs)

    html = (seeds_out / "graph.html").read_text("utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") or "<html" in html[:500].lower()
    assert not list(seeds_out.glob(".*.tmp")), "a temporary file was left behind"


def test_extract_output_follows_the_schema(seeds_dir: Path, capsys):
    from kg.corpus import read_corpus

    pages = sorted(str(p) for p in seeds_dir.glob("*.txt"))
    assert main(["extract", *pages]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    articles = {(a.source, a.index): a for a in read_corpus(pages, progress=False)}

    assert len(records) == len(articles)
    labels_seen = set()
    for record in records:
        assert set(record) == RECORD_KEYS
        assert isinstance(record["article"], int) and (record["title"] is None or isinstance(record["title"], str))
        article = articles[record["source"], record["article"]]
        for entity in record["entities"]:
            assert set(entity) == ENTITY_KEYS
            assert entity["label"] in LABELS
            # offsets index the article's cleaned text, and the sentence holds the span
            assert article.text[entity["start"] : entity["end"]] == entity["text"]
            start, end = article.sentences[entity["sentence"]]
            assert start <= entity["start"] < end
            labels_seen.add(entity["label"])
    assert labels_seen == set(LABELS)


def test_missing_path_is_one_clean_line(tmp_path: Path):
    result = run_kg("extract", str(tmp_path / "no-such-page.txt"))
    assert result.returncode == 2
    assert_one_clean_error(result.stderr, "no-such-page.txt")
    assert result.stdout == ""


def test_empty_input_and_textless_directory(tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "page.png").write_bytes(b"\x89PNG\r\n")
    result = run_kg("extract", str(tmp_path / "empty.txt"), str(tmp_path / "pictures"))
    assert result.returncode == 2
    assert_one_clean_error(result.stderr, "empty.txt", "pictures")


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path, seeds_dir: Path):
    good = sorted(seeds_dir.glob("*.txt"))[0]
    bad = tmp_path / "garbled.txt"
    bad.write_bytes(bytes(range(256)) * 8)  # control bytes and NULs: no text encoding fits
    out = tmp_path / "out"
    result = run_kg("build", str(good), str(bad), str(tmp_path / "missing.txt"), "--out", str(out))
    assert result.returncode == 2
    assert_one_clean_error(result.stderr, "garbled.txt", "missing.txt")
    assert "1 files" in result.stderr  # the summary counts the good page
    sources = {json.loads(line)["source"] for line in (out / "entities.jsonl").read_text("utf-8").splitlines()}
    assert sources == {str(good)}


def test_interrupted_write_keeps_the_previous_file(tmp_path: Path):
    target = tmp_path / "graph.json"
    target.write_text("previous run", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        with atomic_write(target) as handle:
            handle.write("half of a new graph")
            raise KeyboardInterrupt
    assert target.read_text(encoding="utf-8") == "previous run"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.json"]


def test_outputs_are_readable_like_any_new_file(tmp_path: Path):
    import os
    import stat

    mask = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "graph.json") as handle:
            handle.write("{}")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "graph.json").stat().st_mode) == 0o644


def test_seeds_graph_from_the_real_pipeline_answers_the_graph_issue(seeds_out: Path):
    from kg.export import read_graph

    graph = read_graph(seeds_out)
    nodes = graph.nodes
    # aliases the page declares (以下简称准东开发区) and short forms it establishes are one node
    assert {"准东", "准东开发区"} <= set(nodes["PLACE:新疆准东经济技术开发区"]["aliases"])
    assert "PLACE:准东开发区" not in nodes
    # gazetteer short forms resolve to the official name
    assert "博州" in nodes["PLACE:博尔塔拉蒙古自治州"]["aliases"] and "PLACE:博州" not in nodes
    # 阿拉山口市党委书记张凯: the role, linked to the body (or the place) it names
    roles = [(v, d["title"]) for _, v, k, d in graph.out_edges("PERSON:张凯", keys=True, data=True) if k == "HOLDS_ROLE"]
    assert any(title == "党委书记" and "阿拉山口市" in target for target, title in roles), roles
    # the region's two leaders share many sentences
    pair = sorted(["PERSON:陈小江", "PERSON:艾尔肯·吐尼亚孜"])
    assert graph.edges[pair[0], pair[1], "CO_OCCURS_WITH"]["weight"] >= 3
    # people sharing a surname stay apart
    assert {"PERSON:张凯", "PERSON:张楠"} <= set(nodes)
