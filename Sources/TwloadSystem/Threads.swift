import CTwloadLinux
import Glibc

/// A joinable OS thread. Event loops need real threads pinned to one loop each, not a task pool.
public struct OSThread: Sendable {
    private let handle: pthread_t

    private final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// Starts `body` on a new thread named `name` (at most 15 characters are kept).
    public init(name: String, _ body: @escaping @Sendable () -> Void) throws(SystemError) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var handle = pthread_t()
        let rc = pthread_create(
            &handle, nil,
            { raw in
                let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
                box.body()
                return nil
            }, box)
        if rc != 0 {
            Unmanaged<Box>.fromOpaque(box).release()
            throw SystemError(errno: Errno(failedCall: rc), call: "pthread_create")
        }
        ctw_set_thread_name(handle, String(name.prefix(15)))
        self.handle = handle
    }

    /// Waits for the thread to finish. Call it exactly once per thread.
    public func join() {
        pthread_join(handle, nil)
    }
}

/// Settings of the calling thread.
public enum CurrentThread {
    /// How late the calling thread's timed sleeps (epoll_wait timeouts) may end. Linux lets them end up to
    /// 50 µs late by default, to batch wake-ups; an open-loop pacer asks for 1 ns so that an attempt does
    /// not start 50 µs after it was due.
    public static func setTimerSlack(nanoseconds: UInt) throws(SystemError) {
        let rc = ctw_set_timer_slack(nanoseconds)
        if rc != 0 { throw SystemError(errno: Errno(failedCall: -rc), call: "prctl(PR_SET_TIMERSLACK)") }
    }

}
