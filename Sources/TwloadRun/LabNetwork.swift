import TwloadConfig
import TwloadModel
import TwloadSystem

/// The three namespaces of a routed or NAT lab (client → router → server), joined by two veth pairs, with
/// their sysctls and, for `nat`, the router's source NAT. See `LabTopology` for the addresses.
///
/// The namespaces are anonymous: this process holds them by descriptor and names none in /run/netns, so
/// when it ends, even by SIGKILL, the kernel removes them with their veths and nftables table, and nothing
/// is left for a later run to clean up. Nothing is created on the host: each link is made inside the client
/// or server namespace with its peer placed straight into the router's.
///
/// Links, addresses and routes are set with iproute2 (`ip -batch`, one process per namespace) and the NAT
/// with `nft -f`: the same commands a reader would type to rebuild the lab by hand, and nftables' own
/// netlink protocol is too large to reimplement for one rule. Built in 13–50 ms here.
final class LabNetwork: Sendable {
    let topology: LabTopology
    /// The namespace the process started in, to return to.
    let home: NamespaceHandle
    let client: NamespaceHandle
    let router: NamespaceHandle
    let server: NamespaceHandle
    /// The sysctls in force, each with the namespaces it was written in, for the lab's note.
    let applied: [(setting: SysctlSetting, roles: [LabRole])]
    /// How long the build took.
    let setupNanos: Int64

    /// Sysctls every routed or NAT lab writes before the user's: forwarding on the router.
    static let routerDefaults = [SysctlSetting(key: "net.ipv4.ip_forward", value: "1", role: .router)]

    private init(
        topology: LabTopology, home: NamespaceHandle, client: NamespaceHandle, router: NamespaceHandle,
        server: NamespaceHandle, applied: [(setting: SysctlSetting, roles: [LabRole])], setupNanos: Int64
    ) {
        self.topology = topology
        self.home = home
        self.client = client
        self.router = router
        self.server = server
        self.applied = applied
        self.setupNanos = setupNanos
    }

    /// Builds the topology: namespaces, links, addresses, routes, the NAT, then the sysctls (`defaults`,
    /// the router's forwarding and conntrack timeout, then `sysctls` in order; one without a role goes to
    /// every namespace). The calling thread ends in the namespace it began in.
    static func build(
        _ topology: LabTopology, defaults: [SysctlSetting], sysctls: [LabSysctl]
    ) throws(RunFailure) -> LabNetwork {
        let started = MonotonicClock.now()
        let home: NamespaceHandle
        let client: NamespaceHandle
        let router: NamespaceHandle
        let server: NamespaceHandle
        do {
            home = try NamespaceHandle.current()
            client = try NamespaceHandle.create()
            router = try NamespaceHandle.create()
            server = try NamespaceHandle.create()
        } catch {
            throw .noPrivilege(
                "lab: cannot create the \(topology.kind.rawValue) topology's network namespaces "
                    + "(\(error.errno.name)); run it as root (sudo twload lab ...)")
        }
        try command(["ip", "-batch", "-"], in: client, input: clientLinks(peer: router.path), role: .client)
        try command(["ip", "-batch", "-"], in: server, input: serverLinks(peer: router.path), role: .server)
        try command(["ip", "-batch", "-"], in: router, input: routerLinks(topology), role: .router)
        try command(["nft", "-f", "-"], in: router, input: routerRuleset(topology), role: .router)
        var all: [LabSysctl] = defaults.map { LabSysctl($0, origin: "lab default \($0.key)") }
        all += routerDefaults.map { LabSysctl($0, origin: "lab default router \($0.key)") }
        if let seconds = topology.conntrackTimeWaitSeconds {
            let s = SysctlSetting(key: conntrackTimeWaitKey, value: "\(seconds)", role: .router)
            all.append(LabSysctl(s, origin: "--conntrack-time-wait"))
        }
        all += sysctls
        var applied: [(setting: SysctlSetting, roles: [LabRole])] = []
        for sysctl in all {
            let roles = sysctl.setting.role.map { [$0] } ?? LabRole.allCases
            for role in roles {
                let ns: NamespaceHandle
                switch role {
                case .client: ns = client
                case .router: ns = router
                case .server: ns = server
                }
                try LabRun.write(sysctl, in: ns)
            }
            applied.append((sysctl.setting, roles))
        }
        return LabNetwork(
            topology: topology, home: home, client: client, router: router, server: server, applied: applied,
            setupNanos: MonotonicClock.now() - started)
    }

