"""Character-level normalisation shared by the corpus reader and NER training data."""

from __future__ import annotations

# Full-width digits and Latin letters (０-９, Ａ-Ｚ, ａ-ｚ) to ASCII. Chinese punctuation,
# including full-width forms such as ，（）：, is kept: the NER and the sentence
# splitter read it.
_FULLWIDTH_ALNUM = {
    code: code - 0xFEE0
    for start, end in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
    for code in range(start, end + 1)
}


def normalize_width(text: str) -> str:
    """Full-width digits and Latin letters to half-width; same length as `text`."""
    return text.translate(_FULLWIDTH_ALNUM)
