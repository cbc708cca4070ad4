import Benchmark
import TwloadConfig
import TwloadEngine
import TwloadModel
import TwloadReport
import TwloadRun
import TwloadStats
import TwloadTestSupport

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
        var pacer = Pacer(
            startNanos: 0, totalRate: 1_000_000, threads: 1, threadIndex: 0,
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
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            v = (v &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407)
            h.record((v >> 40) & 0xFFFFF)
        }
        blackHole(h.totalCount)
    }

    // What the event loop uses: durations under 2,048 µs (nearly all of them) take the inline path,
    // longer ones the out-of-line path that clamps them and keeps their maximum.
    for (label, shift) in [("under 2,048 µs", 53), ("up to 1 s, mostly out of line", 44)] as [(String, UInt64)] {
        Benchmark("Latency recorder: record (\(label))") { benchmark in
            var r = LatencyRecorder()
            var v: UInt64 = 1
            benchmark.startMeasurement()  // the recorder's buckets are allocated once per loop, not per record
            for _ in benchmark.scaledIterations {
                v = (v &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407)
                r.record(nanos: Int64(v >> shift) * 1000)
            }
            benchmark.stopMeasurement()
            blackHole(r.takeSnapshot().totalCount)
        }
    }

    // A whole run of the engine against the built-in server on loopback (linger 0, one event loop):
    // allocations of a 2,000- and a 20,000-connection run. Equal counts mean no allocation per connection.
    for connections in [2_000, 20_000] {
        Benchmark(
            "Engine: run of \(connections) connect/close cycles (built-in server)",
            configuration: .init(
                metrics: [.wallClock, .mallocCountTotal], warmupIterations: 1,
                scalingFactor: .one, maxDuration: .seconds(10), maxIterations: 5)
        ) { benchmark in
            let text = [
                "rate": [String(connections)], "duration": ["1s"], "threads": ["1"], "linger": ["0"],
                "csv": ["/dev/null"],
            ]
            let config: RunConfiguration
            do { config = try RunConfiguration(OptionValues(texts: text), defaultThreads: 1) } catch {
                fatalError("benchmark configuration: \(error)")
            }
            for _ in benchmark.scaledIterations {
                do { blackHole(try LoadRun.execute(config, reporter: NoteCollector()).totals.counters.completed) } catch
                {
                    fatalError("engine run: \(error)")
                }
            }
        }
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
        let row = IntervalRow(
            elapsedSeconds: 12, unixMillis: 1_700_000_000_000, targetRate: 2000,
            counters: counters, latency: latency, open: 3,
            timeWait: TimeWaitCounts(client: 24000, server: 0, total: 24000), server: nil,
            isFinal: false)
        for _ in benchmark.scaledIterations {
            blackHole(CSVFormat.row(row))
        }
    }
}
