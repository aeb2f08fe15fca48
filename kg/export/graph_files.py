"""The graph as files: node-link JSON (graph.json), GraphML and GEXF, and reading them back.

GraphML and GEXF hold only scalar attributes, so list and dict attributes (aliases, roles,
evidence, ...) are written as JSON strings and `read_graph` decodes them.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree.ElementTree import ParseError

import networkx as nx

from kg.errors import KgError
from kg.export.files import atomic_write


def write_node_link(graph: nx.MultiDiGraph, path) -> Path:
    """Write `graph` as node-link JSON: the text of `json.dump(networkx.node_link_data(graph,
    edges="edges"))`, a node or an edge at a time. `node_link_data` would copy the whole graph
    first, and `json.dump` encodes with Python's encoder, several times slower than the C one
    `json.dumps` uses (20 MB of news: 13 of a rebuild's 57 s under a profiler)."""
    path = Path(path)
    head = {"directed": graph.is_directed(), "multigraph": graph.is_multigraph(), "graph": graph.graph}
    with atomic_write(path) as handle:
        handle.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "nodes": [')
        _write_items(handle, ({**data, "id": node} for node, data in graph.nodes(data=True)))
        handle.write('], "edges": [')
        edges = graph.edges(keys=True, data=True)
        _write_items(handle, ({**data, "source": u, "target": v, "key": k} for u, v, k, data in edges))
        handle.write("]}")
    return path


def _write_items(handle, items) -> None:
    for number, item in enumerate(items):
        handle.write((", " if number else "") + json.dumps(item, ensure_ascii=False))


def write_graphml(graph: nx.MultiDiGraph, path) -> Path:
    """Write `graph` as GraphML, list and dict attributes JSON-encoded."""
    path = Path(path)
    with atomic_write(path, "wb") as handle:
        nx.write_graphml(_scalar_attributes(graph), handle)
    return path


def write_gexf(graph: nx.MultiDiGraph, path) -> Path:
    """Write `graph` as GEXF for Gephi, list and dict attributes JSON-encoded.

    GEXF shows a node's `label` as its caption, so there `label` is the node's name and the
    entity label (PERSON, PLACE, ...) is the attribute `entity_label`.
    """
    path = Path(path)
    scalar = _scalar_attributes(graph)
    for _, data in scalar.nodes(data=True):
        if "label" in data:
            data["entity_label"] = data["label"]
        data["label"] = data.get("name", "")
    with atomic_write(path, "wb") as handle:
        nx.write_gexf(scalar, handle)
    return path


def read_graph(path) -> nx.MultiDiGraph:
    """Read a graph written by kg: a directory holding graph.json, a graph.json, or a
    graph.graphml. Raises `KgError` naming the file when it is missing or malformed."""
    path = Path(path)
    if path.is_dir():
        path = path / "graph.json"
    try:
        if path.suffix == ".graphml":
            graph = nx.read_graphml(path, force_multigraph=True)
            for name in ("node_default", "edge_default"):
                graph.graph.pop(name, None)
            _decode_json_attributes(graph)
        else:
            with open(path, encoding="utf-8") as handle:
                graph = nx.node_link_graph(json.load(handle), edges="edges")
    except FileNotFoundError:
        raise KgError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, ParseError, nx.NetworkXError) as error:
        raise KgError(f"{path}: not a kg graph file ({error})") from None
    if not graph.is_multigraph() or not graph.is_directed():
        raise KgError(f"{path}: not a kg graph file (expected a directed multigraph)")
    # node_link_graph takes the node key from "id" and does not keep it as an attribute.
    for node, data in graph.nodes(data=True):
        data["id"] = node
    return graph


def _scalar_attributes(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of `graph` whose list and dict attributes are JSON strings."""

    def encode(data: dict) -> dict:
        return {
            name: json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value
            for name, value in data.items()
        }

    scalar = nx.MultiDiGraph(**encode(graph.graph))
    scalar.add_nodes_from((node, encode(data)) for node, data in graph.nodes(data=True))
    scalar.add_edges_from((u, v, key, encode(data)) for u, v, key, data in graph.edges(keys=True, data=True))
    return scalar


def _decode_json_attributes(graph: nx.MultiDiGraph) -> None:
    """Decode, in place, the string attributes that hold a JSON list or dict."""

    def decode(data: dict) -> None:
        for name, value in data.items():
            if isinstance(value, str) and value[:1] in ("[", "{"):
                try:
                    decoded = json.loads(value)
                except ValueError:
                    continue
                if isinstance(decoded, (list, dict)):
                    data[name] = decoded

    decode(graph.graph)
    for _, data in graph.nodes(data=True):
        decode(data)
    for _, _, data in graph.edges(data=True):
        decode(data)
