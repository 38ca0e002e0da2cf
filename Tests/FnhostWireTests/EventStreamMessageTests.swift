import FnhostWire
import Testing

/// The event-stream frames InvokeWithResponseStream answers in, against known-good bytes: AWS's `empty_message`
/// test vector, and a PayloadChunk framed independently (Python's struct and zlib.crc32).
@Suite struct EventStreamMessageTests {
    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var i = text.startIndex
        while i < text.endIndex {
            let next = text.index(i, offsetBy: 2)
            bytes.append(UInt8(text[i..<next], radix: 16)!)
            i = next
        }
        return bytes
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
        let whole = CRC32.checksum(Array("hello world".utf8))
        #expect(CRC32.checksum(Array(" world".utf8), continuing: CRC32.checksum(Array("hello".utf8))) == whole)
    }

    @Test func anEmptyMessageIsAWSsTestVector() {
        #expect(EventStreamMessage(headers: [], payload: []).encoded == Self.hex("000000100000000005c248eb7d98c8ff"))
    }

    @Test func aPayloadChunkHasItsPreludeHeadersAndChecksums() {
        let expected = Self.hex(
            "0000006f0000005af5fe871f0b3a6576656e742d7479706507000c5061796c6f61644368756e6b0d3a636f6e74656e742d7479"
                + "70650700186170706c69636174696f6e2f6f637465742d73747265616d0d3a6d6573736167652d7479706507000565"
                + "76656e7468656c6c6f29e71260")
        #expect(EventStreamMessage.payloadChunk(Array("hello".utf8)).encoded == expected)
    }

    @Test func invokeCompleteCarriesOnlyTheFieldsGiven() {
        #expect(EventStreamMessage.invokeComplete().payload == Array("{}".utf8))
        let failed = EventStreamMessage.invokeComplete(errorCode: "Unhandled", errorDetails: "boom \"x\"")
        #expect(
            String(decoding: failed.payload, as: UTF8.self) == #"{"ErrorCode":"Unhandled","ErrorDetails":"boom \"x\""}"#
        )
        #expect(failed.headers.first?.value == "InvokeComplete")
        let frame = failed.encoded
        let total = frame.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        #expect(total == frame.count)
    }
}
