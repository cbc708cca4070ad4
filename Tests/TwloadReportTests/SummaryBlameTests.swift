import Testing
import TwloadCensus
import TwloadModel
import TwloadStats

@testable import TwloadReport

/// The side the summary's explanation blames (issue 17): this host's ports, something on the path, or the
/// server, each with the numbers it rests on, and which wins when the evidence is mixed.
@Suite struct SummaryBlameTests {
    /// What one interval of a run saw, all of it optional.
    struct Interval {
        var attempted = 100
        var established = 100
        var counters: (inout IntervalCounters) -> Void = { _ in }
        var connectMicros: UInt64 = 200
        var connectCallMicros: UInt64 = 50
        var clientTimeWait: Int? = nil
        var synRetrans = 0
        var listenOverflows = 0
        var listenDrops = 0
    }

    /// Totals of a run made of `intervals`, one second each.
    private func totals(_ intervals: [Interval]) -> RunTotals {
        var t = RunTotals(intervalSeconds: 1, scheduledSeconds: Double(intervals.count))
        for (i, v) in intervals.enumerated() {
            var c = IntervalCounters()
            c.attempted = v.attempted
            c.established = v.established
            c.completed = v.established
            c.activeCloses = v.established
            v.counters(&c)
            var l = LatencyHistograms()
            if v.established > 0 { _ = l.connect.record(v.connectMicros, count: UInt64(v.established)) }
            _ = l.connectCall.record(v.connectCallMicros, count: UInt64(v.attempted))
            t.add(
                IntervalRow(
                    elapsedSeconds: Double(i + 1), unixMillis: 1_700_000_000_000 + Int64(i) * 1000,
                    targetRate: 100, counters: c, latency: l, open: 0,
                    timeWait: TimeWaitCounts(client: v.clientTimeWait), server: nil, isFinal: i == intervals.count - 1,
                    tcpDelta: TcpCounters(
                        expired: 0, recycled: 0, overflow: 0, synRetrans: v.synRetrans,
                        listenOverflows: v.listenOverflows, listenDrops: v.listenDrops)))
        }
        return t
    }

    private func description(
        builtinServer: Bool = false, linger: LingerMode = .off, ports: Int? = 28232
    ) -> RunDescription {
        RunDescription(
            target: "10.0.0.2:80", builtinServer: builtinServer, rate: 100, close: .client, linger: linger,
            portsPerAddress: ports, sourceAddressCount: 1)
    }

    /// A NAT that drops SYNs: 40 connect timeouts out of 100 attempts, 120 retransmitted SYNs, and the 60
    /// that got through waited up to 3 s; the client holds 1200 of its 28232 ports in TIME_WAIT.
    private func droppedSyns(_ configure: @escaping (inout IntervalCounters) -> Void = { _ in }) -> Interval {
        Interval(
            established: 60,
            counters: {
                $0.failed = 40
                $0.etimedout = 40
                $0.connectTimeouts = 40
                configure(&$0)
            }, connectMicros: 3_000_000, clientTimeWait: 1200, synRetrans: 120)
    }

    // MARK: this host's ports

