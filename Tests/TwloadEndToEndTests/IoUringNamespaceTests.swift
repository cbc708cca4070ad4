import Foundation
import Testing

/// `--engine io_uring` end to end, in private network namespaces with tcp_tw_reuse=0: the same CSV, the
/// same counts and the same TIME_WAIT as the epoll engine, checked against `ss`.
extension NamespaceTests {
    @Suite struct IoUringNamespaceTests {
        let runs = TimeWaitNamespaceTests()

        @Test func aHundredPortRangeRunsOutAfterOneSecondThroughTheRingAsWithEpoll() throws {
            let r = try runs.runWithCensus(
                "--engine io_uring --rate 100 --duration 3 --close client --source-ports 40000-40099")
            #expect(r.status == 0, "\(r.stderr)")
            let errors = r.csv.ints("eaddrnotavail")
            #expect(errors.count == 3)
            #expect(errors.first == 0, "the first second fits in 100 ports: \(errors)")
            #expect(errors.dropFirst().allSatisfy { $0 >= 90 }, "then every attempt fails: \(errors)")
            #expect((95...100).contains(r.census.client), "the client holds the whole range: \(r.census.client)")
            #expect(r.csv.sum("completed") == r.census.client, "one TIME_WAIT per completed connection")
            let line = try #require(r.stderr.split(separator: "\n").first { $0.contains("first EADDRNOTAVAIL:") })
            let measured = try #require(line.range(of: "measured "), "\(line)")
            let seconds = try #require(Double(line[measured.upperBound...].split(separator: " ").first ?? ""))
            #expect((0.9...1.3).contains(seconds), "\(line)")
            // connect() is no call of its own in the ring: its columns are empty, not zero.
            #expect(r.csv.column("connect_call_p99_us").allSatisfy { $0.isEmpty })
        }

        @Test func httpWithTheServerClosingLeavesTimeWaitOnTheServerThroughTheRing() throws {
            let r = try runs.runWithCensus("--engine io_uring --rate 200 --duration 3 --close server --protocol http")
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.csv.sum("attempted") == 600)
            #expect(r.csv.sum("completed") == 600 && r.csv.sum("failed") == 0)
            #expect(r.csv.sum("http_2xx") == 600 && r.csv.sum("passive_closes") == 600)
            #expect((540...600).contains(r.census.server), "server TIME_WAIT \(r.census.server)")
            #expect(r.census.client <= 5, "client TIME_WAIT \(r.census.client)")
        }
    }
}
