import Foundation
import Testing

/// Real runs of the binary in private network namespaces with tcp_tw_reuse=0, checked against `ss`.
extension NamespaceTests {
    @Suite struct TimeWaitNamespaceTests {
        /// Runs twload against its built-in server in a namespace, then takes the TIME_WAIT census there.
        func runWithCensus(_ args: String) throws -> (csv: CSV, stderr: String, census: TimeWaitCensus, status: Int32) {
            let (out, dir) = try Harness.inNamespace(
                """
                "$TWLOAD" \(args) --csv "$DIR/run.csv" 2> "$DIR/err.txt" || echo "exit $?" > "$DIR/status.txt"
                ss -Htan state time-wait > "$DIR/ss.txt"
                """)
            #expect(out.status == 0, "script failed: \(out.stderr)")
            let stderr = Harness.read(dir.appendingPathComponent("err.txt"))
            let port = try #require(builtinServerPort(stderr), "no built-in server line in: \(stderr)")
            let census = TimeWaitCensus(ss: Harness.read(dir.appendingPathComponent("ss.txt")), serverPort: port)
            let status = Harness.read(dir.appendingPathComponent("status.txt")).isEmpty ? 0 : 1
            return (CSV(Harness.read(dir.appendingPathComponent("run.csv"))), stderr, census, Int32(status))
        }

        @Test func clientCloseLeavesTimeWaitOnTheClientOnly() throws {
            let r = try runWithCensus("--rate 200 --duration 3 --close client")
            #expect(r.status == 0)
            #expect(r.csv.sum("attempted") == 600)
            #expect(r.csv.sum("active_closes") == 600)
            #expect(r.csv.sum("passive_closes") == 0)
            #expect((570...600).contains(r.census.client), "client TIME_WAIT \(r.census.client)")
            #expect(r.census.server <= 5, "server TIME_WAIT \(r.census.server)")
            // The CSV's own gauges agree with ss at the end of the run.
            let tw = try #require(r.csv.ints("tw_total").last)
            #expect(abs(tw - r.census.total) <= 10, "tw_total \(tw) vs ss \(r.census.total)")
            #expect(r.csv.ints("tw_client").last == r.census.client)
            #expect(r.csv.ints("tw_server").last == r.census.server)
            // tw_client climbs by about the rate each second; tw_server stays near 0.
            let client = r.csv.ints("tw_client")
            for (i, n) in client.enumerated() { #expect(abs(n - 200 * (i + 1)) <= 10, "row \(i): tw_client \(n)") }
            #expect(r.csv.ints("tw_server").allSatisfy { $0 <= 5 })
            #expect(r.csv.ints("client_time_wait") == client)
        }

        @Test func serverCloseLeavesTimeWaitOnTheServerOnly() throws {
            let r = try runWithCensus("--rate 200 --duration 3 --close server")
            #expect(r.status == 0)
            #expect(r.csv.sum("passive_closes") == 600)
            #expect(r.csv.sum("active_closes") == 0)
            #expect(r.csv.sum("server_active_closes") == 600)
            // Not exactly 600: the client's ports are free again at once, and when connect() picks a port a
            // second time its SYN takes over the server's TIME_WAIT for that 4-tuple. A few percent do.
            #expect((540...600).contains(r.census.server), "server TIME_WAIT \(r.census.server)")
            #expect(r.census.client <= 5, "client TIME_WAIT \(r.census.client)")
            let server = r.csv.ints("tw_server")
            for (i, n) in server.enumerated() {
                let expected = 200 * (i + 1)
                #expect(n <= expected + 5 && n >= expected * 9 / 10, "row \(i): tw_server \(n)")
            }
            #expect(r.csv.ints("tw_client").allSatisfy { $0 <= 5 })
            #expect(r.csv.ints("tw_server").last == r.census.server)
        }

        @Test func lingerZeroLeavesNoTimeWaitAndTheServerSeesResets() throws {
            let r = try runWithCensus("--rate 200 --duration 3 --close client --linger 0")
            #expect(r.status == 0)
            #expect(r.census.total <= 5, "TIME_WAIT \(r.census.total)")
            #expect(r.csv.ints("tw_client").allSatisfy { $0 <= 5 })
            #expect(r.csv.ints("tw_server").allSatisfy { $0 <= 5 })
            #expect(r.csv.sum("server_resets") >= 570, "server resets \(r.csv.sum("server_resets"))")
            #expect(r.csv.sum("failed") == 0)
        }

        @Test func aHundredPortRangeRunsOutAfterOneSecondWithEaddrnotavail() throws {
            let r = try runWithCensus("--rate 100 --duration 3 --close client --source-ports 40000-40099")
            #expect(r.status == 0)
            let errors = r.csv.ints("eaddrnotavail")
            #expect(errors.count == 3)
            #expect(errors.first == 0, "the first second fits in 100 ports: \(errors)")
            #expect(errors.dropFirst().allSatisfy { $0 >= 90 }, "then every attempt fails: \(errors)")
            // The run continues to its end.
            #expect((r.csv.doubles("elapsed_s").last ?? 0) >= 3.0)
            #expect((95...100).contains(r.census.client), "the client holds the whole range: \(r.census.client)")
            let line = try #require(r.stderr.split(separator: "\n").first { $0.contains("first EADDRNOTAVAIL:") })
            let measured = try #require(line.range(of: "measured "), "\(line)")
            let seconds = try #require(Double(line[measured.upperBound...].split(separator: " ").first ?? ""))
            #expect((0.9...1.3).contains(seconds), "\(line)")
            // The explanation blames this host's ports, not the server nor the path.
            #expect(r.stderr.contains("  why: this host ran out of source ports: from "), "\(r.stderr)")
        }

        @Test func evenHalfOfTheDefaultRangeCollapsesTheRateWithoutErrors() throws {
            let r = try runWithCensus("--rate 2000 --close client --duration 10")
            #expect(r.status == 0)
            let tw = r.csv.ints("tw_client")
            let est = r.csv.ints("established")
            let call = r.csv.ints("connect_call_p99_us")
            let elapsed = r.csv.doubles("elapsed_s")
            #expect(r.csv.sum("eaddrnotavail") == 0)
            // Before the even half (14,116 ports) is held, the rate holds.
            let held = try #require(tw.firstIndex { $0 >= 14_000 }, "TIME_WAIT never reached 14000: \(tw)")
            #expect((5.5...8.5).contains(elapsed[held]), "even half held at \(elapsed[held]) s")
            for i in 0..<held { #expect(est[i] >= 1960, "row \(i): \(est[i]) established") }
            // After it, connect() is slow and the rate collapses, with no error.
            let after = Array((held + 1)..<(est.count - 1))
            #expect(!after.isEmpty)
            for i in after {
                #expect(call[i] > 1000, "row \(i): connect() p99 \(call[i]) us")
                #expect(est[i] < 1400, "row \(i): \(est[i]) established")
            }
            #expect(r.stderr.contains("even half"), "summary names the cause: \(r.stderr)")
            #expect(r.stderr.contains("  why: this host ran short of source ports: "), "\(r.stderr)")
            #expect(
                r.stderr.contains(
                    "connect() slow (p99 > 1 ms): predicted 7.06 s, measured from the interval starting at"),
                "\(r.stderr)")
            // The schedule falls behind in the open: `backlog` grows after the collapse, and the attempts left
            // when the schedule ends are "not started" in the summary, not a spike in the last row's `missed`.
            let backlog = r.csv.ints("backlog")
            #expect(after.contains { backlog[$0] > 100 }, "backlog after the collapse: \(backlog)")
            let missed = r.csv.ints("missed")
            let lastMissed = try #require(missed.last)
            let earlierPeak = missed.dropLast().max() ?? 0
            #expect(lastMissed <= max(earlierPeak, 2_000), "last row's missed \(lastMissed), rows: \(missed)")
            #expect(r.stderr.contains("  not started: "), "\(r.stderr)")
            // Prediction and outcome side by side, for the collapse time and the collapsed rate.
            let collapsed = try #require(
                r.stderr.split(separator: "\n").first { $0.hasPrefix("  collapsed rate: predicted ") }, "\(r.stderr)")
            #expect(collapsed.contains("/s, measured ") && collapsed.contains("/s ("), "\(collapsed)")
        }

