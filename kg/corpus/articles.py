"""Split a repaired page into its articles.

Article boundaries come from what the page prints: a dateline (本报讯, 新疆日报乌鲁木齐7月23日讯,
据《新疆日报》报道, "(上接第一版)") or a byline (□记者 张楠) opens an article; a closing note
(（新华社北京7月23日电）, （下转第二版）) ends one. Two cases need the words themselves:
- an article closed by a news-agency note ("（新华社…电）") that already opened with a dateline
  of its own holds two stories: it is cut where its vocabulary changes most (at a headline
  inside it if it has one);
- a headline inside an article is a section subhead ("强平台") unless the text after it shares
  little vocabulary with the text before: then it starts a new story (photo news, briefs).

Headlines: OCR reads a page's headline blocks in any order (above their story, below it, at the
end of the page). Each headline is given to the article whose text shares most of its character
pairs, one title per article; lines of one headline block go together.

Article text: the title is the first paragraph (so NER finds the entities in headlines), then
the byline/dateline paragraphs as printed (NER must find reporters' names there), then the body.
Paragraphs are separated by exactly one newline.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice

from kg.corpus import markers
from kg.corpus.dates import path_date, printed_date
from kg.corpus.layout import Origin, ends_sentence, join_with_origins
from kg.corpus.sentences import split_sentences
from kg.document import Article


# Cosine similarity of character pairs below which the text after a subhead is another story.
_NEW_STORY_SIMILARITY = 0.15
_HEADLINE_MAX = 45
_TEXT_KINDS = ("byline", "dateline", "closing", "body")  # all but headlines
# Weight of shared character pairs that ties a headline to the story above it: at least one
# pair that few other articles on the page use.
_DISTINCTIVE = 1.0
# How many articles away from where it is printed a headline may be matched.
_REACH = 8


@dataclass
class _Paragraph:
    text: str
    origins: list[Origin]
    kind: str  # "headline", "byline", "dateline", "closing" or "body"

    @cached_property
    def pairs(self) -> Counter:
        """Its words, as far as this stage needs them: pairs of adjacent letters (Han characters)."""
        text = self.text
        return Counter(text[i : i + 2] for i in range(len(text) - 1) if text[i].isalpha() and text[i + 1].isalpha())


@dataclass
class _Draft:
    paragraphs: list[int] = field(default_factory=list)  # indices, headline runs inside included
    closed: bool = False


def split_articles(text: str, origins: list[Origin], source: str) -> list[Article]:
    """The articles of a repaired page (`repair_page` output), numbered from 0 in page order."""
    paragraphs = _paragraphs(text, origins)
    if not paragraphs:
        return []
    drafts, runs = _drafts(paragraphs)
    if not drafts:  # nothing but headline-like lines: one article of them all
        drafts, runs = [_Draft(list(range(len(paragraphs))))], []
    titles = _assign_headlines(paragraphs, drafts, runs)
    return [
        _article(paragraphs, draft, titles.get(index, []), source, index) for index, draft in enumerate(drafts)
    ]


def _paragraphs(text: str, origins: list[Origin]) -> list[_Paragraph]:
    paragraphs: list[_Paragraph] = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            kind = _kind(line, paragraphs[-1].kind if paragraphs else None)
            paragraphs.append(_Paragraph(line, origins[offset : offset + len(line)], kind))
        offset += len(line) + 1
    return paragraphs


def _kind(text: str, previous: str | None) -> str:
    if markers.PHOTO_CREDIT.match(text):
        return "body"  # a photo credit stays with its picture's caption
    if markers.BYLINE.match(text):
        return "byline"
    if markers.DATELINE.match(text):
        return "dateline"
    if markers.TRAILER.search(text):
        return "closing"
    if len(text) <= _HEADLINE_MAX and "。" not in text:
        # A question under a headline is its subtitle (准东何以成为投资热土?).
        if not ends_sentence(text) or (previous == "headline" and text[-1] in "?？"):
            return "headline"
    return "body"


def _drafts(paragraphs: list[_Paragraph]) -> tuple[list[_Draft], list[list[int]]]:
    """Articles' paragraphs in page order, and the headline runs between them (not inside)."""
    drafts: list[_Draft] = []
    runs: list[list[int]] = []
    run: list[int] = []
    for i, paragraph in enumerate(paragraphs):
        kind = paragraph.kind
        if kind == "headline" or (kind == "byline" and _next_opens(paragraphs, i)):
            run.append(i)  # a byline printed under a headline, above another story's dateline
            continue
        current = drafts[-1] if drafts else None
        opens = kind in ("byline", "dateline")
        # Every draft holds a paragraph that is not a headline (headlines wait in `run` for the paragraph
        # after them), so a byline or dateline always opens a new one.
        if current is None or current.closed or opens:
            drafts.append(_Draft())
            if run:
                runs.append(run)
        else:
            current.paragraphs.extend(run)
        run = []
        drafts[-1].paragraphs.append(i)
        drafts[-1].closed = kind == "closing"
    if run:
        runs.append(run)
    drafts = [piece for draft in drafts for piece in _split_stories(paragraphs, draft, runs)]
    for above, below in zip(drafts, drafts[1:]):
        _move_misplaced_start(paragraphs, above, below)
    return drafts, runs


