"""The printed markers of a news page: datelines, bylines, photo credits, closing notes.

Both the layout repair (a marker starts a new paragraph) and the article splitter (a marker
starts or ends an article) read them, so they live here once.
"""

from __future__ import annotations

import re

# A personal name as bylines print it: two to four Han characters, or a transliterated
# minority name joined with "·" (外力·克依木).
_NAME = r"[\u4e00-\u9fff]{1,8}·[\u4e00-\u9fff]{1,8}|[\u4e00-\u9fff]{2,4}"
# Several names, one separator between each (so the pattern cannot backtrack badly).
_NAMES = rf"(?:{_NAME})(?:[\s、，,]+(?:{_NAME}))*"
_ROLE = r"(?:特约|首席)?(?:记者|通讯员|摄影记者|摄影|实习生)"
_NAME_TOKEN = re.compile(rf"^(?:{_NAME})$")

# Openings that begin an article's first paragraph: 本报讯, 本报阿克苏讯, 新疆日报乌鲁木齐7月23日讯,
# 新华社北京7月23日电, 据《新疆日报》报道, 据新疆日报报道, and the "(上接第一版)" of a continued story.
DATELINE = re.compile(
    r"^(?:本报[\u4e00-\u9fff]{0,6}讯"
    r"|[\u4e00-\u9fff/]{2,16}?(?:\d{4}年)?\d{1,2}月\d{1,2}日[讯电]"
    r"|据《[^》]{1,20}》报道|据[\u4e00-\u9fff]{2,10}报道"
    r"|[（(]上接第\S{1,3}版[）)])"
)
# A paragraph that is only a byline or a photo credit: □记者 张楠, □本报通讯员 余再兴 周李,
# 石榴云/新疆日报记者 张治立, 新疆日报评论员, □王梦君摄, 通讯员 外力·克依木 摄.
PHOTO_CREDIT = re.compile(rf"^□?\s*(?:{_ROLE}\s*)?{_NAMES}\s*摄$")
BYLINE = re.compile(
    rf"^□?\s*(?:[\u4e00-\u9fff/]{{0,12}}{_ROLE}\s*{_NAMES}|[\u4e00-\u9fff]{{2,8}}评论员|(?:{_ROLE}\s*)?{_NAMES}\s*摄)$"
)
# Closing notes: （新华社北京7月23日电）, （新华社）, （下转第二版）.
TRAILER = re.compile(r"[（(](?:新华社[^（）()]{0,20}|下转第\S{1,3}版)[）)]$")
AGENCY_TRAILER = re.compile(r"[（(]新华社[^（）()]{0,20}[）)]$")

_BYLINE_PREFIX = re.compile(rf"^□?\s*(?:[\u4e00-\u9fff/]{{0,12}}?{_ROLE})?")
# Reporters credited inside a dateline: （记者 胡潇潇 通讯员 李梦冰）, 通讯员王梦君、石倩报道.
_CREDITED = re.compile(rf"{_ROLE}\s*({_NAMES})(?=[\s、，,]*(?:{_ROLE}|报道|[）)]|$))")


def starts_article(text: str) -> bool:
    """Whether `text` opens with a dateline, a continuation note or a byline."""
    return bool(DATELINE.match(text) or BYLINE.match(text))


def byline_names(text: str) -> list[str]:
    """The personal names credited by a byline, photo credit or dateline, in order."""
    if BYLINE.match(text):
        groups = [re.sub(r"\s*摄$", "", _BYLINE_PREFIX.sub("", text))]
    else:
        # Only the dateline's own credit: up to its closing bracket, or its first words.
        opening = re.match(r"^[^（(]{0,30}[（(][^）)]*[）)]", text)
        groups = [match.group(1) for match in _CREDITED.finditer(opening.group() if opening else text[:40])]
    names: list[str] = []
    for group in groups:
        for token in re.split(r"[\s、，,]+", group):
            if _NAME_TOKEN.match(token) and not re.fullmatch(_ROLE, token) and token not in names:
                names.append(token)
    return names

