import FnhostSimulation
import FnhostStore
import FnhostStreams
import FnhostWire
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Prometheus

/// The HTTP side of Kinesis on `fnhost serve`: a `POST /` whose `X-Amz-Target` starts with `Kinesis_20131202.` is
/// read, decoded by `KinesisRequest`, run by `KinesisService` and answered in AWS JSON 1.1 (botocore's `kinesis`
/// client speaks JSON 1.1; it has no CBOR, so users set nothing beyond `endpoint_url`). A body in CBOR (as the
/// Java SDK sends unless `AWS_CBOR_DISABLE` is set) is refused with a message that says so.
struct KinesisResponder: Sendable {
    static let targetHeader = HTTPField.Name("X-Amz-Target")!
    static let requestIDHeader = HTTPField.Name("x-amzn-RequestId")!
    static let contentType = "application/x-amz-json-1.1"

    let service: KinesisService

    init(store: Store, timeScale: TimeScale, registry: PrometheusCollectorRegistry) {
        service = KinesisService(store: store, timeScale: timeScale, metrics: KinesisMetrics(registry: registry))
    }

    /// Whether the request is a Kinesis call.
    static func isKinesis(_ request: Request) -> Bool {
        request.headers[targetHeader]?.hasPrefix(KinesisRequest.targetPrefix) == true
    }

    func respond(to request: Request) async -> Response {
        guard request.method == .post else {
            return Self.error(
                KinesisError(
                    name: "UnknownOperationException", message: "Kinesis calls are POST, not \(request.method)"))
        }
        if request.headers[.contentType]?.hasPrefix("application/x-amz-cbor") == true {
            return Self.error(
                KinesisError.serialization(
                    "fnhost speaks Kinesis in JSON 1.1, not CBOR: set AWS_CBOR_DISABLE=true (Java SDK) or use a JSON client"
                ))
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: KinesisRequest.maxBodyBytes)
        } catch {
            return Self.error(
                KinesisError(
                    name: "InvalidArgumentException",
                    message: "The request body is larger than \(KinesisRequest.maxBodyBytes) bytes.", status: 413))
        }
        do {
            let kinesis = try KinesisRequest(
                target: request.headers[Self.targetHeader] ?? "", body: Array(buffer: body))
            return Self.json(.ok, try await service.handle(kinesis).serialized)
        } catch let error as KinesisError {
            return Self.error(error)
        } catch {
            return Self.error(
                KinesisError(name: "InternalFailure", message: "fnhost's store failed: \(error)", status: 500))
        }
    }

    static func error(_ error: KinesisError) -> Response {
        json(HTTPResponse.Status(code: error.status), Array(error.jsonBody.utf8))
    }

    static func json(_ status: HTTPResponse.Status, _ bytes: [UInt8]) -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        headers[requestIDHeader] = UUID().uuidString.lowercased()
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
