/// What a caller reads of the `eligibility` function's answer: the decision, the slowest branch, the handler's
/// duration as Lambda would bill it, and each branch's latency. The function also writes its answer to its log as
/// one line, ``logPrefix`` + the answer's JSON, which is how an asynchronous caller reads the decision later.
///
/// It exists so that `fnhost experiment architectures` and the tests read the orchestrator's answers (bytes from a
/// worker process) through one strict, fuzzed parser.
public struct EligibilitySummary: Sendable, Equatable {
    /// What starts the log line that carries an answer.
    public static let logPrefix = "eligibility answer "

    /// One branch as the orchestrator timed it.
    public struct Branch: Sendable, Equatable {
        public var measuredMs: Double
        public var simulatedMs: Double
        public var latencyMs: Double
        public var cache: String?
    }

    public var requestID: String
    public var decision: String
    public var slowestBranch: String
    public var durationOnLambdaMs: Double
    /// Measured: the handler's wall time on this machine (branch sleeps included, scaled).
    public var handlerMs: Double
    public var offset: String
    public var branches: [String: Branch]

    /// Why bytes are not an eligibility answer.
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case notJSON(String)
        case badField(String)

        public var description: String {
            switch self {
            case .notJSON(let why): "eligibility answer: not JSON: \(why)"
            case .badField(let name): "eligibility answer: field \"\(name)\" is missing or of the wrong type"
            }
        }
    }

    /// Reads an answer (the function's JSON).
    public init(parsing bytes: some Collection<UInt8>) throws(ParseError) {
        let value: JSONValue
        do { value = try JSONValue.parse(bytes) } catch { throw .notJSON("\(error)") }
        guard case .object(let object) = value else { throw .badField("(the answer itself)") }
        func text(_ o: [String: JSONValue], _ name: String) throws(ParseError) -> String {
            guard case .string(let s)? = o[name] else { throw .badField(name) }
            return s
        }
        func number(_ o: [String: JSONValue], _ name: String) throws(ParseError) -> Double {
            guard case .number(let n)? = o[name], n.isFinite, n >= 0 else { throw .badField(name) }
            return n
        }
        requestID = try text(object, "requestId")
        decision = try text(object, "decision")
        slowestBranch = try text(object, "slowestBranch")
        durationOnLambdaMs = try number(object, "durationOnLambdaMs")
        handlerMs = try number(object, "handlerMs")
        offset = try text(object, "offset")
        guard case .object(let branchObjects)? = object["branches"] else { throw .badField("branches") }
        var branches: [String: Branch] = [:]
        for (name, entry) in branchObjects {
            guard case .object(let b) = entry else { throw .badField("branches.\(name)") }
            var cache: String?
            switch b["cache"] {
            case nil, .null?: cache = nil
            case .string(let s)?: cache = s
            default: throw .badField("branches.\(name).cache")
            }
            branches[name] = Branch(
                measuredMs: try number(b, "measuredMs"), simulatedMs: try number(b, "simulatedMs"),
                latencyMs: try number(b, "latencyMs"), cache: cache)
        }
        guard branches[slowestBranch] != nil else { throw .badField("slowestBranch") }
        self.branches = branches
    }

    /// Reads a log line of the function (nil when it is not an answer line or does not parse).
    public init?(logLine: String) {
        guard logLine.hasPrefix(Self.logPrefix) else { return nil }
        guard let parsed = try? Self(parsing: Array(logLine.utf8.dropFirst(Self.logPrefix.utf8.count))) else {
            return nil
        }
        self = parsed
    }
}
