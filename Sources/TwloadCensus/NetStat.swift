import TwloadSystem

/// The TCP counters of /proc/net/netstat ("TcpExt:" lines) that twload reports, cumulative since the
/// namespace began: TIME_WAIT's, and the signs of SYNs that went unanswered (a dropping middlebox, a full
/// accept queue).
public struct TcpCounters: Sendable, Equatable {
    /// TcpExtTW as nstat reports it (LINUX_MIB_TIMEWAITED). On the 6.x kernels measured here it moves with
    /// every connection that enters TIME_WAIT, not only with expiries, so it is recorded as is.
    public var expired: Int
    /// TcpExtTWRecycled: TIME_WAIT 4-tuples taken over by a new connect() (tcp_tw_reuse).
    public var recycled: Int
    /// TcpExtTCPTimeWaitOverflow: TIME_WAIT sockets not kept because tcp_max_tw_buckets was reached.
    public var overflow: Int
    /// TcpExtTCPSynRetrans: SYNs sent again because no SYN-ACK came in time.
    public var synRetrans: Int
    /// TcpExtListenOverflows: handshakes a listener could not queue because its accept queue was full.
    public var listenOverflows: Int
    /// TcpExtListenDrops: SYNs or handshakes a listener dropped, for any reason (overflows included).
    public var listenDrops: Int

    public init(
        expired: Int, recycled: Int, overflow: Int, synRetrans: Int = 0, listenOverflows: Int = 0, listenDrops: Int = 0
    ) {
        self.expired = expired
        self.recycled = recycled
        self.overflow = overflow
        self.synRetrans = synRetrans
        self.listenOverflows = listenOverflows
        self.listenDrops = listenDrops
    }

    /// `self - earlier`, for per-interval deltas.
    public func since(_ earlier: TcpCounters) -> TcpCounters {
        TcpCounters(
            expired: expired - earlier.expired, recycled: recycled - earlier.recycled,
            overflow: overflow - earlier.overflow, synRetrans: synRetrans - earlier.synRetrans,
            listenOverflows: listenOverflows - earlier.listenOverflows, listenDrops: listenDrops - earlier.listenDrops)
    }

    /// `self + other`, for sums of deltas.
    public func adding(_ other: TcpCounters) -> TcpCounters {
        TcpCounters(
            expired: expired + other.expired, recycled: recycled + other.recycled,
            overflow: overflow + other.overflow, synRetrans: synRetrans + other.synRetrans,
            listenOverflows: listenOverflows + other.listenOverflows, listenDrops: listenDrops + other.listenDrops)
    }

    /// The change since the last reading that had counters, which `now` then replaces. A missing reading
    /// gives nil and keeps the old one, so the next delta spans both intervals.
    public static func delta(_ now: TcpCounters?, since last: inout TcpCounters?) -> TcpCounters? {
        guard let now else { return nil }
        defer { last = now }
        return last.map { now.since($0) }
    }

    /// Parses the text of /proc/net/netstat: a "TcpExt:" line of names followed by one of values.
    public static func parse(_ text: String) -> TcpCounters? {
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
        // Present on every kernel twload runs on (since Linux 3.x); 0 rather than no reading without them.
        return TcpCounters(
            expired: tw, recycled: recycled, overflow: overflow, synRetrans: table["TCPSynRetrans"] ?? 0,
            listenOverflows: table["ListenOverflows"] ?? 0, listenDrops: table["ListenDrops"] ?? 0)
    }

    /// Reads the netstat of the calling thread's network namespace (/proc/thread-self/net: /proc/net is the
    /// main thread's, which a thread that entered a lab namespace is not in); nil if unreadable.
    public static func read() -> TcpCounters? {
        (try? ProcFile.read("/proc/thread-self/net/netstat")).flatMap(parse)
    }

    /// These counters with the listener's figures (`listenOverflows`, `listenDrops`) taken from `server`: in
    /// a lab topology the server listens in a namespace of its own.
    public func withListenCounters(of server: TcpCounters) -> TcpCounters {
        var c = self
        c.listenOverflows = server.listenOverflows
        c.listenDrops = server.listenDrops
        return c
    }
}
