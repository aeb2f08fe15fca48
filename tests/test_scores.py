"""The graph's numbers against answers worked out by hand on a corpus small enough to count.

Four articles, written here, name six people. Every count below (the windows that mention
each person, the windows two of them share) was counted by reading the texts; NPMI follows
from its definition (Bouma 2009), and PageRank and the communities come from networkx run on
a graph written out by hand from those counts, not from anything kg computed.
"""

from __future__ import annotations

import math

import networkx as nx
import pytest

from kg.document import Article, Mention
from kg.graph import GraphBuilder, build_graph
from kg.graph.cooccurrence import article_windows, npmi

Z, W, L, ZH, S, ZJ = (f"PERSON:{name}" for name in ("张凯", "王芳", "李强", "赵敏", "孙丽", "周杰"))
A, B, C, D = "hand/a.txt#0", "hand/b.txt#0", "hand/b.txt#1", "hand/c.txt#0"
TEXTS = {
    A: "张凯会见王芳。张凯与李强座谈。\n王芳讲话。",
    B: "张凯、王芳和李强出席。\n赵敏与孙丽交流。周杰发言。",
    C: "赵敏与孙丽再次交流。",
    D: "张凯考察。王芳调研。李强发言。周杰与张凯交谈。周杰讲话。",
}
PEOPLE = ("张凯", "王芳", "李强", "赵敏", "孙丽", "周杰")


def unordered(pairs: dict[tuple[str, str], int]) -> dict[frozenset[str], int]:
    return {frozenset(pair): count for pair, count in pairs.items()}


# Counted by hand from TEXTS. Sentence windows that mention someone:
#   A: {Z,W} {Z,L} {W}   B: {Z,W,L} {ZH,S} {ZJ}   C: {ZH,S}   D: {Z} {W} {L} {ZJ,Z} {ZJ}
SENTENCE = {
    "windows": 12,
    "nodes": {Z: 5, W: 4, L: 3, ZH: 2, S: 2, ZJ: 3},
    "pairs": unordered({(W, Z): 2, (L, Z): 2, (L, W): 1, (S, ZH): 2, (Z, ZJ): 1}),
}
# Paragraphs (text between two "\n"): A: {Z,W,L} {W}   B: {Z,W,L} {ZH,S,ZJ}   C: {ZH,S}   D: {Z,W,L,ZJ}
PARAGRAPH = {
    "windows": 6,
    "nodes": {Z: 3, W: 4, L: 3, ZH: 2, S: 2, ZJ: 2},
    "pairs": unordered({(W, Z): 3, (L, Z): 3, (L, W): 3, (S, ZH): 2, (ZH, ZJ): 1, (S, ZJ): 1, (Z, ZJ): 1, (W, ZJ): 1, (L, ZJ): 1}),
}
# Articles: A: {Z,W,L}   B: all six   C: {ZH,S}   D: {Z,W,L,ZJ}
ARTICLE = {
    "windows": 4,
    "nodes": {Z: 3, W: 3, L: 3, ZH: 2, S: 2, ZJ: 2},
    "pairs": unordered({
        (W, Z): 3, (L, Z): 3, (L, W): 3, (S, ZH): 2, (Z, ZJ): 2, (W, ZJ): 2, (L, ZJ): 2,
        (ZH, ZJ): 1, (S, ZJ): 1, (Z, ZH): 1, (S, Z): 1, (W, ZH): 1, (S, W): 1, (L, ZH): 1, (L, S): 1,
    }),
}  # fmt: skip


def hand_article(article_id: str) -> Article:
    """The article `article_id` of TEXTS: sentences end at 。, a Mention wherever a person's name stands."""
    source, index = article_id.split("#")
    text = TEXTS[article_id]
    sentences, start = [], 0
    for end, char in enumerate(text, 1):
        if char == "\n":
            start = end
        elif char == "。":
            sentences.append((start, end))
            start = end
    article = Article(source, int(index), text, sentences=sentences)
    if article_id != C:  # C has no map back to its file, as when the source is unknown
        lines = text.split("\n")
        article.origins = [(number, column) for number, line in enumerate(lines, 1) for column in range(1, len(line) + 2)]
    article.mentions = sorted(
        (
            Mention(name, "PERSON", at, at + len(name), article.sentence_index(at))
            for name in PEOPLE
            for at in (i for i in range(len(text)) if text.startswith(name, i))
        ),
        key=lambda m: m.start,
    )
    return article


def corpus() -> list[Article]:
    return [hand_article(article_id) for article_id in TEXTS]


