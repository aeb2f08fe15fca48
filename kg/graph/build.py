"""Articles with mentions -> the knowledge graph of docs/schema.md."""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import networkx as nx

import kg
from kg.document import Article
from kg.memory import gc_paused
from kg.graph.cooccurrence import MAX_EVIDENCE, ArticleWindows, article_windows, check_window, cooccurrence_graph
from kg.graph.relations import (
    RoleClaim,
    adjacent_places,
    gazetteer_located_in,
    located_in,
    node_id,
    role_claims,
    role_targets,
)
from kg.graph.resolve import Key, follow, link_across, normalize_name, resolve_article
from kg.graph.aid import aid_claims
from kg.graph.visits import visit_claims

COMMUNITY_SEED = 0
# Louvain in pure Python took 245 s on the million edges of benchmarks/graph_scale.py and
# 7 s (CPU) on its 50,000 heaviest: larger graphs find their communities on those.
COMMUNITY_MAX_EDGES = 50_000


def build_graph(
    articles: Iterable[Article], window: str = "sentence", min_weight: int = 1, top: int | None = None
) -> nx.MultiDiGraph:
    """The knowledge graph of `articles` (docs/schema.md); sets each mention's `canonical`
    to the name of the entity it was resolved to. See `GraphBuilder` for what the graph
    holds; this is the same, for a corpus that fits in memory."""
    articles = list(articles)
    builder = GraphBuilder(window)
    keys = [builder.add(article) for article in articles]
    graph = builder.finish(min_weight=min_weight, top=top)
    for article, article_keys in zip(articles, keys):
        for mention, key in zip(article.mentions, article_keys):
            mention.canonical = builder.resolved(*key)[1]
    return graph


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


@dataclass
class _Entity:
    """What the corpus says of one name as its articles resolved it, before the names are
    resolved across articles (several of these may become one node)."""

    key: Key
    mentions: int = 0
    surfaces: set[str] = field(default_factory=set)  # printed forms, without quotes
    articles: list[str] = field(default_factory=list)  # ids, each once
    sources: set[str] = field(default_factory=set)
    # (article order, offset, title, org, article id): sorted, they read in corpus order
    roles: list[tuple[tuple[str, int], int, str, str, str]] = field(default_factory=list)


@dataclass
class _ArticleEntry:
    order: tuple[str, int]  # (source, index): the corpus's reading order
    node: dict  # the ARTICLE node's attributes
    counts: dict[int, int]  # mentions of each entity
    windows: ArticleWindows


