/// request-log's answer: where the entry went and its offset there (`{"offset": "1024", "log": "file",
/// "location": "/…/.fnhost/request-log.jsonl"}`; with Redis, the stream entry id and the stream's key).
struct RequestLogAnswer: Encodable, Sendable {
    /// The byte offset of the entry's line in the file, or the Redis stream entry id (`1767225600000-0`).
    let offset: String
    /// `file` or `redis`.
    let log: String
    let location: String
    /// True when the request id was already logged (the offset is then its first entry's); absent otherwise.
    let duplicate: Bool?
}
