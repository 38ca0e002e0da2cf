/// A named set of simulated overheads: one distribution per component for the host, plus per-function overrides.
///
/// fnhost's own costs are tiny (a warm invocation is well under a millisecond); a profile adds what a real Lambda
/// deployment would add, so that experiments show the costs of cold starts, hops and cache misses. Profiles are data
/// (`profiles/*.json`, or a user's file, read by `ProfileLoader`); `sources` keeps each number's provenance.
public struct OverheadProfile: Sendable, Equatable {
    public var name: String
    public var description: String
    /// The host-level distribution of each component; a component missing here is 0.
    public var defaults: [OverheadComponent: Distribution]
    /// Per-function overrides, by function name; components not overridden use `defaults`.
    public var functions: [String: [OverheadComponent: Distribution]]
    /// Where each number comes from, by JSON path (`"defaults.invoke"`, `"functions.rules.coldStart"`).
    public var sources: [String: String]

    public init(
        name: String,
        description: String = "",
        defaults: [OverheadComponent: Distribution],
        functions: [String: [OverheadComponent: Distribution]] = [:],
        sources: [String: String] = [:]
    ) {
        self.name = name
        self.description = description
        self.defaults = defaults
        self.functions = functions
        self.sources = sources
    }

    /// The distribution of `component` for `function` (its override if it has one, else the default).
    public func distribution(_ component: OverheadComponent, function: String? = nil) -> Distribution {
        if let function, let override = functions[function]?[component] {
            return override
        }
        return defaults[component] ?? .zero
    }

    /// Whether this profile never adds any delay.
    public var isZero: Bool {
        defaults.values.allSatisfy(\.isAlwaysZero)
            && functions.values.allSatisfy { $0.values.allSatisfy(\.isAlwaysZero) }
    }

    /// No simulated delay at all: what fnhost itself costs. The same as the built-in `none.json`.
    public static let none = OverheadProfile(
        name: "none",
        description: "No simulated delay: every figure is what fnhost itself costs on this machine.",
        defaults: Dictionary(uniqueKeysWithValues: OverheadComponent.allCases.map { ($0, Distribution.zero) })
    )
}
