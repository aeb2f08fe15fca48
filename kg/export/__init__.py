"""Export stage: graph files, the HTML viewer, Neo4j."""

from kg.export.files import atomic_write, write_jsonl

__all__ = ["atomic_write", "write_jsonl"]
