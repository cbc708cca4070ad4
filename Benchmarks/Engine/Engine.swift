import Benchmark
import Twload

/// Micro benchmarks of the engine's per-connection and per-interval work (issue 5).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal],
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 1000
    )

    Benchmark("Pacer: next deadline (constant rate)") { benchmark in
        var pacer = Pacer(startNanos: 0, totalRate: 1_000_000, threads: 1, threadIndex: 0,
                          durationNanos: 3_600_000_000_000)
        var now: Int64 = 0
        for _ in benchmark.scaledIterations {
            now &+= 1000
            blackHole(pacer.take(now: now))
        }
    }

    Benchmark("Pacer: next deadline (ramp)") { benchmark in
        let ramp = RateSchedule(stages: [.init(from: 1000, to: 1_000_000, seconds: 3600)])
        var pacer = Pacer(startNanos: 0, schedule: ramp, threads: 2, threadIndex: 1)
        var now: Int64 = 0
        for _ in benchmark.scaledIterations {
            now &+= 1000
            blackHole(pacer.take(now: now))
        }
    }

    Benchmark("Latency histogram: record") { benchmark in
        var h = LatencyHistogram()
        var v: UInt64 = 1
        for _ in benchmark.scaledIterations {
            v = (v &* 6364136223846793005 &+ 1442695040888963407)
            h.record((v >> 40) & 0xFFFFF)
        }
        blackHole(h.totalCount)
    }

    Benchmark("Latency histograms: merge one interval", configuration: .init(scalingFactor: .one)) { benchmark in
        var sample = LatencyHistograms()
        for i in 0..<10_000 as Range<Int64> { LatencyHistograms.record(&sample.connect, nanos: i * 997) }
        var total = LatencyHistograms()
        for _ in benchmark.scaledIterations {
            total.merge(sample)
        }
        blackHole(total.connect.totalCount)
    }

    Benchmark("CSV: format one row", configuration: .init(scalingFactor: .one)) { benchmark in
        var latency = LatencyHistograms()
        for i in 0..<1000 as Range<Int64> { LatencyHistograms.record(&latency.connect, nanos: i * 1000) }
        var counters = IntervalCounters()
        counters.attempted = 2000
        counters.established = 1990
        let row = IntervalRow(elapsedSeconds: 12, unixMillis: 1_700_000_000_000, targetRate: 2000,
                              counters: counters, latency: latency, open: 3,
                              timeWait: TimeWaitCounts(client: 24000, server: 0, total: 24000), server: nil,
                              isFinal: false)
        for _ in benchmark.scaledIterations {
            blackHole(CSVFormat.row(row))
        }
    }
}
