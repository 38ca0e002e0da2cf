/// An event source mapping's `State`, with Lambda's names. fnhost applies a change at once, so a mapping rests in
/// `Enabled` or `Disabled`; the transitional states are what Create, Update and Delete answer with, as Lambda does.
public enum MappingState: String, Sendable, Equatable, CaseIterable {
    case creating = "Creating"
    case enabling = "Enabling"
    case enabled = "Enabled"
    case disabling = "Disabling"
    case disabled = "Disabled"
    case updating = "Updating"
    case deleting = "Deleting"

    /// The resting state for `enabled`.
    public static func resting(enabled: Bool) -> MappingState { enabled ? .enabled : .disabled }
}
