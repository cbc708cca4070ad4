import Foundation
import Testing

/// The socket census (sock_diag) against `ss`, TIME_WAIT overflow, and `twload watch`, in namespaces.
extension NamespaceTests {
    @Suite struct CensusNamespaceTests {
        /// Builds TIME_WAIT on both sides over IPv4 and IPv6 with real runs, then compares one `watch` row per
        /// filter with `ss` for the same filter. Nothing expires in between: TIME_WAIT lasts 60 s.
        func censusMatchesSS(clientRate: Int, seconds: Int, minimumClientTimeWait: Int) throws {
            let (out, dir) = try Harness.inNamespace(
                """
                sysctl -qw net.ipv4.ip_local_port_range="1024 65535"
                "$TWLOAD" serve --listen 127.0.0.1:18090 --close server --duration 60 2>/dev/null & S1=$!
                "$TWLOAD" serve --listen 127.0.0.1:18092 --close client --duration 60 2>/dev/null & S2=$!
                "$TWLOAD" serve --listen '[::1]:18091' --close server --duration 60 2>/dev/null & S3=$!
                "$TWLOAD" serve --listen '[::1]:18093' --close client --duration 60 2>/dev/null & S4=$!
                for p in 18090 18091 18092 18093; do
                  for i in $(seq 50); do ss -Hltn "( sport = :$p )" | grep -q . && break; sleep 0.1; done
                done
                "$TWLOAD" --target 127.0.0.1:18092 --close client --rate \(clientRate) --duration \(seconds) --csv "$DIR/c4.csv" 2>"$DIR/c4.err"
                "$TWLOAD" --target 127.0.0.1:18090 --close server --rate 300 --duration 1 > /dev/null 2>&1
                "$TWLOAD" --target '[::1]:18093' --close client --rate 200 --duration 1 > /dev/null 2>&1
                "$TWLOAD" --target '[::1]:18091' --close server --rate 100 --duration 1 > /dev/null 2>&1
                sleep 0.3
                w() { "$TWLOAD" watch "$@" --interval 50ms --duration 50ms 2>/dev/null | tail -1; }
                q() { ss -Htan state time-wait "$@" | wc -l; }
                echo "client4 $(w --target 127.0.0.1:18092) $(q '( dst 127.0.0.1:18092 )')" >> "$DIR/cmp.txt"
                echo "server4 $(w --port 18090) $(q '( sport = :18090 )')" >> "$DIR/cmp.txt"
                echo "client6 $(w --target '[::1]:18093') $(q '( dst [::1]:18093 )')" >> "$DIR/cmp.txt"
                echo "server6 $(w --port 18091) $(q '( sport = :18091 )')" >> "$DIR/cmp.txt"
                echo "all $(w) $(q)" >> "$DIR/cmp.txt"
                kill -INT $S1 $S2 $S3 $S4; wait
                """, timeout: 180)
            #expect(out.status == 0, "\(out.stderr)")
            let header = ["elapsed_s", "unix_ms", "tw_total", "tcp_inuse", "tcp_orphans"] + CensusColumnsNames.states
            let timeWaitColumn = header.firstIndex(of: "time_wait")!
            var seen: [String: (watch: Int, ss: Int)] = [:]
            for line in Harness.read(dir.appendingPathComponent("cmp.txt")).split(separator: "\n") {
                let parts = line.split(separator: " ")
                guard parts.count == 3 else {
                    Issue.record("bad line \(line)")
                    continue
                }
                let cells = parts[1].split(separator: ",", omittingEmptySubsequences: false)
                seen[String(parts[0])] = (Int(cells[timeWaitColumn]) ?? -1, Int(parts[2]) ?? -2)
            }
            for (name, pair) in seen { #expect(pair.watch == pair.ss, "\(name): watch \(pair.watch) vs ss \(pair.ss)") }
            #expect(seen.count == 5)
            #expect(
                (seen["client4"]?.ss ?? 0) >= minimumClientTimeWait,
                Comment(rawValue: Harness.read(dir.appendingPathComponent("c4.err"))))
            // Server-side counts can fall a few percent short of the connections: a SYN on a reused client
            // port takes over the server's TIME_WAIT for that 4-tuple.
            #expect((seen["server4"]?.ss ?? 0) >= 270)
            #expect((seen["client6"]?.ss ?? 0) >= 190)
            #expect((seen["server6"]?.ss ?? 0) >= 90)
            // The run's own last row agrees too, allowing for closes still in flight when it was taken.
            let run = CSV(Harness.read(dir.appendingPathComponent("c4.csv")))
            #expect(abs((run.ints("tw_client").last ?? 0) - (seen["client4"]?.ss ?? 0)) <= 5)
        }

