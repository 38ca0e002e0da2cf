import FnhostStates
import FnhostTraces
import FnhostWire

extension ExecutionTrace {
    /// The trace: the execution's span first, then every span after its parent (so that ``Trace/bounded()`` keeps
    /// only spans whose parents it keeps), at most ``Trace/maxSpans``.
    /// - Parameter newID: draws the ids of the spans not already handed out.
    public func trace(newID: () -> SpanID) -> Trace {
        var layout = ExecutionTraceLayout(self)
        return layout.build(newID: newID)
    }
}

/// The walk behind ``ExecutionTrace/trace(newID:)``: each event, in id order, gets the state entry it belongs to, the
/// lane it is on (the top level, a Parallel branch, a Map iteration) and its offset on Lambda's timeline.
struct ExecutionTraceLayout {
    enum Lane: Hashable {
        case root
        case group(Int)
    }

    struct Placed {
        var owner: Int?
        var lane: Lane
        /// Simulated time its path lacked in real time, ms.
        var stretch: Double
        var real: Double
        var at: Double { real + stretch }
    }

    struct Entry {
        var name: String
        var type: String
        var lane: Lane
        var span: Int
        var transitionMs: Double
        var enteredAt: Double
        var endAt: Double
        var exited = false
        /// (real, stretch) of the entry's own events, for placing its invocations.
        var marks: [(real: Double, stretch: Double)] = []
        var attempts = 0
        var resource: String?
    }

    struct Group {
        var owner: Int
        var span: Int
        var maxStretch: Double = 0
        var startAt = Double.infinity
        var endAt = 0.0
    }

    let source: ExecutionTrace
    var spans: [Span] = []
    var placed: [Int: Placed] = [:]
    var entries: [Int: Entry] = [:]
    var groups: [Group] = []
    /// Child spans whose times are known only as offsets, placed when built.
    var events: [Int: HistoryEvent] = [:]
    let machine: String
    let scale: Double

    init(_ source: ExecutionTrace) {
        self.source = source
        machine = source.identity.stateMachineName
        scale = source.timeScale > 0 ? source.timeScale : 1
        for e in source.events { events[e.id] = e }
    }

    /// A span whose times are set later.
    mutating func open(_ name: String, parent: SpanID?, id: SpanID, attributes: [String: String] = [:]) -> Int {
        spans.append(
            Span(
                id: id, parent: parent, name: name, kind: .transition, function: machine, startMs: 0, durationMs: 0,
                timing: .measured, attributes: attributes))
        return spans.count - 1
    }

    func spanID(of lane: Lane) -> SpanID {
        switch lane {
        case .root: source.rootSpanID
        case .group(let g): spans[groups[g].span].id
        }
    }

