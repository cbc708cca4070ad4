import TwloadSystem

/// Which socket groups a census counts.
public struct CensusViews: Sendable, Equatable {
    /// The client side: sockets whose peer is the target.
    public var client: PortFilter?
    /// The server side: sockets on the target's local address and port (only when it is on this host).
    public var server: PortFilter?
    /// Every TCP socket in the namespace.
    public var all: Bool
    /// The namespace the server side lives in, when it is not this process's (a lab topology's server
    /// namespace): the server view and the listener's counters are read there.
    public var serverNamespace: NamespaceHandle?
    /// A router namespace whose conntrack table each census reads (a lab topology's router).
    public var routerNamespace: NamespaceHandle?
    /// Whether the router translates addresses, so that counting its NAT ports means something.
    public var routerTranslates: Bool

    public init(
        client: PortFilter? = nil, server: PortFilter? = nil, all: Bool = false,
        serverNamespace: NamespaceHandle? = nil, routerNamespace: NamespaceHandle? = nil,
        routerTranslates: Bool = false
    ) {
        self.client = client
        self.server = server
        self.all = all
        self.serverNamespace = serverNamespace
        self.routerNamespace = routerNamespace
        self.routerTranslates = routerTranslates
    }

    public static func == (a: CensusViews, b: CensusViews) -> Bool {
        a.client == b.client && a.server == b.server && a.all == b.all && a.serverNamespace === b.serverNamespace
            && a.routerNamespace === b.routerNamespace && a.routerTranslates == b.routerTranslates
    }

    /// The TCP counters of this census: the process's namespace, with the listener's counters from the
    /// server's namespace when it has its own.
    public func tcpCounters() -> TcpCounters? {
        guard let own = TcpCounters.read() else { return nil }
        guard let serverNamespace else { return own }
        let server = try? serverNamespace.run { () throws(SystemError) in TcpCounters.read() }
        return server.flatMap { $0 }.map { own.withListenCounters(of: $0) } ?? own
    }

    /// The router's conntrack reading, when there is a router; nil otherwise or when it cannot be read.
    public func routerReading() -> ConntrackReading? {
        guard let routerNamespace else { return nil }
        let translates = routerTranslates
        let reading = try? routerNamespace.run { () throws(SystemError) in
            ConntrackReading.read(withNatPorts: translates)
        }
        return reading.flatMap { $0 }
    }
}

/// One census: per-state counts for each view, plus the namespace-wide figures.
public struct CensusSample: Sendable {
    /// The interval boundary it belongs to (k for the end of interval k-1).
    public var boundary: Int
    public var client: StateCounts?
    public var server: StateCounts?
    /// The client's and the server's TIME_WAIT sockets that entered TIME_WAIT after the run started (from
    /// their timers), when the census knows the run's start and sock_diag works.
    public var clientRunTimeWait: Int?
    public var serverRunTimeWait: Int?
    public var all: StateCounts?
    public var sockstat: SockStat?
    public var tcpCounters: TcpCounters?
    /// The router's conntrack table, in a lab topology.
    public var router: ConntrackReading?
}

/// Takes censuses through sock_diag, falling back to /proc/net/tcp (with one warning) when the kernel
/// refuses the netlink request. Used by one thread at a time.
final class CensusTaker {
    let views: CensusViews
    let warn: @Sendable (String) -> Void
    private var counter: SockDiagCounter?
    /// The sock_diag socket opened in the server's namespace, when it has its own.
    private var serverCounter: SockDiagCounter?
    private var warnedServer = false
    private var warned = false

    init(views: CensusViews, useSockDiag: Bool = true, warn: @escaping @Sendable (String) -> Void) {
        self.views = views
        self.warn = warn
        if useSockDiag {
            do { counter = try SockDiagCounter() } catch { fallBack(error) }
            if let ns = views.serverNamespace {
                // A netlink socket belongs to the namespace it was opened in.
                do {
                    serverCounter = try ns.run { () throws(SystemError) in try SockDiagCounter() }
                } catch {
                    warn("cannot count the server's sockets in its namespace (\(error)); tw_server stays empty")
                }
            }
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
        census(filter, states: states, runStartNanos: nil).counts
    }

    /// A view's counts, and, when the run's start is given and sock_diag works, how many of its TIME_WAIT
    /// sockets entered TIME_WAIT since then.
    func census(
        _ filter: PortFilter, states: TCPStates = .all, runStartNanos: Int64?
    ) -> (
        counts: StateCounts?, runTimeWait: Int?
    ) {
        if let counter {
            let young = runStartNanos.map { Self.youngTimeWaitMillis(sinceNanos: $0, now: MonotonicClock.now()) }
            do {
                let c = try counter.census(filter: filter, states: states, youngTimeWaitMillis: young)
                return (c.counts, young == nil ? nil : c.youngTimeWait)
            } catch { fallBack(error) }
        }
        return (try? ProcNetTCP.read(filter: filter), nil)
    }

    /// A TIME_WAIT socket that entered TIME_WAIT at or after `start` has at least 60 s − (now − start) left
    /// on its timer. The kernel reports the time left in whole jiffies (up to 10 ms at HZ=100), so the limit
    /// is 10 ms lower, which counts at most the last 10 ms before the start as the run's. After 60 s every
    /// TIME_WAIT socket is the run's (0: all count).
    static func youngTimeWaitMillis(sinceNanos start: Int64, now: Int64) -> UInt32 {
        let elapsedMillis = max(0, now - start) / 1_000_000
        return UInt32(max(0, 60_000 - elapsedMillis - 10))
    }

    func take(boundary: Int, runStartNanos: Int64? = nil) -> CensusSample {
        let client = views.client.map { census($0, runStartNanos: runStartNanos) }
        let server = views.server.map { filter in
            views.serverNamespace == nil
                ? census(filter, runStartNanos: runStartNanos) : serverCensus(filter, runStartNanos: runStartNanos)
        }
        return CensusSample(
            boundary: boundary, client: client?.counts, server: server?.counts,
            clientRunTimeWait: client?.runTimeWait, serverRunTimeWait: server?.runTimeWait,
            all: views.all ? count(.none) : nil, sockstat: SockStat.read(), tcpCounters: views.tcpCounters(),
            router: views.routerReading())
    }

    /// The server view through the server namespace's own sock_diag socket (no /proc fallback there).
    private func serverCensus(_ filter: PortFilter, runStartNanos: Int64?) -> (counts: StateCounts?, runTimeWait: Int?)
    {
        guard let serverCounter else { return (nil, nil) }
        let young = runStartNanos.map { Self.youngTimeWaitMillis(sinceNanos: $0, now: MonotonicClock.now()) }
        do {
            let c = try serverCounter.census(filter: filter, states: .all, youngTimeWaitMillis: young)
            return (c.counts, young == nil ? nil : c.youngTimeWait)
        } catch {
            if !warnedServer {
                warnedServer = true
                warn("the server namespace's socket census failed (\(error)); its rows have no tw_server")
            }
            return (nil, nil)
        }
    }
}
