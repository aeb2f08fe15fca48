"""Typed relations the text states plainly: HOLDS_ROLE and LOCATED_IN."""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.document import Article
from kg.graph.levels import admin_level
from kg.graph.resolve import normalize_name

ROLES = Path(__file__).resolve().parent / "data" / "roles.toml"
TITLES = Path(__file__).resolve().parents[1] / "nlp" / "data" / "titles.txt"
_HAN = re.compile(r"[\u4e00-\u9fff]")


def node_id(label: str, name: str) -> str:
    return f"{label}:{name}"


@dataclass
class RoleClaim:
    """A title the text gives a person, in a body or bare: 阿拉山口市党委书记张凯, 州长巴音克西."""

    person: int  # the entity of the person's mention
    title: str
    body: str  # the body's name as printed, without quotes; "" for a bare title
    article: str  # Article.id
    # (name as printed, entity) of each mention of the article, in order: the body may be one
    named: tuple[tuple[str, int], ...]
    start: int = 0  # where the title is printed: a person's roles read in that order


@dataclass(frozen=True)
class _Titles:
    """How titles are printed (kg/graph/data/roles.toml, kg/nlp/data/titles.txt)."""

    before: tuple[str, ...]  # longest first
    after: tuple[str, ...]  # longest first
    joiners: str
    party_bodies: tuple[str, ...]
    this_body: dict[str, str]  # 该公司 -> 公司: the last ORG named before, with a name ending so


@cache
def _titles() -> _Titles:
    settings = tomllib.loads(ROLES.read_text(encoding="utf-8"))
    words = [w for line in TITLES.read_text(encoding="utf-8").splitlines() if not line.startswith("#") for w in line.split()]
    return _Titles(
        before=tuple(sorted(set(words), key=len, reverse=True)),
        after=tuple(sorted(settings["after_name"], key=len, reverse=True)),
        joiners="".join(settings["joiners"]),
        party_bodies=tuple(settings["party_bodies"]),
        this_body=dict(settings["this_body"]),
    )


def role_claims(article: Article, entities: list[int]) -> list[RoleClaim]:
    """Every title `article` gives a person; `entities[j]` is the entity of its j-th mention.

    The nlp stage's role (Mention.role, role_org) is the first title of a chain; the others
    are read here (title_chain), then a title printed right after the name (习近平总书记). A
    name listed right after another without titles of its own shares the titles printed before
    the first (州政协副主席程鹏、吐尔逊·托呼提: both 州政协副主席).
    """
    named = tuple((normalize_name(m.text), entity) for m, entity in zip(article.mentions, entities))
    claims = []
    previous, shared = None, []  # the person before and the titles printed before them
    for mention, entity in zip(article.mentions, entities):
        if mention.label != "PERSON":
            previous = None
            continue
        chain = title_chain(article, mention)
        if not chain and not mention.role and previous is not None and _listed_after(article, previous, mention):
            chain = [(mention.start, title, body) for _, title, body in shared]  # 航天员蔡旭哲、宋令东: both
        if mention.role:
            # The nlp stage's reading of the same title wins: it knows bodies the mentions lack.
            nlp_role = (mention.role, normalize_name(mention.role_org or ""))
            same = next((k for k, (_, title, _) in enumerate(chain) if mention.role.endswith(title)), None)
            if same is None:
                chain.insert(0, (mention.start - len(mention.role), *nlp_role))
            else:  # its body too, unless it found none
                chain[same] = (chain[same][0], mention.role, nlp_role[1] or chain[same][2])
        previous, shared = mention, list(chain)
        after = next((t for t in _titles().after if article.text.startswith(t, mention.end)), None)
        if after:
            chain.append((mention.end, after, ""))
        claims += [RoleClaim(entity, title, body, article.id, named, start) for start, title, body in chain]
    return claims


def _listed_after(article: Article, first, second) -> bool:
    """Whether the name `second` follows the name `first` in a list: 蔡旭哲、宋令东."""
    return second.start == first.end + 1 and article.text[first.end] == "、"


def title_chain(article: Article, person) -> list[tuple[int, str, str]]:
    """(start, title, body) of each title printed before `person` (a Mention), farthest first:
    自治区党委书记、兵团党委第一书记、第一政委陈小江 gives three. Each title ends its part of the
    chain (the parts are joined by 、 or 兼) with a word of titles.txt; the chain stops at the
    first part that does not. A body is the ORG or PLACE mention just before or inside the title
    (自治区党委 in 自治区党委书记), or the rest of a part after a joiner (自治区主席: 自治区); a
    bare title after a party body's title is a post in the body that party body leads
    (州政协党组书记、主席 -> 州政协); 该公司总经理助理 is a post in the last company named before."""
    titles = _titles()
    text = article.text
    start = person.start
    while start > 0 and (_HAN.match(text[start - 1]) or text[start - 1] in titles.joiners):
        start -= 1
    parts = re.split(f"([{re.escape(titles.joiners)}])", text[start : person.start])
    ends = []  # (part start, title start, title end), nearest the name first
    end = person.start
    for k in range(len(parts) - 1, -1, -2):
        part_start = end - len(parts[k])
        title = next((t for t in titles.before if parts[k].endswith(t)), None)
        if title is None:
            break
        ends.append((part_start, end - len(title), end))
        end = part_start - 1  # before the joiner
    chain: list[tuple[int, str, str]] = []
    for number, (part_start, title_start, title_end) in enumerate(reversed(ends)):
        body = next(
            (m for m in article.mentions
             if m.label in ("ORG", "PLACE") and part_start <= m.start < title_start <= m.end <= title_end),
            None,
        )  # fmt: skip
        this = next((kind for word, kind in titles.this_body.items() if text.endswith(word, 0, title_start)), None)
        if body is not None:
            name = normalize_name(body.text)
        elif this is not None:
            named = [m for m in article.mentions if m.label == "ORG" and m.end <= part_start and m.text.endswith(this)]
            name = normalize_name(named[-1].text) if named else ""
        elif number > 0 and part_start < title_start:
            name = text[part_start:title_start]
        elif number > 0 and chain[-1][2].endswith(titles.party_bodies):
            name = next(chain[-1][2].removesuffix(p) for p in titles.party_bodies if chain[-1][2].endswith(p))
        elif number > 0 and chain[-1][1].startswith(titles.party_bodies):
            name = chain[-1][2]  # 公司党委书记、董事长: the company's 党委, so the company
        else:
            name = ""
        chain.append((title_start, text[title_start:title_end], name))
    return chain


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
        # The article's own resolution first: an ORG's short form, printed or resolved, names it.
        local = {name: key for printed, entity in claim.named for key in [key_of(entity)] for name in (key[1], printed)}
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
