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

    # Each text below is what `kg ... --help` prints, and docs/cli.md gives it word for word
    # (tests/test_cli_help.py compares them): change both together.
    top = argparse.ArgumentParser(
        prog="kg", description="kg turns Chinese news articles into a knowledge graph of who and what they are about."
    )
    top.add_argument("--version", action="version", version=f"kg {kg.__version__}", help="print kg's version and exit")
    commands = top.add_subparsers(dest="command", required=True)

    def command(group, name: str, help: str, example: str) -> argparse.ArgumentParser:
        # Raw: the example stays on one line, whatever the terminal's width, to be copied whole.
        return group.add_parser(
            name, help=help, description=help, epilog=f"example: {example}", formatter_class=argparse.RawDescriptionHelpFormatter
        )

    def with_model(sub):
        sub.add_argument(
            "--model",
            default="auto",
            help="the NER model that tags the text: 'auto' (an installed zh_core_web_* model, else kg's own), "
            "'kg' (kg's own), an installed spaCy package or a spaCy pipeline's folder (default: %(default)s)",
        )
        return sub

    def with_reading(sub):
        sub.add_argument(
            "paths", nargs="+", metavar="PATH", help="a .txt, .md or .jsonl file, a folder (read with its subfolders) or a glob"
        )
        sub.add_argument(
            "--jobs",
            type=int,
            metavar="N",
            default=_cores(),
            help="tag on N cores: N worker processes, or this process for 1 (default: this machine's cores)",
        )
        sub.add_argument(
            "--scheduler", metavar="ADDRESS", help="tag on the Dask cluster of this scheduler, e.g. tcp://HOST:8786"
        )
        sub.add_argument("--quiet", action="store_true", help="print no progress bar or progress lines")
        sub.add_argument(
            "--script",
            choices=["auto", "simplified", "traditional"],
            default="auto",
            help="the input's Chinese characters: 'simplified', 'traditional', or 'auto' to tell each article's; "
            "Traditional text is tagged as Simplified and keeps its printed characters (default: %(default)s)",
        )
        return with_model(sub)

    def with_viewer(sub):
        sub.add_argument(
            "--max-nodes",
            type=int,
            metavar="N",
            default=500,
            help="draw the N entities of highest PageRank in graph.html (default: %(default)s)",
        )
        sub.add_argument(
            "--max-edges-per-node",
            type=int,
            metavar="N",
            default=5,
            help="draw each drawn entity's N strongest co-occurrences (default: %(default)s)",
        )

    sub = with_reading(
        command(
            commands,
            "extract",
            "print each article's entities as one line of JSON, without building a graph",
            "kg extract seeds/*.txt",
        )
    )
    sub.add_argument("--cache", metavar="DIR", help="a folder of tagged files to reuse and fill (default: none)")
    sub.set_defaults(run=cmd_extract)

    sub = with_reading(
        command(
            commands,
            "build",
            "tag a corpus and write its graph, its entities and the viewer into a folder",
            "kg build seeds --out out --jobs 2",
        )
    )
    sub.add_argument("--out", metavar="DIR", required=True, help="the folder to write into (made if missing)")
    sub.add_argument("--cache", metavar="DIR", help="a folder of tagged files to reuse and fill (default: cache in the --out folder)")
    sub.add_argument(
        "--no-cache", action="store_true", help="tag every file again, keep nothing, and build even when nothing changed"
    )
    sub.add_argument(
        "--window",
        choices=["sentence", "paragraph", "article"],
        default="sentence",
        help="two entities co-occur when they are named in the same sentence, paragraph or article (default: %(default)s)",
    )
    sub.add_argument(
        "--min-weight",
        type=int,
        metavar="N",
        default=1,
        help="drop the co-occurrence edges of fewer than N shared windows; every entity stays (default: %(default)s)",
    )
    sub.add_argument(
        "--top", type=int, metavar="N", help="keep only the N entities of highest PageRank (default: every entity)"
    )
    sub.add_argument(
        "--format",
        action="append",
        default=[],
        choices=["graphml", "gexf"],
        help="also write graph.graphml or graph.gexf (give it twice for both)",
    )
    sub.add_argument(
        "--date", type=date, help="the date (YYYY-MM-DD) of the articles whose input and text give none (default: none)"
    )
    sub.add_argument("--since", type=date, metavar="DATE", help="keep only the articles dated this day or later")
    sub.add_argument("--until", type=date, metavar="DATE", help="keep only the articles dated this day or earlier")
    with_viewer(sub)
    sub.set_defaults(run=cmd_build)

    sub = command(
        commands,
        "train",
        "train kg's Chinese NER model from the shared NER corpora",
        "kg train --output training --max-steps 2000",
    )
    sub.add_argument(
        "--corpora", metavar="DIR", help="the folder of the NER corpora (default: $KG_CORPORA, else ../shared/corpora from kg's source folder)"
    )
    sub.add_argument(
        "--output",
        metavar="DIR",
        default="training",
        help="the working folder: converted data, then the model in DIR/model-best (default: %(default)s)",
    )
    sub.add_argument(
        "--max-steps", type=int, metavar="N", help="stop each of the two training stages after N steps (default: kg/nlp/config.cfg's)"
    )
    sub.add_argument("--limit", type=int, metavar="N", help="use only the first N sentences of each corpus file (default: all)")
    sub.add_argument(
        "--seed", type=int, metavar="N", help="the random seed (default: kg/nlp/config.cfg's, which made the shipped model)"
    )
    sub.set_defaults(run=cmd_train)

    sub = with_model(
        command(
            commands,
            "evaluate",
            "score the NER on a corpus tagged by hand: precision, recall and F1 per label",
            "kg evaluate ../shared/corpora/msra_ner.dev.bio",
        )
    )
    sub.add_argument("corpus", metavar="CORPUS", help="a BIO/CoNLL file: one character and its tag a line")
    sub.set_defaults(run=cmd_evaluate)

    graph_path = "the folder `kg build` wrote, or a graph.json"
    sub = command(commands, "view", "rebuild graph.html from a built graph and open it in a browser", "kg view out --max-nodes 1000")
    sub.add_argument("path", metavar="PATH", help=graph_path)
    with_viewer(sub)
    sub.add_argument("--out", metavar="FILE", help="where to write the page (default: graph.html beside graph.json)")
    sub.add_argument("--no-open", action="store_true", help="write the page without opening a browser")
    sub.set_defaults(run=cmd_view)

    sub = command(commands, "export", "write the graph in another format", "kg export out --format neo4j-admin")
    sub.add_argument("path", metavar="PATH", help=graph_path)
    sub.add_argument(
        "--format",
        required=True,
        choices=["cypher", "neo4j-admin", "gexf", "graphml", "json"],
        help="graph.cypher (a Cypher script), neo4j-admin/ (CSV files and import.sh), graph.gexf, graph.graphml or graph.json",
    )
    sub.add_argument("--out", metavar="DIR", help="the folder to write into (default: beside graph.json)")
    sub.set_defaults(run=cmd_export)

    neo = command(commands, "neo4j", "send the graph to a Neo4j server", "kg neo4j push out --uri bolt://localhost:7687")
    neo = neo.add_subparsers(dest="neo4j", required=True)
    sub = command(
        neo,
        "push",
        "merge the graph into a Neo4j database: pushing it again changes nothing",
        "NEO4J_PASSWORD=secret kg neo4j push out",
    )
    sub.add_argument("path", metavar="PATH", help=graph_path)
    sub.add_argument(
        "--uri",
        default=os.environ.get("NEO4J_URI", "bolt://localhost:7687"),
        help="the server's Bolt address (default: $NEO4J_URI, else bolt://localhost:7687)",
    )
    sub.add_argument(
        "--user", default=os.environ.get("NEO4J_USERNAME", "neo4j"), help="the user name (default: $NEO4J_USERNAME, else neo4j)"
    )
    sub.add_argument(
        "--password",
        default=os.environ.get("NEO4J_PASSWORD"),
        help="the password (default: $NEO4J_PASSWORD, else none: connect without logging in)",
    )
    sub.add_argument(
        "--database",
        metavar="NAME",
        default=os.environ.get("NEO4J_DATABASE"),
        help="the database (default: $NEO4J_DATABASE, else the server's default)",
    )
    sub.add_argument(
        "--batch-size", type=int, metavar="N", default=1000, help="send at most N rows in one transaction (default: %(default)s)"
    )
    sub.add_argument(
        "--max-request-bytes",
        type=int,
        metavar="N",
        default=int(os.environ.get("KG_NEO4J_MAX_REQUEST_BYTES", 1 << 20)),
        help="send at most N bytes in one request, its query included; 256 or more "
        "(default: $KG_NEO4J_MAX_REQUEST_BYTES, else 1048576, 1 MiB)",
    )
    sub.add_argument(
        "--wipe", action="store_true", help="first delete everything kg pushed before (the nodes labelled KgNode)"
    )
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
