import TwloadModel

/// The network a lab run uses: its namespaces, how they are joined, and the router's source NAT.
///
/// ```text
///  loopback:  [ client + server ]  one namespace, lo only (the default)
///
///  routed:    [ client ]c0 ---- rc[ router ]rs ---- s0[ server ]
///            198.18.0.2/24  198.18.0.1    198.18.1.1  198.18.1.254/24
///
///  nat:       the same, and the router rewrites every TCP source to one of
///             198.18.1.1 … 198.18.1.K (--nat-addresses), ports --nat-ports
/// ```
/// Every address is in 198.18.0.0/15 (RFC 2544's benchmarking range) and exists only inside the lab's
/// namespaces, which die with the process.
public struct LabTopology: Sendable, Equatable {
    public enum Kind: String, CaseIterable, Sendable {
        case loopback, routed, nat
    }

    /// How the NAT picks an address for a new connection.
    public enum Spread: String, CaseIterable, Sendable {
        /// Linux's own choice for `snat to A-B`: a hash of the source and destination addresses, so one
        /// client address talking to one server always leaves from the same NAT address.
        case hash
        /// Each new connection takes the next address (nft `numgen inc`), as a cloud NAT gateway's pool does.
        case roundRobin = "round-robin"
    }

    public var kind: Kind
    /// K: the router's source NAT addresses, 198.18.1.1 … 198.18.1.K.
    public var natAddresses: Int
    /// The NAT's source ports; nil: the kernel keeps the client's port unless it clashes.
    public var natPorts: PortRange?
    /// The router's `nf_conntrack_tcp_timeout_time_wait`, when set.
    public var conntrackTimeWaitSeconds: Int?
    public var natSpread: Spread

    public init(
        kind: Kind = .loopback, natAddresses: Int = 1, natPorts: PortRange? = nil,
        conntrackTimeWaitSeconds: Int? = nil, natSpread: Spread = .hash
    ) {
        self.kind = kind
        self.natAddresses = natAddresses
        self.natPorts = natPorts
        self.conntrackTimeWaitSeconds = conntrackTimeWaitSeconds
        self.natSpread = natSpread
    }

    /// The most NAT addresses: 198.18.1.1 … 198.18.1.200 (the server is .254).
    public static let maximumNatAddresses = 200

    public static let clientAddress = "198.18.0.2"
    public static let routerClientSide = "198.18.0.1"
    public static let routerServerSide = "198.18.1.1"
    public static let serverAddress = "198.18.1.254"

    /// The NAT's source addresses, in order.
    public var natAddressList: [String] { (1...max(1, natAddresses)).map { "198.18.1.\($0)" } }

    /// The NAT addresses one client address's connections to one server can use: all of them when the NAT
    /// spreads round-robin, one under Linux's hash.
    public var natAddressesPerPair: Int { natSpread == .roundRobin ? max(1, natAddresses) : 1 }

    /// How many (address, port) pairs the NAT can give out at once for the lab's client toward one server
    /// port: nil when its port range is not set.
    public var natTuples: Int? { natPorts.map { $0.count * natAddressesPerPair } }

    /// "nat (router 198.18.1.1-198.18.1.2:40000-40099)" and the like, for notes.
    public var summary: String {
        switch kind {
        case .loopback: return "loopback"
        case .routed: return "routed (client \(Self.clientAddress) → router → server \(Self.serverAddress))"
        case .nat:
            let addresses =
                natAddresses == 1 ? natAddressList[0] : "\(natAddressList[0])-\(natAddressList.last!)"
            return "nat (client \(Self.clientAddress) → router, source NAT to \(addresses)"
                + (natPorts.map { ":\($0)" } ?? "") + (natAddresses > 1 ? " by \(natSpread.rawValue)" : "")
                + " → server \(Self.serverAddress))"
        }
    }
}

/// The lab namespace a sysctl applies to; a sysctl without one applies to every namespace of the topology.
public enum LabRole: String, CaseIterable, Sendable {
    case client, router, server
}
