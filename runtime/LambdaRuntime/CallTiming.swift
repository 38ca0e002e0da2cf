import FnhostWire

/// What one call to another function (or through API Gateway) cost, as its caller saw it: measured wall time, the
/// part of it the host slept for simulated delays, and those delays at full size.
///
/// It exists so that a caller such as an orchestrator can report each branch honestly under a time scale: what it
/// measured on this machine (``measuredMs``) and what it would have waited on Lambda (``latencyMs``).
public struct CallTiming: Sendable, Equatable, Codable {
    /// Measured: the call's wall time, less the real time the host slept for simulated delays.
    public var measuredMs: Double
    /// Simulated: every simulated millisecond of the call (cold start, invoke overhead, gateway, nested calls).
    public var simulatedMs: Double
    /// Measured: the call's whole wall time on this machine (scaled sleeps included).
    public var wallMs: Double

    public init(measuredMs: Double, simulatedMs: Double, wallMs: Double) {
        self.measuredMs = measuredMs
        self.simulatedMs = simulatedMs
        self.wallMs = wallMs
    }

    /// What the caller would have waited on Lambda: measured + simulated.
    public var latencyMs: Double { measuredMs + simulatedMs }

    /// The timing of a call that took `wall` and whose answer carried `simulated` (nil: nothing simulated).
    init(wall: Duration, simulated: SimulatedTime?) {
        let wallMs = wall.inMilliseconds
        let s = simulated ?? .zero
        self.init(measuredMs: max(0, wallMs - s.sleptMs), simulatedMs: s.simulatedMs, wallMs: wallMs)
    }

    enum CodingKeys: String, CodingKey {
        case measuredMs, simulatedMs, wallMs, latencyMs
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            measuredMs: try c.decode(Double.self, forKey: .measuredMs),
            simulatedMs: try c.decode(Double.self, forKey: .simulatedMs),
            wallMs: try c.decode(Double.self, forKey: .wallMs))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(measuredMs, forKey: .measuredMs)
        try c.encode(simulatedMs, forKey: .simulatedMs)
        try c.encode(latencyMs, forKey: .latencyMs)
        try c.encode(wallMs, forKey: .wallMs)
    }
}
