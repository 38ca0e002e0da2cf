import Synchronization

/// A flag set once, when `fnhost serve` shuts down: running executions then stop writing (they stay RUNNING at
/// their last checkpoint) instead of recording an abort.
final class SuspensionFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    func set() { flag.store(true, ordering: .sequentiallyConsistent) }

    var isSet: Bool { flag.load(ordering: .sequentiallyConsistent) }
}
