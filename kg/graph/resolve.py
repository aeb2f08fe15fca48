"""Entity resolution: which mentions name the same real-world entity (docs/resolution.md).

A mention starts from `Mention.canonical` (the nlp stage puts the gazetteer's full name
there: 博州 -> 博尔塔拉蒙古自治州). Within one article, in this order of trust:

1. aliases the article declares: "新疆准东经济技术开发区（以下简称准东开发区）";
2. one-character abbreviations, by table (kg/graph/data/abbreviations.tsv): 中 -> 中国,
   疆 -> 新疆维吾尔自治区; where a character stands for several, the one its pair names a
   cue of (印巴: 印 is 印度, so 巴 is 巴基斯坦), else the one the article names (巴 beside 巴西
   is 巴西) or names a cue of (巴以: 以 is 以色列, so 巴 is 巴勒斯坦), else the table's first;
3. short forms the article establishes: a name that is a short form of exactly one longer
   name of the same label in the same article (准东 -> 准东开发区 -> 新疆准东经济技术开发区),
   or, for a relative name, named before it in its paragraph (外交部 -> 伊朗外交部; not after
   a word for several: 各国央行). A name of one or two characters is a short form only as
   its longer name minus type words (喀什 of 喀什地区), never because a longer name ends with
   it (斯 of 俄罗斯); an entity in its own right (a country, a gazetteer place, a known body)
   is nobody's short form (中国 beside 中国村), nor is a body named after its country one of
   its branch (中国银行 beside 澳门中国银行). A person's given name beside the full name
   (艾尔肯 of 艾尔肯·吐尼亚孜) is only evidence for the links across articles: many people
   share it.

Across articles (`link_across`), a name is linked to an entity only on the evidence of
several articles that nearly all agree, and never when it is an entity in its own right, a
name standing alone more often than resolved (穆罕默德, the given name of many), or a relative
name (外交部, 市委: a different body in each article; kg/graph/data/relative_names.txt).

Two names are never merged on shared characters alone: 张凯 and 张楠 stay apart, and so do
阿克苏地区 and 阿克苏市 (neither is a short form of the other).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from kg.corpus.script import simplified_view
from kg.document import Article
from kg.errors import KgError
from kg.graph.levels import admin_level

DATA = Path(__file__).resolve().parent / "data"
# The nlp stage's gazetteer and known bodies: their official names are entities in their own right.
NLP_DATA = Path(__file__).resolve().parent.parent / "nlp" / "data"

Key = tuple[str, str]  # (label, name) of an entity

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


# Words before a relative name that make it several bodies: 各国央行, 各级纪委, 两国外交部.
_SEVERAL = re.compile(r"(?:各|两|多|诸)[国省市县地级]?$")


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
    words of `short` end those of `full` (准东开发区 of 新疆准东经济技术开发区, 粤伽新梅产业园
    of 粤伽新梅产业园项目; but 新疆 is not one of it, and 阿克苏市 is not one of 阿克苏地区);
    what `full` adds before must be places, countries or known bodies, and not before a body
    named after its country (`_is_qualifier`).
    A name of one or two characters only as `full` without its type words (准东 of 准东开发区).
    A relative name only by its suffix (市委 of 乌鲁木齐市委). An
    entity in its own right (中国, 美国) is nobody's short form. A place whose name says its administrative level is a short form
    only of a place of the same level.
    """
    if len(short) >= len(full) or short in _names_in_own_right():
        return False
    if label == "PLACE" and admin_level(short) not in (None, admin_level(full)):
        return False  # 呼图壁县 is not a short form of 呼图壁县工业园区
    if label == "PERSON":
        return "·" in full and full.split("·", 1)[0] == short
    if short in _TYPE_WORDS:
        return False  # a bare type word (开发区) names nothing
    if _is_relative(label, short):
        return full.endswith(short) and _is_qualifier(full[: -len(short)], short)
    short_core, short_type = split_type(short)
    full_core, full_type = split_type(full)
    if label == "PLACE" and full_type == "州" and full not in _gazetteer():
        return False  # 纽约 is a city, 纽约州 a state; China's 州 are in the gazetteer (伊犁州)
    if len(short) <= 2:
        # Many longer names end with a one- or two-character one by chance: 斯 of 俄罗斯,
        # 曼联 of 切尔西曼联.
        return short == full_core
    if full.endswith(short):
        return _is_qualifier(full[: -len(short)], short)
    if label == "PROJECT":
        full_type = full_type.removesuffix("项目")  # a park built as a project is still the park
    return full_type.endswith(short_type) and full_core.endswith(short_core) and _is_qualifier(full_core[: -len(short_core)], short)


