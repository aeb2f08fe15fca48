"""Exploring a built knowledge graph from Python or Jupyter: `kg.load(DIR)` and its tables.

Tables are pandas DataFrames; pandas is a notebook extra, so it is imported only when a table
is asked for. Graph-shaped answers (`ego`, `cooccurrence`) are networkx graphs.
"""

from __future__ import annotations

import difflib
import html
import os
import tempfile
from collections import defaultdict
from pathlib import Path

import networkx as nx

from kg.document import LABELS
from kg.errors import KgError

CO_OCCURS = "CO_OCCURS_WITH"
MENTIONS = "MENTIONS"
ENTITY_COLUMNS = ["name", "label", "mentions", "degree", "pagerank", "community", "aliases"]
NEIGHBOR_COLUMNS = ["name", "label", "weight", "npmi", "articles", "evidence"]
ARTICLE_COLUMNS = ["article", "title", "source", "date", "count", "evidence"]
TIMELINE_COLUMNS = ["mentions", "articles"]
ROLE_COLUMNS = ["title", "org", "article"]
STATED_COLUMNS = ["from", "to", "articles", "evidence"]  # VISITED, AIDS
MAX_SUGGESTIONS = 5


def load(source: str | os.PathLike | nx.MultiDiGraph) -> KnowledgeGraph:
    """A `kg build` output directory, its graph.json or graph.graphml, or a graph from `kg.graph.build_graph`."""
    if isinstance(source, nx.Graph):
        return KnowledgeGraph(source)
    from kg.export import read_graph

    return KnowledgeGraph(read_graph(source))


