import FnhostWire
import Foundation
import Subprocess
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif
#if canImport(System)
import System
#else
import SystemPackage
#endif

extension Integration {
    @Suite struct Robustness {
        /// Opens a TCP connection to 127.0.0.1:port and leaves it open; nil if refused or not accepted in time.
        static func connectLoopback(port: Int) -> Int32? {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { return nil }
            // A full backlog must not stall the loop: give up on a connection after 200 ms (Linux applies the send
            // timeout to connect).
            var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
            _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else {
                close(fd)
                return nil
            }
            return fd
        }

        /// The worker's Runtime API port, from its environment (which any process of the same user can read).
        static func runtimeAPIPort(of pid: Int32) -> Int? {
            guard let environ = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ")) else { return nil }
            return environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                .first { $0.hasPrefix("AWS_LAMBDA_RUNTIME_API=") }?
                .split(separator: ":").last.flatMap { Int($0) }
        }

        /// A worker is stopped (here on its timeout) while connections to its Runtime API endpoint keep arriving:
        /// the host must discard the worker and answer, never crash. The endpoint is stopped by cancelling its
        /// server task, which traps in NIO ("Deinited NIOAsyncWriter without calling finish()") when a connection
        /// was accepted but not yet served. It runs in a child `fnhost`, so that a crash cannot take the tests
        /// down, and a few times, since it is a race.
        @Test func theHostSurvivesConnectionsArrivingWhileAWorkerEndpointStops() async throws {
            try await withTemporaryDirectory { dir in
                let state = dir + "/state"
                try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
                let functions = try Fixtures.install(
                    ["hang"], into: dir,
                    overrides: [
                        "hang": ["environment": .object(["FIXTURE_STATE_DIR": .string(state)])]
                    ])
                for attempt in 1...6 {
                    for name in (try? FileManager.default.contentsOfDirectory(atPath: state)) ?? [] {
                        try? FileManager.default.removeItem(atPath: state + "/" + name)
                    }
                    let run = try await Subprocess.run(
                        .path(FilePath(try Paths.fnhost)),
                        arguments: ["invoke", "hang", "--payload", #"{"hang":true}"#, "--functions", functions, "-q"],
                        environment: Command.environment, input: .none, output: .discarded,
                        error: .string(limit: 1 << 20)
                    ) { execution -> Int in
                        var pid: Int32?
                        guard
                            await eventually(
                                within: .seconds(10),
                                {
                                    pid = Fixtures.recordedPIDs(in: state)["hang-1"]
                                    return pid != nil
                                }), let worker = pid, let port = Self.runtimeAPIPort(of: worker)
                        else {
                            try? execution.send(signal: .kill)
                            return 0
                        }
                        // Keep connecting (and holding up to 200 connections) until the timeout has stopped the
                        // worker and a little after.
                        var held: [Int32] = []
                        var opened = 0
                        let deadline = ContinuousClock.now + .seconds(4)
                        var goneAt: ContinuousClock.Instant?
                        while ContinuousClock.now < deadline {
                            if let fd = Self.connectLoopback(port: port) {
                                held.append(fd)
                                opened += 1
                                if held.count > 200 { close(held.removeFirst()) }
                            }
                            if goneAt == nil, !Processes.isRunning(worker) { goneAt = .now }
                            if let goneAt, ContinuousClock.now - goneAt > .milliseconds(500) { break }
                        }
                        for fd in held { _ = close(fd) }
                        return opened
                    }
                    #expect(run.closureResult > 0, "attempt \(attempt): never reached the worker's endpoint")
                    let crashed = run.standardError.contains("Fatal error")
                    #expect(
                        run.terminationStatus == .exited(1) && !crashed,
                        "attempt \(attempt): fnhost ended with \(run.terminationStatus): \(run.standardError.prefix(300))"
                    )
                    if run.terminationStatus != .exited(1) || crashed { break }
                }
            }
        }
    }
}
