import TwloadConfig
import TwloadModel
import TwloadSystem

/// `twload lab`: the run inside a private network namespace that twload creates for it, with its own
/// sysctls (tcp_tw_reuse=0 unless told otherwise, so loopback behaves like a real network path). The
/// host's settings are never written: every sysctl is applied after the namespace switch.
public enum LabRun {
    /// Sysctls applied before the user's: without them loopback reuses TIME_WAIT ports after 1 s.
    public static let defaultSysctls = [SysctlSetting(key: "net.ipv4.tcp_tw_reuse", value: "0")]

    /// Enters the namespace, applies `sysctls` (after the defaults), then runs `config` there.
    public static func execute(
        _ config: RunConfiguration, sysctls: [LabSysctl], reporter: some RunReporter
    )
        throws(RunFailure) -> RunResult
    {
        if config.target != nil {
            throw .usage(
                ConfigError(
                    "--target",
                    "a lab runs against its built-in server in a namespace of its own, where no other server "
                        + "listens; leave --target out, or use twload run --target for an external server"))
        }
        let kind: NetworkNamespace.Kind
        do {
            kind = try NetworkNamespace.enterPrivate()
        } catch {
            throw .noPrivilege(
                "lab: cannot create a private network namespace (\(error.errno.name)): "
                    + "run it as root (sudo twload lab ...), or allow unprivileged user namespaces "
                    + "(sysctl kernel.unprivileged_userns_clone=1 / user.max_user_namespaces > 0)")
        }
        do {
            try NetworkNamespace.bringLoopbackUp()
        } catch {
            throw .system(context: "lab: bringing up lo", error)
        }
        var applied: [SysctlSetting] = []
        let defaults = defaultSysctls.map { LabSysctl($0, origin: "lab default \($0.key)") }
        for sysctl in defaults + sysctls {
            let (key, value) = (sysctl.setting.key, sysctl.setting.value)
            do {
                try NetworkNamespace.setSysctl(key, value)
                applied.append(sysctl.setting)
            } catch  where error.errno == .invalidArgument || error.errno == .resultOutOfRange {
                // The value passed twload's checks, but this kernel refuses it: still a bad input.
                throw .usage(ConfigError(sysctl.origin, "the kernel refused '\(value)' (\(error.errno.name))"))
            } catch {
                throw .system(context: "lab: sysctl \(key)=\(value)", error)
            }
        }
        reporter.note(namespaceNote(kind: kind, applied: applied))
        return try LoadRun.execute(
            config, namespace: "the lab's private network namespace",
            reporter: reporter)
    }

    /// The note that says where the lab runs: each setting once, with the value that holds in the end (a
    /// profile's `tcp_tw_reuse: 0` repeats the default, and `--sysctl` may change it again), and why
    /// `tcp_tw_reuse=0` matters when that is the value that holds.
    static func namespaceNote(kind: NetworkNamespace.Kind, applied: [SysctlSetting]) -> String {
        let how = kind == .privileged ? "" : " (inside an unprivileged user namespace)"
        let settings = effective(applied)
        let why =
            settings.contains(SysctlSetting(key: "net.ipv4.tcp_tw_reuse", value: "0"))
            ? " (tcp_tw_reuse=0 makes loopback behave like a real network path)" : ""
        return "lab: private network namespace\(how) with lo up; "
            + settings.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + why
    }

    /// Each key once, where it was first set, with the last value it was given (the one the kernel holds).
    static func effective(_ applied: [SysctlSetting]) -> [SysctlSetting] {
        var order: [String] = []
        var last: [String: String] = [:]
        for s in applied {
            if last[s.key] == nil { order.append(s.key) }
            last[s.key] = s.value
        }
        return order.map { SysctlSetting(key: $0, value: last[$0]!) }
    }
}
