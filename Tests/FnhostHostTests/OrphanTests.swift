import FnhostHost
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

extension Processes {
    /// Every live process in a process group (a worker runs in its own group, with its launcher's watcher and
    /// whatever it started).
    static func group(_ pgid: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            // After the command: state, ppid, pgrp.
            return fields.count > 2 && Int32(fields[2]) == pgid && fields[0] != "Z" && fields[0] != "X"
        }
    }

    /// Waits until no process is left in any of the groups.
    static func groupsGone(_ groups: [Int32], within limit: Duration) async -> Bool {
        await eventually(within: limit) { groups.allSatisfy { group($0).isEmpty } }
    }
}

extension Integration {
    @Suite struct NoOrphans {
        @Test func afterShutdownNoWorkerIsAliveAndInFlightInvocationsEnd() async throws {
            try Paths.requireBuilt("fnhost-launch")
            try await withTemporaryDirectory { state in
                let configuration = HostConfiguration(
                    functionsDirectory: Paths.fixtureFunctions, buildDirectory: Paths.buildDirectory,
                    workerEnvironment: ["FIXTURE_STATE_DIR": state])
                let host = try FunctionHost(configuration: configuration, sink: CollectingSink())
                let idle: InvocationResult
                let recorded: [String: Int32]
                let hanging = (0..<2).map { _ in
                    Task { try await host.invoke("hang", #"{"hang":true}"#) }
                }
                do {
                    idle = try await host.invoke("echo", "{}")
                    // echo's worker, the two hanging workers and their children (worker names are numbered across
                    // the host: echo-N, hang-N).
                    #expect(await eventually(within: .seconds(5)) { Fixtures.recordedPIDs(in: state).count == 5 })
                    recorded = Fixtures.recordedPIDs(in: state)
                } catch {
                    await host.shutdown()
                    throw error
                }
                let pids = Array(recorded.values)
                let workers = recorded.filter { !$0.key.hasSuffix("-child") }.map(\.value)
                #expect(workers.contains { $0 == idle.workerPID })
                #expect(pids.count == 5, "echo, two hanging workers and their children: \(recorded)")
                #expect(pids.allSatisfy(Processes.isRunning))

                await host.shutdown()
                let stillRunning = pids.filter(Processes.isRunning)
                #expect(stillRunning.isEmpty, "alive after shutdown: \(stillRunning)")
                #expect(await Processes.groupsGone(workers, within: .milliseconds(500)))

                // The invocations that were running end (their worker was stopped), well before their timeout.
                for task in hanging {
                    let result = try await task.value
                    #expect(try result.functionError().errorType == "Runtime.ExitError")
                }
                do throws(ServiceError) {
                    _ = try await host.invoke("echo", "{}")
                    Issue.record("a host that was shut down ran an invocation")
                } catch {
                    #expect(error.status == 503)
                }
            }
        }

        struct Kill: Sendable, CustomTestStringConvertible {
            var signal: Subprocess.Signal
            var name: String
            var testDescription: String { name }
        }

        @Test(arguments: [
            Kill(signal: .kill, name: "SIGKILL"), Kill(signal: .terminate, name: "SIGTERM"),
            Kill(signal: .interrupt, name: "SIGINT"),
        ])
        func whenTheFnhostProcessIsKilledItsWorkersAreGoneWithinASecond(_ kill: Kill) async throws {
            try await withTemporaryDirectory { dir in
                let state = dir + "/state"
                try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
                let functions = try Fixtures.install(
                    ["hang"], into: dir,
                    overrides: [
                        "hang": ["timeout": .number(60), "environment": .object(["FIXTURE_STATE_DIR": .string(state)])]
                    ])
                let run = try await Subprocess.run(
                    .path(FilePath(try Paths.fnhost)),
                    arguments: ["invoke", "hang", "--payload", #"{"hang":true}"#, "--functions", functions, "-q"],
                    environment: Command.environment, input: .none, output: .discarded, error: .discarded
                ) { execution -> (worker: Int32?, child: Int32?, gone: Bool, took: Duration) in
                    var pids: [String: Int32] = [:]
                    let started = await eventually(within: .seconds(10)) {
                        pids = Fixtures.recordedPIDs(in: state)
                        return pids["hang-1"] != nil && pids["hang-1-child"] != nil
                    }
                    guard started, let worker = pids["hang-1"], let child = pids["hang-1-child"] else {
                        try? execution.send(signal: .kill)
                        return (nil, nil, false, .zero)
                    }
                    try execution.send(signal: kill.signal)
                    let (gone, took) = await measure {
                        await Processes.allGone([worker, child], within: .seconds(1))
                    }
                    return (worker, child, gone, took)
                }
                let outcome = run.closureResult
                let worker = try #require(outcome.worker, "the hanging worker never recorded its pid")
                #expect(outcome.gone, "\(kill.name) to fnhost left its worker \(worker) or its child running")
                #expect(run.terminationStatus == .signaled(kill.signal.rawValue))
                // Nothing of the worker's process group (its launcher's watcher included) is left.
                #expect(await Processes.groupsGone([worker], within: .seconds(1)), "left: \(Processes.group(worker))")
                // Clean up after a failure, so that no test leaves a process behind.
                for pid in [outcome.worker, outcome.child].compactMap({ $0 }) where Processes.isRunning(pid) {
                    _ = Glibc.kill(pid, SIGKILL)
                }
            }
        }

        @Test func whenFnhostExitsNormallyItsWorkersAreGone() async throws {
            try await withTemporaryDirectory { dir in
                let state = dir + "/state"
                try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
                let functions = try Fixtures.install(
                    ["echo"], into: dir,
                    overrides: [
                        "echo": ["environment": .object(["FIXTURE_STATE_DIR": .string(state)])]
                    ])
                let result = try await Command.fnhost(
                    [
                        "invoke", "echo", "--payload", #"{"sleep":0.2}"#, "--repeat", "4", "--concurrency", "2",
                        "--functions", functions, "-q",
                    ])
                #expect(result.exitCode == 0, "\(result.standardError)")
                let pids = Array(Fixtures.recordedPIDs(in: state).values)
                #expect(pids.count == 2)
                let running = pids.filter(Processes.isRunning)
                #expect(running.isEmpty, "workers alive after fnhost exited: \(running)")
                #expect(await Processes.groupsGone(pids, within: .milliseconds(500)))
            }
        }
    }
}
