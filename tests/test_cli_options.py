"""Each option of `kg build`, `kg extract`, `kg export`, `kg view`, `kg neo4j push`, `kg evaluate`
and `kg train`, run through `kg.cli.main`, with its effect checked against an answer computed here.

The builds read two seed pages (000 and 001: 5 and 2 articles, counted by hand in
tests/test_corpus.py) and tag them with kg's rules on a blank Chinese spaCy pipeline given as
`--model`: a build takes about a second, so mutation testing can run these tests for each of
kg/cli.py's mutants (the real model's build of all the seeds is tests/test_cli.py's). What is
expected is recounted from each build's entities.jsonl and the article texts (read by
kg.corpus), and PageRank comes from networkx on that recount.
(--jobs N, --cache and --scheduler at work are tested in tests/test_build.py.)
"""

from __future__ import annotations

import csv
import importlib.metadata
import itertools
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
import spacy

from kg.cli import main
from kg.corpus import read_corpus
from kg.export import read_graph

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PAGES = [str(path) for path in sorted(SEEDS.glob("*.txt"))[:2]]
ARTICLES = 5 + 2
FORMATS = {
    "json": ["graph.json"],
    "graphml": ["graph.graphml"],
    "gexf": ["graph.gexf"],
    "cypher": ["graph.cypher"],
    "neo4j-admin": ["neo4j-admin"],
}


@pytest.fixture(scope="module")
def rules_only(tmp_path_factory) -> str:
    """A blank Chinese spaCy pipeline on disk: `--model` with it tags with kg's rules alone."""
    path = tmp_path_factory.mktemp("rules-only")
    spacy.blank("zh").to_disk(path)
    return str(path)


@pytest.fixture
def build(rules_only, tmp_path_factory):
    """Runs `kg build PAGES --out NEW OPTIONS` with kg's rules alone; returns NEW."""

    def run(*options: str, paths: list[str] = PAGES, code: int = 0) -> Path:
        out = tmp_path_factory.mktemp("build")
        assert main(["build", *paths, "--out", str(out), "--model", rules_only, "--jobs", "1", *options]) == code
        return out

    return run


def records(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "entities.jsonl").read_text("utf-8").splitlines()]


def windows(out: Path) -> dict:
    """The entities of each window, recounted from the build's entities.jsonl and the article
    texts: {window: {(source, article, number): {node ids}}}."""
    sources = sorted({record["source"] for record in records(out)})
    texts = {(a.source, a.index): a.text for a in read_corpus(sources, progress=False)}
    found = {"sentence": {}, "paragraph": {}, "article": {}}
    for record in records(out):
        text = texts[record["source"], record["article"]]
        for entity in record["entities"]:
            node = f"{entity['label']}:{entity['canonical']}"
            article = (record["source"], record["article"])
            found["sentence"].setdefault((*article, entity["sentence"]), set()).add(node)
            found["paragraph"].setdefault((*article, text.count("\n", 0, entity["start"])), set()).add(node)
            found["article"].setdefault((*article, 0), set()).add(node)
    return found


def pair_weights(windows: dict) -> Counter:
    return Counter(pair for nodes in windows.values() for pair in itertools.combinations(sorted(nodes), 2))


def cooccurrence(graph) -> dict[tuple[str, str], int]:
    return {(u, v): d["weight"] for u, v, k, d in graph.edges(keys=True, data=True) if k == "CO_OCCURS_WITH"}


def entities(graph) -> set[str]:
    return {n for n, kind in graph.nodes(data="kind") if kind == "entity"}


