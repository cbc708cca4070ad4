import Foundation
import Testing

/// SYNs that get no answer show up as `syn_retrans` (issue 17): the sign of a middlebox that drops them,
/// while this host's ports are free.
extension NamespaceTests {
    @Suite struct SynRetransNamespaceTests {
        @Test func synsIntoABlackHoleAreRetransmittedAndCountedWhileNoPortRunsOut() throws {
            // A black hole: 198.18.0.99's frames go to a veth end that has no such address and forwards
            // nothing, so no SYN is ever answered and nothing says so. Each attempt sends its SYN and again 1 s
            // later; those older than the 1.5 s connect timeout before the drain ends are abandoned.
            let (out, dir) = try Harness.inNamespace(
                """
                ip link add v0 type veth peer name v1
                ip addr add 198.18.0.1/24 dev v0
                ip link set v0 up
                ip link set v1 up
                ip neigh add 198.18.0.99 lladdr "$(ip -br link show v1 | awk '{print $3}')" dev v0 nud permanent
                "$TWLOAD" --target 198.18.0.99:80 --rate 10 --duration 1 --connect-timeout 1500ms --quiet \\
                    --csv "$DIR/run.csv" --summary-json "$DIR/run.json"
                """, timeout: 60)
            defer { try? FileManager.default.removeItem(at: dir) }
            #expect(out.status == 0, "\(out.stderr)")
            let csv = CSV(try String(contentsOf: dir.appendingPathComponent("run.csv"), encoding: .utf8))
            #expect(csv.sum("attempted") == 10)
            #expect(csv.sum("established") == 0)
            #expect(csv.sum("eaddrnotavail") == 0)
            #expect(csv.sum("etimedout") >= 4, "attempts 0.0–0.5 s time out before the drain ends")
            // Every attempt is still waiting 1 s after its SYN, so each sends it once more (a second retry
            // would come 3 s after the first SYN).
            #expect(csv.sum("syn_retrans") == 10, "\(csv.column("syn_retrans"))")
            #expect(csv.sum("listen_overflows") == 0)
            let json =
                try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("run.json")))
                as? [String: Any]
            #expect((json?["metrics"] as? [String: Any])?["syn_retrans"] as? Int == 10)
            // The summary blames the path, not this host's ports nor the server, and cites the evidence.
            #expect(json?["limited_by"] as? String == "middlebox")
            let why = json?["why"] as? String ?? ""
            #expect(why.hasPrefix("something between this host and 198.18.0.99:80 dropped or delayed SYNs: "), "\(why)")
            #expect(why.contains(" connect timeouts, 10 SYN retransmissions, "), "\(why)")
            #expect(why.contains("(0 EADDRNOTAVAIL, client TIME_WAIT peak 0 of "), "\(why)")
        }
    }
}
