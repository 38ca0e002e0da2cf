import WorkerCache

#if canImport(Glibc)
import Glibc
#endif

/// The cache encoding decision (issue 11, item 4): every `CacheValueEncoding` on the organisation record, by encode +
/// decode time, size, the shared hit (GET + decode against a private redis-server) beside the bare GET of the same
/// bytes, and the fill after a miss (encode + SET PX) beside the bare SET. The operations of all encodings are
/// interleaved sample by sample, so each sees the same moments of a shared machine.
extension Runner {
    func encoding() async throws {
        let section = "cache encoding (organisation record)"
        let record = OrganisationRecord.sample
        let encodings = CacheValueEncoding.allCases
        var sizes: [CacheValueEncoding: Int] = [:]
        for encoding in encodings {
            let bytes = try encoding.encode(record)
            guard try encoding.decode(OrganisationRecord.self, from: bytes) == record else {
                throw ProcessFailure(description: "\(encoding.rawValue) did not give the organisation back")
            }
            sizes[encoding] = bytes.count
        }

        var sink = 0
        let operations = counts.encodingOperations
        let warmup = counts.warmup(operations)
        progress.begin("cache encoding: encode + decode, \(operations)× per encoding, interleaved")
        var codec: [CacheValueEncoding: [Double]] = [:]
        var decodeOnly: [CacheValueEncoding: [Double]] = [:]
        let encoded = try Dictionary(uniqueKeysWithValues: encodings.map { ($0, try $0.encode(record)) })
        for i in 0..<(operations + warmup) {
            for encoding in encodings {
                var start = Monotonic.now()
                let bytes = try encoding.encode(record)
                sink &+= try encoding.decode(OrganisationRecord.self, from: bytes).memberCount
                let both = Monotonic.microseconds(since: start)
                start = Monotonic.now()
                sink &+= try encoding.decode(OrganisationRecord.self, from: encoded[encoding]!).memberCount
                let decode = Monotonic.microseconds(since: start)
                if i >= warmup {
                    codec[encoding, default: []].append(both)
                    decodeOnly[encoding, default: []].append(decode)
                }
            }
        }
        let reference = CacheValueEncoding.json
        let referenceFigure = Figure(
            id: "encoding.codec.\(reference.rawValue)", section: section,
            label: "encode + decode, \(reference.rawValue)", unit: "µs",
            summary: Summary(codec[reference] ?? []), note: "\(sizes[reference]!) bytes")
        for encoding in encodings {
            let figure =
                encoding == reference
                ? referenceFigure
                : Figure(
                    id: "encoding.codec.\(encoding.rawValue)", section: section,
                    label: "encode + decode, \(encoding.rawValue)",
                    unit: "µs", summary: Summary(codec[encoding] ?? []), note: "\(sizes[encoding]!) bytes")
            report.add(encoding == reference ? figure : figure.against(referenceFigure))
            report.add(
                Figure(
                    id: "encoding.decode.\(encoding.rawValue)", section: section, label: "  of which decode",
                    unit: "µs",
                    summary: Summary(decodeOnly[encoding] ?? [])))
            report.add(
                Figure(
                    id: "encoding.size.\(encoding.rawValue)", section: section, label: "  encoded size", unit: "bytes",
                    value: Double(sizes[encoding]!)))
        }

        guard let redisServer = which("redis-server") else {
            problem("redis-server is not installed: the shared hit of each encoding was not measured")
            return
        }
        let redisOperations = counts.redisOperations
        let redisWarmup = counts.warmup(redisOperations)
        progress.begin(
            "cache encoding: shared hit (GET + decode), fill (encode + SET) and their bare GET and SET, \(redisOperations)× per encoding, interleaved"
        )
        let port = try startRedis(redisServer)
        let tier = RedisTier(
            url: RedisURL(host: "127.0.0.1", port: port), keyPrefix: "bench-encoding", timeoutMs: 1_000)
        for encoding in encodings { try tier.set(encoding.rawValue, value: encoded[encoding]!, ttlMs: 600_000) }
        var hits: [CacheValueEncoding: [Double]] = [:]
        var fills: [CacheValueEncoding: [Double]] = [:]
        var bare: [Double] = []
        var bareSet: [Double] = []
        for i in 0..<(redisOperations + redisWarmup) {
            for encoding in encodings {
                // The floor: the same key's bytes, no decode.
                var start = Monotonic.now()
                guard let raw = try tier.get(encoding.rawValue) else {
                    throw ProcessFailure(description: "redis lost \(encoding.rawValue)")
                }
                let get = Monotonic.microseconds(since: start)
                sink &+= raw.count
                // A shared hit: GET, then decode.
                start = Monotonic.now()
                guard let stored = try tier.get(encoding.rawValue) else {
                    throw ProcessFailure(description: "redis lost \(encoding.rawValue)")
                }
                sink &+= try encoding.decode(OrganisationRecord.self, from: stored).memberCount
                let hit = Monotonic.microseconds(since: start)
                // The floor of a fill: SET PX of the same bytes, no encode.
                start = Monotonic.now()
                try tier.set(encoding.rawValue, value: encoded[encoding]!, ttlMs: 600_000)
                let set = Monotonic.microseconds(since: start)
                // A fill after a miss: encode, then SET PX.
                start = Monotonic.now()
                try tier.set(encoding.rawValue, value: encoding.encode(record), ttlMs: 600_000)
                let fill = Monotonic.microseconds(since: start)
                if i >= redisWarmup {
                    bare.append(get)
                    hits[encoding, default: []].append(hit)
                    bareSet.append(set)
                    fills[encoding, default: []].append(fill)
                }
            }
        }
        let floor = Figure(
            id: "floor.redis-get.encoding", section: section, label: "floor: bare GET of the same bytes", unit: "µs",
            summary: Summary(bare),
            note:
                "RedisTier.get of each encoding's value, no decode, interleaved with the hits below: one round trip to redis-server on loopback"
        )
        report.add(floor)
        for encoding in encodings {
            report.add(
                Figure(
                    id: "encoding.hit.\(encoding.rawValue)", section: section,
                    label:
                        "shared hit (GET + decode), \(encoding.rawValue)\(encoding == CacheSettings().valueEncoding ? " (default)" : "")",
                    unit: "µs", summary: Summary(hits[encoding] ?? []), note: "\(sizes[encoding]!) bytes in Redis"
                )
                .against(floor))
        }
        let setFloor = Figure(
            id: "floor.redis-set.encoding", section: section, label: "floor: bare SET PX of the same bytes", unit: "µs",
            summary: Summary(bareSet), note: "RedisTier.set of each encoding's value, no encode, in the same loop")
        report.add(setFloor)
        for encoding in encodings {
            report.add(
                Figure(
                    id: "encoding.fill.\(encoding.rawValue)", section: section,
                    label: "fill after a miss (encode + SET PX), \(encoding.rawValue)", unit: "µs",
                    summary: Summary(fills[encoding] ?? [])
                )
                .against(setFloor))
        }
        blackHole(sink)
        if tier.counters.errors > 0 { problem("cache encoding: \(tier.counters.errors) Redis errors") }
        try tier.clearPrefix()
    }
}
