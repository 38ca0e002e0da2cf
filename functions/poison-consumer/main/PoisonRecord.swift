import FnhostWire
import Foundation
import LambdaRuntime

/// One record of Lambda's SQS or Kinesis event, as the poison consumer reads it.
struct PoisonRecord: Sendable {
    var id: String
    var poison: Bool
    var partial: Bool
    /// What `batchItemFailures` names: the SQS `messageId`, or the Kinesis `sequenceNumber`.
    var itemIdentifier: String
    var source: String

    static func records(of event: JSONValue) throws -> [PoisonRecord] {
        guard case .object(let root) = event, case .array(let items)? = root["Records"] else {
            throw HandlerError(type: "InvalidEvent", message: "expected Lambda's SQS or Kinesis event (Records)")
        }
        return try items.map(record)
    }

    static func record(_ item: JSONValue) throws -> PoisonRecord {
        guard case .object(let fields) = item else { throw invalid("a record is not an object") }
        let body: String
        let identifier: String
        let source: String
        if case .object(let kinesis)? = fields["kinesis"] {
            guard case .string(let data)? = kinesis["data"], let bytes = Data(base64Encoded: data),
                case .string(let sequence)? = kinesis["sequenceNumber"]
            else { throw invalid("a Kinesis record without base64 data or a sequence number") }
            body = String(decoding: bytes, as: UTF8.self)
            identifier = sequence
            source = "kinesis"
        } else {
            guard case .string(let text)? = fields["body"], case .string(let messageID)? = fields["messageId"] else {
                throw invalid("an SQS record without body or messageId")
            }
            body = text
            identifier = messageID
            source = "sqs"
        }
        guard case .object(let message)? = try? JSONValue.parse(body), case .string(let id)? = message["id"] else {
            throw invalid("a body that is not {\"id\": …}: \(body.prefix(100))")
        }
        return PoisonRecord(
            id: id, poison: message["poison"] == .bool(true), partial: message["partial"] == .bool(true),
            itemIdentifier: identifier, source: source)
    }

    static func invalid(_ message: String) -> HandlerError { HandlerError(type: "InvalidEvent", message: message) }
}
