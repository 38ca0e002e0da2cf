import FnhostSimulation

/// Why the host could not be set up, or could not start what it was asked to start ahead of traffic; each message
/// says what to do about it.
public enum HostError: Error, Sendable, CustomStringConvertible {
    case launcherMissing(String)
    case profile(ProfileError)
    case provisioningFailed(function: String, reason: String)
    case notReady

    public var description: String {
        switch self {
        case .launcherMissing(let path):
            "fnhost-launch was not found at \(path): build it with `swift build` (or set FNHOST_BUILD_DIR to the folder of the build products)"
        case .profile(let error): "\(error)"
        case .provisioningFailed(let function, let reason):
            "could not start the provisioned concurrency of \(function): \(reason)"
        case .notReady: "the host is not initialised"
        }
    }
}
