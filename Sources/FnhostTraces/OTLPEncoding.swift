/// Traces as OTLP's `ExportTraceServiceRequest` in protobuf's binary encoding (the body of an OTLP/HTTP export,
/// `application/x-protobuf`), written by hand: eight messages of opentelemetry-proto's `trace/v1` and `common/v1`,
/// not worth a code generator and its build. A span's start is the trace's wall-clock start plus its offset on the
/// trace's timeline; measured or simulated is the attribute `fnhost.timing`.
public enum OTLPEncoding {
    /// The body of one export request.
    public static func exportRequest(_ traces: [Trace], serviceName: String = "fnhost", version: String = "") -> [UInt8]
    {
        var scopeSpans = ProtoWriter()
        var scope = ProtoWriter()
        scope.string(1, "fnhost")
        if !version.isEmpty { scope.string(2, version) }
        scopeSpans.message(1, scope)
        for trace in traces {
            for span in trace.spans { scopeSpans.message(2, encode(span, of: trace)) }
        }
        var resource = ProtoWriter()
        resource.message(1, keyValue("service.name", serviceName))
        var resourceSpans = ProtoWriter()
        resourceSpans.message(1, resource)
        resourceSpans.message(2, scopeSpans)
        var request = ProtoWriter()
        request.message(1, resourceSpans)
        return request.bytes
    }

    /// OTLP's `Span.SpanKind`: the request SERVER, a call CLIENT, a queue or stream batch CONSUMER (OpenTelemetry's
    /// messaging conventions), everything else INTERNAL.
    static func kind(_ span: Span) -> UInt64 {
        switch span.kind {
        case .request: 2
        case .call: 3
        case .batch: 5
        default: 1
        }
    }

    static func encode(_ span: Span, of trace: Trace) -> ProtoWriter {
        var w = ProtoWriter()
        w.bytes(1, trace.id.bytes)
        w.bytes(2, span.id.bytes)
        if let parent = span.parent { w.bytes(4, parent.bytes) }
        w.string(5, span.name)
        w.varint(6, kind(span))
        // Whole milliseconds of the epoch apart from the offsets, so that a Double's 53 bits never round nanoseconds.
        let epochMs = trace.startedAtMs.rounded(.down)
        let start = UInt64(max(0, epochMs)) &* 1_000_000 &+ nanoseconds(trace.startedAtMs - epochMs + span.startMs)
        w.fixed64(7, start)
        w.fixed64(8, start &+ nanoseconds(span.durationMs))
        var attributes = span.attributes
        attributes["fnhost.timing"] = span.timing.rawValue
        attributes["fnhost.kind"] = span.kind.rawValue
        attributes["faas.name"] = span.function
        attributes["fnhost.trigger"] = span.parent == nil ? trace.trigger.rawValue : nil
        for key in attributes.keys.sorted() { w.message(9, keyValue(key, attributes[key]!)) }
        // Status: message = 2, code = 3 (STATUS_CODE_ERROR = 2).
        var status = ProtoWriter()
        if let message = span.attributes[Span.errorAttribute] { status.string(2, message) }
        status.varint(3, span.failed ? 2 : 0)
        w.message(15, status)
        return w
    }

    static func keyValue(_ key: String, _ value: String) -> ProtoWriter {
        var any = ProtoWriter()
        any.string(1, value)
        var kv = ProtoWriter()
        kv.string(1, key)
        kv.message(2, any)
        return kv
    }

    static func nanoseconds(_ ms: Double) -> UInt64 {
        guard ms.isFinite, ms > 0 else { return 0 }
        return UInt64(min(ms * 1_000_000, Double(UInt64.max / 2)))
    }
}

/// Protobuf's binary wire format, the few field types OTLP's trace messages use.
struct ProtoWriter {
    private(set) var bytes: [UInt8] = []

    private mutating func rawVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    private mutating func tag(_ field: Int, _ wireType: UInt64) { rawVarint(UInt64(field) << 3 | wireType) }

    mutating func varint(_ field: Int, _ value: UInt64) {
        guard value != 0 else { return }
        tag(field, 0)
        rawVarint(value)
    }

    mutating func fixed64(_ field: Int, _ value: UInt64) {
        tag(field, 1)
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }

    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        tag(field, 2)
        rawVarint(UInt64(value.count))
        bytes += value
    }

    mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }

    mutating func message(_ field: Int, _ value: ProtoWriter) { bytes(field, value.bytes) }
}