        @Test func pacingHoldsEveryFullIntervalWithinTwoPercent() throws {
            let r = try runWithCensus("--rate 1000 --duration 5 --linger 0")
            #expect(r.status == 0)
            let attempted = r.csv.ints("attempted")
            #expect(attempted.count == 5)
            for (i, a) in attempted.enumerated() { #expect((980...1020).contains(a), "interval \(i): \(a)") }
            #expect(r.csv.sum("missed") == 0)
        }

        @Test func httpAgainstNginxCompletesWithoutErrorsAndTheServerClosesFirst() throws {
            guard let nginx = Harness.which("nginx") else {
                print("skipped: nginx is not installed (.ci/run installs it with apt-get)")
                return
            }
            let nginxStart = Harness.startNginx(nginx, locations: #"location / { return 200 "hello from nginx\n"; }"#)
            let (out, dir) = try Harness.inNamespace(
                nginxStart + """
                    "$TWLOAD" --target 127.0.0.1:18080 --protocol http --close server --rate 200 --duration 2 --csv "$DIR/run.csv" 2> "$DIR/err.txt" || true
                    kill $NGINX; wait $NGINX || true
                    """)
            #expect(out.status == 0, "\(out.stderr)")
            let csv = CSV(Harness.read(dir.appendingPathComponent("run.csv")))
            #expect(csv.sum("attempted") == 400, Comment(rawValue: Harness.read(dir.appendingPathComponent("err.txt"))))
            #expect(csv.sum("failed") == 0)
            #expect(csv.sum("completed") == 400)
            #expect(csv.sum("passive_closes") == 400, "nginx (keepalive_timeout 0) closes first")
        }

        @Test func serveOnIPv6IsAnExternalTargetThatClosesFirst() throws {
            let (out, dir) = try Harness.inNamespace(
                """
                "$TWLOAD" serve --listen '[::1]:18081' --close server --duration 5 2> "$DIR/serve.txt" &
                SERVE=$!
                for i in $(seq 50); do ss -Hltn '( sport = :18081 )' | grep -q . && break; sleep 0.1; done
                "$TWLOAD" --target '[::1]:18081' --close server --rate 100 --duration 2 --csv "$DIR/run.csv" 2> "$DIR/err.txt"
                kill -INT $SERVE; wait $SERVE
                """)
            #expect(out.status == 0, "\(out.stderr)")
            let csv = CSV(Harness.read(dir.appendingPathComponent("run.csv")))
            #expect(csv.sum("completed") == 200, Comment(rawValue: Harness.read(dir.appendingPathComponent("err.txt"))))
            #expect(csv.sum("passive_closes") == 200)
            #expect(Harness.read(dir.appendingPathComponent("serve.txt")).contains("closed first 200"))
        }
    }
}
