import CTwloadLinux
import Glibc

/// Monotonic time in nanoseconds (CLOCK_MONOTONIC). All pacing, timeouts and latencies use this.
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point; never goes backwards.
    @inlinable @inline(__always)
    public static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) &* 1_000_000_000 &+ Int64(ts.tv_nsec)
    }
}

/// Wall-clock time, used only to stamp CSV rows (`unix_ms`) and to find a fleet's shared start
/// (`--start-at`), after which everything runs on the monotonic clock.
public enum WallClock {
    /// Nanoseconds since the Unix epoch (CLOCK_REALTIME).
    public static func unixNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) &* 1_000_000_000 &+ Int64(ts.tv_nsec)
    }

    /// The real-time and monotonic clocks read back to back (the monotonic one twice, around the
    /// real-time read, and averaged), so that a moment on one converts to the other within a microsecond.
    public static func pair() -> (unixNanos: Int64, monotonicNanos: Int64) {
        let before = MonotonicClock.now()
        let real = unixNanoseconds()
        let after = MonotonicClock.now()
        return (real, before + (after - before) / 2)
    }

    /// Milliseconds since the Unix epoch.
    public static func unixMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}

/// A plain sleep, for threads that are not event loops.
public enum Sleep {
    /// Sleeps `ns` on the monotonic clock (a raw clock_nanosleep: glibc's is a cancellation point, whose
    /// wrappers cost more instructions than the call), resuming after signals.
    public static func nanoseconds(_ ns: Int64) {
        var request = timespec(tv_sec: Int(ns / 1_000_000_000), tv_nsec: Int(ns % 1_000_000_000))
        var remaining = timespec()
        while ctw_raw_nanosleep(&request, &remaining) == -EINTR { request = remaining }
    }
}
