import Testing
import TwloadStats

@testable import TwloadReport

/// The column contract that scripts and plots rely on, written out by hand.
private let contractHeader =
    "elapsed_s,unix_ms,target_rate,attempted,established,completed,failed,missed,"
    + "eaddrnotavail,eaddrinuse,econnrefused,etimedout,econnreset,emfile,other_errors,active_closes,"
    + "passive_closes,open,tw_client,tw_server,tw_total,connect_p50_us,connect_p99_us,connect_max_us,"
    + "connect_call_p99_us,connect_call_max_us,lag_p99_us"

private func emptyRow() -> IntervalRow {
    IntervalRow(
        elapsedSeconds: 1, unixMillis: 1_700_000_000_000, targetRate: 100, counters: IntervalCounters(),
        latency: LatencyHistograms(), open: 0, timeWait: TimeWaitCounts(), server: nil, isFinal: false)
}

/// A row whose every counter and gauge has its own value, so that a swapped column shows.
private func distinctRow() -> IntervalRow {
    var c = IntervalCounters()
    c.attempted = 101
    c.established = 102
    c.completed = 103
    c.failed = 104
    c.missed = 105
    c.eaddrnotavail = 106
    c.eaddrinuse = 107
    c.econnrefused = 108
    c.etimedout = 109
    c.econnreset = 110
    c.emfile = 111
    c.otherErrors = 112
    c.activeCloses = 113
    c.passiveCloses = 114
    c.connectTimeouts = 115
    c.exchangeTimeouts = 116
    c.protocolErrors = 117
    var s = ServerCounters()
    s.accepted = 122
    s.activeCloses = 123
    s.passiveCloses = 124
    s.resets = 125
    var l = LatencyHistograms()
    // connect: 50 × 10 us, 49 × 20 us, 1 × 1500 us → p50 10, p99 20, max 1500.
    _ = l.connect.record(10, count: 50)
    _ = l.connect.record(20, count: 49)
    _ = l.connect.record(1500)
    // connect() call: 1 × 7 us and 1 × 900 us → p50 7, p99 900, max 900.
    _ = l.connectCall.record(7)
    _ = l.connectCall.record(900)
    // lag: 3 × 40 us → p99 40, max 40.
    _ = l.lag.record(40, count: 3)
    return IntervalRow(
        elapsedSeconds: 3, unixMillis: 1_700_000_003_456, targetRate: 2500, counters: c, latency: l,
        open: 118, timeWait: TimeWaitCounts(client: 119, server: 120, total: 121), server: s,
        isFinal: false)
}

/// The row's cells keyed by header column.
private func cellsByColumn(_ row: IntervalRow) -> [String: String] {
    let names = CSVFormat.header.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    let cells = CSVFormat.row(row).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    return Dictionary(uniqueKeysWithValues: zip(names, cells))
}

@Suite struct CSVFormatTests {
    @Test func headerBeginsWithTheContractColumnsInOrder() {
        #expect(CSVFormat.header.hasPrefix(contractHeader + ","))
        #expect(MetricTable.contract.map(\.name).joined(separator: ",") == contractHeader)
    }

    @Test func headerColumnNamesAreUnique() {
        let names = CSVFormat.header.split(separator: ",")
        #expect(Set(names).count == names.count)
    }

    @Test func rowHasOneCellPerHeaderColumn() {
        let columns = CSVFormat.header.split(separator: ",", omittingEmptySubsequences: false).count
        #expect(CSVFormat.row(distinctRow()).split(separator: ",", omittingEmptySubsequences: false).count == columns)
        #expect(CSVFormat.row(emptyRow()).split(separator: ",", omittingEmptySubsequences: false).count == columns)
    }

    @Test func countersLandInTheirNamedColumns() {
        let cells = cellsByColumn(distinctRow())
        let expected: [String: String] = [
            "attempted": "101", "established": "102", "completed": "103", "failed": "104", "missed": "105",
            "eaddrnotavail": "106", "eaddrinuse": "107", "econnrefused": "108", "etimedout": "109",
            "econnreset": "110", "emfile": "111", "other_errors": "112", "active_closes": "113",
            "passive_closes": "114", "open": "118", "tw_client": "119", "tw_server": "120", "tw_total": "121",
            "connect_timeouts": "115", "exchange_timeouts": "116", "protocol_errors": "117",
            "server_accepted": "122", "server_active_closes": "123", "server_passive_closes": "124",
            "server_resets": "125",
        ]
        for (column, value) in expected {
            #expect(cells[column] == value, "column \(column)")
        }
    }

    @Test func timeAndRateColumnsAreFormatted() {
        let cells = cellsByColumn(distinctRow())
        #expect(cells["elapsed_s"] == "3.000")
        #expect(cells["unix_ms"] == "1700000003456")
        #expect(cells["target_rate"] == "2500")
    }

    @Test func fractionalTargetRateKeepsItsFraction() {
        var r = emptyRow()
        r.targetRate = 2.5
        #expect(cellsByColumn(r)["target_rate"] == "2.5")
    }

    @Test func latencyColumnsHoldPercentilesInMicroseconds() {
        let cells = cellsByColumn(distinctRow())
        #expect(cells["connect_p50_us"] == "10")
        #expect(cells["connect_p99_us"] == "20")
        #expect(cells["connect_max_us"] == "1500")
        #expect(cells["connect_call_p50_us"] == "7")
        #expect(cells["connect_call_p99_us"] == "900")
        #expect(cells["connect_call_max_us"] == "900")
        #expect(cells["lag_p99_us"] == "40")
        #expect(cells["lag_max_us"] == "40")
    }

    @Test func unmeasuredGaugesAndEmptyHistogramsGiveEmptyCells() {
        let cells = cellsByColumn(emptyRow())
        for column in [
            "tw_client", "tw_server", "tw_total", "connect_p50_us", "connect_p99_us", "connect_max_us",
            "connect_call_p99_us", "connect_call_max_us", "lag_p99_us", "connect_call_p50_us", "lag_max_us",
            "server_accepted", "server_active_closes", "server_passive_closes", "server_resets",
        ] {
            #expect(cells[column] == "", "column \(column)")
        }
    }

    @Test func zeroCountersStayZeroNotEmpty() {
        let cells = cellsByColumn(emptyRow())
        for column in ["attempted", "failed", "eaddrnotavail", "open", "connect_timeouts"] {
            #expect(cells[column] == "0", "column \(column)")
        }
    }

    @Test func measuredZeroTimeWaitIsZeroNotEmpty() {
        var r = emptyRow()
        r.timeWait = TimeWaitCounts(client: 0, server: nil, total: 0)
        let cells = cellsByColumn(r)
        #expect(cells["tw_client"] == "0")
        #expect(cells["tw_server"] == "")
        #expect(cells["tw_total"] == "0")
    }
}
