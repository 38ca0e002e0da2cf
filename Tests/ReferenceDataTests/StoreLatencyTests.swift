import FnhostSimulation
import LambdaRuntime
import Testing

@testable import ReferenceData

private func latency(_ env: [String: String], function: String = "org-status") throws(HandlerError) -> StoreLatency {
    try StoreLatency.fromEnvironment(env, function: function)
}

@Suite("StoreLatency: the reference store's simulated delay, from the environment")
struct StoreLatencyTests {
    @Test("defaults: constant 3 ms, real time, seed 0")
    func defaults() throws {
        let l = try latency([:])
        #expect(l.distribution.spec == "constant:3")
        #expect(l.timeScale == .realTime)
        #expect(l.draw().simulatedMs == 3)
    }

    @Test("the spec and time scale are read; the real sleep is the simulated delay times the scale")
    func configured() throws {
        let l = try latency(["FNHOST_REFERENCE_STORE_LATENCY": "constant:8", "FNHOST_TIME_SCALE": "0.5"])
        let delay = l.draw()
        #expect(delay.simulatedMs == 8)
        #expect(delay.realDuration == .milliseconds(4))
    }

    @Test(
        "a value that cannot be used fails Init as InvalidConfiguration naming the variable",
        arguments: [
            ("FNHOST_REFERENCE_STORE_LATENCY", "sometimes:3"), ("FNHOST_TIME_SCALE", "fast"),
            ("FNHOST_TIME_SCALE", "-1"),
            ("FNHOST_SEED", "-1"), ("FNHOST_SEED", "12abc"),
        ]
    )
    func refused(variable: String, value: String) {
        do {
            _ = try latency([variable: value])
            Issue.record("accepted \(variable)=\(value)")
        } catch {
            #expect(error.type == "InvalidConfiguration")
            #expect(error.message.hasPrefix(variable))
        }
    }

    @Test("the same seed and worker draw the same sequence; another worker draws its own")
    func reproducibleStreams() throws {
        let env = [
            "FNHOST_REFERENCE_STORE_LATENCY": "uniform:1..100", "FNHOST_SEED": "7", "FNHOST_WORKER_ID": "org-status-1",
        ]
        let a = try latency(env)
        let b = try latency(env)
        let c = try latency(env.merging(["FNHOST_WORKER_ID": "org-status-2"]) { $1 })
        let drawsA = (0..<20).map { _ in a.draw().simulatedMs }
        #expect(drawsA == (0..<20).map { _ in b.draw().simulatedMs })
        #expect(drawsA != (0..<20).map { _ in c.draw().simulatedMs })
        #expect(a.streamSeed == b.streamSeed && a.streamSeed != c.streamSeed)
        #expect(drawsA.allSatisfy { (1...100).contains($0) })
    }
}
