import FnhostWire
import Synchronization

/// One event on its way to a worker: what `GET /runtime/invocation/next` answers.
public struct Delivery: Sendable {
    public var requestID: String
    public var payload: [UInt8]
    public var deadlineMs: Int64
    public var functionARN: String
    public var traceID: String
    public var clientContext: String?
    /// Gets each chunk of a streamed response (`Lambda-Runtime-Function-Response-Mode: streaming`) as it arrives,
    /// on the Runtime API's event loop; nil when the caller waits for the whole answer.
    public var onChunk: (@Sendable ([UInt8]) -> Void)? = nil
}

/// How one invocation ended, as the worker (or its absence) told it.
public enum WorkerOutcome: Sendable {
    /// `POST .../response`, with the extra headers the runtime sent (fnhost annotations such as the cache outcome).
    case response([UInt8], annotations: [String: String])
    /// `POST .../error`: the function reported an error; the worker stays usable.
    case functionError(FunctionError, annotations: [String: String])
    /// The worker process ended during the invocation.
    case exited(String)
    /// The deadline passed.
    case timedOut
    /// The worker broke the Runtime API's protocol.
    case protocolViolation(String)
}

extension WorkerOutcome {
    /// True when the function itself answered (response or error), false when the platform ended the invocation.
    var isReportedByFunction: Bool {
        switch self {
        case .response, .functionError: true
        case .exited, .timedOut, .protocolViolation: false
        }
    }
}

/// Why a worker's channel closed.
enum ChannelClosure: Sendable {
    case exited(String)
    case initFailed(FunctionError)
    case stopped
    case timedOut
}

/// The rendezvous between the host and one worker's Runtime API: the host offers an event and waits for its
/// outcome; the worker's `next` picks the event up and its `response`/`error` settles it.
///
/// It enforces the isolation Lambda gives: the worker can only fetch events offered to it and only answer the one
/// request it holds; an answer for any other request id is refused.
final class RuntimeChannel: Sendable {
    private struct State {
        var ready = false
        var readyWaiter: CheckedContinuation<Void, any Error>?
        var parkedNext: (connection: ObjectIdentifier, waiter: NextWaiter)?
        var pending: Delivery?
        var current: (id: String, waiter: CheckedContinuation<WorkerOutcome, Never>?)?
        /// Where the current invocation's streamed chunks go.
        var onChunk: (@Sendable ([UInt8]) -> Void)?
        var closed: ChannelClosure?
    }

    private let state = Mutex(State())

    // MARK: Worker side (the Runtime API handlers)

    /// Who is waiting in `GET /next`: the connection it came on, and what to call with the event (or nil once the
    /// channel is closed). The call may come on any thread; the Runtime API handler hops to its event loop.
    typealias NextWaiter = @Sendable (Delivery?) -> Void

    /// `GET /next`: `onDelivery` gets the next event now, or when the host offers one; nil once the channel is
    /// closed. A second `next` replaces the first (which gets nil).
    /// - Parameter connection: identifies the waiting connection, so that its closing can withdraw the wait.
    func next(connection: ObjectIdentifier, _ onDelivery: @escaping NextWaiter) {
        let actions: [() -> Void] = state.withLock { s in
            if s.closed != nil { return [{ onDelivery(nil) }] }
            var actions: [() -> Void] = []
            if !s.ready {
                s.ready = true
                if let w = s.readyWaiter { s.readyWaiter = nil; actions.append { w.resume() } }
            }
            if let cur = s.current, let waiter = cur.waiter, s.pending == nil {
                // Asking for the next event while holding one: the held one can never be answered.
                s.current = nil
                s.onChunk = nil
                actions.append {
                    waiter.resume(
                        returning: .protocolViolation(
                            "the runtime asked for the next event without answering request \(cur.id)"))
                }
            }
            if let pending = s.pending {
                s.pending = nil
                actions.append { onDelivery(pending) }
            } else {
                if let old = s.parkedNext { actions.append { old.waiter(nil) } }
                s.parkedNext = (connection, onDelivery)
            }
            return actions
        }
        for action in actions { action() }
    }

    /// The connection waiting in `GET /next` closed: an event offered later must wait for the next `GET /next`
    /// instead of being written to a dead connection.
    func withdrawNext(connection: ObjectIdentifier) {
        state.withLock { s in
            if s.parkedNext?.connection == connection { s.parkedNext = nil }
        }
    }

    enum AnswerResult { case accepted, unknownRequest, closed }

    /// `POST /invocation/{id}/response` or `/error`.
    func answer(requestID: String, outcome: WorkerOutcome) -> AnswerResult {
        let (result, waiter): (AnswerResult, CheckedContinuation<WorkerOutcome, Never>?) = state.withLock { s in
            if s.closed != nil { return (.closed, nil) }
            guard let cur = s.current, cur.id == requestID, s.pending == nil else { return (.unknownRequest, nil) }
            s.current = nil
            s.onChunk = nil
            return (.accepted, cur.waiter)
        }
        waiter?.resume(returning: outcome)
        return result
    }

    /// A chunk of the streamed response to `requestID`, passed on to whoever invoked; false when the worker holds
    /// no such invocation (the chunk is dropped).
    func stream(requestID: String, chunk: [UInt8]) -> Bool {
        let sink: (@Sendable ([UInt8]) -> Void)?? = state.withLock { s in
            guard s.closed == nil, let cur = s.current, cur.id == requestID, s.pending == nil else { return .none }
            return .some(s.onChunk)
        }
        guard let sink else { return false }
        sink?(chunk)
        return true
    }

