import RuleEngine
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The rule set as a file on disk: loaded once, then re-read whenever the file changes (modification time,
/// size or inode), so that an edit to `rules.json` takes effect on the next invocation.
///
/// A broken edit is refused, not half-applied: every invocation fails with the validation error until the file
/// changes again, so the mistake is visible at once instead of hidden behind the previous rules.
final class RuleSetFile: Sendable {
    let path: String
    private let state: Mutex<State>

    private struct State {
        var stamp: FileStamp?
        var result: Result<RuleSet, RuleSetError>
        var lastGood: RuleSet
    }

    /// Loads the file; throws if it is missing or invalid.
    init(path: String) throws(RuleSetError) {
        self.path = path
        let stamp = FileStamp(path: path)
        let ruleSet = try Self.load(path)
        state = Mutex(State(stamp: stamp, result: .success(ruleSet), lastGood: ruleSet))
    }

    /// The rule set loaded at Init or by the latest successful reload.
    var loaded: RuleSet { state.withLock { $0.lastGood } }

    /// The rule set as the file stands now, re-reading it if it changed since the last look.
    func current() throws(RuleSetError) -> (ruleSet: RuleSet, reloaded: Bool) {
        let outcome: (Result<RuleSet, RuleSetError>, Bool) = state.withLock { state in
            let stamp = FileStamp(path: path)
            guard stamp != state.stamp || stamp == nil else { return (state.result, false) }
            // Stamp first, then read: if the file changes during the read, the next look sees a newer stamp.
            state.stamp = stamp
            do throws(RuleSetError) {
                let ruleSet = try Self.load(path)
                state.result = .success(ruleSet)
                state.lastGood = ruleSet
            } catch {
                state.result = .failure(error)
            }
            return (state.result, true)
        }
        return (try outcome.0.get(), outcome.1)
    }

    private static func load(_ path: String) throws(RuleSetError) -> RuleSet {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw RuleSetError(source: path, reason: .unreadable(String(cString: strerror(errno)))) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw RuleSetError(source: path, reason: .unreadable(String(cString: strerror(errno))))
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return try RuleSet(jsonBytes: bytes, source: path)
    }
}
