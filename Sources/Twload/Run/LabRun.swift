import TwloadSystem

/// `twload lab`: the run inside a private network namespace that twload creates for it, with its own
/// sysctls (tcp_tw_reuse=0 unless told otherwise, so loopback behaves like a real network path). The
/// host's settings are never written: every sysctl is applied after the namespace switch.
public enum LabRun {
    /// Sysctls applied before the user's: without them loopback reuses TIME_WAIT ports after 1 s.
    public static let defaultSysctls = [("net.ipv4.tcp_tw_reuse", "0")]

    /// Checks a `--sysctl KEY=VALUE` (only network settings, which are per namespace).
    public static func parseSysctl(_ text: String, option: String = "--sysctl") throws(ConfigError) -> (String, String) {
        let parts = text.split(separator: "=", maxSplits: 1).map { String($0).trimmed }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw ConfigError(option, "expected KEY=VALUE such as net.ipv4.tcp_tw_reuse=1 (got '\(text)')")
        }
        try checkKey(parts[0], option: option)
        return (parts[0], parts[1])
    }

    /// Only `net.*` sysctls: they belong to the lab's network namespace; anything else would be global.
    public static func checkKey(_ key: String, option: String) throws(ConfigError) {
        let allowed = key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" }
        guard allowed, key.hasPrefix("net."), !key.contains("..") else {
            throw ConfigError(option, "only network sysctls (net.*) can be set, and only inside the lab's namespace (got '\(key)')")
        }
    }

    /// Enters the namespace, applies `sysctls` (after the defaults), then runs `config` there.
    public static func execute(_ config: RunConfiguration, sysctls: [(String, String)], log: (String) -> Void,
                               preflight: (String) -> Void) throws(RunFailure) -> RunResult {
        if let t = config.target, !t.isLoopback {
            throw .usage(ConfigError("--target", "a lab runs in a private namespace that only has loopback (got \(t))"))
        }
        let kind: NetworkNamespace.Kind
        do {
            kind = try NetworkNamespace.enterPrivate()
        } catch {
            throw .noPrivilege("lab: cannot create a private network namespace (\(Errno.name(error.errno))): "
                + "run it as root (sudo twload lab ...), or allow unprivileged user namespaces "
                + "(sysctl kernel.unprivileged_userns_clone=1 / user.max_user_namespaces > 0)")
        }
        do {
            try NetworkNamespace.bringLoopbackUp()
        } catch {
            throw .system(context: "lab: bringing up lo", error)
        }
        var applied: [String] = []
        for (key, value) in defaultSysctls + sysctls {
            do {
                try NetworkNamespace.setSysctl(key, value)
                applied.append("\(key)=\(value)")
            } catch {
                throw .system(context: "lab: sysctl \(key)=\(value)", error)
            }
        }
        let how = kind == .privileged ? "" : " (inside an unprivileged user namespace)"
        log("lab: private network namespace\(how) with lo up; " + applied.joined(separator: ", ")
            + " (tcp_tw_reuse=0 makes loopback behave like a real network path)")
        return try LoadRun.execute(config, namespace: "the lab's private network namespace", log: log,
                                   preflight: preflight)
    }
}
