/* kg graph viewer: draws the embedded graph with vis-network and wires the controls.
   Names and sentences are data, never markup: tooltips and messages are built with
   textContent / text nodes only. */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const status = document.getElementById("status");

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function row(tip, key, value) {
    tip.appendChild(el("div", "tip-row")).append(el("span", "tip-key", key + ": "), String(value));
  }

  function section(tip, key, items) {
    if (!items.length) return;
    tip.appendChild(el("div", "tip-row tip-key", key + ":"));
    const list = tip.appendChild(el("ul", "tip-list"));
    for (const item of items) list.appendChild(el("li", "", item));
  }

  function nodeTip(info) {
    const tip = el("div");
    tip.appendChild(el("div", "tip-head", info.name)).appendChild(el("span", "tip-label", info.label));
    if (info.aliases.length) row(tip, "aliases", info.aliases.join("、"));
    row(tip, "mentions", info.mentions);
    seenRow(tip, info);
    section(tip, "roles", info.roles);
    section(tip, "top articles", info.articles);
    return tip;
  }

  function seenRow(tip, info) {
    if (info.seen) row(tip, "seen", `${info.seen.first} – ${info.seen.last}`);
  }

  function edgeTip(info) {
    const tip = el("div");
    tip.appendChild(el("div", "tip-head", info.from + " — " + info.to));
    if (info.type === "CO_OCCURS_WITH") {
      row(tip, "co-occurrences", info.weight);
      seenRow(tip, info);
      if (info.npmi !== null && info.npmi !== undefined) row(tip, "NPMI", info.npmi.toFixed(2));
    } else {
      row(tip, info.name, info.detail);
      seenRow(tip, info);
    }
    for (const evidence of info.evidence || []) {
      tip.appendChild(el("div", "tip-quote", evidence.text)).appendChild(el("div", "tip-loc", evidence.location));
    }
    return tip;
  }

  const nodes = new vis.DataSet(data.nodes.map((n) => Object.assign(n, { title: nodeTip(n.info) })));
  const edges = new vis.DataSet(data.edges.map((e, i) => Object.assign(e, { id: "e" + i, title: edgeTip(e.info) })));
  const network = new vis.Network(document.getElementById("network"), {}, data.options);
  // The page's state, for people poking at it in the console and for the browser tests.
  const viewer = (window.kgViewer = { network: network, nodes: nodes, edges: edges, settled: false });

  function showCounts() {
    const visible = new Set(nodes.getIds({ filter: (n) => !n.hidden }));
    const links = edges.get({ filter: (e) => !e.hidden && visible.has(e.from) && visible.has(e.to) }).length;
    status.textContent = `${visible.size} entities, ${links} edges shown · hover for details, scroll to zoom`;
  }

  network.on("stabilizationProgress", (p) => {
    status.textContent = `laying out… ${Math.round((100 * p.iterations) / p.total)}%`;
  });
  // Settle once, then stay still: no physics running (and spinning the CPU) afterwards.
  network.once("stabilizationIterationsDone", () => network.setOptions({ physics: { enabled: false } }));
  network.once("stabilized", () => {
    viewer.settled = true;
    viewer.settledAt = performance.now(); // ms since navigation started
    showCounts();
  });
  network.setData({ nodes: nodes, edges: edges });
  if (!nodes.length) {
    viewer.settled = true; // nothing to lay out, so no stabilization events will come
    status.textContent = "no entities in this graph";
  }

  // The date range (graphs with dated articles): an entity or edge is shown when one of its
  // articles is of a month in the range. While the range is the whole span nothing is hidden;
  // narrowed, it hides the undated too, except LOCATED_IN (geography, not news), which follows its ends.
  const dateFrom = document.getElementById("date-from");
  const dateTo = document.getElementById("date-to");
  function inRange(info) {
    if (!dateFrom) return true;
    const from = dateFrom.value || dateFrom.min; // a cleared box is no bound
    const to = dateTo.value || dateTo.max;
    if ((from <= dateFrom.min && to >= dateTo.max) || info.type === "LOCATED_IN") return true;
    return !!info.seen && info.seen.months.some((month) => month >= from && month <= to);
  }

  const legend = document.getElementById("legend");
  function applyLabels() {
    const shown = new Set(Array.from(legend.querySelectorAll("input:checked"), (box) => box.value));
    nodes.update(nodes.get().map((n) => ({ id: n.id, hidden: !shown.has(n.info.label) || !inRange(n.info) })));
    showCounts();
  }
  legend.addEventListener("change", applyLabels);

  const slider = document.getElementById("min-weight");
  const sliderValue = document.getElementById("min-weight-value");
  slider.max = data.edges.reduce((top, e) => Math.max(top, e.weight || 1), 1);
  // Relations the text states (VISITED, AIDS, ...), each shown or hidden by its legend box.
  const relations = document.getElementById("relations");
  function hiddenType(info) {
    const box = relations && relations.querySelector(`input[value="${CSS.escape(info.type)}"]`);
    return !!box && !box.checked;
  }
  function applyEdges() {
    const min = Number(slider.value);
    sliderValue.value = min;
    edges.update(
      edges.get().map((e) => ({
        id: e.id,
        hidden: (e.weight !== undefined && e.weight < min) || !inRange(e.info) || hiddenType(e.info),
      }))
    );
    showCounts();
  }
  slider.addEventListener("input", applyEdges);
  if (relations) relations.addEventListener("change", applyEdges);
  for (const input of [dateFrom, dateTo].filter(Boolean)) {
    input.addEventListener("change", () => {
      applyLabels();
      applyEdges();
    });
  }

  // Lower-cased name, alias or either's spelling in the other script (Simplified or
  // Traditional) -> node id. Nodes arrive by PageRank, so when two entities share a
  // surface form the more central one wins.
  const names = new Map();
  const datalist = document.getElementById("names");
  for (const n of data.nodes) {
    for (const name of [n.info.name, ...n.info.aliases, ...n.info.spellings]) {
      if (names.has(name.toLowerCase())) continue;
      names.set(name.toLowerCase(), n.id);
      datalist.appendChild(document.createElement("option")).value = name;
    }
  }

  function find(query) {
    const q = query.trim().toLowerCase();
    if (!q) return null;
    if (names.has(q)) return names.get(q);
    for (const [name, id] of names) if (name.includes(q)) return id;
    return null;
  }

  const input = document.getElementById("search-input");
  document.getElementById("search").addEventListener("submit", (event) => {
    event.preventDefault();
    const id = find(input.value);
    if (id === null) {
      status.textContent = `nothing named “${input.value.trim()}”`;
      return;
    }
    const node = nodes.get(id);
    if (node.hidden) {
      legend.querySelector(`input[value="${CSS.escape(node.info.label)}"]`).checked = true;
      applyLabels();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: { duration: 400 } });
    status.textContent = `found ${node.info.name} (${node.info.label})`;
  });
})();
