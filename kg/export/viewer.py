"""graph.html: one self-contained page to explore the graph in a browser, offline.

pyvis builds the network (nodes, edges, vis-network options); the page itself is our own
template (viewer_assets/) because pyvis's templates link Bootstrap and tom-select from CDNs.
vis-network's JavaScript and CSS are inlined from the copy pyvis ships, so the file needs
nothing but itself.
"""

from __future__ import annotations

import heapq
import json
import math
from collections import Counter, defaultdict
from pathlib import Path

import jinja2
import pyvis
from pyvis.network import Network

from kg.corpus.script import simplified_view, to_traditional
from kg.errors import KgError
from kg.export.files import atomic_write

# Colour-blind-safe hues (Okabe-Ito) and a distinct shape per label, so the legend reads
# even in greyscale.
LABEL_STYLE = {
    "PERSON": {"color": "#D55E00", "shape": "dot", "name": "人物"},
    "PLACE": {"color": "#0072B2", "shape": "triangle", "name": "地点"},
    "ORG": {"color": "#009E73", "shape": "diamond", "name": "机构"},
    "PROJECT": {"color": "#CC79A7", "shape": "star", "name": "项目"},
}
_OTHER_STYLE = {"color": "#777777", "shape": "square", "name": "其他"}
# Relations the text states: drawn with an arrow, not weighted, each in its own style, which
# the legend shows (and filters by). Okabe-Ito hues again, apart from the labels'.
RELATION_STYLE = {
    "HOLDS_ROLE": {"color": "#8a8a8a", "dashes": True, "name": "holds role"},
    "LOCATED_IN": {"color": "#8a8a8a", "dashes": [2, 4], "name": "located in"},
    "VISITED": {"color": "#E69F00", "dashes": False, "name": "visited"},
    "AIDS": {"color": "#56B4E9", "dashes": False, "name": "aids"},
}
_COOCCURS = "CO_OCCURS_WITH"
_TOP_ARTICLES = 3
# Evidence is most of a page's bytes (the graph keeps up to 3 sentences an edge): a tooltip
# shows the first 2, each cut to the 100 characters around the pair's names.
_EVIDENCE_PER_EDGE = 2
_EVIDENCE_CHARS = 100
_LAYOUT_BUDGET = 100_000  # node-steps of layout before the page is shown

_ASSETS = Path(__file__).with_name("viewer_assets")
# Our template first; pyvis's folder second, for `{% include 'lib/vis-9.1.2/...' %}`.
_ENV = jinja2.Environment(
    loader=jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader(_ASSETS), jinja2.FileSystemLoader(Path(pyvis.__file__).parent / "templates")]
    ),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def write_viewer(graph, path, max_nodes: int | None = 500, max_edges_per_node: int | None = 5) -> Path:
    """Write the viewer page of `graph` to `path`, drawing at most `max_nodes` entities
    (the highest by PageRank; None draws all) and, of the co-occurrences among them, each
    entity's `max_edges_per_node` strongest (None draws all); role and location edges among
    them are all drawn. Returns `path`."""
    if max_edges_per_node is not None and max_edges_per_node < 1:
        raise KgError(f"max edges per node must be at least 1 (None draws them all), got {max_edges_per_node}")
    path = Path(path)
    entities = _ranked_entities(graph)
    shown = entities if max_nodes is None else entities[:max_nodes]
    among = _edges_among(graph, set(shown))
    drawn = among if max_edges_per_node is None else _strongest(among, max_edges_per_node)
    net = _network(graph, shown, drawn)
    summary = _summary(graph, entities)
    page = _ENV.get_template("viewer.html").render(
        summary=summary,
        omitted=_omitted(graph, summary, len(shown), len(among), len(drawn), max_edges_per_node, path),
        data_json=_script_json(
            {"nodes": net.nodes, "edges": net.edges, "options": json.loads(net.options.to_json())}
        ),
    )
    with atomic_write(path) as handle:
        handle.write(page)
    return path


def _ranked_entities(graph) -> list[str]:
    entities = [n for n, kind in graph.nodes(data="kind") if kind == "entity"]
    return sorted(entities, key=lambda n: (-_rank(graph.nodes[n]), n))


def _rank(attrs: dict) -> float:
    pagerank = attrs.get("pagerank")
    return _finite(pagerank) if pagerank is not None else _finite(attrs.get("degree", 0))


def _finite(number) -> float:
    """NaN and infinity are not JSON: the page would not parse."""
    number = float(number)
    return number if math.isfinite(number) else 0.0


def _edges_among(graph, kept: set[str]) -> list[tuple[str, str, str, dict]]:
    return [(u, v, kind, attrs) for u, v, kind, attrs in graph.edges(keys=True, data=True) if u in kept and v in kept]