def _is_qualifier(words: str, short: str) -> bool:
    """Whether what a longer name adds before the short form `short` leaves it the same
    entity: nothing, or places, countries and known bodies one after another (伊朗 of
    伊朗外交部, 河北蔚县 of 河北蔚县人大), not any word (团 of 团县委, 联合 of 联合农业银行,
    切尔西vs of 切尔西vs阿森纳). A body named after its country is that country's: a place put
    before it names a branch (澳门中国银行 is not 中国银行)."""
    return not words or (_are_qualifiers(words) and not _names_a_country(short))


@lru_cache(maxsize=1 << 16)
def _are_qualifiers(words: str) -> bool:
    known = _known_names()
    return not words or any(words[:end] in known and _are_qualifiers(words[end:]) for end in range(len(words), 1, -1))


@lru_cache(maxsize=1 << 16)
def _names_a_country(name: str) -> bool:
    """Whether `name` begins with the name of a country or region of the CLDR (中国银行)."""
    countries = _countries()
    return any(name[:end] in countries for end in range(2, len(name)))


@cache
def _countries() -> frozenset[str]:
    return frozenset(row[0] for row in _rows(DATA / "countries.tsv"))


@cache
def _known_names() -> frozenset[str]:
    return frozenset(_gazetteer()) | _names_in_own_right()


