"""Load a spaCy pipeline and put kg's rule components around its `ner`."""

from __future__ import annotations

import ctypes
import platform
import sys
from contextlib import nullcontext
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.util import load_config
from thinc.api import NumpyOps, get_current_ops, use_ops

from kg.errors import KgError
from kg.nlp.models import KG_MODEL, ONTONOTES_MODELS, installed_ontonotes_model, is_package

HERE = Path(__file__).resolve().parent
COMPONENTS = HERE / "data" / "components.cfg"
# glibc's mallopt(3) parameters -> values: arrays below 32 MB come from the heap, and up to
# 256 MB of freed heap is kept (docs/ner.md, "Speed")
MALLOC_SETTINGS = {-3: 32 << 20, -1: 256 << 20, -2: 64 << 20}  # M_MMAP_THRESHOLD, M_TRIM_THRESHOLD, M_TOP_PAD


def load_pipeline(model: str = "auto") -> Language:
    """A Chinese pipeline whose doc.ents carry only PERSON, PLACE, ORG and PROJECT.

    `model` is "auto" (an installed zh_core_web_* model, else kg's own at
    kg/nlp/models/kg_zh_news, else a blank Chinese pipeline with kg's rules alone),
    "kg" (kg's own, required), an installed package name, or a path to a spaCy pipeline.
    """
    # numpy's own BLAS multiplied the tok2vec's matrices 2.8 times faster than thinc's default
    # blis on the machine docs/ner.md's figures come from; a GPU's ops are left alone.
    on_cpu = type(get_current_ops()) is NumpyOps
    with use_ops("numpy", use_blis=False) if on_cpu else nullcontext():
        nlp = _load(model)
    _add_components(nlp)
    if on_cpu:
        keep_freed_memory()
    return nlp


def keep_freed_memory() -> None:
    """Have glibc keep the memory of the tok2vec's large arrays for the next batch. By default it
    maps them afresh from the kernel and hands them back, until its thresholds adapt, and the
    page faults made the ner's first pass over a text about a fifth slower than the next."""
    if platform.libc_ver()[0] != "glibc":
        return  # these are glibc's parameters; other C libraries manage memory their own way
    mallopt = ctypes.CDLL(None).mallopt
    for parameter, value in MALLOC_SETTINGS.items():
        mallopt(parameter, value)


def release_memory() -> None:
    """Hand the heap freed since back to the kernel: what `keep_freed_memory` has glibc keep
    for the ner's next batch is of no use once tagging is over."""
    if platform.libc_ver()[0] == "glibc":
        ctypes.CDLL(None).malloc_trim(0)


def _load(model: str) -> Language:
    _register_kg_code()
    if model == "auto":
        name = installed_ontonotes_model()
        if name:
            return spacy.load(name)
        if KG_MODEL.is_dir():
            return _load_path(KG_MODEL)
        print(f"kg: warning: no statistical NER model (none of {', '.join(ONTONOTES_MODELS)} "
              f"installed, and {KG_MODEL} missing); tagging with kg's rules alone", file=sys.stderr)
        return spacy.blank("zh")
    if model == "kg":
        if not KG_MODEL.is_dir():
            raise KgError(f"kg's NER model is missing: {KG_MODEL} (train it with `kg train`)")
        return _load_path(KG_MODEL)
    if is_package(model):
        return spacy.load(model)
    return _load_path(Path(model))


def _load_path(path: Path) -> Language:
    if not (path / "config.cfg").is_file():
        raise KgError(f"not a spaCy pipeline folder (no config.cfg): {path}")
    try:
        return spacy.load(path)
    except (OSError, ValueError, KeyError) as error:
        raise KgError(f"cannot load the spaCy pipeline at {path}: {str(error).splitlines()[0]}") from error


def _register_kg_code() -> None:
    """kg's own pipeline names functions (its tokenizer) that its modules register on import."""
    import kg.nlp.components  # noqa: F401  (the rule factories)
    import kg.nlp.features  # noqa: F401  (kg.CharTokenizer.v1)


def _add_components(nlp: Language) -> None:
    config = load_config(COMPONENTS, interpolate=True)
    has_ner = "ner" in nlp.pipe_names
    for name in config["pipeline"]["before_ner"]:
        _add(nlp, config, name, {"before": "ner"} if has_ner else {})
    for name in config["pipeline"]["after_ner"]:
        _add(nlp, config, name, {})


def _add(nlp: Language, config, name: str, where: dict) -> None:
    settings = dict(config["components"][name])
    factory = settings.pop("factory")
    nlp.add_pipe(factory, name=name, config=settings, **where)
