import Foundation

extension DashboardSnapshot {
    /// The snapshot as compact JSON with sorted keys (what `/fnhost/snapshot` answers and each event carries).
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every number here is finite (counts and distributions of recorded values), so encoding cannot fail.
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Decodes a snapshot from its JSON.
    public static func decode(_ json: some Collection<UInt8>) throws -> DashboardSnapshot {
        try JSONDecoder().decode(DashboardSnapshot.self, from: Data(json))
    }
}
