"""graph.html in a real browser: Debian's headless Chromium driven by Selenium."""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import networkx as nx
import pytest
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from kg.errors import KgError
from kg.export.viewer import write_viewer
from kg.nlp.evaluate import read_bio

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
HOSTILE = "<img src=x onerror=alert(1)>"
# A sentence that would end the page's <script> early, or a JS string literal, if embedded raw.
HOSTILE_SENTENCE = "据悉</script><script>alert(2)</script>，项目\u2028今年开工。"

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "建国志强海燕秀英明华丽娟伟东春梅国庆红军晓峰立新玉兰文博"
PLACES = ["阿拉山口", "乌鲁木齐", "伊犁", "喀什", "克拉玛依", "博乐", "精河", "温泉", "霍尔果斯", "奎屯"]
PLACE_SUFFIXES = ["市", "县", "区", "镇"]
ORG_SUFFIXES = ["党委", "人民政府", "发展和改革委员会", "公安局", "海关", "教育局"]
PROJECT_SUFFIXES = ["综合保税区", "物流园", "高速公路", "光伏电站", "水利枢纽工程", "产业园"]


def schema_graph(entities: int, edges: int, seed: int = 0, articles: int = 30) -> nx.MultiDiGraph:
    """A graph as kg.graph.build_graph returns it (docs/schema.md), with made-up but
    realistic Chinese names, a hostile name and a hostile evidence sentence."""
    rng = random.Random(seed)
    graph = nx.MultiDiGraph(window="sentence", sources=3, articles=articles, created_by="kg test")
    sources = [f"news/{i:03d}.txt" for i in range(3)]
    article_ids = [f"ARTICLE:{sources[i % 3]}#{i}" for i in range(articles)]
    for i, article in enumerate(article_ids):
        graph.add_node(
            article, id=article, kind="article", name=article, title=f"{PLACES[i % len(PLACES)]}新闻第{i}期",
            source=sources[i % 3], index=i, byline=[], date="2026-11-01",
        )
    labels = ["PERSON", "PLACE", "ORG", "PROJECT"]
    names: set[tuple[str, str]] = {("PERSON", HOSTILE)}
    while len(names) < entities:
        label = rng.choices(labels, weights=[4, 2, 3, 1])[0]
        place = rng.choice(PLACES)
        name = {
            "PERSON": lambda: rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2]))),
            "PLACE": lambda: place + rng.choice(PLACE_SUFFIXES),
            "ORG": lambda: place + rng.choice(PLACE_SUFFIXES) + rng.choice(ORG_SUFFIXES),
            "PROJECT": lambda: place + rng.choice(PROJECT_SUFFIXES),
        }[label]()
        names.add((label, name))
    ids = []
    for label, name in sorted(names):
        node = f"{label}:{name}"
        mentioned_in = sorted(rng.sample(article_ids, rng.randint(1, 4)))
        graph.add_node(
            node, id=node, kind="entity", label=label, name=name, aliases=[name[:2] + "某"] if len(name) > 3 else [],
            mentions=0, articles=[a.removeprefix("ARTICLE:") for a in mentioned_in],  # as docs/schema.md says
            sources=sorted({a.split(":", 1)[1].split("#")[0] for a in mentioned_in}),
            roles=[], degree=0, pagerank=0.0, community=0,
        )
        for article in mentioned_in:
            count = rng.randint(1, 5)
            graph.add_edge(article, node, key="MENTIONS", count=count)
            graph.nodes[node]["mentions"] += count
        ids.append(node)
    # Co-occurrence with a heavy tail, as news has: a few entities in many sentences.
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < edges:
        a, b = sorted(rng.choices(ids, weights=[1 / (i + 1) for i in range(len(ids))], k=2))
        if a != b:
            pairs.add((a, b))
    for n, (a, b) in enumerate(sorted(pairs)):
        text = HOSTILE_SENTENCE if n == 0 else f"{graph.nodes[a]['name']}与{graph.nodes[b]['name']}共同出席了签约仪式。"
        graph.add_edge(
            a, b, key="CO_OCCURS_WITH", weight=min(int(rng.paretovariate(1.2)), 40), npmi=round(rng.uniform(-0.2, 0.9), 3),
            articles=[rng.choice(article_ids)], evidence=[{"text": text, "article": article_ids[0], "location": f"{sources[0]}:{n + 1}:5"}],
        )
    people = [n for n in ids if n.startswith("PERSON:")]
    orgs = [n for n in ids if n.startswith(("ORG:", "PLACE:"))]
    for person in people[: len(people) // 3]:
        org = rng.choice(orgs)
        title = rng.choice(["党委书记", "市长", "局长", "主任"])
        graph.nodes[person]["roles"] = [{"title": title, "org": graph.nodes[org]["name"], "article": article_ids[0]}]
        graph.add_edge(person, org, key="HOLDS_ROLE", title=title, articles=[article_ids[0]])
    for place in [n for n in ids if n.startswith(("PROJECT:", "PLACE:"))][::4]:
        target = rng.choice([n for n in ids if n.startswith("PLACE:") and n != place])
        graph.add_edge(place, target, key="LOCATED_IN", basis="gazetteer")
    co = nx.Graph()
    co.add_weighted_edges_from((u, v, d["weight"]) for u, v, k, d in graph.edges(keys=True, data=True) if k == "CO_OCCURS_WITH")
    total = sum(w for _, w in co.degree(weight="weight")) or 1
    for node in ids:
        graph.nodes[node]["degree"] = co.degree(node) if node in co else 0
        # Weighted degree share stands in for PageRank: same ordering idea, no scipy needed.
        graph.nodes[node]["pagerank"] = (co.degree(node, weight="weight") if node in co else 0) / total
    return graph


def top_entities(graph, n: int | None = None) -> list[str]:
    """The entities the page should draw: the n highest by PageRank (ties by id)."""
    entities = [node for node, kind in graph.nodes(data="kind") if kind == "entity"]
    return sorted(entities, key=lambda node: (-graph.nodes[node]["pagerank"], node))[:n]


def entity_edges(graph, kept=None) -> list[tuple[str, str, str]]:
    kept = kept or {n for n, kind in graph.nodes(data="kind") if kind == "entity"}
    return [(u, v, k) for u, v, k in graph.edges(keys=True) if u in kept and v in kept]


def chrome_missing() -> str | None:
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not shutil.which(path)]
    return f"{' and '.join(missing)} not installed (apt-get install chromium chromium-driver)" if missing else None


