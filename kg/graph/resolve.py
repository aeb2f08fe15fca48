"""Entity resolution: which mentions name the same real-world entity.

A mention starts from `Mention.canonical` (the nlp stage puts the gazetteer's full name
there: 博州 -> 博尔塔拉蒙古自治州) and is then mapped, in this order of trust, by

1. aliases the article declares: "新疆准东经济技术开发区（以下简称准东开发区）";
2. short forms the article establishes: a name that is a short form of exactly one longer
   name of the same label in the same article (准东 -> 准东开发区 -> 新疆准东经济技术开发区);
3. across articles, a name that every article which resolved it resolved to the same entity,
   unless some article found it ambiguous (喀什 beside both 喀什地区 and 喀什市).

Two names are never merged on shared characters alone: 张凯 and 张楠 stay apart, and so do
阿克苏地区 and 阿克苏市 (neither is a short form of the other).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from kg.document import Article
from kg.graph.levels import admin_level

# Quotation marks belong to the printing, not to the name (ENTITY_TYPES.md).
_NOT_IN_NAMES = str.maketrans("", "", "“”\"‘’'「」『』 \u3000\t\r\n")

# Generic words that end a name and say what kind of thing it is. Stripping them leaves the
# proper part (the "core"): 新疆准东经济技术开发区 -> 新疆准东 + 经济技术开发区.
_TYPE_WORDS = sorted(
    """经济技术开发区 综合保税区 保税区 开发区 高新区 工业园区 产业园区 园区 产业园 自治区 自治州 自治县
    地区 社区 小区 街道 口岸 省 市 州 县 区 旗 盟 镇 乡 村
    维吾尔 蒙古 哈萨克 柯尔克孜 回族 锡伯 塔吉克
    人民政府 政府 管委会 党工委 党委 委员会 分局 局 厅 集团 有限责任公司 有限公司 公司
    项目 工程 行动 计划 班列""".split(),
    key=len,
    reverse=True,
)

# "（以下简称准东开发区）", "，简称“准东”". Group 1 is the alias.
_DECLARED_ALIAS = re.compile(r"\s*[（(，,]?\s*(?:以下)?简称[为：:]?\s*[“\"「]?([^）)”\"」，,。；、\s]{1,20})")


def normalize_name(name: str) -> str:
    """`name` without quotation marks or spaces."""
    return name.translate(_NOT_IN_NAMES)


@lru_cache(maxsize=1 << 17)
def split_type(name: str) -> tuple[str, str]:
    """(core, type words): 阿拉山口市党委 -> (阿拉山口, 市党委). The core keeps two characters at least."""
    core = name
    while True:
        for word in _TYPE_WORDS:
            if core.endswith(word) and len(core) - len(word) >= 2:
                core = core[: -len(word)]
                break
        else:
            return core, name[len(core) :]


def is_short_form(short: str, full: str, label: str) -> bool:
    """Whether `short` can be a short form of `full`, both names of the same label.

    People: only the first part of a transliterated name (艾尔肯 of 艾尔肯·吐尼亚孜).
    Others: `full` ends with `short` (a leading qualifier dropped: 地区工业和信息化局 of
    阿勒泰地区工业和信息化局), or the proper part of `short` ends that of `full` and the type
    words of `short` end those of `full` (准东 and 准东开发区 of 新疆准东经济技术开发区,
    粤伽新梅产业园 of 粤伽新梅产业园项目; but 新疆 is not one of it, and 阿克苏市 is not one
    of 阿克苏地区). A place whose name says its administrative level is a short form only of
    a place of the same level.
    """
    if len(short) >= len(full):
        return False
    if label == "PLACE" and admin_level(short) not in (None, admin_level(full)):
        return False  # 呼图壁县 is not a short form of 呼图壁县工业园区
    if label == "PERSON":
        return "·" in full and full.split("·", 1)[0] == short
    if short in _TYPE_WORDS:
        return False  # a bare type word (开发区) names nothing
    if full.endswith(short):
        return True
    short_core, short_type = split_type(short)
    full_core, full_type = split_type(full)
    if label == "PROJECT":
        full_type = full_type.removesuffix("项目")  # a park built as a project is still the park
    return full_type.endswith(short_type) and full_core.endswith(short_core)


def _declared_aliases(article: Article, names: list[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """alias -> the (label, name) of the mention the article declares it for."""
    declared = {}
    for mention, key in zip(article.mentions, names):
        match = _DECLARED_ALIAS.match(article.text, mention.end)
        if match:
            alias = normalize_name(match.group(1))
            if alias and alias != key[1]:
                declared[alias] = key
    return declared


def _short_forms(names: set[tuple[str, str]]) -> tuple[dict, set]:
    """Within one article: {(label, short): (label, full)} for short forms with exactly one
    full form, and the set of names that are short forms of several (ambiguous)."""
    by_char: dict[tuple[str, str], list[str]] = defaultdict(list)
    for label, name in names:
        for char in set(name):
            by_char[label, char].append(name)
    parent: dict[tuple[str, str], tuple[str, str]] = {}
    ambiguous: set[tuple[str, str]] = set()

    def root(key):
        while key in parent:
            key = parent[key]
        return key

    # Longest first, so a longer short form is resolved before the shorter ones that lean on it.
    for label, name in sorted(names, key=lambda key: -len(key[1])):
        # Every short form's proper part (its first name, for people) stands whole in its
        # full form: a cheap test that spares is_short_form most pairs.
        part = name.split("·", 1)[0] if label == "PERSON" else split_type(name)[0]
        if not part:
            continue
        fulls = {
            root((label, full))
            for full in by_char[label, part[0]]
            if len(full) > len(name) and part in full and is_short_form(name, full, label)
        }
        if len(fulls) > 1 and label == "PLACE":
            # A bare place name means the administrative area rather than a zone or port
            # named after it: 阿拉山口 is 阿拉山口市, not 阿拉山口综合保税区.
            fulls = {full for full in fulls if admin_level(full[1]) is not None} or fulls
        if len(fulls) == 1:
            parent[label, name] = fulls.pop()
        elif fulls:
            ambiguous.add((label, name))
    return {key: root(key) for key in parent}, ambiguous


Key = tuple[str, str]  # (label, name) of an entity


@dataclass
class ArticleResolution:
    """What one article says about its names, before the rest of the corpus is seen."""

    keys: list[Key]  # the entity each mention names within the article, in mention order
    # (name, entity) -> basis: the names the article resolved ("declared", "short form",
    # "gazetteer"), each with the evidence that linked it
    links: dict[tuple[Key, Key], str] = field(default_factory=dict)
    ambiguous: set[Key] = field(default_factory=set)  # short forms of several entities here


def resolve_article(article: Article) -> ArticleResolution:
    """Resolve the mentions of one article by what it says itself: declared aliases first,
    then short forms of exactly one longer name of the article."""
    names = [(m.label, normalize_name(m.canonical) or m.text) for m in article.mentions]
    declared = _declared_aliases(article, names)
    names = [declared.get(name, (label, name)) for label, name in names]
    within, ambiguous = _short_forms(set(names))
    links: dict[tuple[Key, Key], str] = {}
    for alias, key in declared.items():
        links.setdefault(((key[0], alias), within.get(key, key)), "declared")
    for short, full in within.items():
        links.setdefault((short, full), "short form")
    keys = [within.get(key, key) for key in names]
    # What each printed form turned out to name, so that a second run over mentions whose
    # canonical is already resolved learns the same short forms; a form the nlp stage gave
    # its official name is the gazetteer's.
    for mention, key in zip(article.mentions, keys):
        surface = (mention.label, normalize_name(mention.text))
        if surface != key:
            links.setdefault((surface, key), "gazetteer")
    return ArticleResolution(keys, links, ambiguous)


def link_across(targets: Mapping[Key, Mapping[Key, int]], ambiguous: Collection[Key]) -> dict[Key, Key]:
    """Across articles: {name: entity} for the names that every article which resolved them
    resolved to the same entity, and that no article found ambiguous.

    `targets[name][entity]` counts the articles that resolved `name` to `entity`.
    """
    return {key: next(iter(fulls)) for key, fulls in targets.items() if len(fulls) == 1 and key not in ambiguous}


def follow(across: Mapping[Key, Key], key: Key) -> Key:
    """The entity `key` names at the end of its chain of cross-article links."""
    seen = {key}
    while key in across and across[key] not in seen:
        key = across[key]
        seen.add(key)
    return key


def resolve_mentions(articles: list[Article]) -> list[list[Key]]:
    """The (label, canonical name) of the entity each mention names, article by article."""
    resolutions = [resolve_article(article) for article in articles]
    targets: dict[Key, Counter[Key]] = defaultdict(Counter)
    ambiguous: set[Key] = set()
    for resolution in resolutions:
        for name, entity in resolution.links:
            targets[name][entity] += 1
        ambiguous |= resolution.ambiguous
    across = link_across(targets, ambiguous)
    return [[follow(across, key) for key in resolution.keys] for resolution in resolutions]