class KnowledgeGraph:
    """A graph following docs/schema.md, with lookups by entity name or alias."""

    def __init__(self, graph: nx.MultiDiGraph):
        self.graph = graph
        self._by_name: dict[str, list[str]] = defaultdict(list)
        self._by_alias: dict[str, list[str]] = defaultdict(list)
        self.cooccurrence = nx.Graph()  # entities only: article nodes would join every pair of a page
        for node, data in graph.nodes(data=True):
            if data.get("kind") == "entity":
                self._by_name[data["name"]].append(node)
                for alias in data.get("aliases", []):
                    self._by_alias[alias].append(node)
                self.cooccurrence.add_node(node, **data)
        self.cooccurrence.add_edges_from(
            (u, v, data) for u, v, key, data in graph.edges(keys=True, data=True) if key == CO_OCCURS
        )

    def __repr__(self) -> str:
        articles = sum(1 for _, kind in self.graph.nodes(data="kind") if kind == "article")
        return (
            f"<KnowledgeGraph: {self.cooccurrence.number_of_nodes()} entities, "
            f"{self.cooccurrence.number_of_edges()} co-occurrences, {articles} articles>"
        )

    def resolve(self, name: str) -> str:
        """The node id of `name`: a node id, else a canonical name, else an alias."""
        if self.graph.nodes.get(name, {}).get("kind") == "entity":
            return name
        for index in (self._by_name, self._by_alias):
            nodes = index.get(name, [])
            if len(nodes) == 1:
                return nodes[0]
            if nodes:
                raise KgError(f"ambiguous entity {name!r}: pass one of {', '.join(sorted(nodes))}")
        raise KgError(f"unknown entity {name!r}: {self._suggest(name)}")

    def _suggest(self, name: str) -> str:
        known = list(self._by_name) + list(self._by_alias)
        # Chinese short forms are usually substrings of the full name (准东 of 新疆准东经济技术开发区),
        # which difflib's ratio undervalues, so they come first, the closest in length first.
        containing = sorted((k for k in known if name in k or k in name), key=lambda k: abs(len(k) - len(name)))
        similar = difflib.get_close_matches(name, known, n=MAX_SUGGESTIONS, cutoff=0.5)
        matches = list(dict.fromkeys(containing + similar))[:MAX_SUGGESTIONS]
        if not matches:
            return "no close matches"
        nodes = dict.fromkeys(node for match in matches for node in self._by_name.get(match) or self._by_alias[match])
        return "close matches: " + ", ".join(nodes)

    def entities(self, label: str | None = None):
        """One row per entity (index: node id), highest pagerank first."""
        import pandas as pd

        if label is not None and label not in LABELS:
            raise KgError(f"unknown label {label!r}: expected one of {', '.join(LABELS)}")
        rows = {
            node: {column: data.get(column) for column in ENTITY_COLUMNS}
            for node, data in self.cooccurrence.nodes(data=True)
            if label is None or data["label"] == label
        }
        table = pd.DataFrame.from_dict(rows, orient="index", columns=ENTITY_COLUMNS)
        table.index.name = "id"
        return table.sort_values(["pagerank", "name"], ascending=[False, True])

    def neighbors(self, name: str):
        """The entities co-occurring with `name` (index: node id), by weight then NPMI."""
        import pandas as pd

        node = self.resolve(name)
        rows = {
            other: {
                "name": self.graph.nodes[other]["name"],
                "label": self.graph.nodes[other]["label"],
                "weight": edge["weight"],
                "npmi": edge["npmi"],
                "articles": len(edge["articles"]),
                "evidence": [item["text"] for item in edge["evidence"]],
            }
            for other, edge in self.cooccurrence[node].items()
        }
        table = pd.DataFrame.from_dict(rows, orient="index", columns=NEIGHBOR_COLUMNS)
        table.index.name = "id"
        return table.sort_values(["weight", "npmi", "name"], ascending=[False, False, True])

    def ego(self, name: str, radius: int = 1) -> nx.MultiDiGraph:
        """The entities within `radius` co-occurrence steps of `name`, with all their edges."""
        nodes = nx.ego_graph(self.cooccurrence, self.resolve(name), radius=radius)
        return self.graph.subgraph(nodes)

    def path(self, a: str, b: str) -> list[str]:
        """Entity names along a shortest co-occurrence path from `a` to `b`."""
        source, target = self.resolve(a), self.resolve(b)
        try:
            nodes = nx.shortest_path(self.cooccurrence, source, target)
        except nx.NetworkXNoPath:
            raise KgError(f"no co-occurrence path between {a!r} and {b!r}") from None
        return [self.graph.nodes[node]["name"] for node in nodes]

    def articles(self, name: str):
        """The articles mentioning `name`, most mentions first, with the sentences that show it."""
        import pandas as pd

        node = self.resolve(name)
        evidence = defaultdict(list)  # article id -> sentences naming this entity and another
        for _, edge in self.cooccurrence[node].items():
            for item in edge["evidence"]:
                if item["text"] not in evidence[item["article"]]:
                    evidence[item["article"]].append(item["text"])
        mentioned_in = [article for article, _, key in self.graph.in_edges(node, keys=True) if key == MENTIONS]

        def order(article):  # most mentions first, then corpus order (an int index: "p#10" after "p#9")
            data = self.graph.nodes[article]
            return -self.graph.edges[article, node, MENTIONS]["count"], data["source"], data["index"]

        rows = []
        for article in sorted(mentioned_in, key=order):
            data = self.graph.nodes[article]
            article_id = article.removeprefix("ARTICLE:")
            rows.append(
                {
                    "article": article_id,
                    "title": data["title"],
                    "source": data["source"],
                    "date": data["date"],
                    "count": self.graph.edges[article, node, MENTIONS]["count"],
                    "evidence": evidence[article_id],
                }
            )
        return pd.DataFrame(rows, columns=ARTICLE_COLUMNS)

    def roles(self, name: str):
        """The titles the text gives the person `name` (docs/schema.md: roles), in corpus order:
        columns title, org (the body, "" for a bare title) and article."""
        import pandas as pd

        node = self.resolve(name)
        return pd.DataFrame(self.graph.nodes[node].get("roles", []), columns=ROLE_COLUMNS)

    def visits(self, name: str):
        """VISITED edges of `name`: the places, bodies and projects a person visited, or the
        people who visited a place; columns from, to (names), articles (count), evidence."""
        node = self.resolve(name)
        edges = [*self.graph.out_edges(node, keys=True, data=True), *self.graph.in_edges(node, keys=True, data=True)]
        return self._stated([edge for edge in edges if edge[2] == "VISITED"])

    def aid(self):
        """Every AIDS edge (which province, city or command post aids which place)."""
        return self._stated([edge for edge in self.graph.edges(keys=True, data=True) if edge[2] == "AIDS"])

    def _stated(self, edges: list[tuple]):
        import pandas as pd

        rows = [
            {
                "from": self.graph.nodes[u]["name"],
                "to": self.graph.nodes[v]["name"],
                "articles": len(data["articles"]),
                "evidence": [item["text"] for item in data["evidence"]],
            }
            for u, v, _, data in edges
        ]
        table = pd.DataFrame(rows, columns=STATED_COLUMNS)
        return table.sort_values(["articles", "from", "to"], ascending=[False, True, True], ignore_index=True)

    def timeline(self, name: str):
        """Mentions of `name` per month in its dated articles (index: monthly pandas Periods from
        its first month to its last, months without any at 0; columns: mentions, articles);
        `.plot()` draws it. Empty when no article mentioning it is dated."""
        import pandas as pd

        node = self.resolve(name)
        rows = [
            (pd.Period(self.graph.nodes[article]["date"], freq="M"), data["count"])
            for article, _, key, data in self.graph.in_edges(node, keys=True, data=True)
            if key == MENTIONS and self.graph.nodes[article].get("date")
        ]
        table = pd.DataFrame(rows, columns=["month", "mentions"]).groupby("month")["mentions"].agg(["sum", "size"])
        table.columns = TIMELINE_COLUMNS
        if not table.empty:
            table = table.reindex(pd.period_range(table.index.min(), table.index.max(), freq="M"), fill_value=0)
        table.index.name = "month"
        return table.astype("int64")

    def show(self, max_nodes: int = 500, height: int = 650):
        """The offline viewer page (kg.export.write_viewer), inline in a Jupyter output."""
        from IPython.display import HTML

        from kg.export import write_viewer

        with tempfile.TemporaryDirectory(prefix="kg-show-") as workdir:
            page = write_viewer(self.graph, Path(workdir) / "graph.html", max_nodes=max_nodes)
            text = Path(page).read_text(encoding="utf-8")
        # srcdoc keeps the page inside the notebook (no file server needed) and its scripts and
        # styles apart from the notebook's own; the div spares us IPython's "use IFrame" warning,
        # as IFrame only takes a URL.
        return HTML(
            f'<div><iframe srcdoc="{html.escape(text, quote=True)}" width="100%" height="{height}" '
            'style="border: none"></iframe></div>'
        )