def viewer_data(path: Path) -> dict:
    page = path.read_text("utf-8")
    return json.loads(re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', page, re.S)[1])


def summary(stderr: str) -> str:
    return next(line for line in stderr.splitlines() if re.match(r"kg build: \d+ files", line))


def test_build_writes_the_graph_its_entities_recount(build, capsys):
    out = build()
    found = records(out)
    assert [(r["source"], r["article"]) for r in found] == [(PAGES[0], i) for i in range(5)] + [(PAGES[1], 0), (PAGES[1], 1)]
    graph = read_graph(out)
    assert entities(graph) == {f"{e['label']}:{e['canonical']}" for r in found for e in r["entities"]}
    assert cooccurrence(graph) == dict(pair_weights(windows(out)["sentence"]))
    mentions = sum(len({(e["label"], e["canonical"]) for e in r["entities"]}) for r in found)
    assert Counter(key for _, _, key in graph.edges(keys=True))["MENTIONS"] == mentions
    # aliases.tsv: each alias row names an entity of the graph under another name
    rows = [line.split("\t") for line in (out / "aliases.tsv").read_text("utf-8").splitlines()[1:]]
    assert rows and all(f"{label}:{canonical}" in graph and alias != canonical for alias, label, canonical, *_ in rows)
    err = capsys.readouterr().err
    labels = Counter(e["label"] for r in found for e in r["entities"])
    assert summary(err).startswith(
        f"kg build: 2 files, {ARTICLES} articles, " + ", ".join(f"{labels[k]} {k}" for k in sorted(labels))
        + f"; {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges; "
    )
    written = ["entities.jsonl", "graph.json", "aliases.tsv", "graph.html"]
    assert [line for line in err.splitlines() if "wrote" in line] == [f"  wrote {out / name}" for name in written]
    assert not (out / "graph.gexf").exists() and not (out / "graph.graphml").exists()  # only with --format
    assert any((out / "cache").iterdir())  # the tagged pages, kept for the next build,
    assert len(list((out / "cache").rglob("graph-*/*"))) == 2  # and each page's part of the graph
    assert len(viewer_data(out / "graph.html")["nodes"]) == len(entities(graph))  # fewer than 500


@pytest.mark.parametrize("window", ["sentence", "paragraph", "article"])
def test_window_counts_co_occurrences_per_window(build, window):
    out = build("--window", window)
    graph = read_graph(out)
    assert graph.graph["window"] == window
    assert cooccurrence(graph) == dict(pair_weights(windows(out)[window]))


def test_min_weight_keeps_the_heavier_edges_and_every_entity(build):
    out = build("--min-weight", "3")
    graph, sentences = read_graph(out), windows(out)["sentence"]
    weights = pair_weights(sentences)
    assert cooccurrence(graph) == {pair: weight for pair, weight in weights.items() if weight >= 3}
    assert 0 < len(cooccurrence(graph)) < len(weights)
    assert entities(graph) == set().union(*sentences.values())


def test_top_keeps_the_entities_of_highest_weighted_pagerank(build):
    everything = build()
    everyone = {f"{e['label']}:{e['canonical']}" for r in records(everything) for e in r["entities"]}
    recount = nx.Graph()
    recount.add_nodes_from(everyone)
    recount.add_weighted_edges_from((u, v, w) for (u, v), w in pair_weights(windows(everything)["sentence"]).items())
    pagerank = nx.pagerank(recount, weight="weight")
    ranked = sorted(everyone, key=lambda n: (-pagerank[n], n))
    # the first cut from 10 on that no tie straddles (two names of one byline rank alike)
    top = next(k for k in range(10, len(ranked)) if pagerank[ranked[k - 1]] - pagerank[ranked[k]] > 1e-6)
    best = set(ranked[:top])
    graph = read_graph(build("--top", str(top)))
    assert entities(graph) == best
    assert {n: graph.nodes[n]["pagerank"] for n in best} == pytest.approx({n: pagerank[n] for n in best}, abs=1e-6)
    assert set(cooccurrence(graph)) == {tuple(sorted(pair)) for pair in recount.edges() if set(pair) <= best}


def test_format_adds_graph_gexf_and_graph_graphml(build):
    out = build("--format", "gexf", "--format", "graphml")
    graph = read_graph(out)
    assert set(nx.read_gexf(out / "graph.gexf")) == set(graph)
    assert set(read_graph(out / "graph.graphml").edges(keys=True)) == set(graph.edges(keys=True))


def assert_page_draws_the_strongest(page: Path, graph, nodes: int) -> None:
    """The page draws the `nodes` entities of highest PageRank and, of the co-occurrences among
    them, each one's strongest (`--max-edges-per-node 1`)."""
    ranked = sorted(entities(graph), key=lambda n: (-graph.nodes[n]["pagerank"], n))
    data = viewer_data(page)
    assert [node["id"] for node in data["nodes"]] == ranked[:nodes]
    shown = set(ranked[:nodes])
    among = {pair: graph.edges[(*pair, "CO_OCCURS_WITH")] for pair in cooccurrence(graph) if set(pair) <= shown}
    # Each shown entity keeps its one strongest co-occurrence: most sentences, then NPMI, then the other's id.
    strongest = set()
    for node in shown:
        own = [(-d["weight"], -d["npmi"], v if u == node else u, (u, v)) for (u, v), d in among.items() if node in (u, v)]
        if own:
            strongest.add(min(own)[3])
    drawn = {(e["from"], e["to"]) for e in data["edges"] if e["info"]["type"] == "CO_OCCURS_WITH"}
    assert drawn == strongest and len(strongest) < len(among)


def test_max_nodes_and_max_edges_per_node_shape_the_page(build):
    out = build("--max-nodes", "7", "--max-edges-per-node", "1")
    assert_page_draws_the_strongest(out / "graph.html", read_graph(out), 7)


def test_quiet_drops_the_progress_lines_only(build, capsys):
    build()
    loud = capsys.readouterr().err
    build("--quiet")
    quiet = capsys.readouterr().err
    progress = f"kg build: {ARTICLES} articles, "  # the progress line's start; the summary counts files first
    assert progress in loud and progress not in quiet
    assert summary(quiet) and "wrote" in quiet  # the summary stays


def test_date_since_and_until_date_and_filter_the_articles(build, capsys):
    # Pages 000 and 001 print no year: undated, they are all left out by --since alone.
    build("--since", "2025-01-01", code=2)
    assert capsys.readouterr().err.splitlines()[-1] == "kg: error: no articles found in the input"
    # --date dates each article in the year nearest it: its printed month and day (e.g. the
    # dateline's 7月23日) or, printing none, the day given.
    dated = read_graph(build("--date", "2025-07-24"))
    days = {n: d["date"] for n, d in dated.nodes(data=True) if d["kind"] == "article"}
    texts = {f"ARTICLE:{a.source}#{a.index}": a.text for a in read_corpus(PAGES, progress=False)}
    assert len(days) == ARTICLES and set(days) == set(texts)
    for node, day in days.items():
        month_day = f"{int(day[5:7])}月{int(day[8:])}日"
        assert day == "2025-07-24" or (day.startswith("2025-") and month_day in texts[node]), (node, day)
    assert "2025-07-24" in days.values() and len(set(days.values())) > 1
    for option, kept in [("--since", lambda day: day >= "2025-07-24"), ("--until", lambda day: day <= "2025-07-23")]:
        graph = read_graph(build("--date", "2025-07-24", option, "2025-07-24" if option == "--since" else "2025-07-23"))
        assert {n for n, d in graph.nodes(data=True) if d["kind"] == "article"} == {n for n, day in days.items() if kept(day)}


def test_a_build_of_what_was_built_does_nothing_whatever_the_run_options(build, rules_only, capsys, tmp_path):
    out = build()
    capsys.readouterr()

    def again(*options: str, paths: list[str] = PAGES) -> str:
        assert main(["build", *paths, "--out", str(out), "--model", rules_only, "--jobs", "1", *options]) == 0
        return capsys.readouterr().err

    nothing = f"kg build: nothing to do: {out} holds the build of these files, pipeline and options\n"
    # how it runs is no part of what it builds (a scheduler is not even contacted)
    for options in (["--jobs", "2"], ["--quiet"], ["--cache", str(tmp_path / "other")], ["--scheduler", "tcp://127.0.0.1:9"]):
        assert again(*options) == nothing, options
    assert again(paths=[str(SEEDS / "00[01]_*.txt")]) == nothing  # the same files named by a glob
    out = out.rename(tmp_path / "moved")  # a build folder moved elsewhere holds the same build
    nothing = f"kg build: nothing to do: {out} holds the build of these files, pipeline and options\n"
    assert again() == nothing
    # and so for the next process that runs it
    argv = ["build", *PAGES, "--out", str(out), "--model", rules_only]
    assert subprocess.run([sys.executable, "-m", "kg.cli", *argv], capture_output=True, text=True).stderr == nothing
    for options in (["--no-cache"], ["--window", "article"]):  # tag again and keep nothing; another window
        assert summary(again("--quiet", *options)).startswith(f"kg build: 2 files, {ARTICLES} articles, "), options


def test_a_build_from_another_builds_cache_tags_nothing_and_builds_the_same_graph(build, tmp_path, capsys):
    cache = str(tmp_path / "tagged")
    first = build("--cache", cache)
    assert "0 of 2 files from the cache" in capsys.readouterr().err
    second = build("--cache", cache)
    assert "2 of 2 files from the cache" in capsys.readouterr().err
    assert set(read_graph(second).edges(keys=True)) == set(read_graph(first).edges(keys=True))
    assert records(second) == records(first)


def test_a_build_with_unreadable_input_names_it_builds_the_rest_and_is_built_again(rules_only, tmp_path, capsys):
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(128, 256)) * 8)
    out = tmp_path / "out" / "nested"  # made with its parents
    cache = tmp_path / "tagged"
    argv = ["build", str(binary), PAGES[1], "--out", str(out), "--model", rules_only, "--jobs", "1"]
    for _ in range(2):  # no record of a build that met errors: the same command builds again
        assert main([*argv, "--quiet", "--cache", str(cache)]) == 2
        assert any(cache.iterdir()) and not (out / "cache").exists()
        err = capsys.readouterr().err
        errors = [line for line in err.splitlines() if line.startswith("kg: error:")]
        assert [error.split(":")[2].strip() for error in errors] == [str(binary)]
        assert summary(err).startswith("kg build: 1 files, 2 articles, ")
        assert {r["source"] for r in records(out)} == {PAGES[1]}


