import FnhostWire

/// Reads a definition's JSON into a ``StateMachineDefinition``, collecting every problem (AWS reports them all at
/// once) with AWS's codes and locations; scopes (the top level, each Parallel branch, each Map processor) are checked
/// for missing targets, unreachable states and a terminal state as AWS checks them.
struct DefinitionParser {
    var problems: [DefinitionProblem] = []
    var seenNames: [String: String] = [:]

    static let maxStateNameLength = 128
    static let maxTimeout = 99_999_999

    static let commonFields: Set<String> = ["Type", "Comment", "InputPath", "OutputPath", "Next", "End"]
    static let fieldsByType: [String: Set<String>] = [
        "Task": [
            "Resource", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch", "TimeoutSeconds",
            "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath",
        ],
        "Pass": ["Result", "Parameters", "ResultPath"],
        "Choice": ["Choices", "Default"],
        "Wait": ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"],
        "Succeed": [],
        "Fail": ["Error", "ErrorPath", "Cause", "CausePath"],
        "Parallel": ["Branches", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch"],
        "Map": [
            "ItemProcessor", "Iterator", "ItemsPath", "ItemSelector", "Parameters", "MaxConcurrency",
            "MaxConcurrencyPath", "ResultSelector", "ResultPath", "Retry", "Catch",
        ],
    ]
    /// Fields of the JSONata query language and of features fnhost does not run, refused with a reason.
    static let unsupportedFields: [String: String] = [
        "Arguments": "it belongs to the JSONata query language, which fnhost does not support",
        "Output": "it belongs to the JSONata query language, which fnhost does not support",
        "Assign": "workflow variables are not supported by fnhost",
        "QueryLanguage": "",
        "ItemReader": "distributed Map states are not supported by fnhost",
        "ResultWriter": "distributed Map states are not supported by fnhost",
        "ItemBatcher": "distributed Map states are not supported by fnhost",
        "ToleratedFailurePercentage": "distributed Map states are not supported by fnhost",
        "ToleratedFailureCount": "distributed Map states are not supported by fnhost",
        "Label": "distributed Map states are not supported by fnhost",
        "Credentials": "cross-account task credentials are not supported by fnhost",
    ]

    mutating func add(_ problem: DefinitionProblem) { problems.append(problem) }

    mutating func parseDocument(_ bytes: [UInt8]) throws(InvalidDefinition) -> StateMachineDefinition {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw InvalidDefinition(problems: [
                DefinitionProblem(code: "MISSING_DESCRIPTION", message: "The definition is empty", location: nil)
            ])
        }
        let root: JSONValue
        do {
            root = try JSONValue.parse(bytes)
        } catch {
            throw InvalidDefinition(problems: [
                DefinitionProblem(code: "INVALID_JSON_DESCRIPTION", message: "\(error)", location: nil)
            ])
        }
        guard case .object(let top) = root else {
            throw InvalidDefinition(problems: [
                .schema("The definition must be a JSON object, not \(root.kind)", at: "/")
            ])
        }
        if let language = top["QueryLanguage"] {
            if language == .string("JSONata") {
                add(
                    .schema(
                        "The JSONata query language is not supported by fnhost: write the definition with JSONPath "
                            + "(remove 'QueryLanguage' or set it to 'JSONPath')", at: "/QueryLanguage"))
            } else if language != .string("JSONPath") {
                add(
                    .schema(
                        "The value for the field 'QueryLanguage' must be 'JSONPath' or 'JSONata'", at: "/QueryLanguage")
                )
            }
        }
        for key in top.keys.sorted()
        where !["Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage"].contains(key) {
            add(.schema("Field '\(key)' is not supported", at: "/"))
        }
        var comment: String? = nil
        if let c = top["Comment"] {
            if case .string(let s) = c {
                comment = s
            } else {
                add(.schema("The field 'Comment' must be a string", at: "/Comment"))
            }
        }
        if let v = top["Version"], v != .string("1.0") {
            add(.schema("The value for the field 'Version' must be \"1.0\"", at: "/Version"))
        }
        var timeout: Int? = nil
        if let t = top["TimeoutSeconds"] {
            timeout = integer(t, field: "TimeoutSeconds", at: "/TimeoutSeconds", minimum: 0)
        }
        let graph = parseGraph(top, location: "")
        if !problems.isEmpty { throw InvalidDefinition(problems: problems) }
        return StateMachineDefinition(comment: comment, timeoutSeconds: timeout, graph: graph!)
    }

