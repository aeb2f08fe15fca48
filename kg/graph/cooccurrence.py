"""Co-occurrence of entities in windows of text (sentence, paragraph or article)."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

from kg.document import Article

WINDOWS = ("sentence", "paragraph", "article")
MAX_EVIDENCE = 3


@dataclass
class _Pair:
    weight: int = 0
    articles: list[str] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)


def _windows(article: Article, window: str) -> list[int]:
    """The window number of each mention of `article`."""
    if window == "sentence":
        return [m.sentence for m in article.mentions]
    if window == "paragraph":
        breaks = [i for i, char in enumerate(article.text) if char == "\n"]
        return [bisect_right(breaks, m.start) for m in article.mentions]
    return [0] * len(article.mentions)


def _sentence_span(article: Article, mention) -> tuple[int, int]:
    if 0 <= mention.sentence < len(article.sentences):
        return article.sentences[mention.sentence]
    return 0, len(article.text)


def _evidence(article: Article, first, second, cache: dict) -> dict:
    """The sentence holding both mentions, or the two sentences holding each joined by "…".
    Pairs citing the same sentences share one record (`cache`, per article)."""
    first, second = _sentence_span(article, first), _sentence_span(article, second)
    spans = (first,) if first == second else tuple(sorted((first, second)))
    if spans not in cache:
        text = "…".join(article.text[start:end].strip() for start, end in spans)
        location = article.locate(spans[0][0])
        cache[spans] = {"text": text, "article": article.id, "location": str(location) if location else article.source}
    return cache[spans]


def npmi(pair_windows: int, x_windows: int, y_windows: int, windows: int) -> float:
    """Normalised pointwise mutual information of x and y over `windows` windows, in [-1, 1]:
    1 when they only ever appear together, 0 when independent."""
    if pair_windows == windows:
        return 1.0
    p_xy = pair_windows / windows
    value = math.log(p_xy / ((x_windows / windows) * (y_windows / windows))) / -math.log(p_xy)
    return max(-1.0, min(1.0, value))


def cooccurrence_graph(
    articles: list[Article], entities: list[list[str]], window: str = "sentence", min_weight: int = 1
) -> nx.Graph:
    """The weighted co-occurrence graph of the entities.

    `entities[i][j]` is the node id of the j-th mention of `articles[i]`. Two entities
    co-occur once per window holding a mention of each. Every entity mentioned is a node,
    with `windows` (how many windows mention it); every pair sharing `min_weight` windows or
    more is an edge with `weight` (windows shared), `npmi` (over the windows that mention any
    entity), `articles` (sorted ids) and `evidence` (the first three windows: text, article
    id, source:line:column).
    """
    if window not in WINDOWS:
        raise ValueError(f"window must be one of {', '.join(WINDOWS)}, not {window!r}")
    pairs: dict[tuple[str, str], _Pair] = {}
    node_windows: Counter[str] = Counter()
    total = 0
    for article, ids in zip(articles, entities):
        article_id = article.id
        # First mention of each entity in each window, in reading order.
        firsts: dict[int, dict[str, object]] = {}
        evidence: dict[tuple, dict] = {}
        for mention, number, node in zip(article.mentions, _windows(article, window), ids):
            firsts.setdefault(number, {}).setdefault(node, mention)
        for members in firsts.values():
            total += 1
            node_windows.update(members.keys())
            for u, v in combinations(sorted(members), 2):
                pair = pairs.get((u, v))
                if pair is None:
                    pair = pairs[u, v] = _Pair()
                pair.weight += 1
                if not pair.articles or pair.articles[-1] != article_id:
                    pair.articles.append(article_id)
                if len(pair.evidence) < MAX_EVIDENCE:
                    pair.evidence.append(_evidence(article, members[u], members[v], evidence))

    graph = nx.Graph(window=window, windows=total)
    graph.add_nodes_from((node, {"windows": count}) for node, count in node_windows.items())
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
        for (u, v), pair in pairs.items()
        if pair.weight >= min_weight
    )
    return graph