def test_jobs_below_one_is_refused(rules_only, capsys):
    assert main(["extract", PAGES[1], "--model", rules_only, "--jobs", "0"]) == 2
    assert capsys.readouterr().err.strip() == "kg: error: --jobs must be at least 1, not 0"


@pytest.mark.parametrize("command", ["extract", "build"])
def test_the_model_given_is_the_one_loaded(command, tmp_path, capsys):
    # a folder that holds no spaCy pipeline: named as such, rather than tagged with another model
    out = ["--out", str(tmp_path / "out"), "--no-cache"] if command == "build" else []
    assert main([command, PAGES[1], "--model", str(tmp_path), "--jobs", "1", *out]) == 2
    assert f"not a spaCy pipeline folder (no config.cfg): {tmp_path}" in capsys.readouterr().err


def test_extract_prints_each_articles_record(rules_only, tmp_path, capsys):
    missing, binary, cache = tmp_path / "missing.txt", tmp_path / "binary.txt", tmp_path / "cache"
    binary.write_bytes(bytes(range(128, 256)) * 8)
    options = ["--model", rules_only, "--jobs", "1", "--cache", str(cache)]
    assert main(["extract", PAGES[1], str(missing), str(binary), *options]) == 2
    out, err = capsys.readouterr()
    errors = [line for line in err.splitlines() if line.startswith("kg: error:")]
    assert [error.split(":")[2].strip() for error in errors] == [str(missing), str(binary)]
    assert any(cache.iterdir())  # the tagged page is kept for the next run
    lines = out.splitlines()
    found = [json.loads(line) for line in lines]
    # page 001's two titles, as printed (tests/test_corpus.py), written as characters, not \\u escapes
    titles = ["同心强产业 携手促发展 ——第十批省市援疆工作综述(上)", "每一棵寸草都忘不了你日夜守望"]
    assert [(r["source"], r["article"], r["title"]) for r in found] == [(PAGES[1], 0, titles[0]), (PAGES[1], 1, titles[1])]
    assert all(title in line for title, line in zip(titles, lines))
    texts = [a.text for a in read_corpus([PAGES[1]], progress=False)]
    assert sum(len(r["entities"]) for r in found) > 0
    assert all(texts[r["article"]][e["start"] : e["end"]] == e["text"] for r in found for e in r["entities"])
    assert "kg extract: 2 articles" in err  # the progress line names the command
    # again, from the cache: the same records, and no error
    assert main(["extract", PAGES[1], *options]) == 0
    again, err = capsys.readouterr()
    assert again == out and "1 of 1 files from the cache" in err


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_writes_each_format_where_asked(build, tmp_path, fmt, capsys):
    built = build()
    assert main(["export", str(built / "graph.json"), "--format", fmt, "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == FORMATS[fmt]
    graph = read_graph(built)
    if fmt in ("json", "graphml"):
        again = read_graph(tmp_path / FORMATS[fmt][0])
        assert set(again.edges(keys=True)) == set(graph.edges(keys=True))
    elif fmt == "gexf":
        assert set(nx.read_gexf(tmp_path / "graph.gexf")) == set(graph)
    elif fmt == "cypher":
        script = (tmp_path / "graph.cypher").read_text("utf-8")
        assert all(json.dumps(node, ensure_ascii=False)[1:-1] in script for node in graph)
    else:
        rows = Counter()
        for path in (tmp_path / "neo4j-admin").glob("*.csv"):
            with path.open(encoding="utf-8", newline="") as handle:
                rows["nodes" if path.name.endswith("_nodes.csv") else "edges"] += sum(1 for _ in csv.reader(handle)) - 1
        assert rows == {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    assert f"kg export: wrote {tmp_path / FORMATS[fmt][0]}" in capsys.readouterr().err


def test_export_writes_beside_the_graph_by_default(build):
    out = build()
    assert main(["export", str(out), "--format", "gexf"]) == 0  # a build's folder
    assert set(nx.read_gexf(out / "graph.gexf")) == set(read_graph(out))
    assert main(["export", str(out / "graph.json"), "--format", "cypher"]) == 0  # its graph.json
    assert (out / "graph.cypher").is_file()


def test_view_writes_the_page_where_asked_without_a_browser(build, tmp_path, monkeypatch, capsys):
    import webbrowser

    built = build()
    (built / "graph.html").unlink()
    capsys.readouterr()
    opened = []
    monkeypatch.setattr(webbrowser, "open", opened.append)
    page = tmp_path / "page.html"
    assert main(["view", str(built), "--out", str(page), "--no-open", "--max-nodes", "9", "--max-edges-per-node", "1"]) == 0
    assert opened == []
    assert_page_draws_the_strongest(page, read_graph(built), 9)
    assert capsys.readouterr().err == f"kg view: wrote {page}\n"
    assert main(["view", str(built / "graph.json")]) == 0  # beside graph.json by default
    assert opened == [(built / "graph.html").resolve().as_uri()]


@pytest.mark.parametrize("content", ["", '{"id": 1, "text": ""}\n'], ids=["empty", "no-text"])
def test_build_on_input_without_articles_names_it_and_writes_no_graph(tmp_path, capsys, content):
    (tmp_path / "none.jsonl").write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(tmp_path / "none.jsonl"), "--out", str(out), "--jobs", "1", "--no-cache"]) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("kg: error:")]
    assert len(errors) == 1 and errors[0].startswith(f"kg: error: {tmp_path / 'none.jsonl'}: ")
    assert list(out.iterdir()) == []


