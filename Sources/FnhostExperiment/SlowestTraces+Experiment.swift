import FnhostHost
import FnhostTraces

extension SlowestTraces {
    /// Keeps the slowest of every trace `host` records from now on as `level`'s: each experiment calls it on the
    /// fresh host of a level (after its warm-up, when it has one), so the traces of the state machine executions,
    /// queue and stream batches the host records count too.
    func keep(_ host: FunctionHost, level: String) {
        host.traces.onTrace { [self] in offer($0, level: level) }
    }
}
