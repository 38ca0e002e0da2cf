import Foundation
import TestSupport
import Testing

extension Integration {
    /// hello-c on the C runtime (the Runtime API over libcurl): answers, function errors, warm reuse.
    @Suite struct CRuntime {
        static func invoke(_ arguments: [String]) async throws -> CommandResult {
            try Paths.requireBuilt(["hello-c"])
            return try await Command.fnhost(["invoke", "hello-c", "--functions", Paths.functions] + arguments)
        }

        @Test func aCFunctionAnswersWithTheRequestIdAndTheTimeLeft() async throws {
            let run = try await Self.invoke(["--payload", #"{"name":"ada"}"#])
            #expect(run.exitCode == 0, "\(run)")
            let answer = try jsonObject(Array(run.standardOutput.utf8))
            #expect(answer["language"] as? String == "c")
            #expect(answer["eventBytes"] as? Int == 14)
            let remaining = try #require(answer["remainingMs"] as? Int)
            #expect(remaining > 0 && remaining <= 3_000)
            let id = try #require(answer["requestId"] as? String)
            #expect(run.standardError.contains("REPORT RequestId: \(id)\t"))
        }

        @Test func aCFunctionErrorKeepsItsTypeAndExitsWith1() async throws {
            let run = try await Self.invoke(["--payload", #"{"fail":true}"#])
            #expect(run.exitCode == 1, "\(run)")
            let error = try jsonObject(Array(run.standardOutput.utf8))
            #expect(error["errorType"] as? String == "HelloFailure")
            #expect(error["errorMessage"] as? String == "the event asked hello-c to fail")
        }

        @Test func oneCWorkerServesRepeatedInvocationsWarm() async throws {
            let run = try await Self.invoke(["--payload", "{}", "--repeat", "4"])
            #expect(run.exitCode == 0, "\(run)")
            let reports = run.standardError.split(separator: "\n").filter { $0.hasPrefix("REPORT RequestId:") }
            #expect(reports.count == 4)
            #expect(reports.filter { $0.contains("Init Duration") }.count == 1, "\(reports)")
        }
    }
}
