import Testing
import TwloadModel
import TwloadStats

@testable import TwloadReport

@Suite struct ColumnAggregatesTests {
    @Test func eachColumnIsSummedPeakedLastOrAveragedByItsUnit() throws {
        var aggregates = ColumnAggregates()
        var totals = RunTotals(intervalSeconds: 1, scheduledSeconds: 2)
        for (i, (attempted, open, rate)) in [(100, 7, 100.0), (300, 3, 300)].enumerated() {
            var c = IntervalCounters()
            c.attempted = attempted
            let row = IntervalRow(
                elapsedSeconds: Double(i + 1), unixMillis: 1000 + Int64(i), targetRate: rate, counters: c,
                latency: LatencyHistograms(), open: open, timeWait: TimeWaitCounts(), server: nil, isFinal: i == 1)
            totals.add(row)
            aggregates.add(cells: CSVFormat.standard.cells(row))
        }
        let figures = RunFigures(
            totals: totals,
            description: RunDescription(
                target: "t", builtinServer: true, rate: 300, close: .client, linger: .off, portsPerAddress: nil,
                sourceAddressCount: 1))
        let values = Dictionary(
            uniqueKeysWithValues: aggregates.values(figures).map { ($0.metric.name, ($0.aggregate, $0.value)) })
        #expect(values["attempted"]! == (.sum, 400))
        #expect(values["open"]! == (.peak, 7))
        #expect(values["elapsed_s"]! == (.last, 2))
        #expect(values["unix_ms"]! == (.last, 1001))
        #expect(values["target_rate"]! == (.mean, 200))
        #expect(values["connect_p99_us"]!.0 == .run && values["connect_p99_us"]!.1 == nil, "nothing recorded")
        #expect(values["tw_client"]! == (.peak, nil), "never measured")
        #expect(values.count == CSVFormat.standard.columnNames.count)
    }
}
