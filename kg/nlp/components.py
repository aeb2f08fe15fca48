"""kg's spaCy components around the statistical `ner` (placed by data/components.cfg).

- `kg_entity_rules` (before the ner): the spans of kg.nlp.rules become doc.ents, which the
  ner then respects and fills around; they are also kept in doc.spans["kg_rules"]. Places
  and bodies matched by name alone go to doc.spans["kg_gazetteer"] instead, for the fixer:
  a ner may read them as part of a longer name. Placed after a ner, it overrides the ner's
  spans that cross its own.
- `kg_label_map` (after the ner): the ner's labels mapped to kg's (OntoNotes GPE -> PLACE);
  others dropped.
- `kg_entity_fixer` (after the ner): the spec's text rules on the ner's spans (no titles in
  PERSON, no 马书记, no generic bodies, no 疆), names found once tagged everywhere in the doc,
  and each PERSON's role: the title before it, and the body that title belongs to.

Span extensions: `kg_canonical` (official name of a short form: 博州 -> 博尔塔拉蒙古自治州),
`kg_role` (党委书记), `kg_role_org` (阿拉山口市党委).
"""

# No `from __future__ import annotations`: spaCy before 3.8.7 validates factory arguments
# against the signatures' annotations, and cannot resolve them as strings.

import re

from spacy.attrs import ORTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.nlp.features import holds_word_of, starts_with_word_of, tagged_words
from kg.nlp.rules import DOTS, HAN, NUMERAL, EntityRules, Found, Lexicon, occurrences, resolve

# What a name is written with: a span with punctuation in it is two names or none (合金产业、电子箔)
NAME = re.compile(f"[\u3400-\u9fffA-Za-z0-9{DOTS}]+")

RULES_KEY = "kg_rules"
GAZETTEER_KEY = "kg_gazetteer"

