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

/// Wall-clock time, used only to stamp CSV rows (`unix_ms`).
public enum WallClock {
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
