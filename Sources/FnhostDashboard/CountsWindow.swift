/// A window of a function's counts (`DashboardSnapshot.Totals`, `DashboardSnapshot.Second`): its counts read and
/// written as its own members (`totals.invocations`).
@dynamicMemberLookup
public protocol CountsWindow {
    var counts: DashboardSnapshot.Counts { get set }
}

extension CountsWindow {
    public subscript<T>(dynamicMember path: WritableKeyPath<DashboardSnapshot.Counts, T>) -> T {
        get { counts[keyPath: path] }
        set { counts[keyPath: path] = newValue }
    }

    public subscript<T>(dynamicMember path: KeyPath<DashboardSnapshot.Counts, T>) -> T { counts[keyPath: path] }
}
