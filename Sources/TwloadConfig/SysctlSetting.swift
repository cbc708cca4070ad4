import TwloadModel

/// A network sysctl for the lab's private namespace, from a profile's `sysctl` section or `--sysctl KEY=VALUE`.
/// Both go through `isNetworkName`, so a name the one accepts the other accepts too.
public struct SysctlSetting: Sendable, Equatable {
    /// A dotted `net.` name, e.g. "net.ipv4.tcp_tw_reuse".
    public let key: String
    /// The value as written, e.g. "0" or "40000 40099".
    public let value: String
    /// The lab namespace it applies to; nil: every namespace of the topology.
    public let role: LabRole?

    public init(key: String, value: String, role: LabRole? = nil) {
        self.key = key
        self.value = value
        self.role = role
    }

    /// "net" followed by one or more dot-separated parts of letters, digits and `_`. Only these settings belong
    /// to a network namespace; anything else would be global. (Per-interface names with a dash cannot name an
    /// interface of the lab's namespace, which has only `lo`.)
    public static func isNetworkName(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0] == "net" else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty
                && part.unicodeScalars.allSatisfy { c in
                    ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_"
                }
        }
    }

    /// Parses `--sysctl [NS:]KEY=VALUE` (NS one of client, router, server); errors name `option`.
    public init(parsing given: String, option: String = "--sysctl") throws(ConfigError) {
        var text = given
        var role: LabRole?
        if let colon = text.firstIndex(of: ":"), text[..<colon].allSatisfy({ $0.isLetter }) {
            let name = String(text[..<colon])
            guard let r = LabRole(rawValue: name) else {
                throw ConfigError(
                    option,
                    "'\(name):' names no lab namespace; use client:, router: or server: (or none for every one)")
            }
            role = r
            text = String(text[text.index(after: colon)...])
        }
        let parts = text.split(separator: "=", maxSplits: 1).map { String($0).trimmed }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw ConfigError(option, "expected KEY=VALUE such as net.ipv4.tcp_tw_reuse=1 (got '\(text)')")
        }
        guard Self.isNetworkName(parts[0]) else {
            throw ConfigError(
                option,
                "only network sysctls (net.*) can be set, and only inside the lab's namespace (got '\(parts[0])')")
        }
        self.init(key: parts[0], value: parts[1], role: role)
        try checkValue(option: "\(option) \(parts[0])")
    }
}

/// A sysctl the lab will apply, with where it was given ("p.yaml:6: sysctl.net.ipv4.tcp_tw_reuse" or
/// "--sysctl net.ipv4.tcp_tw_reuse"), so that a value the kernel refuses is reported where it was written.
public struct LabSysctl: Sendable, Equatable {
    public let setting: SysctlSetting
    public let origin: String

    public init(_ setting: SysctlSetting, origin: String) {
        self.setting = setting
        self.origin = origin
    }
}