    // MARK: Scopes

    mutating func parseGraph(_ object: [String: JSONValue], location: String) -> StateGraph? {
        var missing: [String] = []
        if object["StartAt"] == nil { missing.append("StartAt") }
        if object["States"] == nil { missing.append("States") }
        if !missing.isEmpty {
            add(
                .schema(
                    "These fields are required: [\(missing.joined(separator: ", "))]",
                    at: location.isEmpty ? "/" : location))
            return nil
        }
        guard case .string(let startAt) = object["StartAt"]! else {
            add(.schema("The field 'StartAt' must be a string", at: "\(location)/StartAt"))
            return nil
        }
        guard case .object(let statesObject) = object["States"]!, !statesObject.isEmpty else {
            add(.schema("The field 'States' must be an object with at least one state", at: "\(location)/States"))
            return nil
        }
        let order = statesObject.keys.sorted()
        var states: [String: State] = [:]
        for name in order {
            let at = "\(location)/States/\(name)"
            if name.isEmpty || name.count > Self.maxStateNameLength {
                add(
                    DefinitionProblem(
                        code: "INVALID_STATE_NAME",
                        message: "State names must be 1 to \(Self.maxStateNameLength) characters long "
                            + "(this one has \(name.count))", location: at))
            }
            if let first = seenNames[name] {
                add(
                    DefinitionProblem(
                        code: "DUPLICATE_STATE_NAME", message: "Duplicate State name: \(name) (also at \(first))",
                        location: at))
            } else {
                seenNames[name] = at
            }
            if let state = parseState(name: name, value: statesObject[name]!, location: at) {
                states[name] = state
            }
        }
        let graph = StateGraph(startAt: startAt, states: states, order: order)
        checkTransitions(graph, declared: Set(order), location: location)
        return graph
    }

    mutating func checkTransitions(_ graph: StateGraph, declared: Set<String>, location: String) {
        let startKnown = declared.contains(graph.startAt)
        if !startKnown {
            add(
                DefinitionProblem(
                    code: "MISSING_TRANSITION_TARGET", message: "Missing 'Next' target: \(graph.startAt)",
                    location: "\(location)/StartAt"))
        }
        // Targets of each parsed state, with where they are written.
        var hasTerminal = false
        var anyUnparsed = false
        var edges: [String: [String]] = [:]
        for name in graph.order {
            guard let state = graph.states[name] else {
                anyUnparsed = true  // a state that failed to parse: its problems are reported, do not pile on
                continue
            }
            let at = "\(location)/States/\(name)"
            var targets: [(String, String)] = []
            switch state.transition {
            case .next(let n): targets.append((n, "\(at)/Next"))
            case .end: hasTerminal = true
            case nil: break
            }
            switch state.kind {
            case .succeed, .fail: hasTerminal = true
            case .choice(let c):
                for (i, branch) in c.choices.enumerated() { targets.append((branch.next, "\(at)/Choices[\(i)]/Next")) }
                if let d = c.defaultNext { targets.append((d, "\(at)/Default")) }
            case .task(let t):
                for (i, c) in t.catchers.enumerated() { targets.append((c.next, "\(at)/Catch[\(i)]/Next")) }
            case .parallel(let p):
                for (i, c) in p.catchers.enumerated() { targets.append((c.next, "\(at)/Catch[\(i)]/Next")) }
            case .map(let m):
                for (i, c) in m.catchers.enumerated() { targets.append((c.next, "\(at)/Catch[\(i)]/Next")) }
            default: break
            }
            for (target, where_) in targets where !declared.contains(target) {
                add(
                    DefinitionProblem(
                        code: "MISSING_TRANSITION_TARGET", message: "Missing 'Next' target: \(target)",
                        location: where_))
            }
            edges[name] = targets.map(\.0).filter(declared.contains)
        }
        if !hasTerminal && !anyUnparsed {
            add(DefinitionProblem(code: "MISSING_END_STATE", message: "Workflow has no terminal state", location: nil))
            return  // AWS: a missing end state suppresses the unreachable-state walk
        }
        guard !anyUnparsed else { return }
        // With an unknown StartAt nothing is reachable, and AWS reports every state so.
        var reached: Set<String> = startKnown ? [graph.startAt] : []
        var queue = startKnown ? [graph.startAt] : []
        while let n = queue.popLast() {
            for t in edges[n] ?? [] where reached.insert(t).inserted { queue.append(t) }
        }
        for name in graph.order where !reached.contains(name) {
            add(
                DefinitionProblem(
                    code: "MISSING_TRANSITION_TARGET", message: "State \"\(name)\" is not reachable.",
                    location: "\(location)/States/\(name)"))
        }
    }

