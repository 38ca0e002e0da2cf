import FnhostWire

/// One event of an execution's history, as `GetExecutionHistory` returns it: an id from 1, the id of the event that
/// led to it, a timestamp, AWS's event type and its details object under AWS's field name
/// (`stateEnteredEventDetails`, `lambdaFunctionFailedEventDetails`, …).
public struct HistoryEvent: Hashable, Sendable, Codable {
    public var id: Int
    public var previousEventId: Int
    public var timestamp: Timestamp
    public var type: String
    /// The details' field name in the API (`stateEnteredEventDetails`); nil for events without details.
    public var detailsField: String?
    public var details: JSONValue?

    public init(
        id: Int, previousEventId: Int, timestamp: Timestamp, type: String, detailsField: String?, details: JSONValue?
    ) {
        self.id = id
        self.previousEventId = previousEventId
        self.timestamp = timestamp
        self.type = type
        self.detailsField = detailsField
        self.details = details
    }

    /// The event as the API's JSON (`timestamp` in epoch seconds, as AWS JSON 1.0 writes timestamps).
    public var apiJSON: JSONValue {
        var o: [String: JSONValue] = [
            "id": .number(Double(id)), "previousEventId": .number(Double(previousEventId)),
            "timestamp": .number(Double(timestamp.epochMilliseconds) / 1000), "type": .string(type),
        ]
        if let detailsField, let details { o[detailsField] = details }
        return .object(o)
    }
}

/// The events of one execution, numbered as they are written; each is handed to the observer (to print it, to
/// persist it) and kept for the outcome. The observer is awaited before `record` returns, one call at a time in the
/// order of the ids (Parallel branches and Map iterations write at once), so a durable store sees a checkpoint only
/// after the events before it, and the execution does not go on until its store has them.
actor HistoryRecorder {
    private(set) var events: [HistoryEvent] = []
    private var nextId: Int
    let clock: any StatesClock
    let observer: @Sendable (ExecutionProgress) async -> Void
    private var reporting = false
    /// Step Functions' hard quota: an execution's history holds at most 25,000 events; when the 25,000th would not be
    /// `ExecutionSucceeded`, the execution fails (`States.Runtime`) with `ExecutionFailed` as that event.
    static let maxEvents = 25_000
    /// Whether a state's event was refused because the history is full (the execution must fail next).
    private(set) var overflowed = false

    /// Whether the history has room for no more state events (only the execution's closing one).
    var isFull: Bool { overflowed || nextId >= Self.maxEvents }
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(firstId: Int, clock: any StatesClock, observer: @escaping @Sendable (ExecutionProgress) async -> Void) {
        self.nextId = firstId
        self.clock = clock
        self.observer = observer
    }

    /// Writes an event after `previous` and returns its id. Past the quota a state's event is not written (`previous`
    /// is returned) and the history is marked full; the execution's closing events are always written.
    func record(_ type: String, after previous: Int, _ field: String? = nil, _ details: [String: JSONValue]? = nil)
        async -> Int
    {
        if nextId >= Self.maxEvents && !type.hasPrefix("Execution") {
            overflowed = true
            return previous
        }
        return await report { () -> (ExecutionProgress, Int) in
            let event = HistoryEvent(
                id: nextId, previousEventId: previous, timestamp: clock.now(), type: type, detailsField: field,
                details: details.map(JSONValue.object))
            nextId += 1
            events.append(event)
            return (.event(event), event.id)
        }
    }

    func checkpoint(_ checkpoint: ExecutionCheckpoint) async {
        await report { () -> (ExecutionProgress, Void) in
            var c = checkpoint
            c.nextEventId = nextId
            return (.checkpoint(c), ())
        }
    }

    /// Makes the progress (an id taken, an event kept) and hands it to the observer, alone: the next one waits.
    private func report<T: Sendable>(_ make: () -> (ExecutionProgress, T)) async -> T {
        while reporting { await withCheckedContinuation { waiting.append($0) } }
        reporting = true
        let (progress, value) = make()
        await observer(progress)
        reporting = false
        if !waiting.isEmpty { waiting.removeFirst().resume() }
        return value
    }
}
