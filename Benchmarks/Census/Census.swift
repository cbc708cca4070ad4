import Benchmark
import Glibc
import TwloadCensus
import TwloadTestSupport

/// The cost of the socket census: one live sample over whatever sockets exist in this namespace (run it
/// through `census-benchmark.sh`, which builds 50,000 TIME_WAIT sockets first), and parsing a reply
/// recorded from that same table.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .syscalls],
        warmupIterations: 3,
        maxDuration: .seconds(5),
        maxIterations: 200
    )

    Benchmark("Census sample, both families, all states (live)") { benchmark in
        let counter = try SockDiagCounter()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try counter.count(filter: .none))
        }
    }

    Benchmark("Census sample, client filter, TIME_WAIT only (live)") { benchmark in
        let counter = try SockDiagCounter()
        let port = UInt16(Int(ProcessInfoLite.environment("TWLOAD_BENCH_TARGET_PORT") ?? "") ?? 18100)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try counter.count(filter: .remotePort(port), states: .timeWait))
        }
    }

    // The reply is recorded once per run from the live table (IPv4, every socket).
    Benchmark("Parse recorded sock_diag reply") { benchmark in
        let recording = try SockDiagRecording.capture(family: AF_INET)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(recording.parse())
        }
    }
}

/// getenv without Foundation.
enum ProcessInfoLite {
    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
