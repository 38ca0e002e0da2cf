import ArgumentParser

/// The exit codes scripts can rely on; documented in `fnhost --help` and the README.
enum Exit {
    static let success = ExitCode(0)
    /// At least one invocation ended in a function error.
    static let functionError = ExitCode(1)
    /// A request was refused before reaching a function.
    static let serviceError = ExitCode(2)
    /// The functions, manifests or build products are not usable.
    static let configurationError = ExitCode(3)
}
