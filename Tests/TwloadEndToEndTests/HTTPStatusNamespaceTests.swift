import Foundation
import Testing

/// HTTP status accounting against a real nginx and a server with a malformed status line, in private
/// network namespaces.
extension NamespaceTests {
    @Suite struct HTTPStatusNamespaceTests {
        /// nginx on 127.0.0.1:18080 with `/ok` (200), `/missing` (404) and `/down` (503), then `runs`, one
        /// twload command line each (after `--target`); returns each run's CSV, stderr and exit status.
        func againstNginx(_ runs: [String]) throws -> [(csv: CSV, stderr: String, status: Int)]? {
            guard let nginx = Harness.which("nginx") else {
                print("skipped: nginx is not installed (.ci/run installs it with apt-get)")
                return nil
            }
            var script = Harness.startNginx(
                nginx,
                locations: #"location /ok { return 200 "fine\n"; } location /missing { return 404; } "#
                    + "location /down { return 503; }")
            for (i, args) in runs.enumerated() {
                script += """
                    STATUS=0; "$TWLOAD" --target 127.0.0.1:18080 \(args) --csv "$DIR/run\(i).csv" 2> "$DIR/err\(i).txt" || STATUS=$?
                    echo $STATUS > "$DIR/status\(i).txt"

                    """
            }
            script += "kill $NGINX; wait $NGINX || true\n"
            let (out, dir) = try Harness.inNamespace(script)
            #expect(out.status == 0, "\(out.stderr)")
            return runs.indices.map { i in
                (
                    CSV(Harness.read(dir.appendingPathComponent("run\(i).csv"))),
                    Harness.read(dir.appendingPathComponent("err\(i).txt")),
                    Int(
                        Harness.read(dir.appendingPathComponent("status\(i).txt")).trimmingCharacters(
                            in: .whitespacesAndNewlines)) ?? -1
                )
            }
        }

        @Test func a503CountsAsFailedAndFailsTheGateUnlessItIsExpected() throws {
            let common = "--protocol http --close server --rate 200 --duration 2 --fail-on 'failed == 0'"
            guard
                let r = try againstNginx([
                    "--path /down \(common)", "--path /down --expect-status 503 \(common)", "--path /ok \(common)",
                    "--path /missing --protocol http --rate 200 --duration 2",
                ])
            else { return }
            let down = r[0]
            #expect(down.csv.sum("attempted") == 400, "\(down.stderr)")
            #expect(down.csv.sum("http_5xx") == 400, "\(down.stderr)")
            #expect(down.csv.sum("failed") == 400)
            #expect(down.csv.sum("unexpected_status") == 400)
            #expect(down.csv.sum("completed") == 0)
            #expect(down.csv.sum("other_errors") == 0, "a status is not an errno")
            #expect(down.status == 1, "failed == 0 must fail: \(down.stderr)")
            #expect(down.stderr.contains("HTTP responses: 2xx 0, 3xx 0, 4xx 0, 5xx 400; unexpected status 400"))
            // Response times are there and plausible on loopback: after the handshake, well under 100 ms.
            for (row, (response, connect)) in zip(down.csv.ints("response_p50_us"), down.csv.ints("connect_p50_us"))
                .enumerated()
            {
                #expect(response > connect, "row \(row): response p50 \(response) us, connect p50 \(connect) us")
            }
            #expect(down.csv.ints("response_max_us").allSatisfy { (1..<100_000).contains($0) })
            #expect(down.csv.ints("ttfb_p99_us").allSatisfy { (1..<100_000).contains($0) })

            let expected = r[1]
            #expect(expected.status == 0, "\(expected.stderr)")
            #expect(expected.csv.sum("http_5xx") == 400)
            #expect(expected.csv.sum("failed") == 0)
            #expect(expected.csv.sum("completed") == 400)

            let ok = r[2]
            #expect(ok.status == 0, "\(ok.stderr)")
            #expect(ok.csv.sum("http_2xx") == 400)
            #expect(ok.csv.sum("completed") == 400)

            let missing = r[3]
            #expect(missing.csv.sum("http_4xx") == 400, "\(missing.stderr)")
            #expect(missing.csv.sum("failed") == 400)
            #expect(missing.csv.sum("completed") == 0)
            #expect(missing.status == 0, "no threshold given: a 404 is counted, not an exit status")
        }

        @Test func aMalformedStatusLineIsAProtocolError() throws {
            guard let python = Harness.which("python3") else {
                print("skipped: python3 is not installed")
                return
            }
            // A server that answers every connection with a status line whose code is not a number.
            let (out, dir) = try Harness.inNamespace(
                """
                cat > "$DIR/server.py" <<'PY'
                import socket, sys, time
                s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("127.0.0.1", 18082)); s.listen(512); s.settimeout(10)
                deadline = time.time() + 15
                while time.time() < deadline:
                    try: c, _ = s.accept()
                    except socket.timeout: break
                    c.recv(4096); c.sendall(b"HTTP/1.1 2x0 OK\\r\\nContent-Length: 0\\r\\n\\r\\n"); c.close()
                PY
                '\(python)' "$DIR/server.py" &
                SERVER=$!
                for i in $(seq 50); do ss -Hltn '( sport = :18082 )' | grep -q . && break; sleep 0.1; done
                "$TWLOAD" --target 127.0.0.1:18082 --protocol http --rate 50 --duration 2 --csv "$DIR/run.csv" 2> "$DIR/err.txt" || true
                kill $SERVER; wait $SERVER || true
                """)
            #expect(out.status == 0, "\(out.stderr)")
            let csv = CSV(Harness.read(dir.appendingPathComponent("run.csv")))
            let stderr = Harness.read(dir.appendingPathComponent("err.txt"))
            #expect(csv.sum("attempted") == 100, "\(stderr)")
            #expect(csv.sum("protocol_errors") == 100, "\(stderr)")
            #expect(csv.sum("failed") == 100)
            #expect(csv.sum("http_2xx") + csv.sum("unexpected_status") == 0, "no status was read")
        }
    }
}
