/// One Step Functions execution as the store keeps it: the columns it is found by, and its record (JSON written and
/// read by `FnhostStepFunctions`; the store does not look inside).
public struct StoredExecution: Hashable, Sendable {
    public var arn: String
    public var stateMachineArn: String
    /// `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT` or `ABORTED`.
    public var status: String
    /// Epoch milliseconds.
    public var startedAt: Int64
    public var stoppedAt: Int64?
    public var record: [UInt8]

    public init(
        arn: String, stateMachineArn: String, status: String, startedAt: Int64, stoppedAt: Int64?, record: [UInt8]
    ) {
        self.arn = arn
        self.stateMachineArn = stateMachineArn
        self.status = status
        self.startedAt = startedAt
        self.stoppedAt = stoppedAt
        self.record = record
    }
}
