import TwloadSystem

/// The slow fallback census: /proc/net/tcp and /proc/net/tcp6, for kernels that refuse sock_diag.
/// It reads every socket in the namespace (about 90 ms at 60k sockets) and filters in user space.
public enum ProcNetTCP {
    /// Counts the sockets in `text` (the contents of /proc/net/tcp or tcp6) that pass `filter`.
    public static func count(_ text: String, filter: PortFilter) -> StateCounts {
        var counts = StateCounts()
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count > 3, let state = Int(f[3], radix: 16) else { continue }
            let local = f[1].split(separator: ":")
            let remote = f[2].split(separator: ":")
            guard local.count == 2, remote.count == 2 else { continue }
            if matches(filter, local: local, remote: remote) { counts.record(state: state) }
        }
        return counts
    }

    static func matches(_ filter: PortFilter, local: [Substring], remote: [Substring]) -> Bool {
        func port(_ p: [Substring]) -> UInt16? { UInt16(p[1], radix: 16) }
        switch filter {
        case .none: return true
        case .remotePort(let p): return port(remote) == p
        case .localPort(let p): return port(local) == p
        case .remote(let a): return endpoint(remote, matches: a)
        case .local(let a): return endpoint(local, matches: a)
        }
    }

    /// Whether a /proc "HEXADDR:HEXPORT" pair is `address` (unspecified address or port 0 match any).
    static func endpoint(_ pair: [Substring], matches address: SocketAddress) -> Bool {
        if address.port != 0 && UInt16(pair[1], radix: 16) != address.port { return false }
        if address.isUnspecified { return true }
        return pair[0].uppercased() == hex(address)
    }

    /// The kernel's /proc spelling of an address: each 32-bit word printed in host (little-endian) order.
    static func hex(_ address: SocketAddress) -> String {
        let bytes = address.ipBytes
        var out = ""
        for word in stride(from: 0, to: bytes.count, by: 4) {
            for b in bytes[word..<word + 4].reversed() {
                let h = String(b, radix: 16, uppercase: true)
                out += h.count == 1 ? "0" + h : h
            }
        }
        return out
    }

    /// Reads both files of the current namespace and counts the matching sockets.
    public static func read(filter: PortFilter) throws(SystemError) -> StateCounts {
        let limit = 1 << 28  // ~150 bytes a socket: room for over a million
        let v4 = count(try ProcFile.read("/proc/thread-self/net/tcp", maxBytes: limit), filter: filter)
        let v6 =
            (try? ProcFile.read("/proc/thread-self/net/tcp6", maxBytes: limit)).map { count($0, filter: filter) }
            ?? StateCounts()
        return v4 + v6
    }
}
