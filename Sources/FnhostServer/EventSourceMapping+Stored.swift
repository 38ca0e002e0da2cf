import FnhostEventSources
import FnhostStore

/// A mapping to and from its store row: the settings as the API's JSON, the state and origin by name. Used by
/// serve and by `fnhost mappings`, which reads the store directly.
extension EventSourceMapping {
    /// The mapping a row holds; nil for a row this build cannot read (an unknown source kind).
    public init?(stored row: StoredMapping) {
        guard let kind = EventSourceKind(arn: row.sourceARN),
            let settings = MappingSettings.fromStored(row.settings, kind: kind)
        else { return nil }
        self.init(
            uuid: row.uuid, function: row.function, eventSourceARN: row.sourceARN, kind: kind,
            state: MappingState(rawValue: row.state) ?? .resting(enabled: settings.enabled), settings: settings,
            origin: Origin(rawValue: row.origin) ?? .api, lastModified: row.modifiedAt)
    }

    /// The row the store keeps.
    public var stored: StoredMapping {
        StoredMapping(
            uuid: uuid, function: function, sourceARN: eventSourceARN, state: state.rawValue,
            settings: settings.stored(kind: kind), origin: origin.rawValue, modifiedAt: lastModified)
    }
}