    mutating func build(newID: () -> SpanID) -> Trace {
        let startMs = source.identity.startTime.epochMilliseconds
        var rootAttributes = [
            "executionArn": source.identity.executionArn, "stateMachineArn": source.identity.stateMachineArn,
            "type": source.type.rawValue, "status": source.status, "fnhost.timeScale": Self.number(scale),
        ]
        let measuredAll = source.events.allSatisfy { source.realTimes[$0.id] != nil }
        rootAttributes["fnhost.timeline"] =
            measuredAll
            ? "monotonic clock, simulated delays at full length"
            : "history timestamps where nothing was measured (before a restart), monotonic clock after"
        spans.append(
            Span(
                id: source.rootSpanID, parent: nil, name: machine, kind: .request, function: machine, startMs: 0,
                durationMs: 0, timing: .measured, attributes: rootAttributes))
        var transitions: [String: ExecutionTrace.Transition] = [:]
        for t in source.transitions { transitions[Self.key(t.stateName, t.previousEventId)] = t }
        let invocations = Dictionary(grouping: source.invocations, by: \.stateEnteredEventId)
        let branchNumbers = Self.branchNumbers(source.definition)
        var end = 0.0
        var timeoutEnd = 0.0

        for event in source.events.sorted(by: { $0.id < $1.id }) {
            let real = source.realTimes[event.id] ?? Double(event.timestamp.epochMilliseconds - startMs)
            let previous = placed[event.previousEventId]
            let previousType = events[event.previousEventId]?.type ?? ""
            let previousReal = previous?.real ?? 0
            var here = Placed(
                owner: previous?.owner, lane: previous?.lane ?? .root, stretch: previous?.stretch ?? 0, real: real)
            let type = event.type
            if type.hasPrefix("Execution") {
                here.owner = nil
                here.lane = .root
                if type == "ExecutionTimedOut" {
                    // The machine's TimeoutSeconds ran from the start: its sleep ends the execution.
                    for s in source.sleeps where s.realEndMs <= real + Self.tolerance && s.realStartMs < previousReal {
                        timeoutEnd = max(timeoutEnd, s.realStartMs + s.simulatedMs)
                    }
                }
            } else if type.hasSuffix("StateEntered") {
                let name = Self.detail(event, "name") ?? type
                if previousType == "ParallelStateStarted", let parallel = previous?.owner, let p = entries[parallel] {
                    let number = branchNumbers[name] ?? (groups.filter { $0.owner == parallel }.count + 1)
                    here.lane = newGroup(
                        owner: parallel, name: "branch \(number)", parent: spans[p.span].id, id: newID(),
                        attributes: ["state.branch": String(number)])
                }
                var transitionMs = 0.0
                if let t = transitions[Self.key(name, event.previousEventId)] {
                    here.stretch += t.simulatedMs - t.realMs
                    transitionMs = t.simulatedMs
                }
                let stateType = String(type.dropLast("StateEntered".count))
                let span = open(
                    name, parent: spanID(of: here.lane), id: source.stateSpanIDs[event.id] ?? newID(),
                    attributes: ["state.type": stateType])
                entries[event.id] = Entry(
                    name: name, type: stateType, lane: here.lane, span: span, transitionMs: transitionMs,
                    enteredAt: here.at, endAt: here.at)
                here.owner = event.id
                if transitionMs > 0 {
                    let t = open("state transition", parent: spans[span].id, id: newID())
                    spans[t].timing = .simulated
                    spans[t].kind = .transition
                    spans[t].attributes = ["fnhost.component": "stateTransition", "fnhost.profile": "seeded draw"]
                    spans[t].startMs = max(0, here.at - transitionMs)
                    spans[t].durationMs = transitionMs
                }
            } else if type.hasSuffix("StateExited") {
                if let owner = here.owner, let entry = entries[owner] {
                    if entry.type == "Wait" {
                        let from = previous?.at ?? here.at
                        here.stretch += sleepStretch(from: previousReal, to: real)
                        child(of: owner, "wait", from: from, to: here.at, attributes: [:], newID: newID)
                    }
                    here.lane = entry.lane
                    entries[owner]?.exited = true
                }
            } else if Self.joins.contains(type) {
                let kind = type.hasPrefix("Parallel") ? "Parallel" : "Map"
                var owner: Int?
                if previousType == "\(kind)StateEntered" || previousType == "\(kind)StateStarted" {
                    owner = previous?.owner
                } else if case .group(let g)? = previous?.lane {
                    owner = groups[g].owner
                } else {
                    owner = previous?.owner
                }
                while let o = owner, let entry = entries[o], entry.type != kind, case .group(let g) = entry.lane {
                    owner = groups[g].owner
                }
                here.owner = owner
                if let o = owner, let entry = entries[o] {
                    here.lane = entry.lane
                    for g in groups where g.owner == o { here.stretch = max(here.stretch, g.maxStretch) }
                }
            } else if type == "MapIterationStarted", let map = previous?.owner, let m = entries[map] {
                let index = Self.detail(event, "index") ?? String(groups.filter { $0.owner == map }.count)
                here.lane = newGroup(
                    owner: map, name: "iteration \(index)", parent: spans[m.span].id, id: newID(),
                    attributes: ["state.mapIndex": index])
                here.owner = map
            } else if type.hasPrefix("MapIteration") {
                var lane = here.lane
                while case .group(let g) = lane, entries[groups[g].owner]?.type != "Map",
                    let outer = entries[groups[g].owner]
                {
                    lane = outer.lane
                }
                here.lane = lane
                if case .group(let g) = lane { here.owner = groups[g].owner }
            } else if let owner = here.owner {
                if Self.results.contains(type),
                    let invocation = invocations[owner]?.first(where: {
                        $0.realStartMs >= previousReal - Self.tolerance && $0.realEndMs <= real + Self.tolerance
                    })
                {
                    here.stretch += invocation.stretchMs
                }
                if type.hasSuffix("TimedOut") { here.stretch += sleepStretch(from: previousReal, to: real) }
                if Self.attemptStarts.contains(type) {
                    if previousType.hasSuffix("Failed") || previousType.hasSuffix("TimedOut"), let from = previous?.at {
                        here.stretch += sleepStretch(from: previousReal, to: real)
                        child(of: owner, "retry interval", from: from, to: here.at, attributes: [:], newID: newID)
                    }
                    if type.hasSuffix("Scheduled") {
                        entries[owner]?.attempts += 1
                        if entries[owner]?.resource == nil { entries[owner]?.resource = Self.resource(event) }
                    }
                }
            }
            placed[event.id] = here
            end = max(end, here.at)
            if let owner = here.owner {
                entries[owner]?.marks.append((here.real, here.stretch))
                if !type.hasPrefix("MapIteration") { extend(owner, to: here.at) }
            }
            if case .group(let g) = here.lane {
                groups[g].maxStretch = max(groups[g].maxStretch, here.stretch)
                groups[g].startAt = min(groups[g].startAt, here.at)
                groups[g].endAt = max(groups[g].endAt, here.at)
            }
        }
        placeInvocations(invocations, newID: newID)
        closeEntries()
        end = max(end, timeoutEnd, spans.dropFirst().map(\.endMs).max() ?? 0)
        spans[0].durationMs = end
        return Trace(
            id: source.traceID, root: machine, trigger: .stateMachine, startedAtMs: Double(startMs), durationMs: end,
            outcome: source.outcome, spans: spans
        ).bounded()
    }

