import FnhostQueues
import FnhostStore
import FnhostWire
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Prometheus

/// The HTTP side of SQS on `fnhost serve`: a `POST` whose `X-Amz-Target` starts with `AmazonSQS.` (to `/` or to a
/// queue URL) is read, decoded by `SQSRequest`, run by `SQSService` and answered in AWS JSON 1.0, errors with the
/// `x-amzn-query-error` header botocore takes the legacy code from.
struct SQSResponder: Sendable {
    static let targetHeader = HTTPField.Name("X-Amz-Target")!
    static let queryErrorHeader = HTTPField.Name("x-amzn-query-error")!
    static let requestIDHeader = HTTPField.Name("x-amzn-RequestId")!
    static let contentType = "application/x-amz-json-1.0"

    let service: SQSService
    let metrics = SQSMetrics()

    init(store: Store) {
        service = SQSService(store: store)
    }

    /// Sets the queues' gauges for a scrape of `/metrics`.
    func updateMetrics(_ registry: PrometheusCollectorRegistry) async {
        await metrics.update(registry, store: service.store)
    }

    /// Whether the request is an SQS call.
    static func isSQS(_ request: Request) -> Bool {
        request.headers[targetHeader]?.hasPrefix(SQSRequest.targetPrefix) == true
    }

    func respond(to request: Request) async -> Response {
        guard request.method == .post else {
            return Self.error(
                SQSError(name: "UnsupportedOperation", message: "SQS calls are POST, not \(request.method)"))
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: SQSRequest.maxBodyBytes)
        } catch {
            return Self.error(
                SQSError(
                    name: "RequestEntityTooLarge",
                    message: "The request body is larger than \(SQSRequest.maxBodyBytes) bytes.", status: 413))
        }
        let base = "http://" + (request.head.authority ?? "127.0.0.1")
        do {
            let sqs = try SQSRequest(target: request.headers[Self.targetHeader] ?? "", body: Array(buffer: body))
            let answer = try await service.handle(sqs, baseURL: base)
            return Self.json(.ok, answer.serialized, [:])
        } catch let error as SQSError {
            return Self.error(error)
        } catch {
            return Self.error(
                SQSError(
                    name: "InternalError", queryCode: "InternalError", message: "fnhost's store failed: \(error)",
                    status: 500))
        }
    }

    static func error(_ error: SQSError) -> Response {
        json(
            HTTPResponse.Status(code: error.status), Array(error.jsonBody.utf8),
            [queryErrorHeader: error.queryErrorHeader])
    }

    static func json(_ status: HTTPResponse.Status, _ bytes: [UInt8], _ extra: [HTTPField.Name: String]) -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        headers[requestIDHeader] = UUID().uuidString.lowercased()
        for (name, value) in extra { headers[name] = value }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
