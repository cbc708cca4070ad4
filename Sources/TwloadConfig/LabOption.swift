import TwloadModel

/// The options `twload lab` adds to the run options, declared once. All but `sysctl` are also the keys of
/// a profile's `lab` section.
public enum LabOption {
    public static let sysctl = OptionSpec<SysctlSetting>(
        "sysctl", syntax: "[NS:]KEY=VALUE", default: .none, repeatable: true,
        help: "A network sysctl (`net.*`) for the lab's namespaces only, applied after `tcp_tw_reuse=0` and the "
            + "profile's `sysctl` entries; repeatable. `client:`, `router:` or `server:` before the key limits it "
            + "to that namespace of a routed or NAT topology. The host's settings are never written."
    ) { text, option throws(ConfigError) in try SysctlSetting(parsing: text, option: option) }

    public static let topology = OptionSpec<LabTopology.Kind>.choice(
        "topology", default: .text("loopback"),
        help: "`loopback`: client and built-in server in one namespace. `routed`: a client, a router and a server "
            + "namespace joined by veth pairs (198.18.0.0/15). `nat`: the same, with the router doing source NAT "
            + "(nftables) like a load balancer or cloud NAT gateway. See [Lab topologies](#lab-topologies).")

    public static let natAddresses = OptionSpec<Int>(
        "nat-addresses", syntax: "K", default: .text("1"),
        help: "How many source addresses the router's NAT uses (198.18.1.1 … 198.18.1.K); `nat` only."
    ) { text, option throws(ConfigError) in
        try ValueParsing.integer(text, option: option, in: 1...LabTopology.maximumNatAddresses)
    }

    public static let natPorts = OptionSpec<PortRange>(
        "nat-ports", syntax: "LO-HI", default: .described("none: the client's port, changed only on a clash"),
        help: "The source ports the router's NAT gives out, per NAT address; `nat` only."
    ) { text, option throws(ConfigError) in try ValueParsing.portRange(text, option: option) }

    public static let natSpread = OptionSpec<LabTopology.Spread>.choice(
        "nat-spread", default: .text("hash"),
        help: "How the NAT picks one of its addresses for a new connection: `hash` of the source and destination "
            + "addresses (Linux's own for an address range: one client talking to one server always gets the same "
            + "address), or `round-robin` (nft `numgen`, like a cloud NAT gateway's pool); `nat` only.")

    public static let conntrackTimeWait = OptionSpec<Int>(
        "conntrack-time-wait", syntax: "D", default: .described("the kernel's, 120s"),
        help: "The router's `nf_conntrack_tcp_timeout_time_wait`: how long its connection-tracking table keeps "
            + "a closed connection's entry; whole seconds."
    ) { text, option throws(ConfigError) in
        let nanos = try ValueParsing.duration(text, option: option)
        guard nanos >= 1_000_000_000, nanos % 1_000_000_000 == 0 else {
            throw ConfigError(option, "must be whole seconds, at least 1s (got '\(text)')")
        }
        return Int(nanos / 1_000_000_000)
    }

    /// The `lab` section's keys (and CLI options) that set the topology.
    public static let topologyOptions: [any AnyOptionSpec] = [
        topology, natAddresses, natPorts, natSpread, conntrackTimeWait,
    ]

    /// In the README's order.
    public static let all: [any AnyOptionSpec] = [sysctl] + topologyOptions

    /// The topology the values give (the defaults for what they do not set), checked as a whole: NAT settings
    /// need `--topology nat`, and `--conntrack-time-wait` a router.
    public static func topology(_ values: OptionValues) throws(ConfigError) -> LabTopology {
        let kind = values.value(topology) ?? .loopback
        var t = LabTopology(kind: kind)
        if let k = values.value(natAddresses) { t.natAddresses = k }
        t.natPorts = values.value(natPorts)
        t.natSpread = values.value(natSpread) ?? .hash
        t.conntrackTimeWaitSeconds = values.value(conntrackTimeWait)
        if kind != .nat {
            for spec in [natAddresses, natPorts, natSpread] as [any AnyOptionSpec] where values.contains(spec.name) {
                throw ConfigError(
                    "--" + spec.name, "sets the router's NAT, which only --topology nat has (got \(kind.rawValue))")
            }
        }
        if kind == .loopback, values.contains(conntrackTimeWait.name) {
            throw ConfigError(
                conntrackTimeWait.flag, "sets the router's conntrack table, which only --topology routed or nat has")
        }
        return t
    }
}
