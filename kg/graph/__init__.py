"""Graph stage: canonical entities and their co-occurrence as a NetworkX graph."""

from kg.graph.build import GraphBuilder, build_graph

__all__ = ["GraphBuilder", "build_graph"]
