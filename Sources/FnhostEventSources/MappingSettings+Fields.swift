import FnhostWire

/// The settings in the API's JSON: read from a Create or Update body (only the fields given change), and written
/// back as the fields of an `EventSourceMappingConfiguration`. The store keeps the same JSON, so one reader and one
/// writer serve the API, the store and the manifest's declarations.
extension MappingSettings {
    /// The fields Create accepts besides the source and the function.
    public static let settingFields: Set<String> = [
        "Enabled", "BatchSize", "MaximumBatchingWindowInSeconds", "ScalingConfig", "FunctionResponseTypes",
        "StartingPosition", "StartingPositionTimestamp", "MaximumRetryAttempts", "MaximumRecordAgeInSeconds",
        "BisectBatchOnFunctionError", "ParallelizationFactor", "DestinationConfig",
    ]
    /// The fields only Create takes (a mapping's starting position cannot change).
    public static let createOnlyFields: Set<String> = ["StartingPosition", "StartingPositionTimestamp"]
    /// Lambda fields for sources or features fnhost does not have: refused by name rather than ignored.
    public static let unsupportedFields: Set<String> = [
        "FilterCriteria", "TumblingWindowInSeconds", "Topics", "Queues", "SourceAccessConfigurations",
        "SelfManagedEventSource", "SelfManagedKafkaEventSourceConfig", "AmazonManagedKafkaEventSourceConfig",
        "DocumentDBEventSourceConfig", "KMSKeyArn", "MetricsConfig", "ProvisionedPollerConfig", "Tags",
    ]

    /// Applies the setting fields of `body` (others are ignored here); a field of the wrong type is refused.
    public mutating func apply(_ body: [String: JSONValue]) throws(ServiceError) {
        if let v = try Self.bool(body, "Enabled") { enabled = v }
        if let v = try Self.integer(body, "BatchSize", constraint: 1...Self.maxBatchSize) { batchSize = v }
        if let v = try Self.integer(
            body, "MaximumBatchingWindowInSeconds", constraint: 0...Self.maxBatchingWindowSeconds)
        {
            maximumBatchingWindowInSeconds = v
        }
        if let value = body["ScalingConfig"] {
            guard case .object(let scaling) = value else { throw Self.wrongType("ScalingConfig", "an object", value) }
            // An empty ScalingConfig removes the limit (Lambda: "To remove the configuration, pass an empty value").
            maximumConcurrency = try Self.integer(
                scaling, "MaximumConcurrency", field: "scalingConfig.maximumConcurrency",
                constraint: Self.maximumConcurrencyRange)
        }
        if let value = body["FunctionResponseTypes"] {
            guard case .array(let items) = value else {
                throw Self.wrongType("FunctionResponseTypes", "a list", value)
            }
            var report = false
            for item in items {
                guard case .string("ReportBatchItemFailures") = item else {
                    throw MappingError.validation(
                        field: "functionResponseTypes", value: item.shortDescription,
                        constraint: "Member must satisfy enum value set: [ReportBatchItemFailures]")
                }
                report = true
            }
            reportBatchItemFailures = report
        }
        if let value = body["StartingPosition"] {
            guard case .string(let text) = value, Self.startingPositions.contains(text) else {
                throw MappingError.validation(
                    field: "startingPosition", value: value.shortDescription,
                    constraint:
                        "Member must satisfy enum value set: [\(Self.startingPositions.joined(separator: ", "))]"
                )
            }
            startingPosition = text
        }
        if let value = body["StartingPositionTimestamp"] {
            guard case .number(let seconds) = value else {
                throw Self.wrongType("StartingPositionTimestamp", "a timestamp", value)
            }
            startingPositionTimestamp = seconds
        }
        if let v = try Self.integer(body, "MaximumRetryAttempts", constraint: Self.maximumRetryAttemptsRange) {
            maximumRetryAttempts = v
        }
        if let v = try Self.integer(
            body, "MaximumRecordAgeInSeconds", constraint: -1...Self.maximumRecordAgeRange.upperBound)
        {
            maximumRecordAgeInSeconds = v
        }
        if let v = try Self.bool(body, "BisectBatchOnFunctionError") { bisectBatchOnFunctionError = v }
        if let v = try Self.integer(body, "ParallelizationFactor", constraint: Self.parallelizationFactorRange) {
            parallelizationFactor = v
        }
        if let value = body["DestinationConfig"] {
            guard case .object(let config) = value else {
                throw Self.wrongType("DestinationConfig", "an object", value)
            }
            if let onSuccess = config["OnSuccess"], onSuccess != .object([:]) {
                throw MappingError.invalidParameter(
                    "Unsupported DestinationConfig parameter for given event source mapping type: OnSuccess")
            }
            switch config["OnFailure"] {
            case nil, .null?: onFailureDestination = nil
            case .object(let failure)?:
                switch failure["Destination"] {
                case nil, .null?: onFailureDestination = nil
                case .string(let arn)?: onFailureDestination = arn.isEmpty ? nil : arn
                case let other?: throw Self.wrongType("DestinationConfig.OnFailure.Destination", "a string", other)
                }
            case let other?: throw Self.wrongType("DestinationConfig.OnFailure", "an object", other)
            }
        }
    }

