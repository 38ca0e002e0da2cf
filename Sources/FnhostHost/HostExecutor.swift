import NIOCore
import NIOPosix

/// The host's event loop as a Swift task executor: every worker's Runtime API connection lives on this loop, and
/// `FunctionHost.invoke` runs its body here.
///
/// An invocation then crosses no thread inside the host: the event is written to the worker's connection from the
/// invoking task itself, and the worker's answer resumes that task on the thread that read it. Without it, each
/// warm invocation paid two extra thread wakeups (task → event loop to write, event loop → task to resume), which on
/// a 2-vCPU machine cost as much as the HTTP round trip itself (BENCHMARKS.md). A caller that runs its own task on
/// this executor (`withTaskExecutorPreference(host.executor)`, as `fnhost invoke` does) pays no hop at all.
public final class HostExecutor: TaskExecutor {
    /// The loop the Runtime API endpoints are bound to.
    public let eventLoop: any EventLoop

    public init(eventLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.next()) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        eventLoop.execute { job.runSynchronously(on: executor) }
    }
}