def both(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


def cooccurrence(graph: nx.MultiDiGraph) -> dict[frozenset[str], dict]:
    return {both(u, v): data for u, v, k, data in graph.edges(keys=True, data=True) if k == "CO_OCCURS_WITH"}


def entities(graph: nx.MultiDiGraph) -> set[str]:
    return {n for n, d in graph.nodes(data=True) if d["kind"] == "entity"}


def by_definition(pair: int, x: int, y: int, windows: int) -> float:
    """NPMI = log(p(x,y) / (p(x) p(y))) / -log p(x,y), with 1 when x and y only occur together."""
    p_xy, p_x, p_y = pair / windows, x / windows, y / windows
    if p_xy == p_x == p_y:
        return 1.0
    return math.log(p_xy / (p_x * p_y)) / -math.log(p_xy)


def hand_graph(pairs: dict[frozenset[str], int]) -> nx.Graph:
    """The co-occurrence graph written out from the hand counts: every person, the given weights."""
    graph = nx.Graph()
    graph.add_nodes_from((Z, W, L, ZH, S, ZJ))
    graph.add_weighted_edges_from((*pair, weight) for pair, weight in pairs.items())
    return graph


# Built for each test, not once per module: mutmut runs only the tests that call a mutated
# function, and a module's fixture calls it from the first test's setup only.
@pytest.fixture
def graph():
    return build_graph(corpus())


@pytest.mark.parametrize("window, counts", [("sentence", SENTENCE), ("paragraph", PARAGRAPH), ("article", ARTICLE)])
def test_weights_and_npmi_are_the_hand_counts(window, counts):
    graph = build_graph(corpus(), window=window)
    edges = cooccurrence(graph)
    assert {pair: data["weight"] for pair, data in edges.items()} == counts["pairs"]
    nodes, total = counts["nodes"], counts["windows"]
    for (u, v), data in ((sorted(pair), data) for pair, data in edges.items()):
        assert data["npmi"] == pytest.approx(by_definition(data["weight"], nodes[u], nodes[v], total), abs=1e-12)


def test_npmi_values_worked_on_paper(graph):
    edges = cooccurrence(graph)
    # 12 sentence windows. 张凯 in 5, 王芳 in 4, together in 2: ln((2/12)/(5/12*4/12)) / -ln(2/12) = ln 1.2 / ln 6
    assert edges[both(W, Z)]["npmi"] == pytest.approx(0.18232 / 1.79176, abs=1e-5)
    assert edges[both(L, Z)]["npmi"] == pytest.approx(0.47000 / 1.79176, abs=1e-5)  # ln 1.6 / ln 6
    assert edges[both(L, W)]["npmi"] == pytest.approx(0.0, abs=1e-12)  # 1/12 = 4/12 * 3/12: independent
    assert edges[both(S, ZH)]["npmi"] == 1.0  # 赵敏 and 孙丽 never appear apart
    assert edges[both(Z, ZJ)]["npmi"] == pytest.approx(-0.22314 / 2.48491, abs=1e-5)  # ln 0.8 / ln 12: less than chance


def test_npmi_at_its_bounds():
    assert npmi(3, 3, 3, 3) == 1.0  # in every window
    assert npmi(1, 1, 1, 7) == pytest.approx(1.0)  # only ever together
    assert npmi(1, 6, 6, 7) == pytest.approx(math.log(7 / 36) / math.log(7))  # -0.84: nearly exclusive
    assert -1.0 <= npmi(1, 999, 999, 1000) < -0.99
    # Rounding puts the formula just above 1 here (1.0000000000000002): NPMI stays in its range.
    assert npmi(5, 5, 5, 8) == 1.0


def test_an_unknown_window_is_refused_naming_the_choices():
    with pytest.raises(ValueError, match="^window must be one of sentence, paragraph, article, not 'page'$"):
        GraphBuilder("page")


def test_edges_cite_their_articles_and_first_sentences(graph):
    edges = cooccurrence(graph)
    assert edges[both(W, Z)]["articles"] == ["hand/a.txt#0", "hand/b.txt#0"]
    assert edges[both(S, ZH)]["articles"] == ["hand/b.txt#0", "hand/b.txt#1"]
    assert [e["text"] for e in edges[both(W, Z)]["evidence"]] == ["张凯会见王芳。", "张凯、王芳和李强出席。"]
    # Where each sentence starts in its file (line:column), or the file alone when that is unknown.
    assert edges[both(W, Z)]["evidence"] == [
        {"text": "张凯会见王芳。", "article": A, "location": "hand/a.txt:1:1"},
        {"text": "张凯、王芳和李强出席。", "article": B, "location": "hand/b.txt:1:1"},
    ]
    assert [e["location"] for e in edges[both(S, ZH)]["evidence"]] == ["hand/b.txt:2:1", "hand/b.txt"]
    assert [e["location"] for e in edges[both(Z, ZJ)]["evidence"]] == ["hand/c.txt:1:16"]
    # A paragraph window cites the sentence of each one's first mention, joined by "…".
    by_paragraph = cooccurrence(build_graph(corpus(), window="paragraph"))
    assert by_paragraph[both(L, Z)]["evidence"][0]["text"] == "张凯会见王芳。…张凯与李强座谈。"
    assert [e["article"] for e in by_paragraph[both(L, Z)]["evidence"]] == [A, B, D]


def test_an_article_without_sentences_cites_its_whole_text():
    article = Article("hand/e.txt", 0, "张凯会见王芳\n")
    article.mentions = [Mention("张凯", "PERSON", 0, 2, 0), Mention("王芳", "PERSON", 4, 6, 0)]
    (edge,) = cooccurrence(build_graph([article])).values()
    assert edge["evidence"] == [{"text": "张凯会见王芳", "article": "hand/e.txt#0", "location": "hand/e.txt"}]


def test_an_article_keeps_only_the_sentences_an_edge_may_cite():
    article = hand_article(A)  # 王芳讲话。(sentence 2) names one person: no edge cites it
    entities = [PEOPLE.index(m.text) for m in article.mentions]
    kept = article_windows(article, entities, "sentence")
    assert kept.windows == [((0, 0), (1, 0)), ((0, 1), (2, 1)), ((1, 2),)]
    assert kept.sentences == {0: ("张凯会见王芳。", "hand/a.txt:1:1"), 1: ("张凯与李强座谈。", "hand/a.txt:1:8")}


def test_at_most_three_evidence_sentences():
    articles = [hand_article(A) for _ in range(2)] + corpus()
    for index, article in enumerate(articles[:2]):
        article.index = 10 + index  # two more copies of article A, read first
    edges = cooccurrence(build_graph(articles))
    assert edges[both(W, Z)]["weight"] == 4
    assert [e["article"] for e in edges[both(W, Z)]["evidence"]] == ["hand/a.txt#0", "hand/a.txt#10", "hand/a.txt#11"]


def test_nodes_count_what_the_texts_say(graph):
    assert graph.graph["articles"] == 4 and graph.graph["sources"] == 3 and graph.graph["window"] == "sentence"
    assert entities(graph) == {Z, W, L, ZH, S, ZJ}
    assert {n: graph.nodes[n]["mentions"] for n in (Z, W, L, ZH, S, ZJ)} == {Z: 5, W: 4, L: 3, ZH: 2, S: 2, ZJ: 3}
    assert graph.nodes[Z]["articles"] == [A, B, D] and graph.nodes[Z]["sources"] == ["hand/a.txt", "hand/b.txt", "hand/c.txt"]
    assert {n: graph.nodes[n]["degree"] for n in (Z, W, L, ZH, S, ZJ)} == {Z: 3, W: 2, L: 2, ZH: 1, S: 1, ZJ: 1}
    mentions = {(u, v): d["count"] for u, v, k, d in graph.edges(keys=True, data=True) if k == "MENTIONS"}
    assert mentions == {
        (f"ARTICLE:{A}", Z): 2, (f"ARTICLE:{A}", W): 2, (f"ARTICLE:{A}", L): 1,
        (f"ARTICLE:{B}", Z): 1, (f"ARTICLE:{B}", W): 1, (f"ARTICLE:{B}", L): 1,
        (f"ARTICLE:{B}", ZH): 1, (f"ARTICLE:{B}", S): 1, (f"ARTICLE:{B}", ZJ): 1,
        (f"ARTICLE:{C}", ZH): 1, (f"ARTICLE:{C}", S): 1,
        (f"ARTICLE:{D}", Z): 2, (f"ARTICLE:{D}", W): 1, (f"ARTICLE:{D}", L): 1, (f"ARTICLE:{D}", ZJ): 2,
    }  # fmt: skip
    article = graph.nodes[f"ARTICLE:{B}"]
    assert (article["source"], article["index"], article["name"], article["title"]) == ("hand/b.txt", 0, B, "")


def test_pagerank_is_weighted_pagerank_of_the_hand_graph(graph):
    expected = nx.pagerank(hand_graph(SENTENCE["pairs"]), weight="weight")
    # The weights matter on this graph: unweighted, the ranks differ.
    assert nx.pagerank(hand_graph(SENTENCE["pairs"]), weight=None)[Z] != pytest.approx(expected[Z], abs=1e-4)
    assert {n: graph.nodes[n]["pagerank"] for n in expected} == pytest.approx(expected, abs=1e-9)


def test_communities_are_the_two_groups_numbered_by_size(graph):
    # 赵敏 and 孙丽 never meet the other four: two groups, the larger numbered 0.
    assert {n: graph.nodes[n]["community"] for n in (Z, W, L, ZJ, ZH, S)} == {Z: 0, W: 0, L: 0, ZJ: 0, ZH: 1, S: 1}


def test_min_weight_prunes_edges_before_the_scores():
    pruned = build_graph(corpus(), min_weight=2)
    heavy = {pair: weight for pair, weight in SENTENCE["pairs"].items() if weight >= 2}
    assert {pair: d["weight"] for pair, d in cooccurrence(pruned).items()} == heavy
    assert entities(pruned) == {Z, W, L, ZH, S, ZJ}
    expected = nx.pagerank(hand_graph(heavy), weight="weight")
    assert {n: pruned.nodes[n]["pagerank"] for n in expected} == pytest.approx(expected, abs=1e-9)
    assert (pruned.nodes[Z]["degree"], pruned.nodes[ZJ]["degree"]) == (2, 0)
    # 周杰 has no edge left: a community of his own, the smallest, numbered after the pair.
    assert pruned.nodes[ZJ]["community"] == 2
    assert build_graph(corpus(), min_weight=3).number_of_edges() == 15  # MENTIONS only


def test_top_keeps_the_best_ranked_by_the_hand_graph():
    full = nx.pagerank(hand_graph(SENTENCE["pairs"]), weight="weight")
    ranked = sorted(full, key=lambda n: (-full[n], n))
    assert ranked[0] == Z  # the one with most ties
    for top in (1, 3, 5):
        graph = build_graph(corpus(), top=top)
        kept = set(ranked[:top])
        assert entities(graph) == kept
        assert set(cooccurrence(graph)) == {pair for pair in SENTENCE["pairs"] if pair <= kept}
        for node in kept:  # scores from before the cut, degree after it
            assert graph.nodes[node]["pagerank"] == pytest.approx(full[node], abs=1e-9)
            assert graph.nodes[node]["degree"] == sum(node in pair for pair in cooccurrence(graph))
        articles = {n for n, d in graph.nodes(data=True) if d["kind"] == "article"}
        mentioning = {f"ARTICLE:{a}" for a in TEXTS if any(f"PERSON:{p}" in kept for p in PEOPLE if p in TEXTS[a])}
        assert articles == mentioning


def test_top_breaks_ties_by_id():
    # 赵敏 and 孙丽 are symmetric, and so are 王芳 and 李强: equal PageRanks, below 张凯's and in
    # that order. Of each tie the smaller id stays: PERSON:孙丽 (U+5B59) and PERSON:李强 (U+674E).
    full = nx.pagerank(hand_graph(SENTENCE["pairs"]), weight="weight")
    assert full[Z] > full[ZH] == full[S] > full[W] == full[L] > full[ZJ]
    assert entities(build_graph(corpus(), top=2)) == {Z, S}
    assert entities(build_graph(corpus(), top=4)) == {Z, S, ZH, L}


def test_an_article_without_entities_stays_under_top():
    empty = Article("hand/d.txt", 0, "今天天气晴。", sentences=[(0, 6)])
    graph = build_graph([*corpus(), empty], top=1)
    assert "ARTICLE:hand/d.txt#0" in graph
    assert f"ARTICLE:{C}" not in graph  # mentions only 赵敏 and 孙丽, both cut


def test_reading_order_does_not_change_the_graph(graph):
    builder = GraphBuilder()
    for article in reversed(corpus()):
        builder.add(article)
    again = builder.finish()
    assert nx.node_link_data(again, edges="edges") == nx.node_link_data(graph, edges="edges")
    assert list(again.nodes) == list(graph.nodes)


def test_each_mention_carries_its_node_after_build():
    articles = corpus()
    build_graph(articles)
    assert all(m.canonical == m.text for a in articles for m in a.mentions)
    builder = GraphBuilder()
    with pytest.raises(RuntimeError, match="finish"):
        builder.resolved("PERSON", "张凯")
