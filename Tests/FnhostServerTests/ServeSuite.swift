import TestSupport
import Testing

/// `fnhost serve` as a real process on a free loopback port, driven over real HTTP. Every nested suite starts its
/// own servers; once they are all done, no server or worker any test started may still run.
@Suite("fnhost serve", .noLeakedProcesses)
struct ServeSuite {}
