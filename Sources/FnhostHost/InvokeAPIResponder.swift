import FnhostWire
import HTTPTypes
import Hummingbird
import NIOCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Lambda's Invoke API over HTTP (`POST /2015-03-31/functions/{name}/invocations`): turns a request into a host
/// invocation and the result into the status, headers and body the AWS SDKs expect.
public struct InvokeAPIResponder: Sendable {
    let host: FunctionHost
    let onResult: @Sendable (InvocationResult) -> Void

    /// - Parameter onResult: sees every completed invocation (the host uses it to charge a caller's nested calls).
    public init(host: FunctionHost, onResult: @escaping @Sendable (InvocationResult) -> Void = { _ in }) {
        self.host = host
        self.onResult = onResult
    }

    public func respond(function: String, request: Request) async -> Response {
        let type = request.headers[HTTPField.Name(InvokeAPI.Header.invocationType)!] ?? "RequestResponse"
        guard type == "RequestResponse" || type == "DryRun" else {
            return Self.serviceError(ServiceError(
                type: "InvalidParameterValueException", status: 400,
                message: "Unsupported invocation type \(type) on this endpoint; use RequestResponse or DryRun"))
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: InvokeAPI.maxSyncPayloadBytes)
        } catch {
            return Self.serviceError(Self.bodyError(error, limit: InvokeAPI.maxSyncPayloadBytes))
        }
        if type == "DryRun" {
            guard host.functions[function] != nil else { return Self.serviceError(.notFound(function: function)) }
            return Response(status: .noContent)
        }
        let clientContext = request.headers[HTTPField.Name(InvokeAPI.Header.clientContext)!]
        do {
            let result = try await host.invoke(function, payload: Array(buffer: body), clientContext: clientContext)
            onResult(result)
            let wantsTail = request.headers[HTTPField.Name(InvokeAPI.Header.logType)!] == "Tail"
            return Self.response(for: result, tail: wantsTail)
        } catch {
            return Self.serviceError(error)
        }
    }

    public static func response(for result: InvocationResult, tail: Bool) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[HTTPField.Name(InvokeAPI.Header.requestID)!] = result.requestID
        headers[HTTPField.Name(InvokeAPI.Header.executedVersion)!] = "$LATEST"
        if result.isError { headers[HTTPField.Name(InvokeAPI.Header.functionError)!] = FunctionErrorKind.unhandled.rawValue }
        if tail {
            let text = Array(result.log.joined(separator: "\n").utf8.suffix(4096))
            headers[HTTPField.Name(InvokeAPI.Header.logResult)!] = Data(text).base64EncodedString()
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: result.payload)))
    }

    /// Why a request body could not be read: over the limit (413), or broken on the wire (400).
    public static func bodyError(_ error: any Error, limit: Int) -> ServiceError {
        if error is NIOTooManyBytesError || (error as? HTTPError)?.status == .contentTooLarge {
            return .tooLarge(size: limit + 1, limit: limit)
        }
        return ServiceError(
            type: "InvalidRequestContentException", status: 400, message: "The request body could not be read: \(error)")
    }

    public static func serviceError(_ error: ServiceError) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[HTTPField.Name(InvokeAPI.Header.errorType)!] = error.type
        return Response(
            status: HTTPResponse.Status(code: error.status), headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: error.jsonBody))
        )
    }
}
