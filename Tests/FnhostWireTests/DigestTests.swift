import Testing

@testable import FnhostWire

/// The hand-written digests against the test vectors of their specifications.
@Suite struct DigestTests {
    @Test("MD5 gives RFC 1321's test-suite digests")
    func md5() {
        #expect(Digest.hex(.md5, []) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(Digest.hex(.md5, Array("abc".utf8)) == "900150983cd24fb0d6963f7d28e17f72")
        #expect(
            Digest.hex(
                .md5, Array("12345678901234567890123456789012345678901234567890123456789012345678901234567890".utf8))
                == "57edf4a22be3c955ac49da2e2107b67a")
    }

    @Test("SHA-1, SHA-256, SHA-384 and SHA-512 give FIPS 180's example digests")
    func sha() {
        let abc = Array("abc".utf8)
        let two = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(Digest.hex(.sha1, abc) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(Digest.hex(.sha1, two) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        #expect(Digest.hex(.sha256, abc) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.hex(.sha256, two) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            Digest.hex(.sha384, abc)
                == "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7")
        #expect(
            Digest.hex(.sha512, abc)
                == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
                + "454d4423643ce80e2a9ac94fa54ca49f")
        // A message whose padding needs a second block.
        let long = [UInt8](repeating: 0x61, count: 1000)
        #expect(Digest.hex(.sha256, long) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