    // MARK: States

    mutating func parseState(name: String, value: JSONValue, location at: String) -> State? {
        guard case .object(let o) = value else {
            add(.schema("A state must be an object, not \(value.kind)", at: at))
            return nil
        }
        guard let typeValue = o["Type"] else {
            add(.schema("These fields are required: [Type]", at: at))
            return nil
        }
        guard case .string(let type) = typeValue, let own = Self.fieldsByType[type] else {
            add(
                .schema(
                    "The value for the field 'Type' must be one of Task, Pass, Choice, Wait, Succeed, Fail, Parallel, "
                        + "Map, not \(typeValue.shortDescription)", at: "\(at)/Type"))
            return nil
        }
        if o["QueryLanguage"] == .string("JSONata") {
            add(
                .schema(
                    "The JSONata query language is not supported by fnhost: write this state with JSONPath",
                    at: "\(at)/QueryLanguage"))
        }
        var allowed = Self.commonFields.union(own)
        if type == "Choice" || type == "Succeed" || type == "Fail" { allowed.subtract(["Next", "End"]) }
        if type == "Fail" { allowed.subtract(["InputPath", "OutputPath"]) }
        for key in o.keys.sorted() where !allowed.contains(key) {
            if let reason = Self.unsupportedFields[key], !reason.isEmpty {
                add(.schema("Field '\(key)' is not supported: \(reason)", at: at))
            } else if key == "QueryLanguage" {
                if o[key] != .string("JSONata") && o[key] != .string("JSONPath") {
                    add(
                        .schema(
                            "The value for the field 'QueryLanguage' must be 'JSONPath' or 'JSONata'",
                            at: "\(at)/QueryLanguage"))
                }
            } else {
                add(.schema("Field '\(key)' is not supported", at: at))
            }
        }
        var comment: String? = nil
        if let c = o["Comment"] {
            if case .string(let s) = c {
                comment = s
            } else {
                add(.schema("The field 'Comment' must be a string", at: "\(at)/Comment"))
            }
        }
        let inputPath = optionalPath(o, "InputPath", at: at)
        let outputPath = optionalPath(o, "OutputPath", at: at)
        var transition: State.Transition? = nil
        if allowed.contains("Next") {
            switch (o["Next"], o["End"]) {
            case (nil, nil):
                add(.schema("Exactly one of the fields 'Next' and 'End' is required", at: at))
            case (.some, .some):
                add(.schema("Only one of the fields 'Next' and 'End' is allowed", at: at))
            case (.some(let n), nil):
                if case .string(let s) = n {
                    transition = .next(s)
                } else {
                    add(.schema("The value for the field 'Next' must be a state name", at: "\(at)/Next"))
                }
            case (nil, .some(let e)):
                if e == .bool(true) {
                    transition = .end
                } else {
                    add(.schema("The value for the field 'End' must be true", at: "\(at)/End"))
                }
            }
        }
        let kind: State.Kind?
        switch type {
        case "Task": kind = parseTask(o, at: at).map(State.Kind.task)
        case "Pass":
            kind = .pass(
                PassState(
                    result: o["Result"], parameters: template(o, "Parameters", at: at),
                    resultPath: resultPath(o, at: at)))
        case "Choice": kind = parseChoice(o, at: at).map(State.Kind.choice)
        case "Wait": kind = parseWait(o, at: at).map(State.Kind.wait)
        case "Succeed": kind = .succeed
        case "Fail": kind = .fail(parseFail(o, at: at))
        case "Parallel": kind = parseParallel(o, at: at).map(State.Kind.parallel)
        default: kind = parseMap(o, at: at).map(State.Kind.map)
        }
        // A state with problems is still returned when its type's fields were read, so that the transition checks
        // see its targets (the definition is refused anyway).
        guard let kind else { return nil }
        return State(
            name: name, comment: comment, inputPath: inputPath ?? nil, outputPath: outputPath ?? nil,
            transition: transition, kind: kind)
    }

    // MARK: Field helpers

