import Glibc

/// Delivery of SIGINT, SIGTERM and SIGQUIT as values: the signals are blocked in every thread and one thread
/// collects them with sigtimedwait, which doubles as its interval timer.
public enum TerminationSignals {
    /// The signals a run turns into a clean stop. SIGQUIT (Ctrl-\) is one of them: left to the Swift
    /// runtime, it prints every thread's backtrace and lets the run go on, which is not what it asks for.
    public static let all: [Int32] = [SIGINT, SIGTERM, SIGQUIT]

    private static func set() -> sigset_t {
        var s = sigset_t()
        sigemptyset(&s)
        for signal in all { sigaddset(&s, signal) }
        return s
    }

    /// Blocks the signals in the calling thread; threads created afterwards inherit the mask. A blocked
    /// signal is never delivered to a handler (not even the runtime's), and stays pending until `wait`.
    public static func block() {
        var s = set()
        pthread_sigmask(SIG_BLOCK, &s, nil)
    }

    /// Unblocks them again (used after a run, so a later Ctrl-C behaves normally).
    public static func unblock() {
        var s = set()
        pthread_sigmask(SIG_UNBLOCK, &s, nil)
    }

    /// Waits up to `nanoseconds` for one of the signals; returns the signal number, or nil on timeout.
    public static func wait(nanoseconds: Int64) -> Int32? {
        var s = set()
        var ts = timespec(
            tv_sec: Int(max(0, nanoseconds) / 1_000_000_000),
            tv_nsec: Int(max(0, nanoseconds) % 1_000_000_000))
        let sig = sigtimedwait(&s, nil, &ts)
        return sig > 0 ? sig : nil
    }

    /// Call it at process start, before any thread exists: lets the signals end twload outside a run (while
    /// it parses, or waits for a FIFO's reader) as they end any command.
    ///
    /// It unblocks them, since a parent may start twload with them blocked (a mask is inherited, and
    /// libdispatch's threads block nearly every signal): they would wait, pending, until a run collects
    /// them. And it gives SIGQUIT back its default action (terminate, status 128 + 3) unless it is ignored:
    /// the Swift runtime installs a handler for it that prints every thread's backtrace and then returns,
    /// so Ctrl-\ would not stop twload.
    public static func restoreDefaults() {
        unblock()
        var current = sigaction()
        guard sigaction(SIGQUIT, nil, &current) == 0 else { return }
        let handler = unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self)
        if handler != unsafeBitCast(SIG_IGN, to: Int.self) { signal(SIGQUIT, SIG_DFL) }
    }
}

/// SIGPIPE handling: a load generator writes to sockets and pipes that may be gone.
public enum BrokenPipeSignal {
    /// Ignore SIGPIPE process-wide, so a closed stdout or socket gives EPIPE instead of killing twload.
    public static func ignore() {
        signal(SIGPIPE, SIG_IGN)
    }
}