@contextmanager
def chrome(width: int = 1400, height: int = 900):
    """Headless Debian Chromium that logs every network request the page makes."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
        "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
        # Nothing may leave the page; should something try, fail it at once instead of waiting on DNS.
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    with tempfile.TemporaryDirectory(prefix="kg-chrome-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        try:
            yield driver
        finally:
            driver.quit()


def open_viewer(driver, path: Path, timeout: float = 60) -> list[str]:
    """Load `path`, wait until the layout settled; return every URL the page requested."""
    forget_requests(driver)
    driver.get(path.resolve().as_uri())
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script("return !!(window.kgViewer && kgViewer.settled)"))
    return requested_urls(driver)


def forget_requests(driver) -> None:
    """Start the request log afresh: leave the last page (or Chromium's start page) first."""
    driver.get("about:blank")
    driver.get_log("performance")


def requested_urls(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] in ("Network.requestWillBeSent", "Network.webSocketCreated"):
            urls.append(message["params"].get("request", message["params"]).get("url"))
    return urls


@pytest.fixture(scope="module")
def driver():
    missing = chrome_missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs a browser for the viewer tests: {missing}")
        pytest.skip(missing)
    with chrome() as browser:
        yield browser


@pytest.fixture(scope="module")
def small_graph():
    return schema_graph(60, 150, seed=1)


@pytest.fixture
def small(small_graph, tmp_path):
    """A 60-entity graph and its page, every edge drawn (the cap has its own tests). The page
    is written in each test, so that mutmut links every test to the viewer's code."""
    return small_graph, write_viewer(small_graph, tmp_path / "graph.html", max_edges_per_node=None)


def screenshot(driver, name: str) -> None:
    """Keep a picture of the page under test-artifacts/, to look at after a run."""
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / name))


def js(driver, script: str, *args):
    return driver.execute_script(script, *args)


def wait_until_focused(driver, node: str) -> None:
    """Wait for the search's focus animation to put `node` selected in the middle of the view."""

    def focused(d):
        view, at = js(d, "const n = kgViewer.network; return [n.getViewPosition(), n.getPositions([arguments[0]])[arguments[0]]]", node)
        return abs(view["x"] - at["x"]) < 1 and abs(view["y"] - at["y"]) < 1

    assert js(driver, "return kgViewer.network.getSelectedNodes()") == [node]
    WebDriverWait(driver, 10).until(focused)


