"""kg's graph in Neo4j terms: labels, relationship types, property values, MERGE statements,
and the two file exports built on them (a Cypher script, CSV for `neo4j-admin database import`).

Labels and relationship types only ever come from the fixed tables below, never from data.
"""

from __future__ import annotations

import csv
import json
import math
import shlex
import sys
from pathlib import Path

from kg.errors import KgError
from kg.export.files import atomic_write

ENTITY_LABELS = {"PERSON": "Person", "PLACE": "Place", "ORG": "Organization", "PROJECT": "Project"}
# type -> (label of the start node, label of the end node), as in docs/schema.md
RELATIONSHIPS = {
    "CO_OCCURS_WITH": ("Entity", "Entity"),
    "MENTIONS": ("Article", "Entity"),
    "HOLDS_ROLE": ("Entity", "Entity"),
    "LOCATED_IN": ("Entity", "Entity"),
    "WROTE": ("Entity", "Article"),
    "VISITED": ("Entity", "Entity"),
    "AIDS": ("Entity", "Entity"),
}
# Every node kg writes carries this label too, so that `--wipe` can delete kg's nodes and nothing else.
MARK = "KgNode"

# Neo4j 5 only; other Bolt servers (FalkorDB) reject them, and get PLAIN_INDEXES instead.
NEO4J_SCHEMA = [
    "CREATE CONSTRAINT kg_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT kg_article_id IF NOT EXISTS FOR (n:Article) REQUIRE n.id IS UNIQUE",
    # The cjk analyzer splits Chinese into bigrams, so a search for 山口 finds 阿拉山口市.
    "CREATE FULLTEXT INDEX kg_entity_names IF NOT EXISTS FOR (n:Entity) ON EACH [n.name, n.aliases]"
    " OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}",
]
# Properties holding an ISO date (docs/schema.md), stored in Neo4j as `date` values so that
# `WHERE a.date >= date('2024-01-01')` works; an empty one (an undated article) is left out.
DATE_PROPERTIES = ("date", "first_seen", "last_seen")
PLAIN_INDEXES = {"Entity": "CREATE INDEX FOR (n:Entity) ON (n.id)", "Article": "CREATE INDEX FOR (n:Article) ON (n.id)"}


def node_label(node_id, data) -> tuple[str, str | None]:
    """(base label, specific label) of a graph node: ("Entity", "Person") or ("Article", None)."""
    if data.get("kind") == "article":
        return "Article", None
    label = data.get("label")
    if label not in ENTITY_LABELS:
        raise KgError(f"node {node_id!r} has label {label!r}; expected one of {', '.join(ENTITY_LABELS)}")
    return "Entity", ENTITY_LABELS[label]