def _move_misplaced_start(paragraphs: list[_Paragraph], above: _Draft, below: _Draft) -> None:
    """OCR may read a story's headline and byline after its first paragraphs, which then close
    the story above. Paragraphs at the end of `above` move to `below` (when it opens with a
    byline) if they share more vocabulary with it than with the rest of `above`."""
    if paragraphs[below.paragraphs[0]].kind != "byline" or above.closed:
        return
    order = above.paragraphs
    candidates = [k for k in range(2, len(order)) if paragraphs[order[k]].kind == "body"]
    gain = {k: _similarity(paragraphs, order[k:], below.paragraphs) - _similarity(paragraphs, order[k:], order[:k])
            for k in candidates}
    k = max(gain, key=gain.get, default=None)
    if k is not None and gain[k] > 0:
        below.paragraphs[:0] = order[k:]
        del order[k:]


def _next_opens(paragraphs: list[_Paragraph], i: int) -> bool:
    following = next((p for p in islice(paragraphs, i + 1, None) if p.kind != "headline"), None)
    return following is not None and following.kind == "dateline"


def _split_stories(paragraphs: list[_Paragraph], draft: _Draft, runs: list[list[int]]) -> list[_Draft]:
    """Cut a draft holding more than one story; cut-out headline runs join `runs`."""
    order = draft.paragraphs
    inner = [k for k in range(1, len(order)) if paragraphs[order[k]].kind == "headline"
             and paragraphs[order[k - 1]].kind != "headline"]
    first, last = paragraphs[order[0]], paragraphs[order[-1]]
    two_datelines = first.kind in ("dateline", "byline") and markers.AGENCY_TRAILER.search(last.text)
    if two_datelines:
        # Each side keeps some body; the closing note stays with the story above it.
        cuts = inner or [k for k in range(2, len(order) - 1) if paragraphs[order[k]].kind == "body"]
        cut = min(cuts, key=lambda k: _similarity(paragraphs, order[:k], order[k:]), default=None)
    else:
        cut = next((k for k in inner if _similarity(paragraphs, order[:k], order[k:]) < _NEW_STORY_SIMILARITY), None)
    if cut is None:
        return [draft]
    end = cut
    while end < len(order) and paragraphs[order[end]].kind == "headline":
        end += 1
    if end > cut:
        runs.append(order[cut:end])
    head = _Draft(order[:cut])
    tail = _Draft(order[end:], draft.closed)
    return [head, *_split_stories(paragraphs, tail, runs)]


def _pairs(paragraphs: list[_Paragraph], indices: list[int], kinds: tuple[str, ...]) -> Counter:
    total: Counter = Counter()
    for i in indices:
        if paragraphs[i].kind in kinds:
            total.update(paragraphs[i].pairs)
    return total


