import Hummingbird
import NIOCore

/// The per-request context of `fnhost serve`: Hummingbird's core context plus the peer address (the gateway's
/// `sourceIp`) and fnhost's own body limit.
struct ServeContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Bodies are collected with explicit limits per route (6 MB, 1 MB, 10 MB); this is the outer bound.
    var maxUploadSize: Int { 10 * 1024 * 1024 + 1 }
}