    /// What a clock sleep inside (`from`, `to`) lacked in real time: the longest one there (the lane's own; another
    /// lane's sleep that fits in the gap is shorter).
    func sleepStretch(from: Double, to: Double) -> Double {
        let inside = source.sleeps.filter {
            $0.realStartMs >= from - Self.tolerance && $0.realEndMs <= to + Self.tolerance
        }
        guard let sleep = inside.max(by: { $0.realEndMs - $0.realStartMs < $1.realEndMs - $1.realStartMs }) else {
            return 0
        }
        return sleep.simulatedMs - sleep.realMs
    }

    mutating func newGroup(
        owner: Int, name: String, parent: SpanID, id: SpanID, attributes: [String: String]
    ) -> Lane {
        let span = open(name, parent: parent, id: id, attributes: attributes)
        groups.append(Group(owner: owner, span: span))
        return .group(groups.count - 1)
    }

    /// A Wait's wait or a retry interval: the definition's length, slept scaled (real time only at scale 1).
    mutating func child(
        of owner: Int, _ name: String, from: Double, to: Double, attributes: [String: String], newID: () -> SpanID
    ) {
        guard let entry = entries[owner] else { return }
        let s = open(name, parent: spans[entry.span].id, id: newID(), attributes: attributes)
        spans[s].startMs = from
        spans[s].durationMs = max(0, to - from)
        spans[s].timing = scale == 1 ? .measured : .simulated
        if scale != 1 { spans[s].attributes["fnhost.length"] = "the definition's, slept scaled by the time scale" }
    }

    /// Each invocation's spans under its Task state's span, its own span re-parented there, at the offset the
    /// invocation began.
    mutating func placeInvocations(_ invocations: [Int: [ExecutionTrace.Invocation]], newID: () -> SpanID) {
        for (owner, list) in invocations.sorted(by: { $0.key < $1.key }) {
            guard let entry = entries[owner] else { continue }
            for invocation in list.sorted(by: { $0.realStartMs < $1.realStartMs }) {
                let stretch = entry.marks.last { $0.real <= invocation.realStartMs + Self.tolerance }?.stretch ?? 0
                let at = invocation.realStartMs + stretch
                guard var first = invocation.spans.first else {
                    spans.append(
                        Span(
                            id: newID(),
                            parent: spans[entry.span].id, name: invocation.function, kind: .call,
                            function: invocation.function, startMs: at,
                            durationMs: max(0, invocation.realEndMs - invocation.realStartMs), timing: .measured,
                            attributes: [
                                "fnhost.outcome": "error", "fnhost.reason": invocation.error ?? "no answer",
                                "state.attempt": String(invocation.attempt),
                            ]))
                    extend(owner, to: spans[spans.count - 1].endMs)
                    continue
                }
                first.parent = spans[entry.span].id
                first.attributes["state.attempt"] = String(invocation.attempt)
                spans.append(first.shifted(by: at))
                spans += invocation.spans.dropFirst().map { $0.shifted(by: at) }
                extend(owner, to: at + first.durationMs)
            }
        }
    }