def offline(urls: list[str]) -> list[str]:
    """The URLs that would leave the file."""
    return [url for url in urls if not url.startswith(("file:", "data:"))]


def test_the_network_log_sees_requests_leaving_the_page(driver, tmp_path):
    # The offline checks below are only worth something if this one catches a CDN link,
    # such as the Bootstrap one pyvis's own template adds.
    page = tmp_path / "leaky.html"
    page.write_text('<link rel="stylesheet" href="https://cdn.jsdelivr.net/x.css"><img src="http://example.org/a.png">')
    forget_requests(driver)
    driver.get(page.as_uri())
    assert offline(requested_urls(driver)) == ["https://cdn.jsdelivr.net/x.css", "http://example.org/a.png"]


def test_page_is_offline_and_draws_entities_not_articles(driver, small):
    graph, path = small
    urls = open_viewer(driver, path)
    assert urls and offline(urls) == []
    entities = [n for n, kind in graph.nodes(data="kind") if kind == "entity"]
    drawn = js(driver, "return kgViewer.network.body.data.nodes.getIds()")
    assert sorted(drawn) == sorted(entities)
    assert js(driver, "return kgViewer.network.body.data.edges.length") == len(entity_edges(graph))
    kinds = Counter(js(driver, "return kgViewer.edges.map(e => e.info.type)"))
    assert kinds == Counter(k for _, _, k in entity_edges(graph))
    assert js(driver, "return kgViewer.edges.get({filter: e => e.info.type === 'HOLDS_ROLE'}).every(e => e.dashes)")
    screenshot(driver, "viewer-small.png")


def test_title_and_header_summarise_the_corpus(driver, small):
    graph, path = small
    open_viewer(driver, path)
    labels = Counter(label for _, label in graph.nodes(data="label") if label)
    per_label = ", ".join(f"{labels[label]} {label}" for label in ("PERSON", "PLACE", "ORG", "PROJECT"))
    corpus = f"3 sources · 30 articles · 60 entities ({per_label}) · {len(entity_edges(graph))} edges"
    assert driver.find_element("id", "corpus").text == corpus
    assert driver.title == f"kg graph · {corpus}"


def test_layout_settles_then_physics_stops(driver, small):
    _, path = small
    open_viewer(driver, path)
    assert js(driver, "return kgViewer.network.physics.physicsEnabled") is False
    before = js(driver, "return kgViewer.network.getPositions()")
    js(driver, "return new Promise(done => setTimeout(done, 500))")
    assert js(driver, "return kgViewer.network.getPositions()") == before


def test_the_same_page_opens_with_the_same_picture(driver, small):
    # The layout starts from a fixed seed: a graph looks the same each time it is opened.
    _, path = small
    pictures = []
    for _ in range(2):
        open_viewer(driver, path)
        pictures.append(js(driver, "return kgViewer.network.getPositions()"))
    assert pictures[0] == pictures[1] and len(pictures[0]) == 60


def test_search_focuses_an_entity_by_alias(driver, small):
    graph, path = small
    open_viewer(driver, path)
    node = next(n for n, d in graph.nodes(data=True) if d.get("aliases") and d["label"] == "ORG")
    search = driver.find_element("id", "search-input")
    search.send_keys(graph.nodes[node]["aliases"][0] + "\n")
    wait_until_focused(driver, node)
    assert graph.nodes[node]["name"] in driver.find_element("id", "status").text


def test_search_says_when_nothing_matches(driver, small):
    _, path = small
    open_viewer(driver, path)
    driver.find_element("id", "search-input").send_keys("不存在的名字\n")
    assert driver.find_element("id", "status").text == "nothing named “不存在的名字”"
    assert js(driver, "return kgViewer.network.getSelectedNodes()") == []


def test_label_filter_hides_a_label(driver, small):
    graph, path = small
    open_viewer(driver, path)
    visible = "return kgViewer.nodes.get({filter: n => !n.hidden}).map(n => n.info.label)"
    driver.find_element("css selector", "#legend input[value=PERSON]").click()
    labels = Counter(label for _, label in graph.nodes(data="label") if label)
    assert Counter(js(driver, visible)) == labels - Counter({"PERSON": labels["PERSON"]})
    screenshot(driver, "viewer-no-people.png")
    driver.find_element("css selector", "#legend input[value=PERSON]").click()
    assert Counter(js(driver, visible)) == labels


