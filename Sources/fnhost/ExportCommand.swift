import ArgumentParser
import FnhostHost
import FnhostManifest
import FnhostStepFunctions
import FnhostTemplate
import FnhostWire
import Foundation

/// `fnhost export sam`: the way back to AWS. Writes a SAM project (template.yaml and one folder per function with
/// its built bootstrap and data) that `sam build` and `sam deploy` put on Lambda unchanged.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write the project out for deployment elsewhere.",
        subcommands: [SAM.self])

    struct SAM: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sam",
            abstract: "Write a SAM project (template.yaml, one folder per function) for sam build and sam deploy.",
            discussion: """
                Each function becomes an AWS::Serverless::Function on provided.al2023 whose folder holds the built
                bootstrap (a release build is best: swift build -c release) and the function's data; routes become
                HttpApi events; the Redis URL becomes the RedisUrl parameter. Then: cd OUT && sam build && sam deploy --guided.
                """)

        @OptionGroup var host: HostOptions
        @Option(help: ArgumentHelp("The folder to write.", valueName: "dir")) var out = "aws-export"
        @Flag(help: "Replace what is in the folder already.") var force = false

        func run() throws {
            let configuration = try host.hostConfiguration(maxWait: .zero)
            guard configuration.functions == nil else {
                printError("fnhost: this project is a SAM template already: deploy it with sam build && sam deploy")
                throw Exit.configurationError
            }
            let manifests: [FunctionManifest]
            do {
                manifests = try ManifestLoader.loadAll(directory: configuration.functionsDirectory)
            } catch {
                printError("fnhost: \(error)")
                throw Exit.configurationError
            }
            let files = FileManager.default
            if files.fileExists(atPath: out) {
                guard force else {
                    printError("fnhost: \(out) exists: choose another --out, or pass --force to replace it")
                    throw Exit.configurationError
                }
                try files.removeItem(atPath: out)
            }
            try files.createDirectory(atPath: out, withIntermediateDirectories: true)
            var exported: [SAMExport.Function] = []
            for manifest in manifests {
                let folder = "\(out)/\(manifest.name)"
                try files.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try Self.copyData(from: manifest.directory, to: folder)
                let program = manifest.command[0]
                if program.hasPrefix("{build}/") {
                    let built = configuration.buildDirectory + "/" + program.dropFirst("{build}/".count)
                    guard files.isExecutableFile(atPath: built) else {
                        printError("fnhost: \(manifest.name): \(built) is not built: run swift build -c release first")
                        throw Exit.configurationError
                    }
                    try? files.removeItem(atPath: folder + "/bootstrap")
                    try files.copyItem(atPath: built, toPath: folder + "/bootstrap")
                } else if manifest.command.count > 1 || (program as NSString).lastPathComponent != "bootstrap" {
                    printError(
                        "fnhost: \(manifest.name): its command (\(manifest.command.joined(separator: " "))) is not a "
                            + "bootstrap; Lambda's provided.al2023 starts a file named bootstrap with no arguments")
                    throw Exit.configurationError
                }
                let id = SAMExport.logicalID(manifest.name)
                try SAMExport.makefile(logicalID: id).write(
                    toFile: folder + "/Makefile", atomically: true, encoding: .utf8)
                exported.append(SAMExport.Function(manifest: manifest, codeURI: manifest.name + "/"))
            }
            let machines = try Self.exportStateMachines(
                from: StateMachineFile.folder(besideFunctions: configuration.functionsDirectory), to: out,
                functions: Set(manifests.map(\.name)))
            let template = SAMExport(
                functions: exported, stateMachines: machines,
                description: "Exported by fnhost from \(configuration.functionsDirectory)")
            try template.render().write(toFile: out + "/template.yaml", atomically: true, encoding: .utf8)
            print(
                "\(out)/template.yaml: \(exported.count) function(s): \(exported.map(\.manifest.name).joined(separator: ", "))"
            )
            print("next: cd \(out) && sam build && sam deploy --guided   (see the README: \"Deploying to AWS Lambda\")")
        }

        /// The project's `statemachines/`, each definition written to `OUT/statemachines/NAME.asl.json` with the
        /// ARNs of the project's functions made `DefinitionSubstitutions`.
        static func exportStateMachines(
            from folder: String, to out: String, functions: Set<String>
        ) throws -> [SAMExport.StateMachine] {
            let files: [StateMachineFile]
            do { files = try StateMachineFile.loadAll(folder: folder) } catch {
                printError("fnhost: \(error)")
                throw Exit.configurationError
            }
            guard !files.isEmpty else { return [] }
            try FileManager.default.createDirectory(atPath: out + "/statemachines", withIntermediateDirectories: true)
            var machines: [SAMExport.StateMachine] = []
            for file in files {
                let parsed = try JSONValue.parse(file.definitionText)
                let (definition, calls) = SAMExport.substitutingFunctionARNs(parsed, functions: functions)
                let uri = "statemachines/\(file.name).asl.json"
                try Data(definition.serialized).write(to: URL(fileURLWithPath: out + "/" + uri))
                machines.append(
                    SAMExport.StateMachine(name: file.name, type: file.type.rawValue, definitionURI: uri, calls: calls))
            }
            return machines
        }

        /// The function's folder without its manifest and its sources: what it reads at run time.
        static func copyData(from source: String, to destination: String) throws {
            let files = FileManager.default
            guard let items = files.enumerator(atPath: source) else { return }
            for case let item as String in items {
                let from = source + "/" + item
                var isFolder: ObjCBool = false
                _ = files.fileExists(atPath: from, isDirectory: &isFolder)
                let source = [".swift", ".c", ".h", ".cpp", ".hpp"].contains { item.hasSuffix($0) }
                if isFolder.boolValue || item == ManifestLoader.fileName || source { continue }
                let to = destination + "/" + item
                try files.createDirectory(
                    atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try files.copyItem(atPath: from, toPath: to)
            }
        }
    }
}
