"""NLP stage: a spaCy Chinese pipeline that tags PERSON, PLACE, ORG and PROJECT.

The names below that tag or evaluate import spaCy when first used, not with the package: a
build that tags nothing, and the spaCy-free modules here (the gazetteer, the model names),
never load it."""

from importlib import import_module

from kg.nlp.models import pipeline_fingerprint

_WHERE = {
    "annotate": "kg.nlp.annotation",
    "evaluate_bio": "kg.nlp.evaluate",
    "format_scores": "kg.nlp.evaluate",
    "load_pipeline": "kg.nlp.pipeline",
}

__all__ = ["annotate", "evaluate_bio", "format_scores", "load_pipeline", "pipeline_fingerprint"]


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'kg.nlp' has no attribute {name!r}")