def test_minimum_edge_weight_hides_lighter_co_occurrences(driver, small):
    graph, path = small
    open_viewer(driver, path)
    js(driver, "const s = document.getElementById('min-weight'); s.value = 3; s.dispatchEvent(new Event('input'))")
    shown = js(driver, "return kgViewer.edges.get({filter: e => !e.hidden}).length")
    heavy = [k for u, v, k, d in graph.edges(keys=True, data=True) if k != "MENTIONS" and d.get("weight", 3) >= 3]
    assert shown == len(heavy) < len(entity_edges(graph))


def test_names_and_sentences_are_text_not_markup(driver, small):
    _, path = small
    open_viewer(driver, path)
    with pytest.raises(TimeoutException):
        WebDriverWait(driver, 1).until(expected_conditions.alert_is_present())
    assert js(driver, "return document.querySelectorAll('img').length") == 0
    node = f"PERSON:{HOSTILE}"
    assert js(driver, "return kgViewer.nodes.get(arguments[0]).label", node) == HOSTILE
    quote = js(driver, "return kgViewer.edges.get({filter: e => e.info.evidence && e.info.evidence.length})"
               ".map(e => e.title.querySelector('.tip-quote').firstChild.textContent)")
    assert HOSTILE_SENTENCE in quote
    # Hover the node as a person would and read the tooltip vis-network shows.
    driver.find_element("id", "search-input").send_keys(HOSTILE + "\n")
    wait_until_focused(driver, node)
    at = js(driver, "const n = kgViewer.network; return n.canvasToDOM(n.getPositions([arguments[0]])[arguments[0]])", node)
    canvas = driver.find_element("css selector", "#network canvas")
    ActionChains(driver).move_to_element_with_offset(canvas, 0, 0).move_by_offset(
        int(at["x"] - canvas.size["width"] / 2), int(at["y"] - canvas.size["height"] / 2)
    ).perform()
    tooltip = WebDriverWait(driver, 10).until(
        expected_conditions.visibility_of_element_located(("css selector", "div.vis-tooltip"))
    )
    assert tooltip.text.startswith(HOSTILE)
    assert tooltip.find_elements("css selector", "img") == []
    assert js(driver, "return document.querySelectorAll('img').length") == 0
    screenshot(driver, "viewer-tooltip.png")


def test_tooltips_show_aliases_roles_articles_and_evidence(driver, small):
    graph, path = small
    open_viewer(driver, path)
    tip = "return kgViewer[arguments[0]].get(arguments[1]).title.textContent"
    person = next(n for n, d in graph.nodes(data=True) if d.get("roles") and d.get("aliases"))
    attrs = graph.nodes[person]
    text = js(driver, tip, "nodes", person)
    role = attrs["roles"][0]
    nodes = [f"ARTICLE:{a}" for a in attrs["articles"]]
    articles = sorted(nodes, key=lambda a: (-graph.edges[a, person, "MENTIONS"]["count"], a))[:3]
    for expected in (attrs["name"], "PERSON", attrs["aliases"][0], f"mentions: {attrs['mentions']}"):
        assert expected in text
    lists = js(driver, "return Array.from(kgViewer.nodes.get(arguments[0]).title.querySelectorAll('ul'),"
                       " ul => Array.from(ul.children, li => li.textContent))", person)
    assert lists == [[role["org"] + role["title"]], [graph.nodes[a]["title"] for a in articles]]
    u, v, data = next((u, v, d) for u, v, k, d in graph.edges(keys=True, data=True) if k == "CO_OCCURS_WITH")
    edge = js(driver, "return kgViewer.edges.get({filter: e => e.from === arguments[0] && e.to === arguments[1]"
                      " && e.info.type === 'CO_OCCURS_WITH'})[0].id", u, v)
    text = js(driver, tip, "edges", edge)
    evidence = data["evidence"][0]
    for expected in (f"co-occurrences: {data['weight']}", f"NPMI: {data['npmi']:.2f}", evidence["text"], evidence["location"]):
        assert expected in text


def test_empty_graph_says_so(driver, tmp_path):
    open_viewer(driver, write_viewer(nx.MultiDiGraph(), tmp_path / "graph.html"))
    assert driver.find_element("id", "status").text == "no entities in this graph"


