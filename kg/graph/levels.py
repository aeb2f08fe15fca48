"""Administrative levels of place names, read from the word a name ends with."""

from __future__ import annotations

# Administrative level of a place by the word its name ends with: a place can lie only in a
# place of a lower number. 市 is prefecture- or county-level, so it sits between the two.
_LEVELS = {
    "自治区": 1, "省": 1,
    "地区": 2, "自治州": 2, "州": 2, "盟": 2,
    "市": 2.5,
    "自治县": 3, "县": 3, "区": 3, "旗": 3,
    "镇": 4, "乡": 4, "街道": 4,
    "村": 5, "社区": 5, "小区": 5,
}  # fmt: skip

# Zones end with 区 too but are not administrative divisions.
_ZONES = ("开发区", "保税区", "园区", "高新区", "合作区", "核心区", "示范区", "项目区", "试验区", "景区", "片区")


def admin_level(name: str) -> float | None:
    """The administrative level of a place name (1 region ... 5 village), None when its
    ending does not say (准东, 阿拉山口口岸, 准东开发区)."""
    if name.endswith(_ZONES):
        return None
    for word in sorted(_LEVELS, key=len, reverse=True):
        if name.endswith(word) and len(name) > len(word):
            return _LEVELS[word]
    return None
