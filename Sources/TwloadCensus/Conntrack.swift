import TwloadSystem

/// A reading of a namespace's connection-tracking table: the entry count, the statistics of
/// /proc/net/stat/nf_conntrack summed over CPUs, and how many NAT source (address, port) pairs its entries
/// hold. Read in the lab's router namespace, where source NAT runs.
public struct ConntrackReading: Sendable, Equatable {
    /// The statistics twload reports, in column order: every counter of /proc/net/stat/nf_conntrack except
    /// `entries` (the count, read from nf_conntrack_count instead). A kernel without one reports 0 for it.
    public static let statNames = [
        "found", "invalid", "insert", "insert_failed", "drop", "early_drop", "icmp_error", "clashres",
        "search_restart", "new", "ignore", "delete", "chainlength", "expect_new", "expect_create", "expect_delete",
    ]

    /// nf_conntrack_count: entries in the table now.
    public var count: Int
    /// Cumulative counters (per-interval deltas after `since`), one per `statNames`.
    public var stats: [Int]
    /// Distinct translated (address, port) pairs in the table's entries, TIME_WAIT ones included; nil when
    /// the table is not readable (no /proc/net/nf_conntrack).
    public var natPortsInUse: Int?

    public init(count: Int, stats: [Int], natPortsInUse: Int?) {
        self.count = count
        self.stats = stats
        self.natPortsInUse = natPortsInUse
    }

    /// The statistic `name` (one of `statNames`).
    public func stat(_ name: String) -> Int {
        Self.statNames.firstIndex(of: name).map { stats[$0] } ?? 0
    }

    /// The counters' change since `earlier`; the count and the NAT ports stay the current levels.
    public func since(_ earlier: ConntrackReading) -> ConntrackReading {
        ConntrackReading(count: count, stats: zip(stats, earlier.stats).map { $0 - $1 }, natPortsInUse: natPortsInUse)
    }

    /// Sums the per-CPU rows of /proc/net/stat/nf_conntrack (a header of names, then one row of hex
    /// numbers per CPU) into `statNames`' order; nil when the text has no header or a row does not fit it.
    public static func parseStats(_ text: String) -> [Int]? {
        let lines = text.split(separator: "\n")
        guard let header = lines.first?.split(separator: " "), header.first == "entries" else { return nil }
        var sums = Array(repeating: 0, count: header.count)
        for row in lines.dropFirst() {
            let cells = row.split(separator: " ")
            guard cells.count == header.count else { return nil }
            for (i, cell) in cells.enumerated() {
                guard let v = Int(cell, radix: 16) else { return nil }
                sums[i] += v
            }
        }
        return statNames.map { name in header.firstIndex(of: Substring(name)).map { sums[$0] } ?? 0 }
    }

    /// Counts the distinct translated sources in /proc/net/nf_conntrack's text: an entry whose reply goes to
    /// another address or port than the original source was translated, and its reply's destination is the
    /// (address, port) the NAT gave it.
    public static func natPorts(_ text: String) -> Int {
        var seen = Set<Substring>()
        for line in text.split(separator: "\n") {
            var src: [Substring] = []
            var sport: [Substring] = []
            var dst: [Substring] = []
            var dport: [Substring] = []
            for field in line.split(separator: " ") {
                if field.hasPrefix("src=") {
                    src.append(field.dropFirst(4))
                } else if field.hasPrefix("dst=") {
                    dst.append(field.dropFirst(4))
                } else if field.hasPrefix("sport=") {
                    sport.append(field.dropFirst(6))
                } else if field.hasPrefix("dport=") {
                    dport.append(field.dropFirst(6))
                }
            }
            guard src.count >= 2, dst.count >= 2, sport.count >= 2, dport.count >= 2 else { continue }
            if dst[1] != src[0] || dport[1] != sport[0] { seen.insert(dst[1] + ":" + dport[1]) }
        }
        return seen.count
    }

    /// Reads the calling thread's namespace (through /proc/thread-self, so a thread that entered the router's
    /// namespace reads the router's table); nil when conntrack is not available there. `withNatPorts` also
    /// reads the whole table, which costs time in proportion to its size.
    public static func read(withNatPorts: Bool) -> ConntrackReading? {
        guard let countText = try? ProcFile.read("/proc/sys/net/netfilter/nf_conntrack_count"),
            let count = Int(countText.trimmingNewlines),
            let statText = try? ProcFile.read("/proc/thread-self/net/stat/nf_conntrack"),
            let stats = parseStats(statText)
        else { return nil }
        let nat =
            withNatPorts
            ? (try? ProcFile.read("/proc/thread-self/net/nf_conntrack", maxBytes: 64 << 20)).map(natPorts) : nil
        return ConntrackReading(count: count, stats: stats, natPortsInUse: nat)
    }
}

extension String {
    fileprivate var trimmingNewlines: Substring {
        var s = Substring(self)
        while s.last?.isNewline == true || s.last == " " { s.removeLast() }
        return s
    }
}
