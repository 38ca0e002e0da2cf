import Foundation

extension FunctionHost {
    /// Now, in milliseconds since the Unix epoch: the unit of `Lambda-Runtime-Deadline-Ms`.
    static func epochMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// Now, as the timestamp Lambda puts in front of a platform log line (`2026-03-01T12:00:00.123Z`).
    static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true)) + "Z"
    }

    /// A new `AWS_LAMBDA_LOG_STREAM_NAME`, in Lambda's form `2026/03/01/[$LATEST]<32 hex digits>`.
    static func logStreamName() -> String {
        let day = Date().formatted(.iso8601.year().month().day().dateSeparator(.dash)).replacingOccurrences(
            of: "-", with: "/")
        return "\(day)/[$LATEST]\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
    }
}
