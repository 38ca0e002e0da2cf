import FnhostPool

extension FunctionHost {
    /// How many idle workers of `function` the reaper has stopped since the host started (the live page's
    /// `reaped`); 0 for an unknown function.
    public func reapedWorkers(_ function: String) async -> Int {
        await pool(function)?.reapedCount ?? 0
    }
}