for _name in ("kg_canonical", "kg_role", "kg_role_org"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


def _span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    span = doc.char_span(start, end, label=label)
    if span is None:  # a word-segmented pipeline: take the tokens around the name
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
    return span


def _text(doc: Doc) -> str:
    """doc.text, joined from the token arrays: spaCy's doc.text and span.text make a Token object
    a token, which with kg's one-character tokens took half the fixer's time."""
    orths, spaces = doc.to_array([ORTH, SPACY]).T.tolist() if len(doc) else ([], [])
    strings = doc.vocab.strings
    if not any(spaces):  # kg's tokens: characters
        return "".join(map(strings.__getitem__, orths))
    return "".join(strings[orth] + " " * space for orth, space in zip(orths, spaces))


def _set_ents(doc: Doc, spans: list[Span], default: str) -> None:
    """doc.ents = spans, the longer first where they overlap; other tokens get `default`."""
    taken: set[int] = set()
    kept = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not taken.intersection(range(span.start, span.end)):
            kept.append(span)
            taken.update(range(span.start, span.end))
    doc.set_ents(sorted(kept, key=lambda s: s.start), default=default)


@Language.factory("kg_entity_rules", assigns=["doc.ents", "doc.spans"])
def make_entity_rules(
    nlp: Language,
    name: str,
    data: str,
    max_stem: int,
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
) -> "EntityRulesComponent":
    """Settings: kg/nlp/data/components.cfg; `data` is the word lists' folder ("" for kg's)."""
    settings = dict(locals())
    for key in ("nlp", "name", "data"):
        settings.pop(key)
    return EntityRulesComponent(EntityRules(Lexicon.from_dir(data), **settings))


class EntityRulesComponent:
    def __init__(self, rules: EntityRules):
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        strong, weak = [], []
        for found in self.rules.find(_text(doc)):
            span = _span(doc, found.start, found.end, found.label)
            if span is not None:
                span._.kg_canonical = found.canonical
                (weak if found.weak else strong).append(span)
        doc.spans[RULES_KEY] = strong
        doc.spans[GAZETTEER_KEY] = weak
        # placed after a ner, the rules override the spans it predicted across theirs
        ruled = {i for span in strong for i in range(span.start, span.end)}
        kept = [e for e in doc.ents if not ruled.intersection(range(e.start, e.end))]
        _set_ents(doc, [*strong, *kept], default="unmodified")  # a ner after us still tags the rest
        return doc


@Language.factory("kg_label_map", default_config={"mapping": {}}, assigns=["doc.ents"])
def make_label_map(nlp: Language, name: str, mapping: dict[str, str]):
    def map_labels(doc: Doc) -> Doc:
        if all(mapping.get(ent.label_) == ent.label_ for ent in doc.ents):
            return doc  # kg's own labels: nothing to remap
        ents = []
        for ent in doc.ents:
            label = mapping.get(ent.label_)
            if label:
                span = Span(doc, ent.start, ent.end, label=label)
                span._.kg_canonical = ent._.kg_canonical
                ents.append(span)
        doc.set_ents(ents, default="outside")
        return doc

    return map_labels


@Language.factory("kg_entity_fixer", assigns=["doc.ents"])
def make_entity_fixer(
    nlp: Language,
    name: str,
    data: str,
    propagate: bool,
    person_max: int,
    verb_tags: list[str],
    role_bodies: list[str],
    org_endings: list[str],
    org_suffixes: list[str],
    company_suffixes: list[str],
    name_tags: list[str],
    country_abbreviations: str,
    joint_words: list[str],
) -> "EntityFixer":
    """Settings: kg/nlp/data/components.cfg; `data` is the word lists' folder ("" for kg's)."""
    endings = {"ORG": sorted(org_endings + org_suffixes + company_suffixes, key=len, reverse=True)}
    return EntityFixer(
        Lexicon.from_dir(data),
        propagate,
        person_max,
        set(verb_tags),
        sorted(role_bodies, key=len, reverse=True),
        endings,
        set(name_tags),
        set(country_abbreviations),
        tuple(joint_words),
    )


class EntityFixer:
    def __init__(
        self,
        lexicon: Lexicon,
        propagate: bool,
        person_max: int,
        verb_tags: set[str],
        role_bodies: list[str],
        endings: dict[str, list[str]],
        name_tags: set[str],
        countries: set[str],
        joint_words: tuple[str, ...],
    ):
        self.lex = lexicon
        self.name_tags = name_tags
        self.countries = countries
        self.joint_words = joint_words
        self.propagate = propagate
        self.person_max = person_max
        self.verb_tags = verb_tags
        self.role_bodies = role_bodies
        self.endings = endings
        self.titles = re.compile("^(?:" + "|".join(map(re.escape, lexicon.titles)) + ")+")
        self.titles_end = re.compile("(?:" + "|".join(map(re.escape, lexicon.titles)) + ")+$")

    def __call__(self, doc: Doc) -> Doc:
        text = _text(doc)
        rules = {(s.start_char, s.end_char): s for s in doc.spans.get(RULES_KEY, [])}
        within = self.lex.compound_ends(text)
        known = {i for s in doc.spans.get(GAZETTEER_KEY, []) for i in range(s.start_char, s.end_char)}
        # a name has one label in a text: the one the rules gave it where they found it
        labels = {text[s.start_char : s.end_char]: s.label_ for s in rules.values()}
        weak_people = [s for s in doc.spans.get(GAZETTEER_KEY, []) if s.label_ == "PERSON"]
        found = []
        for ent in doc.ents:
            if (ent.start_char, ent.end_char) in rules:
                fixed = ent
            elif ent.end_char <= within.get(ent.start_char, -1):
                fixed = None  # 中国 in 中国特色社会主义
            elif ent.label_ == "PLACE" and known.issuperset(range(ent.start_char, ent.end_char)):
                fixed = None  # 喀什克孜勒苏: known places side by side are each their own
            elif labels.get(text[ent.start_char : ent.end_char], ent.label_) != ent.label_:
                fixed = None  # 谢少迪 as a body where the rules found him as a person elsewhere
            else:
                fixed = self._fix(doc, text, ent)
            if fixed is not None and fixed.label_ == "PERSON" and not self._extends_names(fixed, weak_people):
                fixed = None  # 王伟艾尔肯·吐尼亚孜: a ner's person runs two names together
            if fixed is not None:
                found.append(Found(fixed.start_char, fixed.end_char, fixed.label_, fixed._.kg_canonical))
        # known places and bodies the ner did not tag over (it may have read 中国男队 as one body)
        for span in doc.spans.get(GAZETTEER_KEY, []):
            found.append(Found(span.start_char, span.end_char, span.label_, span._.kg_canonical))
        found = self._country_pairs(text, found)
        if self.propagate:
            found = self._everywhere(text, found)
        spans = []
        for f in found:
            span = _span(doc, f.start, f.end, f.label)
            if span is not None:
                span._.kg_canonical = f.canonical
                spans.append(span)
        _set_ents(doc, spans, default="outside")
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                ent._.kg_role, ent._.kg_role_org = self._role(doc, text, ent)
        return doc

    def _fix(self, doc: Doc, doc_text: str, ent: Span) -> Span | None:
        """The ner's span under the spec's text rules, or None when it names nothing."""
        text = doc_text[ent.start_char : ent.end_char]
        known = self.lex.names.get(text, (None,))[0]
        if text in self.lex.generic or known not in (None, ent.label_) or not NAME.fullmatch(text):
            return None  # 疆, 政协, 准东 as a person, 合金产业、电子箔
        if len(text) < 2 and ent.label_ != "PLACE":
            return None  # one character names a place by its abbreviation (中美, 访华, 皖疆), nothing else
        if ent.label_ == "PERSON":
            head = self.titles.match(text)
            tail = self.titles_end.search(text)
            start = ent.start_char + (head.end() if head else 0)
            end = ent.end_char - (len(tail.group()) if tail else 0)
            name = doc_text[start:end]
            if len(name) < 2 or name in self.lex.generic or NUMERAL.match(name):
                return None  # 马书记, 书记, 二楼
            if len(name) > self.person_max and not set(DOTS) & set(name) and not set(name) <= self.lex.translit:
                return None  # 张家院子农家乐
            if len(name) > 4 and holds_word_of(name, self.verb_tags, shortest=2):
                return None  # 聚焦综保区: longer than a Han name, and a phrase
            return ent if (start, end) == (ent.start_char, ent.end_char) else _span(doc, start, end, "PERSON")
        if ent.label_ == "PLACE" and known is None and starts_with_word_of(text, self.verb_tags, shortest=2):
            return None  # 聚焦综保区: a phrase (开封 is a known place, 俭汤 one word)
        if ent.label_ in self.endings:
            # an unknown body needs a name before the word that says what it is (not 管委会), or
            # a name that says it alone (北大, 联合国, 中国足协; not 人居环境, 产业促发展)
            ending = next((e for e in self.endings[ent.label_] if text.endswith(e)), None)
            if known is None and not (ending and len(text) > len(ending)) and not self._proper_name(text):
                return None
        return ent

    def _country_pairs(self, text: str, found: list[Found]) -> list[Found]:
        """Countries named by one character side by side are each a place (印中两国, 美英俄科学家):
        a name made of them is split, and one the ner found alone takes its neighbours in the
        run when a word for two parties follows it (美中关系 where the ner tagged 美)."""
        taken = {i for f in found for i in range(f.start, f.end)}
        kept, more = [], []
        for f in found:
            name = text[f.start : f.end]
            joint = text.startswith(self.joint_words, f.end)
            if 2 <= f.size <= 4 and set(name) <= self.countries and name not in self.lex.names and (f.label == "PLACE" or joint):
                more.extend(Found(i, i + 1, "PLACE") for i in range(f.start, f.end))
                continue
            kept.append(f)
            if f.size != 1 or f.label != "PLACE" or name not in self.countries:
                continue
            start, end = f.start, f.end
            while start > 0 and f.end - start < 4 and text[start - 1] in self.countries and start - 1 not in taken:
                start -= 1
            while end < len(text) and end - start < 4 and text[end] in self.countries and end not in taken:
                end += 1
            if (start, end) != (f.start, f.end) and text.startswith(self.joint_words, end):
                more.extend(Found(i, i + 1, "PLACE") for i in range(start, end) if i != f.start)
        return resolve(kept + more)

    @staticmethod
    def _extends_names(person: Span, names: list[Span], most: int = 1) -> bool:
        """Whether `person` overlaps none of the rules' `names` joined by "·", or holds the one it
        overlaps with at most `most` characters more (汤姆·布莱特 for the rules' 姆·布莱特)."""
        for name in names:
            if name.start_char < person.end_char and person.start_char < name.end_char:
                holds = person.start_char <= name.start_char and name.end_char <= person.end_char
                return holds and len(person) - len(name) <= most
        return True

    def _proper_name(self, text: str) -> bool:
        """Whether jieba reads `text` as proper names only: no common word in it."""
        return all(flag in self.name_tags for _, flag in tagged_words(text))

    def _everywhere(self, text: str, found: list[Found]) -> list[Found]:
        """A name found once is the same entity wherever else the text has it."""
        names = {text[f.start : f.end]: f for f in found if f.size >= 2}
        more = list(found)
        for name, f in names.items():
            more.extend(Found(start, start + len(name), f.label, f.canonical) for start in occurrences(name, text))
        return resolve(more)

    def _role(self, doc: Doc, text: str, person: Span) -> tuple[str | None, str | None]:
        """The title before a person, and the body it names. Of a chain of titles
        (自治区党委书记、兵团党委第一书记、第一政委陈小江) the first is the person's main post."""
        end = person.start_char
        title = None
        while True:
            match = self.titles_end.search(text, max(0, end - 24), end)
            if match is None:
                break
            title = match
            start = self._body_start(doc, match.start(), end)
            # the body may be one the rules do not know (综合保税区党工委书记): look a few
            # characters further back for the 、 that joins two titles
            while start > 0 and match.start() - start < 8 and HAN.match(text[start - 1]):
                start -= 1
            if start < 1 or text[start - 1] != "、":
                break
            end = start - 1
        if title is None:
            return None, None
        body = self._body(doc, title.start(), title.end())
        if body is None:
            return title.group(), None
        # 阿拉山口市党委书记: the role names the kind of body (党委) as well as the title
        body_text = text[body.start_char : body.end_char]
        kind = next((k for k in self.role_bodies if body_text.endswith(k)), "")
        role_start = min(body.end_char - len(kind), title.start())
        return text[role_start : title.end()], body_text

    def _body(self, doc: Doc, title_start: int, title_end: int) -> Span | None:
        return next(
            (e for e in doc.ents if e.label_ == "ORG" and title_start <= e.end_char <= title_end and e.start_char < title_end),
            None,
        )

    def _body_start(self, doc: Doc, title_start: int, title_end: int) -> int:
        body = self._body(doc, title_start, title_end)
        return min(body.start_char, title_start) if body else title_start
