"""Entity resolution on a tagged corpus: the merges each rule made, the nodes that result, and
a random sample of the merges to judge by hand (docs/resolution.md).

    .venv/bin/kg extract CORPUS > TAGGED.jsonl     # once: tagging is the slow part
    .venv/bin/python benchmarks/resolution.py TAGGED.jsonl CORPUS... [--sample 100] [--seed 0]
        [--min-articles 2] [--agreement 0.9] [--alone 1.0]

CORPUS may be the folder or some of its files (those files' articles only). TAGGED may
also be a tag cache folder (`kg build --cache FOLDER`, or OUT/cache): the files it holds
for the pipeline of `--model` are read from it, the others tagged (`--jobs`) and added.

A merge is a row of aliases.tsv: a name, the entity it became, the basis (a rule of
`resolve_article`, or "across articles" for `link_across`) and the number of articles. The
sample is drawn uniformly from the rows, each printed with a sentence where the name stands.
Timings are CPU seconds of this process.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.corpus import read_corpus  # noqa: E402
from kg.document import Article, Mention  # noqa: E402
from kg.graph.resolve import follow, link_across, resolve_article  # noqa: E402


def tagged_articles(corpus: list[str], tagged: str, model: str = "auto", jobs: int = 1) -> list[Article]:
    """The corpus's articles with the mentions `kg extract` wrote for them, or those of the
    tag cache folder `tagged`."""
    if Path(tagged).is_dir():
        from kg.corpus import list_files
        from kg.tagging import tag_files

        results = tag_files(list_files(corpus), model, jobs=jobs, cache=tagged)
        return [article for result in results for article in result.articles]
    records = {}
    with open(tagged, encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            records[record["source"], record["article"]] = record["entities"]
    articles = list(read_corpus(corpus, progress=False))
    for article in articles:
        article.mentions = [Mention(**entity) for entity in records[article.source, article.index]]
    return articles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tagged", help="the output of `kg extract CORPUS`, or a tag cache folder")
    parser.add_argument("corpus", nargs="+")
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--min-articles", type=int, default=2)
    parser.add_argument("--agreement", type=float, default=0.9)
    parser.add_argument("--alone", type=float, default=1.0)
    parser.add_argument("--model", default="auto", help="the pipeline of the tag cache (as `kg build --model`)")
    parser.add_argument("--jobs", type=int, default=1, help="processes tagging what the cache lacks")
    args = parser.parse_args(argv)
    articles = tagged_articles(args.corpus, args.tagged, args.model, args.jobs)

    started = time.process_time()
    resolutions = [resolve_article(article) for article in articles]
    local_seconds = time.process_time() - started
    targets, ambiguous, standalone = defaultdict(Counter), Counter(), Counter()
    for resolution in resolutions:
        for name, entity in [*resolution.links, *resolution.suggested.items()]:
            targets[name][entity] += 1
        ambiguous.update(resolution.ambiguous)
        standalone.update(resolution.standalone)
    started = time.process_time()
    across = link_across(
        targets, ambiguous, standalone, min_articles=args.min_articles, agreement=args.agreement, alone=args.alone
    )
    across_seconds = time.process_time() - started

    rows: Counter[tuple] = Counter()
    example: dict[tuple, str] = {}
    mentions: Counter = Counter()
    key_articles: Counter = Counter()
    for article, resolution in zip(articles, resolutions):
        sentence_of = {}
        for mention, key in zip(article.mentions, resolution.keys):
            mentions[follow(across, key)] += 1
            sentence_of.setdefault(key, article.sentence_text(mention.sentence))
            sentence_of.setdefault((mention.label, mention.text), article.sentence_text(mention.sentence))
        for key in set(resolution.keys):
            key_articles[key] += 1
            final = follow(across, key)
            if final != key:
                row = (key[1], key[0], final[1], "across articles")
                rows[row] += 1
                example.setdefault(row, sentence_of[key])
        for (name, entity), basis in resolution.links.items():
            final = follow(across, entity)
            if name[1] != final[1]:
                row = (name[1], name[0], final[1], basis)
                rows[row] += 1
                example.setdefault(row, sentence_of.get(name, ""))

    print(f"{len(articles)} articles, {sum(len(a.mentions) for a in articles)} mentions, {len(mentions)} nodes")
    print(f"resolve_article {local_seconds:.2f} s CPU, link_across {across_seconds:.2f} s CPU")
    by_basis = Counter(row[3] for row in rows)
    print("merges (alias rows) by basis:", ", ".join(f"{basis} {count}" for basis, count in by_basis.most_common()))
    single = [(key, count) for key, count in mentions.items() if len(key[1]) == 1]
    print(f"names of one character left unresolved (GraphBuilder makes no node of them): {len(single)}, {sum(c for _, c in single)} mentions:",
          " ".join(f"{name}({count})" for (_, name), count in sorted(single, key=lambda s: -s[1])[:30]))  # fmt: skip
    print("most mentioned nodes:", " ".join(f"{label}:{name}({count})" for (label, name), count in mentions.most_common(15)))
    # A link changes the graph only where its name stood alone; elsewhere the article had
    # already resolved it.
    effective = {name: entity for name, entity in across.items() if standalone[name]}
    print(f"\nacross-article links: {len(across)}, of which {len(effective)} where the name stood alone:")
    for name, entity in sorted(effective.items(), key=lambda link: -targets[link[0]][link[1]]):
        print(f"  {name[0]}:{name[1]} -> {entity[1]}  resolved {dict(targets[name].most_common(3))} "
              f"ambiguous {ambiguous[name]} alone {standalone[name]}")  # fmt: skip
    sample = random.Random(args.seed).sample(sorted(rows), min(args.sample, len(rows)))
    print(f"\nsample of {len(sample)} of {len(rows)} merges (seed {args.seed}): alias, label, canonical, basis, articles, a sentence")
    for row in sorted(sample, key=lambda row: (row[3], row[1], row[0])):
        print("\t".join(map(str, (*row, rows[row], example[row][:80]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
