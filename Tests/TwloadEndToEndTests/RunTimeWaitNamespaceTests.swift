import Foundation
import Testing

/// The summary's TIME_WAIT peak is this run's own, even when earlier runs left sockets toward the same target.
extension NamespaceTests {
    @Suite struct RunTimeWaitNamespaceTests {
        @Test func theSummaryReportsThisRunsOwnTimeWaitPeakBesideTheNamespacesSockets() throws {
            // One target for both runs, so the first run's 10,000 TIME_WAIT sockets are toward it too.
            let (out, dir) = try Harness.inNamespace(
                """
                "$TWLOAD" serve --listen 127.0.0.1:18090 --duration 30 2> "$DIR/serve.txt" &
                SERVE=$!
                for i in $(seq 50); do ss -Hltn '( sport = :18090 )' | grep -q . && break; sleep 0.1; done
                "$TWLOAD" --target 127.0.0.1:18090 --rate 5000 --duration 2 --close client --csv "$DIR/first.csv" 2> "$DIR/first.txt"
                "$TWLOAD" --target 127.0.0.1:18090 --rate 500 --duration 2 --close client --csv "$DIR/run.csv" 2> "$DIR/err.txt"
                kill -INT $SERVE; wait $SERVE || true
                """)
            #expect(out.status == 0, "\(out.stderr)")
            let first = CSV(Harness.read(dir.appendingPathComponent("first.csv")))
            let csv = CSV(Harness.read(dir.appendingPathComponent("run.csv")))
            let stderr = Harness.read(dir.appendingPathComponent("err.txt"))
            let before = first.sum("active_closes")
            #expect(before >= 9_000, "the first run left \(before) TIME_WAIT sockets")
            let own = csv.sum("active_closes")
            #expect((950...1000).contains(own), "\(stderr)")
            // The CSV's tw_client counts both runs' sockets toward the target; tw_client_own only this run's.
            let clientAll = try #require(csv.ints("tw_client").last)
            let clientOwn = try #require(csv.ints("tw_client_own").last)
            #expect(clientAll >= before + own - 50, "tw_client \(clientAll)")
            #expect(abs(clientOwn - own) <= 10, "tw_client_own \(clientOwn), this run closed \(own)")
            let line = try #require(
                stderr.split(separator: "\n").first { $0.hasPrefix("  TIME_WAIT of this run (peak): client ") },
                "\(stderr)")
            let peak = try #require(Int(line.split(separator: " ")[6].dropLast()), "\(line)")
            #expect(abs(peak - own) <= 10, "\(line)")
            // The namespace's figure stays, labelled, with what was there at the start.
            #expect(stderr.contains("peak TIME_WAIT (namespace) "), "\(stderr)")
            let startLine = try #require(stderr.split(separator: "\n").first { $0.contains(" at start") })
            let atStart = try #require(
                Int(startLine.components(separatedBy: ", ").last?.split(separator: " ").first ?? ""), "\(startLine)")
            #expect(atStart >= before - 50, "\(startLine)")
        }
    }
}
