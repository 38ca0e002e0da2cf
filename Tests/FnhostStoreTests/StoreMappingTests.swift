import FnhostStore
import Foundation
import TestSupport
import Testing

/// Event source mappings in a real SQLite file: one per function and source, kept across a reopen.
@Suite("Store mappings")
struct StoreMappingTests {
    static func mapping(_ uuid: String, function: String = "f", source: String = "arn:aws:sqs:us-east-1:0:q")
        -> StoredMapping
    {
        StoredMapping(
            uuid: uuid, function: function, sourceARN: source, state: "Enabled", settings: #"{"BatchSize":10}"#,
            origin: "api", modifiedAt: 1_000)
    }

    @Test("A second mapping of the same function and source is a conflict naming the first; a reopen keeps both rows")
    func createConflictAndReopen() async throws {
        try await withTemporaryDirectory("store-mappings") { folder in
            let store = try await Store.open(stateDirectory: folder)
            #expect(try await store.createMapping(Self.mapping("u1")) == .created(Self.mapping("u1")))
            #expect(try await store.createMapping(Self.mapping("u2")) == .conflict(Self.mapping("u1")))
            #expect(
                try await store.createMapping(Self.mapping("u3", function: "g"))
                    == .created(Self.mapping("u3", function: "g")))
            await store.close()
            let again = try await Store.open(stateDirectory: folder)
            #expect(try await again.mappings().map(\.uuid) == ["u1", "u3"])
            await again.close()
        }
    }

    @Test("Update replaces a mapping's settings, save upserts by UUID, delete returns what it removed")
    func updateSaveDelete() async throws {
        try await withTemporaryDirectory("store-mappings-update") { folder in
            let store = try await Store.open(stateDirectory: folder)
            _ = try await store.createMapping(Self.mapping("u1"))
            var changed = Self.mapping("u1")
            changed.state = "Disabled"
            changed.settings = #"{"BatchSize":3}"#
            #expect(try await store.updateMapping(changed))
            #expect(try await store.mapping(uuid: "u1") == changed)
            #expect(try await !store.updateMapping(Self.mapping("missing")))
            var declared = Self.mapping("m1", function: "h")
            declared.origin = "manifest"
            try await store.saveMapping(declared)
            declared.settings = #"{"BatchSize":4}"#
            try await store.saveMapping(declared)
            #expect(try await store.mapping(uuid: "m1") == declared)
            #expect(try await store.deleteMapping(uuid: "u1") == changed)
            #expect(try await store.deleteMapping(uuid: "u1") == nil)
            #expect(try await store.mappings().map(\.uuid) == ["m1"])
            await store.close()
        }
    }
}
