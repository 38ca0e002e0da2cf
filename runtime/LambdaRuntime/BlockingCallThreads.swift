import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Runs blocking calls (socket I/O) on threads of their own and resumes the async caller when each is done.
///
/// It exists because Swift's cooperative thread pool has one thread per core (two on the machines fnhost is built
/// on): a handler that made three parallel `context.invoke` calls on it would block the whole pool, and the third
/// call would wait for one of the first two. Here every call in flight has a thread. Threads start on demand and up
/// to `maxIdle` of them are kept parked for the next calls, so a worker holds no more threads than its peak of
/// parallel calls and a warm worker's calls start no thread.
final class BlockingCallThreads: Sendable {
    /// The threads `context.invoke` uses.
    static let shared = BlockingCallThreads(maxIdle: 4)

    /// A job does its blocking work and returns what resumes its caller, which the thread runs only once it is parked
    /// again: a caller that makes its next call at once then finds this thread ready.
    private typealias Job = @Sendable () -> (@Sendable () -> Void)

    /// A parked thread and the job it is handed. The semaphore is waited on only by its own thread and posted by
    /// whoever hands it a job; the job slot is behind a lock. Hence `@unchecked Sendable`.
    private final class ParkedThread: @unchecked Sendable {
        let semaphore = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)
        let job = Mutex<Job?>(nil)

        init() { sem_init(semaphore, 0, 0) }

        deinit {
            sem_destroy(semaphore)
            semaphore.deallocate()
        }
    }

    /// What a new thread is started with.
    private final class Start: Sendable {
        let thread: ParkedThread
        let owner: BlockingCallThreads
        init(thread: ParkedThread, owner: BlockingCallThreads) {
            self.thread = thread
            self.owner = owner
        }
    }

    private let maxIdle: Int
    private let parked = Mutex<[ParkedThread]>([])
    /// Threads started so far, for tests.
    private let started = Atomic<Int>(0)

    init(maxIdle: Int) {
        self.maxIdle = maxIdle
    }

    /// How many threads this has started.
    var threadsStarted: Int { started.load(ordering: .relaxed) }

    /// Runs `body` on a thread of its own; the caller's task is suspended meanwhile, its cooperative thread free.
    func run<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, E>, Never>) in
            submit {
                let result: Result<T, E>
                do throws(E) {
                    result = .success(try body())
                } catch {
                    result = .failure(error)
                }
                return { continuation.resume(returning: result) }
            }
        }
        return try result.get()
    }

    private func submit(_ job: @escaping Job) {
        if let thread = parked.withLock({ $0.popLast() }) {
            thread.job.withLock { $0 = job }
            sem_post(thread.semaphore)
            return
        }
        let thread = ParkedThread()
        thread.job.withLock { $0 = job }
        sem_post(thread.semaphore)
        if !start(thread) {
            // No thread to be had (the process is at its limit): run here rather than not at all.
            thread.job.withLock { $0 = nil }
            job()()
        }
    }

    /// Starts a detached thread with a small stack (the jobs are an HTTP exchange) that serves `thread`'s jobs.
    private func start(_ thread: ParkedThread) -> Bool {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        pthread_attr_setstacksize(&attributes, 512 * 1024)
        let context = Unmanaged.passRetained(Start(thread: thread, owner: self)).toOpaque()
        var id = pthread_t()
        let rc = pthread_create(
            &id, &attributes,
            { raw in
                let start = Unmanaged<Start>.fromOpaque(raw!).takeRetainedValue()
                start.owner.serve(start.thread)
                return nil
            }, context)
        guard rc == 0 else {
            Unmanaged<Start>.fromOpaque(context).release()
            return false
        }
        started.add(1, ordering: .relaxed)
        return true
    }

    /// A thread's life: run the job it is handed, park, and end when enough threads are parked already.
    private func serve(_ thread: ParkedThread) {
        while true {
            while sem_wait(thread.semaphore) != 0 {}
            guard
                let job = thread.job.withLock({ slot in
                    defer { slot = nil }; return slot
                })
            else { continue }
            let resumeCaller = job()
            let keep = parked.withLock { idle in
                guard idle.count < maxIdle else { return false }
                idle.append(thread)
                return true
            }
            resumeCaller()
            if !keep { return }
        }
    }
}
