import TwloadSystem

/// Which socket groups a census counts.
public struct CensusViews: Sendable, Equatable {
    /// The client side: sockets whose peer is the target.
    public var client: PortFilter?
    /// The server side: sockets on the target's local address and port (only when it is on this host).
    public var server: PortFilter?
    /// Every TCP socket in the namespace.
    public var all: Bool

    public init(client: PortFilter? = nil, server: PortFilter? = nil, all: Bool = false) {
        self.client = client
        self.server = server
        self.all = all
    }
}

/// One census: per-state counts for each view, plus the namespace-wide figures.
public struct CensusSample: Sendable {
    /// The interval boundary it belongs to (k for the end of interval k-1).
    public var boundary: Int
    public var client: StateCounts?
    public var server: StateCounts?
    public var all: StateCounts?
    public var sockstat: SockStat?
    public var timeWaitCounters: TimeWaitCounters?
}

/// Takes censuses through sock_diag, falling back to /proc/net/tcp (with one warning) when the kernel
/// refuses the netlink request. Used by one thread at a time.
final class CensusTaker {
    let views: CensusViews
    let warn: @Sendable (String) -> Void
    private var counter: SockDiagCounter?
    private var warned = false

    init(views: CensusViews, useSockDiag: Bool = true, warn: @escaping @Sendable (String) -> Void) {
        self.views = views
        self.warn = warn
        if useSockDiag {
            do { counter = try SockDiagCounter() } catch { fallBack(error) }
        }
    }

    private func fallBack(_ error: SystemError) {
        counter = nil
        if !warned {
            warned = true
            warn(
                "sock_diag is not available (\(error)); counting sockets from /proc/net/tcp instead, which is slower"
            )
        }
    }

    func count(_ filter: PortFilter, states: TCPStates = .all) -> StateCounts? {
        if let counter {
            do { return try counter.count(filter: filter, states: states) } catch { fallBack(error) }
        }
        return try? ProcNetTCP.read(filter: filter)
    }

    func take(boundary: Int) -> CensusSample {
        CensusSample(
            boundary: boundary, client: views.client.flatMap { count($0) },
            server: views.server.flatMap { count($0) }, all: views.all ? count(.none) : nil,
            sockstat: SockStat.read(), timeWaitCounters: TimeWaitCounters.read())
    }
}
