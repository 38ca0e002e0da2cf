import ArgumentParser
import FnhostHost
import FnhostStateMachines
import FnhostStates
import FnhostStepFunctions
import FnhostStore
import FnhostWire
import Foundation

extension StatesCommand {
    /// The account in the ARNs `fnhost serve` gives state machines and executions.
    static let account = StepFunctionsService.Environment.defaultAccount

    /// `fnhost states list`: the state machines `fnhost serve` offers: the files of `statemachines/` and those
    /// created through the API (kept in the state folder's store).
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List state machines: the statemachines/ files and those created through the API.",
            discussion: """
                The files are read from the statemachines/ folder beside the functions folder (each validated, as \
                fnhost serve does); machines created with CreateStateMachine from the store of --state-dir. Exit \
                code 3 when a definition is invalid or the store cannot be read.
                """)
        @OptionGroup var host: HostOptions
        @OptionGroup var state: StateDirectoryOption
        @Flag(help: "Print JSON, one state machine per line.") var json = false

        func run() async throws {
            let configuration = try host.hostConfiguration(maxWait: .seconds(1))
            let folder = StateMachineFile.folder(besideFunctions: configuration.functionsDirectory)
            var rows: [(name: String, type: StateMachineType, origin: String, fields: [String: JSONValue])] = []
            do {
                for file in try StateMachineFile.loadAll(folder: folder) {
                    let path = folder + "/" + file.name + ".asl.json"
                    rows.append((file.name, file.type, path, ["file": .string(path)]))
                }
            } catch {
                printError("fnhost: \(error)")
                throw Exit.configurationError
            }
            let store = try await state.store()
            let stored: [StoredMachine]
            do {
                stored = try await DurableExecutionStore(store: store, problem: { printError($0) }).machines()
            } catch {
                await store.close()
                printError("fnhost: \(error)")
                throw Exit.configurationError
            }
            await store.close()
            for machine in stored where !rows.contains(where: { $0.name == machine.name }) {
                let created = machine.creationDate.rfc3339
                rows.append((machine.name, machine.type, "created " + created, ["creationDate": .string(created)]))
            }
            rows.sort { $0.name < $1.name }
            if !json && rows.isEmpty { print("no state machines (none in \(folder), none created through the API)") }
            for row in rows {
                if json {
                    var fields = row.fields
                    fields["name"] = .string(row.name)
                    fields["type"] = .string(row.type.rawValue)
                    fields["stateMachineArn"] = .string(
                        StepFunctionsARN.stateMachine(
                            region: configuration.region, account: StatesCommand.account, name: row.name))
                    print(String(decoding: JSONValue.object(fields).serialized, as: UTF8.self))
                } else {
                    print("\(row.name)  \(row.type.rawValue)  \(row.origin)")
                }
            }
        }
    }

    /// `fnhost states executions NAME`: a state machine's STANDARD executions kept in the state folder, newest first.
    struct Executions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a state machine's executions (STANDARD ones, kept by fnhost serve), newest first.",
            discussion: """
                Read from the store of --state-dir, which fnhost serve may be using at the same time. EXPRESS \
                executions are not kept (as on AWS), so none are listed. Exit code 3 when the store cannot be read.
                """)
        @Argument(help: "The state machine's name (or ARN).") var name: String
        @Option(
            help: ArgumentHelp(
                "Only executions of this status: RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED.", valueName: "status"
            ))
        var status: String?
        @OptionGroup var state: StateDirectoryOption
        @Option(help: ArgumentHelp("The region of the ARNs. [env: AWS_REGION] (default: us-east-1)"))
        var region: String?
        @Flag(help: "Print JSON, one execution per line.") var json = false

        static let statuses = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]

        func validate() throws {
            if let status, !Self.statuses.contains(status) {
                throw ValidationError("--status must be one of \(Self.statuses.joined(separator: ", ")), not \(status)")
            }
        }

        func run() async throws {
            let region =
                region ?? ProcessInfo.processInfo.environment["AWS_REGION"].flatMap { $0.isEmpty ? nil : $0 }
                ?? "us-east-1"
            let arn =
                StepFunctionsARN.stateMachineName(name) != nil
                ? name : StepFunctionsARN.stateMachine(region: region, account: StatesCommand.account, name: name)
            let store = try await state.store()
            let records: [ExecutionRecord]
            do {
                records = try await DurableExecutionStore(store: store, problem: { printError($0) }).records(
                    stateMachineArn: arn)
            } catch {
                await store.close()
                printError("fnhost: \(error)")
                throw Exit.configurationError
            }
            await store.close()
            let shown = records.filter { status == nil || $0.status == status }
            if !json && shown.isEmpty { print("no executions of \(arn)" + (status.map { " with status \($0)" } ?? "")) }
            for record in shown {
                let start = record.identity.startTime.rfc3339
                let stop = record.stopDate?.rfc3339
                if json {
                    var fields: [String: JSONValue] = [
                        "name": .string(record.identity.name), "executionArn": .string(record.identity.executionArn),
                        "status": .string(record.status), "startDate": .string(start),
                    ]
                    if let stop { fields["stopDate"] = .string(stop) }
                    if let error = record.error, !error.name.isEmpty { fields["error"] = .string(error.name) }
                    print(String(decoding: JSONValue.object(fields).serialized, as: UTF8.self))
                } else {
                    print(
                        "\(record.identity.name)  \(record.status)  started \(start)"
                            + (stop.map { "  stopped \($0)" } ?? "")
                            + (record.error.map { $0.name.isEmpty ? "" : "  \($0.name)" } ?? ""))
                }
            }
        }
    }
}
