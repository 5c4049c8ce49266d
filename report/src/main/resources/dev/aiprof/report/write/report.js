"use strict";
// aiprof report: renders the JSON in #data. No network access, no libraries.
(function () {
  const D = JSON.parse(document.getElementById("data").textContent);
  const COLORS = {};
  const css = getComputedStyle(document.documentElement);
  D.columns.forEach(c => { COLORS[c.id] = css.getPropertyValue("--" + c.id).trim() || "#999"; });
  const STALL_COLOR = { runqueue: COLORS.runqueue, preempted: COLORS.runqueue, blocked: COLORS.io_wait, sleep: COLORS.other_off, other: COLORS.other_off };
  // phase colours: none close to the categories' blue, amber, red, grey or green
  const PALETTE = ["#6366f1", "#0ea5e9", "#14b8a6", "#8b5cf6", "#ec4899", "#06b6d4", "#a855f7", "#4338ca", "#d946ef", "#0d9488", "#7c3aed", "#db2777"];
  const app = document.getElementById("app");

  // ---- helpers ----
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    if (attrs) for (const k in attrs) {
      if (k === "class") e.className = attrs[k];
      else if (k === "style") e.style.cssText = attrs[k];
      else if (k.startsWith("data-")) e.setAttribute(k, attrs[k]);
      else e[k] = attrs[k];
    }
    for (const k of kids) if (k != null) e.append(k instanceof Node ? k : String(k));
    return e;
  }
  function fmtMs(ms) {
    if (ms == null || isNaN(ms)) return "–";
    const a = Math.abs(ms);
    if (a >= 1000) return (ms / 1000).toFixed(a >= 10000 ? 1 : 2) + " s";
    if (a >= 10) return ms.toFixed(1) + " ms";
    if (a >= 1) return ms.toFixed(2) + " ms";
    if (a >= 0.001) return (ms * 1000).toFixed(a >= 0.01 ? 0 : 1) + " µs";
    return "0";
  }
  // a numeric cell: shown formatted, sorted by its value
  function num(v, text) { return el("td", { class: "num", "data-v": v == null ? "" : v }, text != null ? text : String(v)); }
  // clicking a header sorts its table by that column (numbers by value), again to reverse
  function sortable(table) {
    table.querySelectorAll("th").forEach((th, col) => {
      th.style.cursor = "pointer"; th.title = "sort";
      th.addEventListener("click", () => {
        const body = table.tBodies[0], rows = Array.from(body.rows), dir = th.dataset.dir === "asc" ? -1 : 1;
        table.querySelectorAll("th").forEach(h => delete h.dataset.dir);
        th.dataset.dir = dir > 0 ? "asc" : "desc";
        const key = r => { const c = r.cells[col]; return c.dataset.v !== undefined ? (c.dataset.v === "" ? -Infinity : +c.dataset.v) : c.textContent; };
        rows.sort((a, b) => { const x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * dir; });
        rows.forEach(r => body.append(r));
      });
    });
  }
  function pct(x) { return (x * 100).toFixed(x >= 0.1 || x === 0 ? 0 : 1) + "%"; }
  function hash(s) { let h = 2166136261; for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); } return h >>> 0; }
  function nameColor(name) { return PALETTE[hash(baseName(name)) % PALETTE.length]; }
  // one colour for "decode 3", "decode [marker]" and "decode"
  function baseName(name) { return name.replace(/ \[[a-z]+\]$/, "").replace(/ \((client|server)\)$/, "").replace(/\s+\d+$/, ""); }
  function stackBar(b, total, cls) {
    const s = el("div", { class: "stack" + (cls ? " " + cls : "") });
    if (!b) return s;
    const sum = total || (b[0] + b[1] + b[2] + b[3]) || 1;
    for (let i = 0; i < 4; i++) if (b[i] > 0) s.append(el("span", { style: "width:" + (100 * b[i] / sum) + "%;background:" + COLORS[D.columns[i].id], title: D.columns[i].label + " " + fmtMs(b[i]) }));
    return s;
  }
  function legend(b) {
    const lg = el("div", { class: "legend" });
    const sum = b ? b[0] + b[1] + b[2] + b[3] : 0;
    D.columns.forEach((c, i) => {
      if (c.id === "gpu" && !(b && b[4] > 0)) return;
      const item = el("span", null, el("span", { class: "sw", style: "background:" + COLORS[c.id] }), c.label);
      if (b) item.append(" ", el("b", null, c.id === "gpu" ? fmtMs(b[i]) : (sum > 0 ? pct(b[i] / sum) : "–")));
      lg.append(item);
    });
    return lg;
  }
  function section(title, sub, id) {
    const s = el("section", { id: id });
    s.append(el("h2", null, title, sub ? el("span", { class: "sub" }, sub) : null));
    return s;
  }

  // ---- header ----
  const reqs = D.requests, served = reqs.filter(r => r.served), gens = served.filter(r => r.ttft != null);
  const threads = D.lanes.filter(l => l.tid > 0).length;
  const head = el("header", { class: "top" },
    el("div", { class: "brand" }, "aiprof report"),
    el("h1", null, D.processes.map(p => p.service).join(" · ") || "(no service name)"),
    el("div", { class: "window" }, D.window.start.replace("T", " ").replace(/\.\d+Z$/, "Z") + " → " + D.window.end.replace(/^.*T/, "").replace(/\.\d+Z$/, "Z") + "  ·  " + fmtMs(D.window.durationMs) + " window  ·  " + D.processes.length + " process" + (D.processes.length === 1 ? "" : "es") + ", " + threads + " thread" + (threads === 1 ? "" : "s")));
  app.append(head);
  const main = el("main");
  app.append(main);
  const cards = el("div", { class: "cards" });
  function card(k, v, d) { cards.append(el("div", { class: "card" }, el("div", { class: "k" }, k), el("div", { class: "v" }, v), el("div", { class: "d" }, d || ""))); }
  card("Requests", String(served.length), "traces; p50 " + fmtMs(D.latency.request.p50) + ", p99 " + fmtMs(D.latency.request.p99));
  card("TTFT p50", gens.length ? fmtMs(D.latency.ttft.p50) : "–", gens.length ? "p99 " + fmtMs(D.latency.ttft.p99) + " over " + gens.length : "no decode steps");
  card("TPOT p50", D.latency.tpot.count ? fmtMs(D.latency.tpot.p50) : "–", D.latency.tpot.count ? "p99 " + fmtMs(D.latency.tpot.p99) + " per token" : "no decode steps");
  card("Phases", String(D.phases.length), D.phaseStats.length + " names");
  const tsum = D.total[0] + D.total[1] + D.total[2] + D.total[3];
  card("Waiting", tsum > 0 ? pct((D.total[1] + D.total[2] + D.total[3]) / tsum) : "–", "of thread time in phases off a CPU");
  main.append(cards);

  const sum = section("Where the time went", "thread time inside each thread's outermost phases", "summary");
  sum.append(el("p", { class: "verdict" }, D.verdict));
  sum.append(stackBar(D.total, 0, "big"), legend(D.total));
  main.append(sum);

  // ---- timeline ----
  const tl = section("Timeline", "one lane per thread, grouped by process · wheel or +/−: zoom · drag or ←/→: pan · double-click or 0: reset", "timeline");
  const bar = el("div", { class: "toolbar" });
  const colorSel = el("select", { id: "color-by" }, el("option", { value: "phase" }, "colour: phase"), el("option", { value: "time" }, "colour: where time went"));
  const stallBox = el("input", { type: "checkbox", checked: true, id: "show-stalls" });
  const resetBtn = el("button", { type: "button" }, "reset zoom");
  const range = el("span", { class: "mono", id: "tl-range" });
  bar.append(colorSel, el("label", null, stallBox, "waits & stalls"), resetBtn, range);
  tl.append(bar);
  const labels = el("div", { class: "tl-labels" });
  const box = el("div", { class: "tl-canvas-box" });
  const canvas = el("canvas", { id: "timeline-canvas", tabIndex: 0 });
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", "Timeline of " + D.phases.length + " phases on " + D.lanes.length + " threads; keys: + and - zoom, arrows pan, 0 resets");
  box.append(canvas);
  tl.append(el("div", { class: "tl-wrap" }, labels, box));
  tl.append(legendStalls());
  main.append(tl);
  function legendStalls() {
    const lg = legend(D.gpus.length || D.processes.some(p => p.gpu) ? [0, 0, 0, 0, 1] : null);
    lg.querySelectorAll("b").forEach(b => b.remove());
    lg.append(el("span", null, el("span", { class: "sw", style: "background:repeating-linear-gradient(45deg," + COLORS.runqueue + " 0 2px,#fff 2px 4px)" }), "stalls (strip under each lane): the agent's aiprof.sched.stall events, episodes of at least sched.min-stall, the 32 longest a phase; shorter waits are in the breakdowns"));
    return lg;
  }

  // Lanes show at most MAXD nesting levels; deeper phases are drawn on the last one.
  const ROW = 17, PAD = 4, STRIP = 6, HEAD = 20, AXIS = 22, GPU = 18, MAXD = 16;
  const depthOf = p => Math.min(p.depth, MAXD - 1);
  const rows = []; // {kind, y, h, lane?, proc}
  let y = AXIS;
  D.processes.forEach((p, pi) => {
    rows.push({ kind: "proc", y, h: HEAD, proc: pi });
    labels.append(el("div", { class: "proc-label", "data-pid": p.pid, style: "top:" + y + "px;height:" + HEAD + "px;line-height:" + HEAD + "px", title: p.service }, p.service + (p.pid ? "  ·  pid " + p.pid : "")));
    y += HEAD;
    p.lanes.forEach(li => {
      const l = D.lanes[li], h = Math.min(l.depth, MAXD) * ROW + PAD * 2 + STRIP;
      rows.push({ kind: "lane", y, h, lane: li, proc: pi });
      labels.append(el("div", { class: "lane-label", "data-lane": li, "data-tid": l.tid, style: "top:" + y + "px;height:" + h + "px;line-height:" + (ROW + PAD * 2) + "px", title: l.name }, l.name));
      y += h;
    });
    if (p.gpu) {
      rows.push({ kind: "gpu", y, h: GPU, proc: pi });
      labels.append(el("div", { class: "lane-label gpu-label", style: "top:" + y + "px;height:" + GPU + "px;line-height:" + GPU + "px" }, "GPU (phases' device time)"));
      y += GPU;
    }
  });
  if (D.gpus.length) {
    rows.push({ kind: "proc", y, h: HEAD, proc: -1 });
    labels.append(el("div", { class: "proc-label", style: "top:" + y + "px;height:" + HEAD + "px;line-height:" + HEAD + "px" }, "GPUs · hw.gpu.utilization"));
    y += HEAD;
    D.gpus.forEach((g, gi) => {
      rows.push({ kind: "device", y, h: GPU + 8, gpu: gi });
      labels.append(el("div", { class: "lane-label gpu-label", "data-gpu": g.id, style: "top:" + y + "px;height:" + (GPU + 8) + "px;line-height:" + (GPU + 8) + "px" }, "GPU " + g.id));
      y += GPU + 8;
    });
  }
  const totalH = y + 4;
  labels.style.height = totalH + "px";
  const laneY = {}; rows.forEach(r => { if (r.kind === "lane") laneY[r.lane] = r; });
  const byLane = D.lanes.map(() => []);
  D.phases.forEach((p, i) => byLane[p.lane].push(i));
  const stallsByLane = D.lanes.map(() => []);
  D.stalls.forEach(s => stallsByLane[s[0]].push(s));
  const gpuByProc = D.processes.map(() => []);
  D.phases.forEach((p, i) => { if (p.b && p.b[4] > 0) gpuByProc[D.lanes[p.lane].process].push(i); });

  const full = [-D.window.durationMs * 0.01, D.window.durationMs * 1.01 || 1];
  let view = full.slice(), W = 800, sel = -1, hover = -1;
  const ctx = canvas.getContext("2d");
  function resize() {
    W = Math.max(200, box.clientWidth);
    const dpr = window.devicePixelRatio || 1;
    canvas.width = W * dpr; canvas.height = totalH * dpr;
    canvas.style.width = W + "px"; canvas.style.height = totalH + "px";
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    draw();
  }
  const X = t => (t - view[0]) / (view[1] - view[0]) * W;
  const T = x => view[0] + x / W * (view[1] - view[0]);
  function niceStep(span, px) {
    const raw = span / Math.max(1, px / 90), p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
    return 10 * p;
  }
  let pending = false;
  function draw() { if (!pending) { pending = true; requestAnimationFrame(paint); } }
  function paint() {
    pending = false;
    ctx.clearRect(0, 0, W, totalH);
    ctx.font = "11px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    // process bands and lane separators
    rows.forEach(r => {
      if (r.kind === "proc") { ctx.fillStyle = "#eef2ff"; ctx.fillRect(0, r.y, W, r.h); }
      else { ctx.fillStyle = r.kind === "gpu" ? "#f0fdf4" : "#ffffff"; ctx.fillRect(0, r.y, W, r.h); ctx.fillStyle = "#f1f5f9"; ctx.fillRect(0, r.y, W, 1); }
    });
    // axis + grid
    const step = niceStep(view[1] - view[0], W);
    ctx.fillStyle = "#fbfdff"; ctx.fillRect(0, 0, W, AXIS);
    for (let t = Math.ceil(view[0] / step) * step; t <= view[1]; t += step) {
      const x = Math.round(X(t)) + 0.5;
      ctx.fillStyle = "#e2e8f0"; ctx.fillRect(x, AXIS - 5, 1, totalH);
      ctx.fillStyle = "#64748b"; ctx.fillText(fmtMs(t), x + 3, AXIS / 2);
    }
    const byTime = colorSel.value === "time";
    // phases
    for (let li = 0; li < byLane.length; li++) {
      const r = laneY[li]; if (!r) continue;
      for (const i of byLane[li]) {
        const p = D.phases[i];
        if (p.e < view[0] || p.s > view[1]) continue;
        const x0 = X(p.s), x1 = X(p.e), w = Math.max(1, x1 - x0);
        const yy = r.y + PAD + depthOf(p) * ROW, h = ROW - 2;
        if (byTime && p.b) paintStacked(p.b, x0, yy, w, h);
        else { ctx.fillStyle = nameColor(p.name); ctx.fillRect(x0, yy, w, h); }
        if (i === sel || i === hover) { ctx.strokeStyle = "#0f172a"; ctx.lineWidth = i === sel ? 2 : 1; ctx.strokeRect(x0 + 0.5, yy + 0.5, w - 1, h - 1); }
        if (w > 34) {
          ctx.save(); ctx.beginPath(); ctx.rect(x0, yy, w, h); ctx.clip();
          ctx.fillStyle = "#ffffff"; ctx.fillText(p.name, Math.max(x0, 0) + 4, yy + h / 2 + 0.5);
          ctx.restore();
        }
      }
      if (stallBox.checked) {
        const sy = r.y + r.h - STRIP - 1;
        for (const s of stallsByLane[li]) {
          if (s[2] < view[0] || s[1] > view[1]) continue;
          const x0 = X(s[1]), w = Math.max(1.5, X(s[2]) - x0);
          ctx.fillStyle = STALL_COLOR[s[3]] || COLORS.other_off;
          ctx.fillRect(x0, sy, w, STRIP);
          ctx.globalAlpha = 0.13; ctx.fillRect(x0, r.y + 1, w, r.h - STRIP - 2); ctx.globalAlpha = 1;
        }
      }
    }
    // GPU lanes: device time of each phase, as a share of its wall time
    rows.forEach(r => {
      if (r.kind !== "gpu") return;
      for (const i of gpuByProc[r.proc]) {
        const p = D.phases[i]; if (p.e < view[0] || p.s > view[1]) continue;
        const share = Math.min(1, p.b[4] / Math.max(1e-9, p.e - p.s));
        ctx.globalAlpha = 0.25 + 0.75 * share; ctx.fillStyle = COLORS.gpu;
        ctx.fillRect(X(p.s), r.y + 3, Math.max(1, X(p.e) - X(p.s)), r.h - 6); ctx.globalAlpha = 1;
      }
    });
    // GPU devices: utilisation as a stepped area (each sample holds until the next)
    rows.forEach(r => {
      if (r.kind !== "device") return;
      const pts = D.gpus[r.gpu].points;
      ctx.fillStyle = COLORS.gpu; ctx.globalAlpha = 0.8;
      for (let k = 0; k < pts.length; k++) {
        const t0 = pts[k][0], t1 = k + 1 < pts.length ? pts[k + 1][0] : t0;
        if (t1 < view[0] || t0 > view[1]) continue;
        const hh = (r.h - 4) * Math.max(0, Math.min(1, pts[k][1]));
        ctx.fillRect(X(t0), r.y + r.h - 2 - hh, Math.max(1, X(t1) - X(t0)), hh);
      }
      ctx.globalAlpha = 1;
    });
    range.textContent = fmtMs(view[0]) + " – " + fmtMs(view[1]) + "  (" + fmtMs(view[1] - view[0]) + " shown)";
  }
  function paintStacked(b, x, yy, w, h) {
    const s = b[0] + b[1] + b[2] + b[3];
    if (s <= 0) { ctx.fillStyle = "#cbd5e1"; ctx.fillRect(x, yy, w, h); return; }
    let cx = x;
    for (let k = 0; k < 4; k++) { const ww = w * b[k] / s; ctx.fillStyle = COLORS[D.columns[k].id]; ctx.fillRect(cx, yy, ww, h); cx += ww; }
  }
  function hit(px, py) {
    const r = rows.find(r => py >= r.y && py < r.y + r.h);
    if (!r || r.kind !== "lane") return -1;
    const depth = Math.floor((py - r.y - PAD) / ROW), t = T(px), tol = (view[1] - view[0]) / W * 2;
    let best = -1;
    for (const i of byLane[r.lane]) { const p = D.phases[i]; if (depthOf(p) === depth && p.s - tol <= t && p.e + tol >= t) best = i; }
    return best;
  }
  const tip = el("div", { class: "tooltip" });
  document.body.append(tip);
  function showTip(i, cx, cy) {
    const p = D.phases[i], tb = el("table");
    const add = (k, v) => tb.append(el("tr", null, el("td", null, k), el("td", null, v)));
    add("duration", fmtMs(p.e - p.s));
    add("starts at", fmtMs(p.s));
    add("thread", D.lanes[p.lane].name);
    if (p.b) D.columns.forEach((c, k) => { if (k < 4 || p.b[4] > 0) add(c.label, fmtMs(p.b[k])); });
    const stalls = D.stalls.filter(s => s[4] === i);
    if (stalls.length) add("stalls", stalls.slice(0, 4).map(s => s[3] + " " + fmtMs(s[2] - s[1])).join(", ") + (stalls.length > 4 ? " …" : ""));
    for (const k in p.attrs) if (/^(gen_ai\.|aiprof\.phase|aiprof\.gpu|aiprof\.sched\.coverage)/.test(k)) add(k, String(p.attrs[k]));
    tip.replaceChildren(el("div", { class: "t" }, p.name), tb);
    tip.style.display = "block";
    const r = tip.getBoundingClientRect();
    tip.style.left = Math.min(cx + 14, window.innerWidth - r.width - 8) + "px";
    tip.style.top = Math.min(cy + 14, window.innerHeight - r.height - 8) + "px";
  }
  let drag = null;
  box.addEventListener("mousedown", e => { drag = { x: e.clientX, v: view.slice(), moved: false }; box.classList.add("dragging"); });
  window.addEventListener("mouseup", e => {
    if (drag && !drag.moved) { const b = canvas.getBoundingClientRect(), i = hit(e.clientX - b.left, e.clientY - b.top); if (i >= 0) selectRequest(D.phases[i].request, i); }
    drag = null; box.classList.remove("dragging");
  });
  window.addEventListener("mousemove", e => {
    const b = canvas.getBoundingClientRect();
    if (drag) {
      const dx = e.clientX - drag.x; if (Math.abs(dx) > 2) drag.moved = true;
      const span = drag.v[1] - drag.v[0], dt = dx / W * span;
      view = [drag.v[0] - dt, drag.v[1] - dt]; tip.style.display = "none"; draw(); return;
    }
    const inside = e.clientX >= b.left && e.clientX < b.right && e.clientY >= b.top && e.clientY < b.bottom;
    const i = inside ? hit(e.clientX - b.left, e.clientY - b.top) : -1;
    if (i !== hover) { hover = i; draw(); }
    if (i >= 0) showTip(i, e.clientX, e.clientY); else tip.style.display = "none";
  });
  box.addEventListener("wheel", e => {
    e.preventDefault();
    const b = canvas.getBoundingClientRect(), t = T(e.clientX - b.left);
    const f = Math.exp(Math.max(-1, Math.min(1, e.deltaY * 0.0015)));
    const span = Math.max(0.001, Math.min((full[1] - full[0]) * 4, (view[1] - view[0]) * f));
    const a = (t - view[0]) / (view[1] - view[0]);
    view = [t - a * span, t - a * span + span]; draw();
  }, { passive: false });
  box.addEventListener("dblclick", () => { view = full.slice(); draw(); });
  // the shown range, for a link that opens the page there (#view=START,END)
  function keepView() { history.replaceState(null, "", "#view=" + view[0].toFixed(3) + "," + view[1].toFixed(3)); }
  box.addEventListener("mouseup", keepView);
  box.addEventListener("wheel", () => { clearTimeout(box._t); box._t = setTimeout(keepView, 300); });
  resetBtn.addEventListener("click", () => { view = full.slice(); draw(); });
  // keys, once the timeline has focus: + / - zoom about the centre, arrows pan, 0 resets
  canvas.addEventListener("keydown", e => {
    const span = view[1] - view[0], mid = (view[0] + view[1]) / 2;
    if (e.key === "+" || e.key === "=") view = [mid - span / 3, mid + span / 3];
    else if (e.key === "-") view = [mid - span * 0.75, mid + span * 0.75];
    else if (e.key === "ArrowLeft") view = [view[0] - span / 5, view[1] - span / 5];
    else if (e.key === "ArrowRight") view = [view[0] + span / 5, view[1] + span / 5];
    else if (e.key === "0") view = full.slice();
    else return;
    e.preventDefault(); draw(); keepView();
  });
  colorSel.addEventListener("change", draw);
  stallBox.addEventListener("change", draw);
  window.addEventListener("resize", resize);
  function zoomTo(s, e) { const pad = (e - s) * 0.05 || 1; view = [s - pad, e + pad]; draw(); }

  // ---- requests and waterfall ----
  const rq = section("Requests", "each trace as a waterfall from its root span · click a row, or a bar in the timeline", "requests");
  const tbl = el("table", { class: "grid", id: "request-table" });
  tbl.append(el("thead", null, el("tr", null, el("th", null, "#"), el("th", null, "root span"), el("th", null, "model"), el("th", { class: "num" }, "duration"), el("th", { class: "num" }, "TTFT"), el("th", { class: "num" }, "TPOT"), el("th", { class: "num" }, "tokens in/out"), el("th", { class: "num" }, "spans"))));
  const tbody = el("tbody");
  const order = reqs.map((r, i) => i).filter(i => reqs[i].served).sort((a, b) => D.phases[reqs[a].root].s - D.phases[reqs[b].root].s);
  order.forEach((i, n) => {
    const r = reqs[i];
    const tr = el("tr", { class: "request-row", "data-trace": r.trace, "data-request": i },
      num(n + 1), el("td", null, r.name), el("td", null, r.model || ""),
      num(r.durationMs, fmtMs(r.durationMs)), num(r.ttft, fmtMs(r.ttft)), num(r.tpot, fmtMs(r.tpot)),
      num(r.outTokens, r.outTokens != null ? r.inTokens + " / " + r.outTokens : ""), num(r.rows.length));
    tr.addEventListener("click", () => { selectRequest(i, -1); const q = D.phases[r.root]; zoomTo(q.s, q.e); });
    tbody.append(tr);
  });
  tbl.append(tbody);
  sortable(tbl);
  rq.append(el("div", { class: "scroll" }, tbl));
  const wf = el("div", { class: "wf", id: "waterfall" });
  rq.append(wf);
  main.append(rq);
  function selectRequest(i, phase) {
    tbody.querySelectorAll("tr.sel").forEach(t => t.classList.remove("sel"));
    const tr = tbody.querySelector('tr[data-request="' + i + '"]');
    if (tr) tr.classList.add("sel");
    const r = reqs[i];
    sel = phase >= 0 ? phase : r.root;
    const t0 = Math.min(...r.rows.map(x => D.phases[x[0]].s)), t1 = Math.max(...r.rows.map(x => D.phases[x[0]].e)), span = Math.max(1e-6, t1 - t0);
    wf.replaceChildren(el("div", { class: "wf-head" }, el("span", null, el("b", null, r.name), "  trace " + r.trace), el("span", null, fmtMs(span) + (r.ttft != null ? " · TTFT " + fmtMs(r.ttft) : "") + (r.tpot != null ? " · TPOT " + fmtMs(r.tpot) : ""))));
    r.rows.forEach(([pi, depth]) => {
      const p = D.phases[pi], l = D.lanes[p.lane], proc = D.processes[l.process];
      const b = el("div", { class: "bar", style: "left:" + (100 * (p.s - t0) / span) + "%;width:" + (100 * (p.e - p.s) / span) + "%", title: p.name + " " + fmtMs(p.e - p.s) });
      if (p.b) { const s = p.b[0] + p.b[1] + p.b[2] + p.b[3] || 1; for (let k = 0; k < 4; k++) if (p.b[k] > 0) b.append(el("span", { style: "width:" + (100 * p.b[k] / s) + "%;background:" + COLORS[D.columns[k].id] })); }
      else b.style.background = nameColor(p.name);
      const row = el("div", { class: "wf-row", "data-phase": p.name },
        el("div", { class: "n", style: "padding-left:" + (depth * 14) + "px", title: p.name }, p.name, el("span", { class: "svc" }, D.services[p.service] + " · " + l.name)),
        el("div", { class: "track" }, b), el("div", { class: "ms" }, fmtMs(p.e - p.s)));
      row.addEventListener("mouseenter", e => showTip(pi, e.clientX, e.clientY));
      row.addEventListener("mouseleave", () => { tip.style.display = "none"; });
      row.addEventListener("click", () => zoomTo(p.s, p.e));
      wf.append(row);
    });
    draw();
  }

  // ---- phases ----
  const ph = section("Phases", "per phase name: wall time, and where its thread time went", "phases");
  const pt = el("table", { class: "grid", id: "phase-table" });
  pt.append(el("thead", null, el("tr", null, el("th", null, "phase"), el("th", { class: "num" }, "count"), el("th", { class: "num" }, "p50"), el("th", { class: "num" }, "p99"), el("th", { class: "num" }, "max"), el("th", { class: "num" }, "total"), el("th", { style: "width:28%" }, "on-CPU · runqueue · I/O wait · other off-CPU"), el("th", { class: "num" }, "GPU"), el("th", null, "wall distribution"))));
  const pb = el("tbody");
  D.phaseStats.forEach(s => {
    const t = s.b[0] + s.b[1] + s.b[2] + s.b[3];
    pb.append(el("tr", { class: "phase-row", "data-phase": s.name },
      el("td", null, el("span", { class: "sw", style: "display:inline-block;width:9px;height:9px;border-radius:2px;margin-right:7px;background:" + nameColor(s.name) }), s.name),
      num(s.count), num(s.wall.p50, fmtMs(s.wall.p50)), num(s.wall.p99, fmtMs(s.wall.p99)), num(s.wall.max, fmtMs(s.wall.max)), num(s.wallMs, fmtMs(s.wallMs)),
      el("td", { "data-v": t > 0 ? (s.b[1] + s.b[2] + s.b[3]) / t : "", title: "sorts by the share off a CPU" }, s.measured ? stackBar(s.b, t) : el("span", { class: "empty" }, "not described by the agent")),
      num(s.b[4], s.b[4] > 0 ? fmtMs(s.b[4]) : ""), el("td", null, spark(s.wall))));
  });
  pt.append(pb);
  sortable(pt);
  ph.append(el("div", { class: "scroll", style: "max-height:520px" }, pt), legend(null));
  main.append(ph);

  // ---- latency histograms ----
  const lat = section("Latency", "log-scale buckets, five per decade", "latency");
  const hs = el("div", { class: "hists" });
  hs.append(histogram("Time to first token (TTFT)", "request start → end of prefill (or of the first decode step)", D.latency.ttft, "#4f46e5"));
  hs.append(histogram("Time per output token (TPOT)", "mean time per token after the first", D.latency.tpot, "#0891b2"));
  hs.append(histogram("Request duration", "root span of each trace", D.latency.request, "#64748b"));
  // the inner phases with the most wall time (client and server spans are the request histogram)
  D.phaseStats.filter(s => !/ \((client|server)\)$/.test(s.name)).slice(0, 3)
    .forEach(s => hs.append(histogram("Phase: " + s.name, s.count + " phases", s.wall, nameColor(s.name))));
  lat.append(hs);
  main.append(lat);

  // ---- host ----
  const host = section("Host", "aiprof doctor, where the report was built", "host");
  host.append(D.host ? el("pre", { class: "host" }, D.host) : el("p", { class: "empty" }, "no doctor output included"));
  const rd = D.read;
  const readLine = el("p", { class: "read" }, "Read " + rd.spans + " spans from " + rd.files + " trace file(s); " + rd.filtered + " left out by --service/--since; " + rd.stalls + " stalls shown.");
  if (rd.overCap > 0) readLine.append(el("span", { class: "warn" }, " " + rd.overCap + " spans were not read: over the cap of " + rd.maxSpans + " (narrow with --since or --service)."));
  if (rd.badLines > 0) readLine.append(el("span", { class: "warn" }, " " + rd.badLines + " lines were not OTLP JSON."));
  if (rd.stalls >= rd.maxStalls) readLine.append(el("span", { class: "warn" }, " Stalls capped at " + rd.maxStalls + " (the longest kept)."));
  host.append(readLine);
  const lossBox = el("div", { class: "read", id: "losses" });
  if (D.losses.length) {
    lossBox.append(el("span", { class: "warn" }, "In this window the agent counted what it could not record: "));
    lossBox.append(D.losses.map(l => l.series + " = " + l.value).join("; ") + ".");
  } else {
    lossBox.append(rd.metricFiles ? "The agent's loss counters (dropped events and spans, late signals, refused threads) are all zero in the window." : "No metrics files: the agent's loss counters are not shown.");
  }
  host.append(lossBox);
  main.append(host);
  app.append(el("footer", null, "Generated by aiprof report. The same window is in aiprof-trace.json (Chrome trace events) beside this file: open it in the Perfetto UI."));

  function spark(h) {
    const NS = "http://www.w3.org/2000/svg", w = 120, hh = 22, svg = document.createElementNS(NS, "svg");
    svg.setAttribute("width", w); svg.setAttribute("height", hh);
    const max = Math.max(1, ...h.counts), n = h.counts.length;
    h.counts.forEach((c, i) => {
      const r = document.createElementNS(NS, "rect"), bh = c ? Math.max(1.5, hh * c / max) : 0;
      r.setAttribute("x", i * w / n + 0.5); r.setAttribute("width", Math.max(1, w / n - 1)); r.setAttribute("y", hh - bh); r.setAttribute("height", bh); r.setAttribute("fill", "#94a3b8");
      const t = document.createElementNS(NS, "title"); t.textContent = fmtMs(h.edges[i]) + "–" + fmtMs(h.edges[i + 1]) + ": " + c; r.append(t);
      svg.append(r);
    });
    return svg;
  }
  function histogram(title, sub, h, color) {
    const d = el("div", { class: "hist" }, el("h3", null, title));
    if (!h.count) { d.append(el("p", { class: "empty" }, "no data: " + sub)); return d; }
    d.append(el("div", { class: "q" }, sub + " · n=" + h.count + " · p50 " + fmtMs(h.p50) + " · p90 " + fmtMs(h.p90) + " · p99 " + fmtMs(h.p99) + " · max " + fmtMs(h.max)));
    const NS = "http://www.w3.org/2000/svg", w = 420, hh = 130, L = 34, B = 18, svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 " + w + " " + hh); svg.setAttribute("width", "100%");
    const n = h.counts.length, max = Math.max(...h.counts), bw = (w - L - 4) / n;
    const txt = (x, y, s, anchor) => { const t = document.createElementNS(NS, "text"); t.setAttribute("x", x); t.setAttribute("y", y); t.setAttribute("font-size", "10"); t.setAttribute("fill", "#64748b"); t.setAttribute("text-anchor", anchor || "middle"); t.textContent = s; svg.append(t); };
    txt(L - 4, 10, String(max), "end"); txt(L - 4, hh - B, "0", "end");
    h.counts.forEach((c, i) => {
      const r = document.createElementNS(NS, "rect"), bh = c ? Math.max(1, (hh - B - 6) * c / max) : 0;
      r.setAttribute("x", L + i * bw + 1); r.setAttribute("width", Math.max(1, bw - 2)); r.setAttribute("y", hh - B - bh); r.setAttribute("height", bh); r.setAttribute("fill", color); r.setAttribute("rx", 2);
      const t = document.createElementNS(NS, "title"); t.textContent = fmtMs(h.edges[i]) + " – " + fmtMs(h.edges[i + 1]) + ": " + c; r.append(t);
      svg.append(r);
    });
    const every = Math.max(1, Math.ceil(n / 7));
    for (let i = 0; i <= n; i += every) txt(L + i * bw, hh - 4, fmtMs(h.edges[i]));
    const mark = (v, label) => {
      const pos = L + (Math.log10(v) - Math.log10(h.edges[0])) / (Math.log10(h.edges[n]) - Math.log10(h.edges[0])) * (w - L - 4);
      const ln = document.createElementNS(NS, "line"); ln.setAttribute("x1", pos); ln.setAttribute("x2", pos); ln.setAttribute("y1", 4); ln.setAttribute("y2", hh - B);
      ln.setAttribute("stroke", "#0f172a"); ln.setAttribute("stroke-dasharray", "3 3"); svg.append(ln);
      if (pos > w - 30) txt(pos - 3, 12, label, "end"); else txt(pos + 3, 12, label, "start");
    };
    if (h.p50 > 0) mark(h.p50, "p50"); if (h.p99 > 0 && h.p99 !== h.p50) mark(h.p99, "p99");
    d.append(svg);
    return d;
  }

  resize();
  if (order.length) selectRequest(order[0], -1);
  // #view=START,END (ms from the window's start) opens the timeline zoomed: a link to a moment
  const hv = /[#&]view=(-?[\d.]+),(-?[\d.]+)/.exec(location.hash);
  if (hv && +hv[2] > +hv[1]) { view = [+hv[1], +hv[2]]; draw(); }
  // the timeline's shown range in ms, for tests and the console
  window.__aiprofView = () => view.slice();
  document.body.setAttribute("data-ready", "1");
})();
