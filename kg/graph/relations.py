"""Typed relations the text states plainly: HOLDS_ROLE and LOCATED_IN."""

from __future__ import annotations

from collections import defaultdict

from kg.document import Article
from kg.graph.levels import admin_level
from kg.graph.resolve import normalize_name

def node_id(label: str, name: str) -> str:
    return f"{label}:{name}"


def role_targets(
    articles: list[Article], keys: list[list[tuple[str, str]]]
) -> dict[tuple[str, str], dict[str, set[str]]]:
    """HOLDS_ROLE edges from the mentions' titles: {(person id, body id): {title: article ids}}.

    The body is the ORG named by `Mention.role_org` when it is a tagged organisation (in the
    article or anywhere in the corpus), else the longest tagged PLACE its name begins with
    (阿拉山口市党委 -> 阿拉山口市); a title with no such body makes no edge.
    """
    orgs = {name for article_keys in keys for label, name in article_keys if label == "ORG"}
    places = {name for article_keys in keys for label, name in article_keys if label == "PLACE"}
    edges: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for article, article_keys in zip(articles, keys):
        # The article's own resolution first: a short form of an ORG names its full form.
        local = {normalize_name(m.canonical): key for m, key in zip(article.mentions, article_keys)}
        for mention, (label, name) in zip(article.mentions, article_keys):
            if label != "PERSON" or not mention.role or not mention.role_org:
                continue
            body = normalize_name(mention.role_org)
            target = None
            if local.get(body, ("", ""))[0] == "ORG":
                target = node_id(*local[body])
            elif body in orgs:
                target = node_id("ORG", body)
            else:
                place = _longest_prefix(body, places)
                target = node_id("PLACE", place) if place else None
            if target:
                edges[node_id(label, name), target][mention.role].add(article.id)
    return edges


def _longest_prefix(name: str, names: set[str]) -> str | None:
    for end in range(len(name), 1, -1):
        if name[:end] in names:
            return name[:end]
    return None


def located_in(articles: list[Article], keys: list[list[tuple[str, str]]]) -> dict[tuple[str, str], str]:
    """LOCATED_IN edges stated by the text: {(child id, parent id): "text"}.

    - a chain of adjacent places read from larger to smaller ("阿克苏地区温宿县": 温宿县 in
      阿克苏地区), when both names say their level and the first is the larger;
    - a PROJECT whose name begins with a PLACE's name (阿拉山口市…项目 in 阿拉山口市).
    """
    edges: dict[tuple[str, str], str] = {}
    for article, article_keys in zip(articles, keys):
        mentions = sorted(zip(article.mentions, article_keys), key=lambda pair: pair[0].start)
        for (first, outer), (second, inner) in zip(mentions, mentions[1:]):
            if first.end != second.start or outer[0] != "PLACE" or inner[0] != "PLACE" or outer == inner:
                continue
            outer_level, inner_level = admin_level(outer[1]), admin_level(inner[1])
            if outer_level is not None and inner_level is not None and outer_level < inner_level:
                edges[node_id(*inner), node_id(*outer)] = "text"
    places = {name for article_keys in keys for label, name in article_keys if label == "PLACE"}
    projects = {name for article_keys in keys for label, name in article_keys if label == "PROJECT"}
    for project in projects:
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
