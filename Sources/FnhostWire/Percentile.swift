/// Nearest-rank percentiles, the one definition behind every percentile fnhost prints (the `invoke` summary,
/// experiments, the benchmark): the smallest value such that at least `p` % of the sample is at or below it.
public enum Percentile {
    /// The `p`-th percentile (`p` in 0...100) of values already sorted ascending; 0 for an empty sample.
    public static func nearestRank(_ sorted: some RandomAccessCollection<Double>, _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[sorted.index(sorted.startIndex, offsetBy: min(max(rank, 0), sorted.count - 1))]
    }
}