class GraphBuilder:
    """The knowledge graph of a corpus, built one article at a time in bounded memory.

    `add(article)` resolves the article's names by what it says itself (declared aliases,
    short forms) and keeps only counts, the entities of each co-occurrence window and the
    sentences an edge may cite; the article itself can then go. `finish()` resolves names
    across articles from those counts and returns the `networkx.MultiDiGraph` of
    docs/schema.md. Articles may be added in any order: the graph is the same.

    Entities co-occur once per `window` ("sentence", "paragraph": text between two "\\n",
    or "article") that mentions both.
    """

    def __init__(self, window: str = "sentence"):
        self.window = check_window(window)
        self._ids: dict[Key, int] = {}
        self._entities: list[_Entity] = []
        self._articles: list[_ArticleEntry] = []
        self._sources: set[str] = set()
        self._targets: dict[Key, Counter[Key]] = defaultdict(Counter)  # name -> entity -> articles
        self._ambiguous: Counter[Key] = Counter()  # name -> articles that found it ambiguous
        self._suggested: Counter[Key] = Counter()  # given name -> articles that named its person
        self._bases: Counter[tuple[Key, Key, str]] = Counter()  # (name, entity, basis) -> articles
        self._claims: list[RoleClaim] = []
        # (person entity, role word, article id, publication names): a publication is an ORG
        # node when an article tagged it, like an aid post's places (names in _stated)
        self._credits: list[tuple[int, str, str, tuple[str, ...]]] = []
        self._adjacent: set[tuple[int, int]] = set()
        # VISITED and AIDS as the articles state them: (type, entity, entity, article id,
        # sentence start, evidence)
        self._stated: list[tuple[str, int | Key, int | Key, str, int, dict]] = []
        self._across: dict[Key, Key] | None = None

    def add(self, article: Article) -> list[Key]:
        """Take in one tagged article; returns the (label, name) each of its mentions names
        within the article (`resolved` gives the name the graph settled on)."""
        resolution = resolve_article(article)
        # A name of one character the article leaves unresolved (an abbreviation that could
        # stand for several, a fragment of a longer name) names no node: it stays in
        # entities.jsonl only.
        named = [len(key[1]) > 1 for key in resolution.keys]
        article = replace(article, mentions=[m for m, keep in zip(article.mentions, named) if keep])
        ids = [self._id(key) for key, keep in zip(resolution.keys, named) if keep]
        for (name, entity), basis in resolution.links.items():
            self._targets[name][entity] += 1
            self._bases[name, entity, basis] += 1
        for name, entity in resolution.suggested.items():
            self._targets[name][entity] += 1
        self._suggested.update(resolution.suggested.keys())
        self._ambiguous.update(resolution.ambiguous)
        order = (article.source, article.index)
        for mention, number in zip(article.mentions, ids):
            entity = self._entities[number]
            entity.mentions += 1
            entity.surfaces.add(normalize_name(mention.text))
        claims = role_claims(article, ids)
        for claim in claims:
            self._entities[claim.person].roles.append((order, claim.start, claim.title, claim.body, article.id))
        credited = self._credited(article, ids, order)
        for number in dict.fromkeys([*ids, *credited]):
            self._entities[number].articles.append(article.id)
            self._entities[number].sources.add(article.source)
        self._claims.extend(claims)
        self._adjacent |= adjacent_places(article, ids)
        self._stated += [("VISITED", c.person, c.target, c.article, c.sentence, c.evidence) for c in visit_claims(article, ids)]
        self._stated += [
            ("AIDS", *(end if isinstance(end, int) else ("PLACE", end) for end in (c.aider, c.aided)), c.article, c.sentence, c.evidence)
            for c in aid_claims(article, ids)
        ]
        self._sources.add(article.source)
        self._articles.append(
            _ArticleEntry(order, _article_node(article), dict(Counter(ids)), article_windows(article, ids, self.window))
        )
        return resolution.keys

    def merge(self, other: GraphBuilder) -> GraphBuilder:
        """Take in the articles `other` took in (another part of the corpus, in the same
        window); returns this builder. Adding articles part by part and merging the parts in
        order gives the graph of adding them all to one builder."""
        if other.window != self.window:
            raise ValueError(f"cannot merge a {other.window} window's builder into a {self.window} window's")
        with gc_paused():
            self._merge(other)
        return self

    def _merge(self, other: GraphBuilder) -> None:
        ids = [self._id(entity.key) for entity in other._entities]  # other's numbers -> ours
        for entity, number in zip(other._entities, ids):
            mine = self._entities[number]
            mine.mentions += entity.mentions
            mine.surfaces |= entity.surfaces
            mine.articles += entity.articles
            mine.sources |= entity.sources
            mine.roles += entity.roles
        for entry in other._articles:
            windows = [tuple((ids[entity], sentence) for entity, sentence in members) for members in entry.windows.windows]
            self._articles.append(
                replace(
                    entry,
                    counts={ids[number]: count for number, count in entry.counts.items()},
                    windows=replace(entry.windows, windows=windows),
                )
            )
        self._sources |= other._sources
        for name, targets in other._targets.items():
            self._targets[name].update(targets)
        self._ambiguous.update(other._ambiguous)
        self._suggested.update(other._suggested)
        self._bases.update(other._bases)
        self._claims += [
            replace(claim, person=ids[claim.person], named=tuple((name, ids[n]) for name, n in claim.named))
            for claim in other._claims
        ]
        self._credits += [(ids[person], *credit) for person, *credit in other._credits]
        self._adjacent |= {(ids[outer], ids[inner]) for outer, inner in other._adjacent}
        self._stated += [
            (kind, *(ids[end] if isinstance(end, int) else end for end in (first, second)), *rest)
            for kind, first, second, *rest in other._stated
        ]
        self._across = None

    def resolved(self, label: str, name: str) -> Key:
        """The entity the graph settled on for a name as an article resolved it (after finish)."""
        if self._across is None:
            raise RuntimeError("GraphBuilder.resolved() needs finish() first")
        return follow(self._across, (label, name))

    def finish(self, min_weight: int = 1, top: int | None = None) -> nx.MultiDiGraph:
        """The graph of every article added. Pruning, in this order:

        - `min_weight`: CO_OCCURS_WITH edges of weight below it are dropped; every entity stays.
        - pagerank and communities (`community_numbers`) are then computed on the
          co-occurrence edges that remain.
        - `top`: when given, only the `top` entities of highest pagerank stay (ties broken by
          id), with the edges among them, and only the article nodes that mention one of them
          (or mention nothing). Their `pagerank` and `community` are those computed before this
          cut; `degree` counts the co-occurrence edges that stay.
        """
        with gc_paused():
            return self._finish(min_weight, top)

    def aliases(self) -> list[tuple[str, str, str, str, int]]:
        """Every name that became another entity's alias, and why (after finish): rows of
        (alias, label, canonical name, basis, articles), basis one of those of
        `resolve_article`'s links or "across articles"."""
        rows: Counter[tuple[str, str, str, str]] = Counter()
        for (name, entity, basis), count in self._bases.items():
            final = self.resolved(*entity)
            if name[1] != final[1]:
                rows[name[1], name[0], final[1], basis] += count
        for entity in self._entities:
            final = self.resolved(*entity.key)
            if final != entity.key:
                rows[entity.key[1], entity.key[0], final[1], "across articles"] += len(entity.articles)
        return sorted((*row, count) for row, count in rows.items())

    def _credited(self, article: Article, ids: list[int], order: tuple[str, int]) -> list[int]:
        """Keep the article's credits (its byline names and their publications); returns the
        people they name. A byline name the nlp stage did not tag is a person all the same."""
        people = {normalize_name(m.text): number for m, number in zip(article.mentions, ids) if m.label == "PERSON"}
        named = []
        for credit in article.credits:
            person = people.get(credit.name)
            if person is None:
                person = people[credit.name] = self._id(("PERSON", credit.name))
            self._credits.append((person, credit.role, article.id, credit.publications))
            offset = max(article.text.find(credit.name), 0)
            self._entities[person].roles.extend(
                (order, offset, credit.role, name, article.id) for name in credit.publications or [""]
            )
            named.append(person)
        return named

    def _node(self, key: Key) -> str:
        """The node id of a name no mention gave an entity of its own (after finish's resolution)."""
        return node_id(*follow(self._across, key))

    def _id(self, key: Key) -> int:
        number = self._ids.get(key)
        if number is None:
            number = self._ids[key] = len(self._entities)
            self._entities.append(_Entity(key))
        return number

    def _finish(self, min_weight: int, top: int | None) -> nx.MultiDiGraph:
        # An entity's articles are those where its name stood as itself, resolved to nothing
        # else; a given name beside its person's full name did not.
        standalone = {entity.key: len(entity.articles) - self._suggested[entity.key] for entity in self._entities}
        self._across = link_across(self._targets, self._ambiguous, standalone)
        final = [follow(self._across, entity.key) for entity in self._entities]
        node_of = [node_id(*key) for key in final]
        articles = sorted(self._articles, key=lambda entry: entry.order)

        cooccurrence = cooccurrence_graph((a.windows for a in articles), node_of.__getitem__, self.window, min_weight)
        dated = {entry.windows.article: entry.node["date"] for entry in articles if entry.node["date"]}
        entities = self._entity_nodes(final, node_of)
        cooccurrence.add_nodes_from(sorted(entities))
        pagerank = nx.pagerank(cooccurrence, weight="weight")
        community_of = community_numbers(cooccurrence)
        if top is not None:
            kept = sorted(cooccurrence, key=lambda node: (-pagerank[node], node))[:top]
            cooccurrence = cooccurrence.subgraph(kept)

        graph = nx.MultiDiGraph(
            window=self.window,
            sources=len(self._sources),
            articles=len(articles),
            created_by=f"kg {kg.__version__}",
        )
        for node in sorted(cooccurrence):
            graph.add_node(
                node,
                **entities[node],
                **_seen(entities[node]["articles"], dated),
                degree=cooccurrence.degree(node),
                pagerank=pagerank[node],
                community=community_of[node],
            )
        for u, v, data in cooccurrence.edges(data=True):
            if u > v:
                u, v = v, u
            graph.add_edge(u, v, key="CO_OCCURS_WITH", **data, **_seen(data["articles"], dated))
        for entry in articles:
            counts = Counter()
            for number, count in entry.counts.items():
                if node_of[number] in graph:
                    counts[node_of[number]] += count
            if entry.counts and not counts:
                continue  # every entity it mentions was pruned
            graph.add_node(entry.node["id"], **entry.node)
            graph.add_edges_from((entry.node["id"], node, "MENTIONS", {"count": count}) for node, count in counts.items())

        names = defaultdict(set)
        for label, name in final:
            names[label].add(name)
        titles = role_targets(self._claims, final.__getitem__, names["ORG"], names["PLACE"])
        wrote: dict[tuple[str, str], set[str]] = defaultdict(set)  # (person, article id) -> roles
        for person, role, article, publications in self._credits:
            wrote[node_of[person], article].add(role)
            for publication in publications:
                titles[node_of[person], self._node(("ORG", publication))][role].add(article)
        for (person, body), by_title in sorted(titles.items()):
            if person in graph and body in graph:
                stated_in = sorted(set().union(*by_title.values()))
                graph.add_edge(
                    person,
                    body,
                    key="HOLDS_ROLE",
                    title="、".join(sorted(by_title)),
                    articles=stated_in,
                    **_seen(stated_in, dated),
                )
        for (person, article), roles in sorted(wrote.items()):
            if person in graph and f"ARTICLE:{article}" in graph:
                graph.add_edge(
                    person,
                    f"ARTICLE:{article}",
                    key="WROTE",
                    role="、".join(sorted(roles)),
                    articles=[article],
                    **_seen([article], dated),
                )
        self._add_stated(graph, node_of, dated)
        adjacent = sorted({(final[outer], final[inner]) for outer, inner in self._adjacent})
        for (child, parent), basis in located_in(adjacent, names["PLACE"], names["PROJECT"]).items():
            if child in graph and parent in graph:
                graph.add_edge(child, parent, key="LOCATED_IN", basis=basis)
        places = {data["name"] for _, data in graph.nodes(data=True) if data.get("label") == "PLACE"}
        for (child, parent), basis in gazetteer_located_in(places).items():
            # The text's word wins: an edge it states keeps basis "text".
            if not graph.has_edge(child, parent, "LOCATED_IN"):
                graph.add_edge(child, parent, key="LOCATED_IN", basis=basis)
        return graph

    def _add_stated(self, graph: nx.MultiDiGraph, node_of: list[str], dated: dict[str, str]) -> None:
        """VISITED and AIDS edges: the articles stating each and up to MAX_EVIDENCE of their
        sentences, in reading order."""
        edges: dict[tuple[str, str, str], tuple[set[str], list[dict]]] = {}
        for kind, first, second, article, _, evidence in sorted(self._stated, key=lambda claim: claim[3:5]):
            u, v = (node_of[end] if isinstance(end, int) else self._node(end) for end in (first, second))
            if u == v or u not in graph or v not in graph:
                continue
            articles, cited = edges.setdefault((u, v, kind), (set(), []))
            articles.add(article)
            if len(cited) < MAX_EVIDENCE and evidence not in cited:
                cited.append(evidence)
        for (u, v, kind), (articles, cited) in sorted(edges.items()):
            stated_in = sorted(articles)
            graph.add_edge(u, v, key=kind, articles=stated_in, evidence=cited, **_seen(stated_in, dated))

    def _entity_nodes(self, final: list[Key], node_of: list[str]) -> dict[str, dict]:
        """The attributes of each entity node but its scores."""
        merged: dict[str, list[_Entity]] = defaultdict(list)
        for entity, node in zip(self._entities, node_of):
            merged[node].append(entity)
        nodes = {}
        for number, node in enumerate(node_of):
            if node in nodes:
                continue
            label, name = final[number]
            parts = merged[node]
            nodes[node] = {
                "id": node,
                "kind": "entity",
                "label": label,
                "name": name,
                "aliases": sorted(set().union(*(part.surfaces for part in parts)) - {"", name}),
                "mentions": sum(part.mentions for part in parts),
                "articles": sorted({article for part in parts for article in part.articles}),
                "sources": sorted(set().union(*(part.sources for part in parts))),
            }
            if label == "PERSON":
                roles = sorted(role for part in parts for role in part.roles)
                nodes[node]["roles"] = [
                    {"title": title, "org": org, "article": article}
                    for title, org, article in dict.fromkeys(role[2:] for role in roles)
                ]
        return nodes


def _seen(articles: list[str], dates: dict[str, str]) -> dict:
    """When the dated ones of `articles` (ids) were published: `first_seen` and `last_seen` (ISO
    dates) and `years` ({"2024": articles of 2024, ...}); nothing when none is dated, so that an
    undated corpus gives the graph it always gave."""
    days = sorted(dates[article] for article in articles if article in dates)
    if not days:
        return {}
    return {"first_seen": days[0], "last_seen": days[-1], "years": dict(sorted(Counter(day[:4] for day in days).items()))}


def _article_node(article: Article) -> dict:
    node = f"ARTICLE:{article.id}"
    return {
        "id": node,
        "kind": "article",
        "name": article.title or article.id,
        "title": article.title or "",
        "source": article.source,
        "index": article.index,
        "byline": list(article.byline),
        "date": article.date or "",
    }
