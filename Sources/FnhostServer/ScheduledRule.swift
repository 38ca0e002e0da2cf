import FnhostTemplate
import FnhostWire

/// One EventBridge rule that invokes a function on a schedule (a template's `Schedule` event, or a manifest's
/// `schedules`), and the event it sends: EventBridge's scheduled-event JSON, or the rule's `Input`. Pure.
public struct ScheduledRule: Sendable, Equatable {
    public var function: String
    /// The rule's name (in its ARN, `resources` of the event).
    public var name: String
    public var expression: ScheduleExpression
    /// The event sent instead of the scheduled-event JSON (`Input`), as JSON text.
    public var input: String?

    public init(function: String, name: String, expression: ScheduleExpression, input: String? = nil) {
        self.function = function
        self.name = name
        self.expression = expression
        self.input = input
    }

    public func ruleARN(region: String) -> String { "arn:aws:events:\(region):\(ARN.accountID):rule/\(name)" }

    /// The event of the firing at `epochSeconds` (simulated time), with `id` as its event id.
    public func event(at epochSeconds: Int64, id: String, region: String) -> String {
        if let input { return input }
        return "{\"version\":\"0\",\"id\":\(JSONText.quote(id)),\"detail-type\":\"Scheduled Event\","
            + "\"source\":\"aws.events\",\"account\":\"\(ARN.accountID)\",\"time\":\"\(Self.iso(epochSeconds))\","
            + "\"region\":\(JSONText.quote(region)),\"resources\":[\(JSONText.quote(ruleARN(region: region)))],"
            + "\"detail\":{}}"
    }

    /// `2026-11-30T20:05:00Z`, as EventBridge writes `time`.
    static func iso(_ epochSeconds: Int64) -> String {
        let day = CalendarDate(epochMilliseconds: epochSeconds * 1000)
        let s = ((epochSeconds % 86_400) + 86_400) % 86_400
        let two = { (n: Int64) in n < 10 ? "0\(n)" : "\(n)" }
        return "\(day)T\(two(s / 3_600)):\(two(s / 60 % 60)):\(two(s % 60))Z"
    }
}

/// The simulated clock schedules run on: it starts at the real time when `fnhost serve` starts and runs
/// `1 / factor` times as fast as the real one (`--time-scale 0.01`: a simulated minute every 0.6 s). Pure.
public struct ScheduleClock: Sendable, Equatable {
    /// The real and simulated epoch seconds at the start.
    public var origin: Double
    /// The time scale's factor: real seconds per simulated second (> 0).
    public var factor: Double

    public init(origin: Double, factor: Double) {
        precondition(factor > 0)
        self.origin = origin
        self.factor = factor
    }

    /// The simulated epoch seconds after `realElapsed` real seconds.
    public func simulated(afterRealSeconds realElapsed: Double) -> Double { origin + realElapsed / factor }

    /// How many real seconds after the start the simulated instant `epochSeconds` comes.
    public func realSeconds(until epochSeconds: Double) -> Double { (epochSeconds - origin) * factor }

    /// The firings of `rule` within the first `realSeconds` real seconds, as simulated epoch seconds.
    public func firings(of rule: ScheduledRule, withinRealSeconds limit: Double) -> [Int64] {
        var result: [Int64] = []
        var after = Int64(origin.rounded(.down))
        while let next = rule.expression.next(after: after, origin: Int64(origin.rounded(.down))),
            realSeconds(until: Double(next)) <= limit
        {
            result.append(next)
            after = next
        }
        return result
    }
}
