import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A real OTLP/HTTP collector (`Tests/Fixtures/otlp/collector.py`): Python's HTTP server decoding every export with
/// OpenTelemetry's protobuf schema (opentelemetry-proto from PyPI, in CI's venv), writing one JSON object per span.
final class OTLPCollector: Sendable {
    enum Mode: String, Sendable { case accept, refuse, hang }

    let port: Int
    let output: String
    private let process: Process

    private init(port: Int, output: String, process: Process) {
        self.port = port
        self.output = output
        self.process = process
    }

    var endpoint: String { "http://127.0.0.1:\(port)" }

    static func start(_ mode: Mode, in folder: String) async throws -> OTLPCollector {
        guard let python = Command.find("python3") else { throw TestFailure("python3 is not on PATH") }
        let check = try await Command.run(
            python, ["-c", "import opentelemetry.proto.collector.trace.v1.trace_service_pb2"], timeLimit: 60)
        guard check.exitCode == 0 else {
            throw TestFailure(
                "opentelemetry-proto is not importable by \(python): run scripts/setup --deps (it installs the test tools in .build/test-venv)"
            )
        }
        let output = folder + "/spans-\(mode.rawValue).jsonl"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Paths.fixtures + "/otlp/collector.py", output, mode.rawValue]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        if let identity = ProcessIdentity.current(process.processIdentifier) { ProcessLedger.record([identity]) }
        var line: [UInt8] = []
        let reader = pipe.fileHandleForReading
        while line.last != UInt8(ascii: "\n") {
            let data = reader.readData(ofLength: 1)
            if data.isEmpty { break }
            line += data
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw TestFailure(
                "the OTLP collector did not print its port (got \(String(decoding: line, as: UTF8.self)))")
        }
        return OTLPCollector(port: port, output: output, process: process)
    }

    /// The spans received so far.
    func spans() -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: output, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// Kills it (SIGKILL: a child of the test process may inherit a blocked SIGTERM) and waits for it.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
