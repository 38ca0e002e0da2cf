import FnhostSimulation
import Foundation

/// The virtual environments Python functions run in: one per Python version and `requirements.txt`, made on first
/// use with AWS's runtime interface client (awslambdaric, from PyPI) and reused after, as SAM's build images carry
/// the client for every managed runtime.
public struct PythonEnvironments: Sendable {
    /// Where the environments live: `FNHOST_CACHE_DIR`, else `$XDG_CACHE_HOME/fnhost`, else `~/.cache/fnhost`,
    /// each under `python/`.
    public var directory: String
    /// Hears what is being done (creating an environment takes tens of seconds the first time).
    public var progress: @Sendable (String) -> Void

    public init(
        directory: String = PythonEnvironments.defaultDirectory(), progress: @escaping @Sendable (String) -> Void
    ) {
        self.directory = directory
        self.progress = progress
    }

    public static func defaultDirectory() -> String {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["FNHOST_CACHE_DIR"], !dir.isEmpty { return dir + "/python" }
        if let xdg = env["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg + "/fnhost/python" }
        return (env["HOME"] ?? NSTemporaryDirectory()) + "/.cache/fnhost/python"
    }

    /// The interpreter of the environment for `version` (`3.12`) with `requirements` (a file, or nil) installed,
    /// made now if it does not exist yet.
    public func interpreter(version: String, requirements: String?, function: String) throws(RuntimeSetupError)
        -> String
    {
        let fail = { (reason: String) in RuntimeSetupError(function: function, reason: reason) }
        let python = try findPython(version: version, function: function)
        var key = "awslambdaric"
        if let requirements {
            guard let data = FileManager.default.contents(atPath: requirements) else {
                throw fail("cannot read \(requirements)")
            }
            key += String(decoding: data, as: UTF8.self)
        }
        let hash = String(StableHash.fnv1a64(key), radix: 16)
        let environment = "\(directory)/\(python.version)-\(hash)"
        let ready = environment + "/.fnhost-ready"
        let interpreter = environment + "/bin/python"
        if FileManager.default.fileExists(atPath: ready) { return interpreter }

        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Two fnhost commands starting at once must not build the same environment twice.
        let lock = open(environment + ".lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard lock >= 0 else { throw fail("cannot write in \(directory): set FNHOST_CACHE_DIR to a writable folder") }
        defer { close(lock) }
        flock(lock, LOCK_EX)
        defer { flock(lock, LOCK_UN) }
        if FileManager.default.fileExists(atPath: ready) { return interpreter }

        try? FileManager.default.removeItem(atPath: environment)
        progress("python: creating a virtual environment for Python \(python.version) in \(environment) (once)")
        let log = environment + ".log"
        if let problem = run(python.path, ["-m", "venv", environment], log: log) {
            throw fail(
                "\(python.path) -m venv failed (\(problem)); on Debian or Ubuntu install python3-venv "
                    + "(apt-get install python3-venv); see \(log)")
        }
        var packages = ["awslambdaric"]
        if let requirements { packages += ["-r", requirements] }
        progress("python: installing \(packages.joined(separator: " ")) from PyPI (once)")
        if let problem = run(
            interpreter, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check"] + packages, log: log)
        {
            throw fail(
                "pip could not install \(packages.joined(separator: " ")) (\(problem)): fnhost needs PyPI (or a mirror "
                    + "in PIP_INDEX_URL) the first time it runs a Python function; see \(log)")
        }
        _ = FileManager.default.createFile(atPath: ready, contents: Data())
        progress("python: environment ready")
        return interpreter
    }

    /// `python3.12` when it runs here, else `python3` when that is the same version; else an error that says what
    /// to install. (A pyenv shim may exist for a version that is not installed: each candidate is asked its version.)
    func findPython(version: String, function: String) throws(RuntimeSetupError) -> (path: String, version: String) {
        var other: String?
        for name in ["python\(version)", "python3"] {
            guard let path = Self.onPath(name), let found = Self.version(of: path) else { continue }
            if found == version { return (path, version) }
            other = other ?? found
        }
        if let other {
            throw RuntimeSetupError(
                function: function,
                reason: "its Runtime is python\(version), but this machine has Python \(other) only: install "
                    + "python\(version), or set Runtime: python\(other) in the template to run it here")
        }
        throw RuntimeSetupError(
            function: function,
            reason:
                "its Runtime is python\(version), and there is no python\(version) or python3 on the PATH: install it "
                + "(on Debian: apt-get install python3 python3-venv)")
    }

    /// `3.11` for a Python 3.11 interpreter; nil when it does not run.
    static func version(of interpreter: String) -> String? {
        let pipe = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: interpreter)
        process.arguments = ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"]
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs a setup command with its output in `log`; nil when it succeeded, else what went wrong.
    func run(_ program: String, _ arguments: [String], log: String) -> String? {
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: log) else { return "cannot write \(log)" }
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        do { try process.run() } catch { return "cannot start \(program): \(error)" }
        process.waitUntilExit()
        return process.terminationStatus == 0 ? nil : "exit status \(process.terminationStatus)"
    }

    /// The first executable named `name` on the PATH.
    static func onPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
