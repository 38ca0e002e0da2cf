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

    public var functions: [Function]
    public var description: String

    public init(functions: [Function], description: String) {
        self.functions = functions
        self.description = description
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
            if !m.routes.isEmpty {
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
