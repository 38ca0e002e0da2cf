/// A goal of issue 6 that a figure is held to.
enum Goal: Codable, Sendable, Equatable {
    /// The figure's median at most this many times its floor's (latencies).
    case atMostTimesFloor(Double)
    /// The figure's median at least this fraction of its floor's (throughput).
    case atLeastFractionOfFloor(Double)
    /// The figure's median at most this value, in the figure's unit (memory).
    case atMost(Double)
    /// No errors at all.
    case noErrors
    /// The figure's median at least this value, in the figure's unit (the store's messages per second).
    case atLeast(Double)

    var text: String {
        switch self {
        case .atMostTimesFloor(let x): "≤ \(Format.measurement(x))× floor"
        case .atLeastFractionOfFloor(let f): "≥ \(Format.fixed(f * 100, 0)) % of floor"
        case .atMost(let v): "< \(Format.measurement(v))"
        case .noErrors: "0 errors"
        case .atLeast(let v): "≥ \(Format.measurement(v))"
        }
    }
}

/// One line of the report: a measured figure, the floor it is compared with (measured in the same run), the ratio,
/// and, where issue 6 sets one, the goal and whether it was met.
///
/// `median` and `p99` are in `unit`. For throughput rows `median` is requests per second (the median over the
/// rounds) and `latencyP99Ms` is wrk's p99 latency (the median over the rounds).
struct Figure: Codable, Sendable {
    /// A stable key for machines: `floor.http`, `warm.p50`, `throughput.gateway.64`, ...
    var id: String
    var section: String
    var label: String
    var unit: String
    var median: Double
    var p99: Double?
    var count: Int
    var floorID: String?
    var floorLabel: String?
    var floorMedian: Double?
    /// median ÷ floor median.
    var ratio: Double?
    var goal: Goal?
    var goalText: String?
    var met: Bool?
    var errors: Int?
    var latencyP50Ms: Double?
    var latencyP99Ms: Double?
    var note: String?

    init(
        id: String, section: String, label: String, unit: String, summary: Summary, note: String? = nil
    ) {
        self.id = id
        self.section = section
        self.label = label
        self.unit = unit
        self.median = summary.median
        self.p99 = summary.p99
        self.count = summary.count
        self.note = note
    }

    init(id: String, section: String, label: String, unit: String, value: Double, count: Int = 1, note: String? = nil) {
        self.id = id
        self.section = section
        self.label = label
        self.unit = unit
        self.median = value
        self.p99 = nil
        self.count = count
        self.note = note
    }

    /// Compares this figure with `floor` (a figure of the same unit measured in this run).
    func against(_ floor: Figure?, goal: Goal? = nil) -> Figure {
        var copy = self
        if let floor {
            copy.floorID = floor.id
            copy.floorLabel = floor.label
            copy.floorMedian = floor.median
            copy.ratio = floor.median > 0 ? median / floor.median : nil
        }
        copy.goal = goal
        copy.goalText = goal?.text
        if let goal {
            switch goal {
            case .atMostTimesFloor(let x): copy.met = copy.ratio.map { $0 <= x }
            case .atLeastFractionOfFloor(let f): copy.met = copy.ratio.map { $0 >= f }
            case .atMost(let v): copy.met = median < v
            case .noErrors: copy.met = (errors ?? 0) == 0
            case .atLeast(let v): copy.met = median >= v
            }
        }
        return copy
    }
}

/// Everything one run produced: the machine, the counts it ran with, and the figures in order.
struct Report: Codable, Sendable {
    var tool = "fnhost-bench"
    var quick: Bool
    var machine: Machine
    var figures: [Figure] = []
    /// Things that went wrong without stopping the run (a section that could not run, and why).
    var problems: [String] = []

    mutating func add(_ figure: Figure) { figures.append(figure) }

    func figure(_ id: String) -> Figure? { figures.first { $0.id == id } }
}
