import TwloadCensus
import TwloadConfig
import TwloadReport
import TwloadSystem

extension WatchConfiguration {
    /// With neither filter, every TCP socket in the namespace is counted.
    var views: CensusViews {
        CensusViews(
            client: target.map { .remote($0) }, server: port.map { .localPort($0) }, all: port == nil && target == nil)
    }
}

/// `twload watch`: records the socket census as CSV without generating load, until `--duration` or
/// SIGINT/SIGTERM/SIGQUIT; either way the last row is written.
public enum WatchRun {
    /// Returns the number of rows written.
    public static func execute(
        _ config: WatchConfiguration, reporter: some RunReporter
    )
        throws(RunFailure) -> Int
    {
        BrokenPipeSignal.ignore()
        // Opened before the signals are blocked: Ctrl-C ends a wait for a FIFO's reader.
        let csv = try RunSetup.open(config.csv)
        TerminationSignals.block()
        defer { TerminationSignals.unblock() }
        let views = config.views
        // With a fleet's --start-at, the rows fall on the agents' grid (twload merge joins them there).
        let start =
            try config.startAt.map { at throws(RunFailure) in try StartTiming.waitFor(at).originNanos }
            ?? MonotonicClock.now()
        let sampler = try RunSetup.sampler(
            views, startNanos: start, intervalNanos: config.intervalNanos, reporter: reporter)
        defer { sampler.stop() }
        var last = TcpCounters.read()
        var rows = 0
        func write(_ census: CensusSample?, at t: Int64) throws(RunFailure) {
            let delta = TcpCounters.delta(census?.tcpCounters, since: &last)
            let line = WatchFormat.row(
                views,
                WatchRow(
                    elapsedSeconds: Double(t - start) / 1e9, unixMillis: WallClock.unixMilliseconds(), census: census,
                    delta: delta))
            do { try csv.writeRecord(line + "\n") } catch { throw .csvWriteFailed(error) }
            rows += 1
        }
        do { try csv.writeRecord(WatchFormat.header(views) + "\n") } catch { throw .csvWriteFailed(error) }
        let end = config.durationNanos.map { start + $0 } ?? .max
        var k: Int64 = 1
        while true {
            let boundary = start + k * config.intervalNanos
            let until = min(boundary, end)
            var signalled = false
            while !signalled, case let now = MonotonicClock.now(), now < until {
                signalled = TerminationSignals.wait(nanoseconds: until - now) != nil
            }
            if signalled || until == end {
                let now = MonotonicClock.now()
                try write(sampler.finalSample(), at: signalled ? now : end)
                return rows
            }
            try write(
                sampler.sample(atBoundary: Int(k), timeoutNanos: min(config.intervalNanos / 2, 250_000_000)),
                at: boundary)
            k += 1
        }
    }
}