    /// The fields of an `EventSourceMappingConfiguration` these settings give, for a mapping of `kind`: SQS
    /// mappings carry no stream fields, as Lambda answers them.
    public func fields(kind: EventSourceKind) -> [String: JSONValue] {
        var out: [String: JSONValue] = [
            "BatchSize": .number(Double(batchSize)),
            "MaximumBatchingWindowInSeconds": .number(Double(maximumBatchingWindowInSeconds)),
            "FunctionResponseTypes": .array(reportBatchItemFailures ? [.string("ReportBatchItemFailures")] : []),
        ]
        if let maximumConcurrency {
            out["ScalingConfig"] = .object(["MaximumConcurrency": .number(Double(maximumConcurrency))])
        }
        if kind.isStream {
            if let startingPosition { out["StartingPosition"] = .string(startingPosition) }
            if let startingPositionTimestamp { out["StartingPositionTimestamp"] = .number(startingPositionTimestamp) }
            out["MaximumRetryAttempts"] = .number(Double(maximumRetryAttempts ?? -1))
            out["MaximumRecordAgeInSeconds"] = .number(Double(maximumRecordAgeInSeconds ?? -1))
            out["BisectBatchOnFunctionError"] = .bool(bisectBatchOnFunctionError ?? false)
            out["ParallelizationFactor"] = .number(Double(parallelizationFactor ?? 1))
            out["DestinationConfig"] = .object([
                "OnFailure": .object(onFailureDestination.map { ["Destination": .string($0)] } ?? [:])
            ])
            out["TumblingWindowInSeconds"] = .number(0)
        }
        return out
    }

    /// The settings as the store keeps them: the API's fields plus `Enabled`.
    public func stored(kind: EventSourceKind) -> String {
        var all = fields(kind: kind)
        all["Enabled"] = .bool(enabled)
        if let maximumRetryAttempts { all["MaximumRetryAttempts"] = .number(Double(maximumRetryAttempts)) }
        if let maximumRecordAgeInSeconds {
            all["MaximumRecordAgeInSeconds"] = .number(Double(maximumRecordAgeInSeconds))
        }
        return String(decoding: JSONValue.object(all).serialized, as: UTF8.self)
    }

    /// Reads what `stored(kind:)` wrote; nil when the text is not settings (a damaged row).
    public static func fromStored(_ text: String, kind: EventSourceKind) -> MappingSettings? {
        guard case .object(let body)? = try? JSONValue.parse(text) else { return nil }
        var settings = defaults(for: kind)
        do { try settings.apply(body) } catch { return nil }
        return settings
    }

    // MARK: Field readers

    static func wrongType(_ field: String, _ expected: String, _ value: JSONValue) -> ServiceError {
        MappingError.invalidParameter("\(field) must be \(expected), not \(value.kind)")
    }

    static func bool(_ body: [String: JSONValue], _ field: String) throws(ServiceError) -> Bool? {
        switch body[field] {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        case let other?: throw wrongType(field, "a boolean", other)
        }
    }

    /// A whole number within the API model's `constraint`, or Lambda's ValidationException.
    static func integer(
        _ body: [String: JSONValue], _ name: String, field: String? = nil, constraint: ClosedRange<Int>
    ) throws(ServiceError) -> Int? {
        let field = field ?? (name.prefix(1).lowercased() + name.dropFirst())
        switch body[name] {
        case nil, .null?: return nil
        case .number(let n)?:
            guard n == n.rounded(), abs(n) < 1e15 else { throw wrongType(name, "a whole number", .number(n)) }
            let value = Int(n)
            if value < constraint.lowerBound {
                throw MappingError.validation(
                    field: field, value: String(value),
                    constraint: "Member must have value greater than or equal to \(constraint.lowerBound)")
            }
            if value > constraint.upperBound {
                throw MappingError.validation(
                    field: field, value: String(value),
                    constraint: "Member must have value less than or equal to \(constraint.upperBound)")
            }
            return value
        case let other?: throw wrongType(name, "a whole number", other)
        }
    }
}
