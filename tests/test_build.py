"""`kg build` at archive scale: the same outputs in one process, in worker processes, from the
cache and on a Dask cluster; a cache that re-tags exactly what changed; a killed build that
continues; bad input and progress in every mode.

The corpus is the seed pages beside two small files of real news sentences (the shared
corpora's, by benchmarks/news_corpus.py), one page-formatted and one JSONL.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import networkx as nx
import numpy  # noqa: F401  (its BLAS, loaded before threadpool_info looks)
import pytest
from test_resolve import tagged as marked  # an article with its mentions marked by hand
from threadpoolctl import threadpool_info

from kg import tagging
from kg.cli import main
from kg.graph import GraphBuilder
from kg.parts import FilePart
from kg.tagging import tag_files

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
OUTPUTS = ("entities.jsonl", "graph.json", "aliases.tsv")
KG = [sys.executable, "-m", "kg.cli"]


def _news_corpus():
    spec = importlib.util.spec_from_file_location("news_corpus", ROOT / "benchmarks" / "news_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_news_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, corpora_dir) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for page in sorted(SEEDS.glob("*.txt")):
        shutil.copy(page, folder / page.name)
    write = _news_corpus()
    write(folder, 0.02, seed=1, fmt="txt", corpora=corpora_dir)
    write(folder, 0.02, seed=2, fmt="jsonl", corpora=corpora_dir)
    return folder


def build(corpus, out, *options) -> int:
    return main(["build", str(corpus), "--out", str(out), "--quiet", *options])


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> Path:
    """One process, no cache: the outputs every other way must give."""
    out = tmp_path_factory.mktemp("reference")
    assert build(corpus, out, "--jobs", "1", "--no-cache") == 0
    assert not (out / "cache").exists()
    return out


def assert_same_outputs(out: Path, reference: Path) -> None:
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name


def cached_files(stderr: str) -> tuple[int, int]:
    """(files from the cache, files) of the last progress line."""
    line = [line for line in stderr.splitlines() if "files from the cache" in line][-1]
    cached, files = line.split(" files from the cache")[0].split(", ")[-1].split(" of ")
    return int(cached), int(files)


def test_reference_holds_every_file_and_article(corpus, reference):
    records = [json.loads(line) for line in (reference / "entities.jsonl").read_text("utf-8").splitlines()]
    files = sorted(str(path) for path in corpus.iterdir())
    assert sorted({r["source"] for r in records}) == files
    graph = json.loads((reference / "graph.json").read_text("utf-8"))
    assert graph["graph"]["sources"] == len(files) == 7
    assert graph["graph"]["articles"] == len(records)


def test_two_worker_processes_give_the_same_outputs(corpus, reference, tmp_path):
    assert build(corpus, tmp_path, "--jobs", "2", "--no-cache") == 0
    assert_same_outputs(tmp_path, reference)


def test_cold_and_warm_cache_give_the_same_outputs_and_warm_tags_nothing(corpus, reference, tmp_path):
    out = tmp_path / "out"
    first = subprocess.run([*KG, "build", str(corpus), "--out", str(out), "--jobs", "1"], capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert cached_files(first.stderr) == (0, 7)
    assert_same_outputs(out, reference)
    (out / "graph.html").unlink()  # else the build would see nothing to do
    second = subprocess.run([*KG, "build", str(corpus), "--out", str(out), "--jobs", "2"], capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    assert cached_files(second.stderr) == (7, 7)
    assert_same_outputs(out, reference)


def test_a_build_of_what_was_built_does_nothing_and_any_change_builds_again(tmp_path, capsys):
    page = tmp_path / "page.txt"
    shutil.copy(SEEDS / "002_a8c53c550f43afae.txt", page)
    out = tmp_path / "out"

    def run(*options) -> str:
        assert build(page, out, "--jobs", "1", *options) == 0
        return capsys.readouterr().err

    assert "wrote" in run()
    stamps = {path.name: path.stat().st_mtime_ns for path in out.iterdir()}
    assert "nothing to do" in run("--jobs", "2", "--quiet")  # how it runs is no part of what it makes
    assert {path.name: path.stat().st_mtime_ns for path in out.iterdir()} == stamps
    assert "wrote" in run("--min-weight", "2")  # another option
    assert "nothing to do" in run("--min-weight", "2")
    (out / "graph.html").write_text("edited", encoding="utf-8")  # an output changed by hand
    assert "wrote" in run("--min-weight", "2")
    with open(page, "a", encoding="utf-8") as text:  # the corpus changed
        text.write("\n\n阿拉山口市举行招商会。\n")
    assert "wrote" in run("--min-weight", "2")
    assert "wrote" in run("--min-weight", "2", "--no-cache")  # no cache: always built


def tagged(paths, cache, model="auto") -> dict[str, bool]:
    """{path: whether it came from the cache} for one pass of tag_files."""
    return {Path(r.path).name: r.cached for r in tag_files([str(p) for p in paths], model, cache=cache)}


def test_a_file_added_is_tagged_alone_and_the_other_files_parts_are_merged(corpus, reference, tmp_path, capsys):
    files = [str(path) for path in sorted(corpus.iterdir())]
    out = tmp_path / "out"
    assert main(["build", *files[:-1], "--out", str(out), "--jobs", "1"]) == 0
    parts = list(out.glob("cache/*/graph-*/*.pickle"))
    assert len(parts) == len(files) - 1
    # Without their tagged articles the six files can come only from their parts.
    for tagged_file in out.glob("cache/*/*.pickle"):
        tagged_file.unlink()
    capsys.readouterr()
    assert main(["build", *files, "--out", str(out), "--jobs", "1"]) == 0
    assert cached_files(capsys.readouterr().err) == (len(files) - 1, len(files))
    assert len(list(out.glob("cache/*/*.pickle"))) == 1  # the new file's tagged articles
    assert_same_outputs(out, reference)


def test_an_unreadable_part_is_made_again_from_the_files_tagged_articles(tmp_path):
    page = tmp_path / "page.txt"
    shutil.copy(SEEDS / "002_a8c53c550f43afae.txt", page)
    out = tmp_path / "out"
    assert build(page, out, "--jobs", "1") == 0
    built = {name: (out / name).read_bytes() for name in OUTPUTS}
    [part] = out.glob("cache/*/graph-*/*.pickle")
    part.write_bytes(b"not a pickle")
    (out / "graph.html").unlink()  # else the build would see nothing to do
    assert build(page, out, "--jobs", "1") == 0
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == built
    assert isinstance(pickle.loads(part.read_bytes()), FilePart)


def test_a_build_that_tags_nothing_does_not_load_spacy(tmp_path):
    page = tmp_path / "page.txt"
    shutil.copy(SEEDS / "002_a8c53c550f43afae.txt", page)
    out = tmp_path / "out"
    assert build(page, out, "--jobs", "1") == 0
    (out / "graph.html").unlink()  # else the build would see nothing to do
    script = f"import sys; from kg.cli import main; main({['build', str(page), '--out', str(out), '--quiet']!r}); print('spacy' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "False"
    assert (out / "graph.html").exists()


@pytest.mark.parametrize("option", [["--window", "paragraph"], ["--date", "2025-03-01"]])
def test_a_files_part_serves_only_builds_of_the_same_window_and_dates(option, tmp_path):
    page = tmp_path / "page.txt"
    shutil.copy(SEEDS / "001_6a84046f1e9a8042.txt", page)
    cache = tmp_path / "cache"
    assert build(page, tmp_path / "first", "--jobs", "1", "--cache", str(cache)) == 0
    assert build(page, tmp_path / "other", "--jobs", "1", "--cache", str(cache), *option) == 0
    assert build(page, tmp_path / "fresh", "--jobs", "1", "--no-cache", *option) == 0
    assert_same_outputs(tmp_path / "other", tmp_path / "fresh")
    assert (tmp_path / "other" / "graph.json").read_bytes() != (tmp_path / "first" / "graph.json").read_bytes()


def test_parts_merged_in_order_give_the_graph_of_one_builder(seeds_out, seeds_dir):
    files = [str(path) for path in sorted(seeds_dir.glob("*.txt"))]
    articles = [a for result in tag_files(files, cache=seeds_out / "cache") for a in result.articles]
    # and what the seeds lack: a given name beside its person's full name, and standing alone
    names = {"丹尼斯·霍珀": "PERSON", "丹尼斯": "PERSON", "北京": "PLACE"}
    for index, text in enumerate(["影星丹尼斯·霍珀来到北京。丹尼斯说，影片明年上映。", "丹尼斯在北京表示将继续拍片。"]):
        articles.append(replace(marked(text, names), index=index))
    for window in ("sentence", "paragraph", "article"):
        one = GraphBuilder(window)
        keys = [one.add(article) for article in articles]
        merged = GraphBuilder(window)
        for start in range(0, len(articles), 10):
            part = GraphBuilder(window)
            for article in articles[start : start + 10]:
                part.add(article)
            merged.merge(part)
        # Numbered in the order names were first seen either way: the same builder, field by field.
        assert vars(merged) == vars(one)
        assert graph_json(merged.finish()) == graph_json(one.finish())
        assert merged.aliases() == one.aliases()
        assert [merged.resolved(*key) for key in sum(keys, [])] == [one.resolved(*key) for key in sum(keys, [])]
    with pytest.raises(ValueError, match="window"):
        GraphBuilder("sentence").merge(GraphBuilder("article"))


def graph_json(graph) -> str:
    return json.dumps(nx.node_link_data(graph, edges="edges"), ensure_ascii=False)


def test_files_the_cache_lacks_are_tagged_before_the_cached_ones_are_read(tmp_path, monkeypatch):
    """A rebuild after new pages tags them while it reads the cached files, not after."""
    files = [tmp_path / name for name in ("a.txt", "b.txt", "c.txt")]
    for page, file in zip(sorted(SEEDS.glob("*.txt")), files):
        shutil.copy(page, file)
    cache = tmp_path / "cache"
    assert tagged(files[:2], cache) == {"a.txt": False, "b.txt": False}
    sent = []
    tag_file = tagging.tag_bytes
    monkeypatch.setattr(tagging, "tag_bytes", lambda path, *rest: sent.append(Path(path).name) or tag_file(path, *rest))
    results = tag_files([str(f) for f in files], cache=cache)
    first = next(results)
    assert (Path(first.path).name, first.cached, sent) == ("a.txt", True, ["c.txt"])
    assert [(Path(r.path).name, r.cached) for r in results] == [("b.txt", True), ("c.txt", False)]


def test_one_job_multiplies_the_ners_matrices_on_one_core(tmp_path, monkeypatch):
    def blas_threads() -> set[int]:
        return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}

    before = blas_threads()
    if before <= {1}:
        pytest.skip("numpy's BLAS runs one thread here anyway")
    seen = []
    tag_file = tagging.tag_bytes
    monkeypatch.setattr(tagging, "tag_bytes", lambda *args: seen.append(blas_threads()) or tag_file(*args))
    list(tag_files([str(SEEDS / "002_a8c53c550f43afae.txt")], jobs=1))
    assert seen == [{1}]
    assert blas_threads() == before


def test_an_edited_file_is_tagged_again_and_nothing_else(corpus, tmp_path):
    files = [tmp_path / name for name in ("a.txt", "b.txt", "c.txt")]
    for page, file in zip(sorted(SEEDS.glob("*.txt")), files):
        shutil.copy(page, file)
    cache = tmp_path / "cache"
    assert tagged(files, cache) == {"a.txt": False, "b.txt": False, "c.txt": False}
    assert tagged(files, cache) == {"a.txt": True, "b.txt": True, "c.txt": True}
    with open(files[1], "a", encoding="utf-8") as page:
        page.write("\n\n新疆日报记者 张楠\n阿克苏地区温宿县新建一座学校。\n")
    assert tagged(files, cache) == {"a.txt": True, "b.txt": False, "c.txt": True}
    # the same bytes under another name are another source: tagged for it
    shutil.copy(files[0], tmp_path / "d.txt")
    assert tagged([files[0], tmp_path / "d.txt"], cache) == {"a.txt": True, "d.txt": False}


def test_a_changed_model_tags_again(tmp_path):
    from kg.nlp.pipeline import KG_MODEL

    page = tmp_path / "page.txt"
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], page)
    cache, model = tmp_path / "cache", tmp_path / "model"
    shutil.copytree(KG_MODEL, model)
    assert tagged([page], cache, str(model)) == {"page.txt": False}
    assert tagged([page], cache, str(model)) == {"page.txt": True}
    # retrained in place: the same folder, other files
    meta = json.loads((model / "meta.json").read_text("utf-8"))
    (model / "meta.json").write_text(json.dumps({**meta, "version": meta["version"] + "-retrained"}), encoding="utf-8")
    assert tagged([page], cache, str(model)) == {"page.txt": False}


def test_a_changed_rules_data_file_tags_again_with_the_new_rule(tmp_path):
    """A name added to the organisations kg knows without a suffix: the cached tagging is not
    reused, and the build run again finds the new organisation."""
    orgs = ROOT / "kg" / "nlp" / "data" / "orgs.txt"
    page = tmp_path / "page.txt"
    page.write_text("雪莲花乳业今天在阿克苏地区温宿县开工。\n雪莲花乳业负责人说，项目明年投产。\n", encoding="utf-8")
    out = tmp_path / "out"
    command = [*KG, "build", str(page), "--out", str(out), "--jobs", "1"]

    def orgs_found() -> set[str]:
        run = subprocess.run(command, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        assert cached_files(run.stderr) == (0, 1)
        records = [json.loads(line) for line in (out / "entities.jsonl").read_text("utf-8").splitlines()]
        return {e["text"] for r in records for e in r["entities"] if e["label"] == "ORG"}

    assert "雪莲花乳业" not in orgs_found()
    before = orgs.read_bytes()
    try:
        orgs.write_bytes(before + "雪莲花乳业\n".encode())
        assert "雪莲花乳业" in orgs_found()
    finally:
        orgs.write_bytes(before)


def kill_after_first_file(command: list[str], out: Path, before_kill=lambda process: None) -> None:
    """Start `command` (a build into `out`) and SIGKILL it once it has cached one file."""
    build_process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(out.glob("cache/*/*.pickle")) and time.monotonic() < deadline and build_process.poll() is None:
        time.sleep(0.05)
    before_kill(build_process)
    build_process.send_signal(signal.SIGKILL)
    build_process.wait()


def test_a_killed_build_leaves_no_outputs_and_continues_from_the_cache(corpus, reference, tmp_path):
    out = tmp_path / "out"
    command = [*KG, "build", str(corpus), "--out", str(out), "--jobs", "1"]
    kill_after_first_file(command, out)
    done = len(list(out.glob("cache/*/*.pickle")))
    assert 1 <= done < 7, "the build was not killed mid-way"
    assert sorted(path.name for path in out.iterdir()) == ["cache"]  # no output, not even half of one

    again = subprocess.run(command, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert cached_files(again.stderr) == (done, 7)
    assert_same_outputs(out, reference)


def test_worker_processes_end_with_a_killed_build(corpus, tmp_path):
    import psutil

    out = tmp_path / "out"
    workers = []
    kill_after_first_file(
        [*KG, "build", str(corpus), "--out", str(out), "--jobs", "2"],
        out,
        lambda build: workers.extend(
            p for p in psutil.Process(build.pid).children() if "spawn_main" in " ".join(p.cmdline())
        ),
    )
    assert len(workers) == 2
    gone, alive = psutil.wait_procs(workers, timeout=30)
    assert not alive, "worker processes outlived the build"


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    ) as local:
        yield local


def test_a_dask_cluster_gives_the_same_outputs(corpus, reference, cluster, tmp_path):
    assert build(corpus, tmp_path, "--scheduler", cluster.scheduler_address, "--no-cache") == 0
    assert_same_outputs(tmp_path, reference)


def test_a_dask_worker_killed_mid_build_loses_no_article(corpus, reference, cluster, tmp_path):
    """The worker tagging a file is killed; Dask gives the file to another worker."""
    import psutil
    from distributed import Client

    result = {}
    thread = threading.Thread(
        target=lambda: result.setdefault("status", build(corpus, tmp_path, "--scheduler", cluster.scheduler_address, "--no-cache"))
    )
    with Client(cluster.scheduler_address) as client:
        thread.start()
        deadline = time.monotonic() + 120
        busy = {}
        while not busy and time.monotonic() < deadline:
            busy = {address: tasks for address, tasks in client.processing().items() if tasks}
            time.sleep(0.05)
        assert busy, "no worker ever started tagging"
        pid = client.run(os.getpid, workers=[next(iter(busy))])[next(iter(busy))]
        psutil.Process(pid).kill()
    thread.join(timeout=300)
    assert result["status"] == 0
    assert_same_outputs(tmp_path, reference)


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad")
    shutil.copy(SEEDS / "002_a8c53c550f43afae.txt", folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"  \n")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 8)
    return folder


@pytest.mark.parametrize("mode", ["jobs1", "jobs2", "warm cache", "dask"])
def test_bad_input_is_named_and_the_rest_is_built_in_every_mode(bad_corpus, mode, tmp_path, capsys, request):
    options = {"jobs1": ["--jobs", "1"], "jobs2": ["--jobs", "2"], "warm cache": ["--jobs", "1"]}.get(mode)
    if mode == "dask":
        options = ["--scheduler", request.getfixturevalue("cluster").scheduler_address]
    if mode == "warm cache":
        assert build(bad_corpus, tmp_path, *options) == 2
        capsys.readouterr()
    assert build(bad_corpus, tmp_path, *options) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("kg: error:")]
    assert errors == [
        f"kg: error: {bad_corpus / 'empty.txt'}: empty file",
        f"kg: error: {bad_corpus / 'junk.txt'}: cannot decode as UTF-8 or GB18030",
    ]
    graph = json.loads((tmp_path / "graph.json").read_text("utf-8"))
    assert graph["graph"]["sources"] == 1
    assert "PLACE:阿拉山口市" in {node["id"] for node in graph["nodes"]}


def test_progress_is_a_line_when_not_on_a_terminal_and_nothing_when_quiet(tmp_path):
    page = SEEDS / "002_a8c53c550f43afae.txt"
    command = [*KG, "build", str(page), "--out", str(tmp_path), "--jobs", "1", "--no-cache"]
    spoken = subprocess.run(command, capture_output=True, text=True)
    articles = sum(1 for _ in (tmp_path / "entities.jsonl").open(encoding="utf-8"))
    size = page.stat().st_size / 1e6
    assert f"kg build: {articles} articles, {size:.1f} of {size:.1f} MB (100%), 0 of 1 files from the cache" in spoken.stderr
    quiet = subprocess.run([*command, "--quiet"], capture_output=True, text=True)
    assert "files from the cache" not in quiet.stderr
    assert quiet.stderr.startswith("kg build: 1 files")


def test_aliases_tsv_lists_every_alias_of_the_graph_with_its_basis(reference):
    with open(reference / "aliases.tsv", encoding="utf-8", newline="") as table:
        rows = list(csv.DictReader(table, delimiter="\t"))
    assert rows and all(row["basis"] and int(row["articles"]) >= 1 for row in rows)
    listed = {(row["label"], row["alias"], row["canonical"]) for row in rows}
    graph = json.loads((reference / "graph.json").read_text("utf-8"))
    aliases = {
        (node["label"], alias, node["name"]) for node in graph["nodes"] if node["kind"] == "entity" for alias in node["aliases"]
    }
    assert aliases and aliases <= listed