def _rows(path: Path) -> list[list[str]]:
    """The tab-separated fields of each line of a data file but comments and blank lines."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise KgError(f"kg resolution data file not readable: {path} ({error.strerror})") from None
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def _relative_names() -> tuple[frozenset[str], tuple[str, ...]]:
    """(names, prefixes) of relative_names.txt: names of a different body in each article
    (外交部, 市委), and the words that make any name they begin relative (市住房保障办: the
    city's, whichever city the article is about)."""
    words = [row[0] for row in _rows(DATA / "relative_names.txt")]
    return frozenset(w for w in words if not w.endswith("*")), tuple(w[:-1] for w in words if w.endswith("*"))


@lru_cache(maxsize=1 << 17)
def _is_relative(label: str, name: str) -> bool:
    """Whether `name` means a different body in each article: relative_names.txt, but never
    a person or a place the gazetteer knows (镇江 begins with 镇 and is a city)."""
    names, prefixes = _relative_names()
    return label != "PERSON" and (name in names or name.startswith(prefixes) and name not in _gazetteer())


@cache
def _names_in_own_right() -> frozenset[str]:
    """Names that are entities in their own right: the countries and regions of the CLDR, the
    gazetteer's places by their official names, the bodies the nlp stage knows by name
    (新华社); relative names excepted."""
    names = set(_countries())
    names |= set(_gazetteer().values())
    names |= {row[0] for row in _rows(NLP_DATA / "orgs.txt")}
    return frozenset(names - _relative_names()[0])


@cache
def _gazetteer() -> dict[str, str]:
    """{place name: its official name} of the nlp stage's gazetteer (博州: 博尔塔拉蒙古自治州)."""
    official = {row[0]: row[1] for row in _rows(NLP_DATA / "places.tsv")}
    for row in _rows(NLP_DATA / "places_extra.tsv"):
        official[row[0]] = row[1] if len(row) > 1 and row[1] else row[0]
    return official


@cache
def _abbreviations() -> dict[str, tuple[tuple[tuple[str, frozenset[str]], ...], str | None]]:
    """{abbreviation: ((full name, the cue names that choose it), ...), the default}: the rows
    of abbreviations.tsv ("?" first: no default), whose names must be entities in their own
    right (a country, a province)."""
    path = DATA / "abbreviations.tsv"
    table = {}
    for abbreviation, *fields in _rows(path):
        guess = fields[:1] != ["?"]
        options = tuple((full, frozenset(cues)) for full, *cues in map(str.split, fields[0 if guess else 1 :]))
        unknown = [n for full, cues in options for n in (full, *cues) if n not in _names_in_own_right()]
        if unknown or not options:
            raise KgError(f"{path}: {abbreviation} stands for {'、'.join(unknown) or 'nothing'}, no country or gazetteer place")
        table[abbreviation] = options, options[0][0] if guess else None
    return table


def _declared_aliases(text: str, article: Article, names: list[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """alias -> the (label, name) of the mention the article declares it for; `text` is the
    article's text in Simplified, where 以下简称 and the alias are read."""
    declared = {}
    for mention, key in zip(article.mentions, names):
        match = _DECLARED_ALIAS.match(text, mention.end)
        if match:
            alias = normalize_name(match.group(1))
            if alias and alias != key[1]:
                declared[alias] = key
    return declared


def _short_forms(names: set[Key], declared: Mapping[Key, Key]) -> tuple[dict[Key, Key], set[Key]]:
    """Within one article: {(label, short): (label, full)} for short forms with exactly one
    full form, and the set of names that are short forms of several (ambiguous). The
    `declared` aliases count as names of their entity: 准东 is a short form of 准东开发区,
    declared for 新疆准东经济技术开发区."""
    names = names | declared.keys()
    by_label: dict[str, list[str]] = defaultdict(list)
    for label, name in names:
        by_label[label].append(name)
    # All of a label's names in one string: one C-speed search tells whether any other
    # name holds a short form's proper part, as few do.
    joined = {label: "\n".join(those) for label, those in by_label.items()}
    parent: dict[Key, Key] = dict(declared)
    ambiguous: set[Key] = set()

    def root(key):
        while key in parent:
            key = parent[key]
        return key

    # Longest first, so a longer short form is resolved before the shorter ones that lean on it.
    for label, name in sorted(names - parent.keys(), key=lambda key: -len(key[1])):
        if _is_relative(label, name):
            continue  # read in its paragraph: `_relative_bodies`
        # Every short form's proper part (its first name, for people) stands whole in its
        # full form: a cheap test that spares is_short_form most pairs.
        part = name.split("·", 1)[0] if label == "PERSON" else split_type(name)[0]
        if not part or joined[label].count(part) <= name.count(part):
            continue
        fulls = {
            root((label, full))
            for full in by_label[label]
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


def _abbreviated(names: list[Key], article: Article) -> dict[Key, Key]:
    """{(label, abbreviation): the place it stands for} for the article's names in the table
    (`names`: those of its mentions): the one whose cue is printed against it (印巴: 印 is
    印度, so 巴 is 巴基斯坦; 巴以: 巴勒斯坦), else the full name the article names itself (巴
    beside 巴西), else the one whose cue it names, else the table's default; with none, the
    abbreviation stays as printed (尼 alone: Nigeria, Nepal or Nicaragua)."""
    table = _abbreviations()
    named = {name for _, name in names}
    defaults = {name: table[name][1] for name in named if name in table}
    if not defaults:
        return {}
    # The abbreviations each is printed against: a pair names two countries (印巴两国), and
    # says which more surely than a country named elsewhere in the article.
    paired: dict[str, set[str]] = defaultdict(set)
    for (before, (_, first)), (after, (_, second)) in zip(zip(article.mentions, names), zip(article.mentions[1:], names[1:])):
        if before.end == after.start and first in defaults and second in defaults:
            paired[first].add(defaults[second])
            paired[second].add(defaults[first])
    found = {}
    for label, name in dict.fromkeys(names):
        if name in table:
            options, default = table[name]
            around = named | {full for other, full in defaults.items() if other != name}
            full = next((full for full, cues in options if cues & paired[name]), None)
            full = full or next((full for full, _ in options if full in named), None)
            full = full or next((full for full, cues in options if cues & around), default)
            if full:
                found[label, name] = ("PLACE", full)
    return found


@dataclass
class ArticleResolution:
    """What one article says about its names, before the rest of the corpus is seen."""

    keys: list[Key]  # the entity each mention names within the article, in mention order
    # (name, entity) -> basis: the names the article resolved ("declared", "abbreviation",
    # "short form", "gazetteer", "script": printed in Traditional), each with the evidence that linked it
    links: dict[tuple[Key, Key], str] = field(default_factory=dict)
    ambiguous: set[Key] = field(default_factory=set)  # short forms of several entities here
    # {given name: the person}: what the article says of a person's given name, evidence for
    # `link_across` only (keys keep the given name)
    suggested: dict[Key, Key] = field(default_factory=dict)

    @property
    def standalone(self) -> set[Key]:
        """The names that stand for themselves in this article: `link_across` counts the
        articles of each."""
        return set(self.keys) - self.suggested.keys()


def resolve_article(article: Article) -> ArticleResolution:
    """Resolve the mentions of one article by what it says itself: declared aliases first,
    then abbreviations by table, then short forms of exactly one longer name of the article."""
    names = [(m.label, normalize_name(m.canonical) or m.text) for m in article.mentions]
    simplified = simplified_view(article.text)  # what the nlp stage read (kg.corpus.script)
    declared = _declared_aliases(simplified, article, names)
    names = [declared.get(name, (label, name)) for label, name in names]
    abbreviated = _abbreviated(names, article)
    names = [abbreviated.get(key, key) for key in names]
    aliases = {(key[0], alias): key for alias, key in declared.items()}
    within, ambiguous = _short_forms(set(names), aliases)
    # A given name is shared by many people (威廉, 丹尼斯, 穆罕默德): that the article prints it
    # beside one of them is evidence for the corpus to weigh (`link_across`), not a merge.
    suggested = {short: full for short, full in within.items() if short[0] == "PERSON" and short not in aliases}
    within = {short: full for short, full in within.items() if short not in suggested}
    links: dict[tuple[Key, Key], str] = {}
    for alias, key in declared.items():
        links.setdefault(((key[0], alias), within.get(key, key)), "declared")
    for short, full in abbreviated.items():
        links.setdefault((short, within.get(full, full)), "abbreviation")
    for short, full in within.items():
        links.setdefault((short, full), "short form")
    keys = [within.get(key, key) for key in names]
    bodies, several = _relative_bodies(article, keys, simplified)
    ambiguous |= several
    for number, body in bodies.items():
        links.setdefault((keys[number], body), "short form")
        keys[number] = body
    # What each printed form turned out to name, so that a second run over mentions whose
    # canonical is already resolved learns the same short forms; a form the nlp stage gave
    # its official name is the gazetteer's; a form printed in Traditional is its Simplified one's.
    for mention, key in zip(article.mentions, keys):
        surface = (mention.label, normalize_name(mention.text))
        # A mention's text is its article's from start to end: most articles read as printed.
        read = surface if simplified is article.text else (mention.label, normalize_name(simplified[mention.start : mention.end]))
        if read != key:
            links.setdefault((read, key), "gazetteer")
        if surface != read:
            links.setdefault((surface, key), "script")
    return ArticleResolution(keys, links, ambiguous, suggested)


def _relative_bodies(article: Article, keys: list[Key], simplified: str) -> tuple[dict[int, Key], set[Key]]:
    """{mention number: the body it names} for the relative names of an article, each the one
    body named before it in its paragraph that is it qualified by a place (外交部 after
    伊朗外交部), and the relative names with several such bodies there. Not the whole
    article's: a long article may speak of several countries' ministries, and 外交部长 in
    "外交部长唐家璇会见爱沙尼亚外交部长" is not Estonia's. A relative name after a word for
    several (各国央行, read in the article's Simplified view `simplified`) is no one body."""
    bodies, several = {}, set()
    if not any(_is_relative(*key) for key in keys):
        return bodies, several  # most articles: no need to find their paragraphs
    breaks = [match.start() for match in re.finditer("\n", article.text)]
    before: dict[int, set[Key]] = defaultdict(set)  # paragraph -> the names seen so far
    for number, (mention, (label, name)) in enumerate(zip(article.mentions, keys)):
        seen = before[bisect_right(breaks, mention.start)]
        if _is_relative(label, name) and not _SEVERAL.search(simplified, max(mention.start - 2, 0), mention.start):
            fulls = {key for key in seen if key[0] == label and is_short_form(name, key[1], label)}
            if len(fulls) == 1:
                bodies[number] = fulls.pop()
            elif fulls:
                several.add((label, name))
        seen.add((label, name))
    return bodies, several


def link_across(
    targets: Mapping[Key, Mapping[Key, int]],
    ambiguous: Mapping[Key, int] | Collection[Key],
    standalone: Mapping[Key, int] | None = None,
    *,
    min_articles: int = 2,
    agreement: float = 0.9,
    alone: float = 1.0,
) -> dict[Key, Key]:
    """Across articles: {name: entity} for the names the corpus gives good evidence of.

    `targets[name][entity]` counts the articles that resolved `name` to `entity`;
    `ambiguous[name]` the articles that found it a short form of several (a set: once
    each); `standalone[name]` the articles where it stood for itself (none when not given).

    A name is linked to its most frequent entity when at least `min_articles` articles
    resolved it so (one is enough when the gazetteer agrees: 准东 of 新疆准东经济技术开发区),
    that is at least `agreement` of the articles that resolved it at all or found it
    ambiguous, and it stood alone in no more than `alone` times as many articles. Never linked: names of one character (巴 is 巴西 in one article, 巴基斯坦 in another),
    relative names (外交部) and entities in their own right (中国).
    """
    counted = ambiguous if isinstance(ambiguous, Mapping) else dict.fromkeys(ambiguous, 1)
    standalone = standalone or {}
    links = {}
    for name, entities in targets.items():
        if len(name[1]) < 2 or _is_relative(*name) or name[1] in _names_in_own_right():
            continue
        entity, count = max(entities.items(), key=lambda item: (item[1], item[0]))
        listed = name[0] == entity[0] == "PLACE" and _gazetteer().get(name[1]) == entity[1]
        if (
            count >= (1 if listed else min_articles)
            and count >= agreement * (sum(entities.values()) + counted.get(name, 0))
            and standalone.get(name, 0) <= alone * count
        ):
            links[name] = entity
    return links


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
    ambiguous: Counter[Key] = Counter()
    standalone: Counter[Key] = Counter()
    for resolution in resolutions:
        for name, entity in [*resolution.links, *resolution.suggested.items()]:
            targets[name][entity] += 1
        ambiguous.update(resolution.ambiguous)
        standalone.update(resolution.standalone)
    across = link_across(targets, ambiguous, standalone)
    return [[follow(across, key) for key in resolution.keys] for resolution in resolutions]
