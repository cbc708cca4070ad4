import Testing
import TwloadCensus
import TwloadModel
import TwloadReport
import TwloadStats

/// Totals of a small run: 100 attempts, one EADDRNOTAVAIL at 2.5 s, no built-in server.
private func figures(prediction: Prediction? = nil) -> RunFigures {
    var totals = RunTotals(intervalSeconds: 1, scheduledSeconds: 2)
    var c = IntervalCounters()
    c.attempted = 100
    c.established = 99
    c.failed = 1
    c.eaddrnotavail = 1
    c.firstEaddrnotavailNanos = 2_500_000_000
    var latency = LatencyHistograms()
    _ = latency.connect.record(250, count: 99)
    totals.add(
        IntervalRow(
            elapsedSeconds: 2, unixMillis: 0, targetRate: 50, counters: c, latency: latency, open: 0,
            timeWait: TimeWaitCounts(client: 7, server: nil, total: 9), server: nil, isFinal: true,
            tcpDelta: TcpCounters(expired: 5, recycled: 3, overflow: 0)))
    let d = RunDescription(
        target: "127.0.0.1:80", builtinServer: false, rate: 50, close: .client, linger: .off, portsPerAddress: 100,
        sourceAddressCount: 1, prediction: prediction)
    return RunFigures(totals: totals, description: d)
}

struct MetricTableTests {
    /// A column nobody has yet: twice the attempts. Declaring it is all it takes to get a CSV column, a run
    /// metric for thresholds, and a README row.
    static let fake = Metric(
        "fake_double_attempted", .count, "Twice `attempted`.", cell: { String($0.counters.attempted * 2) },
        total: { Double($0.totals.counters.attempted * 2) })

    @Test func addingOneMetricDeclarationAddsItsColumnItsValueAndItsThresholdName() throws {
        let table = MetricTable.all + [Self.fake]
        let format = CSVFormat(metrics: table)
        #expect(format.headerLine == CSVFormat.header + ",fake_double_attempted")
        var c = IntervalCounters()
        c.attempted = 21
        let row = IntervalRow(
            elapsedSeconds: 1, unixMillis: 0, targetRate: 21, counters: c, latency: LatencyHistograms(), open: 0,
            timeWait: TimeWaitCounts(), server: nil, isFinal: false)
        #expect(format.line(row) == CSVFormat.row(row) + ",42")
        #expect(MetricTable.names(ofRunMetricsIn: table) == MetricTable.runMetricNames.union(["fake_double_attempted"]))
        #expect(MetricTable.runValues(figures(), metrics: table)["fake_double_attempted"] == 200)
    }

    @Test func metricNamesAreUniqueAndEachMetricHasAReader() {
        let names = MetricTable.all.map(\.name)
        #expect(Set(names).count == names.count)
        for m in MetricTable.all { #expect(m.cell != nil || m.total != nil, "\(m.name)") }
    }

    @Test func theContractColumnsComeFirst() {
        let contract = MetricTable.contract.map(\.name)
        #expect(Array(CSVFormat.standard.columnNames.prefix(contract.count)) == contract)
    }

    @Test func runValuesReadTheTotalsAndTheDescription() {
        let v = MetricTable.runValues(figures())
        #expect(v["attempted"] == 100)
        #expect(v["eaddrnotavail"] == 1)
        #expect(v["rate"] == 50)
        #expect(v["duration_s"] == 2)
        #expect(v["achieved_rate"] == 49.5)
        #expect(v["first_eaddrnotavail_s"] == 2.5)
        #expect(v["connect_p50_us"] == 250)
        #expect(v["peak_tw_client"] == 7)
        #expect(v["peak_tw_total"] == 9)
        #expect(v["tw_recycled"] == 3)
        #expect(v["tw_overflow"] == 0)
    }

    @Test func whatTheRunCouldNotMeasureHasNoValueAndWhatNeverHappenedIsInfinite() {
        let v = MetricTable.runValues(figures())
        for absent in [
            "server_accepted", "server_resets", "peak_tw_server", "lag_p99_us", "established_after_slow",
            "predicted_sustainable_rate", "predicted_first_eaddrnotavail_s", "tcpext_tw",
        ] {
            #expect(v[absent] == nil, "\(absent)")
        }
        #expect(v["first_slow_connect_s"] == .infinity)
    }

    @Test func csvOnlyColumnsAreNotThresholdMetrics() {
        for name in ["elapsed_s", "unix_ms", "target_rate", "open", "tw_client", "client_time_wait", "tcpext_tw"] {
            #expect(!MetricTable.runMetricNames.contains(name), "\(name)")
        }
    }
}
