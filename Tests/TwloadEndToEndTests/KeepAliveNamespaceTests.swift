import Foundation
import Testing

/// `--requests-per-connection` against Debian's nginx with keep-alive on and a request limit
/// (`keepalive_requests`), each run in a fresh namespace with tcp_tw_reuse=0, the TIME_WAIT counted with `ss`
/// at the end.
extension NamespaceTests {
    @Suite struct KeepAliveNamespaceTests {
        /// Runs twload with `args` against nginx (keep-alive, at most `limit` requests per connection, idle
        /// connections closed after `idle`) and takes the TIME_WAIT census; nil when nginx is not installed.
        func againstNginx(
            _ args: String, limit: Int = 10, idle: String = "75s"
        ) throws -> (csv: CSV, stderr: String, census: TimeWaitCensus)? {
            guard let nginx = Harness.which("nginx") else {
                print("skipped: nginx is not installed (.ci/run installs it with apt-get)")
                return nil
            }
            let (out, dir) = try Harness.inNamespace(
                Harness.startNginx(
                    nginx, locations: #"location / { return 200 "ok\n"; }"#,
                    keepAlive: "keepalive_timeout \(idle); keepalive_requests \(limit);")
                        + """
                        "$TWLOAD" --target 127.0.0.1:18080 --protocol http \(args) --csv "$DIR/run.csv" 2> "$DIR/err.txt" \\
                          || echo "exit $?" >> "$DIR/err.txt"
                        ss -Htan state time-wait > "$DIR/ss.txt"
                        kill $NGINX; wait $NGINX || true
                        """)
            #expect(out.status == 0, "script failed: \(out.stderr)")
            let census = TimeWaitCensus(ss: Harness.read(dir.appendingPathComponent("ss.txt")), serverPort: 18080)
            return (
                CSV(Harness.read(dir.appendingPathComponent("run.csv"))),
                Harness.read(dir.appendingPathComponent("err.txt")), census
            )
        }

        @Test func tenRequestsPerConnectionAtTheServersLimitCarryAllRequestsWithOneTimeWaitPerConnection() throws {
            guard let r = try againstNginx("--close client --requests-per-connection 10 --rate 100 --duration 3")
            else { return }
            #expect(!r.stderr.contains("exit "), "\(r.stderr)")
            #expect(r.csv.sum("attempted") == 300)
            #expect(r.csv.sum("requests") == 3000, "\(r.stderr)")
            #expect(r.csv.sum("responses") == 3000)
            #expect(r.csv.sum("http_2xx") == 3000)
            #expect(r.csv.sum("failed") == 0 && r.csv.sum("protocol_errors") == 0, "\(r.stderr)")
            #expect(r.stderr.contains("  requests: 3000 written, 3000 responses, 10.0 per connection (asked 10)"))
            // One TIME_WAIT per connection, about 300: a tenth of the 3000 a run of single requests leaves. At
            // its limit nginx says Connection: close on the 10th response and closes at once, so its FIN
            // usually arrives with the response and most of them land on nginx, not on the client.
            let total = r.census.client + r.census.server
            #expect((285...300).contains(total), "TIME_WAIT client \(r.census.client), server \(r.census.server)")
            #expect(r.csv.sum("active_closes") + r.csv.sum("passive_closes") == 300)
        }

        @Test func tenRequestsPerConnectionBelowTheServersLimitLeaveATenthOfTheTimeWaitOnTheClient() throws {
            guard
                let r = try againstNginx(
                    "--close client --requests-per-connection 10 --rate 100 --duration 3", limit: 100)
            else { return }
            #expect(r.csv.sum("requests") == 3000, "\(r.stderr)")
            #expect(r.csv.sum("failed") == 0 && r.csv.sum("protocol_errors") == 0, "\(r.stderr)")
            // twload closes after its 10th response, before nginx would: the client holds the ~300 TIME_WAIT.
            #expect(r.csv.sum("active_closes") == 300, "\(r.stderr)")
            #expect((285...300).contains(r.census.client), "client TIME_WAIT \(r.census.client): \(r.stderr)")
            #expect(r.census.server <= 5, "server TIME_WAIT \(r.census.server)")
        }

