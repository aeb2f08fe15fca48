"""Traditional Chinese read as Simplified: the page markers, the rules, the gazetteer and the
model all know Simplified only.

OpenCC's t2s maps each phrase and character to one of the same length, so a converted text's
offsets are the original's. The corpus stage and the pipeline read the Simplified form, while
Article.text, mention offsets and evidence keep the script as printed.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np

from kg.corpus.articles import split_articles
from kg.corpus.layout import repair_page
from kg.document import Article
from kg.errors import KgError

SCRIPTS = ("auto", "simplified", "traditional")

# t2s changes a few in ten thousand of a Simplified page's Han characters (an OCR'd 峽) and
# about a third of a Traditional page's (the seed pages through s2t): a text is Traditional
# when it changes more than this share.
TRADITIONAL_SHARE = 0.1

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def check_script(script: str) -> str:
    if script not in SCRIPTS:
        raise KgError(f"script must be one of {', '.join(SCRIPTS)}, not {script!r}")
    return script


def simplified_view(text: str, script: str = "auto") -> str:
    """`text` as kg's pipeline reads it: converted to Simplified when it is Traditional
    ("auto": when t2s changes more than TRADITIONAL_SHARE of its Han characters), else
    `text` itself, so that Simplified text goes through untouched."""
    if check_script(script) == "simplified":
        return text
    converted = _convert(text, "t2s")
    if script == "traditional":
        return converted
    if converted == text:
        return text
    # Compared as arrays of code points: a Python loop over the characters costs ten times
    # the conversion itself (0.8 against 0.07 ms on a seed page)
    before, after = _code_points(text), _code_points(converted)
    han = ((before >= 0x3400) & (before <= 0x9FFF)) | ((before >= 0x20000) & (before <= 0x3134F))
    return converted if np.count_nonzero(before != after) > TRADITIONAL_SHARE * np.count_nonzero(han) else text


def split_page(raw: str, source: str, script: str = "auto") -> list[Article]:
    """The articles of the page `raw`, found in its Simplified view (the markers that split a
    page, 本报讯 or 记者, are Simplified) but printed in its own script."""
    view = simplified_view(raw, script)
    repaired, origins = repair_page(view)
    articles = split_articles(repaired, origins, source)
    if view is not raw:
        _restore_script(articles, raw, view)
    return articles


def to_traditional(text: str) -> str:
    """`text` in Traditional characters (OpenCC's s2t)."""
    return _convert(text, "s2t")


def _restore_script(articles: list[Article], raw: str, view: str) -> None:
    """Put back the printed script into `articles`, split from `view`, the Simplified view of
    `raw`: each character of their text that came from `view` (by its origin) becomes the
    character of `raw` there; the title and byline names follow the text."""
    raw_lines, view_lines = _LINE_BREAK.split(raw), _LINE_BREAK.split(view)
    for article in articles:
        chars = list(article.text)
        for i, (line, column) in enumerate(article.origins):
            if view_lines[line - 1][column - 1 : column] == chars[i]:
                chars[i] = raw_lines[line - 1][column - 1]
        printed = "".join(chars)
        if article.title is not None:
            article.title = printed[: len(article.title)]
        article.byline = [_at(printed, article.text, name) for name in article.byline]
        article.text = printed


def _at(printed: str, view: str, name: str) -> str:
    """The printed form of `name`, found in `view`, the Simplified form of `printed`."""
    start = view.find(name)
    return printed[start : start + len(name)] if start >= 0 else name


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


@cache
def _converter(config: str):
    import opencc

    return opencc.OpenCC(f"{config}.json")


def _convert(text: str, config: str) -> str:
    converted = _converter(config).convert(text)
    # Every entry of OpenCC's t2s and s2t dictionaries keeps its length; one that did not
    # would shift every offset after it.
    if len(converted) != len(text):
        raise KgError(f"OpenCC's {config} changed the length of a text; kg needs a version whose dictionaries keep it")
    return converted
