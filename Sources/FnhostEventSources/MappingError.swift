import FnhostWire

/// Why Lambda's mapping API refused a request, with Lambda's error types and statuses: the server writes it as the
/// Invoke API writes every `ServiceError` (`x-amzn-ErrorType`, `{"Type":"User","message":…}`), from which boto3 takes
/// the code (`InvalidParameterValueException`, `ResourceNotFoundException`, `ResourceConflictException`, …).
public enum MappingError {
    public static func invalidParameter(_ message: String) -> ServiceError {
        ServiceError(type: "InvalidParameterValueException", status: 400, message: message)
    }

    /// A value outside the API model's constraint (Lambda's `ValidationException` wording).
    public static func validation(field: String, value: String, constraint: String) -> ServiceError {
        ServiceError(
            type: "ValidationException", status: 400,
            message:
                "1 validation error detected: Value '\(value.prefix(200))' at '\(field)' failed to satisfy constraint: \(constraint)"
        )
    }

    public static func notFound() -> ServiceError {
        ServiceError(
            type: "ResourceNotFoundException", status: 404, message: "The resource you requested does not exist.")
    }

    public static func functionNotFound(_ arn: String) -> ServiceError {
        ServiceError(type: "ResourceNotFoundException", status: 404, message: "Function not found: \(arn)")
    }

    /// The source the ARN names does not exist (a queue or stream not created yet).
    public static func sourceNotFound(_ arn: String) -> ServiceError {
        invalidParameter("Error occurred while ReceiveMessage. The event source arn (\(arn)) does not exist.")
    }

    /// One mapping per source and function, as Lambda allows.
    public static func conflict(kind: EventSourceKind, sourceARN: String, function: String, existing: String)
        -> ServiceError
    {
        let label = kind == .sqs ? "SQS" : kind == .kinesis ? "Kinesis" : "DynamoDB"
        return ServiceError(
            type: "ResourceConflictException", status: 409,
            message:
                "An event source mapping with \(label) arn (\" \(sourceARN) \") and function (\" \(function) \") already exists. Please update or delete the existing mapping with UUID \(existing)"
        )
    }

    /// A mapping declared in a function's manifest is changed there, not through the API.
    public static func declaredInManifest(_ uuid: String, file: String) -> ServiceError {
        ServiceError(
            type: "ResourceConflictException", status: 409,
            message:
                "The event source mapping \(uuid) is declared in \(file); change it there and restart fnhost serve")
    }
}
