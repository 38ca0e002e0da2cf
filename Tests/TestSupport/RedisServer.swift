import FnhostHost
import Foundation

/// Shared by the test targets that need Redis (the cache tiers, the experiment, serve's Redis outage). A real `redis-server` started by a test on a free loopback port, without persistence, and stopped by it.
///
/// The integration tests must run wherever `redis-server` is installed (CI installs it): there is no skipping.
/// When it is missing, `start()` fails the test with a message saying how to install it.
public final class RedisServer: @unchecked Sendable {
    public static let executable = ProcessInfo.processInfo.environment["FNHOST_REDIS_SERVER"] ?? "/usr/bin/redis-server"

    public let port: Int
    private var pid: pid_t?

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts a server on a free port and waits until it answers PING.
    public static func start() throws -> RedisServer {
        let server = RedisServer(port: try freePort())
        try server.launch()
        return server
    }

    private init(port: Int) {
        self.port = port
    }

    deinit { stop() }

    public var url: String { "redis://127.0.0.1:\(port)" }

    /// Starts the server again on the same port (after `kill()`), with an empty data set.
    public func restart() throws {
        stop()
        try launch()
    }

    /// Kills the server abruptly (SIGKILL), as a crash would.
    public func kill() {
        guard let pid else { return }
        Foundation.kill(pid, SIGKILL)
        reap(pid)
    }

    /// Stops the server. It holds nothing worth a graceful shutdown (no persistence), and redis-server takes over a
    /// second to exit on SIGTERM, so this kills it too.
    public func stop() {
        kill()
    }

    private func reap(_ pid: pid_t) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        self.pid = nil
    }

    private func launch() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable) else {
            throw Failure(
                description:
                    "redis-server not found at \(Self.executable): the tests that use a shared cache need a real "
                    + "Redis. Install it (apt-get install redis-server) or set FNHOST_REDIS_SERVER to its path.")
        }
        let arguments = [
            Self.executable, "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--loglevel", "warning", "--logfile", "", "--dir",
            FileManager.default.temporaryDirectory.path,
        ]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, Self.executable, &actions, nil, &argv, environ)
        guard result == 0 else {
            throw Failure(description: "posix_spawn redis-server failed: \(String(cString: strerror(result)))")
        }
        pid = child
        let deadline = Date().addingTimeInterval(10)
        var status: Int32 = 0
        while Date() < deadline {
            if let redis = try? RawRedis(port: port), (try? redis.run("PING")) == .status("PONG") { return }
            if waitpid(child, &status, WNOHANG) == child {
                pid = nil
                throw Failure(description: "redis-server exited with status \(status) on port \(port)")
            }
            usleep(5_000)
        }
        stop()
        throw Failure(description: "redis-server did not answer PING on port \(port) within 10 s")
    }

    /// A loopback port nobody listens on right now.
    public static func freePort() throws -> Int { try LoopbackPort.free() }
}
