import TwloadModel
import TwloadSystem

/// Where each new socket connects from: the next `--source-addr` in round-robin order, and the source port
/// as `--source-ports` and `--port-binding` ask (a per-socket range, or an explicit bind() per port). Both
/// engines call it on each socket before its connect.
struct SourceChooser {
    let addresses: [SocketAddress]
    let binding: SourceBinding
    /// The target's unspecified address, bound with an explicit port when no source address is given.
    let unspecified: SocketAddress
    /// True when connect() needs neither a source address nor a port range: the common, cheapest path,
    /// on which `prepare` is never called.
    let isPlain: Bool
    var nextAddress = 0
    var nextBindPort: UInt16 = 0

    init(_ settings: WorkerSettings) {
        addresses = settings.sourceAddresses
        binding = settings.binding
        unspecified = settings.target.unspecifiedOfSameFamily
        if case .explicitBind(let r) = settings.binding { nextBindPort = r.low }
        if case .system = settings.binding, settings.sourceAddresses.isEmpty {
            isPlain = true
        } else {
            isPlain = false
        }
    }

    /// Sets `fd`'s source address (round robin) and source port choice.
    mutating func prepare(_ fd: Int32) throws(SystemError) {
        var source: SocketAddress?
        if !addresses.isEmpty {
            source = addresses[nextAddress]
            nextAddress = nextAddress + 1 == addresses.count ? 0 : nextAddress + 1
        }
        switch binding {
        case .system:
            if let s = source {
                try SocketOptions.setBindAddressNoPort(fd)
                try Socket.bind(fd, to: s)
            }
        case .perSocketRange(let r):
            try SocketOptions.setLocalPortRange(fd, low: r.low, high: r.high)
            if let s = source {
                try SocketOptions.setBindAddressNoPort(fd)
                try Socket.bind(fd, to: s)
            }
        case .explicitBind(let r):
            var s = source ?? unspecified
            s.port = nextBindPort
            nextBindPort = nextBindPort == r.high ? r.low : nextBindPort + 1
            try Socket.bind(fd, to: s)
        }
    }
}
