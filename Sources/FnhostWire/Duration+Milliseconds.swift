extension Duration {
    /// The duration in milliseconds, fraction included: the unit of every latency fnhost reports.
    public var inMilliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
