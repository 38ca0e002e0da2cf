import FnhostSimulation
import Testing

@testable import FnhostGateway
@testable import FnhostWire

/// The gateway's own codecs: base64, percent-decoding, the iterative JSON scanner.
@Suite("Codecs")
struct InternalsTests {
    @Test func base64RoundTripsEveryLengthAndAcceptsMissingPadding() {
        var generator = SeededGenerator(seed: 7)
        for count in 0..<64 {
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let encoded = Base64.encode(bytes)
            #expect(Base64.decode(encoded) == bytes)
            #expect(Base64.decode(String(encoded.prefix { $0 != "=" })) == bytes)
        }
        #expect(Base64.encode(Array("Man".utf8)) == "TWFu")
        #expect(Base64.encode(Array("Ma".utf8)) == "TWE=")
    }

    @Test(arguments: ["TWE", "TW=E", "TWFu=", "T", "TWFu TWFu", "TW-_", "====", "TWE==="])
    func base64RefusesMalformedText(text: String) {
        if text == "TWE" {
            #expect(Base64.decode(text) == Array("Ma".utf8))
        } else {
            #expect(Base64.decode(text) == nil)
        }
    }

    @Test func percentDecodingLeavesPlusAloneAndRefusesBadEscapes() {
        #expect(PercentEncoding.decode("a%20b+c%2b") == "a b+c+")
        #expect(PercentEncoding.decode("%") == nil)
        #expect(PercentEncoding.decode("%4") == nil)
        #expect(PercentEncoding.decode("%G0") == nil)
        #expect(PercentEncoding.decode("%C3") == nil)
        #expect(PercentEncoding.decode("%C3%A9") == "\u{E9}")
    }

    @Test(arguments: [
        "0", "-0", "1.5e-3", "1E+2", #""\u00e9\ud83d\ude00""#, "[]", "{}", #"{"a":[1,{"b":null}],"c":"d"}"#,
        " \t\n[ true , false ]\r\n", #""\"\\\/\b\f\n\r\t""#,
    ])
    func theScannerAcceptsValidJSON(text: String) {
        #expect(JSONScanner(Array(text.utf8)).validationError() == nil)
    }

    @Test(arguments: [
        "", "+1", "01", ".5", "1.", "1e", "--1", "[1,]", "{,}", #"{"a":}"#, #"{"a" "b"}"#, #"{1:2}"#, "[1 2]", "]",
        "}", "[}", "{]", "nan", "True", #""\a""#, "\"\u{1}\"", "[[[", "{\"a\":1,}", "1 1", "\u{FEFF}1",
    ])
    func theScannerRefusesInvalidJSON(text: String) {
        #expect(JSONScanner(Array(text.utf8)).validationError() != nil)
    }

    @Test func theScannerReadsMembersAndElementsByRange() throws {
        let scanner = JSONScanner(Array(#" {"a" : [1, "x", {"y": [2]}], "b\n": "c\u0041"} "#.utf8))
        let members = try #require(scanner.members(ofObjectAt: 1))
        #expect(members.map(\.name) == ["a", "b\n"])
        let elements = try #require(scanner.elements(ofArrayAt: members[0].value.lowerBound))
        #expect(elements.map { scanner.text(in: $0) } == ["1", "\"x\"", #"{"y": [2]}"#])
        #expect(scanner.string(in: members[1].value) == "cA")
        #expect(scanner.members(ofObjectAt: 0) == nil)
    }

    @Test func aLoneSurrogateEscapeDecodesToTheReplacementCharacter() {
        let scanner = JSONScanner(Array(#""a\ud800b""#.utf8))
        #expect(scanner.validationError() == nil)
        #expect(scanner.string(in: 0..<scanner.bytes.count) == "a\u{FFFD}b")
    }
}
