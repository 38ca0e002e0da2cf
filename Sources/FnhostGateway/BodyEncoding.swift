/// How a request body goes into the event: as text when it is UTF-8 text, else base64 with `isBase64Encoded`.
enum BodyEncoding {
    /// Media types whose bodies are passed base64-encoded even when their bytes happen to be valid UTF-8.
    static let binaryMediaTypes: Set<String> = [
        "application/octet-stream", "application/pdf", "application/zip", "application/gzip", "application/x-gzip",
        "application/x-tar", "application/x-7z-compressed", "application/x-protobuf", "application/protobuf",
        "application/vnd.google.protobuf", "application/wasm", "application/x-msgpack", "application/msgpack",
        "application/cbor", "multipart/form-data",
    ]
    /// Media type families that are binary as a whole.
    static let binaryMediaPrefixes = ["image/", "audio/", "video/", "font/"]

    /// The event's `body` and `isBase64Encoded` for a request body.
    ///
    /// - An empty body is omitted (`nil`, not base64).
    /// - A binary media type (`image/*`, `audio/*`, `video/*`, `font/*`, and the types in `binaryMediaTypes`), or a
    ///   `Content-Encoding` other than `identity` (compressed bytes), gives base64.
    /// - Otherwise a body that is valid UTF-8 is passed as text, as is; anything else gives base64.
    static func encode(_ body: [UInt8], contentType: String?, contentEncoding: String?) -> (
        body: String?, isBase64: Bool
    ) {
        guard !body.isEmpty else { return (nil, false) }
        if isBinary(contentType: contentType) || isCompressed(contentEncoding: contentEncoding) {
            return (Base64.encode(body), true)
        }
        if let text = String(validating: body, as: UTF8.self) { return (text, false) }
        return (Base64.encode(body), true)
    }

    static func isBinary(contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = String(contentType.split(separator: ";", maxSplits: 1).first ?? "")
            .trimmingASCIIWhitespace().lowercased()
        return binaryMediaTypes.contains(mediaType) || binaryMediaPrefixes.contains { mediaType.hasPrefix($0) }
    }

    static func isCompressed(contentEncoding: String?) -> Bool {
        guard let contentEncoding else { return false }
        return contentEncoding.split(separator: ",").contains {
            let coding = String($0).trimmingASCIIWhitespace().lowercased()
            return !coding.isEmpty && coding != "identity"
        }
    }
}
