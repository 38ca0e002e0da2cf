import Foundation
import Testing
import WorkerCache

@Suite("Binary codec")
struct BinaryCodecTests {
    enum Plan: String, Codable, Equatable { case bronze, silver, gold }

    struct Everything: Codable, Equatable {
        var text: String
        var emptyText: String
        var unicode: String
        var flag: Bool
        var int: Int
        var negative: Int
        var int8: Int8
        var int16: Int16
        var int32: Int32
        var int64: Int64
        var uint: UInt
        var uint8: UInt8
        var uint16: UInt16
        var uint32: UInt32
        var uint64: UInt64
        var double: Double
        var float: Float
        var optionalPresent: String?
        var optionalAbsent: Int?
        var list: [Int]
        var optionals: [String?]
        var nested: [[Double]]
        var map: [String: Int]
        var plan: Plan
        var date: Date
        var bytes: Data
        var child: Child?

        struct Child: Codable, Equatable {
            var name: String
            var children: [Child]
        }
    }

    static let everything = Everything(
        text: "Harbor Logistics LLC", emptyText: "", unicode: "Zürich – 東京 – 🚚", flag: true, int: 412, negative: -7,
        int8: .min, int16: .max, int32: -123_456, int64: .min, uint: .max, uint8: 255, uint16: 65535, uint32: 7,
        uint64: .max, double: 1250.005, float: -0.5, optionalPresent: "x", optionalAbsent: nil, list: [1, -2, 300_000],
        optionals: ["a", nil, ""], nested: [[], [1.5, -Double.infinity]], map: ["a": 1, "b": -1], plan: .gold,
        date: Date(timeIntervalSince1970: 1_700_000_000.25), bytes: Data([0, 1, 255]),
        child: .init(name: "root", children: [.init(name: "leaf", children: [])])
    )

    @Test("every kind of Codable value round-trips")
    func roundTripEverything() throws {
        let bytes = try BinaryEncoder().encode(Self.everything)
        #expect(bytes.first == 0xB1)
        #expect(try BinaryDecoder().decode(Everything.self, from: bytes) == Self.everything)
    }

    @Test("the cached organisation round-trips in both encodings, and binary is smaller")
    func organisationRoundTrip() throws {
        let record = OrganisationRecord.sample()
        for encoding in CacheValueEncoding.allCases {
            let bytes = try encoding.encode(record)
            #expect(try encoding.decode(OrganisationRecord.self, from: bytes) == record)
        }
        #expect(try CacheValueEncoding.binary.encode(record).count < CacheValueEncoding.json.encode(record).count)
    }

    @Test("top-level primitives, optionals and arrays round-trip")
    func topLevelValues() throws {
        func roundTrip<T: Codable & Equatable>(_ value: T) throws {
            #expect(try BinaryDecoder().decode(T.self, from: BinaryEncoder().encode(value)) == value)
        }
        try roundTrip("text")
        try roundTrip(0)
        try roundTrip(Int.min)
        try roundTrip(true)
        try roundTrip(3.25)
        try roundTrip([String]())
        try roundTrip(Optional<Int>.none)
        try roundTrip(Optional(5))
        try roundTrip([[1], [], [2, 3]])
    }

    @Test("decoding tolerates added and reordered fields, and reports missing ones")
    func schemaEvolution() throws {
        struct Wide: Codable { var c: Int; var a: String; var extra: [Int] }
        struct Narrow: Codable, Equatable { var a: String; var c: Int }
        let bytes = try BinaryEncoder().encode(Wide(c: 3, a: "x", extra: [1, 2]))
        #expect(try BinaryDecoder().decode(Narrow.self, from: bytes) == Narrow(a: "x", c: 3))
        struct Wider: Codable { var a: String; var c: Int; var missing: Int }
        #expect(throws: DecodingError.self) { try BinaryDecoder().decode(Wider.self, from: bytes) }
    }

    @Test("nested containers written out of order (nestedContainer, superEncoder) round-trip")
    func nestedContainers() throws {
        struct Tricky: Codable, Equatable {
            var a: Int
            var b: String
            var c: [Int]
            enum Keys: String, CodingKey { case inner, list, after, base }
            enum InnerKeys: String, CodingKey { case a, b }

            init(a: Int, b: String, c: [Int]) { self.a = a; self.b = b; self.c = c }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                var inner = container.nestedContainer(keyedBy: InnerKeys.self, forKey: .inner)
                var list = container.nestedUnkeyedContainer(forKey: .list)
                try container.encode("after", forKey: .after)
                try inner.encode(a, forKey: .a)  // written after its parent moved on
                try list.encode(contentsOf: c)
                try inner.encode(b, forKey: .b)
                try "base".encode(to: container.superEncoder(forKey: .base))
            }

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: Keys.self)
                let inner = try container.nestedContainer(keyedBy: InnerKeys.self, forKey: .inner)
                a = try inner.decode(Int.self, forKey: .a)
                b = try inner.decode(String.self, forKey: .b)
                var list = try container.nestedUnkeyedContainer(forKey: .list)
                var values: [Int] = []
                while !list.isAtEnd { values.append(try list.decode(Int.self)) }
                c = values
                #expect(try container.decode(String.self, forKey: .after) == "after")
                #expect(try String(from: container.superDecoder(forKey: .base)) == "base")
            }
        }
        let value = Tricky(a: -5, b: "bee", c: [7, 8, 9])
        #expect(try BinaryDecoder().decode(Tricky.self, from: BinaryEncoder().encode(value)) == value)
    }

    @Test("corrupt input is refused with a DecodingError, never a crash", arguments: [
        [UInt8](), [0x7B, 0x7D], [0xB1], [0xB1, 0x05, 0x01], [0xB1, 0x02, 0x05, 0x00],
    ])
    func corruptInput(bytes: [UInt8]) {
        #expect(throws: DecodingError.self) { try BinaryDecoder().decode(OrganisationRecord.self, from: bytes) }
    }

    @Test("every truncation of a valid encoding is refused")
    func truncations() throws {
        let bytes = try BinaryEncoder().encode(OrganisationRecord.sample())
        for length in 0..<bytes.count {
            #expect(throws: (any Error).self) { try BinaryDecoder().decode(OrganisationRecord.self, from: Array(bytes.prefix(length))) }
        }
    }

    @Test("a value of the wrong type is refused")
    func typeMismatch() throws {
        let bytes = try BinaryEncoder().encode(["a": 300])
        #expect(throws: DecodingError.self) { try BinaryDecoder().decode([String: Bool].self, from: bytes) }
        #expect(throws: DecodingError.self) { try BinaryDecoder().decode([String: UInt8].self, from: bytes) }
    }
}
