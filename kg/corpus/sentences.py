"""Split cleaned text into sentences."""

from __future__ import annotations

import re

# A sentence ends at 。！？ (or their ASCII forms) or an ellipsis, together with the closing
# quotes and brackets that follow it: in “…先行。”地区… the sentence closes after ”.
# A paragraph break always ends one: headlines and bylines carry no final punctuation.
_SENTENCE = re.compile(r"[^\n]*?(?:(?:[。！？!?]+|…{2,}|\.{3,})[”’」』）)》]*|(?=\n)|$)")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`, surrounding whitespace left out."""
    spans = []
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans
