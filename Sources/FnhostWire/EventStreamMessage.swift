/// One message of AWS's event-stream encoding (`application/vnd.amazon.eventstream`), the framing
/// InvokeWithResponseStream answers in and the SDKs read: a prelude (total length, headers length, the prelude's
/// CRC-32), string headers, the payload, and the message's CRC-32, all big-endian. Pure: the bytes of one frame.
public struct EventStreamMessage: Sendable, Equatable {
    /// The headers, in order (every value a string: header type 7).
    public var headers: [(name: String, value: String)]
    public var payload: [UInt8]

    public init(headers: [(name: String, value: String)], payload: [UInt8]) {
        self.headers = headers
        self.payload = payload
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.payload == b.payload && a.headers.map(\.name) == b.headers.map(\.name)
            && a.headers.map(\.value) == b.headers.map(\.value)
    }

    /// The frame's bytes.
    public var encoded: [UInt8] {
        var headerBytes: [UInt8] = []
        for (name, value) in headers {
            let n = Array(name.utf8)
            let v = Array(value.utf8)
            precondition(n.count <= 255 && v.count <= 65_535, "an event-stream header is too long")
            headerBytes.append(UInt8(n.count))
            headerBytes += n
            headerBytes.append(7)  // string
            headerBytes += [UInt8(v.count >> 8), UInt8(v.count & 0xFF)]
            headerBytes += v
        }
        let total = 12 + headerBytes.count + payload.count + 4
        var frame = Self.bigEndian(UInt32(total)) + Self.bigEndian(UInt32(headerBytes.count))
        frame += Self.bigEndian(CRC32.checksum(frame))
        frame += headerBytes
        frame += payload
        frame += Self.bigEndian(CRC32.checksum(frame))
        return frame
    }

    /// A `PayloadChunk` event: some of the function's streamed response.
    public static func payloadChunk(_ bytes: [UInt8]) -> EventStreamMessage {
        EventStreamMessage(
            headers: [
                (":event-type", "PayloadChunk"), (":content-type", "application/octet-stream"),
                (":message-type", "event"),
            ], payload: bytes)
    }

    /// The `InvokeComplete` event that ends every stream: empty for success, else Lambda's error code and details;
    /// `logResult` the base64 tail of the log when the caller asked for it.
    public static func invokeComplete(
        errorCode: String? = nil, errorDetails: String? = nil, logResult: String? = nil
    ) -> EventStreamMessage {
        var fields: [String] = []
        if let errorCode { fields.append("\"ErrorCode\":\(JSONText.quote(errorCode))") }
        if let errorDetails { fields.append("\"ErrorDetails\":\(JSONText.quote(errorDetails))") }
        if let logResult { fields.append("\"LogResult\":\(JSONText.quote(logResult))") }
        return EventStreamMessage(
            headers: [
                (":event-type", "InvokeComplete"), (":content-type", "application/json"), (":message-type", "event"),
            ], payload: Array("{\(fields.joined(separator: ","))}".utf8))
    }

    private static func bigEndian(_ n: UInt32) -> [UInt8] {
        [UInt8(n >> 24), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)]
    }
}
