import CLambdaRuntime
import FnhostWire
import Tracing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The client side of the Lambda Runtime API (2018-06-01): init, then `next` → handler → `response`/`error`,
/// until the host goes away.
///
/// ``run(_:environment:)`` is the loop on its own: it returns how it ended instead of exiting, so that tests run it
/// in-process against a Runtime API of their own. ``main(_:)`` is the process around it: it sets up stdio, reads the
/// environment, runs the loop and exits with the ending's status.
///
/// The loop blocks on its socket on purpose: a worker serves exactly one invocation at a time and has nothing else to
/// run while it waits for the next. When the host is gone (`next` cannot connect) the loop ends, so a worker never
/// outlives its host.
enum LambdaRuntimeLoop {
    /// How the loop ended.
    enum Ending: Equatable, Sendable, CustomStringConvertible {
        /// The Runtime API cannot be reached any more: the host is gone. The normal end.
        case hostGone
        /// `next` answered ``RuntimeAPI/workerStoppedStatus``: the host is stopping this worker. A normal end too.
        case stopped
        /// The handler's Init failed; the error was reported to `/runtime/init/error`.
        case initFailed(FunctionError)
        /// `next` answered with a status other than 200.
        case nextRefused(status: Int)
        /// `next` answered 200 without a request id.
        case nextWithoutRequestID
        /// The environment lacks what a worker needs.
        case misconfigured(String)

        /// The worker's exit status for this ending.
        var exitStatus: Int32 {
            switch self {
            case .hostGone, .stopped: 0
            case .initFailed, .nextRefused, .nextWithoutRequestID: 1
            case .misconfigured: 2
            }
        }

        var description: String {
            switch self {
            case .hostGone: "the Runtime API is gone; exiting"
            case .stopped: "the host is stopping this worker; exiting"
            case .initFailed(let error): "init failed: \(error.errorType): \(error.errorMessage)"
            case .nextRefused(let status): "runtime API answered next with status \(status); exiting"
            case .nextWithoutRequestID: "runtime API answered next without \(RuntimeAPI.Header.requestID); exiting"
            case .misconfigured(let problem): "fatal: \(problem)"
            }
        }
    }

    /// The process: runs the loop with this process's environment and exits with the ending's status.
    static func main<H: LambdaHandler>(_ handlerType: H.Type) async -> Never {
        fnhost_worker_stdio_setup()
        let ending = await run(handlerType, environment: ProcessEnvironment.current())
        if ending != .hostGone && ending != .stopped { LambdaLog.write(ending.description) }
        fnhost_flush_stdout()
        exit(ending.exitStatus)
    }

    /// Lambda's variable for the current invocation's trace header.
    static let traceEnvironmentVariable = "_X_AMZN_TRACE_ID"

    /// The response headers of `next` the loop reads.
    static let nextHeaders = [
        RuntimeAPI.Header.requestID, RuntimeAPI.Header.deadlineMs, RuntimeAPI.Header.invokedFunctionARN,
        RuntimeAPI.Header.traceID,
    ]

    /// The loop: Init, then events until the Runtime API goes away or refuses `next`.
    static func run<H: LambdaHandler>(_ handlerType: H.Type, environment env: [String: String]) async -> Ending {
        typealias Env = RuntimeAPI.Environment
        guard let api = env[Env.runtimeAPI], !api.isEmpty else {
            return .misconfigured("\(Env.runtimeAPI) is not set; this program runs as a Lambda worker")
        }
        let base = "http://" + api
        let client = HTTPClient()
        let functionName = env[Env.functionName] ?? "unknown"
        let version = env[Env.functionVersion] ?? "$LATEST"
        let memory = Int(env[Env.memorySize] ?? "") ?? 128
        let invoker = FunctionInvoker(endpoint: env[Env.lambdaEndpoint])

        // Init phase.
        let initContext = InitContext(
            functionName: functionName, functionVersion: version, memoryLimitMB: memory,
            initializationType: env[Env.initializationType] ?? "on-demand",
            taskRoot: env[Env.taskRoot] ?? ".", environment: env
        )
        let handler: H
        do {
            handler = try await H(context: initContext)
        } catch {
            let body = functionError(error)
            _ = try? client.perform(
                method: "POST", url: base + RuntimeAPI.initErrorPath,
                headers: [(RuntimeAPI.Header.functionErrorType, body.errorType)],
                body: encode(body)
            )
            return .initFailed(body)
        }
        // The function's spans (`withSpan`) go into fnhost's trace, unless its Init bootstrapped its own tracer.
        FunctionTracer.bootstrapUnlessBootstrapped()

        let decoder = JSONDecoder()
        let encoder = JSONEncoder()
        let annotations = InvocationAnnotations()
        let spanLog = FunctionSpanLog()
        let nextRequest = HTTPClient.Request(method: "GET", url: base + RuntimeAPI.nextPath, wantHeaders: nextHeaders)
        var pending: HTTPClient.Response
        do {
            pending = try client.perform([nextRequest])[0]
        } catch {
            return .hostGone
        }
        while true {
            let next = pending
            if next.status == RuntimeAPI.workerStoppedStatus { return .stopped }
            guard next.status == 200 else { return .nextRefused(status: next.status) }
            guard let requestID = next.headers[RuntimeAPI.Header.requestID] else { return .nextWithoutRequestID }
            let context = LambdaContext(
                requestID: requestID,
                deadlineMs: Int64(next.headers[RuntimeAPI.Header.deadlineMs] ?? "") ?? Int64.max,
                invokedFunctionARN: next.headers[RuntimeAPI.Header.invokedFunctionARN] ?? "",
                traceID: next.headers[RuntimeAPI.Header.traceID] ?? "",
                functionName: functionName, functionVersion: version, memoryLimitMB: memory,
                logGroupName: env[Env.logGroupName] ?? "",
                logStreamName: env[Env.logStreamName] ?? "", invoker: invoker,
                annotations: annotations
            )
            let invocation = spanLog.begin(atNs: DefaultTracerClock.now.nanosecondsSinceEpoch)
            // As Lambda's runtimes do: the trace header of the current invocation, for SDKs and tracers to read.
            setenv(Self.traceEnvironmentVariable, context.traceID, 1)
            let outcome = await ServiceContext.$current.withValue(
                FunctionTracer.context(.current ?? .topLevel, invocation: invocation)
            ) {
                await invoke(handler, event: next.body, context: context, decoder: decoder, encoder: encoder)
            }
            fnhost_flush_stdout()
            if let spans = spanLog.take(atNs: DefaultTracerClock.now.nanosecondsSinceEpoch) {
                annotations.set(FunctionSpans.headerName, spans.headerValue)
            }
            let answer: HTTPClient.Request
            switch outcome {
            case .success(let body):
                answer = HTTPClient.Request(
                    method: "POST", url: base + RuntimeAPI.responsePath(requestID: requestID),
                    headers: annotations.take(),
                    body: body)
            case .failure(let error):
                // A failed invocation's spans still reach the host; its other annotations (a cache outcome) do not.
                let spans = annotations.take().filter { $0.0 == FunctionSpans.headerName }
                answer = HTTPClient.Request(
                    method: "POST", url: base + RuntimeAPI.errorPath(requestID: requestID),
                    headers: [(RuntimeAPI.Header.functionErrorType, error.errorType)] + spans, body: encode(error))
            }
            // The answer and the next `GET next` in one write (HTTP/1.1 pipelining).
            guard let answered = try? client.perform([answer, nextRequest]) else { return .hostGone }
            if answered[0].status >= 400 {
                LambdaLog.write("runtime API refused the answer to \(requestID) with status \(answered[0].status)")
            }
            pending = answered[1]
        }
    }

