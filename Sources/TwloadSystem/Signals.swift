import Glibc

/// Delivery of SIGINT/SIGTERM as values: the signals are blocked in every thread and one thread collects
/// them with sigtimedwait, which doubles as its interval timer.
public enum TerminationSignals {
    private static func set() -> sigset_t {
        var s = sigset_t()
        sigemptyset(&s)
        sigaddset(&s, SIGINT)
        sigaddset(&s, SIGTERM)
        return s
    }

    /// Blocks SIGINT and SIGTERM in the calling thread; threads created afterwards inherit the mask.
    public static func block() {
        var s = set()
        pthread_sigmask(SIG_BLOCK, &s, nil)
    }

    /// Unblocks them again (used after a run, so a later Ctrl-C behaves normally).
    public static func unblock() {
        var s = set()
        pthread_sigmask(SIG_UNBLOCK, &s, nil)
    }

    /// Waits up to `nanoseconds` for SIGINT or SIGTERM; returns the signal number, or nil on timeout.
    public static func wait(nanoseconds: Int64) -> Int32? {
        var s = set()
        var ts = timespec(
            tv_sec: Int(max(0, nanoseconds) / 1_000_000_000),
            tv_nsec: Int(max(0, nanoseconds) % 1_000_000_000))
        let sig = sigtimedwait(&s, nil, &ts)
        return sig > 0 ? sig : nil
    }
}

/// SIGPIPE handling: a load generator writes to sockets and pipes that may be gone.
public enum BrokenPipeSignal {
    /// Ignore SIGPIPE process-wide, so a closed stdout or socket gives EPIPE instead of killing twload.
    public static func ignore() {
        signal(SIGPIPE, SIG_IGN)
    }
}
