"""Repair the layout of an OCR'd newspaper page into paragraphs, one per line.

OCR keeps the printed column: lines are hard-wrapped (inside words: "阿勒泰地\\n区"), blank lines
fall inside paragraphs, headlines come doubled or one character per line, and digits may be
full-width. `repair_page` undoes that and remembers, for every character it keeps, where it
stood in the raw text.

How a line break is read (the page's own evidence, no dictionary):
- a break after sentence-final punctuation ends the paragraph when a blank line follows or the
  line is visibly shorter than the next; otherwise the sentence just happened to end at the margin;
- a break after a line that fills the column is a wrap, blank line or not;
- a break after a short line without final punctuation ends a headline (or a paragraph the OCR
  cut); headline lines that follow keep joining while they do not grow (a headline wrapped in
  its box), and body text starts again at the first line with body punctuation (，。、；);
- a line alone between blank lines is a headline, except on pages that put a blank line after
  every printed line (there blank lines say nothing);
- markers (datelines, bylines, "（下转第二版）"), markdown headings, indented lines, doubled and
  vertical headlines always stand as their own paragraphs' edges.
"Short" and "fills" are measured against the column around the line (its neighbours' widths),
or against the paragraph's own lines once it has some.
Pages printed a paragraph per line (lines far wider than a newspaper column) have no wraps to
undo: there a blank line inside a sentence is an OCR gap and is joined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from kg.corpus import markers
from kg.corpus.text import normalize_width

Origin = tuple[int, int]

_HAN = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE_END = "。！？!?…"
_CLOSERS = "”’」』）)》"
_BODY_PUNCTUATION = re.compile(r"[，,。、；]")
_WORD = re.compile(r"[\w·]+")
_SPACED_PHRASES = re.compile(r"^[\u4e00-\u9fff“”·]+(?: [\u4e00-\u9fff“”·]+)+$")
# Wider than any newspaper column: the page prints one paragraph per line.
_WIDE_LAYOUT = 60
_LAYOUT_WINDOW = 20  # lines either side that tell a page's layout


@dataclass
class _Line:
    chars: list[str]
    origins: list[Origin]
    width: float  # printed width in Han character cells, spaces of a letter-spaced headline included
    gap: int = 0  # blank lines above it
    indented: bool = False
    headline: bool = False  # markdown heading, doubled or vertical headline: its own paragraph

    @property
    def text(self) -> str:
        return "".join(self.chars)

    @property
    def blank_before(self) -> bool:
        return self.gap > 0


def repair_page(raw: str) -> tuple[str, list[Origin]]:
    """The page's paragraphs joined by single newlines, and each character's (line, column) in `raw`."""
    lines = _float_captions(_join_vertical_headlines(_read_lines(raw)))
    parts = [
        ("".join(c for line in paragraph for c in line.chars), [o for line in paragraph for o in line.origins])
        for paragraph in _paragraphs(lines)
    ]
    return join_with_origins(parts, "\n")


def join_with_origins(parts: list[tuple[str, list[Origin]]], separator: str) -> tuple[str, list[Origin]]:
    """Texts with their origins joined by `separator`, which points just after the character before it."""
    origins: list[Origin] = []
    for k, (_, part_origins) in enumerate(parts):
        if k and origins:
            line, column = origins[-1]
            origins.append((line, column + 1))
        origins.extend(part_origins)
    return separator.join(text for text, _ in parts), origins


def ends_sentence(text: str) -> bool:
    """Whether `text` ends with sentence-final punctuation, closing quotes after it allowed."""
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def _read_lines(raw: str) -> list[_Line]:
    lines: list[_Line] = []
    gap = 1  # the page edge counts as a blank line
    for number, text in enumerate(re.split(r"\r\n|\r|\n", raw), start=1):
        if not text.strip():
            gap += 1
            continue
        stripped = text.lstrip()
        first = len(text) - len(stripped) + 1
        line = _clean_line(stripped.rstrip(), number, first)
        line.gap, line.indented = gap, first > 1
        lines.append(line)
        gap = 0
    return lines


def _clean_line(text: str, number: int, first_column: int) -> _Line:
    chars = list(normalize_width(text))
    origins = [(number, first_column + i) for i in range(len(chars))]
    heading = re.match(r"#{1,6}\s+", text)
    if heading:
        del chars[: heading.end()], origins[: heading.end()]
    # Runs of whitespace become one space; spaces between single letter-spaced Han characters
    # ("中 国 贸 促") go, but the line keeps its printed width.
    width = _printed_width(chars)
    keep = []
    for i, char in enumerate(chars):
        if char.isspace():
            if keep and chars[keep[-1]] == " ":
                continue
            chars[i] = " "
            if _letter_spaced(chars, i):
                continue
        keep.append(i)
    chars, origins = [chars[i] for i in keep], [origins[i] for i in keep]
    kept = _undoubled("".join(chars))
    if kept is not None:
        chars, origins = [chars[i] for i in kept], [origins[i] for i in kept]
        width = _printed_width(chars)
    return _Line(chars, origins, width, headline=bool(heading) or kept is not None)


def _printed_width(chars) -> float:
    """Width in Han character cells: digits and Latin letters print narrow."""
    return sum(0.5 if char.isascii() and not char.isspace() else 1 for char in chars)


def _letter_spaced(chars: list[str], i: int) -> bool:
    """A space between two single Han characters of a run of at least three ("中 国 贸")."""
    def han(j: int) -> bool:
        return 0 <= j < len(chars) and bool(_HAN.match(chars[j]))

    if not (han(i - 1) and han(i + 1)):
        return False
    before_single = not han(i - 2)
    after_single = not han(i + 2)
    return before_single and after_single and (
        (i + 2 < len(chars) and chars[i + 2].isspace() and han(i + 3))
        or (i - 2 >= 0 and chars[i - 2].isspace() and han(i - 3))
    )


def _undoubled(text: str) -> list[int] | None:
    """The positions to keep of a doubled headline, or None if `text` is not one.

    A doubled headline prints every word run twice and every punctuation mark twice:
    "构建矩阵构建矩阵", "““九通一平九通一平””筑牢根基筑牢根基".
    """
    kept: list[int] = []
    longest = i = 0
    while i < len(text):
        word = _WORD.match(text, i)
        if word:
            half = len(word.group()) // 2
            if len(word.group()) % 2 or text[i : i + half] != text[i + half : word.end()]:
                return None
            kept.extend(range(i, i + half))
            longest = max(longest, half)
            i = word.end()
        elif i + 1 < len(text) and text[i + 1] == text[i] and not text[i].isspace():
            kept.append(i)
            i += 2
        else:
            return None
    return kept if longest >= 2 else None


def _join_vertical_headlines(lines: list[_Line]) -> list[_Line]:
    """A headline printed one character per line becomes one headline line."""
    joined: list[_Line] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and len(lines[j].chars) == 1 and _HAN.match(lines[j].chars[0]):
            j += 1
        if j - i >= 4:
            run = lines[i:j]
            chars = [c for line in run for c in line.chars]
            origins = [o for line in run for o in line.origins]
            joined.append(_Line(chars, origins, len(chars), run[0].gap, run[0].indented, True))
            i = j
        else:
            joined.append(lines[i])
            i += 1
    return joined


def _float_captions(lines: list[_Line]) -> list[_Line]:
    """Move a photo caption and its credit ("…等待交接。" / "□王梦君摄") that OCR dropped into the
    middle of a sentence to after the end of that sentence, so the sentence reads whole again.
    Such a caption stands apart, several blank lines above it."""
    lines = list(lines)
    i = 2
    while i < len(lines):
        caption, credit = lines[i - 1], lines[i]
        interrupted = not ends_sentence(lines[i - 2].text) and ends_sentence(caption.text)
        if markers.PHOTO_CREDIT.match(credit.text) and interrupted and caption.gap > 1 and caption.width <= 45:
            end = next((j for j in range(i + 1, len(lines)) if ends_sentence(lines[j].text)), None)
            if end is not None:
                lines[i + 1].gap = 1
                lines[i - 1 : end + 1] = lines[i + 1 : end + 1] + [caption, credit]
                i = end + 1
                continue
        i += 1
    return lines


def _column_widths(lines: list[_Line]) -> list[float]:
    """The column width at each line: the second widest of its three neighbours either side.
    Most lines fill their column; the runner-up ignores one headline running across columns."""
    result = []
    for i in range(len(lines)):
        around = sorted(
            (lines[j].width for j in range(max(0, i - 3), min(len(lines), i + 4)) if j != i and not lines[j].headline),
            reverse=True,
        )
        result.append(around[1] if len(around) > 1 else around[0] if around else lines[i].width)
    return result


def _paragraphs(lines: list[_Line]) -> list[list[_Line]]:
    widths = _column_widths(lines)
    paragraphs: list[list[_Line]] = []
    headline = False  # whether the paragraph being built is a headline
    for i, line in enumerate(lines):
        # The layout around the line (a file may hold pages of different layouts): a paragraph
        # per line, or a blank line after every printed line (then blank lines say nothing).
        around = lines[max(0, i - _LAYOUT_WINDOW) : i + _LAYOUT_WINDOW]
        body = [other.width for other in around if _BODY_PUNCTUATION.search(other.text)]
        wide = median(body or [line.width]) > _WIDE_LAYOUT
        double_spaced = sum(other.blank_before for other in around) > 0.6 * len(around)
        if paragraphs and _continues(paragraphs[-1], line, headline, widths[i - 1], wide, double_spaced):
            paragraphs[-1].append(line)
            continue
        # A headline starts with a short line, or follows a headline line without a gap.
        headline = line.headline or (
            _headline_line(line) and (_short(line, widths[i]) or (headline and not line.blank_before))
        )
        paragraphs.append([line])
    return paragraphs


def _continues(
    paragraph: list[_Line], line: _Line, headline: bool, column: float, wide: bool, double_spaced: bool
) -> bool:
    previous = paragraph[-1]
    if _separate(previous, line, wide):
        return False
    if wide:  # no wraps: only a headline line over another short line stands apart
        return not (_headline_line(previous) and line.width <= 45)
    if headline:
        return _headline_line(line) and _headline_continues(paragraph, line)
    if ends_sentence(previous.text):
        # A sentence that happens to end at the margin, in a paragraph that goes on.
        return not line.blank_before and previous.width >= line.width - 2
    if len(paragraph) == 1 and markers.DATELINE.match(previous.text):
        return True  # a dateline wrapped, or set on a line of its own above its story
    # A short line without final punctuation closes a headline or a cut paragraph; a first line
    # may be short by its indent. An over-wide one is a headline across columns.
    if len(paragraph) == 1:
        short = _short(previous, column)
    else:  # measured against the paragraph's own lines, which fill its column
        short = previous.width <= 0.7 * max(other.width for other in paragraph[:-1])
    if short or (previous.width >= 1.3 * column and _headline_line(previous)):
        return False
    if len(paragraph) == 1 and _phrases(previous):
        return False
    # A lone line set off by blank lines is a headline (where blank lines mean something).
    return not (len(paragraph) == 1 and previous.blank_before and line.blank_before and not double_spaced)


def _short(line: _Line, column: float) -> bool:
    """Clearly shorter than the column: more than an indent and a quarter of it missing."""
    return line.width <= min(0.75 * column, column - 3)


def _separate(previous: _Line, line: _Line, wide: bool) -> bool:
    """Breaks no layout can join: headings, indents, markers and closing notes."""
    return (
        previous.headline
        or line.headline
        or line.indented
        or markers.starts_article(line.text)
        or markers.BYLINE.match(previous.text) is not None
        or markers.TRAILER.search(previous.text) is not None
        or (wide and ends_sentence(previous.text))
    )


def _headline_line(line: _Line) -> bool:
    text = line.text
    return not _BODY_PUNCTUATION.search(text) and line.width <= 45 and not markers.DATELINE.match(text)


def _phrases(line: _Line) -> bool:
    """A headline line printed as phrases set apart by spaces ("牢牢把握工作主线 大力夯实基层基础")
    is complete in itself."""
    return _SPACED_PHRASES.match(line.text) is not None


def _headline_continues(paragraph: list[_Line], line: _Line) -> bool:
    """Whether `line` wraps the headline `paragraph`: it does not grow, and a blank line only
    falls inside a headline whose lines fill its box."""
    last = paragraph[-1]
    if line.width > last.width or _phrases(last):
        return False
    if line.blank_before:
        return len(paragraph) > 1 and last.width == paragraph[-2].width
    return True
