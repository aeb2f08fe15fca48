"""How long `kg.graph.build_graph` takes, and how much memory, on a graph of ~1M co-occurrence edges.

The articles are generated in memory: each is about one topic (a pool of entities), its
sentences list a few of the topic's entities and one of a few hub places (like 新疆). Prints
the sizes, the seconds spent generating and building (wall clock, and CPU time of this process:
the machine is shared, so the wall clock depends on the others' load, printed too), and the
peak RSS of the process.

    PYTHONPATH=. .venv/bin/python benchmarks/graph_scale.py [--articles 18000] [--seed 0]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time

from kg.document import Article, Mention
from kg.graph import build_graph

LABELS = ("PERSON", "PLACE", "ORG", "PROJECT")
CHARS = "阿克苏拉山口准东博尔塔喀什和田伊犁昌吉哈密吐鲁番乌鲁木齐石河子库车温宿沙雅新和拜城柯坪巴楚莎车叶城泽普"


def entity_names(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """`count` distinct (label, name) pairs of 3 to 5 characters."""
    names: set[str] = set()
    while len(names) < count:
        names.add("".join(rng.choices(CHARS, k=rng.randint(3, 5))))
    return [(LABELS[i % len(LABELS)], name) for i, name in enumerate(sorted(names))]


def generate(articles: int, seed: int, topics: int = 150, topic_size: int = 1500, hubs: int = 20,
             sentences: int = 6, per_sentence: int = 5) -> list[Article]:  # fmt: skip
    rng = random.Random(seed)
    names = entity_names(topics * topic_size + hubs, rng)
    hub_names, pools = names[:hubs], [names[hubs + t * topic_size : hubs + (t + 1) * topic_size] for t in range(topics)]
    generated = []
    for index in range(articles):
        pool = pools[rng.randrange(topics)]
        text, mentions, spans = [], [], []
        offset = 0
        for number in range(sentences):
            start = offset
            chosen = [rng.choice(hub_names), *rng.sample(pool, per_sentence - 1)]
            for position, (label, name) in enumerate(chosen):
                mentions.append(Mention(name, label, offset, offset + len(name), number))
                text.append(name)
                offset += len(name)
                text.append("。\n" if position == len(chosen) - 1 else "、")
                offset += 1 if position < len(chosen) - 1 else 2
            spans.append((start, offset))
        generated.append(
            Article(source=f"generated/{index // 1000}.txt", index=index % 1000, text="".join(text),
                    sentences=spans, mentions=mentions)  # fmt: skip
        )
    return generated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=18000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    articles = generate(args.articles, args.seed)
    generated, cpu_started = time.perf_counter(), time.process_time()
    graph = build_graph(articles)
    built, cpu = time.perf_counter(), time.process_time() - cpu_started

    edges = sum(1 for _, _, key in graph.edges(keys=True) if key == "CO_OCCURS_WITH")
    mentions = sum(len(a.mentions) for a in articles)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"articles {len(articles)}, mentions {mentions}, nodes {graph.number_of_nodes()}, "
          f"co-occurrence edges {edges}, all edges {graph.number_of_edges()}")  # fmt: skip
    print(
        f"generate {generated - started:.1f} s, build_graph {built - generated:.1f} s ({cpu:.1f} s CPU), "
        f"peak RSS {peak:.0f} MiB, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
