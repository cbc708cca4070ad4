import TwloadSystem

/// The namespace-wide TCP figures of /proc/net/sockstat: instant to read, but not per target.
public struct SockStat: Sendable, Equatable {
    public var inUse: Int
    public var orphans: Int
    /// Every TIME_WAIT socket in the namespace (IPv4 and IPv6 share this count).
    public var timeWait: Int

    /// Parses the "TCP:" line, e.g. "TCP: inuse 5 orphan 0 tw 2 alloc 7 mem 1"; nil if it is missing.
    public static func parse(_ text: String) -> SockStat? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("TCP:") }) else { return nil }
        let words = line.split(separator: " ")
        func value(_ key: String) -> Int? {
            guard let i = words.firstIndex(where: { $0 == key }), i + 1 < words.count else { return nil }
            return Int(words[i + 1])
        }
        guard let tw = value("tw") else { return nil }
        return SockStat(inUse: value("inuse") ?? 0, orphans: value("orphan") ?? 0, timeWait: tw)
    }

    /// Reads the sockstat of the calling thread's network namespace (/proc/thread-self/net); nil if unreadable.
    public static func read() -> SockStat? {
        guard let text = try? ProcFile.read("/proc/thread-self/net/sockstat") else { return nil }
        return parse(text)
    }
}