def test_large_graph_keeps_top_nodes_and_says_how_to_see_more(driver, tmp_path):
    graph = schema_graph(120, 300, seed=2)
    path = write_viewer(graph, tmp_path / "graph.html", max_nodes=50, max_edges_per_node=None)
    open_viewer(driver, path)
    kept = top_entities(graph, 50)
    assert sorted(js(driver, "return kgViewer.nodes.getIds()")) == sorted(kept)
    kept_edges = entity_edges(graph, set(kept))
    assert js(driver, "return kgViewer.edges.length") == len(kept_edges)
    notice = driver.find_element("id", "omitted").text
    assert f"70 more entities and {len(entity_edges(graph)) - len(kept_edges)} edges are left out" in notice
    assert notice.endswith(f"To draw them all: kg view {tmp_path} --max-nodes 120")
    open_viewer(driver, write_viewer(graph, tmp_path / "all.html", max_nodes=None, max_edges_per_node=None))
    assert driver.find_elements("id", "omitted") == []
    assert js(driver, "return kgViewer.nodes.length") == 120


def add_entity(graph, node: str, pagerank: float) -> None:
    label, name = node.split(":", 1)
    graph.add_node(
        node, id=node, kind="entity", label=label, name=name, aliases=[], mentions=1, articles=["news/000.txt#0"],
        sources=["news/000.txt"], roles=[], degree=0, pagerank=pagerank, community=0,
    )


def add_cooccurrence(graph, a: str, b: str, weight: int, npmi: float, evidence: list[str] | None = None) -> None:
    a, b = sorted((a, b))  # stored once, from the smaller id
    texts = evidence or [f"{graph.nodes[a]['name']}与{graph.nodes[b]['name']}一同出席。"]
    graph.add_edge(
        a, b, key="CO_OCCURS_WITH", weight=weight, npmi=npmi, articles=["news/000.txt#0"],
        evidence=[{"text": t, "article": "news/000.txt#0", "location": f"news/000.txt:{i + 1}:1"} for i, t in enumerate(texts)],
    )


@pytest.fixture(scope="module")
def clique_ring_star():
    """Three components whose strongest two edges per entity are known by hand:
    - a clique K0..K5 where K_i-K_j has weight i+j+1: every K's two heaviest go to K5 and K4
      (K5's and K4's to each other and to K3), so 9 of the 15 edges are drawn: K0..K4-K5 and K0..K3-K4;
    - a clique R0..R5 of equal weights where the ring R0-R1-...-R5-R0 has NPMI 0.8 and the
      chords 0.1: NPMI breaks the ties, every R keeps its two ring neighbours, 6 of 15 drawn;
    - a star H-L1..L4 of weights 1..4: H's two strongest are L4 and L3, but each leaf's only
      edge is its strongest, so all 4 are drawn;
    and a role (L1 -> K0) and a location (R0 -> R3) whose ends' co-occurrence is not drawn.
    PageRank puts K and R above the star."""
    graph = nx.MultiDiGraph(window="sentence", sources=1, articles=1, created_by="kg test")
    clique = [f"ORG:K{i}" for i in range(6)]
    ring = [f"PLACE:R{i}" for i in range(6)]
    star = ["PERSON:H", *(f"PERSON:L{i}" for i in range(1, 5))]
    for rank, node in enumerate(clique + ring + star):
        add_entity(graph, node, pagerank=1 / (rank + 1))
    for i in range(6):
        for j in range(i + 1, 6):
            add_cooccurrence(graph, clique[i], clique[j], weight=i + j + 1, npmi=0.5)
            add_cooccurrence(graph, ring[i], ring[j], weight=2, npmi=0.8 if j - i in (1, 5) else 0.1)
    for i, leaf in enumerate(star[1:], start=1):
        add_cooccurrence(graph, "PERSON:H", leaf, weight=i, npmi=0.3)
    graph.add_edge("PERSON:L1", "ORG:K0", key="HOLDS_ROLE", title="主任", articles=["news/000.txt#0"])
    graph.add_edge("PLACE:R0", "PLACE:R3", key="LOCATED_IN", basis="text")
    drawn = {
        *((f"ORG:K{i}", "ORG:K5", "CO_OCCURS_WITH") for i in range(5)),
        *((f"ORG:K{i}", "ORG:K4", "CO_OCCURS_WITH") for i in range(4)),
        *((f"PLACE:R{i}", f"PLACE:R{i + 1}", "CO_OCCURS_WITH") for i in range(5)),
        ("PLACE:R0", "PLACE:R5", "CO_OCCURS_WITH"),
        *(("PERSON:H", f"PERSON:L{i}", "CO_OCCURS_WITH") for i in range(1, 5)),
        ("PERSON:L1", "ORG:K0", "HOLDS_ROLE"),
        ("PLACE:R0", "PLACE:R3", "LOCATED_IN"),
    }
    return graph, drawn


