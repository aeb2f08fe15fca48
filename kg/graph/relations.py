"""Typed relations the text states plainly: HOLDS_ROLE and LOCATED_IN."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kg.document import Article
from kg.graph.levels import admin_level
from kg.graph.resolve import normalize_name


def node_id(label: str, name: str) -> str:
    return f"{label}:{name}"


@dataclass
class RoleClaim:
    """A person the text gives a title in a body: 阿拉山口市党委书记张凯."""

    person: int  # the entity of the person's mention
    title: str
    body: str  # the body's name as printed, without quotes
    article: str  # Article.id
    named: tuple[int, ...]  # the entities the article names, in order: the body may be one


def role_claims(article: Article, entities: list[int]) -> list[RoleClaim]:
    """The titled people of `article`; `entities[j]` is the entity of its j-th mention."""
    titled = [
        (mention, entity)
        for mention, entity in zip(article.mentions, entities)
        if mention.label == "PERSON" and mention.role and mention.role_org
    ]
    named = tuple(entities)
    return [RoleClaim(entity, m.role, normalize_name(m.role_org), article.id, named) for m, entity in titled]


def role_targets(
    claims: Iterable[RoleClaim], key_of: Callable[[int], tuple[str, str]], orgs: set[str], places: set[str]
) -> dict[tuple[str, str], dict[str, set[str]]]:
    """HOLDS_ROLE edges from the claims: {(person id, body id): {title: article ids}}.

    `key_of(entity)` is the (label, name) an entity was resolved to; `orgs` and `places` are
    the names of the corpus's ORG and PLACE entities. The body is the ORG of that name in the
    claim's article or anywhere in the corpus, else the longest PLACE its name begins with
    (阿拉山口市党委 -> 阿拉山口市); a title with no such body makes no edge.
    """
    edges: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for claim in claims:
        # The article's own resolution first: a short form of an ORG names its full form.
        local = {key[1]: key for key in map(key_of, claim.named)}
        target = None
        if local.get(claim.body, ("", ""))[0] == "ORG":
            target = node_id(*local[claim.body])
        elif claim.body in orgs:
            target = node_id("ORG", claim.body)
        else:
            place = _longest_prefix(claim.body, places)
            target = node_id("PLACE", place) if place else None
        if target:
            edges[node_id(*key_of(claim.person)), target][claim.title].add(claim.article)
    return edges


def _longest_prefix(name: str, names: set[str]) -> str | None:
    for end in range(len(name), 1, -1):
        if name[:end] in names:
            return name[:end]
    return None


def adjacent_places(article: Article, entities: list[int]) -> set[tuple[int, int]]:
    """(outer, inner) for each PLACE printed right before another: 阿克苏地区温宿县."""
    mentions = sorted(zip(article.mentions, entities), key=lambda pair: pair[0].start)
    return {
        (outer, inner)
        for (first, outer), (second, inner) in zip(mentions, mentions[1:])
        if first.end == second.start and first.label == "PLACE" and second.label == "PLACE"
    }


def located_in(
    adjacent: Iterable[tuple[tuple[str, str], tuple[str, str]]], places: set[str], projects: set[str]
) -> dict[tuple[str, str], str]:
    """LOCATED_IN edges stated by the text: {(child id, parent id): "text"}.

    - a chain of adjacent places read from larger to smaller (`adjacent` holds their resolved
      (label, name) pairs: 温宿县 in 阿克苏地区), when both names say their level and the
      first is the larger;
    - a PROJECT whose name begins with a PLACE's name (阿拉山口市…项目 in 阿拉山口市).
    """
    edges: dict[tuple[str, str], str] = {}
    for outer, inner in adjacent:
        if outer[0] != "PLACE" or inner[0] != "PLACE" or outer == inner:
            continue
        outer_level, inner_level = admin_level(outer[1]), admin_level(inner[1])
        if outer_level is not None and inner_level is not None and outer_level < inner_level:
            edges[node_id(*inner), node_id(*outer)] = "text"
    for project in sorted(projects):
        place = _longest_prefix(project[:-1], places)
        if place:
            edges[node_id("PROJECT", project), node_id("PLACE", place)] = "text"
    return edges


def gazetteer_located_in(places: set[str]) -> dict[tuple[str, str], str]:
    """LOCATED_IN edges the gazetteer gives among `places` (canonical names of PLACE nodes):
    {(child id, parent id): "gazetteer"}.

    A place lies in its gazetteer parent when that parent is among `places` too: being
    mentioned in the corpus is the context that tells which 朝阳区 is meant. A name whose
    several possible parents are all absent, or more than one present, gets no edge.
    """
    # Imported here: importing the kg.nlp package loads spaCy (about 1 s), which the
    # commands that only import kg.graph to read a built graph do not need.
    from kg.nlp.gazetteer import place_parents

    gazetteer = place_parents()
    edges = {}
    for place in sorted(places):  # sorted: the same edge order, so the same files, every run
        present = [parent for parent in gazetteer.get(place, ()) if parent in places]
        if len(present) == 1:
            edges[node_id("PLACE", place), node_id("PLACE", present[0])] = "gazetteer"
    return edges
