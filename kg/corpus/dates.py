"""The date of an article, from what its input states; never guessed.

The sources, first found wins (docs/schema.md, "Dates"):
1. a JSONL record's `date` (ISO 8601, 2024-07-23 or 2024-07-23T08:00, or 2024年7月23日);
2. a date in the file's path (2024-07-24, 20240724, 2024/07/24, 2024年7月24日; the last one in
   the path, the file's name before its folders);
3. a full date in the article's dateline or closing note (…2024年7月23日电, （新华社北京2024年7月23日电）);
4. a dateline's month and day without a year (新疆日报阿图什7月23日讯) with the year of the date the
   input is known by (`kg build --date`), the year that puts it nearest that date; left empty when
   there is none;
5. `kg build --date`, for an article that has none of the above.
Sources 1-3 are read with the file (so the per-file cache keeps them); 4-5 depend on the command
line and are applied to each article as it is consumed (`assign_default`), never cached.
"""

from __future__ import annotations

import argparse
import re
from datetime import date

from kg.document import Article

# A dateline: a place, the month and day (and maybe the year), then 讯 (report) or 电 (cable),
# in either script: `assign_default` reads an article's printed text, which may be Traditional.
_DATELINE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日[讯电訊電]")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z]*)?$")
_CHINESE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
# Dates a path may hold; digits on either side mean a longer number, not a date.
_PATH_DATE = re.compile(
    r"(?<!\d)(\d{4})(?:[-/](\d{1,2})[-/](\d{1,2})|(\d{2})(\d{2})|年(\d{1,2})月(\d{1,2})日)(?!\d)"
)
# How far into an article a dateline may stand: its title, a byline, then the dateline.
_DATELINE_LINES = 3


def parse_date(value: str) -> str | None:
    """The ISO date (YYYY-MM-DD) `value` states as ISO 8601 or as 2024年7月23日; None otherwise."""
    value = value.strip()
    match = _ISO.match(value) or _CHINESE.match(value)
    return _iso(*match.groups()[:3]) if match else None


def path_date(path: str) -> str | None:
    """The date the path of a file states (the last one in it), or None."""
    found = None
    for match in _PATH_DATE.finditer(path):
        year, *parts = match.groups()
        month, day = next((m, d) for m, d in zip(parts[::2], parts[1::2]) if m is not None)
        found = _iso(year, month, day) or found
    return found


def printed_date(text: str) -> tuple[str | None, tuple[int, int] | None]:
    """(full ISO date, None) of an article's dateline or closing note that prints its year, or
    (None, (month, day)) of one that prints none, or (None, None). `text` is `Article.text`."""
    lines = text.split("\n")
    for line in [*lines[:_DATELINE_LINES], lines[-1]]:
        match = _DATELINE.search(line)
        if match is None:
            continue
        year, month, day = match.groups()
        if year is not None:
            return _iso(year, month, day), None
        if _iso("2000", month, day):  # a leap year, so that 2月29日 is a day
            return None, (int(month), int(day))
    return None, None


def assign_default(article: Article, default: str | None) -> None:
    """Date an article its input left undated from `default` (`kg build --date`): its dateline's
    month and day in the year nearest `default`, or `default` itself."""
    if article.date is not None or default is None:
        return
    _, month_day = printed_date(article.text)
    article.date = nearest(month_day, date.fromisoformat(default)) if month_day else default


def nearest(month_day: tuple[int, int], known: date) -> str:
    """The date of `month_day` nearest to `known`: 12月31日 near 2025-01-02 is 2024-12-31."""
    month, day = month_day
    candidates = [_iso(str(year), str(month), str(day)) for year in (known.year - 1, known.year, known.year + 1)]
    return min(filter(None, candidates), key=lambda iso: abs(date.fromisoformat(iso) - known))


def in_range(day: str | None, since: str | None, until: str | None) -> bool:
    """Whether an article of date `day` is kept by `kg build --since/--until` (both inclusive);
    an undated one is not when either is given, as nothing says it falls in the range."""
    if since is None and until is None:
        return True
    return day is not None and (since is None or day >= since) and (until is None or day <= until)


def date_argument(value: str) -> str:
    """A date given on the command line, as ISO (an argparse `type`)."""
    parsed = parse_date(value)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)")
    return parsed


def _iso(year: str, month: str, day: str) -> str | None:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None
