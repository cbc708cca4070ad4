import TwloadSystem

/// The sysctls that decide how TIME_WAIT plays out, read from the current network namespace.
public struct KernelSettings: Sendable, Equatable {
    /// net.ipv4.ip_local_port_range.
    public var localPortRange: PortRange?
    /// net.ipv4.tcp_tw_reuse (0 off, 1 on, 2 loopback only).
    public var twReuse: Int?

    public static func read() -> KernelSettings {
        KernelSettings(localPortRange: readPortRange(), twReuse: readInt("/proc/sys/net/ipv4/tcp_tw_reuse"))
    }

    static func readInt(_ path: String) -> Int? {
        (try? ProcFile.read(path)).flatMap { Int($0.trimmed) }
    }

    static func readPortRange() -> PortRange? {
        guard let text = try? ProcFile.read("/proc/sys/net/ipv4/ip_local_port_range") else { return nil }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).compactMap { UInt16($0) }
        return parts.count == 2 ? PortRange(low: parts[0], high: parts[1]) : nil
    }
}
