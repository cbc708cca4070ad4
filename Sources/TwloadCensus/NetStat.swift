import TwloadSystem

/// The TIME_WAIT counters of /proc/net/netstat ("TcpExt:" lines), cumulative since the namespace began.
public struct TimeWaitCounters: Sendable, Equatable {
    /// TcpExtTW as nstat reports it (LINUX_MIB_TIMEWAITED). On the 6.x kernels measured here it moves with
    /// every connection that enters TIME_WAIT, not only with expiries, so it is recorded as is.
    public var expired: Int
    /// TcpExtTWRecycled: TIME_WAIT 4-tuples taken over by a new connect() (tcp_tw_reuse).
    public var recycled: Int
    /// TcpExtTCPTimeWaitOverflow: TIME_WAIT sockets not kept because tcp_max_tw_buckets was reached.
    public var overflow: Int

    public init(expired: Int, recycled: Int, overflow: Int) {
        self.expired = expired
        self.recycled = recycled
        self.overflow = overflow
    }

    /// `self - earlier`, for per-interval deltas.
    public func since(_ earlier: TimeWaitCounters) -> TimeWaitCounters {
        TimeWaitCounters(
            expired: expired - earlier.expired, recycled: recycled - earlier.recycled,
            overflow: overflow - earlier.overflow)
    }

    /// `self + other`, for sums of deltas.
    public func adding(_ other: TimeWaitCounters) -> TimeWaitCounters {
        TimeWaitCounters(
            expired: expired + other.expired, recycled: recycled + other.recycled,
            overflow: overflow + other.overflow)
    }

    /// The change since the last reading that had counters, which `now` then replaces. A missing reading
    /// gives nil and keeps the old one, so the next delta spans both intervals.
    public static func delta(_ now: TimeWaitCounters?, since last: inout TimeWaitCounters?) -> TimeWaitCounters? {
        guard let now else { return nil }
        defer { last = now }
        return last.map { now.since($0) }
    }

    /// Parses the text of /proc/net/netstat: a "TcpExt:" line of names followed by one of values.
    public static func parse(_ text: String) -> TimeWaitCounters? {
        let lines = text.split(separator: "\n")
        guard let i = lines.firstIndex(where: { $0.hasPrefix("TcpExt:") }), i + 1 < lines.count,
            lines[i + 1].hasPrefix("TcpExt:")
        else { return nil }
        let names = lines[i].split(separator: " ").dropFirst()
        let values = lines[i + 1].split(separator: " ").dropFirst()
        guard names.count == values.count else { return nil }
        var table: [Substring: Int] = [:]
        for (n, v) in zip(names, values) { table[n] = Int(v) }
        guard let tw = table["TW"], let recycled = table["TWRecycled"], let overflow = table["TCPTimeWaitOverflow"]
        else { return nil }
        return TimeWaitCounters(expired: tw, recycled: recycled, overflow: overflow)
    }

    /// Reads /proc/net/netstat of the current network namespace; nil if unreadable.
    public static func read() -> TimeWaitCounters? {
        (try? ProcFile.read("/proc/net/netstat")).flatMap(parse)
    }
}
