import FnhostWire

extension BatchTrace {
    /// The attempt's trace: the batch's span at the root (the whole attempt, from the start of the receive to the
    /// end of the invocation, the invocation at its Lambda length as the REPORT line's `fnhost Latency`), the
    /// receive below it (measured) when the poller timed it, then the invocation's spans (or the refusal's one),
    /// with the batch's facts, its result and what happens next as the root span's attributes.
    /// - Parameter newID: draws the ids of the receive's and a refusal's spans.
    public func trace(_ attempt: Attempt, result: Result, next: [Next], newID: () -> SpanID) -> Trace {
        let receive = max(0, receiveMs ?? 0)
        // The invocation begins after the receive (and the event's making, measured by the wall clock).
        let offset = max(receive, attempt.invocation.startedAtMs - takenAtMs)
        var body: [Span]
        switch attempt.invocation {
        case .ran(_, let spans, _):
            body = spans.map { $0.shifted(by: offset) }
            if !body.isEmpty { body[0].parent = attempt.batchSpan }
        case .refused(let outcome, let reason, _, let waitedMs):
            body = [
                Span(
                    id: newID(), parent: attempt.batchSpan, name: function, kind: .call, function: function,
                    startMs: offset, durationMs: max(0, waitedMs), timing: .measured,
                    attributes: ["fnhost.outcome": outcome.rawValue, "fnhost.reason": reason])
            ]
        }
        let total = offset + (body.first?.durationMs ?? 0)
        // The batch's span holds measured and simulated time (the invocation's); it is marked measured, as an
        // invocation's own span is, and its parts say which is which.
        var spans = [
            Span(
                id: attempt.batchSpan, parent: nil, name: spanName, kind: .batch, function: function, startMs: 0,
                durationMs: total, timing: .measured, attributes: attributes(result: result, next: next))
        ]
        if let receiveMs {
            spans.append(
                Span(
                    id: newID(), parent: attempt.batchSpan, name: "receive", kind: .overhead, function: function,
                    startMs: 0, durationMs: max(0, receiveMs), timing: .measured,
                    attributes: ["messaging.operation": "receive", "messaging.destination.name": sourceName]))
        }
        spans += body
        return Trace(
            id: attempt.traceID, root: sourceName, trigger: source.trigger, startedAtMs: takenAtMs, durationMs: total,
            outcome: result.outcome, spans: spans)
    }

    /// The root span's attributes: OpenTelemetry's messaging and FaaS names where they have one, fnhost's else.
    func attributes(result: Result, next: [Next]) -> [String: String] {
        var a: [String: String] = [
            "messaging.system": source == .queue ? "aws_sqs" : "aws_kinesis",
            "messaging.destination.name": sourceName,
            "messaging.batch.message_count": String(size),
            "faas.trigger": source == .queue ? "pubsub" : "datasource",
            "fnhost.source.arn": sourceARN,
            "fnhost.mapping": mapping,
            "fnhost.batch.attempt": String(attempt),
            "fnhost.batch.result": result.description,
            "fnhost.outcome": result.outcome.rawValue,
        ]
        if !firstIdentifiers.isEmpty {
            a["fnhost.batch.ids"] =
                firstIdentifiers.joined(separator: ", ")
                + (lastIdentifier.map { (size > Self.keptIdentifiers + 1 ? ", …, " : ", ") + $0 } ?? "")
        }
        if !next.isEmpty { a["fnhost.batch.next"] = next.map(\.description).joined(separator: "; ") }
        if let shardID { a["kinesis.shardId"] = shardID }
        if let receiveCounts {
            a["sqs.receiveCount"] =
                receiveCounts.lowerBound == receiveCounts.upperBound
                ? String(receiveCounts.lowerBound) : "\(receiveCounts.lowerBound)–\(receiveCounts.upperBound)"
        }
        if let half { a["fnhost.batch.half"] = half }
        if let ageMs { a["fnhost.batch.ageMs"] = LogLines.milliseconds(max(0, ageMs)) }
        return a
    }
}
