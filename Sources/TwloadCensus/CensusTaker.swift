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
    /// The client's and the server's TIME_WAIT sockets that entered TIME_WAIT after the run started (from
    /// their timers), when the census knows the run's start and sock_diag works.
    public var clientRunTimeWait: Int?
    public var serverRunTimeWait: Int?
    public var all: StateCounts?
    public var sockstat: SockStat?
    public var tcpCounters: TcpCounters?
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
        let server = views.server.map { census($0, runStartNanos: runStartNanos) }
        return CensusSample(
            boundary: boundary, client: client?.counts, server: server?.counts,
            clientRunTimeWait: client?.runTimeWait, serverRunTimeWait: server?.runTimeWait,
            all: views.all ? count(.none) : nil, sockstat: SockStat.read(), tcpCounters: TcpCounters.read())
    }
}
