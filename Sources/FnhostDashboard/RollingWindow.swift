/// The last `capacity` whole seconds of something counted per second, in fixed memory: a ring indexed by the
/// second, where a slot still holding an older second is cleared when reused. Seconds older than the window are
/// dropped, so memory never grows with traffic or uptime.
public struct RollingWindow<Bucket: Sendable>: Sendable {
    public let capacity: Int
    private let empty: @Sendable (Int) -> Bucket
    private var slots: [(second: Int, bucket: Bucket)?]
    /// The newest second seen; seconds more than `capacity` before it are out of the window.
    private var newest = Int.min

    /// - Parameter empty: the bucket of a second without activity.
    public init(capacity: Int, empty: @escaping @Sendable (Int) -> Bucket) {
        precondition(capacity > 0, "a rolling window holds at least one second")
        self.capacity = capacity
        self.empty = empty
        slots = Array(repeating: nil, count: capacity)
    }

    /// Changes the bucket of `second`; a second already out of the window is ignored.
    public mutating func update(_ second: Int, _ change: (inout Bucket) -> Void) {
        if newest != Int.min, second <= newest - capacity { return }
        newest = max(newest, second)
        let index = Self.index(second, capacity)
        var bucket = slots[index].flatMap { $0.second == second ? $0.bucket : nil } ?? empty(second)
        change(&bucket)
        slots[index] = (second, bucket)
    }

    /// The `capacity` seconds ending with `last` (included), oldest first; seconds without activity are empty.
    public func buckets(endingAt last: Int) -> [Bucket] {
        ((last - capacity + 1)...last).map { second in
            slots[Self.index(second, capacity)].flatMap { $0.second == second ? $0.bucket : nil } ?? empty(second)
        }
    }

    /// The bucket of one second (empty when it had no activity or is out of the window).
    public func bucket(_ second: Int) -> Bucket {
        slots[Self.index(second, capacity)].flatMap { $0.second == second ? $0.bucket : nil } ?? empty(second)
    }

    private static func index(_ second: Int, _ capacity: Int) -> Int {
        let r = second % capacity
        return r < 0 ? r + capacity : r
    }
}
