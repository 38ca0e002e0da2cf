import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

// Clients that misbehave on purpose, over plain POSIX sockets: connections that send nothing, a request a byte at a
// time, a body that stops halfway, thousands of connections left open. Every call blocks; run them with `onThread`.

/// One TCP connection to the server on 127.0.0.1.
struct RawSocket: Sendable {
    let fd: Int32
    /// When the connection was established: the times of ``waitForClose(_:within:)`` count from it.
    let opened: ContinuousClock.Instant

    /// How a connection ended, as the client saw it.
    struct Ending: Sendable {
        /// Every byte the server sent.
        var received: [UInt8]
        /// When the server closed it, from the connection's opening (or a trickle's first byte); nil if it was still
        /// open at the deadline.
        var closedAfter: Duration?

        /// The server's answer, if it sent a whole one.
        var response: HTTPResponse? {
            if case .complete(let response) = HTTPParser.parse(received, atEOF: true) { return response }
            return nil
        }
    }

    /// Connects (blocking).
    static func connect(port: Int) throws -> RawSocket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            let message = String(cString: strerror(errno))
            Glibc.close(fd)
            throw TestFailure("connect to 127.0.0.1:\(port): \(message)")
        }
        return RawSocket(fd: fd, opened: .now)
    }

    /// Sends all of `bytes`; false when the server no longer takes them.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            sent += n
        }
        return true
    }

    func close() { Glibc.close(fd) }

    /// Reads until the server closes the connection, or `limit` passes.
    func waitForClose(within limit: Duration) -> Ending {
        Self.waitForClose([self], within: limit)[0]
    }

    /// Sends `bytes` one at a time, `interval` apart, reading meanwhile, until the server closes the connection or
    /// `limit` passes; the ending's time counts from the first byte.
    func trickle(_ bytes: [UInt8], every interval: Duration, within limit: Duration) -> Ending {
        let start = ContinuousClock.now
        var received: [UInt8] = []
        for byte in bytes {
            guard send([byte]) else { break }
            let ending = Self.read(fd, into: &received, until: min(ContinuousClock.now + interval, start + limit))
            if ending { return Ending(received: received, closedAfter: ContinuousClock.now - start) }
            if ContinuousClock.now >= start + limit { return Ending(received: received, closedAfter: nil) }
        }
        let rest = waitForClose(within: limit - (ContinuousClock.now - start))
        return Ending(received: received + rest.received, closedAfter: rest.closedAfter.map { _ in .now - start })
    }

    /// Waits for the server to close every one of `sockets`, reading what it sends, until `limit` passes. Each time
    /// counts from its socket's opening.
    static func waitForClose(_ sockets: [RawSocket], within limit: Duration) -> [Ending] {
        let start = ContinuousClock.now
        var endings = sockets.map { _ in Ending(received: [], closedAfter: nil) }
        var open = Array(sockets.indices)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !open.isEmpty {
            let remaining = start + limit - ContinuousClock.now
            guard remaining > .zero else { break }
            var fds = open.map { pollfd(fd: sockets[$0].fd, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(remaining.milliseconds + 1, 1000)))
            if ready <= 0 { continue }
            var stillOpen: [Int] = []
            for (slot, index) in open.enumerated() {
                guard fds[slot].revents != 0 else {
                    stillOpen.append(index)
                    continue
                }
                let n = recv(sockets[index].fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
                if n > 0 {
                    endings[index].received += buffer[0..<n]
                    stillOpen.append(index)
                } else if n < 0 && (errno == EAGAIN || errno == EINTR) {
                    stillOpen.append(index)
                } else {
                    endings[index].closedAfter = ContinuousClock.now - sockets[index].opened
                }
            }
            open = stillOpen
        }
        return endings
    }

    /// Reads what is there until `deadline`; true when the server closed the connection.
    private static func read(_ fd: Int32, into received: inout [UInt8], until deadline: ContinuousClock.Instant)
        -> Bool
    {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return false }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, Int32(remaining.milliseconds + 1)) > 0 else { continue }
            let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if n > 0 {
                received += buffer[0..<n]
            } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
                return true
            }
        }
    }
}

extension Duration {
    /// Whole milliseconds, for poll(2).
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }

    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// The file-descriptor limit of this process (and so of the servers it starts).
enum DescriptorLimit {
    /// Raises the soft limit to at least `wanted` (as far as the hard limit allows); returns the soft limit now.
    @discardableResult
    static func raise(to wanted: Int) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        if limit.rlim_cur < rlim_t(wanted) {
            limit.rlim_cur = min(rlim_t(wanted), limit.rlim_max)
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return Int(clamping: limit.rlim_cur)
    }

    /// How many descriptors process `pid` has open now.
    static func openCount(of pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    }
}