    /// `InputPath`/`OutputPath`/`ItemsPath`: absent → `$`, null → nil (inner nil), else a parsed path.
    mutating func optionalPath(_ o: [String: JSONValue], _ field: String, at: String) -> JSONPath?? {
        guard let v = o[field] else { return .some(.root) }
        switch v {
        case .null: return .some(nil)
        case .string(let s):
            do {
                return .some(try JSONPath(s))
            } catch {
                add(
                    .schema(
                        "The value for the field '\(field)' must be a valid JSONPath: \(error)", at: "\(at)/\(field)"))
                return nil
            }
        default:
            add(.schema("The value for the field '\(field)' must be a string or null", at: "\(at)/\(field)"))
            return nil
        }
    }

    mutating func referencePath(_ v: JSONValue, field: String, at: String) -> JSONPath? {
        guard case .string(let s) = v else {
            add(.schema("The value for the field '\(field)' must be a string", at: at))
            return nil
        }
        do {
            let p = try JSONPath(s)
            guard p.isReferencePath else {
                add(
                    .schema(
                        "The value for the field '\(field)' must be a valid ReferencePath (names and indices only, "
                            + "no wildcards, filters or slices): \(JSONText.quoteShortened(s))", at: at))
                return nil
            }
            return p
        } catch {
            add(.schema("The value for the field '\(field)' must be a valid ReferencePath: \(error)", at: at))
            return nil
        }
    }

    mutating func resultPath(_ o: [String: JSONValue], at: String) -> ResultPath {
        guard let v = o["ResultPath"] else { return .whole }
        if v == .null { return .discard }
        guard let p = referencePath(v, field: "ResultPath", at: "\(at)/ResultPath") else { return .whole }
        if p.root == .context {
            add(
                .schema(
                    "The value for the field 'ResultPath' cannot refer to the context object ($$)",
                    at: "\(at)/ResultPath"))
        }
        return .path(p)
    }

    mutating func template(_ o: [String: JSONValue], _ field: String, at: String) -> PayloadTemplate? {
        guard let v = o[field] else { return nil }
        if field == "ResultSelector" || field == "ItemSelector" {
            guard case .object = v else {
                add(.schema("The value for the field '\(field)' must be an object", at: "\(at)/\(field)"))
                return nil
            }
        }
        return PayloadTemplate.parse(v, location: "\(at)/\(field)", problems: &problems)
    }

    mutating func integer(_ v: JSONValue, field: String, at: String, minimum: Int, maximum: Int = maxTimeout) -> Int? {
        guard case .number(let d) = v, d == d.rounded(), d >= Double(minimum), d <= Double(maximum) else {
            add(
                .schema(
                    "The value for the field '\(field)' must be an integer from \(minimum) to \(maximum), not "
                        + "\(v.shortDescription)", at: at))
            return nil
        }
        return Int(d)
    }

    mutating func timeout(_ o: [String: JSONValue], _ field: String, at: String) -> TimeoutSetting? {
        let literal = o[field]
        let path = o["\(field)Path"]
        if literal != nil && path != nil {
            add(.schema("Only one of the fields '\(field)' and '\(field)Path' is allowed", at: at))
            return nil
        }
        if let literal {
            return integer(literal, field: field, at: "\(at)/\(field)", minimum: 1).map(TimeoutSetting.seconds)
        }
        if let path {
            return referencePath(path, field: "\(field)Path", at: "\(at)/\(field)Path").map(TimeoutSetting.path)
        }
        return nil
    }

    // MARK: Types

