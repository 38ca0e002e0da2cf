import FnhostManifest
import FnhostTemplate
import Foundation

/// A SAM project made runnable: each function of the template becomes the manifest fnhost's host runs, with the
/// command its runtime needs (`bootstrap` for `provided.*`, AWS's runtime interface client for Python).
public struct TemplateProject: Sendable {
    public var application: SAMApplication
    public var manifests: [FunctionManifest]

    /// Loads `file` and prepares every function's runtime (a Python environment is made on first use).
    public static func load(
        file: String, context: SAMTemplate.Context = .init(), python: PythonEnvironments
    ) throws -> TemplateProject {
        var application = try SAMTemplate.load(file: file, context: context)
        var manifests: [FunctionManifest] = []
        var ignored: Set<String> = []
        for function in application.functions {
            let command = try command(for: function, python: python)
            var manifest = function.manifest(command: command, file: "\(file) (\(function.logicalID))")
            // SQS and Kinesis events become the function's event source mappings, as `eventSources` would.
            for source in function.eventSources {
                manifest.eventSources.append(try source.declaration(function: function, file: file, ignored: &ignored))
            }
            manifests.append(manifest)
        }
        if !ignored.isEmpty {
            application.notes.append(
                "fnhost ignores these event properties, which matter on AWS: \(ignored.sorted().joined(separator: ", "))"
            )
        }
        return TemplateProject(application: application, manifests: manifests)
    }

    /// The worker's command line for a function's runtime.
    static func command(for function: SAMFunction, python: PythonEnvironments) throws(RuntimeSetupError) -> [String] {
        let fail = { (reason: String) in RuntimeSetupError(function: function.logicalID, reason: reason) }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: function.codeDirectory, isDirectory: &isFolder), isFolder.boolValue
        else {
            throw fail("Properties.CodeUri: \(function.codeDirectory) is not a folder (build the function first?)")
        }
        switch function.runtime {
        case .provided:
            let bootstrap = function.codeDirectory + "/bootstrap"
            guard access(bootstrap, X_OK) == 0 else {
                throw fail(
                    "Properties.CodeUri: a \(function.runtime) function needs an executable named bootstrap in "
                        + "\(function.codeDirectory)")
            }
            return [bootstrap]
        case .python(let version):
            let requirements = function.codeDirectory + "/requirements.txt"
            let interpreter = try python.interpreter(
                version: version,
                requirements: FileManager.default.fileExists(atPath: requirements) ? requirements : nil,
                function: function.logicalID)
            return [interpreter, "-m", "awslambdaric", function.handler]
        case .node:
            for candidate in [function.codeDirectory + "/node_modules/.bin/aws-lambda-ric"]
                + (PythonEnvironments.onPath("aws-lambda-ric").map { [$0] } ?? [])
            where access(candidate, X_OK) == 0 {
                return [candidate, function.handler]
            }
            throw fail(
                "fnhost runs \(function.runtime) only through AWS's Node runtime interface client: add aws-lambda-ric "
                    + "to the function's package.json (npm install aws-lambda-ric) or put it on the PATH")
        }
    }
}

extension SAMFunction {
    /// The manifest the host runs for this function, its worker started with `command` in its code folder.
    func manifest(command: [String], file: String) -> FunctionManifest {
        var manifest = FunctionManifest(
            name: name, description: description, command: command, handler: handler.isEmpty ? "bootstrap" : handler,
            memorySize: memorySize, timeout: timeout, reservedConcurrency: reservedConcurrency,
            provisionedConcurrency: provisionedConcurrency, routes: routes, environment: environment,
            directory: codeDirectory, file: file)
        manifest.runtime = runtime.description
        return manifest
    }
}
