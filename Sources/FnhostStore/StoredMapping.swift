/// One event source mapping as the store keeps it: the mapping layer (`FnhostEventSources`) encodes its settings
/// and reads them back; the store keeps the row, one per function and source.
public struct StoredMapping: Sendable, Equatable {
    public var uuid: String
    public var function: String
    public var sourceARN: String
    /// The mapping's resting state (`Enabled`, `Disabled`).
    public var state: String
    /// The settings, encoded by the mapping layer (a JSON object of the API's fields).
    public var settings: String
    /// `api` or `manifest`.
    public var origin: String
    /// Unix epoch milliseconds.
    public var modifiedAt: Int64

    public init(
        uuid: String, function: String, sourceARN: String, state: String, settings: String, origin: String,
        modifiedAt: Int64
    ) {
        self.uuid = uuid
        self.function = function
        self.sourceARN = sourceARN
        self.state = state
        self.settings = settings
        self.origin = origin
        self.modifiedAt = modifiedAt
    }
}
