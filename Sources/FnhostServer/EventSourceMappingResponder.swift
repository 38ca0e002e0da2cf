import FnhostEventSources
import FnhostHost
import FnhostWire
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The HTTP side of Lambda's event source mapping API, as boto3's `lambda` client calls it (REST-JSON):
/// `POST /2015-03-31/event-source-mappings/` (202), `GET …/` with `EventSourceArn`, `FunctionName`, `Marker`,
/// `MaxItems`, `GET …/{UUID}`, `PUT …/{UUID}` (202) and `DELETE …/{UUID}` (202). Errors as every Lambda
/// `ServiceError` (`x-amzn-ErrorType` and `{"Type":"User","message":…}`), from which boto3 takes the code.
struct EventSourceMappingResponder: Sendable {
    static let pathPrefix = "/2015-03-31/event-source-mappings"
    /// Create and Update bodies are small; Lambda's own limit on a request is 6 MB.
    static let maxBodyBytes = 256 * 1024

    let service: EventSourceMappingService

    static func accepts(_ path: String) -> Bool {
        path == pathPrefix || path.hasPrefix(pathPrefix + "/")
    }

    func respond(to request: Request) async -> Response {
        let rest = request.uri.path.dropFirst(Self.pathPrefix.count).split(separator: "/")
        guard rest.count <= 1 else { return Self.error(MappingError.notFound()) }
        let uuid = rest.first.map { String($0).removingPercentEncoding ?? String($0) }
        do throws(ServiceError) {
            switch (request.method, uuid) {
            case (.post, nil):
                return Self.json(.accepted, try await service.create(try await Self.body(request)))
            case (.get, nil):
                var query: [String: String] = [:]
                for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
                return Self.json(.ok, try await service.list(query: query))
            case (.get, let uuid?):
                return Self.json(.ok, try await service.get(uuid))
            case (.put, let uuid?):
                return Self.json(.accepted, try await service.update(uuid, try await Self.body(request)))
            case (.delete, let uuid?):
                return Self.json(.accepted, try await service.delete(uuid))
            default:
                throw ServiceError(
                    type: "MethodNotAllowedException", status: 405,
                    message: "\(request.method) is not an event source mapping operation on \(request.uri.path)")
            }
        } catch {
            return Self.error(error)
        }
    }

    /// The request's JSON object, or Lambda's `InvalidRequestContentException`.
    static func body(_ request: Request) async throws(ServiceError) -> [String: JSONValue] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBodyBytes)
        } catch {
            throw .tooLarge(size: maxBodyBytes + 1, limit: maxBodyBytes)
        }
        let bytes = Array(buffer: buffer)
        if bytes.isEmpty { return [:] }
        let value: JSONValue
        do { value = try JSONValue.parse(bytes) } catch { throw .invalidContent("\(error)") }
        guard case .object(let object) = value else { throw .invalidContent("expected a JSON object") }
        return object
    }

    static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: value.serialized)))
    }

    static func error(_ error: ServiceError) -> Response { InvokeAPIResponder.serviceError(error) }
}
