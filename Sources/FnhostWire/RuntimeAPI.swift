/// The Lambda Runtime API, version 2018-06-01: the paths and headers a worker and the host exchange.
///
/// Kept in one place so that the host's server and any test client agree on every name, and so that a reader can
/// check them against AWS's documentation at a glance.
public enum RuntimeAPI {
    public static let version = "2018-06-01"
    public static let prefix = "/2018-06-01/runtime"

    /// `GET`: blocks until there is an event; the body is the event.
    public static let nextPath = prefix + "/invocation/next"
    /// `POST`: the function's result for one invocation.
    public static func responsePath(requestID: String) -> String { prefix + "/invocation/" + requestID + "/response" }
    /// `POST`: a function error for one invocation (``FunctionError`` body, ``Header/functionErrorType`` header).
    public static func errorPath(requestID: String) -> String { prefix + "/invocation/" + requestID + "/error" }
    /// `POST`: Init failed (``FunctionError`` body).
    public static let initErrorPath = prefix + "/init/error"
    /// The status of `next` (or of an answer) when the host is stopping this worker (reaped, timed out, shutting
    /// down): fnhost's own signal, where Lambda would freeze or end the environment. The runtime exits quietly.
    public static let workerStoppedStatus = 410

    /// Headers on the answer to `GET /runtime/invocation/next`.
    public enum Header {
        public static let requestID = "Lambda-Runtime-Aws-Request-Id"
        public static let deadlineMs = "Lambda-Runtime-Deadline-Ms"
        public static let invokedFunctionARN = "Lambda-Runtime-Invoked-Function-Arn"
        public static let traceID = "Lambda-Runtime-Trace-Id"
        public static let clientContext = "Lambda-Runtime-Client-Context"
        public static let cognitoIdentity = "Lambda-Runtime-Cognito-Identity"
        /// Sent by a runtime with `POST .../error`, and as a trailer of a streamed response that failed midway.
        public static let functionErrorType = "Lambda-Runtime-Function-Error-Type"
        /// A streamed response's trailer with the error object (base64), beside ``functionErrorType``.
        public static let functionErrorBody = "Lambda-Runtime-Function-Error-Body"
        /// `streaming` on a `POST .../response` whose chunked body is the function's response as it is written.
        public static let responseMode = "Lambda-Runtime-Function-Response-Mode"
    }

    /// Environment variables Lambda gives every execution environment.
    public enum Environment {
        public static let runtimeAPI = "AWS_LAMBDA_RUNTIME_API"
        public static let handler = "_HANDLER"
        public static let taskRoot = "LAMBDA_TASK_ROOT"
        public static let runtimeDir = "LAMBDA_RUNTIME_DIR"
        public static let functionName = "AWS_LAMBDA_FUNCTION_NAME"
        public static let functionVersion = "AWS_LAMBDA_FUNCTION_VERSION"
        public static let memorySize = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE"
        public static let logGroupName = "AWS_LAMBDA_LOG_GROUP_NAME"
        public static let logStreamName = "AWS_LAMBDA_LOG_STREAM_NAME"
        public static let region = "AWS_REGION"
        public static let defaultRegion = "AWS_DEFAULT_REGION"
        public static let initializationType = "AWS_LAMBDA_INITIALIZATION_TYPE"
        /// Where the AWS SDKs send Lambda Invoke API calls; fnhost points it at the host so that one function can
        /// invoke another.
        public static let lambdaEndpoint = "AWS_ENDPOINT_URL_LAMBDA"
    }
}

/// The Invoke API (caller's side), version 2015-03-31.
public enum InvokeAPI {
    public static let pathPrefix = "/2015-03-31/functions/"
    public static func path(function: String) -> String { "\(pathPrefix)\(function)/invocations" }

    public enum Header {
        public static let invocationType = "X-Amz-Invocation-Type"
        public static let logType = "X-Amz-Log-Type"
        public static let logResult = "X-Amz-Log-Result"
        public static let functionError = "X-Amz-Function-Error"
        public static let executedVersion = "X-Amz-Executed-Version"
        public static let requestID = "X-Amzn-RequestId"
        public static let errorType = "x-amzn-ErrorType"
        public static let clientContext = "X-Amz-Client-Context"
    }

    /// Largest synchronous payload Lambda accepts (6 MB), request and response alike.
    public static let maxSyncPayloadBytes = 6 * 1024 * 1024
    /// How deeply objects and arrays may nest in an event: deeper is refused as `InvalidRequestContentException`,
    /// since the JSON decoders inside functions (Foundation's among them) stop at 512 levels.
    public static let maxEventNesting = 512
    /// Largest asynchronous (`Event`) payload (1 MB).
    public static let maxAsyncPayloadBytes = 1024 * 1024

    /// Lambda's rule for a function's name: 1–64 ASCII letters, digits, `-` and `_`. Manifests are held to it when
    /// they load, and the Invoke API checks the name in the path with it.
    public static func isValidFunctionName(_ name: some StringProtocol) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                    true
                default: false
                }
            }
    }

    /// The event a payload becomes, as Lambda treats it: an empty or blank payload is the event `{}`; anything else
    /// must be one JSON value nested at most ``maxEventNesting`` levels deep, else `InvalidRequestContentException`.
    /// Validated without building a tree, so any JSON Lambda accepts (deep nesting, numbers beyond `Double`) passes.
    public static func event(fromPayload payload: [UInt8]) throws(ServiceError) -> [UInt8] {
        if payload.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return Array("{}".utf8) }
        if let problem = JSONScanner(payload).validationError(maxDepth: maxEventNesting) {
            throw .invalidContent(problem)
        }
        return payload
    }
}
