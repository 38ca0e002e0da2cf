import FnhostTraces
import Testing

@Suite struct TraceHeaderTests {
    @Test func readsXRaysExampleAndWritesItBack() throws {
        let text = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
        let header = try TraceHeader(parsing: text)
        #expect(header.root.xray == "1-5759e988-bd862e3fe1be46a994272793")
        #expect(header.root.w3c == "5759e988bd862e3fe1be46a994272793")
        #expect(header.root.epochSeconds == 0x5759_e988)
        #expect(header.parent?.hex == "53995c3f42cd8ad8")
        #expect(header.sampled == true)
        #expect(header.value == text)
    }

    @Test func skipsUnknownFieldsAndAcceptsAnyOrderAndSpaces() throws {
        let header = try TraceHeader(
            parsing: " Self=1-67891233-12456789abcdef012345678; Sampled=? ;Root=1-5759e988-bd862e3fe1be46a994272793")
        #expect(header.parent == nil)
        #expect(header.sampled == nil)
        #expect(header.value == "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=?")
    }

    @Test func refusesWhatXRayWouldNotWrite() {
        #expect(throws: TraceHeader.ParseError.missingRoot) { try TraceHeader(parsing: "Parent=53995c3f42cd8ad8") }
        #expect(throws: TraceHeader.ParseError.invalidRoot("1-5759e988-bd86")) {
            try TraceHeader(parsing: "Root=1-5759e988-bd86")
        }
        #expect(throws: TraceHeader.ParseError.invalidRoot("5759e988bd862e3fe1be46a994272793")) {
            try TraceHeader(parsing: "Root=5759e988bd862e3fe1be46a994272793")
        }
        #expect(throws: TraceHeader.ParseError.invalidParent("xyz")) {
            try TraceHeader(parsing: "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=xyz")
        }
        #expect(throws: TraceHeader.ParseError.invalidSampled("yes")) {
            try TraceHeader(parsing: "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=yes")
        }
        #expect(throws: TraceHeader.ParseError.duplicateField("Root")) {
            try TraceHeader(
                parsing: "Root=1-5759e988-bd862e3fe1be46a994272793;Root=1-5759e988-bd862e3fe1be46a994272793")
        }
        #expect(throws: TraceHeader.ParseError.malformedField("Root")) { try TraceHeader(parsing: "Root") }
        #expect(throws: TraceHeader.ParseError.tooLong(3000)) {
            try TraceHeader(parsing: String(repeating: "a", count: 3000))
        }
    }

    @Test func readsTheW3CExampleAndWritesItBack() throws {
        let text = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let parent = try TraceParent(parsing: text)
        #expect(parent.traceID.w3c == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(parent.traceID.xray == "1-4bf92f35-77b34da6a3ce929d0e0e4736")
        #expect(parent.parent.hex == "00f067aa0ba902b7")
        #expect(parent.sampled)
        #expect(parent.value == text)
    }

    @Test func acceptsALaterVersionWithMoreFieldsAndRefusesBrokenOnes() throws {
        let later = try TraceParent(parsing: "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-whatever")
        #expect(!later.sampled)
        let cases: [(String, TraceParent.ParseError)] = [
            ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", .tooShort(52)),
            ("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", .invalidVersion),
            ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x", .trailingData),
            ("00-00000000000000000000000000000000-00f067aa0ba902b7-01", .invalidTraceID),
            ("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", .invalidTraceID),
            ("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", .invalidParentID),
            ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g", .invalidFlags),
            ("00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", .malformed),
            ("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x", .malformed),
        ]
        for (text, error) in cases {
            #expect(throws: error, "\(text)") { try TraceParent(parsing: text) }
        }
    }

    @Test func aNewTraceIDCarriesItsStartTimeForXRay() {
        var generator = SystemRandomNumberGenerator()
        let id = TraceID.random(epochSeconds: 0x6000_0000, using: &generator)
        #expect(id.xray.hasPrefix("1-60000000-"))
        #expect(TraceID(parsing: id.xray) == id)
        #expect(TraceID(parsing: id.w3c) == id)
        #expect(id.bytes.count == 16)
    }
}