    static let conntrackTimeWaitKey = "net.netfilter.nf_conntrack_tcp_timeout_time_wait"

    /// Runs `arguments` inside `ns` with `input` on its standard input; a missing program or a refused
    /// command is a one-line `labSetup` failure that quotes the program's own message.
    static func command(
        _ arguments: [String], in ns: NamespaceHandle, input: String, role: LabRole
    ) throws(RunFailure) {
        let outcome: ChildProcess.Outcome
        do {
            outcome = try ns.run { () throws(SystemError) in try ChildProcess.run(arguments, input: input) }
        } catch  where error.errno == .noSuchFile {
            let package = arguments[0] == "nft" ? "nftables" : "iproute2"
            throw .labSetup(
                "lab: '\(arguments[0])' is not installed; the routed and NAT topologies need it "
                    + "(apt-get install \(package))")
        } catch {
            throw .system(context: "lab: starting \(arguments[0]) in the \(role.rawValue) namespace", error)
        }
        if outcome.timedOut {
            throw .labSetup(
                "lab: '\(arguments.joined(separator: " "))' did not finish within 10 s in the \(role.rawValue) "
                    + "namespace and was killed")
        }
        guard outcome.status == 0 else {
            let message = outcome.errorText.split(separator: "\n").first.map(String.init) ?? "no message"
            throw .labSetup(
                "lab: '\(arguments.joined(separator: " "))' failed in the \(role.rawValue) namespace "
                    + "(exit \(outcome.status)): \(message)")
        }
    }

    /// The client's end of its link, with the peer placed in the router's namespace (`peer` is its path).
    static func clientLinks(peer: String) -> String {
        """
        link add c0 type veth peer name rc netns \(peer)
        addr add \(LabTopology.clientAddress)/24 dev c0
        link set c0 up
        route add default via \(LabTopology.routerClientSide)

        """
    }

    /// The server's end of its link; its default route goes back through the router (the routed topology's
    /// replies to the client's address need it).
    static func serverLinks(peer: String) -> String {
        """
        link add s0 type veth peer name rs netns \(peer)
        addr add \(LabTopology.serverAddress)/24 dev s0
        link set s0 up
        route add default via \(LabTopology.routerServerSide)

        """
    }

    /// The router's two ends, with every NAT address on the server side (so that it answers ARP for them).
    static func routerLinks(_ topology: LabTopology) -> String {
        var lines = ["addr add \(LabTopology.routerClientSide)/24 dev rc"]
        let nat = topology.kind == .nat ? topology.natAddressList : [LabTopology.routerServerSide]
        for address in Set(nat + [LabTopology.routerServerSide]).sorted(by: Self.numericOrder) {
            lines.append("addr add \(address)/24 dev rs")
        }
        lines += ["link set rc up", "link set rs up"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The router's nftables table. `routed`: a forward chain that only looks at each new connection's
    /// conntrack state, which turns connection tracking on in the router's namespace (as in any stateful
    /// router or firewall) so that its table can be read; it drops nothing. `nat`: the source NAT.
    static func routerRuleset(_ topology: LabTopology) -> String {
        guard topology.kind == .nat else {
            return """
                table ip twload_lab {
                  chain forward {
                    type filter hook forward priority filter; policy accept;
                    ct state new counter
                  }
                }

                """
        }
        return natRuleset(topology)
    }

    /// The router's source NAT: every TCP connection toward the server leaves from one of the NAT addresses
    /// (by Linux's hash, or round-robin with `numgen`) and, when set, a port of `natPorts`.
    static func natRuleset(_ topology: LabTopology) -> String {
        let list = topology.natAddressList
        var addresses = list.count == 1 ? list[0] : "\(list[0])-\(list.last!)"
        if list.count > 1, topology.natSpread == .roundRobin {
            let entries = list.enumerated().map { "\($0.offset) : \($0.element)" }.joined(separator: ", ")
            addresses = "numgen inc mod \(list.count) map { \(entries) } "
        }
        let ports = topology.natPorts.map { ":\($0.low)-\($0.high)" } ?? ""
        return """
            table ip twload_lab {
              chain postrouting {
                type nat hook postrouting priority srcnat; policy accept;
                oifname "rs" meta l4proto tcp snat ip to \(addresses)\(ports)
              }
            }

            """
    }

    private static func numericOrder(_ a: String, _ b: String) -> Bool {
        let x = a.split(separator: ".").compactMap { Int($0) }
        let y = b.split(separator: ".").compactMap { Int($0) }
        return x.lexicographicallyPrecedes(y)
    }
}