def _similarity(paragraphs: list[_Paragraph], left: list[int], right: list[int]) -> float:
    a, b = _pairs(paragraphs, left, _TEXT_KINDS), _pairs(paragraphs, right, _TEXT_KINDS)
    dot = sum(count * b[pair] for pair, count in a.items())
    norm = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def _assign_headlines(
    paragraphs: list[_Paragraph], drafts: list[_Draft], runs: list[list[int]]
) -> dict[int, list[int]]:
    """Draft index -> the headline paragraphs (and bylines printed with them) that head it.

    A run of headline lines is cut at most once: its first lines may close the article just
    above it (a headline printed under its story), the rest heads the article they share most
    words with, anywhere on the page (within `_REACH` articles, as a file may hold many pages).
    Words are character pairs weighted by how few articles use them, so "高质量发展" decides
    nothing and "准东" a lot.
    """
    vocabularies = [set(_pairs(paragraphs, draft.paragraphs, _TEXT_KINDS)) for draft in drafts]
    frequency = Counter(pair for vocabulary in vocabularies for pair in vocabulary)
    weight = {pair: math.log((len(drafts) + 1) / (count + 0.5)) for pair, count in frequency.items()}

    def shared(units: list[int], d: int) -> float:
        pairs = _pairs(paragraphs, units, ("headline",))
        return sum(weight[pair] for pair in pairs if pair in vocabularies[d])

    def best(units: list[int], near: range, exclude: set[int] = frozenset()) -> tuple[float, int | None]:
        scored = [(shared(units, d), d) for d in near if d not in exclude]
        score, d = max(scored, key=lambda item: (item[0], -item[1]), default=(0.0, None))
        return (score, d) if score > 0 else (0.0, None)

    headings: dict[int, list[int]] = {}
    suffixes: list[tuple[float, list[int], range]] = []
    led: set[int] = set()  # articles that a headline printed above them already leads
    for run in runs:
        below = sum(1 for draft in drafts if draft.paragraphs[-1] < run[0])  # first article below the run
        above = below - 1 if below else None
        near = range(max(0, below - _REACH), min(len(drafts), below + _REACH))
        cut, top = 0, best(run, near)[0]
        # An article takes a headline printed below it only when none stands above it.
        for c in range(1, len(run) + 1) if above is not None and above not in led else ():
            if c < len(run) and paragraphs[run[c]].kind == "byline":
                continue  # a byline stays under its headline
            rest, target = best(run[c:], near) if c < len(run) else (0.0, None)
            closing = shared(run[:c], above)
            if target != above and closing >= _DISTINCTIVE and closing + rest > top:
                cut, top = c, closing + rest
        if cut:
            headings.setdefault(above, []).extend(run[:cut])
        if run[cut:]:
            score, target = best(run[cut:], near)
            suffixes.append((score, run[cut:], near))
            if target is not None:
                led.add(target)
    # One title per article: the best-matching headline keeps it, the next goes to its next choice.
    for _, units, near in sorted(suffixes, key=lambda item: -item[0]):
        d = best(units, near, exclude=set(headings))[1]
        if d is None:
            d = best(units, near)[1]
        if d is None:  # shares no words with any article: it heads the one below it
            d = next((k for k, draft in enumerate(drafts) if draft.paragraphs[0] > units[-1]), len(drafts) - 1)
        headings.setdefault(d, []).extend(units)
    return {d: sorted(units) for d, units in headings.items()}


def _article(
    paragraphs: list[_Paragraph], draft: _Draft, heading: list[int], source: str, index: int
) -> Article:
    headlines = [paragraphs[i] for i in heading if paragraphs[i].kind == "headline"]
    printed = [paragraphs[i] for i in heading if paragraphs[i].kind != "headline"]
    printed += [paragraphs[i] for i in draft.paragraphs]
    parts = [(p.text, p.origins) for p in printed]
    if headlines:
        parts.insert(0, join_with_origins([(p.text, p.origins) for p in headlines], " "))
    text, origins = join_with_origins(parts, "\n")
    credited = [p for p in printed if p.kind in ("byline", "dateline") or markers.PHOTO_CREDIT.match(p.text)]
    credits = list(dict.fromkeys(credit for p in credited for credit in markers.byline_credits(p.text)))
    return Article(
        source=source,
        index=index,
        text=text,
        title=parts[0][0] if headlines else None,
        byline=list(dict.fromkeys(credit.name for credit in credits)),
        date=path_date(source) or printed_date(text)[0],
        sentences=split_sentences(text),
        origins=origins,
        credits=credits,
    )
