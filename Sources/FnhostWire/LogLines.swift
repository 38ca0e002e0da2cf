/// The platform's log lines that frame every invocation, exactly as Lambda writes them to CloudWatch:
/// `START`, `END` and `REPORT`, fields separated by tabs.
///
/// fnhost appends its own fields to `REPORT` after Lambda's, each named with an `fnhost` prefix and its unit, so that
/// tools that parse Lambda's fields keep working and a reader can tell measured from simulated time.
public enum LogLines {
    public static func start(requestID: String, version: String = "$LATEST") -> String {
        "START RequestId: \(requestID) Version: \(version)"
    }

    public static func end(requestID: String) -> String {
        "END RequestId: \(requestID)"
    }

    public static func report(_ r: Report) -> String {
        var fields = [
            "REPORT RequestId: \(r.requestID)",
            "Duration: \(milliseconds(r.durationMs)) ms",
            "Billed Duration: \(r.billedDurationMs) ms",
            "Memory Size: \(r.memorySizeMB) MB",
            "Max Memory Used: \(r.maxMemoryUsedMB) MB",
        ]
        if let initMs = r.initDurationMs { fields.append("Init Duration: \(milliseconds(initMs)) ms") }
        for (name, value) in r.extraFields { fields.append("\(name): \(value)") }
        if let status = r.status { fields.append("Status: \(status)") }
        return fields.joined(separator: "\t")
    }

    /// Two decimals, as Lambda prints durations.
    public static func milliseconds(_ ms: Double) -> String {
        let hundredths = Int((ms * 100).rounded())
        let frac = hundredths % 100
        return "\(hundredths / 100).\(frac < 10 ? "0" : "")\(frac)"
    }

    /// The fields of one `REPORT` line.
    public struct Report: Sendable, Equatable {
        public var requestID: String
        /// Measured: from handing the event to the worker until its answer arrived.
        public var durationMs: Double
        public var memorySizeMB: Int
        /// Measured: the worker process's peak resident set (VmHWM), in MB.
        public var maxMemoryUsedMB: Int
        /// Measured: from spawning the worker until it asked for its first event; only on a cold start.
        public var initDurationMs: Double?
        /// fnhost's own fields, appended after Lambda's in this order.
        public var extraFields: [(String, String)]
        /// `timeout` or `error` when the invocation did not complete, as Lambda adds for the same cases.
        public var status: String?

        public init(
            requestID: String, durationMs: Double, memorySizeMB: Int, maxMemoryUsedMB: Int,
            initDurationMs: Double? = nil, extraFields: [(String, String)] = [], status: String? = nil
        ) {
            self.requestID = requestID
            self.durationMs = durationMs
            self.memorySizeMB = memorySizeMB
            self.maxMemoryUsedMB = maxMemoryUsedMB
            self.initDurationMs = initDurationMs
            self.extraFields = extraFields
            self.status = status
        }

        /// Lambda bills the duration rounded up to the next millisecond.
        public var billedDurationMs: Int { max(1, Int(durationMs.rounded(.up))) }

        public static func == (a: Report, b: Report) -> Bool {
            a.requestID == b.requestID && a.durationMs == b.durationMs && a.memorySizeMB == b.memorySizeMB
                && a.maxMemoryUsedMB == b.maxMemoryUsedMB && a.initDurationMs == b.initDurationMs
                && a.extraFields.map { $0.0 + "=" + $0.1 } == b.extraFields.map { $0.0 + "=" + $0.1 }
                && a.status == b.status
        }
    }
}