    /// `POST /init/error`: accepted only during init.
    func initFailed(_ error: FunctionError) -> AnswerResult {
        let waiter: CheckedContinuation<Void, any Error>?? = state.withLock { s in
            guard s.closed == nil, !s.ready else { return .none }
            s.closed = .initFailed(error)
            defer { s.readyWaiter = nil }
            return .some(s.readyWaiter)
        }
        guard let w = waiter else { return .unknownRequest }
        w?.resume(throwing: WorkerStartError.initFailed(error))
        return .accepted
    }

    // MARK: Host side

    /// Waits until the worker asks for its first event (its init is done), or fails as init fails.
    func waitReady() async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            let result: Result<Bool, WorkerStartError> = state.withLock { s in
                switch s.closed {
                case .initFailed(let e)?: return .failure(.initFailed(e))
                case .exited(let why)?: return .failure(.exited(why))
                case .timedOut?: return .failure(.initTimedOut)
                case .stopped?: return .failure(.stopped)
                case nil:
                    if s.ready { return .success(true) }
                    s.readyWaiter = c
                    return .success(false)
                }
            }
            switch result {
            case .success(true): c.resume()
            case .success(false): break
            case .failure(let e): c.resume(throwing: e)
            }
        }
    }

    /// Hands an event to the worker and waits for how it ends.
    func deliver(_ delivery: Delivery) async -> WorkerOutcome {
        await withCheckedContinuation { (c: CheckedContinuation<WorkerOutcome, Never>) in
            let action: () -> Void = state.withLock { s in
                switch s.closed {
                case .exited(let why)?: return { c.resume(returning: .exited(why)) }
                case .timedOut?: return { c.resume(returning: .timedOut) }
                case .initFailed?, .stopped?: return { c.resume(returning: .exited("the worker was stopped")) }
                case nil: break
                }
                s.current = (delivery.requestID, c)
                s.onChunk = delivery.onChunk
                if let parked = s.parkedNext {
                    s.parkedNext = nil
                    return { parked.waiter(delivery) }
                }
                s.pending = delivery
                return {}
            }
            action()
        }
    }

    /// Closes the channel: every waiter is released (parked `next` calls get nil, so a graceful shutdown never
    /// hangs on them), and nothing more is accepted. Returns false if it was already closed.
    @discardableResult
    func close(_ why: ChannelClosure) -> Bool {
        let actions: [() -> Void]? = state.withLock { s in
            guard s.closed == nil else { return nil }
            s.closed = why
            var actions: [() -> Void] = []
            if let w = s.readyWaiter {
                s.readyWaiter = nil
                let error: WorkerStartError =
                    switch why {
                    case .exited(let d): .exited(d)
                    case .initFailed(let e): .initFailed(e)
                    case .timedOut: .initTimedOut
                    case .stopped: .stopped
                    }
                actions.append { w.resume(throwing: error) }
            }
            if let p = s.parkedNext { s.parkedNext = nil; actions.append { p.waiter(nil) } }
            if let cur = s.current, let w = cur.waiter {
                s.current = nil
                let outcome: WorkerOutcome =
                    switch why {
                    case .exited(let d): .exited(d)
                    case .timedOut: .timedOut
                    case .initFailed, .stopped: .exited("the worker was stopped")
                    }
                actions.append { w.resume(returning: outcome) }
            }
            s.pending = nil
            s.onChunk = nil
            return actions
        }
        guard let actions else { return false }
        for action in actions { action() }
        return true
    }

    /// Whether the worker can still take events (its process runs and nothing has closed the channel).
    var isOpen: Bool { state.withLock { $0.closed == nil } }
}

/// Why a worker could not be started.
public enum WorkerStartError: Error, Sendable, CustomStringConvertible {
    case spawnFailed(String)
    case initFailed(FunctionError)
    case exited(String)
    case initTimedOut
    case initTimedOutAfter(Duration)
    case stopped

    public var description: String {
        switch self {
        case .spawnFailed(let m): "could not start the worker: \(m)"
        case .initFailed(let e): "init failed: \(e.errorType): \(e.errorMessage)"
        case .exited(let why): "the worker exited during init (\(why))"
        case .initTimedOut: "init did not finish within \(Int(WorkerLimits.initTimeoutSeconds)) seconds"
        case .initTimedOutAfter(let d):
            "init did not finish within \(FunctionError.formatSeconds(d.inMilliseconds / 1000)) seconds"
        case .stopped: "the worker was stopped during init"
        }
    }

    /// The function error an invocation reports when its worker failed to start, as Lambda reports it.
    public var functionError: FunctionError {
        switch self {
        case .initFailed(let e):
            FunctionError(
                errorMessage: e.errorMessage, errorType: e.errorType.isEmpty ? "Runtime.InitError" : e.errorType,
                stackTrace: e.stackTrace)
        case .exited(let why): .exitError(requestID: "init", why)
        case .initTimedOut:
            FunctionError(
                errorMessage: "Init timed out after \(Int(WorkerLimits.initTimeoutSeconds)).00 seconds",
                errorType: "Runtime.InitTimeout")
        case .initTimedOutAfter(let d):
            FunctionError(
                errorMessage: "Init timed out after \(FunctionError.formatSeconds(d.inMilliseconds / 1000)) seconds",
                errorType: "Runtime.InitTimeout")
        case .spawnFailed(let m): FunctionError(errorMessage: m, errorType: "Runtime.InvalidEntrypoint")
        case .stopped: FunctionError(errorMessage: "the worker was stopped during init", errorType: "Runtime.ExitError")
        }
    }
}

/// Lambda's fixed limits on an execution environment.
public enum WorkerLimits {
    /// Init is capped at 10 seconds.
    public static let initTimeoutSeconds = 10.0
}