def drawn_edges(driver) -> set[tuple[str, str, str]]:
    return {tuple(e) for e in js(driver, "return kgViewer.edges.map(e => [e.from, e.to, e.info.type])")}


def test_each_entity_keeps_its_strongest_co_occurrences(driver, tmp_path, clique_ring_star):
    graph, expected = clique_ring_star
    assert len(expected) == 9 + 6 + 4 + 2 and len(entity_edges(graph)) == 15 + 15 + 4 + 2
    open_viewer(driver, write_viewer(graph, tmp_path / "graph.html", max_nodes=None, max_edges_per_node=2))
    assert js(driver, "return kgViewer.network.body.data.edges.length") == 21
    assert drawn_edges(driver) == expected
    notice = driver.find_element("id", "omitted").text
    assert notice == (
        "Showing all 17 entities, each with its 2 strongest co-occurrences (most sentences together, then highest "
        f"NPMI); 15 edges are left out. To draw them all: kg view {tmp_path} --max-nodes 17 --max-edges-per-node 5"
    )
    # The weight slider works on what is drawn: K's edges weigh 5 to 10, R's 2 and the star's 1 to 4.
    assert js(driver, "return Number(document.getElementById('min-weight').max)") == 10
    js(driver, "const s = document.getElementById('min-weight'); s.value = 5; s.dispatchEvent(new Event('input'))")
    assert js(driver, "return kgViewer.edges.get({filter: e => !e.hidden}).length") == 9 + 2
    open_viewer(driver, write_viewer(graph, tmp_path / "all.html", max_nodes=None, max_edges_per_node=None))
    assert drawn_edges(driver) == set(entity_edges(graph))
    assert driver.find_elements("id", "omitted") == []


def test_page_counts_entities_and_edges_left_out_by_both_caps(driver, tmp_path, clique_ring_star):
    graph, expected = clique_ring_star
    open_viewer(driver, write_viewer(graph, tmp_path / "graph.html", max_nodes=12, max_edges_per_node=2))
    assert drawn_edges(driver) == {(u, v, k) for u, v, k in expected if "PERSON:" not in u + v}
    # Left out: the star's 5 entities, its 4 edges and the role, and the 15 capped K and R edges.
    assert driver.find_element("id", "omitted").text == (
        "Showing the 12 entities with the highest PageRank, each with its 2 strongest co-occurrences (most sentences "
        "together, then highest NPMI); 5 more entities and 20 edges are left out, 15 of them between entities shown. "
        f"To draw them all: kg view {tmp_path} --max-nodes 17 --max-edges-per-node 5"
    )


def test_edge_tooltip_quotes_two_sentences_cut_around_the_pair(driver, tmp_path, clique_ring_star):
    graph, _ = clique_ring_star
    graph = graph.copy()
    long = "甲" * 80 + "R0与R1签约" + "乙" * 80
    add_cooccurrence(graph, "PLACE:R0", "PLACE:R1", 2, 0.8, [long, "R0和R1。", "第三句。"])
    open_viewer(driver, write_viewer(graph, tmp_path / "graph.html", max_nodes=None))
    quotes = js(driver, "return Array.from(kgViewer.edges.get({filter: e => e.from === 'PLACE:R0' && e.to === 'PLACE:R1'"
                        " && e.info.type === 'CO_OCCURS_WITH'})[0].title.querySelectorAll('.tip-quote'),"
                        " q => q.firstChild.textContent)")
    assert len(quotes) == 2 and quotes[1] == "R0和R1。"
    assert quotes[0].startswith("…甲") and quotes[0].endswith("乙…") and "R0与R1签约" in quotes[0]
    assert len(quotes[0]) == 100 + 2


def test_fewer_than_one_edge_per_node_is_refused(tmp_path, clique_ring_star):
    with pytest.raises(KgError, match="max edges per node must be at least 1 .*got 0"):
        write_viewer(clique_ring_star[0], tmp_path / "graph.html", max_edges_per_node=0)
    assert not (tmp_path / "graph.html").exists()


