"""kg evaluate: BIO reading and exact-span P/R/F1, checked against counts worked out by hand."""

from __future__ import annotations

import pytest
import spacy

from kg.errors import KgError
from kg.nlp.evaluate import evaluate_bio, format_scores, read_bio

# 王小明在北京大学工作。 gold: PERSON 王小明 (0-3), ORG 北京大学 (4-8)
# 上海市和Ｎ城 gold: PLACE 上海市 (0-3), PLACE N城 (4-6, full-width Ｎ read as N)
BIO = """王 B-PER
小 I-PER
明 I-PER
在 O
北 B-ORG
京 I-ORG
大 I-ORG
学 I-ORG
工 O
作 O
。 O

上 B-LOC
海 I-LOC
市 I-LOC
和 O
Ｎ B-GPE
城 I-GPE
"""


@pytest.fixture()
def bio_file(tmp_path):
    path = tmp_path / "tiny.bio"
    path.write_text(BIO, encoding="utf-8")
    return path


def ruler_nlp(patterns):
    nlp = spacy.blank("zh")  # character segmentation: offsets are characters
    nlp.add_pipe("entity_ruler").add_patterns(patterns)
    return nlp


def test_read_bio_maps_labels_and_normalises_width(bio_file):
    assert read_bio(bio_file) == [
        ("王小明在北京大学工作。", [(0, 3, "PERSON"), (4, 8, "ORG")]),
        ("上海市和N城", [(0, 3, "PLACE"), (4, 6, "PLACE")]),
    ]


def test_scores_match_hand_counts(bio_file):
    # Predicted: 王小明 PERSON (right), 北京 PLACE (wrong: gold is ORG 北京大学),
    # 上海市 PLACE (right), 工作 PROJECT (not scored). N城 is missed.
    nlp = ruler_nlp(
        [
            {"label": "PERSON", "pattern": "王小明"},
            {"label": "PLACE", "pattern": "北京"},
            {"label": "PLACE", "pattern": "上海市"},
            {"label": "PROJECT", "pattern": "工作"},
        ]
    )
    scores = evaluate_bio(bio_file, nlp)
    # PERSON: tp 1 fp 0 fn 0. ORG: tp 0 fn 1. PLACE: tp 1, fp 1 (北京), fn 1 (N城).
    assert scores["PERSON"] == {"p": 1.0, "r": 1.0, "f": 1.0, "tp": 1, "fp": 0, "fn": 0}
    assert scores["ORG"] == {"p": 0.0, "r": 0.0, "f": 0.0, "tp": 0, "fp": 0, "fn": 1}
    assert scores["PLACE"] == {"p": 0.5, "r": 0.5, "f": 0.5, "tp": 1, "fp": 1, "fn": 1}
    # micro: tp 2, fp 1, fn 2 -> P 2/3, R 1/2, F1 4/7
    overall = scores["overall"]
    assert (overall["tp"], overall["fp"], overall["fn"]) == (2, 1, 2)
    assert overall["p"] == pytest.approx(2 / 3)
    assert overall["r"] == pytest.approx(1 / 2)
    assert overall["f"] == pytest.approx(4 / 7)
    table = format_scores(scores)
    assert table.splitlines()[0].split() == ["label", "P", "R", "F1", "gold"]
    assert table.splitlines()[-1].split() == ["overall", "0.667", "0.500", "0.571", "4"]


def test_weibo_format_keeps_named_mentions_only(corpora_dir):
    path = corpora_dir / "weibo_ner.dev.conll"
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    sentences = read_bio(path)
    # The segment index after each character ("口0") is dropped.
    assert sentences[0][0].startswith("口腔溃疡")
    assert sum(len(text) for text, _ in sentences) == sum(len(row[0].rstrip("0123456789") or row[0][0]) for row in rows)
    named = sum(1 for _, tag in rows if tag.startswith("B-") and tag.endswith(".NAM"))
    assert 0 < named < sum(1 for _, tag in rows if tag.startswith("B-"))
    assert sum(len(spans) for _, spans in sentences) == named
    assert {label for _, spans in sentences for *_, label in spans} == {"PERSON", "PLACE", "ORG"}


@pytest.mark.parametrize(
    "content, message",
    [("王 B-PER extra\n", "tiny.bio:1: expected 'TOKEN TAG'"), ("王 X-PER\n", "tiny.bio:1: bad BIO tag 'X-PER'")],
)
def test_bad_input_names_file_and_line(tmp_path, content, message):
    path = tmp_path / "tiny.bio"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(KgError, match=message):
        read_bio(path)


def test_missing_file_is_a_kg_error(tmp_path):
    with pytest.raises(KgError, match="nope.bio"):
        read_bio(tmp_path / "nope.bio")
