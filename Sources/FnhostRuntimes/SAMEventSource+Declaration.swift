import FnhostEventSources
import FnhostTemplate
import FnhostWire

extension SAMEventSource {
    /// SAM's properties of an `SQS` or `Kinesis` event and the manifest keys of ``EventSourceDeclaration`` they
    /// become.
    static let keys: [String: String] = [
        "BatchSize": "batchSize", "Enabled": "enabled",
        "MaximumBatchingWindowInSeconds": "maximumBatchingWindowInSeconds",
        "StartingPosition": "startingPosition", "StartingPositionTimestamp": "startingPositionTimestamp",
        "MaximumRetryAttempts": "maximumRetryAttempts", "MaximumRecordAgeInSeconds": "maximumRecordAgeInSeconds",
        "BisectBatchOnFunctionError": "bisectBatchOnFunctionError", "ParallelizationFactor": "parallelizationFactor",
    ]

    /// The queue's or stream's name from what the template gave: an ARN (`arn:aws:sqs:…:NAME`,
    /// `arn:aws:kinesis:…:stream/NAME`), a queue URL, or a name.
    var sourceName: String {
        if let slash = source.lastIndex(of: "/") { return String(source[source.index(after: slash)...]) }
        if let colon = source.lastIndex(of: ":") { return String(source[source.index(after: colon)...]) }
        return source
    }

    /// The mapping declaration the host keeps for this event (as a manifest's `eventSources` entry), checked by the
    /// mapping API's rules; properties fnhost does not use (`FilterCriteria`, …) are noted in `ignored`.
    func declaration(
        function: SAMFunction, file: String, ignored: inout Set<String>
    ) throws(TemplateError) -> EventSourceDeclaration {
        var object: [String: JSONValue] = [kind == .sqs ? "queue" : "stream": .string(sourceName)]
        for key in properties.keys.sorted() {
            let value = properties[key]!
            if let mapped = Self.keys[key] {
                object[mapped] = value
                continue
            }
            switch (key, value) {
            case ("ScalingConfig", .object(let scaling)) where scaling["MaximumConcurrency"] != nil:
                object["maximumConcurrency"] = scaling["MaximumConcurrency"]!
            case ("FunctionResponseTypes", .array(let types)):
                object["reportBatchItemFailures"] = .bool(types.contains(.string("ReportBatchItemFailures")))
            case ("DestinationConfig", .object(let config)):
                if case .object(let onFailure)? = config["OnFailure"], case .string(let arn)? = onFailure["Destination"]
                {
                    object["onFailure"] = .string(String(arn.split(separator: ":").last ?? ""))
                }
            default:
                ignored.insert("\(kind.rawValue) event property \(key)")
            }
        }
        do {
            return try EventSourceDeclaration.parse(.object(object))
        } catch {
            let property = Self.keys.first { $0.value == error.field }?.key ?? error.field
            throw .invalid(
                file: file, resource: function.logicalID,
                field: "Events.\(eventName).Properties" + (property.isEmpty ? "" : ".\(property)"),
                reason: error.reason)
        }
    }
}
