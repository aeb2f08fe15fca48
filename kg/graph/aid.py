"""AIDS: which province or city of the rest of China aids which place of Xinjiang (对口支援,
援疆; kg/graph/data/aid.toml says which words say so).

A sentence that names the aid pairs each aider it names with each aided place it names:
- aiders: a PLACE outside the region (浙江, 广东省, 南通), an aid command post (an ORG named
  with an aid word and ending with 指挥部: 福建省援疆前方指挥部) and the places its name begins
  with (福建省; of 浙江省金华市…, the innermost: 金华市);
- aided: a PLACE in the region (by the gazetteer's divisions, its canonical name), and the
  innermost place a post's name gives after 对口支援 (…对口支援阿克苏地区温宿县指挥部: 温宿县).
Places of a post's name are official names of the gazetteer; they are an edge's end when an
article tags them (the graph's nodes are the entities the articles mention).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.document import Article
from kg.graph.resolve import normalize_name

SETTINGS = Path(__file__).resolve().parent / "data" / "aid.toml"


@dataclass
class AidClaim:
    """An aider and the place it aids: entity numbers, or official place names the article
    prints inside a post's name only."""

    aider: int | str
    aided: int | str
    article: str  # Article.id
    sentence: int  # where its sentence starts in the article
    evidence: dict  # {"text", "article", "location"}, as co-occurrences cite


@dataclass(frozen=True)
class _Settings:
    words: tuple[str, ...]
    region: str
    paired: str
    posts: tuple[str, ...]


@cache
def _settings() -> _Settings:
    data = tomllib.loads(SETTINGS.read_text(encoding="utf-8"))
    return _Settings(tuple(data["words"]), data["region"], data["paired"], tuple(data["posts"]))


@cache
def _regions() -> dict[str, frozenset[str]]:
    """Each gazetteer name (and each province) -> the names of the divisions it lies in."""
    from kg.nlp.gazetteer import place_parents  # imported here: kg.nlp loads spaCy

    parents = place_parents()
    names = set(parents) | {p for ps in parents.values() for p in ps}

    def above(name: str, seen: frozenset = frozenset()) -> frozenset[str]:
        own = set(parents.get(name, ()))
        return frozenset(own.union(*(above(p, seen | {name}) for p in own if p not in seen)))

    return {name: above(name) for name in names}


def aid_claims(article: Article, entities: list[int]) -> list[AidClaim]:
    """The aid pairs `article` states; `entities[j]` is the entity of its j-th mention."""
    settings = _settings()
    regions = _regions()
    number = {id(m): entity for m, entity in zip(article.mentions, entities)}
    claims: list[AidClaim] = []
    for start, end in article.sentences:
        text = article.text[start:end]
        if not any(word in text for word in settings.words):
            continue
        aiders: list[int | str] = []
        aided: list[int | str] = []
        for m in (m for m in article.mentions if start <= m.start and m.end <= end):
            name = m.canonical or normalize_name(m.text)
            if m.label == "PLACE" and name in regions:
                inside = name == settings.region or settings.region in regions[name]
                (aided if inside else aiders).append(number[id(m)])
            elif m.label == "ORG" and _is_post(name, settings):
                aiders.append(number[id(m)])
                giver, _, receiver = name.partition(settings.paired)
                aiders += _innermost(giver, regions)
                aided += _innermost(receiver, regions)
        if aiders and aided:
            location = article.locate(start)
            evidence = {"text": text.strip(), "article": article.id, "location": str(location) if location else article.source}
            claims += [
                AidClaim(giver, receiver, article.id, start, evidence)
                for giver in dict.fromkeys(aiders)
                for receiver in dict.fromkeys(aided)
            ]
    return claims


def _is_post(name: str, settings: _Settings) -> bool:
    return name.endswith(settings.posts) and any(word in name for word in settings.words)


def _innermost(name: str, regions: dict[str, frozenset[str]]) -> list[str]:
    """The last of the gazetteer's places printed one after another at the start of `name`
    (浙江省金华市对口支援… -> 金华市), as a one-item list; [] when it begins with none."""
    found = []
    position = 0
    while True:
        place = next((name[position:end] for end in range(len(name), position + 1, -1) if name[position:end] in regions), None)
        if place is None:
            return found[-1:]
        found.append(place)
        position += len(place)