    mutating func parseTask(_ o: [String: JSONValue], at: String) -> TaskState? {
        guard let r = o["Resource"] else {
            add(.schema("These fields are required: [Resource]", at: at))
            return nil
        }
        guard case .string(let text) = r else {
            add(.schema("The value for the field 'Resource' must be a string", at: "\(at)/Resource"))
            return nil
        }
        let resource: TaskResource
        if text == TaskResource.lambdaInvokeARN {
            resource = .lambdaInvoke
            let hasName: Bool
            if case .object(let p)? = o["Parameters"] {
                hasName = p["FunctionName"] != nil || p["FunctionName.$"] != nil
            } else {
                hasName = false
            }
            if !hasName {
                add(
                    .schema(
                        "The field 'Parameters' must give 'FunctionName' (or 'FunctionName.$') for \(text)",
                        at: "\(at)/Parameters"))
            }
        } else if text.hasPrefix("arn:aws:states:") {
            add(
                DefinitionProblem(
                    code: "INVALID_RESOURCE",
                    message: "The resource \(JSONText.quoteShortened(text)) is not supported by fnhost, which runs "
                        + "Lambda functions: use a function's name or ARN, or \(TaskResource.lambdaInvokeARN)",
                    location: "\(at)/Resource"))
            return nil
        } else if let name = Self.functionName(fromResource: text) {
            resource = .function(name)
        } else {
            add(
                DefinitionProblem(
                    code: "INVALID_RESOURCE",
                    message: "The resource \(JSONText.quoteShortened(text)) is neither a Lambda function ARN "
                        + "(arn:aws:lambda:REGION:ACCOUNT:function:NAME), a function name, nor "
                        + TaskResource.lambdaInvokeARN, location: "\(at)/Resource"))
            return nil
        }
        let timeoutSetting = timeout(o, "TimeoutSeconds", at: at)
        let heartbeatSetting = timeout(o, "HeartbeatSeconds", at: at)
        if case .seconds(let t)? = timeoutSetting, case .number(let h)? = o["HeartbeatSeconds"], h >= Double(t) {
            add(
                .schema(
                    "The value for the field 'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'",
                    at: "\(at)/HeartbeatSeconds"))
        }
        return TaskState(
            resource: resource, resourceText: text, parameters: template(o, "Parameters", at: at),
            resultSelector: template(o, "ResultSelector", at: at), resultPath: resultPath(o, at: at),
            retry: parseRetry(o, at: at), catchers: parseCatch(o, at: at), timeout: timeoutSetting,
            heartbeat: heartbeatSetting)
    }

    /// The function a plain resource names: `arn:aws:lambda:R:A:function:NAME[:QUALIFIER]` or a bare name.
    static func functionName(fromResource text: String) -> String? {
        if text.hasPrefix("arn:") {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count >= 7, parts.count <= 8, parts[2] == "lambda", parts[5] == "function", !parts[6].isEmpty
            else { return nil }
            return text
        }
        guard !text.isEmpty, text.count <= 140,
            text.unicodeScalars.allSatisfy({
                ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "-"
                    || $0 == "_" || $0 == ":"
            })
        else { return nil }
        return text
    }

    mutating func errorEquals(_ o: [String: JSONValue], at: String, isLast: Bool) -> [String]? {
        guard case .array(let list)? = o["ErrorEquals"], !list.isEmpty else {
            add(.schema("The field 'ErrorEquals' is required and must be a non-empty array of error names", at: at))
            return nil
        }
        var names: [String] = []
        for v in list {
            guard case .string(let s) = v else {
                add(.schema("The values in 'ErrorEquals' must be strings", at: "\(at)/ErrorEquals"))
                return nil
            }
            names.append(s)
        }
        if names.contains(StatesError.all) {
            if names.count > 1 {
                add(.schema("States.ALL must appear alone in 'ErrorEquals'", at: "\(at)/ErrorEquals"))
            }
            if !isLast {
                add(.schema("A retrier or catcher with States.ALL must be the last one", at: "\(at)/ErrorEquals"))
            }
        }
        return names
    }

    mutating func parseRetry(_ o: [String: JSONValue], at: String) -> [Retrier] {
        guard let v = o["Retry"] else { return [] }
        guard case .array(let list) = v else {
            add(.schema("The value for the field 'Retry' must be an array", at: "\(at)/Retry"))
            return []
        }
        var out: [Retrier] = []
        for (i, item) in list.enumerated() {
            let here = "\(at)/Retry[\(i)]"
            guard case .object(let r) = item else {
                add(.schema("A retrier must be an object", at: here))
                continue
            }
            for key in r.keys.sorted()
            where ![
                "ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy",
                "Comment",
            ]
            .contains(key) {
                add(.schema("Field '\(key)' is not supported", at: here))
            }
            guard let names = errorEquals(r, at: here, isLast: i == list.count - 1) else { continue }
            var retrier = Retrier(errorEquals: names)
            if let x = r["IntervalSeconds"],
                let n = integer(x, field: "IntervalSeconds", at: "\(here)/IntervalSeconds", minimum: 1)
            {
                retrier.intervalSeconds = n
            }
            if let x = r["MaxAttempts"], let n = integer(x, field: "MaxAttempts", at: "\(here)/MaxAttempts", minimum: 0)
            {
                retrier.maxAttempts = n
            }
            if let x = r["BackoffRate"] {
                if case .number(let d) = x, d >= 1.0, d.isFinite {
                    retrier.backoffRate = d
                } else {
                    add(
                        .schema(
                            "The value for the field 'BackoffRate' must be a number of at least 1.0",
                            at: "\(here)/BackoffRate"))
                }
            }
            if let x = r["MaxDelaySeconds"],
                let n = integer(
                    x, field: "MaxDelaySeconds", at: "\(here)/MaxDelaySeconds", minimum: 1, maximum: 31_622_400)
            {
                retrier.maxDelaySeconds = n
            }
            if let x = r["JitterStrategy"] {
                if case .string(let s) = x, let j = Retrier.Jitter(rawValue: s) {
                    retrier.jitter = j
                } else {
                    add(
                        .schema(
                            "The value for the field 'JitterStrategy' must be FULL or NONE",
                            at: "\(here)/JitterStrategy"))
                }
            }
            out.append(retrier)
        }
        return out
    }

