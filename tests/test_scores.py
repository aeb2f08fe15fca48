"""The graph's numbers against answers worked out by hand on a corpus small enough to count.

Four articles, written here, name six people. Every count below (the windows that mention
each person, the windows two of them share) was counted by reading the texts; NPMI follows
from its definition (Bouma 2009), and PageRank and the communities come from networkx run on
a graph written out by hand from those counts, not from anything kg computed.
"""

from __future__ import annotations

import importlib.metadata
import math

import networkx as nx
import pytest

from kg.document import Article, Mention
from kg.graph import GraphBuilder, build_graph
from kg.graph.build import community_numbers
from kg.graph.cooccurrence import article_windows, cooccurrence_graph, npmi

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
    articles = [hand_article(article_id) for article_id in TEXTS]
    articles[1].title, articles[1].byline, articles[1].date = "座谈会召开", ["记者 张楠"], "2024-07-23"
    return articles


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


def test_the_cooccurrence_graph_counts_each_node_s_windows():
    numbers = {f"PERSON:{name}": number for number, name in enumerate(PEOPLE)}
    nodes = {number: node for node, number in numbers.items()}
    windows = [article_windows(a, [numbers[f"PERSON:{m.text}"] for m in a.mentions], "sentence") for a in corpus()]
    graph = cooccurrence_graph(windows, nodes.__getitem__)  # by default: sentences, every pair
    assert graph.graph == {"window": "sentence", "windows": SENTENCE["windows"]}
    assert dict(graph.nodes(data="windows")) == SENTENCE["nodes"]
    assert {frozenset(pair): weight for *pair, weight in graph.edges(data="weight")} == SENTENCE["pairs"]


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


def test_an_edge_lists_its_articles_sorted_by_id():
    copies = [hand_article(C), hand_article(C)]
    copies[0].source, copies[0].index = "hand/f.txt", 2
    copies[1].source, copies[1].index = "hand/f.txt", 10
    (edge,) = cooccurrence(build_graph(copies)).values()
    # Read in the corpus's order (index 2, then 10), listed as sorted strings.
    assert edge["articles"] == ["hand/f.txt#10", "hand/f.txt#2"]
    assert [e["article"] for e in edge["evidence"]] == ["hand/f.txt#2", "hand/f.txt#10"]


def test_at_most_three_evidence_sentences():
    articles = [hand_article(A) for _ in range(2)] + corpus()
    for index, article in enumerate(articles[:2]):
        article.index = 10 + index  # two more copies of article A, read first
    edges = cooccurrence(build_graph(articles))
    assert edges[both(W, Z)]["weight"] == 4
    assert [e["article"] for e in edges[both(W, Z)]["evidence"]] == ["hand/a.txt#0", "hand/a.txt#10", "hand/a.txt#11"]


def test_nodes_count_what_the_texts_say(graph):
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
    meeting = {
        "id": f"ARTICLE:{B}", "kind": "article", "name": "座谈会召开", "title": "座谈会召开", "source": "hand/b.txt",
        "index": 0, "byline": ["记者 张楠"], "date": "2024-07-23",
    }  # fmt: skip
    assert {key: graph.nodes[f"ARTICLE:{B}"][key] for key in meeting} == meeting
    undated = graph.nodes[f"ARTICLE:{A}"]
    assert (undated["name"], undated["title"], undated["byline"], undated["date"]) == (A, "", [], "")
    zhang = {
        "id": Z, "kind": "entity", "label": "PERSON", "name": "张凯", "aliases": [], "mentions": 5,
        "articles": [A, B, D], "sources": ["hand/a.txt", "hand/b.txt", "hand/c.txt"], "roles": [], "degree": 3,
    }  # fmt: skip
    assert {key: graph.nodes[Z][key] for key in zhang} == zhang
    assert graph.graph == {
        "window": "sentence", "sources": 3, "articles": 4, "created_by": f"kg {importlib.metadata.version('kg')}"
    }


def test_pagerank_is_weighted_pagerank_of_the_hand_graph(graph):
    expected = nx.pagerank(hand_graph(SENTENCE["pairs"]), weight="weight")
    # The weights matter on this graph: unweighted, the ranks differ.
    assert nx.pagerank(hand_graph(SENTENCE["pairs"]), weight=None)[Z] != pytest.approx(expected[Z], abs=1e-4)
    assert {n: graph.nodes[n]["pagerank"] for n in expected} == pytest.approx(expected, abs=1e-9)


