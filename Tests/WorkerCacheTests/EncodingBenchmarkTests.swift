import Foundation
import TestSupport
import Testing
import WorkerCache

/// The measurement behind `CacheValueEncoding`'s default: JSON against the compact binary encoding for a cached
/// organisation, on the codec alone and through a real Redis round trip. Prints its figures; asserts only that every
/// value survives the trip.
///
/// Figures mean something only in release:
/// `FNHOST_BENCH_ITERATIONS=3000 swift test -c release --filter EncodingBenchmark`.
/// `FNHOST_BENCH_ITERATIONS` sets the number of operations per batch (default 300, enough for CI to prove the path;
/// 11 batches). The batches of the
/// compared operations are interleaved, and each figure is its fastest batch's mean: on a shared machine the slower
/// batches measure the neighbours.
@Suite("Encoding benchmark", .tags(.benchmark), .serialized)
struct EncodingBenchmarkTests {
    let iterations = Int(ProcessInfo.processInfo.environment["FNHOST_BENCH_ITERATIONS"] ?? "") ?? 300
    let batches = 11

    /// For each named operation, the lowest over interleaved batches of its mean time per operation, in µs.
    func measure(_ operations: [(name: String, run: () throws -> Void)]) throws -> [String: Double] {
        let clock = ContinuousClock()
        var best: [String: Double] = [:]
        for _ in 0..<batches {
            for operation in operations {
                let elapsed = try clock.measure { for _ in 0..<iterations { try operation.run() } }
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                let mean = seconds * 1e6 / Double(iterations)
                best[operation.name] = min(best[operation.name] ?? .infinity, mean)
            }
        }
        return best
    }

    func cell(_ microseconds: Double?) -> String {
        String(format: "%9.2f", microseconds ?? .nan)
    }

    @Test("JSON versus binary for a cached organisation: size, encode, decode, and through Redis")
    func compareEncodings() throws {
        let record = OrganisationRecord.sample()
        let server = try RedisServer.start()
        let tier = RedisTier(url: try RedisURL(server.url), keyPrefix: CacheSettings.keyPrefix(function: "benchmark"), timeoutMs: 1000)
        let encodings = [CacheValueEncoding.json, .binary]
        var sink = 0
        var operations: [(name: String, run: () throws -> Void)] = []
        for encoding in encodings {
            let bytes = try encoding.encode(record)
            #expect(try encoding.decode(OrganisationRecord.self, from: bytes) == record)
            let key = "ORG-0042-\(encoding.rawValue)"
            try tier.set(key, value: bytes, ttlMs: 600_000)
            #expect(try tier.get(key).map { try encoding.decode(OrganisationRecord.self, from: $0) } == record)
            let name = encoding.rawValue
            operations += [
                ("\(name) encode", { sink &+= try encoding.encode(record).count }),
                ("\(name) decode", { sink &+= try encoding.decode(OrganisationRecord.self, from: bytes).memberCount }),
                ("\(name) both", { sink &+= try encoding.decode(OrganisationRecord.self, from: encoding.encode(record)).memberCount }),
                ("\(name) hit", {
                    // A shared hit: GET, then decode.
                    guard let stored = try tier.get(key) else { throw RedisError.unexpectedReply(operation: "GET", reply: "nil") }
                    sink &+= try encoding.decode(OrganisationRecord.self, from: stored).memberCount
                }),
                ("\(name) fill", { try tier.set(key, value: encoding.encode(record), ttlMs: 600_000) }),
            ]
        }
        let raw = try CacheValueEncoding.binary.encode(record)
        try tier.set("raw", value: raw, ttlMs: 600_000)
        operations.append(("GET alone", { sink &+= try tier.get("raw")?.count ?? 0 }))
        operations.append(("SET alone", { try tier.set("raw", value: raw, ttlMs: 600_000) }))

        let figures = try measure(operations)
        var lines = [
            "µs per operation   bytes     encode    decode   enc+dec   shared hit (GET+decode)   fill (encode+SET)",
        ]
        for encoding in encodings {
            let name = encoding.rawValue
            lines.append(
                name.padding(toLength: 16, withPad: " ", startingAt: 0) + String(format: "%7d ", try encoding.encode(record).count)
                    + cell(figures["\(name) encode"]) + " " + cell(figures["\(name) decode"]) + " " + cell(figures["\(name) both"])
                    + "   " + cell(figures["\(name) hit"]) + "                " + cell(figures["\(name) fill"])
            )
        }
        lines.append("Redis alone (no codec): GET \(cell(figures["GET alone"])), SET \(cell(figures["SET alone"]))")
        lines.append("(\(iterations) operations × \(batches) interleaved batches, fastest batch's mean; sink \(sink % 10))")
        try tier.clearPrefix()
        print("\n" + lines.joined(separator: "\n") + "\n")
        #expect(tier.counters.errors == 0)
    }
}