    mutating func parseCatch(_ o: [String: JSONValue], at: String) -> [Catcher] {
        guard let v = o["Catch"] else { return [] }
        guard case .array(let list) = v else {
            add(.schema("The value for the field 'Catch' must be an array", at: "\(at)/Catch"))
            return []
        }
        var out: [Catcher] = []
        for (i, item) in list.enumerated() {
            let here = "\(at)/Catch[\(i)]"
            guard case .object(let c) = item else {
                add(.schema("A catcher must be an object", at: here))
                continue
            }
            for key in c.keys.sorted() where !["ErrorEquals", "Next", "ResultPath", "Comment"].contains(key) {
                add(.schema("Field '\(key)' is not supported", at: here))
            }
            let names = errorEquals(c, at: here, isLast: i == list.count - 1)
            guard case .string(let next)? = c["Next"] else {
                add(.schema("These fields are required: [Next]", at: here))
                continue
            }
            if let names { out.append(Catcher(errorEquals: names, next: next, resultPath: resultPath(c, at: here))) }
        }
        return out
    }

    mutating func parseChoice(_ o: [String: JSONValue], at: String) -> ChoiceState? {
        guard case .array(let list)? = o["Choices"], !list.isEmpty else {
            add(.schema("The field 'Choices' is required and must be a non-empty array", at: "\(at)/Choices"))
            return nil
        }
        var branches: [ChoiceBranch] = []
        for (i, item) in list.enumerated() {
            let here = "\(at)/Choices[\(i)]"
            let rule = parseRule(item, at: here, topLevel: true, depth: 0)
            guard case .object(let r) = item, case .string(let next)? = r["Next"] else {
                if case .object = item { add(.schema("These fields are required: [Next]", at: here)) }
                continue
            }
            // A bad rule is reported; its branch is kept (never run: the definition is refused) so that its target
            // counts in the transition checks.
            branches.append(ChoiceBranch(rule: rule ?? .or([]), next: next))
        }
        var defaultNext: String? = nil
        if let d = o["Default"] {
            if case .string(let s) = d {
                defaultNext = s
            } else {
                add(.schema("The value for the field 'Default' must be a state name", at: "\(at)/Default"))
            }
        }
        return ChoiceState(choices: branches, defaultNext: defaultNext)
    }

    static let ruleKeys: Set<String> = Set(ChoiceOperator.allCases.map(\.rawValue))
        .union(ChoiceOperator.allCases.filter(\.hasPathForm).map { $0.rawValue + "Path" })

