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

from kg.export.viewer import write_viewer

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
            mentions=0, articles=mentioned_in, sources=sorted({a.split(":", 1)[1].split("#")[0] for a in mentioned_in}),
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
def small(tmp_path_factory):
    """A 60-entity graph and its page."""
    graph = schema_graph(60, 150, seed=1)
    return graph, write_viewer(graph, tmp_path_factory.mktemp("viewer") / "graph.html")


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
    articles = sorted(attrs["articles"], key=lambda a: (-graph.edges[a, person, "MENTIONS"]["count"], a))[:3]
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
    path = write_viewer(graph, tmp_path / "graph.html", max_nodes=50)
    open_viewer(driver, path)
    kept = top_entities(graph, 50)
    assert sorted(js(driver, "return kgViewer.nodes.getIds()")) == sorted(kept)
    kept_edges = entity_edges(graph, set(kept))
    assert js(driver, "return kgViewer.edges.length") == len(kept_edges)
    notice = driver.find_element("id", "omitted").text
    assert f"70 more entities and {len(entity_edges(graph)) - len(kept_edges)} edges are left out" in notice
    assert f"kg view {tmp_path} --max-nodes 120" in notice
    open_viewer(driver, write_viewer(graph, tmp_path / "all.html", max_nodes=None))
    assert driver.find_elements("id", "omitted") == []
    assert js(driver, "return kgViewer.nodes.length") == 120


@pytest.mark.slow
def test_seeds_page(driver, seeds_out, tmp_path):
    from kg.cli import main
    from kg.export import read_graph

    graph = read_graph(seeds_out)
    urls = open_viewer(driver, seeds_out / "graph.html")
    assert urls and offline(urls) == []
    kept = top_entities(graph, 500)
    assert sorted(js(driver, "return kgViewer.network.body.data.nodes.getIds()")) == sorted(kept)
    assert js(driver, "return kgViewer.network.body.data.edges.length") == len(entity_edges(graph, set(kept)))
    screenshot(driver, "viewer-seeds.png")
    # `kg view` rebuilds the page with fewer nodes, and the page says how to get them back.
    assert main(["view", str(seeds_out), "--max-nodes", "5", "--out", str(tmp_path / "five.html"), "--no-open"]) == 0
    open_viewer(driver, tmp_path / "five.html")
    assert sorted(js(driver, "return kgViewer.nodes.getIds()")) == sorted(top_entities(graph, 5))
    assert f"--max-nodes {len(top_entities(graph))}" in driver.find_element("id", "omitted").text
