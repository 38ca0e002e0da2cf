#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The handler API: what a function implements to run as a Lambda worker, on fnhost or on AWS Lambda itself.
///
/// `init(context:)` is the Init phase (it runs once per worker, on a cold start); `handle(_:context:)` is the
/// Invoke phase (once per event, one at a time). Mark the conforming type `@main` and the runtime loop runs it.
///
/// ```swift
/// @main
/// struct Hello: LambdaHandler {
///     init(context: InitContext) async throws {}
///     func handle(_ event: [String: String], context: LambdaContext) async throws -> String { "hello" }
/// }
/// ```
public protocol LambdaHandler: Sendable {
    associatedtype Event: Decodable
    associatedtype Output: Encodable

    /// The Init phase: load data, open connections. A thrown error is reported to `/runtime/init/error`.
    init(context: InitContext) async throws

    /// The Invoke phase, once per event.
    func handle(_ event: Event, context: LambdaContext) async throws -> Output
}

extension LambdaHandler {
    /// Runs the Lambda runtime loop for this handler until the host goes away.
    public static func main() async {
        await LambdaRuntimeLoop.main(Self.self)
    }
}

/// An error a handler throws to choose the `errorType` Lambda reports (for example `OrganisationNotFound`),
/// rather than the Swift type name.
public struct HandlerError: Error, Sendable, CustomStringConvertible {
    public var type: String
    public var message: String
    public init(type: String, message: String) {
        self.type = type
        self.message = message
    }
    public var description: String { "\(type): \(message)" }
}

/// What the Init phase can see: the function's identity and its environment.
public struct InitContext: Sendable {
    public let functionName: String
    public let functionVersion: String
    public let memoryLimitMB: Int
    /// `on-demand` or `provisioned-concurrency`.
    public let initializationType: String
    /// The function's directory (`LAMBDA_TASK_ROOT`): where its data lives.
    public let taskRoot: String
    public let environment: [String: String]

    /// Resolves a path in the function's directory.
    public func path(_ relative: String) -> String {
        relative.hasPrefix("/") ? relative : taskRoot + "/" + relative
    }

    public func log(_ message: String) { LambdaLog.write(message) }
}

/// Writes a log line to standard output, where the host (or CloudWatch) collects it.
enum LambdaLog {
    static func write(_ message: String) {
        var line = message
        line.append("\n")
        line.withUTF8 { buf in
            var offset = 0
            while offset < buf.count {
                let n = SystemCalls.write(1, buf.baseAddress! + offset, buf.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
