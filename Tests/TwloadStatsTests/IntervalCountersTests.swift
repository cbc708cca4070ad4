import Glibc
import Testing
import TwloadSystem

@testable import TwloadStats

/// The error columns of `c` by CSV column name.
private func errorColumns(_ c: IntervalCounters) -> [String: Int] {
    [
        "eaddrnotavail": c.eaddrnotavail, "eaddrinuse": c.eaddrinuse, "econnrefused": c.econnrefused,
        "etimedout": c.etimedout, "econnreset": c.econnreset, "emfile": c.emfile, "other_errors": c.otherErrors,
        "enetunreach": c.enetunreach, "ehostunreach": c.ehostunreach,
    ]
}

private let noErrors: [String: Int] = [
    "eaddrnotavail": 0, "eaddrinuse": 0, "econnrefused": 0, "etimedout": 0, "econnreset": 0, "emfile": 0,
    "other_errors": 0, "enetunreach": 0, "ehostunreach": 0,
]

@Suite struct IntervalCountersTests {
    @Test(arguments: [
        (EADDRNOTAVAIL, "eaddrnotavail"), (EADDRINUSE, "eaddrinuse"), (ECONNREFUSED, "econnrefused"),
        (ETIMEDOUT, "etimedout"), (ECONNRESET, "econnreset"), (EPIPE, "econnreset"), (EMFILE, "emfile"),
        (ENFILE, "emfile"), (EHOSTUNREACH, "ehostunreach"), (ENETUNREACH, "enetunreach"), (ENOBUFS, "other_errors"),
        (0, "other_errors"),
    ])
    func failureIsCountedUnderItsErrnoColumn(errno: Int32, column: String) {
        var c = IntervalCounters()
        c.countFailure(errno: Errno(rawValue: errno))
        var expected = noErrors
        expected[column] = 1
        #expect(errorColumns(c) == expected)
        #expect(c.failed == 1)
    }

    @Test func aFailureWithoutAnErrnoIsCountedUnderOtherErrors() {
        var c = IntervalCounters()
        c.countOtherFailure()
        var expected = noErrors
        expected["other_errors"] = 1
        #expect(errorColumns(c) == expected)
        #expect(c.failed == 1)
    }

    @Test func everyFailureBumpsFailed() {
        var c = IntervalCounters()
        for e in [EADDRNOTAVAIL, EADDRNOTAVAIL, EPIPE, ECONNRESET, ENFILE, ENOBUFS] {
            c.countFailure(errno: Errno(rawValue: e))
        }
        #expect(c.failed == 6)
        #expect(c.eaddrnotavail == 2)
        #expect(c.econnreset == 2)
        #expect(c.emfile == 1)
        #expect(c.otherErrors == 1)
        #expect(c.attempted == 0)
    }

    @Test func countingAFailureLeavesTheFirstTimesAlone() {
        var c = IntervalCounters()
        c.countFailure(errno: Errno(rawValue: EADDRNOTAVAIL))
        #expect(c.firstEaddrnotavailNanos == -1)
        #expect(c.firstSlowConnectCallNanos == -1)
    }

    @Test func mergeSumsEveryCounter() {
        var a = IntervalCounters()
        a.attempted = 1
        a.established = 2
        a.completed = 3
        a.failed = 4
        a.missed = 5
        a.eaddrnotavail = 6
        a.eaddrinuse = 7
        a.econnrefused = 8
        a.etimedout = 9
        a.econnreset = 10
        a.emfile = 11
        a.otherErrors = 12
        a.activeCloses = 13
        a.passiveCloses = 14
        a.connectTimeouts = 15
        a.exchangeTimeouts = 16
        a.protocolErrors = 17
        a.unfinished = 18
        a.peakOpen = 19
        var b = IntervalCounters()
        b.attempted = 100
        b.established = 200
        b.completed = 300
        b.failed = 400
        b.missed = 500
        b.eaddrnotavail = 600
        b.eaddrinuse = 700
        b.econnrefused = 800
        b.etimedout = 900
        b.econnreset = 1000
        b.emfile = 1100
        b.otherErrors = 1200
        b.activeCloses = 1300
        b.passiveCloses = 1400
        b.connectTimeouts = 1500
        b.exchangeTimeouts = 1600
        b.protocolErrors = 1700
        b.unfinished = 1800
        b.peakOpen = 1900
        a.merge(b)
        var expected = IntervalCounters()
        expected.attempted = 101
        expected.established = 202
        expected.completed = 303
        expected.failed = 404
        expected.missed = 505
        expected.eaddrnotavail = 606
        expected.eaddrinuse = 707
        expected.econnrefused = 808
        expected.etimedout = 909
        expected.econnreset = 1010
        expected.emfile = 1111
        expected.otherErrors = 1212
        expected.activeCloses = 1313
        expected.passiveCloses = 1414
        expected.connectTimeouts = 1515
        expected.exchangeTimeouts = 1616
        expected.protocolErrors = 1717
        expected.unfinished = 1818
        expected.peakOpen = 1919
        #expect(a == expected)
    }

    @Test func mergeKeepsTheEarliestFirstEaddrnotavail() {
        var a = IntervalCounters()
        a.firstEaddrnotavailNanos = 2_000
        var b = IntervalCounters()
        b.firstEaddrnotavailNanos = 1_500
        var c = IntervalCounters()
        c.firstEaddrnotavailNanos = 3_000
        a.merge(b)
        a.merge(c)
        #expect(a.firstEaddrnotavailNanos == 1_500)
    }