def test_communities_are_the_two_groups_numbered_by_size(graph):
    # 赵敏 and 孙丽 never meet the other four: two groups, the larger numbered 0.
    assert {n: graph.nodes[n]["community"] for n in (Z, W, L, ZJ, ZH, S)} == {Z: 0, W: 0, L: 0, ZJ: 0, ZH: 1, S: 1}


def test_communities_follow_the_weights():
    # A ring of six: pairs joined by 9 shared sentences, linked to the next pair by 1. Weighted,
    # the pairs are the communities; unweighted, Louvain pairs the ring the other way round.
    ring = nx.Graph()
    for (u, v), weight in {("a", "b"): 9, ("b", "c"): 1, ("c", "d"): 9, ("d", "e"): 1, ("e", "f"): 9, ("f", "a"): 1}.items():
        ring.add_edge(u, v, weight=weight, npmi=0.0)
    assert community_numbers(ring) == {"a": 0, "b": 0, "c": 1, "d": 1, "e": 2, "f": 2}


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


def test_aliases_say_which_name_became_which_and_why():
    text = "新疆准东经济技术开发区（以下简称准东开发区）成立。准东开发区发展迅速。博州代表参加。"
    builder = GraphBuilder()
    for index in (0, 1):  # the same page twice: every row counts two articles
        ends = [i + 1 for i, char in enumerate(text) if char == "。"]
        article = Article("hand/p.txt", index, text, sentences=list(zip([0, *ends], ends)))
        for name, canonical in (("新疆准东经济技术开发区", ""), ("准东开发区", ""), ("博州", "博尔塔拉蒙古自治州")):
            for at in (i for i in range(len(text)) if text.startswith(name, i)):
                article.mentions.append(Mention(name, "PLACE", at, at + len(name), article.sentence_index(at), canonical))
        article.mentions.sort(key=lambda m: m.start)
        builder.add(article)
    builder.finish()
    assert builder.aliases() == [
        ("准东开发区", "PLACE", "新疆准东经济技术开发区", "declared", 2),
        ("博州", "PLACE", "博尔塔拉蒙古自治州", "gazetteer", 2),
    ]


def test_a_short_form_two_articles_resolve_is_that_entity_in_a_third():
    def place_article(index: int, text: str) -> Article:
        article = Article("hand/z.txt", index, text, sentences=[(0, len(text))])
        for name in ("准东开发区", "准东", "哈密"):
            for at in (i for i in range(len(text)) if text.startswith(name, i)):
                if not any(m.start <= at < m.end for m in article.mentions):
                    article.mentions.append(Mention(name, "PLACE", at, at + len(name), 0))
        article.mentions.sort(key=lambda m: m.start)
        return article

    # Two articles say 准东 is short for 准东开发区; the third, which names only 准东, means it too.
    articles = [place_article(0, "准东开发区建设提速，准东发展迅速。"), place_article(1, "准东开发区招商，准东企业增多。"),
                place_article(2, "准东和哈密两地合作。")]  # fmt: skip
    builder = GraphBuilder()
    for article in articles:
        builder.add(article)
    graph = builder.finish()
    assert entities(graph) == {"PLACE:准东开发区", "PLACE:哈密"}
    zone = graph.nodes["PLACE:准东开发区"]
    assert (zone["aliases"], zone["mentions"], zone["articles"]) == (["准东"], 5, ["hand/z.txt#0", "hand/z.txt#1", "hand/z.txt#2"])
    assert graph.nodes["PLACE:哈密"]["mentions"] == 1
    assert builder.resolved("PLACE", "准东") == ("PLACE", "准东开发区")
    assert builder.aliases() == [
        ("准东", "PLACE", "准东开发区", "across articles", 1),
        ("准东", "PLACE", "准东开发区", "short form", 2),
    ]
    # One article is not evidence enough: 准东 stays itself elsewhere.
    graph = build_graph([articles[0], place_article(2, "准东和哈密两地合作。")])
    assert entities(graph) == {"PLACE:准东开发区", "PLACE:准东", "PLACE:哈密"}


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
    with pytest.raises(RuntimeError, match=r"^GraphBuilder\.resolved\(\) needs finish\(\) first$"):
        builder.resolved("PERSON", "张凯")