def with_news_evidence(graph, sentences: list[str], seed: int = 0):
    """Each co-occurrence quotes three real news sentences with the pair's names put in."""
    rng = random.Random(seed)
    for u, v, kind, attrs in graph.edges(keys=True, data=True):
        if kind == "CO_OCCURS_WITH":
            texts = []
            for sentence in rng.sample(sentences, 3):
                at = rng.randrange(len(sentence) + 1)
                texts.append(f"{sentence[:at]}{graph.nodes[u]['name']}与{graph.nodes[v]['name']}{sentence[at:]}")
            attrs["evidence"] = [
                {"text": t, "article": "ARTICLE:news/000.txt#0", "location": f"news/{rng.randrange(43):03d}.txt:{rng.randrange(1, 90_000)}:{rng.randrange(1, 80)}"}
                for t in texts
            ]
    return graph


def news_sentences(corpora_dir) -> list[str]:
    return [text for text, _ in read_bio(corpora_dir / "peoples_daily_ner.dev.bio")]


def test_a_big_graph_makes_a_page_under_5_mb(driver, tmp_path, corpora_dir):
    # The size of the top 500 entities of a 20 MB news corpus: 15,918 edges made a 22 MB page.
    graph = with_news_evidence(schema_graph(500, 16_000, seed=3), news_sentences(corpora_dir))
    path = write_viewer(graph, tmp_path / "graph.html")
    assert path.stat().st_size < 5_000_000
    open_viewer(driver, path)
    drawn = js(driver, "return kgViewer.edges.length")
    assert drawn < 500 * 5
    assert f"{len(entity_edges(graph)) - drawn} edges are left out" in driver.find_element("id", "omitted").text


@pytest.mark.slow
def test_seeds_page(driver, seeds_out, tmp_path):
    from kg.cli import main
    from kg.export import read_graph

    graph = read_graph(seeds_out)
    urls = open_viewer(driver, seeds_out / "graph.html")
    assert urls and offline(urls) == []
    kept = top_entities(graph, 500)
    assert sorted(js(driver, "return kgViewer.network.body.data.nodes.getIds()")) == sorted(kept)
    # The seeds' busiest entities co-occur with dozens: each keeps at least its 5 strongest,
    # every role and location is drawn, and the page counts the rest.
    among = set(entity_edges(graph, set(kept)))
    drawn = drawn_edges(driver)
    assert drawn < among
    assert {e for e in among if e[2] != "CO_OCCURS_WITH"} <= drawn
    for node in kept:
        ties = [e for e in among if e[2] == "CO_OCCURS_WITH" and node in e[:2]]
        assert len([e for e in ties if e in drawn]) >= min(5, len(ties))
    assert f"{len(entity_edges(graph)) - len(drawn)} edges are left out" in driver.find_element("id", "omitted").text
    screenshot(driver, "viewer-seeds.png")
    # `kg view` rebuilds the page with fewer nodes, and the page says how to get them back.
    assert main(["view", str(seeds_out), "--max-nodes", "5", "--out", str(tmp_path / "five.html"), "--no-open"]) == 0
    open_viewer(driver, tmp_path / "five.html")
    assert sorted(js(driver, "return kgViewer.nodes.getIds()")) == sorted(top_entities(graph, 5))
    assert f"--max-nodes {len(top_entities(graph))}" in driver.find_element("id", "omitted").text


# ---- the date range (issue 19) ---------------------------------------------------------------------------


