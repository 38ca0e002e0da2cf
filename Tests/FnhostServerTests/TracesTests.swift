import Foundation
import TestSupport
import Testing

extension ServeSuite {
    /// Traces on `fnhost serve`: what `/fnhost/traces` keeps, what a real OTLP/HTTP collector receives, how the
    /// trace headers propagate, and that a collector in trouble changes no invocation.
    @Suite("Traces and OpenTelemetry export")
    struct Traces {
        static let callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
        static let callerSpan = "00f067aa0ba902b7"

        static func options(otlp: String?) -> ServeOptions {
            var options = ServeOptions()
            options.timeScale = "0.1"
            options.extraArguments = ["--profile", "lambda"] + (otlp.map { ["--otlp-endpoint", $0] } ?? [])
            return options
        }

        /// `fnhost Latency` (and the other ms fields) of each REPORT line, by request id.
        static func reports(_ lines: [String]) -> [String: [String: Double]] {
            var reports: [String: [String: Double]] = [:]
            for line in lines where line.hasPrefix("REPORT RequestId: ") {
                let fields = line.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) }
                let id = String(fields[0].dropFirst("REPORT RequestId: ".count))
                var values: [String: Double] = [:]
                for field in fields.dropFirst() {
                    let parts = field.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2 else { continue }
                    let number = parts[1].trimmingCharacters(in: .whitespaces).split(separator: " ").first
                    if let number, let v = Double(number) { values[String(parts[0])] = v }
                }
                reports[id] = values
            }
            return reports
        }

        @Test(
            "A gateway request with a traceparent keeps its trace through the nested rules call, and the collector gets the same spans, parents and timings as /fnhost/traces and the REPORT lines"
        )
        func exportMatchesTheKeptTraceAndTheReports() async throws {
            try await withTemporaryDirectory("otlp") { folder in
                let collector = try await OTLPCollector.start(.accept, in: folder)
                defer { collector.stop() }
                try await withServer(Self.options(otlp: collector.endpoint)) { server in
                    let gateway = try await server.client.get(
                        "/orgs/ORG-0042",
                        headers: [("traceparent", "00-\(Self.callerTrace)-\(Self.callerSpan)-01")])
                    #expect(gateway.status == 200)
                    #expect(
                        gateway.header("X-Amzn-Trace-Id")?.hasPrefix("Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;")
                            == true,
                        "\(gateway.header("X-Amzn-Trace-Id") ?? "no X-Amzn-Trace-Id")")
                    let amzn = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
                    let invoked = try await server.client.invoke(
                        "org-status", payload: #"{"orgId":"ORG-0007"}"#, headers: [("X-Amzn-Trace-Id", amzn)])
                    #expect(invoked.status == 200)
                    #expect(
                        invoked.header("X-Amzn-Trace-Id")?.hasPrefix("Root=1-5759e988-bd862e3fe1be46a994272793;")
                            == true)

                    let list = try await server.client.get("/fnhost/traces?limit=10").jsonObject()
                    let traces = try #require(list["traces"] as? [[String: Any]])
                    let viaGateway = try #require(traces.first { $0["w3cTraceId"] as? String == Self.callerTrace })
                    #expect(viaGateway["trigger"] as? String == "gateway")
                    #expect(viaGateway["root"] as? String == "org-status")
                    let spans = try #require(viaGateway["spans"] as? [[String: Any]])
                    let byID = Dictionary(spans.map { ($0["spanId"] as! String, $0) }, uniquingKeysWith: { a, _ in a })
                    #expect(byID.count == spans.count, "span ids are unique")
                    #expect(spans[0]["parentSpanId"] as? String == Self.callerSpan, "the caller's span is the parent")
                    for span in spans.dropFirst() {
                        #expect(byID[span["parentSpanId"] as? String ?? ""] != nil, "a parent in the trace: \(span)")
                        #expect(["measured", "simulated"].contains(span["timing"] as? String ?? ""))
                    }
                    // The nested call joined the trace, inside org-status's duration.
                    let call = try #require(
                        spans.first { $0["function"] as? String == "rules" && $0["kind"] as? String == "call" })
                    let callParent = try #require(byID[call["parentSpanId"] as? String ?? ""])
                    #expect(
                        callParent["name"] as? String == "duration" && callParent["function"] as? String == "org-status"
                    )
                    #expect(spans.contains { $0["kind"] as? String == "cache" })
                    #expect(
                        spans.contains {
                            $0["kind"] as? String == "function" && $0["name"] as? String == "rules verdict"
                        })
                    #expect(
                        spans.contains {
                            $0["name"] as? String == "invoke overhead" && $0["timing"] as? String == "simulated"
                        })

                    // Every invocation span states the REPORT line's latency; its duration the REPORT's.
                    let reports = Self.reports(server.outputLines)
                    let invocations = spans.filter { ($0["attributes"] as? [String: String])?["requestId"] != nil }
                    #expect(invocations.count >= 2, "org-status and rules")
                    for span in invocations {
                        let id = (span["attributes"] as! [String: String])["requestId"]!
                        let report = try #require(reports[id], "a REPORT line for \(id)")
                        let latency = try #require(report["fnhost Latency"])
                        #expect(abs((span["durationMs"] as! Double) - latency) < 0.011, "\(span) vs \(report)")
                        let duration = try #require(
                            spans.first {
                                $0["parentSpanId"] as? String == span["spanId"] as? String
                                    && $0["name"] as? String == "duration"
                            })
                        let reported = report["fnhost Simulated Duration"] ?? report["Duration"]!
                        #expect(abs((duration["durationMs"] as! Double) - reported) < 0.011, "\(duration) vs \(report)")
                    }

                    // The collector decoded the same spans with OpenTelemetry's schema.
                    var exported: [[String: Any]] = []
                    _ = await eventually(within: .seconds(20)) {
                        exported = collector.spans().filter { $0["traceId"] as? String == Self.callerTrace }
                        return exported.count >= spans.count
                    }
                    #expect(!collector.spans().contains { $0["error"] != nil }, "every export decodes")
                    #expect(exported.count == spans.count, "\(exported.count) exported of \(spans.count)")
                    for span in spans {
                        let id = span["spanId"] as! String
                        guard let out = exported.first(where: { $0["spanId"] as? String == id }) else {
                            Issue.record("span \(id) \(span["name"] ?? "") not exported")
                            continue
                        }
                        #expect(out["parentSpanId"] as? String == span["parentSpanId"] as? String)
                        #expect(out["name"] as? String == span["name"] as? String)
                        #expect(out["path"] as? String == "/v1/traces")
                        let attributes = out["attributes"] as? [String: Any]
                        #expect(attributes?["fnhost.timing"] as? String == span["timing"] as? String)
                        let ns = Double((out["end"] as! Int) - (out["start"] as! Int))
                        #expect(abs(ns / 1_000_000 - (span["durationMs"] as! Double)) < 0.002, "\(out) vs \(span)")
                    }
                    #expect(
                        collector.spans().contains { $0["traceId"] as? String == "5759e988bd862e3fe1be46a994272793" },
                        "the Invoke API call's X-Amzn-Trace-Id trace was exported too")

                    // The command line draws the same trace.
                    let xray = try #require(viaGateway["traceId"] as? String)
                    let shown = try await Command.fnhost([
                        "traces", "show", xray, "--endpoint", "http://127.0.0.1:\(server.port)", "--width", "110",
                    ])
                    #expect(shown.exitCode == 0, "\(shown)")
                    #expect(shown.standardOutput.contains("rules →") && shown.standardOutput.contains("░"), "\(shown)")
                    let unknown = try await Command.fnhost([
                        "traces", "show", "1-00000000-000000000000000000000001", "--endpoint",
                        "http://127.0.0.1:\(server.port)",
                    ])
                    #expect(unknown.exitCode == 2, "\(unknown)")
                }
            }
        }

        @Test(
            "A collector that refuses, fails or hangs changes no invocation's outcome or latency, and is counted and logged once",
            arguments: ["gone", "refuse", "hang"])
        func aCollectorInTroubleChangesNoInvocation(_ trouble: String) async throws {
            try await withTemporaryDirectory("otlp") { folder in
                let collector = try await OTLPCollector.start(trouble == "hang" ? .hang : .refuse, in: folder)
                let endpoint = collector.endpoint
                if trouble == "gone" { collector.stop() }
                defer { collector.stop() }
                try await withServer(Self.options(otlp: endpoint)) { server in
                    for n in 0..<12 {
                        let answer = try await server.client.invoke(
                            "org-status", payload: #"{"orgId":"ORG-\#(String(format: "%04d", n + 1))"}"#)
                        #expect(answer.status == 200)
                        #expect(answer.header("X-Amz-Function-Error") == nil)
                        if n < 11 { try await Task.sleep(for: .milliseconds(150)) }
                    }
                    // A post waits at most 5 s for the collector; an invocation held by it would show that here.
                    let reports = Self.reports(server.outputLines).values.compactMap { $0["fnhost Measured Latency"] }
                    #expect(reports.count >= 12)
                    #expect(reports.allSatisfy { $0 < 2_000 }, "measured latencies: \(reports.sorted())")
                    var failed = 0.0
                    _ = await eventually(within: .seconds(20)) {
                        failed = (try? await server.metrics().value("fnhost_otlp_spans_total", ["fate": "failed"])) ?? 0
                        return failed > 0
                    }
                    #expect(failed > 0, "failed exports are counted")
                    let notes = server.outputLines.filter { $0.contains("OTLP export to") && $0.contains("failed") }
                    #expect(notes.count == 1, "logged once: \(notes)")
                }
            }
        }
    }
}
