"""Where kg's pipeline spends its time: microseconds of CPU per character for each stage.

    .venv/bin/python benchmarks/ner_stages.py                 # the dev split of `kg train`
    .venv/bin/python benchmarks/ner_stages.py CORPUS.bio --model PATH --passes 5

Stages, in pipeline order: the tokenizer with its jieba word features, then each component.
Each pass runs every stage over the whole corpus in `nlp.pipe`'s batches, one thread; the best
pass of each stage is printed, as other load on the machine only ever adds time ("all" is the
sum of those bests).
"""

from __future__ import annotations

import argparse
import sys
import time

from ner import corpus_sentences  # first: it keeps numpy to one thread and puts kg on the path

BATCH = 256


def stage_times(nlp, texts: list[str]) -> dict[str, float]:
    """CPU seconds of each stage over `texts`, one pass."""
    times = {}
    started = time.process_time()
    docs = [nlp.make_doc(text) for text in texts]
    times["tokenizer"] = time.process_time() - started
    for name, component in nlp.pipeline:
        started = time.process_time()
        if hasattr(component, "pipe"):
            docs = list(component.pipe(docs, batch_size=BATCH))
        else:
            docs = [component(doc) for doc in docs]
        times[name] = time.process_time() - started
    return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", help="BIO file (default: the dev split `kg train` holds out)")
    parser.add_argument("--model", default="kg", help="what kg.nlp.load_pipeline takes (default: kg's own)")
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args(argv)

    import spacy

    from kg.nlp import load_pipeline

    texts = [text for text, _ in corpus_sentences(args.corpus)[1]]
    chars = sum(map(len, texts))
    nlp = load_pipeline(args.model)
    list(nlp.pipe(texts[:20]))  # warm-up: lazy loading is not speed
    passes = [stage_times(nlp, texts) for _ in range(args.passes)]
    print(f"{len(texts)} texts, {chars} characters; spaCy {spacy.__version__}, Python {sys.version.split()[0]}")
    print("stage               µs/char (best of {})".format(args.passes))
    best = {stage: min(p[stage] for p in passes) for stage in passes[0]}
    for stage, seconds in best.items():
        print(f"{stage:<20} {seconds / chars * 1e6:7.1f}")
    total = sum(best.values())
    print(f"{'all':<20} {total / chars * 1e6:7.1f}   ({chars / total:,.0f} chars/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