def _strongest(edges: list[tuple[str, str, str, dict]], per_node: int) -> list[tuple[str, str, str, dict]]:
    """`edges` with only the co-occurrences that are among the `per_node` strongest of at
    least one end: every entity keeps its strongest few, and a hub also keeps the edges that
    are strongest for its neighbours, so no drawn entity loses its main ties."""
    # Strongest = most sentences together (weight), then highest NPMI. NPMI alone would rank
    # a pair of rare names seen together once above a pair seen in a hundred sentences, and
    # fill the page with one-offs; among equal counts it prefers the pair that is more than
    # two frequent names. The other end's id makes the order total, so a page is reproducible.
    def strength(edge, node):
        u, v, _, attrs = edge
        npmi = attrs.get("npmi")
        return (-int(attrs.get("weight", 1)), -_finite(npmi) if npmi is not None else math.inf, v if u == node else u)

    by_node = defaultdict(list)
    for edge in edges:
        if edge[2] == _COOCCURS:
            by_node[edge[0]].append(edge)
            by_node[edge[1]].append(edge)
    # A co-occurrence is stored once, from the smaller id, so its two ends name it.
    kept = {
        edge[:2]
        for node, own in by_node.items()
        for edge in heapq.nsmallest(per_node, own, key=lambda edge: strength(edge, node))
    }
    return [edge for edge in edges if edge[2] != _COOCCURS or edge[:2] in kept]


def _network(graph, shown: list[str], edges: list[tuple[str, str, str, dict]]) -> Network:
    # directed=True only to skip pyvis's quadratic duplicate-edge check: each edge already
    # says whether it has an arrow.
    net = Network(directed=True)
    for node in shown:
        attrs = graph.nodes[node]
        style = LABEL_STYLE.get(attrs.get("label"), _OTHER_STYLE)
        net.add_node(
            node,
            label=attrs.get("name", node),
            shape=style["shape"],
            color=style["color"],
            value=_rank(attrs),
            info=_node_info(graph, node, attrs),
        )
    for source, target, kind, attrs in edges:
        net.add_edge(source, target, **_edge_style(kind, attrs), info=_edge_info(graph, source, target, kind, attrs))
    _set_options(net)
    return net


