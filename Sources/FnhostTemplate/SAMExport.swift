import FnhostManifest
import FnhostWire

/// Writes the SAM template that puts a project's functions on AWS Lambda: the way back from fnhost to the engine
/// its functions were written for. Pure: it renders text from manifests; `fnhost export sam` copies the code.
public struct SAMExport: Sendable {
    /// One function as it will be deployed.
    public struct Function: Sendable {
        public var manifest: FunctionManifest
        /// `CodeUri`, relative to the template: a folder holding `bootstrap` (and the function's data), or the
        /// code folder of a Python function.
        public var codeURI: String
        /// `provided.al2023`, or the template's own runtime for functions that came from one.
        public var runtime: String

        public init(manifest: FunctionManifest, codeURI: String, runtime: String = "provided.al2023") {
            self.manifest = manifest
            self.codeURI = codeURI
            self.runtime = runtime
        }
    }

    /// One state machine as it will be deployed: its definition file beside the template, and the project's
    /// functions it calls, whose ARNs become `DefinitionSubstitutions` (fnhost's account and region are not AWS's).
    public struct StateMachine: Sendable {
        public var name: String
        /// `STANDARD` or `EXPRESS`.
        public var type: String
        /// `DefinitionUri`, relative to the template.
        public var definitionURI: String
        /// Function name → the substitution variable that stands for its ARN in the definition.
        public var calls: [String: String]

        public init(name: String, type: String, definitionURI: String, calls: [String: String]) {
            self.name = name
            self.type = type
            self.definitionURI = definitionURI
            self.calls = calls
        }
    }

    public var functions: [Function]
    public var stateMachines: [StateMachine]
    public var description: String

    public init(functions: [Function], stateMachines: [StateMachine] = [], description: String) {
        self.functions = functions
        self.stateMachines = stateMachines
        self.description = description
    }

    /// A definition with every full ARN of a project function (`arn:aws:lambda:…:function:NAME[:QUALIFIER]`) in
    /// its strings replaced by `${NameArn}`, and the function → variable pairs used. Names and other ARNs stay.
    public static func substitutingFunctionARNs(_ definition: JSONValue, functions: Set<String>) -> (
        definition: JSONValue, calls: [String: String]
    ) {
        var calls: [String: String] = [:]
        func walk(_ value: JSONValue) -> JSONValue {
            switch value {
            case .string(let s):
                guard s.hasPrefix("arn:"), let reference = FunctionReference(parsing: s),
                    functions.contains(reference.name)
                else { return value }
                let variable = logicalID(reference.name) + "Arn"
                calls[reference.name] = variable
                return .string("${\(variable)}")
            case .array(let items): return .array(items.map(walk))
            case .object(let fields): return .object(fields.mapValues(walk))
            default: return value
            }
        }
        let result = walk(definition)
        return (result, calls)
    }

    /// `org-status` → `OrgStatus`: CloudFormation's logical ids are alphanumeric.
    public static func logicalID(_ name: String) -> String {
        name.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined()
    }

    /// The `Makefile` `sam build` runs for a provided-runtime function's folder: copy what is there.
    public static func makefile(logicalID: String) -> String {
        "build-\(logicalID):\n\tcp -R $(filter-out Makefile,$(wildcard *)) $(ARTIFACTS_DIR)/\n"
    }

