import TwloadModel
import TwloadSystem

/// The sysctls that decide how TIME_WAIT plays out, read from the current network namespace.
public struct KernelSettings: Sendable, Equatable {
    /// net.ipv4.ip_local_port_range.
    public var localPortRange: PortRange?
    /// net.ipv4.ip_local_reserved_ports: ports the kernel never picks automatically.
    public var reservedPorts: [PortRange] = []
    /// net.ipv4.tcp_tw_reuse (0 off, 1 on, 2 loopback only).
    public var twReuse: Int?
    /// net.ipv4.tcp_tw_reuse_delay in milliseconds (recent kernels; 1000 by default).
    public var twReuseDelayMillis: Int?
    /// net.ipv4.tcp_max_tw_buckets: past this many, new TIME_WAIT sockets are destroyed at once.
    public var maxTimeWaitBuckets: Int?
    /// net.ipv4.tcp_fin_timeout (FIN_WAIT_2, not TIME_WAIT).
    public var finTimeout: Int?

    public init(
        localPortRange: PortRange? = nil, reservedPorts: [PortRange] = [], twReuse: Int? = nil,
        twReuseDelayMillis: Int? = nil, maxTimeWaitBuckets: Int? = nil, finTimeout: Int? = nil
    ) {
        self.localPortRange = localPortRange
        self.reservedPorts = reservedPorts
        self.twReuse = twReuse
        self.twReuseDelayMillis = twReuseDelayMillis
        self.maxTimeWaitBuckets = maxTimeWaitBuckets
        self.finTimeout = finTimeout
    }

    public static func read() -> KernelSettings {
        let base = "/proc/sys/net/ipv4/"
        return KernelSettings(
            localPortRange: (try? ProcFile.read(base + "ip_local_port_range")).flatMap(parsePortRange),
            reservedPorts: (try? ProcFile.read(base + "ip_local_reserved_ports")).map(parseReservedPorts) ?? [],
            twReuse: readInt(base + "tcp_tw_reuse"), twReuseDelayMillis: readInt(base + "tcp_tw_reuse_delay"),
            maxTimeWaitBuckets: readInt(base + "tcp_max_tw_buckets"), finTimeout: readInt(base + "tcp_fin_timeout"))
    }

    static func readInt(_ path: String) -> Int? {
        (try? ProcFile.read(path)).flatMap { Int($0.trimmed) }
    }

    /// "32768\t60999\n" → 32768-60999.
    public static func parsePortRange(_ text: String) -> PortRange? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).compactMap { UInt16($0) }
        return parts.count == 2 ? PortRange(low: parts[0], high: parts[1]) : nil
    }

    /// "8080,9000-9010\n" → [8080-8080, 9000-9010]; empty text → [].
    public static func parseReservedPorts(_ text: String) -> [PortRange] {
        text.trimmed.split(separator: ",").compactMap { item in
            let ends = item.split(separator: "-").compactMap { UInt16(String($0).trimmed) }
            if ends.count == 1 { return PortRange(low: ends[0], high: ends[0]) }
            if ends.count == 2, ends[0] <= ends[1] { return PortRange(low: ends[0], high: ends[1]) }
            return nil
        }
    }
}
