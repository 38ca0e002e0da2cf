import CSockDiag
import NIOCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Makes a worker's Runtime API endpoint accept connections from that worker only (its process and the processes
/// it started), as Lambda's sandbox does. On each new connection it:
/// 1. finds the inode of the client's socket: one `NETLINK_SOCK_DIAG` query for that exact loopback connection
///    (``socketInode(localPort:remotePort:)``), or, only when sock_diag gives no answer, a scan of `/proc/net/tcp`
///    and `/proc/net/tcp6`;
/// 2. walks the worker's process tree (`/proc/PID/task/TID/children`) and looks for a process holding that socket
///    among its open descriptors (`/proc/PID/fd/*` → `socket:[INODE]`).
///
/// Anyone else is disconnected: what it sent is held back, never parsed, and dropped with the connection. Until the
/// worker's pid is known (``allow(pid:)``) the check waits for it, for at most a second, then refuses.
///
/// The check costs one sock_diag round trip (tens of microseconds) and a `readlink` per descriptor of the worker's
/// processes; the `/proc/net/tcp` fallback costs milliseconds, as the kernel prints its whole socket table. A Lambda
/// runtime keeps one connection for its whole life; a shell bootstrap makes two per invocation.
final class PeerVerifier: Sendable {
    private let workerPID = Mutex<pid_t?>(nil)

    /// Set once the worker is spawned; until then every connection is refused.
    func allow(pid: pid_t) { workerPID.withLock { $0 = pid } }

    /// Whether the worker's pid is known yet: a fast worker can connect before the host has learnt its pid.
    var knowsWorker: Bool { workerPID.withLock { $0 != nil } }

    /// Whether the client at `client` (connected to our `server` address) is the worker or one of its descendants.
    func accepts(client: SocketAddress?, server: SocketAddress?) -> Bool {
        guard let pid = workerPID.withLock({ $0 }), let clientPort = client?.port, let serverPort = server?.port,
            let inode = Self.socketInode(localPort: clientPort, remotePort: serverPort)
        else { return false }
        for candidate in ProcFS.processTree(root: pid) where Self.process(candidate, holdsSocket: inode) {
            return true
        }
        return false
    }

    /// The inode of the loopback (127.0.0.1) TCP socket whose local port is `localPort` and remote port
    /// `remotePort`: one exact sock_diag lookup (tens of µs), else, when sock_diag fails or does not find it, a scan of
    /// /proc/net/tcp and /proc/net/tcp6 (milliseconds: the kernel walks its whole socket hash table to print them).
    static func socketInode(localPort: Int, remotePort: Int) -> String? {
        var inode: UInt64 = 0
        let loopback: UInt32 = 0x7F00_0001
        if let sport = UInt16(exactly: localPort), let dport = UInt16(exactly: remotePort),
            fnhost_tcp4_socket_inode(loopback, sport, loopback, dport, &inode) == 0
        {
            return String(inode)
        }
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = try? ProcFS.readFile(table) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count > 9, port(of: fields[1]) == localPort, port(of: fields[2]) == remotePort else {
                    continue
                }
                return String(fields[9])
            }
        }
        return nil
    }

    /// `0100007F:1F90` → 8080.
    static func port(of field: Substring) -> Int? {
        guard let colon = field.lastIndex(of: ":") else { return nil }
        return Int(field[field.index(after: colon)...], radix: 16)
    }

    static func process(_ pid: pid_t, holdsSocket inode: String) -> Bool {
        let wanted = "socket:[\(inode)]"
        guard let fds = try? ProcFS.listDirectory("/proc/\(pid)/fd") else { return false }
        var buffer = [CChar](repeating: 0, count: 64)
        for fd in fds {
            let n = readlink("/proc/\(pid)/fd/\(fd)", &buffer, buffer.count - 1)
            guard n > 0 else { continue }
            if String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) == wanted { return true }
        }
        return false
    }
}

/// Closes every connection the ``PeerVerifier`` does not accept, as soon as it is established.
final class PeerVerificationHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    private let verifier: PeerVerifier
    /// What arrived before the connection was verified; passed on once it is.
    private var held: [NIOAny] = []
    private var verified = false
    private var checking = false

    init(verifier: PeerVerifier) { self.verifier = verifier }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { check(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        check(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if verified { context.fireChannelRead(data) } else { held.append(data) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if verified { context.fireChannelReadComplete() }
    }

    private func check(_ context: ChannelHandlerContext, attempt: Int = 0) {
        guard !verified, !checking || attempt > 0 else { return }
        checking = true
        // The worker can connect before the host has learnt its pid (spawn returns it asynchronously): wait for it,
        // a millisecond at a time, for at most a second, rather than refuse the worker its own endpoint.
        if !verifier.knowsWorker && attempt < 1_000 {
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(1)) {
                self.check(context, attempt: attempt + 1)
            }
            return
        }
        guard verifier.accepts(client: context.channel.remoteAddress, server: context.channel.localAddress) else {
            held.removeAll()
            context.close(promise: nil)
            return
        }
        verified = true
        let pending = held
        held.removeAll()
        for data in pending { context.fireChannelRead(data) }
        if !pending.isEmpty { context.fireChannelReadComplete() }
    }
}