def test_ctrl_c_stops_with_130_and_leaves_no_files(rules_only, tmp_path, monkeypatch, capsys):
    from kg.graph import GraphBuilder

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(GraphBuilder, "finish", interrupted)
    out = tmp_path / "out"
    argv = ["build", *PAGES, "--out", str(out), "--model", rules_only, "--no-cache", "--jobs", "1"]
    assert main(argv) == 130
    assert capsys.readouterr().err.splitlines()[-1] == "kg: interrupted"
    assert list(out.iterdir()) == []  # the spooled entities went with it


def test_version_is_the_installed_version(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["--version"])
    assert exit.value.code == 0
    assert capsys.readouterr().out.strip() == f"kg {importlib.metadata.version('kg')}"


def test_evaluate_prints_the_scores_of_the_model_it_is_given(rules_only, tmp_path, capsys):
    from kg import nlp

    # Two sentences, tagged by hand: 2 places, 1 person, 1 organisation.
    sentences = [[("张", "B-PER"), ("凯", "I-PER"), ("在", "O"), ("博", "B-LOC"), ("乐", "I-LOC"), ("市", "I-LOC")],
                 [("新", "B-ORG"), ("华", "I-ORG"), ("社", "I-ORG"), ("在", "O"), ("北", "B-LOC"), ("京", "I-LOC")]]  # fmt: skip
    corpus = tmp_path / "tiny.bio"
    corpus.write_text("\n\n".join("\n".join(f"{c} {t}" for c, t in s) for s in sentences) + "\n", encoding="utf-8")
    assert main(["evaluate", str(corpus), "--model", rules_only]) == 0
    printed = capsys.readouterr().out.strip()
    rows = {line.split()[0]: line.split() for line in printed.splitlines()[1:]}
    assert {label: int(row[-1]) for label, row in rows.items()} == {"PERSON": 1, "PLACE": 2, "ORG": 1, "overall": 4}
    assert printed == nlp.format_scores(nlp.evaluate_bio(corpus, nlp.load_pipeline(rules_only)))
    assert main(["evaluate", str(corpus), "--model", str(tmp_path / "no-model")]) == 2
    assert "no-model" in capsys.readouterr().err


