/// The live page of `fnhost serve`, embedded in the binary: one HTML document with its style and script inline,
/// so it needs no network, no CDN and no file beside the binary. It reads `/fnhost/snapshot` once, then
/// `/fnhost/events` (server-sent events), and the recent traces from `/fnhost/traces`; it draws with plain DOM and
/// inline SVG. The style lives in `DashboardPage+Style.swift`, the script in `DashboardPage+Script.swift`.
enum DashboardPage {
    static let document = head + style + body + "<script>\n" + script + "</script>\n</body>\n</html>\n"

    static let head = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>fnhost serve: live</title>
        <link rel="icon" href="data:,">
        <style>

        """

    static let body = #"""
        </style>
        </head>
        <body>
        <a class="skip" href="#traces-heading">Skip to traces</a>
        <header class="top">
          <h1>fnhost <span class="dim">serve</span></h1>
          <p id="status" class="status" role="status" aria-live="polite" data-state="connecting">connecting…</p>
          <p class="updated">updated <time id="updated">–</time></p>
        </header>
        <main>
          <section aria-labelledby="host-heading" class="host">
            <h2 id="host-heading" class="visually-hidden">Queues and state machines</h2>
            <div class="host-strip">
              <div class="tile" id="async-events"><h3>Async events</h3><p class="pair">
                <span><b id="async-queued" data-count="0">0</b> queued</span>
                <span><b id="async-dead" data-count="0">0</b> dead letters</span></p></div>
              <div class="tile grow" id="sqs"><h3>SQS queues</h3><p class="none" id="sqs-none">none</p>
                <table class="mini" id="sqs-table" hidden><thead><tr><th scope="col">queue</th>
                <th scope="col">visible</th><th scope="col">in flight</th><th scope="col">delayed</th></tr></thead>
                <tbody id="sqs-rows"></tbody></table></div>
              <div class="tile grow" id="machines"><h3>State machine executions</h3><p class="none" id="machines-none">none</p>
                <table class="mini" id="machines-table" hidden><thead><tr><th scope="col">state machine</th>
                <th scope="col">running</th><th scope="col">succeeded</th><th scope="col">failed</th>
                <th scope="col">timed out</th><th scope="col">aborted</th></tr></thead>
                <tbody id="machines-rows"></tbody></table></div>
            </div>
          </section>
          <div class="columns">
          <section aria-labelledby="functions-heading">
            <div class="section-head">
              <h2 id="functions-heading">Functions</h2>
              <ul class="legend" aria-label="Legend">
                <li><span class="sw st-starting"></span>starting</li><li><span class="sw st-busy"></span>busy</li>
                <li><span class="sw st-idle"></span>idle</li><li><span class="sw st-waiting"></span>waiting</li>
                <li><span class="sw measured"></span>measured</li>
                <li><span class="sw simulated"></span>with simulated overheads</li>
                <li><span class="sw line-worker"></span>worker cache hit rate</li>
                <li><span class="sw line-shared"></span>shared cache hit rate</li>
              </ul>
            </div>
            <div id="functions" class="cards"></div>
          </section>
          <section aria-labelledby="traces-heading" class="traces">
            <div class="section-head"><h2 id="traces-heading" tabindex="-1">Recent traces</h2>
              <p class="hint">↑/↓ move, Enter opens the waterfall</p></div>
            <div class="traces-grid">
              <div class="trace-list" id="trace-list">
                <table id="trace-table" aria-describedby="traces-heading">
                  <thead><tr><th scope="col">started</th><th scope="col">root</th><th scope="col">trigger</th>
                  <th scope="col">outcome</th><th scope="col" class="num">ms</th></tr></thead>
                  <tbody id="trace-rows"></tbody>
                </table>
                <p id="traces-empty" class="none">no traces yet</p>
              </div>
              <div id="waterfall" class="waterfall" role="region" aria-label="Trace waterfall" tabindex="-1">
                <p class="none">Choose a trace to see its waterfall.</p>
              </div>
            </div>
          </section>
          </div>
        </main>

        """#
}
