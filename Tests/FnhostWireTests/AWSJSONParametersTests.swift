import FnhostWire
import Testing

/// The one reader of AWS JSON 1.0/1.1 request parameters: what it accepts, and which of the service's errors it
/// throws for what it refuses.
@Suite("AWS JSON parameters")
struct AWSJSONParametersTests {
    /// A service's wording that records which refusal was chosen and with what; the body and type errors are the
    /// protocol's default wording of a `SerializationException`.
    enum Refusal: Error, Equatable {
        case serialization(String)
        case missing(String)
        case outOfRange(String, Int, ClosedRange<Int>)
    }

    enum Wording: AWSParameterErrors {
        static func serialization(_ message: String) -> Refusal { .serialization(message) }
        static func missing(_ name: String) -> Refusal { .missing(name) }
        static func outOfRange(_ name: String, _ value: Int, _ range: ClosedRange<Int>) -> Refusal {
            .outOfRange(name, value, range)
        }
    }

    static func wrongType(_ name: String, _ expected: String, _ found: String) -> Refusal {
        .serialization("\(name) must be \(expected), not \(found)")
    }

    typealias Parameters = AWSJSONParameters<Wording>

    static func parameters(_ json: String) throws -> Parameters {
        try Parameters(body: Array(json.utf8))
    }

    @Test func anEmptyOrWhitespaceBodyIsAnEmptyObject() throws {
        #expect(try Parameters(body: [UInt8]()).values == [:])
        #expect(try Parameters(body: Array(" \n\t\r ".utf8)).values == [:])
    }

    @Test func aBodyThatIsNotAJSONObjectIsASerializationError() {
        let notJSON = #expect(throws: Refusal.self) { try Parameters(body: Array("{\n,".utf8)) }
        guard case .serialization(let message)? = notJSON else {
            Issue.record("expected a serialization error, got \(String(describing: notJSON))")
            return
        }
        #expect(message.hasPrefix("the request body is not valid JSON: "))
        #expect(message.contains("line 2, column 1"), "the syntax error is in the message: \(message)")
        #expect(throws: Refusal.serialization("the request body must be a JSON object, not an array")) {
            try Parameters(body: Array("[1]".utf8))
        }
        #expect(throws: Refusal.serialization("the request body must be a JSON object, not a string")) {
            try Parameters(body: Array(#""x""#.utf8))
        }
    }

