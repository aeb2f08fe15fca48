"""Co-occurrence of entities in windows of text (sentence, paragraph or article).

The graph is built from the windows of each article, kept compact (`ArticleWindows`: which
entities each window holds, and the text of the sentences an edge may cite), so that a corpus
is read once and never held whole.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

from kg.document import Article

WINDOWS = ("sentence", "paragraph", "article")
MAX_EVIDENCE = 3


@dataclass
class ArticleWindows:
    """The windows of one article that hold an entity, in reading order.

    `windows[w]` lists (entity, sentence of its first mention in the window) for each entity
    of window w, in the order of those first mentions; `sentences` holds the text and source
    location of each sentence that a co-occurrence in this article may cite.
    """

    article: str  # Article.id
    windows: list[tuple[tuple[int, int], ...]]
    sentences: dict[int, tuple[str, str]] = field(default_factory=dict)  # index -> (text, location)


def check_window(window: str) -> str:
    if window not in WINDOWS:
        raise ValueError(f"window must be one of {', '.join(WINDOWS)}, not {window!r}")
    return window


def article_windows(article: Article, entities: list[int], window: str) -> ArticleWindows:
    """The windows of `article`; `entities[j]` is the entity of its j-th mention."""
    firsts: dict[int, dict[int, int]] = {}
    for mention, number, entity in zip(article.mentions, _window_numbers(article, window), entities):
        firsts.setdefault(number, {}).setdefault(entity, mention.sentence)
    windows = [tuple(members.items()) for members in firsts.values()]
    cited = {sentence for members in windows if len(members) > 1 for _, sentence in members}
    return ArticleWindows(article.id, windows, {index: _sentence(article, index) for index in sorted(cited)})


def _window_numbers(article: Article, window: str) -> list[int]:
    if window == "sentence":
        return [m.sentence for m in article.mentions]
    if window == "paragraph":
        breaks = [i for i, char in enumerate(article.text) if char == "\n"]
        return [bisect_right(breaks, m.start) for m in article.mentions]
    return [0] * len(article.mentions)


def _sentence(article: Article, index: int) -> tuple[str, str]:
    start, end = article.sentences[index] if 0 <= index < len(article.sentences) else (0, len(article.text))
    location = article.locate(start)
    return article.text[start:end].strip(), str(location) if location else article.source


def npmi(pair_windows: int, x_windows: int, y_windows: int, windows: int) -> float:
    """Normalised pointwise mutual information of x and y over `windows` windows, in [-1, 1]:
    1 when they only ever appear together, 0 when independent."""
    if pair_windows == windows:
        return 1.0
    p_xy = pair_windows / windows
    value = math.log(p_xy / ((x_windows / windows) * (y_windows / windows))) / -math.log(p_xy)
    return max(-1.0, min(1.0, value))


@dataclass
class _Pair:
    weight: int = 0
    articles: list[str] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)


def cooccurrence_graph(
    articles: Iterable[ArticleWindows], node_of: Callable[[int], str], window: str = "sentence", min_weight: int = 1
) -> nx.Graph:
    """The weighted co-occurrence graph of the entities of `articles`, read in that order.

    `node_of(entity)` is the node an entity of the windows belongs to (several entities may
    be one node). Two nodes co-occur once per window holding a mention of each. Every node
    mentioned is a node of the graph, with `windows` (how many windows mention it); every
    pair sharing `min_weight` windows or more is an edge with `weight` (windows shared),
    `npmi` (over the windows that mention any entity), `articles` (sorted ids) and `evidence`
    (the first three windows: text, article id, source:line:column). Nodes and edges are
    added in sorted order, so that the graph does not depend on how it was computed.
    """
    pairs: dict[tuple[str, str], _Pair] = {}
    node_windows: Counter[str] = Counter()
    total = 0
    for entry in articles:
        evidence: dict[tuple[int, ...], dict] = {}  # pairs citing the same sentences share one record
        for members in entry.windows:
            firsts: dict[str, int] = {}
            for entity, sentence in members:
                firsts.setdefault(node_of(entity), sentence)
            total += 1
            node_windows.update(firsts.keys())
            for u, v in combinations(sorted(firsts), 2):
                pair = pairs.get((u, v))
                if pair is None:
                    pair = pairs[u, v] = _Pair()
                pair.weight += 1
                if not pair.articles or pair.articles[-1] != entry.article:
                    pair.articles.append(entry.article)
                if len(pair.evidence) < MAX_EVIDENCE:
                    pair.evidence.append(_evidence(entry, firsts[u], firsts[v], evidence))

    graph = nx.Graph(window=window, windows=total)
    graph.add_nodes_from((node, {"windows": node_windows[node]}) for node in sorted(node_windows))
    graph.add_edges_from(
        (
            u,
            v,
            {
                "weight": pair.weight,
                "npmi": npmi(pair.weight, node_windows[u], node_windows[v], total),
                "articles": sorted(set(pair.articles)) if len(pair.articles) > 1 else pair.articles,
                "evidence": pair.evidence,
            },
        )
        for (u, v), pair in sorted(pairs.items())
        if pair.weight >= min_weight
    )
    return graph


def _evidence(entry: ArticleWindows, first: int, second: int, cache: dict) -> dict:
    """The sentence holding both mentions, or the two sentences holding each joined by "…"."""
    spans = (first,) if first == second else tuple(sorted((first, second)))
    if spans not in cache:
        text = "…".join(entry.sentences[index][0] for index in spans)
        cache[spans] = {"text": text, "article": entry.article, "location": entry.sentences[spans[0]][1]}
    return cache[spans]
