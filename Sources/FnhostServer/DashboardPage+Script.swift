extension DashboardPage {
    /// The page's script: renders snapshots (first from `/fnhost/snapshot`, then each `snapshot` event of
    /// `/fnhost/events`, which the browser reconnects by itself), and polls `/fnhost/traces` for the trace list and
    /// its waterfalls. Every text from the server goes in through `textContent`, never as markup.
    static let script = #"""
        "use strict";
        const SVG = "http://www.w3.org/2000/svg";
        const $ = (id) => document.getElementById(id);
        const STATES = ["starting", "busy", "idle", "waiting"];
        const fmtMs = (ms) => ms === 0 ? "0" : ms >= 1000 ? (ms / 1000).toFixed(ms >= 10000 ? 0 : 1) + " s"
          : ms >= 10 ? ms.toFixed(0) + " ms" : ms.toFixed(ms >= 1 ? 1 : 2) + " ms";
        const pct = (r) => r == null ? "–" : Math.round(r * 100) + "%";

        function el(tag, attrs, ...children) {
          const node = document.createElement(tag);
          for (const [k, v] of Object.entries(attrs || {})) {
            if (v == null || v === false) continue;
            if (k === "text") node.textContent = v; else node.setAttribute(k, v === true ? "" : String(v));
          }
          for (const c of children) if (c != null) node.append(c);
          return node;
        }
        function svgEl(tag, attrs) {
          const node = document.createElementNS(SVG, tag);
          for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
          return node;
        }
        function setCount(node, n) {
          if (node.getAttribute("data-count") !== String(n)) {
            node.setAttribute("data-count", String(n));
            node.textContent = String(n);
          }
        }

        // MARK: Charts (inline SVG, viewBox units; the CSS sets the size)

        function chartSVG(w, h, label) {
          const s = svgEl("svg", { viewBox: `0 0 ${w} ${h}`, preserveAspectRatio: "none", role: "img" });
          s.setAttribute("aria-label", label);
          return s;
        }
        function patternDefs(s, id) {
          const defs = svgEl("defs");
          const p = svgEl("pattern", { id, width: 4, height: 4, patternUnits: "userSpaceOnUse",
            patternTransform: "rotate(45)" });
          p.append(svgEl("rect", { width: 4, height: 4, fill: "#fde68a" }));
          p.append(svgEl("rect", { width: 2, height: 4, fill: "#d97706" }));
          defs.append(p);
          s.append(defs);
        }
        function invocationsChart(seconds) {
          const w = 120, h = 40;
          const max = Math.max(1, ...seconds.map((s) => s.invocations + s.throttles));
          const total = seconds.reduce((a, s) => a + s.invocations, 0);
          const s = chartSVG(w, h, `invocations per second over the last ${seconds.length} s: ${total} in all`);
          const bw = w / seconds.length;
          seconds.forEach((sec, i) => {
            const ih = (sec.invocations / max) * (h - 2), th = (sec.throttles / max) * (h - 2);
            if (ih > 0) s.append(svgEl("rect", { x: i * bw, y: h - ih, width: Math.max(bw - 0.4, 0.5), height: ih,
              fill: "#2563eb" }));
            if (th > 0) s.append(svgEl("rect", { x: i * bw, y: h - ih - th, width: Math.max(bw - 0.4, 0.5),
              height: th, fill: "#b91c1c" }));
          });
          return s;
        }
        function hitRateChart(seconds) {
          const w = 120, h = 40;
          const s = chartSVG(w, h, "cache hit rate per tier, per second");
          s.append(svgEl("line", { x1: 0, x2: w, y1: h / 2, y2: h / 2, stroke: "#e5e7eb", "stroke-width": 0.5 }));
          const step = w / Math.max(1, seconds.length - 1);
          for (const [key, color] of [["workerHitRate", "#0891b2"], ["sharedHitRate", "#c026d3"]]) {
            let d = "", pen = false;
            seconds.forEach((sec, i) => {
              const r = sec[key];
              if (r == null) { pen = false; return; }
              const x = (i * step).toFixed(2), y = (h - 1 - r * (h - 2)).toFixed(2);
              d += (pen ? "L" : "M") + x + " " + y + " ";
              pen = true;
            });
            if (d) s.append(svgEl("path", { d, fill: "none", stroke: color, "stroke-width": 1.6,
              "vector-effect": "non-scaling-stroke", "stroke-linejoin": "round" }));
          }
          return s;
        }
        function latencyChart(latency, name) {
          const w = 300, h = 50, m = latency.measured, sim = latency.withSimulated;
          const n = m.buckets.length;
          const max = Math.max(1, ...m.buckets.map((b) => b.count), ...(sim ? sim.buckets.map((b) => b.count) : []));
          const s = chartSVG(w, h, `latency distribution of ${name}: measured p50 ${fmtMs(m.p50Ms)}, p99 `
            + `${fmtMs(m.p99Ms)}` + (sim ? `; with simulated overheads p50 ${fmtMs(sim.p50Ms)}, p99 `
            + `${fmtMs(sim.p99Ms)}` : ""));
          const pid = "hatch-" + name.replace(/[^A-Za-z0-9_-]/g, "_");
          patternDefs(s, pid);
          const gw = w / n, bh = h - 12;
          m.buckets.forEach((b, i) => {
            const x = i * gw;
            const mh = (b.count / max) * bh;
            if (mh > 0) s.append(svgEl("rect", { x: x + 1, y: bh - mh, width: sim ? gw / 2 - 1.5 : gw - 2,
              height: mh, fill: "#2563eb" }));
            if (sim) {
              const sh = (sim.buckets[i].count / max) * bh;
              if (sh > 0) s.append(svgEl("rect", { x: x + gw / 2, y: bh - sh, width: gw / 2 - 1.5, height: sh,
                fill: `url(#${pid})`, stroke: "#92400e", "stroke-width": 0.5, "stroke-dasharray": "2 1" }));
            }
            const bound = b.upToMs;
            if (bound != null && [1, 10, 100, 1000, 10000].includes(bound)) {
              const t = svgEl("text", { x: x + gw, y: h - 2, "font-size": 8, "text-anchor": "middle",
                fill: "#5b6470" });
              t.textContent = fmtMs(bound);
              s.append(t);
            }
          });
          s.append(svgEl("line", { x1: 0, x2: w, y1: bh, y2: bh, stroke: "#d9dde3", "stroke-width": 0.6 }));
          return s;
        }

        // MARK: Function cards

        const cards = new Map();

        function makeCard(name) {
          const id = "fn-" + name;
          const counts = {};
          const workers = el("ul", { class: "workers", "aria-label": "workers by state" });
          for (const st of STATES) {
            counts[st] = el("b", { id: `w-${name}-${st}`, "data-worker-state": st, "data-count": 0, text: "0" });
            workers.append(el("li", { title: st }, el("span", { class: "sw st-" + st }), counts[st], " " + st));
          }
          const rate = el("b", { id: `rate-${name}`, "data-count": 0, text: "0" });
          const inv = el("figure", { class: "chart" }, el("figcaption", {},
            el("span", { class: "title", text: "invocations per second" }),
            el("span", { class: "val throttles", text: "" })));
          const hit = el("figure", { class: "chart" }, el("figcaption", {},
            el("span", { class: "title", text: "cache hit rate per tier" }), el("span", { class: "val hits", text: "" })));
          const lat = el("figure", { class: "chart latency" }, el("figcaption", {},
            el("span", { class: "title", text: "latency, last minute" }),
            el("span", { class: "val percentiles", text: "" }), el("span", { class: "val simulated-percentiles" })));
          const totals = el("p", { class: "totals" });
          counts.reaped = el("b", { id: `w-${name}-reaped`, "data-worker-state": "reaped", "data-count": 0,
            text: "0" });
          const card = el("article", { class: "fn", id, "data-function": name, "aria-labelledby": id + "-name" },
            el("div", { class: "fn-head" }, el("h3", { id: id + "-name", text: name }),
              el("span", { class: "rate" }, rate, " /s")),
            workers, el("div", { class: "charts" }, inv, hit, lat), totals);
          const entry = { card, counts, rate, inv, hit, lat, totals, key: "" };
          cards.set(name, entry);
          return entry;
        }

        function renderFunction(f) {
          const c = cards.get(f.name) || makeCard(f.name);
          for (const st of STATES) setCount(c.counts[st], f.workers[st]);
          setCount(c.counts.reaped, f.workers.reaped);
          setCount(c.rate, f.invocationsPerSecond);
          c.card.classList.toggle("quiet", f.totals.invocations === 0 && f.totals.throttles === 0);
          const key = JSON.stringify([f.seconds, f.latency, f.totals]);
          if (key === c.key) return c;
          c.key = key;
          const thr = f.seconds.reduce((a, s) => a + s.throttles, 0);
          c.inv.querySelector(".throttles").textContent = thr ? `${thr} throttled (red)` : `last ${f.seconds.length} s`;
          c.inv.querySelector("svg")?.remove();
          c.inv.append(invocationsChart(f.seconds));
          const lastRate = (k) => { for (let i = f.seconds.length - 1; i >= 0; i--) if (f.seconds[i][k] != null)
            return f.seconds[i][k]; return null; };
          c.hit.querySelector(".hits").textContent =
            `worker ${pct(lastRate("workerHitRate"))} · shared ${pct(lastRate("sharedHitRate"))}`;
          c.hit.querySelector("svg")?.remove();
          c.hit.append(hitRateChart(f.seconds));
          const m = f.latency.measured, s = f.latency.withSimulated;
          c.lat.querySelector(".percentiles").textContent = m.count === 0 ? "no invocations"
            : `measured: p50 ${fmtMs(m.p50Ms)} · p99 ${fmtMs(m.p99Ms)}`;
          c.lat.querySelector(".simulated-percentiles").textContent = s && s.count > 0
            ? `with simulated overheads: p50 ${fmtMs(s.p50Ms)} · p99 ${fmtMs(s.p99Ms)}` : "";
          c.lat.querySelector("svg")?.remove();
          c.lat.append(latencyChart(f.latency, f.name));
          const t = f.totals;
          const total = (n, what, bad, id) => el("span", { class: bad && n ? "bad" : null, id,
            "data-count": id ? n : null }, el("b", { text: n }), " " + what);
          c.totals.replaceChildren(total(t.invocations, "invocations"), total(t.errors, "errors", true),
            total(t.throttles, "throttles", true, `throttles-${f.name}`), total(t.coldStarts, "cold starts"),
            el("span", { title: "idle workers stopped by the reaper" }, c.counts.reaped, " reaped"));
          return c;
        }

        function renderHost(snap) {
          setCount($("async-queued"), snap.asyncEvents.queued);
          setCount($("async-dead"), snap.asyncEvents.deadLetters);
          $("sqs-none").hidden = snap.queues.length > 0;
          $("sqs-table").hidden = snap.queues.length === 0;
          $("sqs-rows").replaceChildren(...snap.queues.map((q) => el("tr", { "data-queue": q.name },
            el("td", { class: q.isDeadLetterQueue ? "dlq" : null,
              text: q.name + (q.isDeadLetterQueue ? " (DLQ)" : "") }),
            el("td", { text: q.visible }), el("td", { text: q.inFlight }), el("td", { text: q.delayed }))));
          $("machines-none").hidden = snap.stateMachines.length > 0;
          $("machines-table").hidden = snap.stateMachines.length === 0;
          $("machines-rows").replaceChildren(...snap.stateMachines.map((m) => el("tr", { "data-state-machine": m.name },
            el("td", { text: m.name }),
            ...["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"].map((k) =>
              el("td", { class: k !== "SUCCEEDED" && k !== "RUNNING" && m.executions[k] ? "dlq" : null,
                text: m.executions[k] || 0 })))));
        }

        let lastInvocations = -1;
        function render(snap) {
          const grid = $("functions");
          const ordered = [...snap.functions].sort((a, b) =>
            (b.totals.invocations + b.totals.throttles) - (a.totals.invocations + a.totals.throttles)
            || a.name.localeCompare(b.name));
          ordered.forEach((f, i) => {
            const c = renderFunction(f);
            if (grid.children[i] !== c.card) grid.insertBefore(c.card, grid.children[i] || null);
          });
          renderHost(snap);
          const t = new Date(snap.second * 1000);
          $("updated").textContent = t.toLocaleTimeString();
          $("updated").setAttribute("datetime", t.toISOString());
          const total = snap.functions.reduce((a, f) => a + f.totals.invocations, 0);
          if (total !== lastInvocations) { lastInvocations = total; refreshTraces(); }
        }

        function setStatus(state, text) {
          const s = $("status");
          if (s.getAttribute("data-state") === state) return;
          s.setAttribute("data-state", state);
          s.textContent = text;
        }

        // MARK: Traces and their waterfalls

        let traces = [], openTraceId = null, tracesAvailable = true, tracesBusy = false;

        async function refreshTraces() {
          if (!tracesAvailable || tracesBusy) return;
          tracesBusy = true;
          try {
            const r = await fetch("/fnhost/traces?limit=25", { headers: { Accept: "application/json" } });
            if (r.status === 404) {
              tracesAvailable = false;
              $("traces-empty").textContent = "this server keeps no traces";
              return;
            }
            if (!r.ok) return;
            const body = await r.json();
            traces = Array.isArray(body.traces) ? body.traces : [];
            renderTraceList();
          } catch (e) {
            // The server is restarting: the next snapshot tries again.
          } finally {
            tracesBusy = false;
          }
        }

        function renderTraceList() {
          const rows = $("trace-rows");
          const focusedId = document.activeElement?.closest?.("#trace-rows tr")?.getAttribute("data-trace-id");
          rows.replaceChildren(...traces.map((t) => {
            const started = new Date(t.startedAt);
            const tr = el("tr", { tabindex: 0, "data-trace-id": t.traceId, "aria-controls": "waterfall",
              "aria-current": t.traceId === openTraceId ? "true" : null,
              "aria-label": `${t.root}, ${t.trigger}, ${t.outcome}, ${fmtMs(t.durationMs)}; Enter opens its waterfall` },
              el("td", { text: isNaN(started) ? "" : started.toLocaleTimeString() }),
              el("td", { text: t.root }), el("td", { text: t.trigger }),
              el("td", { class: "outcome-" + t.outcome, text: t.outcome }),
              el("td", { class: "num", text: t.durationMs.toFixed(1) }));
            tr.addEventListener("click", () => openTrace(t.traceId));
            return tr;
          }));
          $("traces-empty").hidden = traces.length > 0;
          if (focusedId) rows.querySelector(`tr[data-trace-id="${CSS.escape(focusedId)}"]`)?.focus();
          const open = traces.find((t) => t.traceId === openTraceId);
          if (open) return;
          if (traces.length > 0 && openTraceId === null) openTrace(traces[0].traceId);
        }

        $("trace-rows").addEventListener("keydown", (e) => {
          const row = e.target.closest("tr");
          if (!row) return;
          if (e.key === "Enter" || e.key === " ") {
            e.preventDefault();
            openTrace(row.getAttribute("data-trace-id"));
          } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
            e.preventDefault();
            (e.key === "ArrowDown" ? row.nextElementSibling : row.previousElementSibling)?.focus();
          }
        });

        function openTrace(id) {
          const t = traces.find((x) => x.traceId === id);
          if (!t) return;
          openTraceId = id;
          for (const tr of $("trace-rows").children)
            if (tr.getAttribute("data-trace-id") === id) tr.setAttribute("aria-current", "true");
            else tr.removeAttribute("aria-current");
          drawWaterfall(t);
        }

        /// Spans in tree order (a parent, then its children by start), each with its depth; a span whose parent is
        /// not in the trace is drawn as a root.
        function ordered(spans) {
          const ids = new Set(spans.map((s) => s.spanId));
          const children = new Map();
          for (const s of spans) {
            const p = s.parentSpanId && ids.has(s.parentSpanId) && s.parentSpanId !== s.spanId ? s.parentSpanId : null;
            if (!children.has(p)) children.set(p, []);
            children.get(p).push(s);
          }
          for (const list of children.values()) list.sort((a, b) => a.startMs - b.startMs);
          const out = [], seen = new Set();
          const walk = (parent, depth) => {
            for (const s of children.get(parent) || []) {
              if (seen.has(s.spanId)) continue;
              seen.add(s.spanId);
              out.push({ span: s, depth });
              walk(s.spanId, depth + 1);
            }
          };
          walk(null, 0);
          return out;
        }

        function drawWaterfall(t) {
          const wf = $("waterfall");
          const total = Math.max(t.durationMs, ...t.spans.map((s) => s.startMs + s.durationMs), 0.001);
          const head = el("div", { class: "wf-head" }, el("h3", { text: `${t.root} · ${fmtMs(t.durationMs)}` }),
            el("span", { class: "outcome-" + t.outcome, text: t.outcome }), el("span", { text: t.trigger }),
            el("code", { text: t.traceId }));
          const grid = el("div", { class: "wf-grid", role: "table",
            "aria-label": `spans of trace ${t.traceId}, offsets from its start` });
          const axis = el("div", { class: "wf-axis", "aria-hidden": "true" });
          for (const f of [0, 0.25, 0.5, 0.75, 1])
            axis.append(el("span", { style: `left:${f * 100}%`, text: fmtMs(total * f) }));
          grid.append(el("div", { class: "wf-name", "aria-hidden": "true" }), axis);
          for (const { span: s, depth } of ordered(t.spans)) {
            const left = (s.startMs / total) * 100, width = (s.durationMs / total) * 100;
            const timing = s.timing === "simulated" ? "simulated" : "measured";
            const attrs = Object.entries(s.attributes || {}).map(([k, v]) => `${k}: ${v}`).join("\n");
            const failed = ["error", "timeout", "throttled"].includes((s.attributes || {})["fnhost.outcome"])
              || (s.attributes || {})["fnhost.error"] !== undefined;
            const row = el("div", { role: "row", class: "wf-row", "data-span-id": s.spanId, "data-timing": timing,
              "data-kind": s.kind });
            row.style.display = "contents";
            const name = el("div", { role: "rowheader", class: "wf-name", style: `padding-left:${depth * 12}px`,
              title: `${s.name} (${s.kind}, ${s.function})` }, s.name, el("span", { class: "kind", text: s.kind }));
            const bar = el("div", { class: `wf-bar ${timing}${failed ? " error" : ""}`,
              style: `left:${left.toFixed(3)}%;width:${Math.max(width, 0).toFixed(3)}%`,
              title: `${s.name}: ${fmtMs(s.durationMs)} ${timing}, from ${fmtMs(s.startMs)}` + (attrs ? "\n" + attrs : "") });
            const outcome = (s.attributes || {})["cache.outcome"];
            const label = el("span", { class: "wf-label",
              text: `${fmtMs(s.durationMs)} ${timing}` + (outcome ? ` · ${outcome}` : "") });
            if (left + width <= 75) label.style.left = (left + width + 0.5).toFixed(3) + "%";
            else if (left >= 25) label.style.right = (100 - left + 0.5).toFixed(3) + "%";
            else { label.classList.add("inside"); label.style.left = (left + 0.5).toFixed(3) + "%"; }
            const track = el("div", { role: "cell", class: "wf-track" }, bar, label);
            row.append(name, track);
            grid.append(row);
          }
          const legend = el("ul", { class: "legend wf-legend", "aria-label": "Waterfall legend" },
            el("li", {}, el("span", { class: "sw measured" }), "measured"),
            el("li", {}, el("span", { class: "sw simulated" }), "simulated (seeded)"),
            el("li", { text: "bars: offset by start, width by duration, nested under their parent span" }));
          wf.replaceChildren(head, grid, legend);
          wf.setAttribute("data-trace-id", t.traceId);
          wf.setAttribute("data-span-count", String(t.spans.length));
        }

        // MARK: Start: one snapshot now, then the stream

        async function start() {
          try {
            const r = await fetch("/fnhost/snapshot", { headers: { Accept: "application/json" } });
            if (r.ok) render(await r.json());
          } catch (e) {
            setStatus("reconnecting", "server unreachable; retrying");
          }
          const events = new EventSource("/fnhost/events");
          events.addEventListener("open", () => setStatus("live", "live"));
          events.addEventListener("error", () => setStatus("reconnecting", "reconnecting…"));
          events.addEventListener("snapshot", (e) => {
            setStatus("live", "live");
            render(JSON.parse(e.data));
          });
          refreshTraces();
          setInterval(refreshTraces, 5000);
        }
        start();

        """#
}
