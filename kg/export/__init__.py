"""Export stage: graph files, the HTML viewer, Neo4j."""

from __future__ import annotations

from pathlib import Path

from kg.export.files import atomic_write, write_aliases, write_jsonl
from kg.export.graph_files import read_graph
from kg.export.viewer import write_viewer

__all__ = ["atomic_write", "read_graph", "write_aliases", "write_graph", "write_jsonl", "write_viewer"]


def write_graph(graph, out_dir, formats) -> list[Path]:
    """Write `graph` into `out_dir` in each of `formats`; returns the paths written."""
    from kg.export import cypher, graph_files

    writers = {
        "json": lambda d: [graph_files.write_node_link(graph, d / "graph.json")],
        "graphml": lambda d: [graph_files.write_graphml(graph, d / "graph.graphml")],
        "gexf": lambda d: [graph_files.write_gexf(graph, d / "graph.gexf")],
        "cypher": lambda d: [cypher.write_cypher_script(graph, d / "graph.cypher")],
        "neo4j-admin": lambda d: cypher.write_neo4j_admin(graph, d / "neo4j-admin"),
    }
    out_dir = Path(out_dir)
    written: list[Path] = []
    for name in dict.fromkeys(formats):
        written.extend(writers[name](out_dir))
    return written
