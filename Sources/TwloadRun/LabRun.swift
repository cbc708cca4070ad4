import TwloadConfig
import TwloadModel
import TwloadSystem

/// `twload lab`: the run inside a private network namespace that twload creates for it, with its own
/// sysctls (tcp_tw_reuse=0 unless told otherwise, so loopback behaves like a real network path). The
/// host's settings are never written: every sysctl is applied after the namespace switch.
public enum LabRun {
    /// Sysctls applied before the user's: without them loopback reuses TIME_WAIT ports after 1 s.
    public static let defaultSysctls = [SysctlSetting(key: "net.ipv4.tcp_tw_reuse", value: "0")]

    /// Enters the namespace, applies `sysctls` (after the defaults), then runs `config` there. A routed or
    /// NAT `topology` builds its three namespaces instead, and the run's client works from the client's.
    public static func execute(
        _ config: RunConfiguration, sysctls: [LabSysctl], topology: LabTopology = LabTopology(),
        reporter: some RunReporter
    )
        throws(RunFailure) -> RunResult
    {
        try execute(config, sysctls: sysctls, topology: topology, probe: nil, reporter: reporter)
    }

    /// `execute` for a `twload find` probe (`probe`), or a lab run of its own (nil).
    static func execute(
        _ config: RunConfiguration, sysctls: [LabSysctl], topology: LabTopology, probe: ProbeOutput?,
        reporter: some RunReporter
    )
        throws(RunFailure) -> RunResult
    {
        try refuseTarget(config)
        if topology.kind != .loopback {
            return try executeRouted(config, sysctls: sysctls, topology: topology, probe: probe, reporter: reporter)
        }
        if let named = sysctls.first(where: { $0.setting.role != nil }) {
            // Loopback has one namespace: a setting meant for one side would change both.
            throw .usage(
                ConfigError(
                    named.origin,
                    "names the \(named.setting.role!.rawValue) namespace, which only a routed or nat topology has "
                        + "(loopback runs client and server in one namespace); drop the prefix or add --topology"))
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
            try write(sysctl, in: nil)
            applied.append(sysctl.setting)
        }
        reporter.note(namespaceNote(kind: kind, applied: applied))
        return try LoadRun.execute(
            config, namespace: "the lab's private network namespace", network: nil, probe: probe, reporter: reporter)
    }

    /// A lab has no `--target`: its namespace holds only the built-in server.
    static func refuseTarget(_ config: RunConfiguration) throws(RunFailure) {
        guard config.target != nil else { return }
        throw .usage(
            ConfigError(
                "--target",
                "a lab runs against its built-in server in a namespace of its own, where no other server "
                    + "listens; leave --target out, or use twload run --target for an external server"))
    }

    /// The routed or NAT lab: builds the namespaces, moves this thread into the client's (the workers it
    /// starts inherit it), runs, and returns to the namespace it began in, which drops the lab's.
    static func executeRouted(
        _ config: RunConfiguration, sysctls: [LabSysctl], topology: LabTopology, probe: ProbeOutput?,
        reporter: some RunReporter
    ) throws(RunFailure) -> RunResult {
        let network = try LabNetwork.build(topology, defaults: defaultSysctls, sysctls: sysctls)
        reporter.note(topologyNote(network))
        do { try network.client.enter() } catch { throw .system(context: "lab: entering the client namespace", error) }
        defer { try? network.home.enter() }
        return try LoadRun.execute(
            config, namespace: "the lab's client namespace (\(topology.kind.rawValue) topology)", network: network,
            probe: probe, reporter: reporter)
    }

    /// "lab: nat topology (client 198.18.0.2 → router, source NAT to 198.18.1.1:40000-40099 → server
    /// 198.18.1.254), built in 48 ms; every namespace: tcp_tw_reuse=0; router: ip_forward=1, ..."
    static func topologyNote(_ network: LabNetwork) -> String {
        // Grouped by the namespaces they went to; in each group, every key once with the value that holds.
        var groups: [(label: String, settings: [SysctlSetting])] = []
        for (setting, roles) in network.applied {
            let label =
                roles.count == LabRole.allCases.count
                ? "every namespace" : roles.map(\.rawValue).joined(separator: ", ")
            if let i = groups.firstIndex(where: { $0.label == label }) {
                groups[i].settings.append(setting)
            } else {
                groups.append((label, [setting]))
            }
        }
        let millis = (network.setupNanos + 500_000) / 1_000_000
        return "lab: \(network.topology.summary), built in \(millis) ms; "
            + groups.map { group in
                "\(group.label): "
                    + effective(group.settings).map { "\($0.key.split(separator: ".").last ?? "")=\($0.value)" }
                    .joined(separator: ", ")
            }.joined(separator: "; ")
    }

    /// Writes one sysctl in `ns` (nil: the calling thread's namespace). A value the kernel refuses after
    /// twload's checks passed is still a bad input, reported where it was written.
    static func write(_ sysctl: LabSysctl, in ns: NamespaceHandle?) throws(RunFailure) {
        let (key, value) = (sysctl.setting.key, sysctl.setting.value)
        do {
            if let ns {
                try ns.run { () throws(SystemError) in try NetworkNamespace.setSysctl(key, value) }
            } else {
                try NetworkNamespace.setSysctl(key, value)
            }
        } catch  where error.errno == .invalidArgument || error.errno == .resultOutOfRange {
            throw .usage(ConfigError(sysctl.origin, "the kernel refused '\(value)' (\(error.errno.name))"))
        } catch  where error.errno == .noSuchFile {
            throw .usage(ConfigError(sysctl.origin, "\(key) does not exist in the lab's namespace"))
        } catch {
            throw .system(context: "lab: sysctl \(key)=\(value)", error)
        }
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
