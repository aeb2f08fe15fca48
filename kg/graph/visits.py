"""VISITED: a person the text says went to, inspected or investigated a place, body or project
(kg/graph/data/visits.toml says which words say so).

A visit is read within one sentence, clause by clause (clauses end at ，；：): the visitors are
the people named before the verb in its clause, or in the clauses before it that end with a
name (陈小江，艾尔肯·吐尼亚孜在…调研), else the people the sentence's previous visit or clause
begins with (陈小江来到喀什市，…；还来到…; 陈小江听取…，深入…). The places are a list of names (ORG, PLACE, PROJECT) joined by
separators: after 在 and right before an inspection verb (在喀什地区、克孜勒苏柯尔克孜自治州和兵团
草湖项目区调研), or right after a motion verb or an inspection verb with 了 (深入巴合齐派出所、
新疆东纯兴纺织有限公司); an item of the list that begins with no name is skipped (来到边境一线、
吉木乃口岸). A clause of the sentence that is only 在 and places (在克州，…调研了…) adds them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from itertools import takewhile
from pathlib import Path

from kg.document import Article, Mention

SETTINGS = Path(__file__).resolve().parent / "data" / "visits.toml"
_TARGETS = ("PLACE", "ORG", "PROJECT")
_CLAUSE = re.compile(r"[，,；;：:。！？!?\n]")


@dataclass
class VisitClaim:
    """A person the text says visited a place, body or project; both are entity numbers."""

    person: int
    target: int
    article: str  # Article.id
    sentence: int  # where its sentence starts in the article: evidence is cited in reading order
    evidence: dict  # {"text": the sentence, "article", "location"}, as co-occurrences cite


@dataclass(frozen=True)
class _Words:
    motion: re.Pattern
    inspection: re.Pattern
    separators: tuple[str, ...]
    adverbs: re.Pattern
    skipped_item: int


@cache
def _words() -> _Words:
    settings = tomllib.loads(SETTINGS.read_text(encoding="utf-8"))

    def alternatives(words):
        return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))

    return _Words(
        motion=re.compile(alternatives(settings["motion"])),
        inspection=re.compile(alternatives(settings["inspection"])),
        separators=tuple(sorted(settings["separators"], key=len, reverse=True)),
        adverbs=re.compile(f"(?:{alternatives(settings['adverbs'])})*"),
        skipped_item=settings["skipped_item"],
    )


def visit_claims(article: Article, entities: list[int]) -> list[VisitClaim]:
    """The visits `article` states; `entities[j]` is the entity of its j-th mention."""
    number = {id(m): entity for m, entity in zip(article.mentions, entities)}
    claims: list[VisitClaim] = []
    for index, (start, end) in enumerate(article.sentences):
        mentions = [m for m in article.mentions if start <= m.start and m.end <= end]
        if not any(m.label == "PERSON" for m in mentions):
            continue
        pairs = _sentence_visits(article.text, start, end, mentions)
        if pairs:
            location = article.locate(start)
            evidence = {
                "text": article.text[start:end].strip(),
                "article": article.id,
                "location": str(location) if location else article.source,
            }
            claims += [VisitClaim(number[id(p)], number[id(t)], article.id, start, evidence) for p, t in pairs]
    return claims


def _sentence_visits(text: str, start: int, end: int, mentions: list[Mention]) -> list[tuple[Mention, Mention]]:
    words = _words()
    bounds = [start, *(m.start() for m in _CLAUSE.finditer(text, start, end)), end]
    pending: list[Mention] = []  # people of the clauses before, ending with a name
    visitors: list[Mention] = []
    settings: list[Mention] = []  # 在克州，…: places the sentence's next visit happens in
    pairs = []
    for a, b in zip(bounds, bounds[1:]):
        a += a > start  # after the clause mark
        inside = [m for m in mentions if a <= m.start and m.end <= b]
        places: list[Mention] = []
        verb_at = None
        for verb in words.inspection.finditer(text, a, b):
            found = _list_before(text, a, verb.start(), inside, words)
            if text.startswith("了", verb.end()):
                found += _list_after(text, verb.end() + 1, b, inside, words)
            if found:
                places += found
                verb_at = verb.start() if verb_at is None else min(verb_at, verb.start())
        for verb in words.motion.finditer(text, a, b):
            found = _list_after(text, verb.end(), b, inside, words)
            if found:
                places += found
                verb_at = verb.start() if verb_at is None else min(verb_at, verb.start())
        if verb_at is None:
            if inside and inside[-1].label == "PERSON" and inside[-1].end == b:
                pending += [m for m in inside if m.label == "PERSON"]  # 自治区党委书记…陈小江，
            elif inside and inside[0].label == "PERSON":
                # 陈小江、艾尔肯·吐尼亚孜听取…，深入…: the people a clause begins with go on
                visitors = list(takewhile(lambda m: m.label == "PERSON", inside))
            elif text.startswith("在", a) and _is_list(text, a + 1, b, inside, words):
                settings += inside  # 在克州，
            continue
        subjects = [m for m in inside if m.label == "PERSON" and m.end <= verb_at]
        if subjects or pending:
            visitors, pending = pending + subjects, []
        pairs += [(person, place) for person in visitors for place in settings + places]
        settings = []
    return pairs


def _list_before(text: str, clause_start: int, verb: int, mentions: list[Mention], words: _Words) -> list[Mention]:
    """The places of 在<list><adverbs><verb> (在吉木乃县、布尔津县调研), or []."""
    at = text.rfind("在", clause_start, verb)
    ends = [m.end for m in mentions if at < m.end <= verb]
    if at < 0 or not ends or words.adverbs.fullmatch(text, max(ends), verb) is None:
        return []
    if not _is_list(text, at + 1, max(ends), mentions, words):
        return []
    return [m for m in mentions if at < m.start and m.end <= max(ends)]


def _list_after(text: str, start: int, end: int, mentions: list[Mention], words: _Words) -> list[Mention]:
    """The places of the list of names that begins at `start` (深入巴合齐派出所、新疆东纯兴纺织
    有限公司) and ends where text that is neither a name nor a separator follows a name. A short
    item without a name is skipped (来到边境一线、吉木乃口岸)."""
    found: list[Mention] = []
    position = start
    while position < end:
        chain = _chain(position, mentions)
        if chain:
            found += chain
            position = chain[-1].end
        else:
            following = [position + k for k in range(1, words.skipped_item + 1) if _separator(text, position + k, mentions, words)]
            if not following:
                break
            position = following[0]
        separator = _separator(text, position, mentions, words)
        if not separator:
            break
        position += len(separator)
    return [m for m in found if m.label in _TARGETS]


def _separator(text: str, position: int, mentions: list[Mention], words: _Words) -> str:
    """The list separator at `position`, "" if none (one inside a name is none: 和田)."""
    if any(m.start <= position < m.end for m in mentions):
        return ""
    return next((s for s in words.separators if text.startswith(s, position)), "")


def _chain(position: int, mentions: list[Mention]) -> list[Mention]:
    """The names printed one right after another from `position`: 乌恰县新疆紫金有色金属有限公司."""
    chain = []
    while (following := next((m for m in mentions if m.start == position), None)) is not None:
        chain.append(following)
        position = following.end
    return chain


def _is_list(text: str, start: int, end: int, mentions: list[Mention], words: _Words) -> bool:
    """Whether text[start:end] is names of places, bodies or projects and separators only."""
    position = start
    while position < end:
        chain = _chain(position, mentions)
        if not chain or any(m.label not in _TARGETS for m in chain):
            return False
        position = chain[-1].end
        position += len(_separator(text, position, mentions, words)) if position < end else 0
    return position == end and end > start
