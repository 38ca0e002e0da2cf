import FnhostHost
import FnhostWire
import HTTPTypes
import Hummingbird
import NIOCore

/// The Invoke API on `fnhost serve`'s Hummingbird server; the host itself answers it without Hummingbird.
extension InvokeAPIResponder {
    /// Serves a request that came through Hummingbird (`fnhost serve`).
    func respond(function: String, request: Request) async -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: InvokeAPI.maxSyncPayloadBytes)
        } catch {
            return Self.serviceError(Self.bodyError(error, limit: InvokeAPI.maxSyncPayloadBytes))
        }
        return await answer(function: function, call: Call(headers: request.headers, body: Array(buffer: body)))
            .response
    }

    /// Why a request body could not be read: over the limit (413), or broken on the wire (400).
    static func bodyError(_ error: any Error, limit: Int) -> ServiceError {
        if error is NIOTooManyBytesError || (error as? HTTPError)?.status == .contentTooLarge {
            return .tooLarge(size: limit + 1, limit: limit)
        }
        return ServiceError(
            type: "InvalidRequestContentException", status: 400, message: "The request body could not be read: \(error)"
        )
    }

    /// A refusal as a Hummingbird response.
    static func serviceError(_ error: ServiceError) -> Response { answer(error).response }
}

extension InvokeAPIResponder.Answer {
    /// The same answer as a Hummingbird response.
    var response: Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
