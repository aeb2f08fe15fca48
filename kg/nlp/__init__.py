"""NLP stage: a spaCy Chinese pipeline that tags PERSON, PLACE, ORG and PROJECT."""

from kg.nlp.annotate import annotate
from kg.nlp.evaluate import evaluate_bio, format_scores
from kg.nlp.pipeline import load_pipeline, pipeline_fingerprint

__all__ = ["annotate", "evaluate_bio", "format_scores", "load_pipeline", "pipeline_fingerprint"]
