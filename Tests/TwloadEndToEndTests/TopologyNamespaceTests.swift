import Foundation
import Testing

/// The routed and NAT lab topologies (issue 17): the router's conntrack columns, a SIGKILL that leaves
/// nothing behind, and a host whose sysctls, links, namespaces and nftables ruleset are the same after.
extension NamespaceTests {
    @Suite struct TopologyNamespaceTests {
        static let nftUnavailable: String? = Harness.which("nft") == nil ? "needs nft (nftables)" : nil

        /// What a lab must not change on the host: its network sysctls that a lab writes inside its
        /// namespaces, its links, its named namespaces and its nftables ruleset.
        static func hostState() throws -> String {
            var parts: [String] = []
            for key in [
                "ipv4/ip_forward", "ipv4/tcp_tw_reuse", "ipv4/ip_local_port_range", "ipv4/tcp_timestamps",
                "netfilter/nf_conntrack_tcp_timeout_time_wait",
            ] {
                parts.append(
                    key + "=" + ((try? String(contentsOfFile: "/proc/sys/net/" + key, encoding: .utf8)) ?? "-"))
            }
            let ip = Harness.which("ip") ?? "/usr/sbin/ip"
            parts.append(
                try Harness.run(ip, ["-o", "link", "show"]).stdout.split(separator: "\n")
                    .map { $0.split(separator: ":").dropFirst().first.map(String.init) ?? "" }.joined(separator: ","))
            parts.append(try Harness.run(ip, ["netns", "list"]).stdout)
            // No lab address or route may appear on a host interface.
            parts.append(try Harness.run(ip, ["-o", "addr", "show"]).stdout)
            parts.append(try Harness.run(ip, ["route", "show", "table", "all"]).stdout)
            if let nft = Harness.which("nft") { parts.append(try Harness.run(nft, ["list", "ruleset"]).stdout) }
            return parts.joined(separator: "\n")
        }

        @Test func natClientCloseFillsTheNatPortsWithoutFailingAndLeavesTheHostAsItWas() throws {
            if let reason = Self.nftUnavailable {
                print("TopologyNamespaceTests: skipped: \(reason)")
                return
            }
            let before = try Self.hostState()
            let (out, csv) = try Harness.labCSV([
                "--topology", "nat", "--nat-ports", "40000-40049", "--rate", "100", "--duration", "2s", "--close",
                "client",
            ])
            #expect(out.status == 0, "\(out.stderr)")
            #expect(out.stderr.contains("lab: nat (client 198.18.0.2 → router, source NAT to 198.18.1.1:40000-40049"))
            #expect(out.stderr.contains("every namespace: tcp_tw_reuse=0; router: ip_forward=1"), "\(out.stderr)")
            // (A conntrack insert clash may cost one now and then; exhaustion would cost many.)
            #expect(csv.sum("established") >= 198 && csv.sum("failed") <= 2, "\(out.stderr)")
            // 200 connections through 50 NAT ports: conntrack takes over its own TIME_WAIT entries, so the
            // table holds one entry per NAT port and the client keeps its 200 TIME_WAIT sockets.
            // (An entry more at times: one caught while a new connection takes over an old one.)
            #expect((50...52).contains(csv.ints("ct_count").last ?? 0), "\(csv.column("ct_count"))")
            #expect(csv.ints("nat_ports_used").last == 50, "\(csv.column("nat_ports_used"))")
            #expect(csv.ints("tw_client").last == csv.sum("established"), "\(csv.column("tw_client"))")
            #expect(csv.ints("tw_server").last == 0)
            #expect(csv.sum("ct_found") > 0 && csv.sum("ct_insert_failed") <= 2)
            #expect(try Self.hostState() == before)
        }

        @Test func aRoutedLabReadsTheServersTimeWaitInItsOwnNamespaceAndHasNoNat() throws {
            if let reason = Self.nftUnavailable {
                print("TopologyNamespaceTests: skipped: \(reason)")
                return
            }
            let (out, csv) = try Harness.labCSV([
                "--topology", "routed", "--rate", "50", "--duration", "1s", "--close", "server", "--sysctl",
                "server:net.ipv4.tcp_max_tw_buckets=20",
            ])
            #expect(out.status == 0, "\(out.stderr)")
            #expect(out.stderr.contains("server: tcp_max_tw_buckets=20"), "\(out.stderr)")
            #expect(csv.sum("established") == 50)
            // The server's TIME_WAIT, capped by its own namespace's tcp_max_tw_buckets, is counted there.
            #expect(csv.ints("tw_server").max() == 20, "\(csv.column("tw_server"))")
            #expect(csv.sum("tw_overflow") == 0, "the overflow happens in the server's namespace, not the client's")
            #expect(csv.column("nat_ports_used").allSatisfy { $0.isEmpty })
            // The routed router tracks connections (its table keeps each closed one's entry for 120 s) but
            // translates none.
            #expect(csv.ints("ct_count").last == 50, "\(csv.column("ct_count"))")
        }

        @Test func aKilledNatLabLeavesNothingAndTheNextOneRuns() throws {
            if let reason = Self.nftUnavailable {
                print("TopologyNamespaceTests: skipped: \(reason)")
                return
            }
            let before = try Self.hostState()
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twload-kill-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let csv = dir.appendingPathComponent("run.csv").path
            nonisolated(unsafe) var rowsBeforeKill = 0
            let killed = try Harness.run(
                Harness.binary,
                [
                    "lab", "--topology", "nat", "--nat-ports", "40000-40099", "--rate", "100", "--duration", "30s",
                    "--csv", csv, "--quiet",
                ], timeout: 60,
                afterStart: { process in
                    // Killed mid-run: once the topology carries load (a first row), not before it is built.
                    for _ in 0..<200 {
                        rowsBeforeKill = Harness.read(URL(fileURLWithPath: csv)).split(separator: "\n").count - 1
                        if rowsBeforeKill >= 1 { break }
                        Thread.sleep(forTimeInterval: 0.05)
                    }
                    kill(process.processIdentifier, SIGKILL)
                })
            #expect(rowsBeforeKill >= 1, "the lab was killed before its first row")
            #expect(killed.status == 128 + SIGKILL || killed.status == SIGKILL, "\(killed.status) \(killed.stderr)")
            let after = try Harness.twload(
                [
                    "lab", "--topology", "nat", "--nat-ports", "40000-40099", "--rate", "50", "--duration", "1s",
                    "--csv", "/dev/null", "--quiet",
                ], timeout: 60)
            #expect(after.status == 0, "\(after.stderr)")
            #expect(try Self.hostState() == before)
        }
    }
}
