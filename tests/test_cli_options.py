"""Each option of `kg build`, `kg export`, `kg view`, `kg evaluate` and `kg train`, run through
`kg.cli.main`, with its effect checked against an answer computed here.

The builds read the seed pages through the tagged-file cache that the session's `seeds_out`
build filled, so the NER runs once; what is expected is recounted from entities.jsonl and the
article texts (read by kg.corpus), and PageRank comes from networkx on that recount.
(--jobs, --cache and --scheduler are tested in tests/test_build.py.)
"""

from __future__ import annotations

import csv
import importlib.metadata
import itertools
import json
import re
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from kg.cli import main
from kg.corpus import read_corpus
from kg.export import read_graph

FORMATS = {
    "json": ["graph.json"],
    "graphml": ["graph.graphml"],
    "gexf": ["graph.gexf"],
    "cypher": ["graph.cypher"],
    "neo4j-admin": ["neo4j-admin"],
}


@pytest.fixture(scope="module")
def build(seeds_out, seeds_dir, tmp_path_factory):
    """Runs `kg build seeds OPTIONS` into a new folder, reusing the seeds' cache; returns the folder."""

    def run(*options: str) -> Path:
        out = tmp_path_factory.mktemp("build")
        argv = ["build", str(seeds_dir), "--out", str(out), "--cache", str(seeds_out / "cache"), "--jobs", "1"]
        assert main([*argv, *options]) == 0
        return out

    return run


@pytest.fixture(scope="module")
def windows(seeds_out, seeds_dir):
    """The entities of each window, recounted from the seeds' entities.jsonl and article texts:
    {window: {(source, article, number): {node ids}}}."""
    texts = {(a.source, a.index): a.text for a in read_corpus([str(seeds_dir)], progress=False)}
    records = [json.loads(line) for line in (seeds_out / "entities.jsonl").read_text("utf-8").splitlines()]
    found = {"sentence": {}, "paragraph": {}, "article": {}}
    for record in records:
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


@pytest.mark.parametrize("window", ["sentence", "paragraph", "article"])
def test_window_counts_co_occurrences_per_window(build, windows, window):
    graph = read_graph(build("--window", window))
    assert graph.graph["window"] == window
    assert cooccurrence(graph) == dict(pair_weights(windows[window]))


def test_min_weight_keeps_the_heavier_edges_and_every_entity(build, windows):
    graph = read_graph(build("--min-weight", "3"))
    weights = pair_weights(windows["sentence"])
    assert cooccurrence(graph) == {pair: weight for pair, weight in weights.items() if weight >= 3}
    assert 0 < len(cooccurrence(graph)) < len(weights)
    assert entities(graph) == set().union(*windows["sentence"].values())


def test_top_keeps_the_entities_of_highest_weighted_pagerank(build, windows):
    everyone = set().union(*windows["sentence"].values())
    recount = nx.Graph()
    recount.add_nodes_from(everyone)
    recount.add_weighted_edges_from((u, v, w) for (u, v), w in pair_weights(windows["sentence"]).items())
    pagerank = nx.pagerank(recount, weight="weight")
    best = set(sorted(everyone, key=lambda n: (-pagerank[n], n))[:10])
    graph = read_graph(build("--top", "10"))
    assert entities(graph) == best
    assert {n: graph.nodes[n]["pagerank"] for n in best} == pytest.approx({n: pagerank[n] for n in best}, abs=1e-6)
    assert set(cooccurrence(graph)) == {tuple(sorted(pair)) for pair in recount.edges() if set(pair) <= best}


def test_format_gexf_adds_graph_gexf(build, seeds_out):
    out = build("--format", "gexf")
    gexf = nx.read_gexf(out / "graph.gexf")
    assert set(gexf) == set(read_graph(out)) == set(read_graph(seeds_out))
    assert not (seeds_out / "graph.gexf").exists()  # not written by default


def test_max_nodes_and_max_edges_per_node_shape_the_page(build):
    out = build("--max-nodes", "7", "--max-edges-per-node", "1")
    graph = read_graph(out)
    ranked = sorted(entities(graph), key=lambda n: (-graph.nodes[n]["pagerank"], n))
    data = viewer_data(out / "graph.html")
    assert [node["id"] for node in data["nodes"]] == ranked[:7]
    shown = set(ranked[:7])
    among = {pair: graph.edges[(*pair, "CO_OCCURS_WITH")] for pair in cooccurrence(graph) if set(pair) <= shown}
    # Each shown entity keeps its one strongest co-occurrence: most sentences, then NPMI, then the other's id.
    strongest = set()
    for node in shown:
        own = [(-d["weight"], -d["npmi"], v if u == node else u, (u, v)) for (u, v), d in among.items() if node in (u, v)]
        if own:
            strongest.add(min(own)[3])
    drawn = {(e["from"], e["to"]) for e in data["edges"] if (e["from"], e["to"]) in among}
    assert drawn == strongest and len(strongest) < len(among)


