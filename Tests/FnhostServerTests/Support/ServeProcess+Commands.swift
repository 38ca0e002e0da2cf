import FnhostStore
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

    /// The ids of the events in this server's store, pending or dead-lettered (read from its SQLite file, as a
    /// second process would).
    func storedEvents(_ state: Store.EventState) async -> Set<String> {
        await Self.storedEvents(state, in: stateDirectory)
    }

    /// The ids of the events in the store of the state folder `stateDirectory`.
    static func storedEvents(_ state: Store.EventState, in stateDirectory: String) async -> Set<String> {
        guard let store = try? await Store.open(stateDirectory: stateDirectory) else { return [] }
        let ids = (try? await store.events(state).map(\.id)) ?? []
        await store.close()
        return Set(ids)
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
