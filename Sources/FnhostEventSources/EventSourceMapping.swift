import FnhostWire

/// One event source mapping: a function fed in batches from a queue or stream. What Lambda's mapping API creates,
/// lists, updates and deletes, what a manifest's `eventSources` declares, and what the store keeps across restarts.
public struct EventSourceMapping: Sendable, Equatable {
    /// Where a mapping came from: the API (changed through it) or a manifest (changed by editing the file).
    public enum Origin: String, Sendable, Equatable {
        case api
        case manifest
    }

    public var uuid: String
    /// The function's name (fnhost runs `$LATEST` only).
    public var function: String
    public var eventSourceARN: String
    public var kind: EventSourceKind
    public var state: MappingState
    public var settings: MappingSettings
    public var origin: Origin
    /// Unix epoch milliseconds.
    public var lastModified: Int64

    public init(
        uuid: String, function: String, eventSourceARN: String, kind: EventSourceKind, state: MappingState,
        settings: MappingSettings, origin: Origin = .api, lastModified: Int64
    ) {
        self.uuid = uuid
        self.function = function
        self.eventSourceARN = eventSourceARN
        self.kind = kind
        self.state = state
        self.settings = settings
        self.origin = origin
        self.lastModified = lastModified
    }

    /// The queue or stream's name.
    public var sourceName: String { EventSourceKind.sourceName(arn: eventSourceARN) }

    /// The `EventSourceMappingConfiguration` Lambda answers, with `state` in place of the stored one (Create answers
    /// `Creating`, Update `Updating`, Delete `Deleting`).
    public func configuration(region: String, state shown: MappingState? = nil) -> JSONValue {
        var out = settings.fields(kind: kind)
        out["UUID"] = .string(uuid)
        out["EventSourceArn"] = .string(eventSourceARN)
        out["FunctionArn"] = .string(ARN.function(function, region: region))
        out["EventSourceMappingArn"] = .string(
            "arn:aws:lambda:\(region):\(ARN.accountID):event-source-mapping:\(uuid)")
        out["LastModified"] = .number(Double(lastModified) / 1000)
        out["State"] = .string((shown ?? state).rawValue)
        out["StateTransitionReason"] = .string(origin == .manifest ? "fnhost manifest" : "USER_INITIATED")
        if kind.isStream { out["LastProcessingResult"] = .string("No records processed") }
        return .object(out)
    }

    /// A stable UUID for a mapping a manifest declares, from the function and the source: the same declaration
    /// keeps its UUID (and its place in the store) across restarts.
    public static func declaredUUID(function: String, sourceARN: String) -> String {
        let hex = Array(Digest.hex(.sha256, Array("\(function)\n\(sourceARN)".utf8)).prefix(32))
        let s = String(hex)
        func part(_ from: Int, _ to: Int) -> Substring {
            s[s.index(s.startIndex, offsetBy: from)..<s.index(s.startIndex, offsetBy: to)]
        }
        // Version 8 (custom) with the RFC 9562 variant, so it reads as a well-formed UUID.
        return "\(part(0, 8))-\(part(8, 12))-8\(part(13, 16))-a\(part(17, 20))-\(part(20, 32))"
    }
}
