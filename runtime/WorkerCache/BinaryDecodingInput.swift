#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes being decoded by `BinaryDecoder`, and how to read one value's extent and payloads from them.
final class BinaryDecodingInput {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// One value's place in `bytes`: nil, or the payload `start..<end`.
    struct Value {
        var isNil: Bool
        var start: Int
        var end: Int
    }

    /// Reads the value prefixed at `position` (advanced past it), which must end at or before `end`.
    func readValue(at position: inout Int, end: Int, codingPath: [any CodingKey]) throws -> Value {
        guard let prefix = Varint.read(bytes, at: &position, end: end) else {
            throw corrupted("truncated value length", codingPath)
        }
        if prefix == 0 { return Value(isNil: true, start: position, end: position) }
        let length = prefix - 1
        guard length <= UInt64(end - position) else {
            throw corrupted("value of \(length) bytes runs past the end of its container", codingPath)
        }
        let start = position
        position += Int(length)
        return Value(isNil: false, start: start, end: position)
    }

    func bool(_ value: Value, _ codingPath: @autoclosure () -> [any CodingKey]) throws -> Bool {
        guard value.end - value.start == 1, bytes[value.start] <= 1 else { throw corrupted("not a Bool", codingPath()) }
        return bytes[value.start] == 1
    }

    func string(_ value: Value, _ codingPath: @autoclosure () -> [any CodingKey]) throws -> String {
        let decoded = bytes.withUnsafeBufferPointer { buffer in
            String(validating: UnsafeBufferPointer(rebasing: buffer[value.start..<value.end]), as: UTF8.self)
        }
        guard let string = decoded else {
            throw corrupted("invalid UTF-8 in a String", codingPath())
        }
        return string
    }

    func double(_ value: Value, _ codingPath: @autoclosure () -> [any CodingKey]) throws -> Double {
        guard value.end - value.start == 8 else { throw corrupted("not a Double (8 bytes)", codingPath()) }
        var bits: UInt64 = 0
        for index in 0..<8 { bits |= UInt64(bytes[value.start + index]) << (8 * UInt64(index)) }
        return Double(bitPattern: bits)
    }

    func float(_ value: Value, _ codingPath: @autoclosure () -> [any CodingKey]) throws -> Float {
        guard value.end - value.start == 4 else { throw corrupted("not a Float (4 bytes)", codingPath()) }
        var bits: UInt32 = 0
        for index in 0..<4 { bits |= UInt32(bytes[value.start + index]) << (8 * UInt32(index)) }
        return Float(bitPattern: bits)
    }

    func signed<T: FixedWidthInteger & SignedInteger>(_ type: T.Type, _ value: Value, _ codingPath: @autoclosure () -> [any CodingKey]) throws -> T {
        var position = value.start
        guard let raw = Varint.read(bytes, at: &position, end: value.end), position == value.end,
            let result = T(exactly: Varint.unzigzag(raw))
        else { throw corrupted("not a \(T.self)", codingPath()) }
        return result
    }

    func unsigned<T: FixedWidthInteger & UnsignedInteger>(_ type: T.Type, _ value: Value, _ codingPath: @autoclosure () -> [any CodingKey]) throws -> T {
        var position = value.start
        guard let raw = Varint.read(bytes, at: &position, end: value.end), position == value.end,
            let result = T(exactly: raw)
        else { throw corrupted("not a \(T.self)", codingPath()) }
        return result
    }

    /// Whether the key bytes at `start..<end` spell `key`.
    func keyMatches(_ key: String, start: Int, end: Int) -> Bool {
        var key = key
        return key.withUTF8 { utf8 in
            guard utf8.count == end - start else { return false }
            return bytes.withUnsafeBufferPointer { buffer in
                utf8.isEmpty || memcmp(utf8.baseAddress!, buffer.baseAddress! + start, utf8.count) == 0
            }
        }
    }

    func corrupted(_ message: String, _ codingPath: [any CodingKey]) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: codingPath, debugDescription: "binary cache value: \(message)"))
    }
}
