// kwire graph page: pan, zoom, node details, exposure highlight.
// The layout is in the SVG already (computed by kwire); this script only
// reads the embedded graph and moves a transform. Linear in the graph size.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kwire-graph").textContent);
  var graph = data.graph || {};
  var nodes = graph.nodes || [];
  var edges = graph.edges || [];
  var exposures = graph.exposures || [];
  var items = data.items || [];
  var ends = data.edges || [];
  var svg = document.getElementById("svg");
  var world = document.getElementById("world");
  var canvas = document.getElementById("canvas");
  var panel = document.getElementById("panel");

  var nodeById = new Map();
  nodes.forEach(function (n) { if (!nodeById.has(n.id)) nodeById.set(n.id, n); });
  var itemById = new Map();
  items.forEach(function (id, i) { itemById.set(id, i); });
  var nodeEl = [];
  document.querySelectorAll("#nodes .node").forEach(function (el) {
    nodeEl[Number(el.getAttribute("data-i"))] = el;
  });
  var edgeEl = [];
  document.querySelectorAll("#edges .edge").forEach(function (el) {
    edgeEl[Number(el.getAttribute("data-e"))] = el;
  });
  var out = items.map(function () { return []; });
  var inc = items.map(function () { return []; });
  ends.forEach(function (pair, k) {
    if (out[pair[0]]) out[pair[0]].push(k);
    if (inc[pair[1]]) inc[pair[1]].push(k);
  });

  // Pan and zoom: one transform on #world.
  var view = { x: 0, y: 0, k: 1 };
  // Set once the view moved for the reader (pan, zoom, a node brought into
  // view): a window resize then keeps it instead of fitting again.
  var moved = false;
  function apply() {
    world.setAttribute("transform", "translate(" + view.x + "," + view.y + ") scale(" + view.k + ")");
    svg.classList.toggle("far", view.k < 0.45);
  }
  function zoomAt(factor, cx, cy) {
    var k = Math.min(8, Math.max(0.02, view.k * factor));
    view.x = cx - (cx - view.x) * (k / view.k);
    view.y = cy - (cy - view.y) * (k / view.k);
    view.k = k;
    moved = true;
    apply();
  }
  function fit() {
    var w = canvas.clientWidth || 800, h = canvas.clientHeight || 600;
    var gw = Math.max(1, data.width || 1), gh = Math.max(1, data.height || 1);
    var k = Math.min(w / gw, h / gh, 1.5);
    if (k < 0.3) {
      // A tall graph: fit its width and start at the top, rather than a
      // sliver too small to read.
      k = Math.max(k, Math.min(w / gw, 1));
      view.k = k;
      view.x = Math.max(0, (w - gw * k) / 2);
      view.y = 0;
    } else {
      view.k = k;
      view.x = (w - gw * k) / 2;
      view.y = Math.max(0, (h - gh * k) / 2);
    }
    apply();
  }
  // Bring node i into view (centred) when it is outside the canvas.
  function reveal(i) {
    var e = nodeEl[i];
    if (!e) return;
    var m = /translate\(([-\d.]+),([-\d.]+)\)/.exec(e.getAttribute("transform") || "");
    if (!m) return;
    var x = Number(m[1]) * view.k + view.x, y = Number(m[2]) * view.k + view.y;
    var w = canvas.clientWidth, h = canvas.clientHeight;
    if (x >= 0 && y >= 0 && x + 190 * view.k <= w && y + 50 * view.k <= h) return;
    view.x -= x - w / 2 + 95 * view.k;
    view.y -= y - h / 2 + 25 * view.k;
    moved = true;
    apply();
  }
  svg.addEventListener("wheel", function (e) {
    e.preventDefault();
    var r = svg.getBoundingClientRect();
    zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });
  var drag = null;
  svg.addEventListener("pointerdown", function (e) {
    drag = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y, moved: false };
  });
  window.addEventListener("pointermove", function (e) {
    if (!drag) return;
    var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) > 4) {
      drag.moved = true;
      canvas.classList.add("dragging");
    }
    if (drag.moved) {
      view.x = drag.vx + dx;
      view.y = drag.vy + dy;
      moved = true;
      apply();
    }
  });
  window.addEventListener("pointerup", function (e) {
    var d = drag;
    drag = null;
    canvas.classList.remove("dragging");
    if (!d || d.moved) return;
    var el = e.target && e.target.closest ? e.target.closest(".node") : null;
    if (el) select(Number(el.getAttribute("data-i")));
    else clear();
  });
  function center() { return [canvas.clientWidth / 2, canvas.clientHeight / 2]; }
  document.getElementById("zoom-in").addEventListener("click", function () {
    var c = center(); zoomAt(1.25, c[0], c[1]);
  });
  document.getElementById("zoom-out").addEventListener("click", function () {
    var c = center(); zoomAt(0.8, c[0], c[1]);
  });
  document.getElementById("zoom-fit").addEventListener("click", function () {
    fit();
    moved = false;
  });
  document.getElementById("clear").addEventListener("click", clear);

  // Highlight.
  var lit = [];
  function clear() {
    lit.forEach(function (el) { el.classList.remove("hl"); el.classList.remove("sel"); });
    lit = [];
    svg.classList.remove("dim");
    document.querySelectorAll("#exposures li.on").forEach(function (li) { li.classList.remove("on"); });
  }
  function light(el, cls) {
    if (!el) return;
    el.classList.add(cls || "hl");
    lit.push(el);
  }
  function lightItems(set, edgeSet) {
    set.forEach(function (i) { light(nodeEl[i]); });
    edgeSet.forEach(function (k) { light(edgeEl[k]); });
    svg.classList.add("dim");
  }

  // Panel, built with text nodes only.
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function row(dl, key, value) {
    if (value === undefined || value === null || value === "") return;
    dl.appendChild(el("dt", key));
    dl.appendChild(el("dd", value));
  }
  function edgeLine(k, other, dir) {
    var e = edges[k] || {};
    var li = el("li", null, (e.resolved === false && !e.assumed) || e.finding ? "bad" : "");
    li.appendChild(document.createTextNode(dir + " " + e.relation + " "));
    var a = el("a", items[other]);
    a.addEventListener("click", function () { select(other); });
    li.appendChild(a);
    var extra = [];
    if (e.label) extra.push(e.label);
    if (e.via) extra.push(e.via.file + ":" + e.via.line + (e.via.field ? " " + e.via.field : ""));
    if (e.assumed) extra.push("assumed: provided outside the input");
    else if (e.resolved === false) extra.push("unresolved");
    if (e.finding) extra.push(e.finding);
    if (e.reason) extra.push(e.reason);
    if (extra.length) li.appendChild(document.createTextNode(" · " + extra.join(" · ")));
    return li;
  }
  function select(i) {
    clear();
    var id = items[i];
    if (id === undefined) return;
    var n = nodeById.get(id);
    var set = new Set([i]);
    var es = [];
    (out[i] || []).forEach(function (k) { es.push(k); set.add(ends[k][1]); });
    (inc[i] || []).forEach(function (k) { es.push(k); set.add(ends[k][0]); });
    lightItems(set, es);
    light(nodeEl[i], "sel");
    reveal(i);
    panel.textContent = "";
    panel.appendChild(el("h2", id));
    var dl = el("dl");
    if (n) {
      row(dl, "kind", n.kind);
      row(dl, "namespace", n.namespace === null || n.namespace === undefined ? "(cluster-scoped)" : n.namespace);
      row(dl, "name", n.name);
      row(dl, "file", n.file ? n.file + (n.line ? ":" + n.line : "") : null);
      row(dl, "unit", n.unit);
      row(dl, "detail", n.detail);
      if (n.simulated) row(dl, "simulated", "yes: created by its owner when applied");
      if (n.exposed) row(dl, "exposed", "reachable from outside the cluster");
    } else {
      var assumed = (inc[i] || []).every(function (k) { return (edges[k] || {}).assumed; });
      row(dl, "status", assumed
        ? "not in the input: assumed to be provided from elsewhere (reference policy)"
        : "not found: a reference to an object that is not in the input");
    }
    panel.appendChild(dl);
    if (n && n.findings && n.findings.length) {
      panel.appendChild(el("b", "Findings"));
      var ul = el("ul");
      n.findings.forEach(function (code) {
        ul.appendChild(el("li", code + " (kwire explain " + code + ")", "bad"));
      });
      panel.appendChild(ul);
    }
    var o = out[i] || [], m = inc[i] || [];
    if (o.length) {
      panel.appendChild(el("b", "Out (" + o.length + ")"));
      var uo = el("ul");
      o.forEach(function (k) { uo.appendChild(edgeLine(k, ends[k][1], "→")); });
      panel.appendChild(uo);
    }
    if (m.length) {
      panel.appendChild(el("b", "In (" + m.length + ")"));
      var ui = el("ul");
      m.forEach(function (k) { ui.appendChild(edgeLine(k, ends[k][0], "←")); });
      panel.appendChild(ui);
    }
  }

  // An exposure: its chain, the edges between consecutive hops, and the
  // pods its Service selects.
  function exposure(k, li) {
    clear();
    var x = exposures[k];
    if (!x) return;
    li.classList.add("on");
    var chain = (x.chain || []).slice();
    if (x.service && chain.indexOf(x.service) < 0) chain.push(x.service);
    var idx = chain.map(function (id) { return itemById.get(id); })
      .filter(function (i) { return i !== undefined; });
    var set = new Set(idx), es = [];
    for (var j = 0; j + 1 < idx.length; j++) {
      (out[idx[j]] || []).forEach(function (e) { if (ends[e][1] === idx[j + 1]) es.push(e); });
    }
    var last = idx[idx.length - 1];
    if (last !== undefined) {
      (out[last] || []).forEach(function (e) {
        var r = (edges[e] || {}).relation;
        if (r === "selects" || r === "subset" || r === "backend") { es.push(e); set.add(ends[e][1]); }
      });
    }
    lightItems(set, es);
    if (idx.length) reveal(idx[0]);
    panel.textContent = "";
    panel.appendChild(el("h2", x.entry));
    var dl = el("dl");
    row(dl, "chain", (x.chain || []).join(" → "));
    row(dl, "service", x.service);
    row(dl, "port", x.port);
    row(dl, "target port", x.target_port);
    row(dl, "container port", x.container_port);
    row(dl, "endpoints", x.endpoints);
    row(dl, "weight", x.weight);
    row(dl, "finding", x.finding);
    panel.appendChild(dl);
  }
  document.querySelectorAll("#exposures li").forEach(function (li) {
    var k = Number(li.getAttribute("data-x"));
    li.addEventListener("click", function () { exposure(k, li); });
    li.addEventListener("keydown", function (e) { if (e.key === "Enter") exposure(k, li); });
  });

  // A link can open the page on a node or an exposure:
  // `page.html#node=Service%2Fshop%2Fweb`, `page.html#exposure=0`.
  function fromHash() {
    var h = location.hash.replace(/^#/, "");
    var m = /^node=(.*)$/.exec(h);
    if (m) {
      var i;
      try { i = itemById.get(decodeURIComponent(m[1])); } catch (err) { i = undefined; }
      if (i !== undefined) select(i);
      return;
    }
    m = /^exposure=(\d+)$/.exec(h);
    if (m) {
      var li = document.querySelector('#exposures li[data-x="' + Number(m[1]) + '"]');
      if (li) exposure(Number(m[1]), li);
    }
  }
  window.addEventListener("hashchange", fromHash);
  window.addEventListener("resize", function () { if (!moved) fit(); });
  fit();
  fromHash();
  document.body.setAttribute("data-kwire-ready", "1");
})();
