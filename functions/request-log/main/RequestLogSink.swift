import FnhostWire

/// Where request-log appends: a durable log that answers the new entry's offset only once the entry is safe.
protocol RequestLogSink: Sendable {
    func append(_ record: RequestLogRecord) throws -> RequestLogAnswer
}
