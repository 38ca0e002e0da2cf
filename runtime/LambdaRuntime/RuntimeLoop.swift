import CLambdaRuntime
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The client side of the Lambda Runtime API (2018-06-01): init, then `next` → handler → `response`/`error`,
/// forever, until the host goes away.
///
/// It blocks on its socket on purpose: a worker serves exactly one invocation at a time and has nothing else to run.
/// When the host is gone (`next` cannot connect) the worker exits, so it never outlives its host.
enum LambdaRuntimeLoop {
    static func run<H: LambdaHandler>(_ handlerType: H.Type) async {
        fnhost_worker_stdio_setup()
        let env = ProcessEnvironment.current()
        guard let api = env["AWS_LAMBDA_RUNTIME_API"] else {
            LambdaLog.write("fatal: AWS_LAMBDA_RUNTIME_API is not set; this program runs as a Lambda worker")
            exit(2)
        }
        let base = "http://\(api)/2018-06-01/runtime"
        let client = HTTPClient()
        let functionName = env["AWS_LAMBDA_FUNCTION_NAME"] ?? "unknown"
        let version = env["AWS_LAMBDA_FUNCTION_VERSION"] ?? "$LATEST"
        let memory = Int(env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] ?? "") ?? 128
        let invoker = FunctionInvoker(endpoint: env["AWS_ENDPOINT_URL_LAMBDA"])

        // Init phase.
        let initContext = InitContext(
            functionName: functionName, functionVersion: version, memoryLimitMB: memory,
            initializationType: env["AWS_LAMBDA_INITIALIZATION_TYPE"] ?? "on-demand",
            taskRoot: env["LAMBDA_TASK_ROOT"] ?? ".", environment: env
        )
        let handler: H
        do {
            handler = try await H(context: initContext)
        } catch {
            let body = errorBody(error)
            _ = try? client.perform(
                method: "POST", url: base + "/init/error",
                headers: [("Lambda-Runtime-Function-Error-Type", body.errorType)],
                body: encode(body)
            )
            LambdaLog.write("init failed: \(body.errorType): \(body.errorMessage)")
            exit(1)
        }

        let decoder = JSONDecoder()
        let encoder = JSONEncoder()
        let wanted = [
            "Lambda-Runtime-Aws-Request-Id", "Lambda-Runtime-Deadline-Ms", "Lambda-Runtime-Invoked-Function-Arn",
            "Lambda-Runtime-Trace-Id",
        ]
        let annotations = InvocationAnnotations()
        let nextRequest = HTTPClient.Request(method: "GET", url: base + "/invocation/next", wantHeaders: wanted)
        var pending: HTTPClient.Response
        do {
            pending = try client.perform([nextRequest])[0]
        } catch {
            // The host is gone: a worker never outlives it.
            exit(0)
        }
        while true {
            let next = pending
            guard next.status == 200, let requestID = next.headers["Lambda-Runtime-Aws-Request-Id"] else {
                LambdaLog.write("runtime API answered next with status \(next.status); exiting")
                exit(1)
            }
            let context = LambdaContext(
                requestID: requestID,
                deadlineMs: Int64(next.headers["Lambda-Runtime-Deadline-Ms"] ?? "") ?? Int64.max,
                invokedFunctionARN: next.headers["Lambda-Runtime-Invoked-Function-Arn"] ?? "",
                traceID: next.headers["Lambda-Runtime-Trace-Id"] ?? "",
                functionName: functionName, functionVersion: version, memoryLimitMB: memory,
                logGroupName: env["AWS_LAMBDA_LOG_GROUP_NAME"] ?? "",
                logStreamName: env["AWS_LAMBDA_LOG_STREAM_NAME"] ?? "", invoker: invoker,
                annotations: annotations
            )
            let outcome: Result<[UInt8], ErrorBody>
            do {
                let event = try decoder.decode(H.Event.self, from: Data(next.body))
                let output = try await handler.handle(event, context: context)
                outcome = .success([UInt8](try encoder.encode(output)))
            } catch {
                outcome = .failure(errorBody(error))
            }
            fnhost_flush_stdout()
            let answer: HTTPClient.Request
            switch outcome {
            case .success(let body):
                answer = HTTPClient.Request(
                    method: "POST", url: base + "/invocation/\(requestID)/response", headers: annotations.take(), body: body)
            case .failure(let body):
                _ = annotations.take()
                answer = HTTPClient.Request(
                    method: "POST", url: base + "/invocation/\(requestID)/error",
                    headers: [("Lambda-Runtime-Function-Error-Type", body.errorType)], body: encode(body))
            }
            // The answer and the next `GET next` in one write (HTTP/1.1 pipelining).
            guard let answered = try? client.perform([answer, nextRequest]) else { exit(0) }
            if answered[0].status >= 400 {
                LambdaLog.write("runtime API refused the answer to \(requestID) with status \(answered[0].status)")
            }
            pending = answered[1]
        }
    }

    static func errorBody(_ error: any Error) -> ErrorBody {
        switch error {
        case let e as HandlerError:
            return ErrorBody(errorMessage: e.message, errorType: e.type, stackTrace: [])
        case let e as InvokeError:
            if case .functionError(let type, let message) = e {
                return ErrorBody(errorMessage: message, errorType: type, stackTrace: [])
            }
            return ErrorBody(errorMessage: e.description, errorType: "InvokeError", stackTrace: [])
        case let e as DecodingError:
            return ErrorBody(
                errorMessage: "could not decode the event: \(describe(e))", errorType: "Runtime.InvalidEvent",
                stackTrace: []
            )
        default:
            return ErrorBody(errorMessage: "\(error)", errorType: String(describing: type(of: error)), stackTrace: [])
        }
    }

    static func describe(_ e: DecodingError) -> String {
        func path(_ c: DecodingError.Context) -> String {
            let p = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? c.debugDescription : "\(p): \(c.debugDescription)"
        }
        switch e {
        case .keyNotFound(let key, let c): return "missing field \"\(key.stringValue)\"" + (c.codingPath.isEmpty ? "" : " in \(path(c))")
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): return path(c)
        @unknown default: return "\(e)"
        }
    }

    static func encode(_ body: ErrorBody) -> [UInt8] {
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
