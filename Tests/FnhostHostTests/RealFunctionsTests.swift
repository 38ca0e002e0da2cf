import FnhostHost
import FnhostWire
import Foundation
import TestSupport
import Testing

extension Integration {
    @Suite struct ProjectFunctions {
        @Test
        func orgStatusCallsRulesAndIsWarmWithACacheHitTheSecondTime() async throws {
            let sink = CollectingSink()
            try await withHost(functions: Paths.functions, sink: sink) { host in
                let cold = try await host.invoke("org-status", #"{"orgId": "ORG-0042"}"#)
                let first = try cold.answer()
                let organisation = try #require(first["organisation"] as? [String: Any])
                #expect(organisation["orgId"] as? String == "ORG-0042")
                #expect(["ELIGIBLE", "INELIGIBLE", "REVIEW"].contains(first["decision"] as? String))
                let reasons = try #require(first["reasons"] as? [[String: Any]])
                #expect(reasons.allSatisfy { $0["ruleId"] is String })
                #expect((first["cache"] as? [String: Any])?["outcome"] as? String == "miss")
                let worker = try #require(first["worker"] as? [String: Any])
                #expect(worker["pid"] as? Int == cold.workerPID.map(Int.init))
                #expect(worker["invocations"] as? Int == 1)
                #expect(cold.isColdStart)

                // Two hops: rules ran its own invocation, framed by its own START/REPORT, on its own worker.
                let rulesRequests = sink.startedRequests(of: "rules")
                #expect(rulesRequests.count == 1)
                let rulesReport = try #require(rulesRequests.first.flatMap { sink.report(for: $0) })
                #expect(rulesReport.contains("\tInit Duration: "))
                #expect(await host.poolSnapshot("rules")?.idle == 1)

                let warm = try await host.invoke("org-status", #"{"orgId": "ORG-0042"}"#)
                let second = try warm.answer()
                #expect(!warm.isColdStart)
                #expect(warm.workerPID == cold.workerPID)
                #expect((second["cache"] as? [String: Any])?["outcome"] as? String == "worker-hit")
                #expect((second["worker"] as? [String: Any])?["invocations"] as? Int == 2)
                #expect(second["decision"] as? String == first["decision"] as? String)
                // The second hop was warm too.
                let secondRules = try #require(sink.startedRequests(of: "rules").last.flatMap { sink.report(for: $0) })
                #expect(!secondRules.contains("Init Duration"))
            }
        }

        /// REPORT's Max Memory Used is the worker process's own peak (VmHWM). A Swift worker's `getrusage` would not
        /// do: Linux carries `ru_maxrss` across `execve`, so a worker spawned from the host reports the host's peak.
        @Test
        func maxMemoryUsedIsTheWorkersOwnPeakNotTheHosts() async throws {
            try await withHost(functions: Paths.functions) { host in
                let result = try await host.invoke(
                    "rules", #"{"organisation": {"orgId": "ORG-0042", "status": "ACTIVE"}}"#)
                let pid = try #require(result.workerPID)
                let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
                let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
                let peakKB = try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
                #expect(result.maxMemoryUsedMB > 0)
                #expect(
                    result.maxMemoryUsedMB <= (peakKB + 1023) / 1024,
                    "REPORT says \(result.maxMemoryUsedMB) MB, the worker's VmHWM is \(peakKB) kB")
            }
        }

        /// The README's first command.
        @Test
        func orgStatusWorksThroughTheCommandLineColdThenWarm() async throws {
            try Paths.requireBuilt(["fnhost-launch"] + Paths.functionBinaries)
            let run = try await Command.fnhost(
                [
                    "invoke", "org-status", "--payload", #"{"orgId": "ORG-0042"}"#, "--repeat", "2", "--functions",
                    Paths.functions,
                ])
            #expect(run.exitCode == 0, "\(run.standardError)")
            #expect(run.outputLines.count == 2)
            let answers = try run.outputLines.map { try jsonObject(Array($0.utf8)) }
            #expect(answers.allSatisfy { ["ELIGIBLE", "INELIGIBLE", "REVIEW"].contains($0["decision"] as? String) })
            #expect(answers.map { ($0["cache"] as? [String: Any])?["outcome"] as? String } == ["miss", "worker-hit"])
            let reports = run.standardError.split(separator: "\n").filter { $0.hasPrefix("REPORT ") }
            // org-status twice and rules twice; one cold start each.
            #expect(reports.count == 4)
            #expect(reports.filter { $0.contains("\tInit Duration: ") }.count == 2)
        }

        @Test
        func anUnknownOrganisationIsAFunctionErrorOrganisationNotFound() async throws {
            try await withHost(functions: Paths.functions) { host in
                let result = try await host.invoke("org-status", #"{"orgId": "ORG-9999"}"#)
                let error = try result.functionError()
                #expect(error.errorType == "OrganisationNotFound")
                #expect(error.errorMessage.contains("ORG-9999"))
                // A function error leaves the worker usable.
                let next = try await host.invoke("org-status", #"{"orgId": "ORG-0001"}"#)
                #expect(!next.isError)
                #expect(next.workerPID == result.workerPID)
            }
        }

        @Test
        func coverageAnswersForAMemberOnADate() async throws {
            try await withHost(functions: Paths.functions) { host in
                let result = try await host.invoke("coverage", #"{"memberId": "M-000042", "date": "2026-03-01"}"#)
                let answer = try result.answer()
                #expect(answer["memberId"] as? String == "M-000042")
                #expect(answer["active"] is Bool)
                #expect(answer["plan"] != nil)
                #expect(answer["coverageStart"] is String && answer["coverageEnd"] is String)
                #expect(answer["evaluatedOn"] as? String == "2026-03-01")
                let again = try await host.invoke("coverage", #"{"memberId": "M-000042", "date": "2026-03-01"}"#)
                #expect((try again.answer()["cache"] as? [String: Any])?["outcome"] as? String == "worker-hit")
            }
        }

        @Test
        func theShellCustomRuntimeAnswersAndReportsAFunctionErrorWhenAsked() async throws {
            try await withHost(functions: Paths.functions) { host in
                let result = try await host.invoke("hello-shell", #"{"name": "fnhost"}"#)
                let answer = try result.answer()
                #expect(answer["message"] as? String == "hello from the shell")
                #expect((answer["event"] as? [String: String]) == ["name": "fnhost"])

                let failed = try await host.invoke("hello-shell", #"{"fail": true}"#)
                let error = try failed.functionError()
                #expect(!error.errorType.isEmpty)
                #expect(!error.errorMessage.isEmpty)
                // Same worker: a function error does not discard it.
                #expect(failed.workerPID == result.workerPID)
            }
        }

        @Test
        func theShellCustomRuntimeWorksThroughTheCommandLine() async throws {
            try Paths.requireBuilt("fnhost-launch")
            let run = try await Command.fnhost(
                ["invoke", "hello-shell", "--payload", #"{"x": 1}"#, "--functions", Paths.functions])
            #expect(run.exitCode == 0, "\(run.standardError)")
            #expect(run.outputLines.count == 1)
            #expect(try jsonObject(Array(run.standardOutput.utf8))["message"] as? String == "hello from the shell")
            let failed = try await Command.fnhost(
                ["invoke", "hello-shell", "--payload", #"{"fail": true}"#, "--functions", Paths.functions])
            #expect(failed.exitCode == 1)
        }
    }
}
