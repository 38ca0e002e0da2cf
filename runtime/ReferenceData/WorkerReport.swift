/// The `worker` object of an answer: `{"id", "pid", "invocations"}`.
public struct WorkerReport: Encodable, Sendable {
    let id: String
    let pid: Int32
    /// Invocations this worker has served, this one included.
    let invocations: Int
}
