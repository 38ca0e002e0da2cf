import Foundation
import TestSupport

extension ServeProcess {
    /// `fnhost dead-letters list --json` on this server's state folder: one JSON object per dead letter.
    func deadLetters() async throws -> [[String: Any]] {
        let result = try await Command.fnhost(["dead-letters", "list", "--json", "--state-dir", stateDirectory])
        guard result.exitCode == 0 else { throw TestFailure("fnhost dead-letters list failed: \(result)") }
        return try result.outputLines.map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw TestFailure("dead-letters list printed a line that is not a JSON object: \(line)")
            }
            return object
        }
    }

    /// The files (event ids) in `STATE/queue` or `STATE/dead-letters`.
    func storedEvents(_ folder: String) -> Set<String> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: stateDirectory + "/" + folder)) ?? []
        return Set(names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.map { String($0.dropLast(5)) })
    }

    /// `/metrics`, parsed.
    func metrics() async throws -> PrometheusText {
        let response = try await client.get("/metrics")
        guard response.status == 200 else { throw TestFailure("/metrics answered \(response)") }
        return PrometheusText(text: response.text)
    }

    /// `/healthz` as a JSON object.
    func health() async throws -> [String: Any] {
        let response = try await client.get("/healthz")
        guard response.status == 200 else { throw TestFailure("/healthz answered \(response)") }
        return try response.jsonObject()
    }
}