def property_value(value):
    """A value every Bolt server stores: scalars and lists of strings or numbers as they are,
    anything else (dicts, lists of dicts such as roles and evidence) as a JSON string; None is dropped."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)) and _homogeneous(value):
        return list(value)
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    except TypeError:
        raise KgError(f"cannot export {value!r}: it is not text, a number or a JSON value") from None


def _homogeneous(values) -> bool:
    if all(isinstance(v, str) for v in values):
        return True
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def properties(data: dict) -> dict:
    converted = {key: property_value(value) for key, value in data.items()}
    return {key: value for key, value in converted.items() if value is not None and (value or key not in DATE_PROPERTIES)}


def node_groups(graph) -> dict[tuple[str, str | None], list[dict]]:
    """Rows {"id", "props"} grouped by (base label, specific label), articles first."""
    groups: dict[tuple[str, str | None], list[dict]] = {}
    for node_id, data in graph.nodes(data=True):
        labels = node_label(node_id, data)
        # MERGE sets `id`; SET += never removes it, so props need not carry it again.
        props = {key: value for key, value in properties(data).items() if key != "id"}
        groups.setdefault(labels, []).append({"id": node_id, "props": props})
    return dict(sorted(groups.items(), key=lambda item: (item[0][0], item[0][1] or "")))


def relationship_groups(graph) -> dict[str, list[dict]]:
    """Rows {"source", "target", "props"} grouped by relationship type (the edge key)."""
    groups: dict[str, list[dict]] = {}
    for source, target, key, data in graph.edges(keys=True, data=True):
        if key not in RELATIONSHIPS:
            raise KgError(f"edge {source!r} -> {target!r} has type {key!r}; expected one of {', '.join(RELATIONSHIPS)}")
        groups.setdefault(key, []).append({"source": source, "target": target, "props": properties(data)})
    return groups


def node_query(labels: tuple[str, str | None], rows: str, dates: bool = True) -> str:
    """MERGE one node per row of `rows` (a parameter such as $rows, or a literal list); returns the count.
    With `dates`, the ISO strings of DATE_PROPERTIES become `date` values."""
    base, specific = labels
    extra = f":{specific}" if specific else ""
    return (
        f"UNWIND {rows} AS row MERGE (n:{base} {{id: row.id}}) SET n += row.props, n:{MARK}{extra} "
        f"{_to_dates('n') if dates else ''}RETURN count(n) AS merged"
    )


def relationship_query(rel_type: str, rows: str, dates: bool = True) -> str:
    """MERGE one relationship per row; returns how many rows found both their nodes. `dates` as for nodes."""
    start, end = RELATIONSHIPS[rel_type]
    return (
        f"UNWIND {rows} AS row MATCH (a:{start} {{id: row.source}}) MATCH (b:{end} {{id: row.target}}) "
        f"MERGE (a)-[r:{rel_type}]->(b) SET r += row.props {_to_dates('r') if dates else ''}RETURN count(r) AS merged"
    )


def _to_dates(variable: str) -> str:
    """SET clauses making the date properties of `variable` dates. They read the property, not the row,
    since a big row may arrive in parts (neo4j._Writer._fit): toString() takes a string or a date
    (FalkorDB's date() takes no date), and null stays null, which SET leaves absent."""
    return "SET " + ", ".join(f"{variable}.{name} = date(toString({variable}.{name}))" for name in DATE_PROPERTIES) + " "


# ---- Cypher script -------------------------------------------------------------------------------------

_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def literal(value) -> str:
    """`value` as a Cypher literal; strings single-quoted and escaped so they cannot end the literal."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "(0.0/0.0)"
        if math.isinf(value):
            return "(1.0/0.0)" if value > 0 else "(-1.0/0.0)"
        return repr(value)
    if isinstance(value, str):
        # Control characters escaped keep each statement on one line ("\n" ends it, for cypher-shell too).
        return "'" + "".join(_ESCAPES.get(c) or (f"\\u{ord(c):04x}" if ord(c) < 32 else c) for c in value) + "'"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"`{str(k).replace('`', '``')}`: {literal(v)}" for k, v in value.items()) + "}"
    raise KgError(f"cannot write a {type(value).__name__} as a Cypher value: {value!r}")


def _statements(query, groups, max_statement_bytes: int):
    for group, rows in groups.items():
        chunk: list[str] = []
        size = 0
        for row in rows:
            text = literal(row)
            if chunk and size + len(text.encode()) > max_statement_bytes:
                yield query(group, "[" + ", ".join(chunk) + "]")
                chunk, size = [], 0
            chunk.append(text)
            size += len(text.encode()) + 2
        if chunk:
            yield query(group, "[" + ", ".join(chunk) + "]")


def write_cypher_script(graph, path, *, max_statement_bytes: int = 64_000) -> Path:
    """A script for cypher-shell or Neo4j Browser: one statement a line, each ending with ';'.
    Re-running it changes nothing (MERGE on ids)."""
    with atomic_write(path) as out:
        out.write(f"// kg graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} relationships.\n")
        out.write("// cypher-shell -u neo4j -p PASSWORD -f graph.cypher   (Neo4j 5; the schema lines need Neo4j)\n")
        for statement in NEO4J_SCHEMA:
            out.write(statement + ";\n")
        for statement in _statements(node_query, node_groups(graph), max_statement_bytes):
            out.write(statement + ";\n")
        for statement in _statements(relationship_query, relationship_groups(graph), max_statement_bytes):
            out.write(statement + ";\n")
    return Path(path)


# ---- neo4j-admin CSV -----------------------------------------------------------------------------------

ARRAY_DELIMITER = ";"


def _column_type(key: str, values) -> str:
    """neo4j-admin's type for a column, from its name and every value it holds."""
    if key in DATE_PROPERTIES and all(isinstance(v, str) for v in values):
        return "date"
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "long"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "double"
    if all(isinstance(v, list) for v in values):
        items = [item for v in values for item in v]
        if any(ARRAY_DELIMITER in str(item) for item in items):
            return "string"  # the array would split wrongly; _cell writes it as JSON instead
        if all(isinstance(i, int) and not isinstance(i, bool) for i in items) and items:
            return "long[]"
        if all(isinstance(i, (int, float)) and not isinstance(i, bool) for i in items) and items:
            return "double[]"
        return "string[]"
    return "string"


def _cell(value, column_type: str) -> str:
    if value is None:
        return ""
    if column_type.endswith("[]"):
        return ARRAY_DELIMITER.join(map(str, value))
    if column_type == "string" and not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if column_type == "boolean":
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def _write_csv(path: Path, fixed_header: list[str], records: list[tuple[list[str], dict]]) -> Path:
    """`records` are (fixed cells, properties): the fixed columns, then one typed column per property key."""
    keys = sorted({key for _, props in records for key in props})
    types = {key: _column_type(key, [props[key] for _, props in records if key in props]) for key in keys}
    with atomic_write(path) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(fixed_header + [f"{key}:{types[key]}" for key in keys])
        for fixed, props in records:
            writer.writerow(fixed + [_cell(props.get(key), types[key]) for key in keys])
    return path


def write_neo4j_admin(graph, out_dir) -> list[Path]:
    """CSV files for `neo4j-admin database import full`, and import.sh holding that command."""
    out_dir = Path(out_dir)
    nodes: dict[str, list] = {}
    for (base, specific), rows in node_groups(graph).items():
        label_cell = ";".join(filter(None, [base, MARK, specific]))
        # The id:ID column is stored as the `id` property already.
        nodes.setdefault(base, []).extend(([row["id"], label_cell], row["props"]) for row in rows)
    written = [
        _write_csv(out_dir / f"{base.lower()}_nodes.csv", ["id:ID", ":LABEL"], records)
        for base, records in nodes.items()
    ]
    node_files = [path.name for path in written]
    for rel_type, rows in relationship_groups(graph).items():
        records = [([row["source"], row["target"], rel_type], row["props"]) for row in rows]
        path = out_dir / f"{rel_type.lower()}_relationships.csv"
        written.append(_write_csv(path, [":START_ID", ":END_ID", ":TYPE"], records))
    rel_files = [path.name for path in written[len(node_files) :]]
    command = import_command(node_files, rel_files)
    script = out_dir / "import.sh"
    with atomic_write(script) as handle:
        handle.write("#!/bin/sh\n# Stop Neo4j first: this replaces the whole database named at the end.\n")
        handle.write('cd "$(dirname "$0")" || exit 1\n' + command + "\n")
    script.chmod(0o755)
    print(f"kg export: import with: (cd {out_dir} && {command})", file=sys.stderr)
    return [*written, script]


def import_command(node_files: list[str], relationship_files: list[str], database: str = "neo4j") -> str:
    options = [
        f"--array-delimiter={ARRAY_DELIMITER}",
        "--multiline-fields=true",  # evidence sentences and names may hold newlines
        "--overwrite-destination=true",
    ]
    files = [f"--nodes={name}" for name in node_files] + [f"--relationships={name}" for name in relationship_files]
    return shlex.join(["neo4j-admin", "database", "import", "full", *options, *files, database])