    /// One event through the handler: decoded (an event that does not decode is `Runtime.InvalidEvent`), handled,
    /// and the output encoded; any error as the ``FunctionError`` to report.
    static func invoke<H: LambdaHandler>(
        _ handler: H, event: [UInt8], context: LambdaContext, decoder: JSONDecoder, encoder: JSONEncoder
    ) async -> Result<[UInt8], FunctionError> {
        let decoded: H.Event
        do {
            decoded = try decoder.decode(H.Event.self, from: Data(event))
        } catch let error as DecodingError {
            return .failure(
                FunctionError(
                    errorMessage: "could not decode the event: \(describe(error))", errorType: "Runtime.InvalidEvent",
                    stackTrace: []))
        } catch {
            return .failure(
                FunctionError(
                    errorMessage: "could not decode the event: \(error)", errorType: "Runtime.InvalidEvent",
                    stackTrace: []))
        }
        do {
            let output = try await handler.handle(decoded, context: context)
            return .success([UInt8](try encoder.encode(output)))
        } catch {
            // A client's mistake through API Gateway is answered as a 4xx (GatewayClientErrors).
            if let answer = GatewayClientError.answer(H.self, error: error, event: event) { return .success(answer) }
            return .failure(functionError(error))
        }
    }

    /// The ``FunctionError`` Lambda reports for an error a handler (or its Init) threw.
    static func functionError(_ error: any Error) -> FunctionError {
        switch error {
        case let e as HandlerError:
            return FunctionError(errorMessage: e.message, errorType: e.type, stackTrace: [])
        case let e as InvokeError:
            if case .functionError(let type, let message) = e {
                return FunctionError(errorMessage: message, errorType: type, stackTrace: [])
            }
            return FunctionError(errorMessage: e.description, errorType: "InvokeError", stackTrace: [])
        case let e as DecodingError:
            return FunctionError(errorMessage: describe(e), errorType: "DecodingError", stackTrace: [])
        default:
            return FunctionError(
                errorMessage: "\(error)", errorType: String(describing: type(of: error)), stackTrace: [])
        }
    }

    static func describe(_ e: DecodingError) -> String {
        func path(_ c: DecodingError.Context) -> String {
            let p = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? c.debugDescription : "\(p): \(c.debugDescription)"
        }
        switch e {
        case .keyNotFound(let key, let c):
            return "missing field \"\(key.stringValue)\"" + (c.codingPath.isEmpty ? "" : " in \(path(c))")
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): return path(c)
        @unknown default: return "\(e)"
        }
    }

    static func encode(_ body: FunctionError) -> [UInt8] {
        (try? [UInt8](JSONEncoder().encode(body))) ?? Array("{}".utf8)
    }
}

/// The process environment as a dictionary.
enum ProcessEnvironment {
    static func current() -> [String: String] {
        var result: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") {
                result[String(s[..<eq])] = String(s[s.index(after: eq)...])
            }
            p += 1
        }
        return result
    }
}

enum SystemCalls {
    static func write(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { Glibc.write(fd, p, n) }
}
