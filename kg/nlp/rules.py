"""The rules that find kg's entities in Chinese news text, independent of spaCy.

`EntityRules.find(text)` returns character spans. It works on the text, not on tokens,
so it is the same for a character-tokenised pipeline and a word-segmented one. In order:

1. lexicon: places (administrative divisions from kg/nlp/data/places.tsv, official and
   short forms, and places_extra.tsv), organisations, projects and people known by name;
2. places by suffix: settlements (…镇, …村, …社区) chained after a place (温宿县温宿镇金华新村
   gives 温宿县, 温宿镇, 金华新村), zones (…工业园区, …口岸) named after a place;
3. organisations by suffix (…有限公司, …局, …党委, …指挥部), which keep the place they start
   with (阿勒泰地区工业和信息化局);
4. projects: quoted names with a project word (“十城百店”工程, “九通一平”建设项目, “送书下乡”活动),
   and …项目/工程/行动 whose
   name is specific: it names a place, a number (国道579线) or a province (粤伽);
5. people: bylines (记者 张楠, □王梦君摄), names after a title (地委书记谢少迪), names joined
   by "·" (艾尔肯·吐尼亚孜), names before 同志/书记.

A name is read leftwards from its suffix up to the nearest boundary word (data/
boundaries.txt), then trimmed by the label's own rule. Overlaps go to the longer span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KgError
from kg.nlp.features import holds_word_of, word_class

DATA = Path(__file__).resolve().parent / "data"
HAN = re.compile(r"[\u3400-\u9fff]")
DOTS = "·•・‧∙"
OPEN, CLOSE = "(（", ")）"
ASIDE = re.compile("[(（](?:现|今|原|即|旧称)")  # 四川省（现重庆市）: an aside, not part of a name
QUOTES = "“”\"'‘’「」『』"
PUNCT = set("，。、；：？！,.;:?!…—《》〈〉【】[]□■/／\n\r\t ") | set(QUOTES)
ADMIN_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "县", "区", "州", "盟", "旗", "镇", "乡", "村")
COUNTED = set("年月日时个万亿千百家项次名人户吨元米亩多余%％.．:：/-")
NUMERAL_CHARS = "0-9０-９一二三四五六七八九十百零〇两"
NUMERAL = re.compile(f"[{NUMERAL_CHARS}]")
# a division (第三师, 农十四师, not 第一师范), or a regiment: after such a division (第一师十团, not
# the army's 四师十一团 or 三五九旅七一八团), or numbered in tens, digit by digit or in figures (六十四团, 一五〇团,
# 150团; not 一团, 团结, 个团)
CORPS_UNIT = re.compile(
    f"(?:(?:新疆生产建设)?兵团)?[第农][{NUMERAL_CHARS}]+师(?![范傅生])"
    f"|(?:(?:(?<=[第农][{NUMERAL_CHARS}]师)|(?<=[第农][{NUMERAL_CHARS}]{{2}}师))[{NUMERAL_CHARS}]{{1,4}}|(?<![{NUMERAL_CHARS}第个师旅])(?:[一二三四五六七八九][〇零一二三四五六七八九]{{2}}"
    "|[二三四五六七八九]十[一二三四五六七八九]?|十[一二三四五六七八九]|[1-9][0-9]{1,2}))团(?![结队体员伙购聚圆拜])"
)
NUMBERED = re.compile(f"[{NUMERAL_CHARS}]+(号|期|线|标段)|第[{NUMERAL_CHARS}]+|\\d+\\.\\d+版|[A-Za-z]")


@dataclass
class Found:
    """An entity span over the text, half open, with what the rules know about it."""

    start: int
    end: int
    label: str
    canonical: str | None = None
    # a known place or body matched by name alone, or a name joined by "·": it may be part of a
    # longer name the rules do not know (中国 in 中国男队, 国务院 in 美国国务院), so a
    # statistical ner may tag over it
    weak: bool = False

    @property
    def size(self) -> int:
        return self.end - self.start


def _words(path: Path) -> list[str]:
    if not path.is_file():
        raise KgError(f"kg rule data file not found: {path}")
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.extend(line.split())
    return words


def _table(path: Path) -> list[list[str]]:
    if not path.is_file():
        raise KgError(f"kg rule data file not found: {path}")
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.rstrip("\n").split("\t"))
    return rows


def is_admin(name: str) -> bool:
    return name.endswith(ADMIN_SUFFIXES)


def _sizes_from(names, start: dict[str, tuple[int, ...]] | None = None) -> dict[str, tuple[int, ...]]:
    sizes = dict(start or {})  # only the prefixes of `names` change: a text's few aliases
    for name in names:
        if len(name) > 1:
            sizes[name[:2]] = tuple(sorted({*sizes.get(name[:2], ()), len(name)}, reverse=True))
    return sizes


@dataclass
class Lexicon:
    """The word lists of kg/nlp/data (or another folder laid out the same way)."""

    names: dict[str, tuple[str, str]]  # surface -> (label, canonical)
    titles: list[str]
    surnames: set[str]
    translit: set[str]
    boundaries: set[str]
    compounds: list[str]
    generic: set[str]
    levels: dict[str, str]  # place name -> province, prefecture or county
    abbreviations: dict[str, str]  # a province's one-character abbreviation -> its official name
    # first two characters -> the lengths of the names starting with them, longest first: most
    # positions start no name, and they cost one lookup
    sizes_from: dict[str, tuple[int, ...]] = field(init=False)
    # the longest compound starting at each position: one scan of a text instead of one per word
    compound_at: re.Pattern = field(init=False)

    def __post_init__(self) -> None:
        self.sizes_from = _sizes_from(self.names)
        words = "|".join(map(re.escape, sorted(self.compounds, key=len, reverse=True)))
        self.compound_at = re.compile(f"(?=({words}))" if words else "(?!)")

    def compound_ends(self, text: str) -> dict[int, int]:
        """For each position inside a compound word, where the longest such word ends."""
        ends: dict[int, int] = {}
        for match in self.compound_at.finditer(text):
            end = match.start() + len(match.group(1))
            for i in range(match.start(), end):
                ends[i] = max(ends.get(i, 0), end)
        return ends

    @classmethod
    def from_dir(cls, folder: str | Path = "") -> Lexicon:
        folder = Path(folder) if folder else DATA
        if not folder.is_dir():
            raise KgError(f"kg rule data folder not found: {folder}")
        names: dict[str, tuple[str, str]] = {}
        levels = {}
        for name, canonical, level in _table(folder / "places.tsv"):
            names[name] = ("PLACE", canonical)
            levels[name] = level
        for row in _table(folder / "places_extra.tsv"):
            names[row[0]] = ("PLACE", row[1] if len(row) > 1 and row[1] else row[0])
        for label, file in (("ORG", "orgs.txt"), ("PROJECT", "projects.txt"), ("PERSON", "people.txt")):
            for name in _words(folder / file):
                names[name] = (label, name)
        generic = set(_words(folder / "generic.txt"))
        # a generic word is no name even where a table lists it (海域 among the prefectures)
        names = {name: hit for name, hit in names.items() if name not in generic}
        return cls(
            names=names,
            titles=sorted(set(_words(folder / "titles.txt")), key=len, reverse=True),
            surnames=set(_words(folder / "surnames.txt")),
            translit=set("".join(_words(folder / "translit_chars.txt"))),
            boundaries=set(_words(folder / "boundaries.txt")),
            compounds=_words(folder / "compounds.txt"),
            generic=generic,
            levels=levels,
            abbreviations=dict(_table(folder / "province_abbreviations.tsv")),
        )


class EntityRules:
    """Finds entities in a text with the lexicon and the suffix rules of one config."""

    def __init__(
        self,
        lexicon: Lexicon,
        *,
        settlement_suffixes: list[str],
        name_verbs: list[str],
        generic_endings: list[str],
        zone_suffixes: list[str],
        place_named_zones: list[str],
        zone_owners: list[str],
        org_suffixes: list[str],
        company_suffixes: list[str],
        open_suffixes: list[str],
        listed_org_classes: list[str],
        listed_place_classes: list[str],
        subunit_suffixes: list[str],
        project_suffixes: list[str],
        park_suffixes: list[str],
        park_modifiers: list[str],
        launch_verbs: list[str],
        launched_suffixes: list[str],
        quoted_project_suffixes: list[str],
        capacity_units: list[str],
        jurisdictions: list[str],
        abbreviation_partners: str,
        suffix_blockers: dict[str, str],
        byline_triggers: list[str],
        person_follows: list[str],
        translit_never_final: str,
        after_name_titles: list[str],
        name_tags: list[str],
        verb_tags: list[str],
        verb_named_bodies: list[str],
        max_stem: int = 20,
    ):
        self.lex = lexicon
        self.suffixes: dict[str, str] = {}
        for label, group in (
            ("PROJECT", project_suffixes),
            ("SETTLEMENT", settlement_suffixes),
            ("ZONE", zone_suffixes),
            ("ORG", org_suffixes),
            ("ORG", company_suffixes),
            ("ORG", subunit_suffixes),
        ):
            for suffix in group:
                self.suffixes.setdefault(suffix, label)
        # last character -> the suffixes ending in it, longest first, and one scan for those
        # characters: only the positions where a suffix may end are tried, not every position
        self.ending_in: dict[str, list[str]] = {}
        for suffix in sorted(self.suffixes, key=len, reverse=True):
            self.ending_in.setdefault(suffix[-1], []).append(suffix)
        self.suffix_last = re.compile("[" + re.escape("".join(self.ending_in)) + "]")
        self.name_verbs = tuple(name_verbs)
        self.generic_endings = tuple(generic_endings)
        self.company = set(company_suffixes)
        self.open_suffixes = set(open_suffixes)
        self.listed_res = {
            label: re.compile("等(?:本地|当地)?(" + "|".join(map(re.escape, sorted(classes, key=len, reverse=True))) + ")")
            for label, classes in (("ORG", listed_org_classes), ("PLACE", listed_place_classes))
        }
        self.parks = set(park_suffixes)
        self.launch_verbs = tuple(launch_verbs)
        self.launched = set(launched_suffixes)
        self.park_modifiers = tuple(park_modifiers)
        self.company_like = self.company | {"集团", "公司"}
        self.place_named = set(place_named_zones)
        self.zone_owners = tuple(zone_owners)
        self.subunit = set(subunit_suffixes)
        self.jurisdictions = sorted(jurisdictions, key=len, reverse=True)
        self.abbreviations = set(lexicon.abbreviations)
        self.paired_re = re.compile(f"([{''.join(lexicon.abbreviations)}])(?=[{abbreviation_partners}])")
        self.blockers = suffix_blockers
        self.max_stem = max_stem
        self.max_boundary = max(map(len, lexicon.boundaries), default=1)
        titles = "|".join(map(re.escape, lexicon.titles))
        self.title_re = re.compile(f"(?:{titles})")
        self.byline_re = re.compile("(?:" + "|".join(map(re.escape, byline_triggers)) + r")[ \u3000]*")
        self.follows = sorted(person_follows, key=len, reverse=True)
        self.never_final = translit_never_final
        self.name_like = set(name_tags) | {None}  # None: no dictionary word at all
        self.verb_tags = set(verb_tags)
        self.verb_named = tuple(verb_named_bodies)
        self.after_titles = "|".join(map(re.escape, sorted(after_name_titles, key=len, reverse=True)))
        # “天山英才”培养计划: a few words may stand between the quoted name and its suffix, but
        # “一带一路”建设项目 is the building of 一带一路
        self.quoted_re = re.compile(
            "[“\"]([^“”\"\n]{2,14})[”\"](?:(建设项目|建设|活动)|((?:(?![" + NUMERAL_CHARS + "几多])[\u4e00-\u9fff]){0,4}?(?:"
            + "|".join(map(re.escape, quoted_project_suffixes))
            + ")))?"
        )
        units = "|".join(map(re.escape, sorted(capacity_units, key=len, reverse=True)))
        self.capacity_re = re.compile(f"(?:年产|年处理)?[0-9.]+[万千百亿]?(?:{units})")
        part = "[" + "".join(sorted(lexicon.translit)) + "]{1,7}"
        self.minority_re = re.compile(f"{part}(?:[{DOTS}]{part})+")

    # -- public -------------------------------------------------------------------------------

    def find(self, text: str) -> list[Found]:
        """Entities of `text`, sorted, without overlaps; aliases (以下简称…) resolved."""
        found = self._find(text, {})
        aliases = self._aliases(text, found)
        if aliases:
            found = self._find(text, aliases)
        return found

    # -- the passes ---------------------------------------------------------------------------

    def _find(self, text: str, extra: dict[str, tuple[str, str]]) -> list[Found]:
        within = self.lex.compound_ends(text)
        lexical = self._lexicon(text, extra, within)
        protected = self._protected(lexical, within)
        places = [f for f in lexical if f.label == "PLACE"]
        places += self._places(text, places, protected) + self._listed(text, "PLACE", protected)
        known_orgs = [f for f in lexical if f.label == "ORG"]
        # a known body after a place is that place's (美国国务院), and a body named after a
        # known one is part of it (国务院学位委员会, 全国人大常委会)
        orgs = known_orgs + self._orgs(text, places + known_orgs, protected)
        orgs += [Found(p.start, o.start + o.size, "ORG") for o in known_orgs for p in places if p.end == o.start]
        projects = [f for f in lexical if f.label == "PROJECT"] + self._projects(text, places, orgs, protected)
        people = [f for f in lexical if f.label == "PERSON"] + self._people(text)
        # 赣疆两地: an abbreviation beside its partner names a province; inside a longer name
        # (江苏疆…, “鲁疆同心”工程) the longer one wins
        paired = [Found(m.start(), m.end(), "PLACE", self.lex.abbreviations[m.group()]) for m in self.paired_re.finditer(text)]
        return resolve(places + orgs + projects + people + paired)

    def _lexicon(self, text: str, extra: dict[str, tuple[str, str]], within: dict[int, int]) -> list[Found]:
        """Known names in `text`, none inside a compound word (`within`: Lexicon.compound_ends)."""
        names = self.lex.names
        sizes_from = _sizes_from(extra, self.lex.sizes_from) if extra else self.lex.sizes_from
        found, i = [], 0
        while i < len(text):
            for size in sizes_from.get(text[i : i + 2], ()):
                if i + size > len(text):
                    continue
                word = text[i : i + size]
                hit = extra.get(word) or names.get(word)
                if hit and i + size <= within.get(i, -1):
                    continue  # 复合肥 holds no 合肥, 中国特色社会主义 no 中国
                if hit:
                    found.append(Found(i, i + size, hit[0], hit[1], weak=hit[0] in ("PLACE", "ORG")))
                    i += size
                    break
            else:
                i += 1
        # the Corps' divisions and regiments are organisations, numbered rather than listed
        # (兵团第十四师, 农十四师, 一五〇团, 150团); a division and the city it runs are one
        # (兵团第八师石河子市)
        cities = {f.start: f for f in found if f.label == "PLACE" and text.endswith("市", 0, f.end)}
        for m in CORPS_UNIT.finditer(text):
            city = cities.get(m.end()) if m.group().endswith("师") else None
            if city:
                found.remove(city)  # no place of its own, for a body to follow (第七师胡杨河市一二三团)
            end = city.end if city else m.end()
            found.append(Found(m.start(), end, "ORG", text[m.start() : end]))
        return found

    def _protected(self, lexical: list[Found], within: dict[int, int]) -> set[int]:
        """Positions inside known names and compounds, where no boundary word can start."""
        inside = {i for f in lexical for i in range(f.start, f.end)}
        return inside | within.keys()

    def _suffix_hits(self, text: str, labels: set[str]):
        """(start, end, suffix) of each label's suffixes, the longest at each end position."""
        for last in self.suffix_last.finditer(text):
            end = last.end()
            for suffix in self.ending_in[last.group()]:
                if self.suffixes[suffix] in labels and text.endswith(suffix, 0, end):
                    blockers = self.blockers.get(suffix, "")
                    if end < len(text) and text[end] in blockers or text.endswith(self.generic_endings, 0, end):
                        continue
                    yield end - len(suffix), end, suffix
                    break

    def _run_start(self, text: str, stop: int, protected: set[int], digits: bool = False) -> int:
        """Where a name ending at `stop` can start at the earliest, reading leftwards."""
        j, depth = stop, 0
        limit = max(0, stop - self.max_stem)
        while j > limit:
            ch = text[j - 1]
            if ch in CLOSE:
                depth += 1
            elif ch in OPEN:
                if depth == 0:
                    break
                depth -= 1
            elif ch in PUNCT or ch.isspace() or (ch.isdigit() and j - 1 not in protected and not (digits and self._designation(text, j - 1))):
                break
            elif j - 1 not in protected and self._boundary_before(text, j):
                break
            j -= 1
        return j

    def _designation(self, text: str, i: int) -> bool:
        """Whether the digit at i numbers a thing (国道579线, 9610电商) or says what it makes
        (10万千瓦, 30万吨) rather than being a date, a count or an amount (6月29日电, 38个,
        8100万元)."""
        start = i
        while start > 0 and (text[start - 1].isdigit() or text[start - 1] == "."):
            start -= 1
        while i < len(text) and text[i].isdigit():
            i += 1
        return i < len(text) and text[i] not in COUNTED or bool(self.capacity_re.match(text, start))

    def _boundary_before(self, text: str, j: int) -> bool:
        for size in range(min(self.max_boundary, j), 0, -1):
            if text[j - size : j] in self.lex.boundaries:
                return True
        return False

    def _places(self, text: str, lexical: list[Found], protected: set[int]) -> list[Found]:
        found: list[Found] = []
        chain_ends = {f.end for f in lexical if is_admin(text[f.start : f.end])}
        for s, e, suffix in self._suffix_hits(text, {"SETTLEMENT", "ZONE"}):
            run = self._run_start(text, s, protected)
            if self.suffixes[suffix] == "SETTLEMENT":
                start = max([run, *(c for c in chain_ends if run <= c < s)])
                if text[start] in "县市区州镇乡村":
                    start += 1  # 该县亚科瑞克乡: what is left of a division named by a pronoun
                stem = text[start:s]
                if not 2 <= len(stem) <= 6 or stem.startswith(self.name_verbs):
                    continue
            else:
                inner = [f for f in lexical if run <= f.start and f.end <= s]
                admin = [f for f in inner if is_admin(text[f.start : f.end])]
                if not inner and not text.startswith(self.zone_owners, run):
                    continue
                if suffix in self.place_named:
                    named = [f for f in inner if f.end == s and not (f.canonical or "").endswith(("自治区", "省"))]
                    if not named:
                        continue
                    inner = admin = named
                start = admin[-1].start if admin else run
                if admin and any(f.start == admin[-1].end for f in inner):
                    start = admin[-1].end  # 疏勒县南疆齐鲁工业园区: a zone named after another place lies in the county
            name = text[start:e]
            if name in self.lex.generic or not HAN.match(name):
                continue
            found.append(Found(start, e, "PLACE"))
            chain_ends.add(e)
        return found

    def _orgs(self, text: str, places: list[Found], protected: set[int]) -> list[Found]:
        """Bodies by suffix; `places` are the places and known bodies a name may start with."""
        found = []
        hits = list(self._suffix_hits(text, {"ORG"}))
        for s, e, suffix in hits:
            run = self._run_start(text, s, protected)
            if suffix not in self.subunit:
                # a body's name does not run back over another body's name, but a company's
                # runs over its group's (国家电投集团五彩湾发电有限公司)
                ends = (x for _, x, other in hits if other not in self.company_like or suffix not in self.company)
                run = max([run, *(x for x in ends if run < x <= s)])
            start = self._org_start(text, run, s, suffix, places)
            if start is None:
                continue
            name = text[start:e]
            if name in self.lex.generic or len(name) <= len(suffix):
                continue
            found.append(Found(start, e, "ORG", weak=suffix in self.open_suffixes))
        for company in [f for f in found if text.endswith(tuple(self.company), 0, f.end)]:
            if text[company.start - 1 : company.start] == "与":  # 创维汽车与木垒县顺达汽车运输有限责任公司签署
                end = company.start - 1
                start = self._run_start(text, end, protected)
                name = text[start:end]
                if 2 <= len(name) <= 8 and name not in self.lex.generic and not name.startswith(self.name_verbs):
                    found.append(Found(start, end, "ORG"))
        return found + self._listed(text, "ORG", protected)

    def _listed(self, text: str, label: str, protected: set[int]) -> list[Found]:
        """Names listed before the kind of thing they are: 顺丰、德邦、极兔等快递品牌 (ORG),
        康居、丽苑、金山等社区 (PLACE: 康居社区, the name of it the text implies, is canonical)."""
        found = []
        for m in self.listed_res[label].finditer(text):
            items, end = [], m.start()
            while True:
                start = self._run_start(text, end, protected)
                if not 2 <= end - start <= 8:
                    break
                items.append(Found(start, end, label, text[start:end] + m.group(1) if label == "PLACE" else None))
                if text[start - 1 : start] != "、":
                    break
                end = start - 1
            if len(items) >= 2:
                found.extend(items)
        return found

    def _org_start(self, text: str, run: int, s: int, suffix: str, places: list[Found]) -> int | None:
        inner = sorted((f for f in places if run <= f.start < s), key=lambda f: f.start)
        # 要认真落实自治区党委: a jurisdiction of two or more characters starts a name anywhere
        named = [i for i in range(run, s) for j in self.jurisdictions if len(j) > 1 and text.startswith(j, i)]
        if any(text.startswith(j, run) for j in self.jurisdictions) or (inner and inner[0].start == run):
            start = run
        elif named and (not inner or named[0] < inner[0].start):
            start = named[0]
        elif inner and _balanced(text[inner[0].start : s]):
            start = inner[0].start
        elif suffix in self.company and s - run >= 2:
            return run
        else:
            return None
        # 四川省（现重庆市）南川县国税局, 新疆调入隶属江苏丹阳供电局: a name does not run over an
        # aside or a verb; it starts at the place after them
        aside = ASIDE.search(text, start, s)
        if aside:
            close = next((i for i in range(aside.end(), s) if text[i] in CLOSE), s)
            start = next((f.start for f in inner if f.start > close), close + 1)
        if not suffix.endswith(self.verb_named):
            for f in inner:
                if f.start > start and holds_word_of(text[start : f.start], self.verb_tags):
                    start = f.start
        # 乌恰县新疆紫金有色金属有限公司: a county before a province-level name is not part of it
        for a, b in zip(inner, inner[1:]):
            county = self.lex.levels.get(text[a.start : a.end]) == "county"
            if a.start >= start and a.end == b.start and county and (b.canonical or "").endswith(("自治区", "省")):
                start = b.start
        return start

    def _projects(self, text: str, places: list[Found], orgs: list[Found], protected: set[int]) -> list[Found]:
        found = []
        for m in self.quoted_re.finditer(text):
            name, building, suffix = m.group(1), m.group(2), m.group(3)
            if suffix and suffix not in self.lex.generic and not name.endswith(tuple(self.suffixes_of("PROJECT"))):
                # not “非油”产业项目 (a generic kind of project) nor “…教育工程”四大工程 (a count of them)
                found.append(Found(m.start(1), m.end(3), "PROJECT"))
            elif building or name.endswith(tuple(self.suffixes_of("PROJECT"))):
                found.append(Found(m.start(1), m.end(1), "PROJECT"))
        projects = {text[f.start : f.end] for f in found}
        quoted = set()
        for m in re.finditer(r"“[^“”\n]*”", text):
            quoted.update(range(m.start(), m.end() - 1))
        prefixes = sorted(places + orgs, key=lambda f: (f.start, -f.size))
        later = []  # names not specific by themselves, but maybe a longer form of one found
        for s, e, suffix in self._suffix_hits(text, {"PROJECT"}):
            if e - 1 in quoted:
                continue  # “合肥中欧(宝武)班列前置仓”: a name inside quotes is the quoted one
            run = self._run_start(text, s, protected, digits=True)
            if text[run - 1 : run] == "和":
                # 国道579线和国道580线工程建设项目, 实施城乡路网改造提升和便民出行工程: one name
                left = self._run_start(text, run - 1, protected, digits=True)
                if NUMBERED.search(text[left : run - 1]) or (
                    suffix in self.launched and text.endswith(self.launch_verbs, 0, left)
                ):
                    run = left
            capacity = self.capacity_re.search(text, run, s)
            if capacity and holds_word_of(text[run : capacity.start()], self.verb_tags):
                run = capacity.start()  # 签约建设年产60万吨聚氯乙烯项目: the name starts at what it makes
            while run < s and text[run].isdigit() and not capacity:
                run += 1  # 38个项目: a count is no name
            name = text[run:s]
            inner = [f for f in prefixes if run <= f.start and f.end <= s]
            launched = suffix in self.launched and len(name) >= 4 and text.endswith(self.launch_verbs, 0, run)
            specific = inner or NUMBERED.search(name) or capacity or (name and name[0] in self.abbreviations) or launched
            if not specific:
                later.append((run, s, e))
                continue
            # 喀什地区伽师县粤伽新梅产业园项目, 在博乐市西帕食品科技产业园: the divisions and
            # bodies before a name are where it is, unless they name it (伊宁县纺织产业园)
            chain: list[Found] = []
            for f in inner:
                if f.start == (chain[-1].end if chain else run) and (f.label == "ORG" or self._full_division(text, f)):
                    chain.append(f)
            rest = chain[-1].end if chain else run
            stem = NUMBERED.sub("", text[rest:s])
            written = HAN.match(text[rest]) or NUMBERED.match(text, rest) or capacity  # G219线…, 10万千瓦…
            if len(stem) < 2 or text[rest:e] in self.lex.generic or not written or stem.startswith(self.name_verbs):
                continue
            named = NUMBERED.search(text[rest:s]) or text[rest] in self.abbreviations
            park = suffix in self.parks and len(stem) >= 4 and not stem.startswith(self.park_modifiers)
            start = rest if len(chain) >= 2 or (chain and chain[0].label == "ORG") or named or park else run
            found.append(Found(start, e, "PROJECT"))
            projects.add(text[start:e])
        for run, s, e in later:  # 西帕食品科技产业园项目 after 博乐市西帕食品科技产业园
            start = next((i for i in range(run, s) if text[i:s] in projects), None)
            if start is not None:
                found.append(Found(start, e, "PROJECT"))
        return found

    def _full_division(self, text: str, f: Found) -> bool:
        name = text[f.start : f.end]
        return self.lex.levels.get(name) in ("prefecture", "county") and is_admin(name)

    def suffixes_of(self, label: str) -> list[str]:
        return [s for s, kind in self.suffixes.items() if kind == label]

    def _people(self, text: str) -> list[Found]:
        found = []

        found.extend(self._minority_names(text))
        for m in self.byline_re.finditer(text):
            i = m.end()
            if any(word_class(text[m.start() : i + size]) for size in (1, 2)):
                continue  # 记者席, 记者站: the trigger starts a word, not a byline
            while True:
                end = self._byline_name(text, i)
                if end is None:
                    break
                found.append(Found(i, end, "PERSON"))
                i = end
                while i < len(text) and text[i] in " \u3000、":
                    i += 1
        for m in re.finditer(r"□[ \u3000]*([\u4e00-\u9fff]{2,4})[ \u3000]*摄", text):
            found.append(Found(m.start(1), m.end(1), "PERSON"))
        for m in self.title_re.finditer(text):
            i = m.end()
            while True:
                end = self._titled_name(text, i)
                if end is None:
                    break
                found.append(Found(i, end, "PERSON"))
                if not text.startswith("、", end):
                    break
                i = end + 1
        for m in re.finditer(f"(?:{self.after_titles})", text):
            for size in (3, 2):
                a = m.start() - size
                if a >= 0 and text[a] in self.lex.surnames and HAN.match(text[a : m.start()]) and (
                    a == 0 or text[a - 1] in PUNCT or self._boundary_before(text, a)
                ):
                    if all(HAN.match(c) for c in text[a : m.start()]):
                        found.append(Found(a, m.start(), "PERSON"))
                        break
        return found

    def _minority_names(self, text: str) -> list[Found]:
        """Names joined by "·". Their parts are runs of transliteration characters, which a
        Han name or a following word may continue (陈小江艾尔肯·吐尼亚孜先后): the right part
        stops before a word that follows names, and a longer variant of a name seen
        elsewhere in the text is cut back to it. They are weak: a ner may add a character of
        the name the list lacks (汤姆·布莱特, 马克·卢蒲)."""
        spans = [(m.start(), self._minority_end(text, m)) for m in self.minority_re.finditer(text)]
        names = {text[a:b] for a, b in spans}
        found = []
        for a, b in spans:
            name = text[a:b]
            shorter = [n for n in names if n != name and len(n) < len(name) and (name.endswith(n) or name.startswith(n))]
            if shorter:
                n = min(shorter, key=len)
                a = a + len(name) - len(n) if name.endswith(n) else a
                b = a + len(n)
            found.append(Found(a, b, "PERSON", weak=True))
        return found

    def _minority_end(self, text: str, m: re.Match) -> int:
        """Where a name joined by "·" ends: before a word that follows names (先后, 先生)."""
        last = max(text.rfind(d, m.start(), m.end()) for d in DOTS)
        end = next((i for i in range(last + 2, m.end()) if text.startswith(tuple(self.follows), i)), m.end())
        while end > last + 2 and text[end - 1] in self.never_final:
            end -= 1  # 艾尔肯·吐尼亚孜都来了: 都 and 来 start 阿不都, 阿不来提 and end no name
        return end

    def _byline_name(self, text: str, i: int) -> int | None:
        m = self.minority_re.match(text, i)
        if m:
            return self._minority_end(text, m)
        j = i
        while j < len(text) and HAN.match(text[j]) and j - i <= 4:
            if text.startswith(("报道", "摄", "通讯员", "记者"), j):
                break
            j += 1
        size = j - i
        if not 2 <= size <= 4 or text[i] not in self.lex.surnames and text[i : i + 2] not in self.lex.surnames:
            return None
        if j < len(text) and not (text[j] in PUNCT or text[j] in ")）" or text.startswith(("报道", "摄", "通讯员"), j)):
            return None
        return j

    def _titled_name(self, text: str, i: int) -> int | None:
        m = self.minority_re.match(text, i)
        if m:
            return self._minority_end(text, m)
        if i >= len(text) or (text[i] not in self.lex.surnames and text[i : i + 2] not in self.lex.surnames):
            return None
        for size in (2, 3, 4):
            j = i + size
            if j > len(text) or not all(HAN.match(c) for c in text[i:j]):
                return None
            ends = j == len(text) or (text[j] in PUNCT and not text[j].isspace()) or text[j] in ")）" or text[j].isdigit()
            if ends or any(text.startswith(f, j) for f in self.follows):
                # 领导方式: a dictionary word of another class is no name
                return j if word_class(text[i:j]) in self.name_like else None
        return None

    def _aliases(self, text: str, found: list[Found]) -> dict[str, tuple[str, str]]:
        """新疆准东经济技术开发区(以下简称准东开发区): the short name is an alias, and a zone's
        short name without its suffix (准东) too."""
        aliases = {}
        ends = {f.end: f for f in found if f.label in ("PLACE", "ORG", "PROJECT")}
        for m in re.finditer(r"[(（]以下简称[“\"]?([^)）”\"]{2,12})[”\"]?[)）]", text):
            entity = ends.get(m.start())
            if entity is None:
                continue
            full = entity.canonical or text[entity.start : entity.end]
            aliases[m.group(1)] = (entity.label, full)
            for suffix in self.suffixes_of("ZONE"):
                stem = m.group(1).removesuffix(suffix)
                if entity.label == "PLACE" and stem != m.group(1) and len(stem) >= 2:
                    aliases[stem] = ("PLACE", full)
        return aliases


def occurrences(word: str, text: str):
    """Where `word` starts in `text`, left to right, not overlapping (as re.finditer would find it,
    at a fraction of its cost for a plain word)."""
    start = text.find(word) if word else -1
    while start != -1:
        yield start
        start = text.find(word, start + len(word))


def _balanced(s: str) -> bool:
    depth = 0
    for ch in s:
        depth += ch in OPEN
        depth -= ch in CLOSE
        if depth < 0:
            return False
    return depth == 0


def resolve(found: list[Found]) -> list[Found]:
    """Non-overlapping spans, the longer first; ties go to the earlier rule in the list."""
    taken: set[int] = set()
    kept = []
    for f in sorted(enumerate(found), key=lambda p: (-p[1].size, p[0])):
        f = f[1]
        if f.size > 0 and not taken.intersection(range(f.start, f.end)):
            kept.append(f)
            taken.update(range(f.start, f.end))
    return sorted(kept, key=lambda f: f.start)
