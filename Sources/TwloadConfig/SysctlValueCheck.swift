import TwloadModel
import TwloadSystem

/// Checks a lab sysctl's value before anything is written, so that a bad value is a usage error (exit 64)
/// at its profile line or option, not a failed write (exit 71) after the namespace was set up.
extension SysctlSetting {
    /// Ranges the kernel enforces for the settings twload's profiles use, with what to say.
    static let knownRanges: [String: (ClosedRange<Int>, String)] = [
        "net.ipv4.tcp_tw_reuse": (0...2, "0, 1 or 2"),
        "net.ipv4.tcp_timestamps": (0...2, "0, 1 or 2"),
        "net.ipv4.tcp_max_tw_buckets": (0...Int(Int32.max), "a count from 0 to 2147483647"),
        "net.ipv4.tcp_fin_timeout": (0...Int(Int32.max), "seconds from 0 to 2147483647"),
        "net.ipv4.ip_local_port_range": (1...65535, "two ports from 1 to 65535, low first"),
    ]

    /// Throws a `ConfigError` naming `option` when the value cannot be right:
    /// - the setting does not exist on this kernel (no file under /proc/sys);
    /// - the current value is whole numbers and the new one is not the same count of whole numbers;
    /// - a known setting's number is out of the kernel's range (or a port range is reversed).
    /// Reads /proc/sys only; when /proc/sys/net cannot be read at all, only the known ranges are checked.
    public func checkValue(option: String) throws(ConfigError) {
        let words = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let path = "/proc/sys/" + key.split(separator: ".").joined(separator: "/")
        if let current = try? ProcFile.read(path) {
            let currentWords = current.split(whereSeparator: \.isWhitespace)
            if !currentWords.isEmpty && currentWords.allSatisfy({ Int($0) != nil }) {
                guard words.count == currentWords.count, words.allSatisfy({ Int($0) != nil }) else {
                    let shape = currentWords.count == 1 ? "a whole number" : "\(currentWords.count) whole numbers"
                    throw ConfigError(
                        option,
                        "expected \(shape) like the current '\(currentWords.joined(separator: " "))' "
                            + "(got '\(value)')")
                }
            }
        } else if (try? ProcFile.read("/proc/sys/net/ipv4/tcp_tw_reuse")) != nil {
            throw ConfigError(option, "this kernel has no such setting (no \(path))")
        }
        guard let (range, expected) = Self.knownRanges[key] else { return }
        let numbers = words.compactMap { Int($0) }
        let count = key == "net.ipv4.ip_local_port_range" ? 2 : 1
        guard numbers.count == words.count, numbers.count == count, numbers.allSatisfy(range.contains),
            numbers == numbers.sorted()
        else {
            throw ConfigError(option, "expected \(expected) (got '\(value)')")
        }
    }
}