def test_train_passes_each_option_to_training(monkeypatch, tmp_path):
    from kg.nlp import training

    calls = []
    monkeypatch.setattr(training, "train", lambda **options: calls.append(options))
    argv = ["train", "--corpora", "C", "--output", str(tmp_path), "--max-steps", "7", "--limit", "50", "--seed", "3"]
    assert main(argv) == 0
    assert calls == [{"corpora": "C", "output": str(tmp_path), "max_steps": 7, "limit": 50, "seed": 3}]
    assert main(["train"]) == 0
    assert calls[1] == {"corpora": None, "output": "training", "max_steps": None, "limit": None, "seed": None}


def test_neo4j_push_passes_each_option_and_its_environment_default(build, monkeypatch, capsys):
    from kg.export import neo4j

    calls = []
    monkeypatch.setattr(neo4j, "push", lambda graph, **options: calls.append((graph, options)) or "2 nodes")
    out = build()
    capsys.readouterr()
    argv = ["neo4j", "push", str(out), "--uri", "bolt://db:7687", "--user", "bob", "--password", "s3cret",
            "--database", "news", "--batch-size", "50", "--max-request-bytes", "4096", "--wipe"]  # fmt: skip
    assert main(argv) == 0
    graph, options = calls[0]
    assert set(graph.edges(keys=True)) == set(read_graph(out).edges(keys=True))
    assert options == {"uri": "bolt://db:7687", "auth": ("bob", "s3cret"), "database": "news", "batch_size": 50,
                       "max_request_bytes": 4096, "wipe": True}  # fmt: skip
    assert capsys.readouterr().err == "kg neo4j push: 2 nodes\n"
    # The defaults and their environment variables, as docs/neo4j.md's table gives them.
    for name in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE", "KG_NEO4J_MAX_REQUEST_BYTES"):
        monkeypatch.delenv(name, raising=False)
    assert main(["neo4j", "push", str(out / "graph.json")]) == 0
    assert calls[1][1] == {"uri": "bolt://localhost:7687", "auth": None, "database": None, "batch_size": 1000,
                           "max_request_bytes": 1 << 20, "wipe": False}  # fmt: skip
    monkeypatch.setenv("NEO4J_PASSWORD", "pw")  # a password alone: the user is neo4j
    assert main(["neo4j", "push", str(out)]) == 0
    assert calls[2][1]["auth"] == ("neo4j", "pw")
    environment = {"NEO4J_URI": "neo4j://graph:7687", "NEO4J_USERNAME": "ann", "NEO4J_PASSWORD": "pw",
                   "NEO4J_DATABASE": "kg", "KG_NEO4J_MAX_REQUEST_BYTES": "2048"}  # fmt: skip
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert main(["neo4j", "push", str(out)]) == 0
    assert calls[3][1] == {"uri": "neo4j://graph:7687", "auth": ("ann", "pw"), "database": "kg", "batch_size": 1000,
                           "max_request_bytes": 2048, "wipe": False}  # fmt: skip
