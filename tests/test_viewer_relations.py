"""The viewer draws the relations read from the text (issue #18) in their own styles, with a
legend box each that shows or hides them; in Chromium, on the seeds' page from `kg build`."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from test_viewer import driver, js, open_viewer  # noqa: F401 (driver is a fixture)

from kg.export import read_graph
from kg.export.viewer import RELATION_STYLE, write_viewer


@pytest.fixture
def seeds_page(seeds_out, tmp_path):
    """The seeds' graph and its page as `kg build` writes it, written again in the test so
    that mutmut links the test to the viewer's code (the build is shared by the session)."""
    graph = nx.node_link_graph(json.loads((seeds_out / "graph.json").read_text("utf-8")), edges="edges")
    return graph, write_viewer(read_graph(seeds_out), tmp_path / "graph.html")


def drawn_types(driver) -> dict[str, int]:  # noqa: F811
    return js(driver, "const c = {}; kgViewer.edges.get({filter: e => !e.hidden}).forEach(e => c[e.info.type] = (c[e.info.type] || 0) + 1); return c")


def test_visits_and_aid_are_drawn_in_their_own_style_and_hidden_by_their_box(driver, seeds_page):  # noqa: F811
    graph, page = seeds_page
    open_viewer(driver, page)
    counted = {kind: sum(1 for *_, k in graph.edges(keys=True) if k == kind) for kind in ("VISITED", "AIDS")}
    assert counted["VISITED"] and counted["AIDS"]
    shown = drawn_types(driver)
    assert {kind: shown.get(kind) for kind in counted} == counted
    for kind in counted:
        styles = js(driver, "return kgViewer.edges.get({filter: e => e.info.type === arguments[0]}).map(e => [e.color, e.dashes, e.arrows])", kind)
        assert {tuple(style) for style in styles} == {(RELATION_STYLE[kind]["color"], False, "to")}
    boxes = js(driver, "return Array.from(document.querySelectorAll('#relations input'), b => b.value)")
    assert set(boxes) >= {"HOLDS_ROLE", "LOCATED_IN", "VISITED", "AIDS"}
    driver.find_element("css selector", "#relations input[value=VISITED]").click()
    hidden = drawn_types(driver)
    assert "VISITED" not in hidden and hidden == {k: n for k, n in shown.items() if k != "VISITED"}
    driver.find_element("css selector", "#relations input[value=VISITED]").click()
    assert drawn_types(driver) == shown
    # a visit's tooltip cites the sentence that states it
    texts = js(driver, "return kgViewer.edges.get({filter: e => e.info.type === 'VISITED' && e.info.from === '谢少迪' && e.info.to === '吉木乃县'})[0].info.evidence.map(e => e.text)")
    assert any("谢少迪在吉木乃县、布尔津县调研" in text for text in texts)
