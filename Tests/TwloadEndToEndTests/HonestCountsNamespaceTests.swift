import Foundation
import Testing

/// Counts and verdicts a deploy gate relies on, against peers that misbehave, in namespaces.
extension NamespaceTests {
    @Suite struct HonestCountsNamespaceTests {
        @Test func aServerThatNeverAnswersFailsTheUnfinishedGateAndIsNotCalledHealthy() throws {
            // A server that accepts and then says nothing: every HTTP exchange is still open when the drain ends.
            let (out, dir) = try Harness.inNamespace(
                """
                python3 -c '
                import socket, time
                s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("127.0.0.1", 18097)); s.listen(512)
                held = []
                end = time.time() + 5
                s.settimeout(0.2)
                while time.time() < end:
                    try: held.append(s.accept()[0])
                    except socket.timeout: pass
                ' & S=$!
                for i in $(seq 50); do ss -Hltn '( sport = :18097 )' | grep -q . && break; sleep 0.1; done
                set +e
                "$TWLOAD" --target 127.0.0.1:18097 --protocol http --rate 20 --duration 1 \\
                  --fail-on 'failed == 0' --fail-on 'unfinished == 0' --csv "$DIR/run.csv" 2> "$DIR/err.txt"
                echo $? > "$DIR/status"
                kill $S; wait $S 2>/dev/null
                exit 0
                """)
            #expect(out.status == 0, "\(out.stderr)")
            let err = Harness.read(dir.appendingPathComponent("err.txt"))
            #expect(Harness.read(dir.appendingPathComponent("status")).hasPrefix("1"), "\(err)")
            #expect(err.contains("FAIL  unfinished == 0"), "\(err)")
            #expect(err.contains("20 of 20 connections were still open when the drain ended"), "\(err)")
            #expect(!err.contains("no errors"), "\(err)")
        }

        @Test func aDownInterfaceIsCountedAsEnetunreachNotOther() throws {
            let (out, dir) = try Harness.inNamespace(
                """
                # A namespace of its own whose lo was never brought up: connect() fails with ENETUNREACH.
                unshare -n "$TWLOAD" --target 127.0.0.1:18098 --rate 20 --duration 1 --csv "$DIR/run.csv" \
                  2> "$DIR/err.txt"
                """)
            #expect(out.status == 0, "\(out.stderr)")
            let csv = CSV(Harness.read(dir.appendingPathComponent("run.csv")))
            let err = Harness.read(dir.appendingPathComponent("err.txt"))
            #expect(csv.sum("enetunreach") == 20, "\(err)")
            #expect(csv.sum("failed") == 20)
            #expect(csv.sum("other_errors") == 0)
            #expect(err.contains("errors: ENETUNREACH 20"), "\(err)")
        }

        @Test func targetRateIsTheScheduledRateInEveryRowAndAchievedRateIgnoresTheDrain() throws {
            // The probe: 500.0000000000001 in rows, 0 in a drain-only last row, and 60 on-time connections at
            // 20/s for 3 s reported as 15.0/s.
            let (out, dir) = try Harness.inNamespace(
                """
                "$TWLOAD" --rate 20 --duration 3 --close server --csv "$DIR/a.csv" \\
                  --fail-on 'achieved_rate >= 0.99 * rate' 2> "$DIR/a.txt"
                "$TWLOAD" --rate 500 --duration 1.5 --interval 500ms --close server --csv "$DIR/b.csv" 2> /dev/null
                """)
            #expect(out.status == 0, "\(out.stderr)")
            let a = CSV(Harness.read(dir.appendingPathComponent("a.csv")))
            let summary = Harness.read(dir.appendingPathComponent("a.txt"))
            #expect(a.sum("established") == 60)
            #expect(a.column("target_rate").allSatisfy { $0 == "20" }, "\(a.column("target_rate"))")
            #expect(summary.contains("established 60 (20.0/s)"), "\(summary)")
            #expect(summary.contains("PASS  achieved_rate >= 0.99 * rate"), "\(summary)")
            let b = CSV(Harness.read(dir.appendingPathComponent("b.csv")))
            #expect(b.rows.count >= 3)
            #expect(b.column("target_rate").allSatisfy { $0 == "500" }, "\(b.column("target_rate"))")
        }
    }
}