    @Test func absentAndNullReadAsNothing() throws {
        let p = try Self.parameters(#"{"n": null}"#)
        for name in ["n", "absent"] {
            #expect(p[name] == nil)
            #expect(try p.string(name) == nil)
            #expect(try p.integer(name) == nil)
            #expect(try p.integer(name, in: 1...2) == nil)
            #expect(try p.boolean(name) == nil)
            #expect(try p.strings(name) == [])
            #expect(try p.stringMap(name) == [:])
            #expect(try p.object(name) == nil)
            #expect(throws: Refusal.missing(name)) { try p.requiredString(name) }
            #expect(throws: Refusal.missing(name)) { try p.requiredObjects(name) }
        }
    }

    @Test func typedValuesAreReadAsGiven() throws {
        let p = try Self.parameters(
            #"{"s": "a", "i": 42, "f": -3e2, "b": true, "l": ["x", "y"], "m": {"k": "v"}, "o": {"k": 1}}"#)
        #expect(try p.string("s") == "a")
        #expect(try p.requiredString("s") == "a")
        #expect(try p.integer("i") == 42)
        #expect(try p.integer("f") == -300)
        #expect(try p.integer("i", in: 42...42) == 42)
        #expect(try p.boolean("b") == true)
        #expect(try p.strings("l") == ["x", "y"])
        #expect(try p.stringMap("m") == ["k": "v"])
        #expect(try p.object("o") == ["k": .number(1)])
    }

    @Test func aWrongJSONTypeIsRefusedWithTheNameAndWhatWasExpected() throws {
        let p = try Self.parameters(
            #"{"n": 1, "s": "a", "half": 1.5, "huge": 1e300, "l": ["x", 2], "m": {"k": false}, "objs": [{}, 3]}"#)
        #expect(throws: Self.wrongType("n", "a string", "a number")) { try p.string("n") }
        #expect(throws: Self.wrongType("s", "an integer", "a string")) { try p.integer("s") }
        #expect(throws: Self.wrongType("half", "an integer", "a number")) { try p.integer("half") }
        #expect(throws: Self.wrongType("huge", "an integer", "a number")) { try p.integer("huge", in: 0...1) }
        #expect(throws: Self.wrongType("s", "a boolean", "a string")) { try p.boolean("s") }
        #expect(throws: Self.wrongType("s", "a list of strings", "a string")) { try p.strings("s") }
        #expect(throws: Self.wrongType("l", "a list of strings", "a number")) { try p.strings("l") }
        #expect(throws: Self.wrongType("s", "a map of strings", "a string")) { try p.stringMap("s") }
        #expect(throws: Self.wrongType("m.k", "a string", "a boolean")) { try p.stringMap("m") }
        #expect(throws: Self.wrongType("s", "a map", "a string")) { try p.object("s") }
        #expect(throws: Self.wrongType("s", "attributes", "a string")) { try p.object("s", expected: "attributes") }
        #expect(throws: Self.wrongType("s", "a list", "a string")) { try p.requiredObjects("s") }
        #expect(throws: Self.wrongType("objs", "a list of objects", "a number")) { try p.requiredObjects("objs") }
    }

    @Test func anIntegerOutsideItsRangeIsRefusedWithTheValueAndTheRange() throws {
        let p = try Self.parameters(#"{"low": 0, "high": 11}"#)
        #expect(Wording.valueConstraint(0, 1...10) == "Member must have value greater than or equal to 1")
        #expect(Wording.valueConstraint(11, 1...10) == "Member must have value less than or equal to 10")
        #expect(throws: Refusal.outOfRange("low", 0, 1...10)) { try p.integer("low", in: 1...10) }
        #expect(throws: Refusal.outOfRange("high", 11, 1...10)) { try p.integer("high", in: 1...10) }
        #expect(try p.integer("high") == 11)
    }

    @Test func aListOfObjectsIsReadAsParameterSetsAfterItsCountIsChecked() throws {
        let p = try Self.parameters(#"{"Entries": [{"Id": "a"}, {"Id": "b"}], "Bad": [1, 2, 3]}"#)
        let entries = try p.requiredObjects("Entries")
        #expect(try entries.map { try $0.requiredString("Id") } == ["a", "b"])
        var seen: [Int] = []
        _ = try p.requiredObjects("Entries") { count throws(Refusal) in seen.append(count) }
        #expect(seen == [2])
        // The count is checked before the items are looked at.
        #expect(throws: Refusal.outOfRange("Bad", 3, 0...2)) {
            try p.requiredObjects("Bad") { count throws(Refusal) in
                if count > 2 { throw .outOfRange("Bad", count, 0...2) }
            }
        }
    }

    /// A request type of a service, as SQSRequest and the others are: only its parameters, typed.
    struct Request: AWSJSONRequest {
        var typed: Parameters
    }

    @Test func aRequestTypeGetsTheTypedAccessorsWithItsServicesWording() throws {
        let r = Request(typed: try Self.parameters(#"{"s": "a", "i": 5, "b": false, "l": ["x"], "m": {"k": "v"}}"#))
        #expect(try r.string("s") == "a")
        #expect(try r.requiredString("s") == "a")
        #expect(try r.integer("i", in: 1...5) == 5)
        #expect(try r.boolean("b") == false)
        #expect(try r.strings("l") == ["x"])
        #expect(try r.stringMap("m") == ["k": "v"])
        #expect(throws: Refusal.missing("absent")) { try r.requiredString("absent") }
        #expect(throws: Refusal.outOfRange("i", 5, 1...4)) { try r.integer("i", in: 1...4) }
    }
}