    mutating func parseRule(_ v: JSONValue, at: String, topLevel: Bool, depth: Int) -> ChoiceRule? {
        guard depth < 32 else {
            add(.schema("Choice rules are nested too deeply", at: at))
            return nil
        }
        guard case .object(let r) = v else {
            add(.schema("A choice rule must be an object", at: at))
            return nil
        }
        if !topLevel, r["Next"] != nil { add(.schema("Field 'Next' is not supported in a nested choice rule", at: at)) }
        let combinators = ["And", "Or", "Not"].filter { r[$0] != nil }
        let operators = r.keys.filter(Self.ruleKeys.contains).sorted()
        for key in r.keys.sorted()
        where !Self.ruleKeys.contains(key) && !["And", "Or", "Not", "Variable", "Next", "Comment"].contains(key) {
            add(.schema("Field '\(key)' is not supported in a choice rule", at: at))
        }
        if combinators.count + operators.count != 1 {
            let found = (combinators + operators).joined(separator: ", ")
            add(
                .schema(
                    "A choice rule must have exactly one comparison operator or And, Or, Not; it has "
                        + (found.isEmpty ? "none" : found), at: at))
            return nil
        }
        if let c = combinators.first {
            if r["Variable"] != nil { add(.schema("Field 'Variable' is not supported with \(c)", at: at)) }
            if c == "Not" {
                return parseRule(r["Not"]!, at: "\(at)/Not", topLevel: false, depth: depth + 1).map(ChoiceRule.not)
            }
            guard case .array(let list) = r[c]!, !list.isEmpty else {
                add(.schema("The value for the field '\(c)' must be a non-empty array of rules", at: "\(at)/\(c)"))
                return nil
            }
            var rules: [ChoiceRule] = []
            for (i, item) in list.enumerated() {
                if let rule = parseRule(item, at: "\(at)/\(c)[\(i)]", topLevel: false, depth: depth + 1) {
                    rules.append(rule)
                }
            }
            guard rules.count == list.count else { return nil }
            return c == "And" ? .and(rules) : .or(rules)
        }
        let key = operators[0]
        guard let variableValue = r["Variable"] else {
            add(.schema("These fields are required: [Variable]", at: at))
            return nil
        }
        guard let variable = referencePath(variableValue, field: "Variable", at: "\(at)/Variable") else { return nil }
        if let op = ChoiceOperator(rawValue: key) {
            let operand = r[key]!
            if let problem = op.operandProblem(operand) {
                add(.schema("The value for the field '\(key)' must be \(problem)", at: "\(at)/\(key)"))
                return nil
            }
            return .comparison(variable: variable, op, .value(operand))
        }
        let op = ChoiceOperator(rawValue: String(key.dropLast(4)))!
        guard let path = referencePath(r[key]!, field: key, at: "\(at)/\(key)") else { return nil }
        return .comparison(variable: variable, op, .path(path))
    }

    mutating func parseWait(_ o: [String: JSONValue], at: String) -> WaitState? {
        let given = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"].filter { o[$0] != nil }
        guard given.count == 1 else {
            add(
                .schema(
                    "Exactly one of the fields 'Seconds', 'SecondsPath', 'Timestamp' and 'TimestampPath' is required",
                    at: at))
            return nil
        }
        let field = given[0]
        let v = o[field]!
        switch field {
        case "Seconds":
            return integer(v, field: field, at: "\(at)/Seconds", minimum: 0).map(WaitState.seconds)
        case "Timestamp":
            guard case .string(let s) = v, let t = Timestamp(rfc3339: s) else {
                add(
                    .schema(
                        "The value for the field 'Timestamp' must be an RFC 3339 timestamp such as "
                            + "2016-03-14T01:59:00Z", at: "\(at)/Timestamp"))
                return nil
            }
            return .timestamp(t)
        case "SecondsPath":
            return referencePath(v, field: field, at: "\(at)/\(field)").map(WaitState.secondsPath)
        default:
            return referencePath(v, field: field, at: "\(at)/\(field)").map(WaitState.timestampPath)
        }
    }

    /// The intrinsics AWS allows in a Fail state's `ErrorPath` and `CausePath`.
    static let failIntrinsics: Set<IntrinsicFunction> = [
        .format, .jsonToString, .arrayGetItem, .base64Encode, .base64Decode, .hash, .uuid,
    ]

    mutating func parseFail(_ o: [String: JSONValue], at: String) -> FailState {
        func field(_ name: String) -> FailField? {
            let literal = o[name]
            let path = o["\(name)Path"]
            if literal != nil && path != nil {
                add(.schema("Only one of the fields '\(name)' and '\(name)Path' is allowed", at: at))
                return nil
            }
            if let literal {
                guard case .string(let s) = literal else {
                    add(.schema("The value for the field '\(name)' must be a string", at: "\(at)/\(name)"))
                    return nil
                }
                return .literal(s)
            }
            guard let path else { return nil }
            if case .string(let s) = path, s.hasPrefix("States.") {
                do {
                    let call = try IntrinsicCall(parsing: s)
                    guard Self.failIntrinsics.contains(call.function) else {
                        add(
                            .schema(
                                "\(call.function.fullName) cannot be used in '\(name)Path': only States.Format, "
                                    + "JsonToString, ArrayGetItem, Base64Encode, Base64Decode, Hash and UUID can",
                                at: "\(at)/\(name)Path"))
                        return nil
                    }
                    return .intrinsic(call)
                } catch {
                    add(
                        .schema(
                            "The value for the field '\(name)Path' is not a valid intrinsic function call: \(error)",
                            at: "\(at)/\(name)Path"))
                    return nil
                }
            }
            return referencePath(path, field: "\(name)Path", at: "\(at)/\(name)Path").map(FailField.path)
        }
        return FailState(error: field("Error"), cause: field("Cause"))
    }

