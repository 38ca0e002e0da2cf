extension DashboardPage {
    /// Plain CSS: readable on a 1366×768 laptop, visible keyboard focus, measured time solid and simulated time
    /// hatched everywhere (cards and waterfalls alike).
    static let style = #"""
        :root { --bg:#f6f7f9; --card:#fff; --ink:#1b1f24; --dim:#5b6470; --line:#d9dde3; --focus:#1d4ed8;
          --measured:#2563eb; --sim:#d97706; --starting:#7c3aed; --busy:#dc2626; --idle:#16a34a; --waiting:#64748b;
          --worker:#0891b2; --shared:#c026d3; --err:#b91c1c; }
        * { box-sizing: border-box; }
        body { margin:0; font:14px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
          background:var(--bg); color:var(--ink); }
        h1 { font-size:20px; margin:0; } h2 { font-size:16px; margin:0; } h3 { font-size:14px; margin:0; }
        .dim { color:var(--dim); font-weight:400; }
        .skip { position:absolute; left:-999px; } .skip:focus { left:8px; top:8px; background:#fff; padding:4px 8px; }
        .visually-hidden { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); }
        :focus-visible { outline:3px solid var(--focus); outline-offset:2px; }
        .top { display:flex; align-items:center; gap:16px; padding:8px 16px; background:#111827; color:#f9fafb; }
        .top .dim { color:#9ca3af; }
        .status { margin:0; padding:2px 10px; border-radius:999px; font-size:12px; background:#374151; }
        .status[data-state=live] { background:#166534; } .status[data-state=reconnecting] { background:#92400e; }
        .updated { margin:0 0 0 auto; font-size:12px; color:#d1d5db; }
        main { padding:10px 16px 24px; display:flex; flex-direction:column; gap:12px; }
        .section-head { display:flex; align-items:baseline; gap:16px; margin-bottom:6px; flex-wrap:wrap; }
        .hint { margin:0; color:var(--dim); font-size:12px; }
        .legend { display:flex; flex-wrap:wrap; gap:4px 12px; list-style:none; margin:0; padding:0; font-size:12px;
          color:var(--dim); }
        .legend li { display:flex; align-items:center; gap:4px; }
        .sw { display:inline-block; width:12px; height:10px; border-radius:2px; }
        .st-starting { background:var(--starting); } .st-busy { background:var(--busy); }
        .st-idle { background:var(--idle); } .st-waiting { background:var(--waiting); }
        .measured { background:var(--measured); }
        .simulated { background:repeating-linear-gradient(135deg, var(--sim) 0 3px, #fde68a 3px 6px);
          outline:1px dashed #92400e; outline-offset:-1px; }
        .line-worker { height:3px; background:var(--worker); } .line-shared { height:3px; background:var(--shared); }
        .host-strip { display:flex; gap:10px; flex-wrap:wrap; }
        .tile { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:6px 10px;
          min-width:180px; }
        .tile.grow { flex:1; }
        .tile h3 { font-size:12px; color:var(--dim); font-weight:600; text-transform:uppercase; letter-spacing:.03em; }
        .pair { display:flex; gap:14px; margin:4px 0 0; } .pair b { font-size:18px; }
        .none { color:var(--dim); margin:4px 0 0; font-size:12px; }
        table.mini { border-collapse:collapse; font-size:12px; margin-top:2px; }
        table.mini th, table.mini td { padding:1px 8px 1px 0; text-align:right; }
        table.mini th:first-child, table.mini td:first-child { text-align:left; }
        table.mini th { color:var(--dim); font-weight:500; }
        .dlq { color:var(--err); font-weight:600; }
        .columns { display:grid; grid-template-columns:minmax(0, 1fr) minmax(0, 1fr); gap:14px; align-items:start; }
        @media (max-width: 1100px) { .columns { grid-template-columns:minmax(0, 1fr); } }
        .cards { display:grid; grid-template-columns:repeat(auto-fill, minmax(300px, 1fr)); gap:8px;
          align-items:start; }
        .fn { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:8px 10px;
          display:flex; flex-direction:column; gap:6px; }
        .fn.quiet { opacity:.85; gap:2px; padding:5px 10px; }
        .fn.quiet .charts { display:none; }
        .fn-head { display:flex; align-items:baseline; gap:8px; }
        .fn-head h3 { font-size:15px; }
        .rate { margin-left:auto; font-size:12px; color:var(--dim); }
        .rate b { font-size:18px; color:var(--ink); }
        .workers { display:flex; gap:4px; margin:0; padding:0; list-style:none; font-size:12px; flex-wrap:wrap; }
        .workers li { display:flex; align-items:center; gap:3px; padding:1px 5px; border-radius:4px;
          background:#f1f3f6; }
        .workers b { font-size:14px; min-width:1ch; text-align:right; }
        .workers .reaped { color:var(--dim); background:none; }
        .charts { display:grid; grid-template-columns:1fr 1fr; gap:6px; }
        .chart { margin:0; }
        .chart figcaption { font-size:11px; color:var(--dim); line-height:1.25; }
        .chart figcaption .title { display:block; color:var(--ink); font-weight:500; }
        .chart figcaption .val { display:block; min-height:1.25em; white-space:nowrap; overflow:hidden;
          text-overflow:ellipsis; }
        .chart svg { display:block; width:100%; height:46px; background:#fafbfc; border-radius:4px; }
        .latency svg { height:58px; }
        .latency { grid-column:1 / -1; }
        .totals { font-size:11px; color:var(--dim); margin:0; display:flex; gap:4px 9px; flex-wrap:wrap; }
        .totals b { font-weight:600; color:var(--ink); }
        .totals .bad { color:var(--err); }
        .traces-grid { display:grid; grid-template-columns:minmax(0, 1fr); gap:8px; }
        .trace-list { background:var(--card); border:1px solid var(--line); border-radius:8px; max-height:196px;
          overflow:auto; }
        #trace-table { width:100%; border-collapse:collapse; font-size:12px; }
        #trace-table th { position:sticky; top:0; background:#f1f3f6; text-align:left; padding:4px 6px;
          font-weight:600; color:var(--dim); }
        #trace-table td { padding:3px 6px; border-top:1px solid #eef0f3; white-space:nowrap; }
        #trace-table .num { text-align:right; font-variant-numeric:tabular-nums; }
        #trace-table tbody tr { cursor:pointer; }
        #trace-table tbody tr:hover { background:#f3f6fb; }
        #trace-table tbody tr[aria-current=true] { background:#dbeafe; }
        #trace-table tbody tr:focus-visible { outline:3px solid var(--focus); outline-offset:-3px; }
        .outcome-ok { color:var(--idle); } .outcome-error, .outcome-timeout { color:var(--err); font-weight:600; }
        .outcome-throttled { color:var(--sim); font-weight:600; }
        .waterfall { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:8px 10px;
          min-height:120px; }
        .wf-head { display:flex; flex-wrap:wrap; gap:4px 14px; align-items:baseline; margin-bottom:6px; }
        .wf-head h3 { font-size:14px; } .wf-head code { font-size:11px; color:var(--dim); }
        .wf-grid { display:grid; grid-template-columns:minmax(150px, 32%) 1fr; font-size:12px; }
        .wf-axis { position:relative; height:16px; border-bottom:1px solid var(--line); color:var(--dim);
          font-size:10px; }
        .wf-axis span { position:absolute; transform:translateX(-50%); white-space:nowrap; }
        .wf-axis span:first-child { transform:none; } .wf-axis span:last-child { transform:translateX(-100%); }
        .wf-name { padding:2px 6px 2px 0; white-space:nowrap; overflow:hidden; text-overflow:ellipsis;
          border-bottom:1px solid #f1f3f6; }
        .wf-name .kind { color:var(--dim); font-size:10px; margin-left:4px; }
        .wf-track { position:relative; height:20px; border-bottom:1px solid #f1f3f6;
          background:repeating-linear-gradient(90deg, transparent 0 calc(25% - 1px), #eef0f3 calc(25% - 1px) 25%); }
        .wf-bar { position:absolute; top:4px; height:12px; min-width:2px; border-radius:2px; }
        .wf-bar.measured { background:var(--measured); }
        .wf-bar.simulated { background:repeating-linear-gradient(135deg, var(--sim) 0 3px, #fde68a 3px 6px);
          outline:1px dashed #92400e; outline-offset:-1px; }
        .wf-bar.error { box-shadow:0 0 0 2px var(--err); }
        .wf-label { position:absolute; top:3px; font-size:10px; color:var(--ink); white-space:nowrap; }
        .wf-label.inside { color:#fff; text-shadow:0 0 2px #1e3a8a; }
        .chart figcaption .val:empty { display:none; }
        .wf-legend { margin-top:6px; }
        """#
}
