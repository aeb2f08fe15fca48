"""The printed markers of a news page: datelines, bylines, photo credits, continuation notes.

Both the layout repair (a marker starts a new paragraph) and the article splitter (a marker
starts or ends an article) read them, so they live here once.
"""

from __future__ import annotations

import re

# A personal name as bylines print it: two to four Han characters, or a transliterated
# minority name joined with "·" (外力·克依木).
_NAME = r"[\u4e00-\u9fff]{1,8}·[\u4e00-\u9fff]{1,8}|[\u4e00-\u9fff]{2,4}"
NAME = re.compile(rf"^(?:{_NAME})$")
# Several names, one separator between each (a pattern that cannot backtrack badly).
_NAMES = rf"(?:{_NAME})(?:[\s、，,]+(?:{_NAME}))*"

_ROLE = r"(?:特约|首席)?(?:记者|通讯员|摄影记者|摄影|实习生)"

# Openings that begin an article's first paragraph: 本报讯, 本报阿克苏讯, 新疆日报乌鲁木齐7月23日讯,
# 新华社北京7月23日电, 据《新疆日报》报道, 据新疆日报报道, and the "(上接第一版)" of a continued story.
DATELINE = re.compile(
    r"^(?:本报[\u4e00-\u9fff]{0,6}讯"
    r"|[\u4e00-\u9fff/]{2,16}?(?:\d{4}年)?\d{1,2}月\d{1,2}日[讯电]"
    r"|据《[^》]{1,20}》报道|据[\u4e00-\u9fff]{2,10}报道"
    r"|[（(]上接第\S{1,3}版[）)])"
)
# A line that is only a byline: □记者 张楠, □本报通讯员 余再兴 周李, 石榴云/新疆日报记者 张治立,
# 新疆日报评论员, and photo credits such as □王梦君摄 or 通讯员 外力·克依木 摄.
BYLINE = re.compile(
    rf"^□?\s*(?:[\u4e00-\u9fff/]{{0,12}}{_ROLE}\s*{_NAMES}"
    rf"|[\u4e00-\u9fff]{{2,8}}评论员"
    rf"|(?:{_ROLE}\s*)?{_NAMES}\s*摄)$"
)
PHOTO_CREDIT = re.compile(rf"^□?\s*(?:{_ROLE}\s*)?{_NAMES}\s*摄$")
# The reporters inside a dateline: （记者 胡潇潇 通讯员 李梦冰）, 通讯员王梦君、石倩报道.
_CREDITED = re.compile(rf"{_ROLE}\s*({_NAMES})(?=[\s、，,]*(?:{_ROLE}|报道|摄|[）)]|$))")
# Closing notes: （新华社北京7月23日电）, （新华社）, （下转第二版）.
TRAILER = re.compile(r"[（(](?:新华社[^（）()]{0,20}|下转第\S{1,3}版)[）)]$")
AGENCY_TRAILER = re.compile(r"[（(]新华社[^（）()]{0,20}[）)]$")
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日[讯电]")


def starts_article(text: str) -> bool:
    """Whether `text` opens with a dateline, a byline or a continuation note."""
    return bool(DATELINE.match(text) or BYLINE.match(text))


def byline_names(text: str) -> list[str]:
    """The personal names credited in a byline, dateline or photo credit, in order."""
    names = []
    if PHOTO_CREDIT.match(text) or BYLINE.match(text) and "评论员" not in text:
        body = re.sub(r"^□|\s*摄$", "", text.strip())
        body = re.sub(rf"^[\u4e00-\u9fff/]{{0,12}}?{_ROLE}", " ", body)
        groups = [re.sub(_ROLE, " ", body)]
    else:
        head = re.split(r"[）)]", text, maxsplit=1)[0] if re.match(r"^\S{0,30}?[（(]", text) else text[:40]
        groups = [match.group(1) for match in _CREDITED.finditer(head)]
    for group in groups:
        for token in re.split(r"[\s、，,]+", group):
            if NAME.match(token) and not re.fullmatch(_ROLE, token) and token not in names:
                names.append(token)
    return names


def iso_date(text: str) -> str | None:
    """The ISO date of a dateline that prints its year (2025年2月11日电); None without a year."""
    match = DATE.search(text)
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"