def dated_graph() -> nx.MultiDiGraph:
    """Four articles (one undated) and four entities, dated as docs/schema.md says, by hand:
    A in a1, a2, a3; B in a1, a2, a4; C in a3, a4; D in a4 only (never seen on a date)."""
    graph = nx.MultiDiGraph(window="sentence", sources=1, articles=4, created_by="kg test")
    days = {"p.txt#1": "2023-03-05", "p.txt#2": "2024-07-23", "p.txt#3": "2025-01-10", "p.txt#4": ""}
    for index, (article, day) in enumerate(days.items()):
        graph.add_node(f"ARTICLE:{article}", id=f"ARTICLE:{article}", kind="article", name=article, title=f"标题{index}",
                       source="p.txt", index=index + 1, byline=[], date=day)  # fmt: skip
    seen = {"A": ("2023-03-05", "2025-01-10"), "B": ("2023-03-05", "2024-07-23"), "C": ("2025-01-10", "2025-01-10")}
    articles = {"A": ["p.txt#1", "p.txt#2", "p.txt#3"], "B": ["p.txt#1", "p.txt#2", "p.txt#4"], "C": ["p.txt#3", "p.txt#4"], "D": ["p.txt#4"]}
    for rank, (letter, mentioned) in enumerate(articles.items()):
        node = f"PLACE:{letter}地"
        times = dict(zip(("first_seen", "last_seen"), seen[letter])) if letter in seen else {}
        graph.add_node(node, id=node, kind="entity", label="PLACE", name=f"{letter}地", aliases=[], mentions=len(mentioned),
                       articles=mentioned, sources=["p.txt"], degree=1, pagerank=0.4 - rank / 10, community=0, **times)  # fmt: skip
        for article in mentioned:
            graph.add_edge(f"ARTICLE:{article}", node, key="MENTIONS", count=1)
    for (u, v), (shared, times) in {
        ("A", "B"): (["p.txt#1", "p.txt#2"], {"first_seen": "2023-03-05", "last_seen": "2024-07-23"}),
        ("A", "C"): (["p.txt#3"], {"first_seen": "2025-01-10", "last_seen": "2025-01-10"}),
        ("B", "D"): (["p.txt#4"], {}),
    }.items():
        graph.add_edge(f"PLACE:{u}地", f"PLACE:{v}地", key="CO_OCCURS_WITH", weight=len(shared), npmi=0.5, articles=shared,
                       evidence=[{"text": f"{u}地与{v}地。", "article": shared[0], "location": "p.txt:1:1"}], **times)  # fmt: skip
    graph.add_edge("PLACE:C地", "PLACE:B地", key="LOCATED_IN", basis="gazetteer")
    return graph


def set_range(driver, start: str, end: str) -> tuple[list[str], str]:
    """Set the month range as a user would (a change event each); the entities left shown, and the status."""
    for element, value in (("date-from", start), ("date-to", end)):
        js(driver, "const box = document.getElementById(arguments[0]); box.value = arguments[1];"
                   " box.dispatchEvent(new Event('change'))", element, value)  # fmt: skip
    shown = js(driver, "return kgViewer.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
    return sorted(name.removeprefix("PLACE:") for name in shown), driver.find_element("id", "status").text


def test_date_range_shows_only_what_was_seen_in_it(driver, tmp_path):
    open_viewer(driver, write_viewer(dated_graph(), tmp_path / "graph.html"))
    assert js(driver, "return [document.getElementById('date-from').min, document.getElementById('date-to').max]") == ["2023-03", "2025-01"]
    # 2024: only a2 (July) is in it: A and B, and their co-occurrence; C (a3, a4), D (undated) hidden.
    assert set_range(driver, "2024-01", "2024-12") == (["A地", "B地"], "2 entities, 1 edges shown · hover for details, scroll to zoom")
    # January 2025: a3 alone: A and C with theirs; LOCATED_IN C -> B follows its ends, B being hidden.
    assert set_range(driver, "2025-01", "2025-01") == (["A地", "C地"], "2 entities, 1 edges shown · hover for details, scroll to zoom")
    # July 2024 to January 2025: A, B, C; LOCATED_IN (geography, undated) is drawn between shown ends.
    assert set_range(driver, "2024-07", "2025-01") == (["A地", "B地", "C地"], "3 entities, 3 edges shown · hover for details, scroll to zoom")
    # A month with no article: nothing.
    assert set_range(driver, "2023-04", "2024-06")[0] == []
    # A cleared box is no bound: from the start to 2023-12 is a1 alone.
    assert set_range(driver, "", "2023-12")[0] == ["A地", "B地"]
    # The whole span hides nothing, the undated D and B-D included.
    assert set_range(driver, "2023-03", "2025-01") == (["A地", "B地", "C地", "D地"], "4 entities, 4 edges shown · hover for details, scroll to zoom")


def test_tooltips_say_first_and_last_seen(driver, tmp_path):
    open_viewer(driver, write_viewer(dated_graph(), tmp_path / "graph.html"))
    assert "seen: 2023-03-05 – 2025-01-10" in js(driver, "return kgViewer.nodes.get('PLACE:A地').title.textContent")
    assert "seen" not in js(driver, "return kgViewer.nodes.get('PLACE:D地').title.textContent")
    edge = "return kgViewer.edges.get({filter: e => e.from === arguments[0] && e.to === arguments[1]})[0].title.textContent"
    assert "seen: 2023-03-05 – 2024-07-23" in js(driver, edge, "PLACE:A地", "PLACE:B地")


def test_an_undated_graph_has_no_date_range(driver, small):
    _, path = small  # its articles have dates, but no entity was given first_seen: nothing to filter on
    open_viewer(driver, path)
    assert driver.find_elements("id", "dates") == []
