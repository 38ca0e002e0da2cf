import FnhostTraces
import FnhostWire
import Foundation
import Synchronization
import TestSupport
import Testing

@testable import FnhostHost

/// The pieces the warm path was rebuilt from for speed (issue 6): one deadline watcher per host instead of a timer
/// task per invocation, and ids drawn from a seeded generator instead of a system call per id.
@Suite struct HotPathTests {
    @Test func aDeadlineDueBeforeTheWatchersNextLookStillFiresOnTime() async throws {
        let watcher = DeadlineWatcher()
        defer { watcher.stop() }
        let fired = Mutex<ContinuousClock.Instant?>(nil)
        let start = ContinuousClock.now
        // The watcher idles for a second between looks; a deadline 50 ms away must wake it early.
        _ = watcher.schedule(at: start + .milliseconds(50)) { fired.withLock { $0 = .now } }
        #expect(await eventually(within: .seconds(2)) { fired.withLock { $0 } != nil }, "the deadline never fired")
        let at = try #require(fired.withLock { $0 })
        #expect(at - start >= .milliseconds(50))
        #expect(
            at - start < .milliseconds(700), "fired after \(at - start), as if the watcher only looked once a second")
    }

    @Test func aCancelledDeadlineNeverFiresAndOthersStillDo() async throws {
        let watcher = DeadlineWatcher()
        defer { watcher.stop() }
        let fired = Mutex<[String]>([])
        let now = ContinuousClock.now
        let cancelled = watcher.schedule(at: now + .milliseconds(30)) { fired.withLock { $0.append("cancelled") } }
        _ = watcher.schedule(at: now + .milliseconds(60)) { fired.withLock { $0.append("kept") } }
        watcher.cancel(cancelled)
        #expect(
            await eventually(within: .seconds(2)) { !fired.withLock { $0 }.isEmpty }, "the kept deadline never fired")
        // The cancelled deadline was due 30 ms before the kept one: had the cancel not held, it would have fired first.
        #expect(fired.withLock { $0 } == ["kept"])
    }

    @Test func requestIDsAreLowercaseVersion4UUIDsThatDoNotRepeat() {
        let ids = Identifiers()
        var seen = Set<String>()
        for _ in 0..<10_000 {
            let id = ids.requestID()
            let groups = id.split(separator: "-", omittingEmptySubsequences: false)
            #expect(groups.map(\.count) == [8, 4, 4, 4, 12], "\(id)")
            #expect(id.allSatisfy { "0123456789abcdef-".contains($0) }, "\(id)")
            #expect(groups[2].first == "4", "version nibble of \(id)")
            #expect("89ab".contains(groups[3].first!), "variant bits of \(id)")
            seen.insert(id)
        }
        #expect(seen.count == 10_000)
    }

    @Test func traceIDsHaveXRaysShapeAndStartWithTheEpochSeconds() {
        let before = UInt32(Date().timeIntervalSince1970)
        let trace = Identifiers().newTraceID()
        let root = trace.xray.split(separator: "-")
        #expect(root.count == 3 && root[0] == "1" && root[1].count == 8 && root[2].count == 24, "\(trace)")
        #expect(trace.epochSeconds >= before && trace.epochSeconds <= before + 5, "\(trace)")
        #expect(Hex.string(0xABC, digits: 6) == "000abc")
    }
}
