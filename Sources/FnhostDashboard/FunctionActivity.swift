/// One function's counts as they happen: totals since the host started, the last seconds, and the latencies of
/// the latency window.
struct FunctionActivity: Sendable {
    var totals = DashboardSnapshot.Totals()
    var seconds: RollingWindow<DashboardSnapshot.Second>
    var measured: LatencyWindow
    var withSimulated: LatencyWindow
    /// Whether any latency with simulated overheads was recorded (a function without a profile has none).
    var isSimulated = false

    init(windowSeconds: Int, latency: LatencyWindow) {
        seconds = RollingWindow(capacity: windowSeconds) { DashboardSnapshot.Second(second: $0) }
        measured = latency
        withSimulated = latency
    }
}
