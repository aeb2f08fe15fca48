"""Graph stage: canonical entities and their co-occurrence as a NetworkX graph."""

from kg.graph.build import build_graph

__all__ = ["build_graph"]
