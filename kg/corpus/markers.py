"""The printed markers of a news page: datelines, bylines, photo credits, closing notes.

Both the layout repair (a marker starts a new paragraph) and the article splitter (a marker
starts or ends an article) read them, so they live here once.
"""

from __future__ import annotations

import re

from kg.document import Credit

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

_ROLE_WORD = re.compile(f"({_ROLE})")
# The names right after a role word, up to what ends the credit: 记者 王娜 | 通讯员王梦君、石倩报道.
_CREDITED = re.compile(rf"[\s：:]*({_NAMES})(?=[\s、，,]*(?:报道|摄|[）)]|$))")
# Who the first credited writes for, printed right before the role word: 石榴云/新疆日报记者.
_PUBLISHER = re.compile(r"(?:^|[（(□\s])([\u4e00-\u9fff/]{2,12})$")
# 据《新疆日报》报道（记者 王亚芸): the paper reported it, so its reporter writes for it.
_REPORTED_BY = re.compile(r"^据《([^》]{1,20})》报道")
_PHOTO = "摄影"


def starts_article(text: str) -> bool:
    """Whether `text` opens with a dateline, a continuation note or a byline."""
    return bool(DATELINE.match(text) or BYLINE.match(text))


def byline_names(text: str) -> list[str]:
    """The personal names credited by a byline, photo credit or dateline, in order."""
    return list(dict.fromkeys(credit.name for credit in byline_credits(text)))


def byline_credits(text: str) -> list[Credit]:
    """The names a byline, photo credit or dateline credits, each with its role word (摄影 for
    a photo credit) and, for the first role, the publications printed before it."""
    if not BYLINE.match(text):
        # Only the dateline's own credit: up to its closing bracket, or its first words.
        opening = re.match(r"^[^（(]{0,30}[（(][^）)]*[）)]", text)
        text = opening.group() if opening else text[:40]
    photo = bool(PHOTO_CREDIT.match(text))
    if photo:
        text = re.sub(r"\s*摄$", "", text)
    parts = _ROLE_WORD.split(text)  # [before, role, names, role, names, ...]
    if len(parts) == 1:
        if not photo:
            return []
        parts = ["", _PHOTO, re.sub(r"^□?\s*", "", text)]  # □王梦君摄: a photo credit without a role word
    reported = _REPORTED_BY.match(parts[0])
    printed = _PUBLISHER.search(parts[0])
    first = printed.group(1).removeprefix("本报").split("/") if printed else [reported.group(1)] if reported else []
    credits: list[Credit] = []
    for k in range(1, len(parts), 2):
        names = _CREDITED.match(parts[k + 1])
        if names is None:
            continue
        publications = tuple(p for p in first if p) if k == 1 else ()
        for token in re.split(r"[\s、，,]+", names.group(1)):
            if _NAME_TOKEN.match(token) and all(c.name != token for c in credits):
                credits.append(Credit(token, _PHOTO if photo else parts[k], publications))
    return credits