    mutating func parseParallel(_ o: [String: JSONValue], at: String) -> ParallelState? {
        guard case .array(let list)? = o["Branches"], !list.isEmpty else {
            add(.schema("The field 'Branches' is required and must be a non-empty array", at: "\(at)/Branches"))
            return nil
        }
        var branches: [StateGraph] = []
        for (i, item) in list.enumerated() {
            let here = "\(at)/Branches[\(i)]"
            guard case .object(let b) = item else {
                add(.schema("A branch must be an object with StartAt and States", at: here))
                continue
            }
            for key in b.keys.sorted() where !["StartAt", "States", "Comment"].contains(key) {
                add(.schema("Field '\(key)' is not supported", at: here))
            }
            if let g = parseGraph(b, location: here) { branches.append(g) }
        }
        return ParallelState(
            branches: branches, parameters: template(o, "Parameters", at: at),
            resultSelector: template(o, "ResultSelector", at: at), resultPath: resultPath(o, at: at),
            retry: parseRetry(o, at: at), catchers: parseCatch(o, at: at))
    }

    mutating func parseMap(_ o: [String: JSONValue], at: String) -> MapState? {
        let processorField: String
        switch (o["ItemProcessor"], o["Iterator"]) {
        case (.some, .some):
            add(.schema("Only one of the fields 'ItemProcessor' and 'Iterator' is allowed", at: at))
            return nil
        case (nil, nil):
            add(.schema("These fields are required: [ItemProcessor]", at: at))
            return nil
        case (.some, nil): processorField = "ItemProcessor"
        case (nil, .some): processorField = "Iterator"
        }
        let here = "\(at)/\(processorField)"
        guard case .object(let p) = o[processorField]! else {
            add(.schema("The value for the field '\(processorField)' must be an object", at: here))
            return nil
        }
        for key in p.keys.sorted() where !["StartAt", "States", "Comment", "ProcessorConfig"].contains(key) {
            add(.schema("Field '\(key)' is not supported", at: here))
        }
        if let config = p["ProcessorConfig"] {
            if case .object(let c) = config {
                if let mode = c["Mode"], mode != .string("INLINE") {
                    add(
                        .schema(
                            "Only the INLINE processor mode is supported by fnhost (distributed Map states are not)",
                            at: "\(here)/ProcessorConfig/Mode"))
                }
                for key in c.keys.sorted() where !["Mode", "ExecutionType"].contains(key) {
                    add(.schema("Field '\(key)' is not supported", at: "\(here)/ProcessorConfig"))
                }
            } else {
                add(
                    .schema(
                        "The value for the field 'ProcessorConfig' must be an object", at: "\(here)/ProcessorConfig"))
            }
        }
        if o["ItemSelector"] != nil && o["Parameters"] != nil {
            add(.schema("Only one of the fields 'ItemSelector' and 'Parameters' is allowed", at: at))
        }
        let graph = parseGraph(p, location: here)
        let itemsPath = optionalPath(o, "ItemsPath", at: at)
        if case .some(nil) = itemsPath {
            add(.schema("The value for the field 'ItemsPath' must be a path, not null", at: "\(at)/ItemsPath"))
        }
        var maxConcurrency = 0
        if let m = o["MaxConcurrency"] {
            maxConcurrency = integer(m, field: "MaxConcurrency", at: "\(at)/MaxConcurrency", minimum: 0) ?? 0
        }
        var maxConcurrencyPath: JSONPath? = nil
        if let m = o["MaxConcurrencyPath"] {
            if o["MaxConcurrency"] != nil {
                add(.schema("Only one of the fields 'MaxConcurrency' and 'MaxConcurrencyPath' is allowed", at: at))
            }
            maxConcurrencyPath = referencePath(m, field: "MaxConcurrencyPath", at: "\(at)/MaxConcurrencyPath")
        }
        guard let graph else { return nil }
        return MapState(
            processor: graph, itemsPath: (itemsPath ?? nil) ?? .root,
            itemSelector: template(o, o["ItemSelector"] != nil ? "ItemSelector" : "Parameters", at: at),
            maxConcurrency: maxConcurrency, maxConcurrencyPath: maxConcurrencyPath,
            resultSelector: template(o, "ResultSelector", at: at), resultPath: resultPath(o, at: at),
            retry: parseRetry(o, at: at), catchers: parseCatch(o, at: at))
    }
}