        @Test func censusMatchesSSForEveryFilterWithAThousandTimeWaitSockets() throws {
            try censusMatchesSS(clientRate: 500, seconds: 2, minimumClientTimeWait: 990)
        }

        @Test func censusMatchesSSForEveryFilterWithThirtyThousandTimeWaitSockets() throws {
            try censusMatchesSS(clientRate: 6200, seconds: 5, minimumClientTimeWait: 30_000)
        }

        @Test func tcpMaxTwBucketsCapsTimeWaitAndTheOverflowIsCounted() throws {
            let (out, dir) = try Harness.inNamespace(
                """
                sysctl -qw net.ipv4.tcp_max_tw_buckets=500
                "$TWLOAD" --rate 400 --duration 3 --close client --csv "$DIR/run.csv" 2> "$DIR/err.txt"
                """)
            #expect(out.status == 0)
            let csv = CSV(Harness.read(dir.appendingPathComponent("run.csv")))
            #expect(csv.sum("tw_overflow") > 0, Comment(rawValue: Harness.read(dir.appendingPathComponent("err.txt"))))
            let tw = csv.ints("tw_total")
            #expect(tw.allSatisfy { $0 <= 510 }, "\(tw)")
            #expect((tw.last ?? 0) >= 450, "capped near 500: \(tw)")
        }

        @Test func watchRecordsTheServerSideWhileRunDrivesLoadAndStopsByItself() throws {
            let (out, dir) = try Harness.inNamespace(
                """
                "$TWLOAD" serve --listen 127.0.0.1:18090 --close server --duration 10 2>/dev/null & S=$!
                for i in $(seq 50); do ss -Hltn '( sport = :18090 )' | grep -q . && break; sleep 0.1; done
                "$TWLOAD" watch --port 18090 --duration 5.5 --csv "$DIR/watch.csv" 2> "$DIR/watch.err" & W=$!
                "$TWLOAD" --target 127.0.0.1:18090 --close server --rate 300 --duration 3 > /dev/null 2>&1
                wait $W; echo $? > "$DIR/watch.status"
                "$TWLOAD" watch --interval 500ms > "$DIR/sigint.csv" 2>/dev/null & W2=$!
                sleep 1.2; kill -INT $W2; wait $W2; echo $? > "$DIR/sigint.status"
                kill -INT $S; wait $S
                """)
            #expect(out.status == 0, "\(out.stderr)")
            #expect(Harness.read(dir.appendingPathComponent("watch.status")).hasPrefix("0"))
            let watch = CSV(Harness.read(dir.appendingPathComponent("watch.csv")))
            #expect(watch.doubles("elapsed_s") == [1, 2, 3, 4, 5, 5.5])
            let tw = watch.ints("server_time_wait")
            #expect(tw.count == 6)
            #expect(zip(tw, tw.dropFirst()).allSatisfy { $0 <= $1 }, "TIME_WAIT accumulates: \(tw)")
            // The 3 s run (900 connections) has ended well before the watch does.
            #expect((810...900).contains(tw.last ?? 0), "\(tw) (a SYN on a reused port takes over a TIME_WAIT)")
            #expect((tw.first ?? 0) > 0, "the first row already sees load: \(tw)")
            // Stopped by SIGINT: the final, partial row is written and the exit status is 0.
            #expect(Harness.read(dir.appendingPathComponent("sigint.status")).hasPrefix("0"))
            let sigint = CSV(Harness.read(dir.appendingPathComponent("sigint.csv")))
            let elapsed = sigint.doubles("elapsed_s")
            #expect(elapsed.count == 3, "\(elapsed)")
            // `sleep 1.2` starts before watch's clock does (its start-up takes tens of ms), so the partial row
            // only has to come after the 1.0 s row and before the next one would.
            let last = elapsed.last ?? 0
            #expect(last > 1.0 && last <= 1.6, "\(elapsed)")
            #expect(sigint.header.contains("all_time_wait"))
        }
    }
}

/// The census column suffixes, spelled out here so that the test does not trust the code under test.
enum CensusColumnsNames {
    static let states = [
        "syn_sent", "established", "fin_wait1", "fin_wait2", "close_wait", "last_ack", "closing", "time_wait",
    ]
}
