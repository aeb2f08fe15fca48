"""Articles with mentions -> the knowledge graph of docs/schema.md."""

from __future__ import annotations

import gc
import heapq
from collections import Counter, defaultdict
from contextlib import contextmanager

import networkx as nx

import kg
from kg.document import Article
from kg.graph.cooccurrence import cooccurrence_graph
from kg.graph.relations import gazetteer_located_in, located_in, node_id, role_targets
from kg.graph.resolve import normalize_name, resolve_mentions

COMMUNITY_SEED = 0
# Louvain in pure Python took 245 s on the million edges of benchmarks/graph_scale.py and
# 7 s (CPU) on its 50,000 heaviest: larger graphs find their communities on those.
COMMUNITY_MAX_EDGES = 50_000


def build_graph(
    articles: list[Article], window: str = "sentence", min_weight: int = 1, top: int | None = None
) -> nx.MultiDiGraph:
    """The knowledge graph of `articles` (docs/schema.md); sets each mention's `canonical`
    to the name of the entity it was resolved to.

    Entities co-occur once per `window` ("sentence", "paragraph": text between two "\\n",
    or "article") that mentions both. Pruning, in this order:

    - `min_weight`: CO_OCCURS_WITH edges of weight below it are dropped; every entity stays.
    - pagerank and communities (`community_numbers`) are then computed on the
      co-occurrence edges that remain.
    - `top`: when given, only the `top` entities of highest pagerank stay (ties broken by
      id), with the edges among them, and only the article nodes that mention one of them
      (or mention nothing). Their `pagerank` and `community` are those computed before this
      cut; `degree` counts the co-occurrence edges that stay.
    """
    with _gc_paused():
        return _build_graph(list(articles), window, min_weight, top)


@contextmanager
def _gc_paused():
    """Building the graph allocates millions of dicts that live on; the cyclic garbage
    collector would walk them again and again for nothing (measured on the benchmark: the
    MultiDiGraph of 1M edges took 48 s to fill with it, 9 s without)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def community_numbers(cooccurrence: nx.Graph, max_edges: int = COMMUNITY_MAX_EDGES) -> dict[str, int]:
    """The Louvain community (seed 0) of each node, numbered from the largest community
    (ties: the one with the smallest node id first).

    On a graph of more than `max_edges` edges, Louvain runs on the `max_edges` heaviest
    (by weight, then NPMI); a node left without edges is a community of its own.
    """
    edges = cooccurrence.edges(data=True)
    if cooccurrence.number_of_edges() > max_edges:
        edges = heapq.nlargest(max_edges, edges, key=lambda edge: (edge[2]["weight"], edge[2]["npmi"]))
    # Louvain leaves a node without edges alone anyway; it is faster not to hand it those.
    backbone = nx.Graph()
    backbone.add_weighted_edges_from((u, v, data["weight"]) for u, v, data in edges)
    communities = nx.community.louvain_communities(backbone, weight="weight", seed=COMMUNITY_SEED)
    communities.extend({node} for node in cooccurrence if node not in backbone)
    return {
        node: number
        for number, members in enumerate(sorted(communities, key=lambda c: (-len(c), min(c))))
        for node in members
    }


def _build_graph(articles: list[Article], window: str, min_weight: int, top: int | None) -> nx.MultiDiGraph:
    keys = resolve_mentions(articles)
    ids = [[node_id(*key) for key in article_keys] for article_keys in keys]
    for article, article_keys in zip(articles, keys):
        for mention, (_, name) in zip(article.mentions, article_keys):
            mention.canonical = name

    cooccurrence = cooccurrence_graph(articles, ids, window, min_weight)
    entities = _entities(articles, keys, ids)
    cooccurrence.add_nodes_from(entities)
    pagerank = nx.pagerank(cooccurrence, weight="weight")
    community_of = community_numbers(cooccurrence)
    if top is not None:
        kept = sorted(cooccurrence, key=lambda node: (-pagerank[node], node))[:top]
        cooccurrence = cooccurrence.subgraph(kept)

    graph = nx.MultiDiGraph(
        window=window,
        sources=len({a.source for a in articles}),
        articles=len(articles),
        created_by=f"kg {kg.__version__}",
    )
    for node in sorted(cooccurrence):
        graph.add_node(
            node,
            **entities[node],
            degree=cooccurrence.degree(node),
            pagerank=pagerank[node],
            community=community_of[node],
        )
    for u, v, data in cooccurrence.edges(data=True):
        if u > v:
            u, v = v, u
        graph.add_edge(u, v, key="CO_OCCURS_WITH", **data)
    _add_articles(graph, articles, ids)
    for (person, body), titles in role_targets(articles, keys).items():
        if person in graph and body in graph:
            graph.add_edge(
                person,
                body,
                key="HOLDS_ROLE",
                title="、".join(sorted(titles)),
                articles=sorted(set().union(*titles.values())),
            )
    for (child, parent), basis in located_in(articles, keys).items():
        if child in graph and parent in graph:
            graph.add_edge(child, parent, key="LOCATED_IN", basis=basis)
    places = {data["name"] for _, data in graph.nodes(data=True) if data.get("label") == "PLACE"}
    for (child, parent), basis in gazetteer_located_in(places).items():
        # The text's word wins: an edge it states keeps basis "text".
        if not graph.has_edge(child, parent, "LOCATED_IN"):
            graph.add_edge(child, parent, key="LOCATED_IN", basis=basis)
    return graph


def _entities(articles, keys, ids) -> dict[str, dict]:
    """The attributes of each entity node but its scores."""
    mentions: Counter[str] = Counter()
    aliases, in_articles, sources = defaultdict(set), defaultdict(set), defaultdict(set)
    roles: dict[str, dict[tuple, None]] = defaultdict(dict)  # ordered sets of role tuples
    for article, article_keys, article_ids in zip(articles, keys, ids):
        for mention, (label, name), node in zip(article.mentions, article_keys, article_ids):
            mentions[node] += 1
            in_articles[node].add(article.id)
            sources[node].add(article.source)
            surface = normalize_name(mention.text)
            if surface and surface != name:
                aliases[node].add(surface)
            if label == "PERSON" and mention.role:
                roles[node][mention.role, mention.role_org or "", article.id] = None
    entities = {}
    for article_keys, article_ids in zip(keys, ids):
        for (label, name), node in zip(article_keys, article_ids):
            if node in entities:
                continue
            entities[node] = {
                "id": node,
                "kind": "entity",
                "label": label,
                "name": name,
                "aliases": sorted(aliases[node]),
                "mentions": mentions[node],
                "articles": sorted(in_articles[node]),
                "sources": sorted(sources[node]),
            }
            if label == "PERSON":
                entities[node]["roles"] = [
                    {"title": title, "org": org, "article": article} for title, org, article in roles[node]
                ]
    return entities


def _add_articles(graph: nx.MultiDiGraph, articles: list[Article], ids: list[list[str]]) -> None:
    """ARTICLE nodes, and their MENTIONS edges to the entities kept in `graph`."""
    for article, article_ids in zip(articles, ids):
        counts = Counter(node for node in article_ids if node in graph)
        if article_ids and not counts:
            continue  # every entity it mentions was pruned
        article_node = f"ARTICLE:{article.id}"
        graph.add_node(
            article_node,
            id=article_node,
            kind="article",
            name=article.title or article.id,
            title=article.title or "",
            source=article.source,
            index=article.index,
            byline=list(article.byline),
            date=article.date or "",
        )
        graph.add_edges_from((article_node, node, "MENTIONS", {"count": count}) for node, count in counts.items())
