"use strict";
// aiprof report: flame graphs of the profile collector's stacks (D.flames, built by FlamePage).
// Root at the bottom; a frame's width is its share of the graph (in a differential graph, the mean
// of its shares of the two profiles), its colour a hash of its name (in a differential graph, the
// change of its share: red grew, blue shrank). Hover: the numbers; click: zoom; search: highlight.
(function () {
  const D = JSON.parse(document.getElementById("data").textContent);
  const F = D.flames;
  const SVG = "http://www.w3.org/2000/svg";
  const ROW = 17;
  const main = document.querySelector("main");
  if (!main) return;

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    if (attrs) for (const k in attrs) {
      if (k === "class") e.className = attrs[k];
      else if (k.startsWith("data-") || k === "role" || k.startsWith("aria-")) e.setAttribute(k, attrs[k]);
      else e[k] = attrs[k];
    }
    for (const k of kids) if (k != null) e.append(k instanceof Node ? k : String(k));
    return e;
  }
  function svg(tag, attrs) {
    const e = document.createElementNS(SVG, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }
  function pct(x) { return (x * 100).toFixed(Math.abs(x) >= 0.1 ? 1 : 2) + "%"; }
  function pts(d) { return (d >= 0 ? "+" : "−") + Math.abs(d * 100).toFixed(2) + " pts"; }
  function kindLabel(k) { return k === "off-cpu" ? "off-CPU" : "on-CPU"; }
  function unitText(v, unit) {
    if (unit === "us") return v >= 1e6 ? (v / 1e6).toFixed(2) + " s" : v >= 1e3 ? (v / 1e3).toFixed(1) + " ms" : v + " µs";
    return v + " " + (unit === "samples" ? (v === 1 ? "sample" : "samples") : unit);
  }
  function phaseLabel(p) { return p == null ? "whole window" : "phase " + p; }

  const sec = el("section", { id: "flames" });
  sec.append(el("h2", null, "CPU flame graphs", el("span", { class: "sub" }, "the profile collector's stacks, per phase name · hover: numbers · click: zoom · search: highlight")));
  const host = document.getElementById("host");
  if (host) main.insertBefore(sec, host); else main.append(sec);

  if (!F || !F.graphs.length) {
    sec.append(el("p", { class: "empty" }, "No CPU profile for this window" + (F && F.source ? " in " + F.source : "") +
      ". Run the agent with the profile collector (--enable profile; its files go to profile.output-dir) and pass that directory with --profiles DIR."));
    document.body.setAttribute("data-flame-ready", "1");
    return;
  }

  // ---- controls ----
  const bar = el("div", { class: "toolbar" });
  const graphSel = el("select", { id: "flame-graph" });
  F.graphs.forEach((g, i) => graphSel.append(el("option", { value: String(i) },
    kindLabel(g.kind) + " · " + phaseLabel(g.phase) + " (" + unitText(g.total, g.unit) + ")")));
  const vsSel = el("select", { id: "flame-vs" });
  const search = el("input", { type: "search", id: "flame-search", placeholder: "search frames (regex)", size: 24 });
  const reset = el("button", { type: "button" }, "reset zoom");
  const status = el("span", { class: "mono", id: "flame-status" });
  bar.append(graphSel, el("label", null, "compare with ", vsSel), search, reset, status);
  sec.append(bar);
  const title = el("div", { class: "flame-title", id: "flame-title" });
  const box = el("div", { class: "flame-box", id: "flame-box" });
  const note = el("div", { class: "read", id: "flame-note" });
  sec.append(title, box, note);
  const tip = el("div", { class: "tooltip", id: "flame-tip" });
  document.body.append(tip);

  let graph = 0, diff = -1, root = null, zoom = null, isDiff = false, cur = null;

  // the diffs that compare the selected graph with something: [diff index, label, flipped]
  function comparisons(gi) {
    const g = F.graphs[gi], out = [];
    F.diffs.forEach((d, i) => {
      if (d.kind !== g.kind || d.unit !== g.unit) return;
      if (d.run) { if (d.phase === g.phase) out.push([i, "baseline run (" + (F.baseline ? F.baseline.source : "") + ")", false]); return; }
      if (g.phase == null) return;
      if (d.b === g.phase) out.push([i, "phase " + d.a, false]);
      else if (d.a === g.phase) out.push([i, "phase " + d.b, true]);
    });
    return out;
  }
  function fillVs() {
    vsSel.textContent = "";
    vsSel.append(el("option", { value: "" }, "— (no comparison)"));
    comparisons(graph).forEach(([i, label, flip]) => vsSel.append(el("option", { value: i + (flip ? "f" : "") }, label)));
    vsSel.disabled = vsSel.options.length === 1;
  }

  // ---- the tree of the selected graph or diff ----
  function buildGraph(g) {
    function mk(a, parent) {
      const o = { name: F.names[a[0]], parent, total: a[1], self: a[2], f: g.total ? a[1] / g.total : 0, kids: [] };
      for (const k of a[3]) o.kids.push(mk(k, o));
      return o;
    }
    return mk(g.tree, null);
  }
  // flip: the diff's b is the baseline (shares and change swapped), so the selected graph is "after"
  function buildDiff(d, flip) {
    const TA = flip ? d.totalB : d.totalA, TB = flip ? d.totalA : d.totalB, sides = (TA ? 1 : 0) + (TB ? 1 : 0) || 1;
    function mk(n, parent) {
      const a = flip ? n[2] : n[1], b = flip ? n[1] : n[2];
      const o = { name: F.names[n[0]], parent, a, b, sa: TA ? a / TA : 0, sb: TB ? b / TB : 0, d: flip ? -n[3] : n[3], kids: [] };
      o.f = (o.sa + o.sb) / sides;
      for (const k of n[4]) o.kids.push(mk(k, o));
      return o;
    }
    return mk(d.tree, null);
  }

  function select(gi, vs) {
    graph = gi; graphSel.value = String(gi);
    fillVs();
    const g = F.graphs[gi];
    const opt = vs ? Array.from(vsSel.options).find(o => o.value === vs) : null;
    vsSel.value = opt ? vs : "";
    if (opt) {
      diff = parseInt(vs, 10); const flip = vs.endsWith("f"), d = F.diffs[diff];
      cur = { g, d, flip, before: d.run ? "baseline run" : "phase " + (flip ? d.b : d.a), after: d.run ? "this run" : "phase " + g.phase };
      root = buildDiff(d, flip); isDiff = true;
      title.textContent = "Differential: " + kindLabel(g.kind) + " · " + phaseLabel(g.phase) + " against " + cur.before +
        " — width: mean share, colour: change of share (red grew, blue shrank)";
    } else {
      diff = -1; cur = { g }; root = buildGraph(g); isDiff = false;
      title.textContent = kindLabel(g.kind) + " · " + phaseLabel(g.phase) + " — " + unitText(g.total, g.unit) + (g.unit === "us" ? " off-CPU" : "");
    }
    const cut = opt ? F.diffs[diff].cut : g.cut;
    note.textContent = (F.windows > 1 ? F.windows + " profile windows summed from " : "from ") + F.source +
      (cut ? " · " + cut + " narrowest frames not drawn (bound)" : "") + (g.dropped ? " · " + g.dropped + " beyond the stack bound" : "") +
      (g.badLines ? " · " + g.badLines + " unreadable lines" : "");
    zoom = root;
    draw();
  }

  // ---- colours ----
  function hash(s) { let h = 2166136261; for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); } return h >>> 0; }
  function warm(name) {
    const h = hash(name);
    return "hsl(" + (8 + h % 42) + "," + (72 + (h >>> 8) % 20) + "%," + (56 + (h >>> 16) % 12) + "%)";
  }
  let maxAbs = 0;
  function diffColor(d) {
    const t = maxAbs ? Math.min(1, Math.abs(d) / maxAbs) : 0;
    if (t < 0.02) return "#e5e7eb";
    const [r, g, b] = d > 0 ? [220, 38, 38] : [37, 99, 235];
    const mix = (c) => Math.round(255 + (c - 255) * (0.25 + 0.75 * t));
    return "rgb(" + mix(r) + "," + mix(g) + "," + mix(b) + ")";
  }

  // ---- drawing ----
  let frames = [], wAt = 0;
  function draw() {
    wAt = box.clientWidth || 0;
    tip.style.display = "none"; // its frame is gone
    const W = Math.max(300, wAt || 1000);
    const chain = [];
    for (let n = zoom; n; n = n.parent) chain.unshift(n);
    frames = [];
    chain.forEach((n, i) => frames.push({ n, x: 0, w: W, d: i, anc: n !== zoom }));
    let maxD = chain.length - 1, hidden = 0;
    maxAbs = 0;
    (function walk(n, x, d) {
      let cx = x;
      for (const k of n.kids) {
        const w = zoom.f ? k.f / zoom.f * W : 0;
        if (w >= 0.5) {
          frames.push({ n: k, x: cx, w, d });
          if (isDiff) maxAbs = Math.max(maxAbs, Math.abs(k.d));
          if (d > maxD) maxD = d;
          walk(k, cx, d + 1);
        } else hidden++;
        cx += w;
      }
    })(zoom, 0, chain.length);
    const H = (maxD + 1) * ROW;
    const s = svg("svg", { width: W, height: H, class: "flame", role: "img" });
    s.setAttribute("aria-label", title.textContent);
    const re = searchRe();
    let matched = 0;
    frames.forEach((fr, i) => {
      const y = H - (fr.d + 1) * ROW;
      const hit = re && fr.n.parent && re.test(fr.n.name);
      const g = svg("g", { class: "fr" + (fr.anc ? " anc" : "") + (hit ? " match" : ""), "data-i": i, "data-name": fr.n.name });
      if (isDiff) g.setAttribute("data-d", fr.n.d);
      g.append(svg("rect", { x: fr.x.toFixed(2), y, width: Math.max(0.5, fr.w - 0.6).toFixed(2), height: ROW - 1, rx: 2,
        fill: hit ? "#a855f7" : !fr.n.parent ? "#cbd5e1" : isDiff ? diffColor(fr.n.d) : warm(fr.n.name) }));
      const chars = Math.floor((fr.w - 6) / 6.6);
      if (chars >= 3) {
        const t = svg("text", { x: (fr.x + 3).toFixed(2), y: y + ROW - 5 });
        t.textContent = fr.n.name.length <= chars ? fr.n.name : fr.n.name.slice(0, chars - 1) + "…";
        g.append(t);
      }
      s.append(g);
    });
    if (re) matched = matchedShare(zoom, re);
    box.textContent = "";
    box.append(s);
    status.textContent = (re ? "matched: " + pct(matched) + " of the " + (zoom === root ? "graph" : "zoomed frame") + " · " : "") +
      frames.length + " frames" + (hidden ? ", " + hidden + " too narrow to draw" : "") + (zoom !== root ? " · zoomed on " + zoom.name : "");
    document.body.setAttribute("data-flame", isDiff ? "diff" : "graph");
  }
  // the share of zoom's width in frames that match, each stack once (outermost matches only)
  function matchedShare(n, re) {
    let sum = 0;
    (function walk(x) { for (const k of x.kids) { if (re.test(k.name)) sum += k.f; else walk(k); } })(n);
    return n.f ? sum / n.f : 0;
  }
  function searchRe() {
    const q = search.value.trim();
    if (!q) return null;
    try { return new RegExp(q, "i"); } catch (e) { return new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i"); }
  }

  // ---- interaction ----
  function frameAt(ev) {
    const g = ev.target.closest ? ev.target.closest("g.fr") : null;
    return g ? frames[+g.getAttribute("data-i")] : null;
  }
  function describe(n) {
    const g = cur.g, rows = [];
    if (isDiff) {
      rows.push([cur.before, pct(n.sa) + " (" + unitText(n.a, g.unit) + ")"]);
      rows.push([cur.after, pct(n.sb) + " (" + unitText(n.b, g.unit) + ")"]);
      rows.push(["change", pts(n.d)]);
    } else {
      rows.push(["total", unitText(n.total, g.unit) + " · " + pct(n.f) + " of the graph" + (zoom !== root && zoom.f ? " · " + pct(n.f / zoom.f) + " of " + zoom.name : "")]);
      rows.push(["self", unitText(n.self, g.unit) + (root.total ? " · " + pct(n.self / root.total) : "")]);
    }
    const t = el("table");
    rows.forEach(r => t.append(el("tr", null, el("td", null, r[0]), el("td", null, r[1]))));
    return [el("div", { class: "t" }, n.name), t];
  }
  box.addEventListener("mousemove", ev => {
    const fr = frameAt(ev);
    if (!fr) { tip.style.display = "none"; return; }
    tip.textContent = "";
    tip.append(...describe(fr.n));
    tip.style.display = "block";
    const x = Math.min(ev.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
    const y = ev.clientY + 16 + tip.offsetHeight > window.innerHeight ? ev.clientY - tip.offsetHeight - 10 : ev.clientY + 16;
    tip.style.left = x + "px"; tip.style.top = y + "px";
  });
  box.addEventListener("mouseleave", () => { tip.style.display = "none"; });
  box.addEventListener("click", ev => { const fr = frameAt(ev); if (fr) { zoom = fr.n; draw(); } });
  box.addEventListener("dblclick", () => { zoom = root; draw(); });
  reset.addEventListener("click", () => { zoom = root; draw(); });
  search.addEventListener("input", draw);
  graphSel.addEventListener("change", () => select(+graphSel.value, ""));
  vsSel.addEventListener("change", () => select(graph, vsSel.value));
  // redraw when the box's width changes (a window resize, a scrollbar coming or going)
  const resized = () => { if (Math.abs((box.clientWidth || 0) - wAt) > 1) { wAt = box.clientWidth; draw(); } };
  if (window.ResizeObserver) new ResizeObserver(resized).observe(box); else window.addEventListener("resize", resized);

  // #flame=KIND/PHASE[/vs/PHASE|baseline][/q/SEARCH]: opens that graph, scrolled into view
  function fromFragment() {
    const m = /[#&]flame=([^&]*)/.exec(location.hash);
    if (!m) return false;
    const parts = decodeURIComponent(m[1]).split("/");
    const kind = parts[0], phase = parts[1] === "" || parts[1] === "*" || parts[1] == null ? null : parts[1];
    const gi = F.graphs.findIndex(g => g.kind === kind && g.phase === phase);
    if (gi < 0) return false;
    let vs = "";
    const vi = parts.indexOf("vs");
    if (vi > 0 && parts[vi + 1] != null) {
      const want = parts[vi + 1];
      const c = comparisons(gi).find(([i, label]) => want === "baseline" ? F.diffs[i].run : label === "phase " + want);
      if (c) vs = c[0] + (c[2] ? "f" : "");
    }
    const qi = parts.indexOf("q");
    if (qi > 0 && parts[qi + 1] != null) search.value = parts[qi + 1];
    select(gi, vs);
    setTimeout(() => sec.scrollIntoView(), 100); // after the page's own layout settles
    return true;
  }
  // the first phase graph of on-CPU samples, else the first graph
  if (!fromFragment()) {
    const first = F.graphs.findIndex(g => g.kind === "on-cpu" && g.phase != null);
    select(first >= 0 ? first : 0, "");
  }
  window.__aiprofFlame = { select: (gi, vs) => select(gi, vs || ""), frames: () => frames.map(f => ({ name: f.n.name, x: f.x, w: f.w, d: f.d })) };
  document.body.setAttribute("data-flame-ready", "1");
})();