    /// The template's text (YAML; strings double-quoted with JSON's escapes, which YAML reads the same).
    public func render() -> String {
        let q = JSONText.quote
        var lines = [
            "AWSTemplateFormatVersion: \"2010-09-09\"",
            "Transform: AWS::Serverless-2016-10-31",
            "Description: \(q(description))",
            "",
            "Parameters:",
            "  RedisUrl:",
            "    Type: String",
            "    Default: \"\"",
            "    Description: \"The shared cache tier (redis://HOST:PORT), e.g. an ElastiCache endpoint reachable from the functions' VPC; empty for per-worker memory only\"",
            "",
            "Conditions:",
            "  HasRedis: !Not [!Equals [!Ref RedisUrl, \"\"]]",
            "",
            "Resources:",
        ]
        let names = Set(functions.map(\.manifest.name))
        for function in functions.sorted(by: { $0.manifest.name < $1.manifest.name }) {
            let m = function.manifest
            let id = Self.logicalID(m.name)
            lines += ["  \(id):", "    Type: AWS::Serverless::Function"]
            if function.runtime.hasPrefix("provided") {
                // `sam build` runs the folder's Makefile, which copies the prebuilt bootstrap and data.
                lines += ["    Metadata:", "      BuildMethod: makefile"]
            }
            lines += [
                "    Properties:",
                "      FunctionName: \(q(m.name))",
            ]
            if !m.description.isEmpty { lines.append("      Description: \(q(m.description))") }
            lines += [
                "      Runtime: \(function.runtime)",
                "      Handler: \(q(m.handler))",
                "      CodeUri: \(q(function.codeURI))",
                "      MemorySize: \(m.memorySize)",
                "      Timeout: \(Int(m.timeout.rounded(.up)))",
                "      Architectures: [x86_64]",
            ]
            if let reserved = m.reservedConcurrency { lines.append("      ReservedConcurrentExecutions: \(reserved)") }
            if m.provisionedConcurrency > 0 {
                lines += [
                    "      AutoPublishAlias: live",
                    "      ProvisionedConcurrencyConfig:",
                    "        ProvisionedConcurrentExecutions: \(m.provisionedConcurrency)",
                ]
            }
            lines += ["      Environment:", "        Variables:"]
            for key in m.environment.keys.sorted() { lines.append("          \(key): \(q(m.environment[key]!))") }
            lines.append("          FNHOST_REDIS_URL: !If [HasRedis, !Ref RedisUrl, !Ref AWS::NoValue]")
            // Functions call each other through Lambda's Invoke API: allow it within the project.
            let others = names.subtracting([m.name]).sorted()
            if !others.isEmpty {
                lines.append("      Policies:")
                for other in others {
                    lines += ["        - LambdaInvokePolicy:", "            FunctionName: \(q(other))"]
                }
            }
            if !m.routes.isEmpty || !m.eventSources.isEmpty {
                lines.append("      Events:")
                for (i, route) in m.routes.enumerated() {
                    lines += ["        Route\(i + 1):", "          Type: HttpApi"]
                    if route == "$default" { continue }
                    let parts = route.split(separator: " ", maxSplits: 1)
                    guard parts.count == 2 else { continue }
                    lines += [
                        "          Properties:",
                        "            Method: \(parts[0] == "ANY" ? "ANY" : String(parts[0]))",
                        "            Path: \(q(String(parts[1])))",
                    ]
                }
                lines += Self.eventLines(m.eventSources)
            }
        }
        lines += sourceResourceLines()
        for machine in stateMachines.sorted(by: { $0.name < $1.name }) {
            lines += [
                "  \(Self.logicalID(machine.name))StateMachine:",
                "    Type: AWS::Serverless::StateMachine",
                "    Properties:",
                "      Name: \(q(machine.name))",
                "      Type: \(machine.type)",
                "      DefinitionUri: \(q(machine.definitionURI))",
            ]
            if !machine.calls.isEmpty {
                lines.append("      DefinitionSubstitutions:")
                for name in machine.calls.keys.sorted() {
                    lines.append("        \(machine.calls[name]!): !GetAtt \(Self.logicalID(name)).Arn")
                }
                lines.append("      Policies:")
                for name in machine.calls.keys.sorted() {
                    lines += ["        - LambdaInvokePolicy:", "            FunctionName: \(q(name))"]
                }
            }
        }
        if functions.contains(where: { !$0.manifest.routes.isEmpty }) {
            lines += [
                "",
                "Outputs:",
                "  HttpApiUrl:",
                "    Description: \"The HTTP API that serves the functions' routes\"",
                "    Value: !Sub \"https://${ServerlessHttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/\"",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
