import FnhostHost
import FnhostManifest
import Foundation
import Subprocess
import TestSupport
import Testing

#if canImport(System)
import System
#else
import SystemPackage
#endif

extension Integration {
    /// The built `fnhost` binary, run as a child process.
    @Suite struct CommandLine {
        static func invoke(_ arguments: [String], input: String? = nil) async throws -> CommandResult {
            try await Command.fnhost(["invoke"] + arguments + ["--functions", Paths.fixtureFunctions], input: input)
        }

        static func isJSON(_ line: String) -> Bool {
            (try? JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])) != nil
        }

        @Test func invokePrintsOneJSONLineOnStandardOutputAndTheLogsOnStandardError() async throws {
            let run = try await Self.invoke(["echo", "--payload", #"{"orgId": "ORG-0042", "log": true}"#])
            #expect(run.exitCode == 0, "\(run.standardError)")
            #expect(run.outputLines.count == 1, "stdout: \(run.standardOutput)")
            let answer = try jsonObject(Array(run.outputLines.first?.utf8 ?? "".utf8))
            #expect((answer["event"] as? [String: Any])?["orgId"] as? String == "ORG-0042")

            let logs = run.standardError.split(separator: "\n").map(String.init)
            let start = try #require(logs.first { $0.hasPrefix("START RequestId: ") })
            let id = String(start.dropFirst("START RequestId: ".count).prefix { $0 != " " })
            #expect(start == "START RequestId: \(id) Version: $LATEST")
            #expect(logs.contains("END RequestId: \(id)"))
            #expect(logs.contains("echo: a line from the function"))
            let report = try #require(logs.first { $0.hasPrefix("REPORT RequestId: \(id)\t") })
            let names: [String] = report.split(separator: "\t").map { field in
                String(field.prefix { $0 != ":" })
            }
            #expect(
                names == [
                    "REPORT RequestId", "Duration", "Billed Duration", "Memory Size", "Max Memory Used",
                    "Init Duration",
                ])
            // Nothing but results on standard output.
            #expect(!run.standardOutput.contains("RequestId"))
        }

        /// `--functions` relative to the current directory works as well as an absolute path.
        @Test func aRelativeFunctionsFolderWorks() async throws {
            let parent = URL(fileURLWithPath: Paths.fixtureFunctions).deletingLastPathComponent().path
            let run = try await Command.fnhost(
                ["invoke", "echo", "--payload", "{}", "--functions", "functions"], workingDirectory: parent)
            #expect(run.exitCode == 0, "\(run.standardOutput) \(run.standardError)")
            #expect(try jsonObject(Array(run.standardOutput.utf8))["count"] as? Int == 1)
        }

        @Test func repeatedInvocationsPrintOneLineEachAndStartWarmAfterTheFirst() async throws {
            let run = try await Self.invoke(["echo", "--payload", "{}", "--repeat", "5", "--concurrency", "2"])
            #expect(run.exitCode == 0, "\(run.standardError)")
            #expect(run.outputLines.count == 5)
            #expect(run.outputLines.allSatisfy(Self.isJSON))
            let pids = Set(try run.outputLines.map { try jsonObject(Array($0.utf8))["pid"] as? Int })
            #expect(pids.count <= 2, "at most two workers for concurrency 2: \(pids)")
            let reports = run.standardError.split(separator: "\n").filter { $0.hasPrefix("REPORT ") }
            #expect(reports.count == 5)
            #expect(reports.filter { $0.contains("\tInit Duration: ") }.count == pids.count)
            #expect(run.standardError.contains("fnhost: 5 invocations of echo"))
        }

        @Test func thePayloadCanComeFromStandardInputOrAFile() async throws {
            let piped = try await Self.invoke(["echo"], input: #"{"from": "stdin"}"#)
            #expect(piped.exitCode == 0)
            #expect(piped.outputLines.count == 1)
            #expect(
                (try jsonObject(Array(piped.standardOutput.utf8))["event"] as? [String: String]) == ["from": "stdin"])

            try await withTemporaryDirectory { dir in
                let file = dir + "/event.json"
                try Data(#"{"from": "file"}"#.utf8).write(to: URL(fileURLWithPath: file))
                let run = try await Self.invoke(["echo", "--event", file])
                #expect(run.exitCode == 0)
                #expect(
                    (try jsonObject(Array(run.standardOutput.utf8))["event"] as? [String: String]) == ["from": "file"])
            }
        }

        @Test func quietPrintsTheResultAndNoLogLines() async throws {
            let run = try await Self.invoke(["echo", "--payload", #"{"log": true}"#, "-q"])
            #expect(run.exitCode == 0)
            #expect(run.outputLines.count == 1)
            #expect(run.standardError.isEmpty, "stderr: \(run.standardError)")
        }

        /// `fnhost invoke … | head -n 1`: once the reader is gone, fnhost ends as a Unix tool does (SIGPIPE, exit
        /// status 141 in the shell), without a crash report, and takes its workers with it.
        @Test func aClosedStandardOutputEndsTheCommandLikeSIGPIPEWithoutACrash() async throws {
            let script =
                #"set -o pipefail; "$0" invoke echo --repeat 200 -q --functions "$1" | head -n 1; echo "status ${PIPESTATUS[0]}" >&2"#
            let result = try await Subprocess.run(
                .path("/bin/bash"), arguments: ["-c", script, try Paths.fnhost, Paths.fixtureFunctions],
                environment: Command.environment, output: .string(limit: 1 << 20), error: .string(limit: 1 << 20))
            let stderr = result.standardError
            #expect(result.standardOutput.split(separator: "\n").count == 1)
            #expect(stderr.contains("status 141"), "\(stderr)")
            #expect(!stderr.contains("Fatal error") && !stderr.contains("crashed"), "\(stderr)")
        }

        @Test func aFunctionErrorPrintsTheErrorObjectAndExits1() async throws {
            let run = try await Self.invoke(["echo", "--payload", #"{"fail": true}"#])
            #expect(run.exitCode == 1)
            #expect(run.outputLines.count == 1)
            let error = try jsonObject(Array(run.standardOutput.utf8))
            #expect(error["errorType"] as? String == "Fixture.Failed")
            #expect(error["errorMessage"] as? String == "asked to fail")
        }

        @Test func anUnknownFunctionIsAServiceErrorAndExits2() async throws {
            let run = try await Self.invoke(["no-such-function", "--payload", "{}"])
            #expect(run.exitCode == 2)
            #expect(run.outputLines.count == 1)
            let body = try jsonObject(Array(run.standardOutput.utf8))
            #expect(body["Type"] as? String == "User")
            #expect((body["message"] as? String)?.contains("no-such-function") == true)
            #expect(run.standardError.contains("ResourceNotFoundException"))
        }

        @Test func aPayloadThatIsNotJSONIsAServiceErrorAndExits2() async throws {
            let run = try await Self.invoke(["echo", "--payload", "{not json"])
            #expect(run.exitCode == 2)
            #expect(run.outputLines.count == 1)
            #expect(run.outputLines.allSatisfy(Self.isJSON))
            #expect(run.standardError.contains("InvalidRequestContentException"))
        }

        @Test func aFunctionsFolderThatCannotBeLoadedIsAConfigurationErrorAndExits3() async throws {
            let missing = try await Command.fnhost([
                "invoke", "echo", "--payload", "{}", "--functions", "/nonexistent/functions",
            ])
            #expect(missing.exitCode == 3)
            #expect(missing.standardError.contains("/nonexistent/functions"))
            #expect(missing.standardOutput.isEmpty)

            try await withTemporaryDirectory { dir in
                try Fixtures.writeManifest(
                    #"{"name": "broken", "command": ["./run"], "memorySize": 64}"#, function: "broken", in: dir)
                let bad = try await Command.fnhost(["invoke", "broken", "--payload", "{}", "--functions", dir])
                #expect(bad.exitCode == 3)
                #expect(bad.standardError.contains(dir + "/broken/function.json"))
                #expect(bad.standardError.contains("memorySize"))
                let listed = try await Command.fnhost(["functions", "--functions", dir])
                #expect(listed.exitCode == 3)
                #expect(listed.standardError.contains("memorySize"))
            }
        }

        @Test func aUsageErrorExits64() async throws {
            let noName = try await Command.fnhost(["invoke"])
            #expect(noName.exitCode == 64)
            let badRepeat = try await Self.invoke(["echo", "--repeat", "0"])
            #expect(badRepeat.exitCode == 64)
            let both = try await Self.invoke(["echo", "--payload", "{}", "--event", "/dev/null"])
            #expect(both.exitCode == 64)
            let unknownFlag = try await Self.invoke(["echo", "--no-such-flag"])
            #expect(unknownFlag.exitCode == 64)
        }

        @Test(arguments: [[], ["invoke"], ["functions"]])
        func helpWorksOnEveryCommand(_ command: [String]) async throws {
            let run = try await Command.fnhost(command + ["--help"])
            #expect(run.exitCode == 0)
            #expect(run.standardOutput.contains("USAGE: fnhost"))
            #expect(run.standardOutput.contains("OPTIONS:"))
            if command == ["invoke"] { #expect(run.standardOutput.contains("Exit codes")) }
            let viaHelp = try await Command.fnhost(["help"] + command)
            #expect(viaHelp.exitCode == 0)
            #expect(viaHelp.standardOutput.contains("USAGE: fnhost"))
        }

        @Test func functionsJSONIsValidJSONWithEveryFunctionsSettings() async throws {
            let run = try await Command.fnhost(["functions", "--json", "--functions", Paths.fixtureFunctions])
            #expect(run.exitCode == 0, "\(run.standardError)")
            let rows = try #require(
                try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [[String: Any]])
            #expect(
                rows.compactMap { $0["name"] as? String } == [
                    "crash-mid-invocation", "echo", "env-dump", "expect-continue",
                    "flaky", "garbage", "hang", "init-error", "limited", "never-asks",
                    "poison", "provisioned", "slow", "sqs-batch", "stream-poison", "wrong-request-id",
                ])
            let echo = try #require(rows.first { $0["name"] as? String == "echo" })
            #expect(echo["memorySize"] as? Int == 128)
            #expect(echo["timeout"] as? Double == 2)
            #expect(echo["reservedConcurrency"] as? Int == 2)
            #expect(echo["command"] as? [String] == ["./bootstrap"])
            #expect(echo["environment"] as? [String: String] == ["GREETING": "hello"])

            let table = try await Command.fnhost(["functions", "--functions", Paths.fixtureFunctions])
            #expect(table.exitCode == 0)
            #expect(table.outputLines.first?.hasPrefix("NAME") == true)
            // The header and one line per fixture function.
            #expect(table.outputLines.count == 1 + rows.count)
        }

        /// The README's promise: `.build/release/fnhost` finds the repository's `functions/` from any directory,
        /// although `.build/release` links to `.build/<triple>/release`, one level deeper than it reads.
        @Test func theBuiltBinaryFindsTheRepositorysFunctionsFromAnyDirectory() async throws {
            let expected = try ManifestLoader.loadAll(directory: Paths.functions).map(\.name)
            let repository = URL(fileURLWithPath: Paths.functions).resolvingSymlinksInPath().path
            try await withTemporaryDirectory { dir in
                let listed = try await Command.fnhost(["functions", "--json"], workingDirectory: dir)
                #expect(listed.exitCode == 0, "\(listed.standardError)")
                let rows = try #require(
                    try JSONSerialization.jsonObject(with: Data(listed.standardOutput.utf8)) as? [[String: Any]])
                #expect(rows.compactMap { $0["name"] as? String } == expected)
                for row in rows {
                    let directory = try #require(row["directory"] as? String)
                    #expect(URL(fileURLWithPath: directory).resolvingSymlinksInPath().path.hasPrefix(repository + "/"))
                }

                let invoked = try await Command.fnhost(
                    ["invoke", "hello-shell", "--payload", #"{"from": "elsewhere"}"#, "-q"], workingDirectory: dir)
                #expect(invoked.exitCode == 0, "\(invoked.standardError)")
                #expect(invoked.outputLines.count == 1, "stdout: \(invoked.standardOutput)")
                let answer = try jsonObject(Array(invoked.standardOutput.utf8))
                #expect(answer["event"] as? [String: String] == ["from": "elsewhere"])
            }
        }

        /// A binary that is not inside a repository, run where there is no `functions/`, says where it looked and
        /// how to name the folder, and exits as a configuration error.
        @Test func withNoFunctionsFolderInSightTheCommandSaysWhereItLookedAndExits3() async throws {
            try await withTemporaryDirectory { dir in
                let binary = dir + "/bin/fnhost"
                try FileManager.default.createDirectory(atPath: dir + "/bin", withIntermediateDirectories: true)
                try FileManager.default.copyItem(atPath: Paths.fnhost, toPath: binary)
                let result = try await Subprocess.run(
                    .path(FilePath(binary)), arguments: ["functions"], environment: Command.environment,
                    workingDirectory: FilePath(dir), output: .string(limit: 1 << 20), error: .string(limit: 1 << 20))
                #expect(result.terminationStatus == .exited(3))
                let stderr = result.standardError
                #expect(stderr.contains("cannot find the functions folder"), "\(stderr)")
                #expect(stderr.contains(URL(fileURLWithPath: dir + "/bin").resolvingSymlinksInPath().path), "\(stderr)")
                #expect(stderr.contains("--functions DIR") && stderr.contains("FNHOST_FUNCTIONS_DIR"), "\(stderr)")
                #expect(!stderr.contains("cannot list the functions directory"), "\(stderr)")
            }
        }

        /// Whatever a worker answers, the result is one line of JSON, so that the output always pipes into `jq`.
        @Test func aResponseThatIsNotJSONStillPrintsExactlyOneJSONLine() async throws {
            let run = try await Self.invoke(["garbage", "--payload", #"{"send": "response-not-json"}"#])
            #expect(run.outputLines.count == 1, "stdout: \(run.standardOutput.debugDescription)")
            #expect(run.outputLines.allSatisfy(Self.isJSON), "stdout: \(run.standardOutput.debugDescription)")
        }
    }
}

/// Where the command looks for `functions/` when no folder is named, on a file system the test makes up.
@Suite struct FunctionsDirectorySearch {
    static func locate(
        currentDirectory: String = "/home/me", executable: String, folders: Set<String>, files: Set<String> = []
    ) throws(FunctionsDirectoryNotFound) -> String {
        try HostConfiguration.locateFunctionsDirectory(
            currentDirectory: currentDirectory, executableDirectory: executable,
            isDirectory: { folders.contains($0) }, isFile: { files.contains($0) })
    }

    @Test func theCurrentDirectorysFunctionsFolderComesFirst() throws {
        let found = try Self.locate(
            executable: "/src/fnhost/.build/x86_64-unknown-linux-gnu/release",
            folders: ["/home/me/functions", "/src/fnhost/functions"], files: ["/src/fnhost/Package.swift"])
        #expect(found == "/home/me/functions")
    }

    /// `.build/release` is a link to `.build/x86_64-unknown-linux-gnu/release`: the repository is three folders up
    /// from the binary's real folder, not two.
    @Test func otherwiseTheRepositoryAboveTheBinarysRealFolderIsFound() throws {
        let found = try Self.locate(
            executable: "/src/fnhost/.build/x86_64-unknown-linux-gnu/release",
            folders: ["/src/fnhost/functions"], files: ["/src/fnhost/Package.swift"])
        #expect(found == "/src/fnhost/functions")
        let debug = try Self.locate(
            executable: "/src/fnhost/.build/debug", folders: ["/src/fnhost/functions"],
            files: ["/src/fnhost/Package.swift"])
        #expect(debug == "/src/fnhost/functions")
    }

    /// A `functions/` folder with no `Package.swift` beside it is somebody else's.
    @Test func aFunctionsFolderWithoutAPackageBesideItIsPassedOver() throws {
        let found = try Self.locate(
            currentDirectory: "/tmp", executable: "/home/me/src/fnhost/.build/x86_64-unknown-linux-gnu/release",
            folders: ["/home/me/functions", "/home/me/src/fnhost/functions"],
            files: ["/home/me/src/fnhost/Package.swift"])
        #expect(found == "/home/me/src/fnhost/functions")
        #expect(throws: FunctionsDirectoryNotFound.self) {
            try Self.locate(currentDirectory: "/tmp", executable: "/home/me/bin", folders: ["/home/me/functions"])
        }
    }

    @Test func whenNothingIsFoundTheErrorNamesEveryFolderTriedAndHowToNameOne() {
        let error = #expect(throws: FunctionsDirectoryNotFound.self) {
            try Self.locate(currentDirectory: "/tmp/x", executable: "/opt/fnhost/bin", folders: [])
        }
        #expect(
            error
                == FunctionsDirectoryNotFound(
                    currentDirectory: "/tmp/x", searched: ["/opt/fnhost/bin", "/opt/fnhost", "/opt", "/"]))
        let message = error?.description ?? ""
        #expect(message.contains("no ./functions in /tmp/x"))
        #expect(message.contains("tried /opt/fnhost/bin, /opt/fnhost, /opt, /"))
        #expect(message.contains("--functions DIR") && message.contains("FNHOST_FUNCTIONS_DIR"))
    }
}