    @Test func mergeIgnoresAnUnsetFirstEaddrnotavailOnEitherSide() {
        var unsetThenSet = IntervalCounters()
        var set = IntervalCounters()
        set.firstEaddrnotavailNanos = 7_000
        unsetThenSet.merge(set)
        #expect(unsetThenSet.firstEaddrnotavailNanos == 7_000)

        var setThenUnset = IntervalCounters()
        setThenUnset.firstEaddrnotavailNanos = 8_000
        setThenUnset.merge(IntervalCounters())
        #expect(setThenUnset.firstEaddrnotavailNanos == 8_000)

        var neither = IntervalCounters()
        neither.merge(IntervalCounters())
        #expect(neither.firstEaddrnotavailNanos == -1)
    }

    @Test func mergeKeepsAFirstEaddrnotavailAtTimeZero() {
        var a = IntervalCounters()
        a.firstEaddrnotavailNanos = 5_000
        var b = IntervalCounters()
        b.firstEaddrnotavailNanos = 0
        a.merge(b)
        #expect(a.firstEaddrnotavailNanos == 0)
    }

    @Test func mergeKeepsTheEarliestFirstSlowConnectCall() {
        var a = IntervalCounters()
        a.firstSlowConnectCallNanos = 900
        var b = IntervalCounters()
        b.firstSlowConnectCallNanos = 400
        var c = IntervalCounters()
        a.merge(b)
        a.merge(c)
        #expect(a.firstSlowConnectCallNanos == 400)
        c.merge(a)
        #expect(c.firstSlowConnectCallNanos == 400)
    }

    // MARK: Latency histograms

    @Test func recordingNanosecondsStoresMicroseconds() {
        var l = LatencyHistograms()
        LatencyHistograms.record(&l.connect, nanos: 1_500_000)
        #expect(l.connect.totalCount == 1)
        #expect(l.connect.maxOrNil == 1500)
        #expect(l.connect.percentileOrNil(50) == 1500)
    }

    @Test func subMicrosecondAndNegativeDurationsAreRecordedAsZero() {
        var l = LatencyHistograms()
        LatencyHistograms.record(&l.lag, nanos: 999)
        LatencyHistograms.record(&l.lag, nanos: -5_000)
        LatencyHistograms.record(&l.lag, nanos: 0)
        #expect(l.lag.totalCount == 3)
        #expect(l.lag.maxOrNil == 0)
    }

    @Test func nanosecondsAreTruncatedToWholeMicroseconds() {
        var l = LatencyHistograms()
        LatencyHistograms.record(&l.connectCall, nanos: 42_999)
        #expect(l.connectCall.maxOrNil == 42)
    }

    @Test func durationsOverAnHourAreClampedToAnHour() {
        var l = LatencyHistograms()
        LatencyHistograms.record(&l.connect, nanos: 7_200_000_000_000)
        let max = l.connect.maxOrNil ?? 0
        // An hour is 3.6e9 us; the histogram keeps three significant digits.
        #expect(max >= 3_596_400_000 && max <= 3_603_600_000)
    }

    @Test func recordingGoesOnlyIntoTheChosenHistogram() {
        var l = LatencyHistograms()
        LatencyHistograms.record(&l.connectCall, nanos: 10_000)
        #expect(l.connect.totalCount == 0)
        #expect(l.connectCall.totalCount == 1)
        #expect(l.lag.totalCount == 0)
        #expect(l.connect.percentileOrNil(99) == nil)
        #expect(l.connect.maxOrNil == nil)
    }

    @Test func mergeAddsCounts() {
        var a = LatencyHistograms()
        LatencyHistograms.record(&a.connect, nanos: 100_000)
        LatencyHistograms.record(&a.connect, nanos: 100_000)
        var b = LatencyHistograms()
        for _ in 0..<3 { LatencyHistograms.record(&b.connect, nanos: 300_000) }
        LatencyHistograms.record(&b.lag, nanos: 50_000)
        a.merge(b)
        #expect(a.connect.totalCount == 5)
        #expect(a.connect.maxOrNil == 300)
        #expect(a.connect.percentileOrNil(40) == 100)
        #expect(a.connect.percentileOrNil(60) == 300)
        #expect(a.lag.totalCount == 1)
        #expect(a.lag.maxOrNil == 50)
        #expect(a.connectCall.totalCount == 0)
    }

    @Test func resetEmptiesAllThree() {
        var l = LatencyHistograms()
        LatencyHistograms.record(&l.connect, nanos: 1_000)
        LatencyHistograms.record(&l.connectCall, nanos: 1_000)
        LatencyHistograms.record(&l.lag, nanos: 1_000)
        l.reset()
        #expect(l.connect.totalCount == 0)
        #expect(l.connectCall.totalCount == 0)
        #expect(l.lag.totalCount == 0)
    }
}

@Suite struct ResponseCountingTests {
    @Test(arguments: [(UInt16(200), 0), (204, 0), (301, 1), (404, 2), (503, 3)])
    func aResponseCountsUnderItsStatusClass(status: UInt16, classIndex: Int) {
        var c = IntervalCounters()
        c.countResponse(status: status, expected: true)
        var classes = [0, 0, 0, 0]
        classes[classIndex] = 1
        #expect([c.http2xx, c.http3xx, c.http4xx, c.http5xx] == classes)
        #expect(c.failed == 0)
        #expect(c.unexpectedStatus == 0)
    }

    @Test func anUnexpectedStatusFailsWithoutAnErrno() {
        var c = IntervalCounters()
        c.countResponse(status: 503, expected: false)
        #expect(c.http5xx == 1)
        #expect(c.failed == 1)
        #expect(c.unexpectedStatus == 1)
        #expect(errorColumns(c) == noErrors)
        var sum = IntervalCounters()
        sum.merge(c)
        sum.merge(c)
        #expect(sum.unexpectedStatus == 2 && sum.http5xx == 2 && sum.failed == 2)
    }
}