        @Test func askingMoreThanTheServersLimitLetsTheServerCloseFirstAfterItsTenth() throws {
            guard let r = try againstNginx("--close client --requests-per-connection 20 --rate 100 --duration 3")
            else { return }
            #expect(!r.stderr.contains("exit "), "\(r.stderr)")
            let connections = r.csv.sum("established")
            #expect(connections == 300)
            // nginx says Connection: close on its 10th response, so twload sends nothing more and the server
            // closes first: 10 requests each, no error, and the TIME_WAIT on the server.
            #expect(r.csv.sum("requests") == 10 * connections, "\(r.stderr)")
            #expect(r.csv.sum("responses") == 10 * connections)
            #expect(r.csv.sum("passive_closes") == connections, "\(r.stderr)")
            #expect(r.csv.sum("active_closes") == 0)
            #expect(r.csv.sum("protocol_errors") == 0 && r.csv.sum("failed") == 0, "\(r.stderr)")
            #expect(r.census.client <= 5, "client TIME_WAIT \(r.census.client)")
            #expect((285...300).contains(r.census.server), "server TIME_WAIT \(r.census.server)")
        }

        @Test func aPauseLongerThanNginxsIdleTimeoutEndsEachConnectionWithNginxsCloseAndNoError() throws {
            guard
                let r = try againstNginx(
                    "--close client --requests-per-connection 5 --think 2s --rate 100 --duration 3", limit: 100,
                    idle: "1s")
            else { return }
            #expect(!r.stderr.contains("exit "), "\(r.stderr)")
            #expect(r.csv.sum("established") == 300)
            // nginx closes each connection 1 s into the client's 2 s pause: one request each, every close
            // nginx's, no error, and the TIME_WAIT on nginx.
            #expect(r.csv.sum("requests") == 300 && r.csv.sum("responses") == 300, "\(r.stderr)")
            #expect(r.csv.sum("passive_closes") == 300 && r.csv.sum("active_closes") == 0, "\(r.stderr)")
            #expect(r.csv.sum("failed") == 0 && r.csv.sum("protocol_errors") == 0, "\(r.stderr)")
            #expect(r.census.client <= 5, "client TIME_WAIT \(r.census.client)")
            #expect((285...300).contains(r.census.server), "server TIME_WAIT \(r.census.server)")
        }

        /// "TIME_WAIT of this run (peak): client 300, server 0" → 300.
        func clientTimeWait(_ stderr: String) -> Int? {
            guard
                let line = stderr.split(separator: "\n").first(where: { $0.contains("TIME_WAIT of this run (peak):") }),
                let client = line.range(of: "client ")
            else { return nil }
            return Int(line[client.upperBound...].prefix { $0.isNumber })
        }

        @Test func perRequestTheKeepAliveProfileLeavesATenthOfTheTimeWaitOfSingleRequests() throws {
            // The profile as shipped (100 connections/s × 10), then the same 1,000 requests/s one per connection.
            let profile = Harness.profile("http-keepalive-divides-time-wait.yaml")
            let kept = try Harness.labCSV([profile])
            let single = try Harness.labCSV([profile, "--requests-per-connection", "1", "--rate", "1000"])
            let keptRequests = kept.csv.sum("responses")
            let singleRequests = single.csv.sum("responses")
            #expect(keptRequests == 3000 && singleRequests == 3000, "\(kept.out.stderr)\n\(single.out.stderr)")
            let keptTW = try #require(clientTimeWait(kept.out.stderr), "\(kept.out.stderr)")
            let singleTW = try #require(clientTimeWait(single.out.stderr), "\(single.out.stderr)")
            let ratio = (Double(keptTW) / Double(keptRequests)) / (Double(singleTW) / Double(singleRequests))
            #expect(
                abs(ratio - 0.1) <= 0.01,
                "TIME_WAIT per request: \(keptTW)/\(keptRequests) against \(singleTW)/\(singleRequests)")
        }
    }
}