    /// Makes a state entry's span reach at least `at`.
    mutating func extend(_ owner: Int, to at: Double) {
        guard var entry = entries[owner] else { return }
        entry.endAt = max(entry.endAt, at)
        entries[owner] = entry
    }

    /// Sets the state and group spans' times, innermost first: a Parallel or Map covers its branches.
    mutating func closeEntries() {
        for (id, entry) in entries.sorted(by: { $0.key > $1.key }) {
            var endAt = entry.endAt
            for g in groups.indices where groups[g].owner == id {
                endAt = max(endAt, groups[g].endAt)
            }
            let startAt = max(0, entry.enteredAt - entry.transitionMs)
            spans[entry.span].startMs = startAt
            spans[entry.span].durationMs = max(0, endAt - startAt)
            var attributes = spans[entry.span].attributes
            if entry.type == "Task" {
                if let resource = entry.resource { attributes["state.resource"] = resource }
                attributes["state.attempts"] = String(entry.attempts)
            }
            attributes["fnhost.outcome"] = entry.exited ? "ok" : "error"
            spans[entry.span].attributes = attributes
            if case .group(let g) = entry.lane {
                groups[g].startAt = min(groups[g].startAt, startAt)
                groups[g].endAt = max(groups[g].endAt, startAt + spans[entry.span].durationMs)
            }
        }
        for g in groups {
            let startAt = g.startAt.isFinite ? g.startAt : 0
            spans[g.span].startMs = startAt
            spans[g.span].durationMs = max(0, g.endAt - startAt)
        }
    }

    static let tolerance = 0.001
    static let joins: Set<String> = [
        "ParallelStateSucceeded", "ParallelStateFailed", "ParallelStateAborted", "MapStateSucceeded", "MapStateFailed",
        "MapStateAborted",
    ]
    static let results: Set<String> = [
        "LambdaFunctionSucceeded", "LambdaFunctionFailed", "TaskSucceeded", "TaskFailed",
    ]
    static let attemptStarts: Set<String> = [
        "LambdaFunctionScheduled", "TaskScheduled", "ParallelStateStarted", "MapStateStarted",
    ]

    static func key(_ name: String, _ previous: Int) -> String { "\(previous) \(name)" }

    static func detail(_ event: HistoryEvent, _ field: String) -> String? {
        guard case .object(let o)? = event.details else { return nil }
        switch o[field] {
        case .string(let s)?: return s
        case .number(let n)?: return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        default: return nil
        }
    }

    /// A Task's resource as its Scheduled event names it.
    static func resource(_ event: HistoryEvent) -> String? {
        if event.type == "TaskScheduled" {
            guard let type = detail(event, "resourceType"), let resource = detail(event, "resource") else { return nil }
            return "arn:aws:states:::\(type):\(resource)"
        }
        return detail(event, "resource")
    }

    /// Each Parallel branch's first state, numbered from 1 in the definition's order.
    static func branchNumbers(_ definition: StateMachineDefinition?) -> [String: Int] {
        guard let definition else { return [:] }
        var numbers: [String: Int] = [:]
        func visit(_ graph: StateGraph) {
            for state in graph.states.values {
                switch state.kind {
                case .parallel(let p):
                    for (i, branch) in p.branches.enumerated() {
                        numbers[branch.startAt] = i + 1
                        visit(branch)
                    }
                case .map(let m): visit(m.processor)
                default: break
                }
            }
        }
        visit(definition.graph)
        return numbers
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}
