"""kg's command line: wires the stages corpus -> nlp -> graph -> export, nothing more."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import kg
from kg.errors import KgError


def _files(args, errors: list[KgError]) -> list[str]:
    from kg import corpus

    if args.jobs < 1:
        raise KgError(f"--jobs must be at least 1, not {args.jobs}")
    return corpus.list_files(args.paths, errors)


@contextmanager
def _progress(args, files: list[str]) -> Iterator:
    from kg.progress import Progress

    progress = Progress(sum(_size(path) for path in files), desc=f"kg {args.command}", quiet=args.quiet)
    try:
        yield progress
    finally:
        progress.close()


def _tagged(args, files: list[str], errors: list[KgError], cache, have=None) -> Iterator:
    """The tagged files (`kg.tagging.FileResult`) of `files` as they are done; see `tag_files`."""
    from kg.tagging import tag_files

    for result in tag_files(
        files, args.model, jobs=args.jobs, scheduler=args.scheduler, cache=cache, script=args.script, have=have
    ):
        if result.error is not None:
            errors.append(result.error)
        yield result


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0  # reading it will say what is wrong


def cmd_extract(args) -> int:
    errors: list[KgError] = []
    count = 0
    files = _files(args, errors)
    with _progress(args, files) as progress:
        for result in _tagged(args, files, errors, args.cache):
            for article in result.articles:
                print(json.dumps(article.to_record(), ensure_ascii=False), flush=False)
            count += len(result.articles)
            progress.update(result.size, result.chars, len(result.articles), cached=result.cached)
    return _report(errors, count)


def cmd_build(args) -> int:
    from kg import export, graph, manifest
    from kg.corpus import dates
    from kg.parts import PartCache, part_of

    started = time.perf_counter()
    errors: list[KgError] = []
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    digest = None if args.no_cache else _build_digest(args)
    if digest and manifest.is_current(out, digest):
        print(f"kg build: nothing to do: {out} holds the build of these files, pipeline and options", file=sys.stderr)
        return 0
    cache = None if args.no_cache else Path(args.cache or out / "cache")
    settings = {"window": args.window, "date": args.date, "since": args.since, "until": args.until}
    parts = PartCache(cache, args.model, args.script, settings) if cache else None

    def dated_and_in_range(article) -> bool:
        # After the cache: a date from the command line is no part of what a file says.
        dates.assign_default(article, args.date)
        return dates.in_range(article.date, args.since, args.until)

    builder = graph.GraphBuilder(args.window)
    labels: Counter[str] = Counter()
    count = 0
    files = _files(args, errors)
    # Each article's entities as the article resolved them, until the corpus has been seen
    # and they can be written under the names the graph settled on; no name: gone if killed.
    with tempfile.TemporaryFile("w+", encoding="utf-8", dir=out) as spool:
        with _progress(args, files) as progress:
            for result in _tagged(args, files, errors, cache, have=parts.has if parts else None):
                part = part_of(result, args.window, dated_and_in_range, parts)
                builder.merge(part.graph)
                spool.writelines(record + "\n" for record in part.records)
                labels.update(part.labels)
                count += len(part.records)
                progress.update(result.size, part.chars, part.articles, cached=result.cached or result.skipped)
        if not count:
            return _report(errors, count)
        kg_graph = builder.finish(min_weight=args.min_weight, top=args.top)
        spool.seek(0)
        written = [export.write_jsonl(out / "entities.jsonl", _resolved_records(spool, builder))]
    written += export.write_graph(kg_graph, out, formats=["json", *args.format])
    written.append(export.write_aliases(builder.aliases(), out / "aliases.tsv"))
    written.append(
        export.write_viewer(
            kg_graph, out / "graph.html", max_nodes=args.max_nodes, max_edges_per_node=args.max_edges_per_node
        )
    )
    print(
        f"kg build: {kg_graph.graph['sources']} files, {count} articles, "
        + ", ".join(f"{labels[label]} {label}" for label in sorted(labels))
        + f"; {kg_graph.number_of_nodes()} nodes, {kg_graph.number_of_edges()} edges"
        + f"; {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    for path in written:
        print(f"  wrote {path}", file=sys.stderr)
    if digest and not errors:
        manifest.record(out, digest, written)
    return _report(errors, count)


def _build_digest(args) -> str | None:
    """What the outputs of `kg build args` depend on; None when a path cannot be listed or read
    (the build will say what is wrong)."""
    from kg import corpus, manifest

    ignored = {"paths", "out", "jobs", "scheduler", "cache", "no_cache", "quiet", "run"}
    try:
        files = corpus.list_files(args.paths)
        return manifest.build_digest(files, args.model, {k: v for k, v in vars(args).items() if k not in ignored})
    except KgError:
        return None


def _resolved_records(spool, builder) -> Iterator[dict]:
    for line in spool:
        record, keys = json.loads(line)
        for entity, key in zip(record["entities"], keys):
            entity["canonical"] = builder.resolved(*key)[1]
        yield record


def cmd_train(args) -> int:
    from kg.nlp import training

    training.train(
        corpora=args.corpora, output=args.output, max_steps=args.max_steps, limit=args.limit, seed=args.seed
    )
    return 0


def cmd_evaluate(args) -> int:
    from kg import nlp

    pipeline = nlp.load_pipeline(args.model)
    scores = nlp.evaluate_bio(args.corpus, pipeline)
    print(nlp.format_scores(scores))
    return 0


def cmd_view(args) -> int:
    from kg import export

    kg_graph = export.read_graph(args.path)
    target = Path(args.out) if args.out else _graph_dir(args.path) / "graph.html"
    path = export.write_viewer(kg_graph, target, max_nodes=args.max_nodes, max_edges_per_node=args.max_edges_per_node)
    print(f"kg view: wrote {path}", file=sys.stderr)
    if not args.no_open:
        import webbrowser

        webbrowser.open(Path(path).resolve().as_uri())
    return 0


def cmd_export(args) -> int:
    from kg import export

    kg_graph = export.read_graph(args.path)
    out = Path(args.out) if args.out else _graph_dir(args.path)
    for path in export.write_graph(kg_graph, out, formats=[args.format]):
        print(f"kg export: wrote {path}", file=sys.stderr)
    return 0


def cmd_neo4j_push(args) -> int:
    from kg import export
    from kg.export import neo4j

    kg_graph = export.read_graph(args.path)
    stats = neo4j.push(
        kg_graph,
        uri=args.uri,
        auth=neo4j.auth_from(args.user, args.password),
        database=args.database,
        batch_size=args.batch_size,
        max_request_bytes=args.max_request_bytes,
        wipe=args.wipe,
    )
    print(f"kg neo4j push: {stats}", file=sys.stderr)
    return 0


def _graph_dir(path: str) -> Path:
    path = Path(path)
    return path if path.is_dir() else path.parent


def _report(errors: list[KgError], articles: int) -> int:
    for error in errors:
        print(f"kg: error: {error}", file=sys.stderr)
    if not articles:
        if not errors:
            print("kg: error: no articles found in the input", file=sys.stderr)
        return 2
    return 2 if errors else 0


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def parser() -> argparse.ArgumentParser:
    def date(value: str) -> str:  # imported when used: the corpus stage is slow to import
        from kg.corpus.dates import date_argument

        return date_argument(value)

    top = argparse.ArgumentParser(prog="kg", description=__doc__)
    top.add_argument("--version", action="version", version=f"kg {kg.__version__}")
    commands = top.add_subparsers(dest="command", required=True)

    def command(name: str, help: str, example: str) -> argparse.ArgumentParser:
        return commands.add_parser(
            name, help=help, description=help, epilog=f"example: {example}", formatter_class=argparse.RawDescriptionHelpFormatter
        )

    def with_model(sub):
        sub.add_argument(
            "--model",
            default="auto",
            help="'auto' (an installed zh_core_web_* model, else kg's own), 'kg', or a path to a spaCy pipeline",
        )
        return sub

    def with_reading(sub):
        sub.add_argument("paths", nargs="+", help="files, directories or globs of .txt/.md/.jsonl")
        sub.add_argument(
            "--jobs",
            type=int,
            default=_cores(),
            help="tag on N cores: N worker processes, or this process for 1 (default: this machine's cores)",
        )
        sub.add_argument("--scheduler", default=None, help="tag on the Dask cluster of this scheduler (tcp://HOST:8786)")
        sub.add_argument("--quiet", action="store_true", help="no progress bar or progress lines")
        sub.add_argument(
            "--script",
            choices=["auto", "simplified", "traditional"],
            default="auto",
            help="read text as Simplified or Traditional Chinese; 'auto' tells each article's (default)",
        )
        return with_model(sub)

    def with_viewer(sub):
        sub.add_argument("--max-nodes", type=int, default=500, help="entities drawn in graph.html")
        sub.add_argument(
            "--max-edges-per-node", type=int, default=5, help="each drawn entity's strongest co-occurrences drawn"
        )

    sub = with_reading(command("extract", "print the entities of each article as JSONL", "kg extract seeds/*.txt"))
    sub.add_argument("--cache", default=None, help="folder of tagged files to reuse and fill (default: none)")
    sub.set_defaults(run=cmd_extract)

    sub = with_reading(command("build", "build the knowledge graph of a corpus", "kg build seeds --out out --jobs 2"))
    sub.add_argument("--out", required=True, help="output directory")
    sub.add_argument(
        "--cache", default=None, help="folder of tagged files to reuse and fill (default: OUT/cache)"
    )
    sub.add_argument("--no-cache", action="store_true", help="tag every file again and keep nothing")
    sub.add_argument("--window", choices=["sentence", "paragraph", "article"], default="sentence")
    sub.add_argument("--min-weight", type=int, default=1, help="drop co-occurrence edges lighter than this")
    sub.add_argument("--top", type=int, default=None, help="keep only the N highest-scoring entities")
    sub.add_argument(
        "--format", action="append", default=[], choices=["graphml", "gexf"], help="also write graph.graphml or graph.gexf"
    )
    sub.add_argument("--date", type=date, default=None, help="the date of articles the input leaves undated (YYYY-MM-DD)")
    sub.add_argument("--since", type=date, default=None, help="keep only articles dated this day or later")
    sub.add_argument("--until", type=date, default=None, help="keep only articles dated this day or earlier")
    with_viewer(sub)
    sub.set_defaults(run=cmd_build)

    sub = command(
        "train", "train kg's Chinese NER pipeline from the shared corpora", "kg train --output training --max-steps 2000"
    )
    sub.add_argument("--corpora", default=None, help="folder of the NER corpora (default: ../shared/corpora)")
    sub.add_argument("--output", default="training", help="working folder for data and model")
    sub.add_argument("--max-steps", type=int, default=None, help="override [training] max_steps")
    sub.add_argument("--limit", type=int, default=None, help="use only the first N sentences of each corpus")
    sub.add_argument("--seed", type=int, default=None, help="the random seed (default: config.cfg's, which made the shipped model)")
    sub.set_defaults(run=cmd_train)

    sub = with_model(
        command("evaluate", "score the NER on a BIO corpus", "kg evaluate ../shared/corpora/msra_ner.dev.bio")
    )
    sub.add_argument("corpus", help="BIO/CoNLL file, one character and tag a line")
    sub.set_defaults(run=cmd_evaluate)

    sub = command("view", "rebuild graph.html from a built graph and open it", "kg view out --max-nodes 1000")
    sub.add_argument("path", help="output directory of `kg build`, or a graph.json")
    with_viewer(sub)
    sub.add_argument("--out", default=None, help="where to write the page (default: beside graph.json)")
    sub.add_argument("--no-open", action="store_true", help="write the page without opening a browser")
    sub.set_defaults(run=cmd_view)

    sub = command("export", "write the graph in another format", "kg export out --format neo4j-admin")
    sub.add_argument("path", help="output directory of `kg build`, or a graph.json")
    sub.add_argument("--format", required=True, choices=["cypher", "neo4j-admin", "gexf", "graphml", "json"])
    sub.add_argument("--out", default=None, help="output directory (default: beside graph.json)")
    sub.set_defaults(run=cmd_export)

    neo = command("neo4j", "talk to a Neo4j server", "kg neo4j push out --uri bolt://localhost:7687")
    neo = neo.add_subparsers(dest="neo4j", required=True)
    sub = neo.add_parser(
        "push",
        help="merge the graph into Neo4j (idempotent)",
        epilog="example: NEO4J_PASSWORD=secret kg neo4j push out",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub.add_argument("path", help="output directory of `kg build`, or a graph.json")
    sub.add_argument("--uri", default=os.environ.get("NEO4J_URI", "bolt://localhost:7687"))
    sub.add_argument("--user", default=os.environ.get("NEO4J_USERNAME", "neo4j"))
    sub.add_argument("--password", default=os.environ.get("NEO4J_PASSWORD"))
    sub.add_argument("--database", default=os.environ.get("NEO4J_DATABASE"))
    sub.add_argument("--batch-size", type=int, default=1000, help="rows per UNWIND request at most")
    sub.add_argument(
        "--max-request-bytes",
        type=int,
        default=int(os.environ.get("KG_NEO4J_MAX_REQUEST_BYTES", 1 << 20)),
        help="cap on one request's parameters, in bytes (env KG_NEO4J_MAX_REQUEST_BYTES)",
    )
    sub.add_argument("--wipe", action="store_true", help="first delete the nodes kg pushed before")
    sub.set_defaults(run=cmd_neo4j_push)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except KgError as error:
        print(f"kg: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