    @Test func eaddrnotavailBlamesThisHostsPortsWithItsCountAndTimeWaitPeak() {
        let t = totals([
            Interval(clientTimeWait: 100),
            Interval(
                established: 0,
                counters: {
                    $0.failed = 100
                    $0.eaddrnotavail = 100
                    $0.firstEaddrnotavailNanos = 1_010_000_000
                }, clientTimeWait: 100),
        ])
        let e = SummaryReport.explain(t, description(ports: 100))
        #expect(e.limitedBy == .hostPorts)
        #expect(
            e.text.hasPrefix(
                "this host ran out of source ports: from 1.01 s connect() failed with EADDRNOTAVAIL (100 failures, "
                    + "client TIME_WAIT peak 100): every source port toward 10.0.0.2:80 was held"), "\(e.text)")
        #expect(e.text.contains("100 ports ÷ 60 s ≈ 1.7 connections/s sustainable"), "\(e.text)")
    }

    @Test func eaddrnotavailWinsOverRefusalsTimeoutsAndRetransmissions() {
        let t = totals([
            droppedSyns {
                $0.failed += 70
                $0.econnrefused = 50
                $0.eaddrnotavail = 20
                $0.firstEaddrnotavailNanos = 500_000_000
            }
        ])
        #expect(SummaryReport.explain(t, description()).limitedBy == .hostPorts)
    }

    @Test func theEvenHalfCollapseBlamesThisHostsPortsEvenWithSlowSyns() {
        // Seven fast intervals, then connect() calls of 5 ms with 14,500 ports in TIME_WAIT, and a few SYNs
        // retransmitted on the way: the collapse comes first.
        var intervals = (1...7).map { _ in Interval(attempted: 2000, established: 2000, clientTimeWait: 14_000) }
        intervals += (1...3).map { _ in
            Interval(
                attempted: 600, established: 600, connectMicros: 1_200_000, connectCallMicros: 5000,
                clientTimeWait: 14_500, synRetrans: 30)
        }
        let e = SummaryReport.explain(totals(intervals), description())
        #expect(e.limitedBy == .hostPorts)
        #expect(e.text.hasPrefix("this host ran short of source ports: from about 7.00 s"), "\(e.text)")
        #expect(e.text.contains("with no error (0 EADDRNOTAVAIL)"), "\(e.text)")
        #expect(
            e.text.contains("(up to 14500 sockets toward the target were in TIME_WAIT of 28232 ports)"), "\(e.text)")
    }

    // MARK: something between

    @Test func connectTimeoutsWithFreePortsBlameTheMiddleboxWithEveryFigure() {
        let e = SummaryReport.explain(totals([droppedSyns()]), description())
        #expect(e.limitedBy == .middlebox)
        #expect(
            e.text
                == "something between this host and 10.0.0.2:80 dropped or delayed SYNs: 40 connect timeouts, "
                + "120 SYN retransmissions, connect p99 3.00 s (a SYN is sent again 1 s, 3 s, 7 s… after the "
                + "first), while this host's ports were free (0 EADDRNOTAVAIL, client TIME_WAIT peak 1200 of 28232 "
                + "ports). Look at the NAT, load balancer, firewall or conntrack table between this host and the "
                + "target.")
    }

    @Test func theKernelsEtimedoutCountsAsAConnectTimeoutButAnExchangeTimeoutDoesNot() {
        // 5 ETIMEDOUT from the kernel (its SYN retries ran out) and 3 exchange timeouts (a slow answer).
        let t = totals([
            Interval(
                established: 95,
                counters: {
                    $0.failed = 8
                    $0.etimedout = 8
                    $0.exchangeTimeouts = 3
                }, synRetrans: 30)
        ])
        let e = SummaryReport.explain(t, description())
        #expect(e.limitedBy == .middlebox)
        #expect(e.text.contains(": 5 connect timeouts, 30 SYN retransmissions"), "\(e.text)")
    }

    @Test func synRetransmissionsThatSlowConnectP99BlameTheMiddleboxWithoutAnyFailure() {
        let t = totals([Interval(connectMicros: 1_020_000, synRetrans: 35)])
        let e = SummaryReport.explain(t, description())
        #expect(e.limitedBy == .middlebox)
        #expect(
            e.text.hasPrefix(
                "something between this host and 10.0.0.2:80 delayed SYNs: 35 SYN retransmissions, connect p99 "
                    + "1.02 s"), "\(e.text)")
        #expect(!e.text.contains("connect timeout"), "\(e.text)")
    }

    @Test func aStraySynRetransmissionInAQuickCleanRunBlamesNoOne() {
        let t = totals([Interval(connectMicros: 300, synRetrans: 1)])
        let e = SummaryReport.explain(t, description(builtinServer: true))
        #expect(e.limitedBy == nil)
        #expect(!e.text.contains("something between"), "\(e.text)")
    }

    @Test func timeoutsWhileTheClientHoldsHalfItsPortsBlameNoMiddlebox() {
        // 15,000 of 28,232 ports in TIME_WAIT: this host's ports are not free, so the path is not blamed.
        let t = totals([
            Interval(
                established: 90,
                counters: {
                    $0.failed = 10
                    $0.etimedout = 10
                    $0.connectTimeouts = 10
                }, clientTimeWait: 15_000, synRetrans: 20)
        ])
        let e = SummaryReport.explain(t, description())
        #expect(e.limitedBy == nil)
        #expect(
            e.text
                == "no one side stands out: 10 connections failed (ETIMEDOUT 10, (timeouts: connect 10, exchange 0)); "
                + "this host's source ports did not run out (0 EADDRNOTAVAIL).")
    }

    @Test func theRoutersConntrackDropsAreCitedWhenCounted() {
        var t = totals([droppedSyns()])
        t.routerConntrackDrops = 57
        let e = SummaryReport.explain(t, description())
        #expect(e.limitedBy == .middlebox)
        #expect(
            e.text.contains(
                "; the router's conntrack dropped 57 SYNs of new connections (its drop and early_drop statistics"),
            "\(e.text)")
    }

    @Test func aRouterWhoseConntrackDroppedNoneMeansTheSynsWereDelayedOrAnsweredLate() {
        var t = totals([Interval(connectMicros: 1_100_000, synRetrans: 12)])
        t.routerConntrackDrops = 0
        let e = SummaryReport.explain(t, description())
        #expect(e.limitedBy == .middlebox)
        #expect(
            e.text.contains(
                "; the router's conntrack table dropped none, so the SYNs were delayed or answered late rather "
                    + "than dropped there"), "\(e.text)")
    }

    @Test func withoutARouterObservedNoConntrackFigureIsCited() {
        let e = SummaryReport.explain(totals([droppedSyns()]), description())
        #expect(!e.text.contains("router"), "\(e.text)")
    }

    @Test func connectionsStillOpenAtTheDrainAreNamedBesideTheMiddlebox() {
        // The probe's black hole: 5 attempts timed out, 5 were still waiting when the drain ended.
        let t = totals([
            Interval(
                attempted: 10, established: 0,
                counters: {
                    $0.failed = 5
                    $0.etimedout = 5
                    $0.connectTimeouts = 5
                    $0.unfinished = 5
                }, clientTimeWait: 0, synRetrans: 10)
        ])
        let e = SummaryReport.explain(t, description())
        #expect(e.limitedBy == .middlebox)
        #expect(e.text.contains("5 connect timeouts, 10 SYN retransmissions, no connection established"), "\(e.text)")
        #expect(e.text.contains("; 5 connections were still open when the drain ended."), "\(e.text)")
    }

    // MARK: the server

    @Test func refusalsAtAClosedPortBlameTheServer() {
        let t = totals([
            Interval(
                attempted: 20, established: 0,
                counters: {
                    $0.failed = 20
                    $0.econnrefused = 20
                })
        ])
        let e = SummaryReport.explain(t, description())
        #expect(e.limitedBy == .server)
        #expect(
            e.text
                == "the server refused or reset connections: 20 connections refused (ECONNREFUSED: nothing listening "
                + "at 10.0.0.2:80, or a full accept queue with tcp_abort_on_overflow=1); this host's source ports "
                + "did not run out (0 EADDRNOTAVAIL).")
    }

    @Test func resetsBlameTheServer() {
        let t = totals([
            Interval(
                counters: {
                    $0.failed = 7
                    $0.econnreset = 7
                })
        ])
        let e = SummaryReport.explain(t, description())
        #expect(e.limitedBy == .server)
        #expect(
            e.text.hasPrefix(
                "the server refused or reset connections: 7 connections reset (ECONNRESET: an RST from the server"),
            "\(e.text)")
    }

    @Test func theBuiltinServersListenOverflowsBlameItForTheTimeoutsTheyCaused() {
        let t = totals([
            droppedSyns().with {
                $0.listenOverflows = 30
                $0.listenDrops = 32
            }
        ])
        let e = SummaryReport.explain(t, description(builtinServer: true))
        #expect(e.limitedBy == .server)
        #expect(
            e.text.hasPrefix(
                "the server could not keep up: its listener dropped handshakes (30 accept-queue overflows in "
                    + "TcpExtListenOverflows, 32 in ListenDrops), so clients waited to send their SYNs again (40 "
                    + "connect timeouts, 120 SYN retransmissions, connect p99 3.00 s"), "\(e.text)")
        #expect(e.text.contains("net.core.somaxconn"), "\(e.text)")
    }

    @Test func anExternalTargetsListenOverflowsAreNotItsToBlame() {
        // Without the built-in server the namespace's listen counters belong to someone else.
        let t = totals([droppedSyns().with { $0.listenOverflows = 30 }])
        #expect(SummaryReport.explain(t, description(builtinServer: false)).limitedBy == .middlebox)
    }

    @Test func soLingerZeroDoesNotHideRefusals() {
        let t = totals([
            Interval(
                established: 0,
                counters: {
                    $0.failed = 100
                    $0.econnrefused = 100
                })
        ])
        #expect(SummaryReport.explain(t, description(linger: .reset)).limitedBy == .server)
    }

    // MARK: mixed evidence

    @Test func moreRefusalsThanTimeoutsBlameTheServerAndNameTheTimeouts() {
        let t = totals([
            droppedSyns {
                $0.failed += 50
                $0.econnrefused = 50
            }
        ])
        let e = SummaryReport.explain(t, description())
        #expect(e.limitedBy == .server)
        #expect(e.text.hasPrefix("the server refused or reset connections: 50 connections refused"), "\(e.text)")
        #expect(
            e.text.contains(
                "; fewer SYNs went unanswered (40 connect timeouts, 120 SYN retransmissions, connect p99 3.00 s"),
            "\(e.text)")
    }

    @Test func moreTimeoutsThanRefusalsBlameTheMiddleboxAndNameTheRefusals() {
        let t = totals([
            droppedSyns {
                $0.failed += 12
                $0.econnrefused = 10
                $0.econnreset = 2
            }
        ])
        let e = SummaryReport.explain(t, description())
        #expect(e.limitedBy == .middlebox)
        #expect(e.text.contains("; the server refused or reset fewer (ECONNREFUSED 10, ECONNRESET 2)"), "\(e.text)")
    }

    @Test func asManyRefusalsAsTimeoutsBlameTheServer() {
        let t = totals([
            droppedSyns {
                $0.failed += 40
                $0.econnrefused = 40
            }
        ])
        #expect(SummaryReport.explain(t, description()).limitedBy == .server)
    }

    // MARK: no side

    @Test(arguments: [false, true])
    func aHealthyRunBlamesNoOne(builtinServer: Bool) {
        let t = totals([Interval(), Interval()])
        let e = SummaryReport.explain(t, description(builtinServer: builtinServer))
        #expect(e.limitedBy == nil)
        #expect(e.text == "no errors and no slowdown at this rate.")
    }

    // MARK: totals

    @Test func totalsSumTheSynAndListenCountersOfEveryRow() {
        let t = totals([
            Interval(synRetrans: 3, listenOverflows: 1, listenDrops: 2),
            Interval(synRetrans: 4, listenOverflows: 5, listenDrops: 6),
        ])
        #expect(t.tcpDeltas.synRetrans == 7)
        #expect(t.tcpDeltas.listenOverflows == 6)
        #expect(t.tcpDeltas.listenDrops == 8)
        #expect(t.routerConntrackDrops == nil, "no router observed")
    }
}

extension SummaryBlameTests.Interval {
    /// A copy with `change` applied.
    func with(_ change: (inout Self) -> Void) -> Self {
        var copy = self
        change(&copy)
        return copy
    }
}
