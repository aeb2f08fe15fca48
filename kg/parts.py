"""A file's share of `kg build`: its part of the graph and its articles' entity records.

Each file's part is built alone (`file_part`) and merged into the corpus's graph in file order
(`GraphBuilder.merge`), which gives the graph of adding every article to one builder. Parts
are cached beside the file's tagged articles, so that a rebuild after new pages reads the
other files' parts instead of adding their articles again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import kg
from kg.document import Article
from kg.graph import GraphBuilder
from kg.manifest import update_with_files
from kg.memory import gc_paused
from kg.tagging import FileResult, PickleFolder, TagCache, tag_files


@dataclass
class FilePart:
    graph: GraphBuilder  # the file's articles, added
    # each article's entities.jsonl record and the (label, name) of each entity as the
    # article resolved it, as one JSON line: written under the graph's names at the end
    records: list[str] = field(default_factory=list)
    labels: Counter[str] = field(default_factory=Counter)  # mentions of each label
    articles: int = 0  # the file's articles, kept or not
    chars: int = 0  # their characters of text


def file_part(articles: Iterable[Article], window: str, keep: Callable[[Article], bool]) -> FilePart:
    """The part of the graph (in `window`) of the articles that `keep` keeps."""
    part = FilePart(GraphBuilder(window))
    with gc_paused():
        for article in articles:
            part.articles += 1
            part.chars += len(article.text)
            if not keep(article):
                continue
            keys = part.graph.add(article)
            part.records.append(json.dumps([article.to_record(), keys], ensure_ascii=False))
            part.labels.update(m.label for m in article.mentions)
    return part


class PartCache(PickleFolder):
    """Files' parts under their tagged articles' cache folder (`TagCache` of `cache`, `model`
    and `script`), in a folder named by a digest of kg's graph code and data, its version and
    the build's `settings` (the options that change a part: window, dates). A part is found by
    its file's `TagCache` key."""

    def __init__(self, cache: str | os.PathLike, model: str, script: str, settings: dict):
        self.cache, self.model, self.script = cache, model, script
        digest = hashlib.sha256(f"kg {kg.__version__}\0".encode())
        digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
        package = Path(kg.__file__).resolve().parent
        update_with_files(digest, [package / "graph", Path(__file__).resolve()])
        super().__init__(TagCache(cache, model, script).folder / f"graph-{digest.hexdigest()[:24]}")


def part_of(result: FileResult, window: str, keep: Callable[[Article], bool], parts: PartCache | None) -> FilePart:
    """The part of the graph of a file as `tag_files` yielded it (`result`): from `parts`
    when it was skipped for being there, else made of its articles (`file_part`) and put there."""
    part = parts.get(result.key) if result.skipped else None
    if part is None:
        articles = result.articles
        if result.skipped:  # its part could not be read back after all: its articles, from their cache
            articles = next(tag_files([result.path], parts.model, cache=parts.cache, script=parts.script)).articles
        part = file_part(articles, window, keep)
        if parts is not None and result.key and result.error is None:
            parts.put(result.key, part)
    return part
