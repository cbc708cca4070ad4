import Glibc

/// Reads small kernel files (/proc/sys/..., /proc/net/sockstat) with plain open/read, no Foundation.
public enum ProcFile {
    /// The whole file as text (up to `maxBytes`).
    public static func read(_ path: String, maxBytes: Int = 1 << 20) throws(SystemError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw SystemError(errno: lastErrno(), call: "open") }
        defer { Glibc.close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while bytes.count < maxBytes {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                let e = lastErrno()
                if e == .interrupted { continue }
                throw SystemError(errno: e, call: "read")
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `text` to a file such as a /proc/sys entry.
    public static func write(_ path: String, _ text: String) throws(SystemError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        if fd < 0 { throw SystemError(errno: lastErrno(), call: "open") }
        defer { Glibc.close(fd) }
        let bytes = Array(text.utf8)
        let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if n < 0 { throw SystemError(errno: lastErrno(), call: "write") }
    }
}
