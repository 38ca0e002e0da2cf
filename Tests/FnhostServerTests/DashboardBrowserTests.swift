import Foundation
import TestSupport
import Testing

extension ServeSuite {
    /// The live page in a real browser: Debian's headless Chromium loads `/` from a real `fnhost serve` while real
    /// invocations run, driven over the DevTools protocol by `Tests/Fixtures/browser/live-page.py`; a screenshot is
    /// kept, and the rendered DOM must show the worker counts and a trace waterfall, the keyboard must reach and open
    /// a trace, and the console must stay free of errors.
    @Suite("Live page in Chromium")
    struct DashboardBrowser {
        /// Chromium from Debian's `chromium` package (`.ci/run` installs it). Without it the test is skipped, except
        /// under CI, where its absence is a failure.
        static let chromium = Command.find("chromium") ?? Command.find("chromium-browser")

        @Test(
            "The page shows each function's workers by state and a trace's waterfall while load runs",
            .enabled(
                if: chromium != nil || ProcessInfo.processInfo.environment["CI"] != nil,
                "chromium is not installed (apt-get install chromium); .ci/run installs it for CI"))
        func pageShowsWorkersAndWaterfall() async throws {
            let chromium = try #require(Self.chromium, "chromium is not installed: .ci/run must install it")
            // Kept after the test (not removed), so that the screenshot can be looked at.
            let folder = try makeTemporaryDirectory("live-page")
            try await withServer { server in
                // A small load of real invocations through the gateway, running while the browser loads the page.
                let load = Task {
                    var done = 0
                    while !Task.isCancelled {
                        let r = try? await server.client.get("/orgs/ORG-00\(10 + done % 50)")
                        if r?.status == 200 { done += 1 }
                        try? await Task.sleep(for: .milliseconds(50))
                    }
                    return done
                }
                let started = await eventually(within: .seconds(30)) {
                    (try? await Self.invocations(of: "org-status", on: server)) ?? 0 >= 3
                }
                #expect(started, "the load never reached org-status")

                let screenshot = folder + "/live-page.png"
                let run = try await Command.run(
                    "python3",
                    [
                        Paths.fixtures + "/browser/live-page.py", "--chromium", chromium,
                        "--url", "http://127.0.0.1:\(server.port)/", "--function", "org-status",
                        "--screenshot", screenshot, "--profile", folder + "/profile", "--deadline", "40",
                    ], environment: ["HOME": folder], timeLimit: 120)
                load.cancel()
                let served = await load.value
                print("live page screenshot: \(screenshot)")
                #expect(run.exitCode == 0, "\(run)")
                let report = try jsonObject(Array(run.standardOutput.utf8))
                #expect(report["failure"] == nil, "\(report["failure"] ?? "")")
                #expect(report["ready"] as? Bool == true, "the page never showed it all: \(report["state"] ?? "")")
                #expect(served > 0)

                let png = FileManager.default.contents(atPath: screenshot) ?? Data()
                #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "no PNG at \(screenshot)")
                let dom = try #require(report["dom"] as? String, "no DOM in the report")
                try dom.write(toFile: folder + "/live-page.html", atomically: true, encoding: .utf8)

                // Worker counts: org-status's card shows every state, and its worker.
                var workers = 0
                for state in ["starting", "busy", "idle", "waiting"] {
                    let count = try #require(
                        Self.count(in: dom, id: "w-org-status-\(state)"), "no \(state) count for org-status in the DOM")
                    workers += count
                }
                #expect(workers >= 1, "the page shows no org-status worker")
                #expect(Self.count(in: dom, id: "w-org-status-reaped") != nil)
                #expect(Self.count(in: dom, id: "w-hello-shell-idle") != nil, "every function has a card")

                // A trace's waterfall: the newest trace opens by itself, its spans drawn as bars, each timed.
                let waterfall = try #require(dom.range(of: #"id="waterfall""#), "no waterfall in the DOM")
                let tag = dom[waterfall.lowerBound...].prefix { $0 != ">" }
                #expect(tag.contains(#"data-trace-id="1-"#), "no trace drawn: \(tag)")
                let bars = dom.components(separatedBy: #"class="wf-bar "#).count - 1
                #expect(bars >= 2, "the waterfall has \(bars) bars")
                let timed = dom.contains(#"data-timing="measured""#)
                #expect(timed, "no span marked measured")

                // The keyboard: Tab reaches a trace row, ↓ moves, Enter opens that trace, the focus is visible.
                let keyboard = try #require(report["keyboard"] as? [String: Any], "no keyboard report")
                let first = keyboard["firstRowReachedByTab"] as? String
                #expect(first != nil, "Tab never reached a trace row")
                let chosen = keyboard["rowAfterArrowDown"] as? String
                #expect(chosen != nil && chosen != first, "↓ did not move to the next trace: \(keyboard)")
                #expect(chosen != keyboard["waterfallBeforeEnter"] as? String, "no other trace to open: \(keyboard)")
                #expect(keyboard["waterfallAfterEnter"] as? String == chosen, "Enter did not open it: \(keyboard)")
                #expect(keyboard["focusVisible"] as? Bool == true)

                let errors = report["consoleErrors"] as? [String] ?? []
                #expect(errors.isEmpty, "console errors: \(errors)")
            }
        }

        static func invocations(of function: String, on server: ServeProcess) async throws -> Int {
            let snapshot = try await server.client.get("/fnhost/snapshot").jsonObject()
            let functions = snapshot["functions"] as? [[String: Any]] ?? []
            let entry = functions.first { $0["name"] as? String == function }
            return (entry?["totals"] as? [String: Any])?["invocations"] as? Int ?? 0
        }

        /// The `data-count` of the element with `id`, from the serialised DOM.
        static func count(in dom: String, id: String) -> Int? {
            guard let start = dom.range(of: "id=\"\(id)\"") else { return nil }
            let tag = dom[start.upperBound...].prefix { $0 != ">" }
            guard let value = tag.range(of: "data-count=\"") else { return nil }
            return Int(tag[value.upperBound...].prefix { $0.isNumber })
        }
    }
}
