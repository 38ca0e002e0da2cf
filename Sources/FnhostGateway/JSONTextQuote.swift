/// Quotes text for an error message, escaped and shortened, so that a hostile header name cannot flood a log line.
enum JSONTextQuote {
    static func quote(_ text: String, limit: Int = 80) -> String {
        var writer = JSONWriter(reservingCapacity: min(text.utf8.count, limit) + 8)
        let shown = text.count > limit ? String(text.prefix(limit)) + "…" : text
        writer.beginObject()
        writer.member("", shown)
        writer.endObject()
        // {"":"..."}: keep the quoted string only.
        return String(decoding: writer.bytes.dropFirst(4).dropLast(), as: UTF8.self)
    }
}