def _set_options(net: Network) -> None:
    # Stabilise off-screen in a bounded number of steps; the page then switches physics
    # off, so nothing keeps moving (or burning CPU) once the layout is shown. A step costs
    # about n log n, so small graphs get more steps and 500 nodes settle within seconds.
    net.force_atlas_2based(
        gravity=-100, central_gravity=0.05, spring_length=90, spring_strength=0.06, damping=0.5, overlap=0.5
    )
    net.options.physics.stabilization.iterations = min(1000, max(150, _LAYOUT_BUDGET // max(1, len(net.nodes))))
    net.options.physics.stabilization.updateInterval = 25
    net.options.physics.minVelocity = 1.5
    net.options.edges.smooth.enabled = False  # straight edges draw several times faster
    net.options.interaction.hideEdgesOnDrag = True
    net.options.interaction.hover = True
    net.options.interaction.tooltipDelay = 120
    # improvedLayout (Kamada-Kawai seeding) takes seconds on a few hundred nodes; a fixed
    # seed makes the same graph open with the same picture.
    net.options.layout = {"randomSeed": 7, "improvedLayout": False}
    # Size and label grow with PageRank, so the central entities stay legible when zoomed out.
    net.options.nodes = {
        "scaling": {"min": 8, "max": 40, "label": {"enabled": True, "min": 12, "max": 26, "drawThreshold": 7}},
        "font": {"strokeWidth": 3, "strokeColor": "#ffffff"},
        "borderWidth": 1,
    }


def _edge_style(kind: str, attrs: dict) -> dict:
    if kind in RELATION_STYLE:
        style = RELATION_STYLE[kind]
        return {"dashes": style["dashes"], "arrows": "to", "width": 1 if style["dashes"] else 2, "color": style["color"]}
    weight = int(attrs.get("weight", 1))
    return {"arrows": "", "width": 1 + 1.5 * math.log2(max(weight, 1)), "weight": weight, "color": "#b8bcc6"}


def _node_info(graph, node: str, attrs: dict) -> dict:
    roles = list(dict.fromkeys(f"{r.get('org', '')}{r.get('title', '')}" for r in attrs.get("roles", [])))
    names = _names(graph, node)
    return {
        "name": attrs.get("name", node),
        "label": attrs.get("label", ""),
        "aliases": list(attrs.get("aliases", [])),
        "spellings": _other_script(names),
        "mentions": int(attrs.get("mentions", 0)),
        "roles": roles,
        "articles": _top_articles(graph, node, attrs.get("articles", [])),
        **_seen(graph, attrs),
    }


def _top_articles(graph, node: str, article_ids: list[str]) -> list[str]:
    """Titles of the articles mentioning `node` most often; `article_ids` as an entity's
    `articles` holds them, without the article node's "ARTICLE:" (docs/schema.md)."""

    def count(article):
        data = graph.get_edge_data(f"ARTICLE:{article}", node, key="MENTIONS") or {}
        return data.get("count", 0)

    top = sorted(article_ids, key=lambda a: (-count(a), a))[:_TOP_ARTICLES]
    return [graph.nodes.get(f"ARTICLE:{a}", {}).get("title") or a for a in top]


def _edge_info(graph, source: str, target: str, kind: str, attrs: dict) -> dict:
    info = {
        "type": kind,
        "from": graph.nodes[source].get("name", source),
        "to": graph.nodes[target].get("name", target),
    }
    if kind == _COOCCURS:
        info.update(
            weight=int(attrs.get("weight", 1)),
            npmi=None if attrs.get("npmi") is None else _finite(attrs["npmi"]),
            evidence=_quotes(graph, source, target, attrs),
        )
    elif kind == "HOLDS_ROLE":
        info["detail"] = attrs.get("title", "")
    elif kind in ("VISITED", "AIDS"):
        info["detail"] = f"{len(attrs.get('articles', []))} articles"
        info["evidence"] = _quotes(graph, source, target, attrs)
    else:
        info["detail"] = attrs.get("basis", "")
    info["name"] = RELATION_STYLE.get(kind, {}).get("name", kind)
    return {**info, **_seen(graph, attrs)}


def _quotes(graph, source: str, target: str, attrs: dict) -> list[dict]:
    """The first of an edge's evidence sentences, each cut around the two ends' names."""
    names = [name for node in (source, target) for name in _names(graph, node)]
    return [
        {"text": _excerpt(e.get("text", ""), names, _EVIDENCE_CHARS), "location": e.get("location", "")}
        for e in attrs.get("evidence", [])[:_EVIDENCE_PER_EDGE]
    ]


def _seen(graph, attrs: dict) -> dict:
    """When a node or edge was seen, for its tooltip and the date-range control: first and last
    date and the months (YYYY-MM) of its dated articles; nothing when none is dated."""
    if "first_seen" not in attrs:
        return {}
    dates = (graph.nodes.get(f"ARTICLE:{article}", {}).get("date") for article in attrs.get("articles", []))
    months = sorted({day[:7] for day in dates if day})
    return {"seen": {"first": attrs["first_seen"], "last": attrs["last_seen"], "months": months}}


def _names(graph, node: str) -> list[str]:
    attrs = graph.nodes[node]
    return [attrs.get("name", node), *attrs.get("aliases", [])]


def _other_script(names: list[str]) -> list[str]:
    """`names` as the other script prints them (准东 and 準東), for the search alone: an entity
    is found however it is typed, also in a script no article of the corpus used."""
    converted = {to_traditional(name) for name in names} | {simplified_view(name, "traditional") for name in names}
    return sorted(converted - set(names))


def _excerpt(text: str, names: list[str], limit: int) -> str:
    """`text` cut to `limit` characters centred on the first mentions of `names`, marked
    with … where cut: the part of a long sentence that says how the pair meet."""
    if len(text) <= limit:
        return text
    spans = [(at, at + len(name)) for name in names if name and (at := text.find(name)) >= 0]
    middle = (min(s for s, _ in spans) + max(e for _, e in spans)) // 2 if spans else limit // 2
    start = min(max(0, middle - limit // 2), len(text) - limit)
    return ("…" if start else "") + text[start : start + limit] + ("…" if start + limit < len(text) else "")


def _summary(graph, entities: list[str]) -> dict:
    """The corpus in figures, for the page's title and header."""
    entity_set = set(entities)
    labels = Counter(graph.nodes[n].get("label", "") for n in entities)
    return {
        "sources": graph.graph.get("sources", 0),
        "articles": graph.graph.get("articles", 0),
        "entities": len(entities),
        "labels": [
            {"label": label, "count": labels[label], **LABEL_STYLE.get(label, _OTHER_STYLE)}
            for label in [*LABEL_STYLE, *sorted(set(labels) - set(LABEL_STYLE))]
            if labels[label]
        ],
        "edges": sum(1 for u, v in graph.edges() if u in entity_set and v in entity_set),
        "months": _span(graph),
        "relations": [
            {"type": kind, **style}
            for kind, style in RELATION_STYLE.items()
            if any(k == kind and u in entity_set and v in entity_set for u, v, k in graph.edges(keys=True))
        ],
    }


def _span(graph) -> list[str] | None:
    """The first and last month (YYYY-MM) any entity was seen, None when no entity was."""
    seen = [(data["first_seen"][:7], data["last_seen"][:7]) for _, data in graph.nodes(data=True) if "first_seen" in data]
    return [min(first for first, _ in seen), max(last for _, last in seen)] if seen else None


def _omitted(graph, summary: dict, shown: int, among: int, drawn: int, per_node: int | None, path: Path) -> dict | None:
    """What max_nodes and max_edges_per_node left out, and the command that draws it all."""
    if shown == summary["entities"] and drawn == among:
        return None
    command = f"kg view {path.parent} --max-nodes {summary['entities']}"
    if drawn < among:
        cooccurrences = Counter(end for u, v, kind in graph.edges(keys=True) if kind == _COOCCURS for end in (u, v))
        command += f" --max-edges-per-node {max(cooccurrences.values())}"
    return {
        "shown": shown,
        "entities": summary["entities"] - shown,
        "edges": summary["edges"] - drawn,
        "per_node": per_node,
        "capped": among - drawn,
        "command": command,
    }


def _script_json(value) -> str:
    """JSON that can sit inside <script>: no "</script>", "<!--" or JS line terminators."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text
