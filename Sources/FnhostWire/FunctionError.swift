/// The error object Lambda returns for a function error: the body of `POST /runtime/invocation/{id}/error`, of
/// `POST /runtime/init/error`, and of an Invoke API answer that carries `X-Amz-Function-Error`.
public struct FunctionError: Codable, Sendable, Equatable, Error {
    public var errorMessage: String
    public var errorType: String
    public var stackTrace: [String]?

    public init(errorMessage: String, errorType: String, stackTrace: [String]? = nil) {
        self.errorMessage = errorMessage
        self.errorType = errorType
        self.stackTrace = stackTrace
    }

    /// What Lambda answers when the worker process exits during an invocation or its init.
    public static func exitError(requestID: String, _ detail: String) -> FunctionError {
        FunctionError(
            errorMessage: "RequestId: \(requestID) Error: Runtime exited with error: \(detail)",
            errorType: "Runtime.ExitError")
    }

    /// What Lambda answers when an invocation overruns its timeout.
    public static func timeout(seconds: Double) -> FunctionError {
        FunctionError(
            errorMessage: "Task timed out after \(formatSeconds(seconds)) seconds",
            errorType: "Sandbox.Timedout"
        )
    }

    /// The message body's wording for a timeout is exactly Lambda's: two decimals.
    public static func formatSeconds(_ s: Double) -> String {
        let hundredths = Int((s * 100).rounded())
        let frac = hundredths % 100
        return "\(hundredths / 100).\(frac < 10 ? "0" : "")\(frac)"
    }
}

/// Whether a function error was reported by the function (`Handled`) or by the platform (`Unhandled`), as in
/// the Invoke API's `X-Amz-Function-Error` header.
public enum FunctionErrorKind: String, Sendable, Codable {
    case handled = "Handled"
    case unhandled = "Unhandled"
}

/// A service error of the Invoke API: the request never reached a function. Carries Lambda's type name, HTTP
/// status and message, and is written as `{"Type": "User", "message": ...}` with `x-amzn-ErrorType`.
public struct ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var type: String
    public var status: Int
    public var message: String
    public var reason: String?

    public init(type: String, status: Int, message: String, reason: String? = nil) {
        self.type = type
        self.status = status
        self.message = message
        self.reason = reason
    }

    public var description: String { "\(type): \(message)" }

    public static func notFound(function: String) -> ServiceError {
        ServiceError(
            type: "ResourceNotFoundException", status: 404,
            message: "Function not found: arn:aws:lambda:\(ARN.defaultRegion):\(ARN.accountID):function:\(function)"
        )
    }

    public static func invalidContent(_ detail: String) -> ServiceError {
        ServiceError(
            type: "InvalidRequestContentException", status: 400,
            message: "Could not parse request body into json: \(detail)"
        )
    }

    public static func tooLarge(size: Int, limit: Int) -> ServiceError {
        ServiceError(
            type: "RequestTooLargeException", status: 413,
            message: "Request must be smaller than \(limit) bytes for the InvokeFunction operation (got \(size))"
        )
    }

    public static func throttled(function: String, limit: Int) -> ServiceError {
        ServiceError(
            type: "TooManyRequestsException", status: 429,
            message: "Rate Exceeded. \(function) is at its reserved concurrency of \(limit).",
            reason: "ReservedFunctionConcurrentInvocationLimitExceeded"
        )
    }

    public static func serviceUnavailable(_ detail: String) -> ServiceError {
        ServiceError(type: "ServiceException", status: 503, message: detail)
    }

    /// The JSON body Lambda sends with a service error.
    public var jsonBody: String {
        var body = "{\"Type\":\"User\",\"message\":\(JSONText.quote(message))"
        if let reason { body += ",\"Reason\":\(JSONText.quote(reason))" }
        return body + "}"
    }
}

/// Lambda-shaped ARNs for local functions (a fixed fake account, as the local emulators use).
public enum ARN {
    public static let accountID = "000000000000"
    public static let defaultRegion = "us-east-1"
    public static func function(_ name: String, region: String = defaultRegion) -> String {
        "arn:aws:lambda:\(region):\(accountID):function:\(name)"
    }
}
