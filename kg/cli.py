"""kg's command line: wires the stages corpus -> nlp -> graph -> export, nothing more."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

from kg.errors import KgError


def _read(paths: list[str], errors: list[KgError]):
    from kg import corpus

    return list(corpus.read_corpus(paths, errors=errors))


def _annotate(args, articles):
    from kg import nlp

    if not articles:  # nothing to tag: spare the user the model's load time
        return articles
    pipeline = nlp.load_pipeline(args.model)
    return list(nlp.annotate(articles, pipeline))


def cmd_extract(args) -> int:
    errors: list[KgError] = []
    articles = _annotate(args, _read(args.paths, errors))
    for article in articles:
        print(json.dumps(article.to_record(), ensure_ascii=False))
    return _report(errors, articles)


def cmd_build(args) -> int:
    from kg import export, graph

    started = time.perf_counter()
    errors: list[KgError] = []
    articles = _annotate(args, _read(args.paths, errors))
    if not articles:
        return _report(errors, articles)
    kg_graph = graph.build_graph(articles, window=args.window, min_weight=args.min_weight, top=args.top)
    out = Path(args.out)
    written = [export.write_jsonl(out / "entities.jsonl", (a.to_record() for a in articles))]
    written += export.write_graph(kg_graph, out, formats=["json", "graphml", *args.format])
    written.append(export.write_viewer(kg_graph, out / "graph.html", max_nodes=args.max_nodes))
    labels = Counter(m.label for a in articles for m in a.mentions)
    sources = {a.source for a in articles}
    print(
        f"kg build: {len(sources)} files, {len(articles)} articles, "
        + ", ".join(f"{labels[label]} {label}" for label in sorted(labels))
        + f"; {kg_graph.number_of_nodes()} nodes, {kg_graph.number_of_edges()} edges"
        + f"; {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    for path in written:
        print(f"  wrote {path}", file=sys.stderr)
    return _report(errors, articles)


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
    path = export.write_viewer(kg_graph, target, max_nodes=args.max_nodes)
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


def _report(errors: list[KgError], articles: list) -> int:
    for error in errors:
        print(f"kg: error: {error}", file=sys.stderr)
    if not articles:
        if not errors:
            print("kg: error: no articles found in the input", file=sys.stderr)
        return 2
    return 2 if errors else 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="kg", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)

    def with_model(sub):
        sub.add_argument(
            "--model",
            default="auto",
            help="'auto' (an installed zh_core_web_* model, else kg's own), 'kg', or a path to a spaCy pipeline",
        )
        return sub

    sub = with_model(commands.add_parser("extract", help="print the entities of each article as JSONL"))
    sub.add_argument("paths", nargs="+", help="files, directories or globs of .txt/.md/.jsonl")
    sub.set_defaults(run=cmd_extract)

    sub = with_model(commands.add_parser("build", help="build the knowledge graph of a corpus"))
    sub.add_argument("paths", nargs="+", help="files, directories or globs of .txt/.md/.jsonl")
    sub.add_argument("--out", required=True, help="output directory")
    sub.add_argument("--window", choices=["sentence", "paragraph", "article"], default="sentence")
    sub.add_argument("--min-weight", type=int, default=1, help="drop co-occurrence edges lighter than this")
    sub.add_argument("--top", type=int, default=None, help="keep only the N highest-scoring entities")
    sub.add_argument("--format", action="append", default=[], choices=["gexf"], help="also write graph.gexf")
    sub.add_argument("--max-nodes", type=int, default=500, help="nodes shown in graph.html")
    sub.set_defaults(run=cmd_build)

    sub = commands.add_parser("train", help="train kg's Chinese NER pipeline from the shared corpora")
    sub.add_argument("--corpora", default=None, help="folder of the NER corpora (default: ../shared/corpora)")
    sub.add_argument("--output", default="training", help="working folder for data and model")
    sub.add_argument("--max-steps", type=int, default=None, help="override [training] max_steps")
    sub.add_argument("--limit", type=int, default=None, help="use only the first N sentences of each corpus")
    sub.add_argument("--seed", type=int, default=None, help="the random seed (default: config.cfg's, which made the shipped model)")
    sub.set_defaults(run=cmd_train)

    sub = with_model(commands.add_parser("evaluate", help="score the NER on a BIO corpus"))
    sub.add_argument("corpus", help="BIO/CoNLL file, one character and tag a line")
    sub.set_defaults(run=cmd_evaluate)

    sub = commands.add_parser("view", help="rebuild graph.html from a built graph and open it")
    sub.add_argument("path", help="output directory of `kg build`, or a graph.json")
    sub.add_argument("--max-nodes", type=int, default=500)
    sub.add_argument("--out", default=None, help="where to write the page (default: beside graph.json)")
    sub.add_argument("--no-open", action="store_true", help="write the page without opening a browser")
    sub.set_defaults(run=cmd_view)

    sub = commands.add_parser("export", help="write the graph in another format")
    sub.add_argument("path", help="output directory of `kg build`, or a graph.json")
    sub.add_argument("--format", required=True, choices=["cypher", "neo4j-admin", "gexf", "graphml", "json"])
    sub.add_argument("--out", default=None, help="output directory (default: beside graph.json)")
    sub.set_defaults(run=cmd_export)

    neo = commands.add_parser("neo4j", help="talk to a Neo4j server").add_subparsers(dest="neo4j", required=True)
    sub = neo.add_parser("push", help="merge the graph into Neo4j (idempotent)")
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
