import Foundation
import Testing
import WorkerCache

@Suite("CacheValueEncoding")
struct CacheValueEncodingTests {
    @Test("the cached organisation round-trips in every encoding", arguments: CacheValueEncoding.allCases)
    func organisationRoundTrip(encoding: CacheValueEncoding) throws {
        let record = OrganisationRecord.sample()
        let bytes = try encoding.encode(record)
        #expect(try encoding.decode(OrganisationRecord.self, from: bytes) == record)
    }

    @Test("JSON is text; the property list is Foundation's binary format")
    func formats() throws {
        let record = OrganisationRecord.sample()
        #expect(try CacheValueEncoding.json.encode(record).first == UInt8(ascii: "{"))
        #expect(try CacheValueEncoding.plist.encode(record).starts(with: Array("<?xml".utf8)))
    }

    @Test(
        "bytes of the other encoding, truncated bytes and garbage are a DecodingError, never a trap",
        arguments: CacheValueEncoding.allCases)
    func foreignBytes(encoding: CacheValueEncoding) throws {
        let record = OrganisationRecord.sample()
        let other = try #require(CacheValueEncoding.allCases.first { $0 != encoding })
        let bytes = try encoding.encode(record)
        #expect(throws: (any Error).self) { try encoding.decode(OrganisationRecord.self, from: other.encode(record)) }
        // Cut inside the document (an XML property list ends with a newline, which it can do without).
        for length in [0, 1, bytes.count / 2, bytes.count - 12] {
            #expect(throws: (any Error).self) {
                try encoding.decode(OrganisationRecord.self, from: Array(bytes.prefix(length)))
            }
        }
        #expect(throws: (any Error).self) {
            try encoding.decode(OrganisationRecord.self, from: [0xff, 0x00, 0x13, 0x37])
        }
    }

    @Test("FNHOST_CACHE_ENCODING's accepted names are listed for error messages")
    func accepted() {
        #expect(CacheValueEncoding.accepted == "'json' or 'plist'")
    }
}