def test_quiet_drops_the_progress_lines_only(build, capsys):
    build()
    loud = capsys.readouterr().err
    build("--quiet")
    quiet = capsys.readouterr().err
    progress = "5 of 5 files from the cache"
    assert progress in loud and progress not in quiet
    assert "kg build: 5 files" in quiet and "wrote" in quiet  # the summary stays


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_writes_each_format_where_asked(seeds_out, tmp_path, fmt, capsys):
    assert main(["export", str(seeds_out / "graph.json"), "--format", fmt, "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == FORMATS[fmt]
    graph = read_graph(seeds_out)
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
    assert main(["export", str(out), "--format", "gexf"]) == 0
    assert set(nx.read_gexf(out / "graph.gexf")) == set(read_graph(out))


def test_view_writes_the_page_where_asked_without_a_browser(seeds_out, tmp_path, monkeypatch):
    import webbrowser

    opened = []
    monkeypatch.setattr(webbrowser, "open", opened.append)
    assert main(["view", str(seeds_out), "--out", str(tmp_path / "page.html"), "--no-open", "--max-nodes", "3"]) == 0
    assert opened == [] and len(viewer_data(tmp_path / "page.html")["nodes"]) == 3
    assert main(["view", str(seeds_out / "graph.json"), "--out", str(tmp_path / "open.html")]) == 0
    assert opened == [(tmp_path / "open.html").resolve().as_uri()]


@pytest.mark.parametrize("content", ["", '{"id": 1, "text": ""}\n'], ids=["empty", "no-text"])
def test_build_on_input_without_articles_names_it_and_writes_no_graph(tmp_path, capsys, content):
    (tmp_path / "none.jsonl").write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(tmp_path / "none.jsonl"), "--out", str(out), "--jobs", "1", "--no-cache"]) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("kg: error:")]
    assert len(errors) == 1 and errors[0].startswith(f"kg: error: {tmp_path / 'none.jsonl'}: ")
    assert list(out.iterdir()) == []


def test_ctrl_c_stops_with_130_and_leaves_no_files(seeds_out, seeds_dir, tmp_path, monkeypatch, capsys):
    from kg.graph import GraphBuilder

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(GraphBuilder, "finish", interrupted)
    out = tmp_path / "out"
    argv = ["build", str(seeds_dir), "--out", str(out), "--cache", str(seeds_out / "cache"), "--jobs", "1"]
    assert main(argv) == 130
    assert capsys.readouterr().err.splitlines()[-1] == "kg: interrupted"
    assert list(out.iterdir()) == []  # the spooled entities went with it


def test_version_is_the_installed_version(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["--version"])
    assert exit.value.code == 0
    assert capsys.readouterr().out.strip() == f"kg {importlib.metadata.version('kg')}"


def test_evaluate_prints_the_scores_of_the_model_it_is_given(tmp_path, capsys):
    from kg import nlp

    # Two sentences, tagged by hand: 2 places, 1 person, 1 organisation.
    sentences = [[("张", "B-PER"), ("凯", "I-PER"), ("在", "O"), ("博", "B-LOC"), ("乐", "I-LOC"), ("市", "I-LOC")],
                 [("新", "B-ORG"), ("华", "I-ORG"), ("社", "I-ORG"), ("在", "O"), ("北", "B-LOC"), ("京", "I-LOC")]]  # fmt: skip
    corpus = tmp_path / "tiny.bio"
    corpus.write_text("\n\n".join("\n".join(f"{c} {t}" for c, t in s) for s in sentences) + "\n", encoding="utf-8")
    assert main(["evaluate", str(corpus), "--model", "kg"]) == 0
    printed = capsys.readouterr().out.strip()
    rows = {line.split()[0]: line.split() for line in printed.splitlines()[1:]}
    assert {label: int(row[-1]) for label, row in rows.items()} == {"PERSON": 1, "PLACE": 2, "ORG": 1, "overall": 4}
    assert printed == nlp.format_scores(nlp.evaluate_bio(corpus, nlp.load_pipeline("kg")))
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
