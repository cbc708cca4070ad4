import Foundation
import Testing
import TwloadTestSupport

/// A fleet on one box (issue 16): agent namespaces and a target namespace on 198.18.0.0/24 joined by a
/// bridge (`deploy/sim/fleet-netns.sh`). The agents are started by `deploy/ssh/launch.sh --via netns`, so each
/// runs exactly the command line the Kubernetes Indexed Job would, with JOB_COMPLETION_INDEX set; the target
/// runs `twload serve` and `twload watch`; `twload merge` joins the agents' folders.
extension NamespaceTests {
    @Suite struct FleetNamespaceTests {
        static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()

        /// Why the fleet cannot run here, or nil.
        static let unavailable: String? = {
            if let reason = Harness.namespaceUnavailableReason { return reason }
            for tool in ["timeout", "tar", "awk"] where Harness.which(tool) == nil { return "needs \(tool)" }
            return nil
        }()

        /// Runs `script` with bash: `$TWLOAD`, `$DIR` (a scratch folder), `$DEPLOY` (deploy/) and `$P` (a
        /// namespace prefix of this test's own) are set, the fleet of `agents` is up, and every namespace (and
        /// the processes in it) is removed when the script ends, however it ends. The script may call
        /// `serve [OPTIONS]` (twload serve on the target, 198.18.0.1:8080, for at most 30 s, in the background)
        /// and, after setting `$T`, `launch RUN_ID DURATION [RUN OPTIONS]` (the ssh launcher in netns mode at
        /// 400/s in all, collecting into `$DIR/runs/RUN_ID`). Nil, after saying why, where namespaces cannot run.
        func fleet(agents: Int, _ script: String, timeout: Double = 120) throws -> (Harness.Output, URL)? {
            if let reason = Self.unavailable {
                print("FleetNamespaceTests: skipped: \(reason)")
                return nil
            }
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twload-fleet-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let prefix = "tf" + String(UUID().uuidString.lowercased().filter(\.isHexDigit).prefix(6))
            let deploy = Self.repository.appendingPathComponent("deploy").path
            let full = """
                set -euo pipefail
                export TWLOAD='\(Harness.binary)' DIR='\(dir.path)' DEPLOY='\(deploy)' P='\(prefix)'
                trap '"$DEPLOY/sim/fleet-netns.sh" down "$P"' EXIT
                "$DEPLOY/sim/fleet-netns.sh" up "$P" \(agents) > "$DIR/hosts"
                serve() {
                    ip netns exec "$P-t" "$TWLOAD" serve --listen 198.18.0.1:8080 --duration 30 "$@" 2>"$DIR/serve.log" &
                    SERVE=$!
                }
                launch() {
                    local id=$1 duration=$2
                    shift 2
                    "$DEPLOY/ssh/launch.sh" --via netns --hosts "$DIR/hosts" --target 198.18.0.1:8080 --rate 400 \
                        --duration "$duration" --start-at "$T" --run-id "$id" --remote-out "$DIR/remote" \
                        --collect "$DIR/runs" --twload "$TWLOAD" --merge-with "$TWLOAD" -- "$@"
                }
                \(script)
                """
            return (try Harness.run("/bin/bash", ["-c", full], timeout: timeout), dir)
        }

        /// A CSV file in the scratch folder.
        func csv(_ dir: URL, _ path: String) throws -> CSV {
            CSV(try String(contentsOf: dir.appendingPathComponent(path), encoding: .utf8))
        }

        func json(_ dir: URL, _ path: String) throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent(path))) as? [String: Any]
                ?? [:]
        }

        @Test func fourAgentsMergeIntoExactSumsAndTheTargetsWatchOnTheSameGrid() throws {
            // 400/s in all for 10 s, the server closing first so that its TIME_WAIT grows on the target.
            guard
                let (out, dir) = try fleet(
                    agents: 4,
                    """
                    T=$(( $(date +%s) + 3 ))
                    serve --close server
                    ip netns exec "$P-t" "$TWLOAD" watch --port 8080 --start-at "$T" --interval 1s --duration 10 \\
                        --csv "$DIR/watch.csv" 2>"$DIR/watch.log" & WATCH=$!
                    launch fleet-a 10 --close server --quiet
                    wait "$WATCH"
                    kill "$SERVE"; wait "$SERVE" || true
                    R="$DIR/runs/fleet-a"
                    "$TWLOAD" merge "$R"/agent-0 "$R"/agent-1 "$R"/agent-2 "$R"/agent-3 --expect 4 --watch "$DIR/watch.csv" \\
                        -o "$DIR/merged.csv" --summary-json "$DIR/merged.json"
                    "$TWLOAD" plot "$DIR/merged.csv" -o "$DIR/merged.svg"
                    """)
            else { return }
            defer { try? FileManager.default.removeItem(at: dir) }
            #expect(out.status == 0, "\(out.stderr)")
            let merged = try csv(dir, "merged.csv")
            let agents = try (0..<4).map { i in try csv(dir, "runs/fleet-a/agent-\(i)/agent-\(i).csv") }
            #expect(merged.rows.count == 10)
            #expect(merged.ints("interval_index") == Array(0..<10))
            #expect(merged.ints("agents_reporting") == Array(repeating: 4, count: 10))
            // Counters: the merged row is the sum of the agents' rows with the same interval_index.
            for column in [
                "attempted", "established", "completed", "failed", "missed", "eaddrnotavail", "etimedout",
                "econnrefused",
                "econnreset", "other_errors", "late_skipped", "passive_closes", "open",
            ] {
                let sums = (0..<10).map { r in agents.map { $0.ints(column)[r] }.reduce(0, +) }
                #expect(merged.ints(column) == sums, "\(column)")
            }
            #expect(merged.sum("attempted") == 4000)
            #expect(merged.sum("established") == 4000, "\(out.stderr)")
            // The target's census, on the same grid: at the end of interval k its TIME_WAIT holds the
            // connections the agents established up to then (the server closes each at once), give or take
            // those still closing. A row off by one interval would be off by about 400.
            let serverTimeWait = merged.ints("watch_server_time_wait")
            #expect(serverTimeWait.count == 10, "\(serverTimeWait)")
            let established = merged.ints("established").reduce(into: [Int]()) { $0.append(($0.last ?? 0) + $1) }
            for (k, tw) in serverTimeWait.enumerated() where k < established.count {
                let before = k == 0 ? 0 : established[k - 1]
                #expect(
                    tw >= before - 100 && tw <= established[k] + 100,
                    "interval \(k): server TIME_WAIT \(tw), established by then \(established[k]): \(serverTimeWait)")
            }
            #expect(serverTimeWait.last.map { $0 >= 3600 } == true, "\(serverTimeWait)")
            let summary = try json(dir, "merged.json")
            #expect(summary["partial"] as? Bool == false)
            #expect(summary["agents_reporting"] as? Int == 4)
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("merged.svg").path))
            try checkHistogramsAgainstReference(dir, merged: merged)
        }

        @Test func eachAgentHasItsOwnPortSpaceSoTheFleetMakesFourTimesTheConnectionsBeforeExhaustion() throws {
            // 100 source ports per agent, the client closing first (TIME_WAIT holds each port for 60 s) at 100/s
            // per agent: each agent's ports run out after about 1 s. Then one agent alone, for comparison, and the
            // prediction of both.
            guard
                let (out, dir) = try fleet(
                    agents: 4,
                    """
                    serve
                    T=$(( $(date +%s) + 2 ))
                    launch ports 3 --source-ports 40000-40099 --close client --quiet
                    ip netns exec "$P-a0" "$TWLOAD" --target 198.18.0.1:8080 --rate 100 --duration 3 --source-ports 50000-50099 \
                        --close client --quiet --csv "$DIR/alone.csv" --summary-json "$DIR/alone.json"
                    ip netns exec "$P-a1" "$TWLOAD" check --target 198.18.0.1:8080 --rate 400 --duration 3 --agents 4 \
                        --source-ports 40000-40099 --close client --summary-json "$DIR/check.json" 2>"$DIR/check.txt" || true
                    kill "$SERVE"; wait "$SERVE" || true
                    """)
            else { return }
            defer { try? FileManager.default.removeItem(at: dir) }
            // The launcher merged them; an agent's run that ran out of ports still exits 0 (no threshold).
            #expect(out.status == 0, "\(out.stderr)")
            let merged = try csv(dir, "runs/ports/merged.csv")
            let check = try json(dir, "check.json")
            let fleet = try #require(check["fleet"] as? [String: Any])
            #expect(fleet["agent_connections_before_exhaustion"] as? Int == 100)
            #expect(fleet["fleet_connections_before_exhaustion"] as? Int == 400)
            let predicted = try #require(fleet["first_eaddrnotavail_s"] as? Double)
            #expect(predicted == 1)
            // Each agent's first EADDRNOTAVAIL, as its own summary measured it: about 1 s, as predicted.
            for i in 0..<4 {
                let summary = try json(dir, "runs/ports/agent-\(i)/agent-\(i).json")
                let first = try #require((summary["metrics"] as? [String: Any])?["first_eaddrnotavail_s"] as? Double)
                #expect(abs(first - predicted) <= 0.25, "agent \(i): first EADDRNOTAVAIL at \(first) s")
            }
            // Connections made before the ports ran out: 4 × those of one agent alone.
            let alone = try json(dir, "alone.json")
            let aloneEstablished = try #require((alone["metrics"] as? [String: Any])?["established"] as? Double)
            let fleetEstablished = merged.sum("established")
            #expect(aloneEstablished == 100, "one agent alone: \(aloneEstablished)")
            #expect(fleetEstablished == 4 * Int(aloneEstablished), "the fleet: \(fleetEstablished)")
            #expect(fleetEstablished == fleet["fleet_connections_before_exhaustion"] as? Int)
            #expect(merged.sum("eaddrnotavail") > 0)
            #expect(
                try String(contentsOf: dir.appendingPathComponent("check.txt"), encoding: .utf8)
                    .contains("in total: EADDRNOTAVAIL from 1.00 s on every agent, after about 400 connections"))
        }

        @Test func killingOneAgentMidRunGivesAPartialMergeFromThatRowOn() throws {
            guard
                let (out, dir) = try fleet(
                    agents: 4,
                    """
                    serve
                    T=$(( $(date +%s) + 2 ))
                    launch killed 6 --quiet > "$DIR/launch.out" 2>&1 & LAUNCH=$!
                    # Agent 3 is killed 3.5 s into the run: no last row, no summary.
                    sleep $(( T - $(date +%s) )); sleep 3.5
                    for pid in $(ip netns pids "$P-a3"); do kill -KILL "$pid"; done
                    status=0; wait "$LAUNCH" || status=$?
                    echo "launch: $status"
                    R="$DIR/runs/killed"
                    status=0; "$TWLOAD" merge "$R"/agent-0 "$R"/agent-1 "$R"/agent-2 "$R"/agent-3 --expect 4 \
                        -o "$DIR/merged.csv" 2>"$DIR/merge.txt" || status=$?
                    echo "merge: $status"
                    kill "$SERVE"; wait "$SERVE" || true
                    """)
            else { return }
            defer { try? FileManager.default.removeItem(at: dir) }
            #expect(out.status == 0, "\(out.stderr)")
            #expect(out.stdout.contains("merge: 3"), "\(out.stdout)")
            #expect(!out.stdout.contains("launch: 0"), "the launcher reports the killed agent: \(out.stdout)")
            let merged = try csv(dir, "merged.csv")
            let reporting = merged.ints("agents_reporting")
            // Intervals 0–2 ended before the kill; from interval 3 or 4 on, three agents remain.
            #expect(reporting.count == 6, "\(reporting)")
            let drop = try #require(reporting.firstIndex(of: 3), "\(reporting)")
            #expect((3...4).contains(drop), "\(reporting)")
            #expect(
                reporting[..<drop].allSatisfy { $0 == 4 } && reporting[drop...].allSatisfy { $0 == 3 }, "\(reporting)")
            let text = try String(contentsOf: dir.appendingPathComponent("merge.txt"), encoding: .utf8)
            #expect(text.contains("PARTIAL"), "\(text)")
            #expect(text.contains("partial: agent 3: no agent-3.json"), "\(text)")
            #expect(text.contains("agents_reporting drops from interval \(drop)"), "\(text)")
        }

        /// The merged logs equal the agents' logs added bucket by bucket, and the merged CSV's connect p50/p99
        /// are the percentiles PyPI's hdrhistogram (the reference implementation) computes from the agents' logs.
        func checkHistogramsAgainstReference(_ dir: URL, merged: CSV) throws {
            guard let python = PythonOracle.find(module: "hdrh") else {
                print("FleetNamespaceTests: histogram oracle " + PythonOracle.skipReason(package: "hdrhistogram"))
                return
            }
            let script = """
                import json, sys
                from hdrh.histogram import HdrHistogram
                from hdrh.log import HistogramLogReader
                def intervals(path):
                    r = HistogramLogReader(path, HdrHistogram(1, 3600000000, 3))
                    out = []
                    while True:
                        h = r.get_next_interval_histogram()
                        if h is None: return out
                        out.append(h)
                def counts(h):
                    return {i: h.get_count_at_index(i) for i in range(h.counts_len) if h.get_count_at_index(i)}
                def percentile(h, p):
                    # The rank twload uses (ceil of p% of the count), so that like is compared with like; the
                    # value is hdrh's own: the highest value equivalent to the bucket holding that rank.
                    import math
                    total = h.get_total_count()
                    if total == 0: return None
                    rank, seen = max(1, math.ceil(p * total / 100)), 0
                    for i in range(h.counts_len):
                        seen += h.get_count_at_index(i)
                        if seen >= rank: return h.get_highest_equivalent_value(h.get_value_from_index(i))
                d = sys.argv[1]
                agents = [intervals(f"{d}/runs/fleet-a/agent-{i}/agent-{i}.connect.hlog") for i in range(4)]
                merged = intervals(f"{d}/merged.connect.hlog")
                result = {"intervals": len(merged), "equal": [], "p50": [], "p99": [], "api_p50": [], "api_p99": [],
                          "total": []}
                for k, m in enumerate(merged):
                    total = HdrHistogram(1, 3600000000, 3)
                    for a in agents: total.add(a[k])
                    result["equal"].append(counts(total) == counts(m) and total.get_total_count() == m.get_total_count())
                    result["p50"].append(percentile(total, 50))
                    result["p99"].append(percentile(total, 99))
                    result["api_p50"].append(total.get_value_at_percentile(50))
                    result["api_p99"].append(total.get_value_at_percentile(99))
                    result["total"].append(total.get_total_count())
                print(json.dumps(result))
                """
            let run = try PythonOracle.run(python, script: script, arguments: [dir.path])
            #expect(run.status == 0, "\(run.stderr)")
            let result =
                try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any] ?? [:]
            #expect(result["intervals"] as? Int == 10)
            #expect((result["equal"] as? [Bool]) == Array(repeating: true, count: 10), "merged ≠ bucket-by-bucket sum")
            // twload clamps a percentile to the largest value recorded; hdrh gives the bucket's highest
            // equivalent value. Both name the same bucket: twload's value lies in hdrh's bucket, within 1/1024.
            for (name, column) in [("p50", "connect_p50_us"), ("p99", "connect_p99_us")] {
                let reference = (result[name] as? [Int]) ?? []
                let ours = merged.ints(column)
                #expect(reference.count == 10 && ours.count == 10)
                for (r, o) in zip(reference, ours) {
                    #expect(o <= r && Double(r - o) <= max(1, Double(r) / 1024), "\(column): twload \(o), hdrh \(r)")
                }
                // hdrh's own get_value_at_percentile rounds its rank half up where twload takes the ceiling: the
                // two name the same bucket whenever p% of the count is a whole number (an interval's handshakes
                // are about 400, not always exactly: a handshake counts in the interval it completes in).
                let api = (result["api_" + name] as? [Int]) ?? []
                let totals = (result["total"] as? [Int]) ?? []
                let p = name == "p50" ? 50 : 99
                for (k, n) in totals.enumerated() where (p * n) % 100 == 0 && k < api.count && k < reference.count {
                    #expect(
                        api[k] == reference[k],
                        "\(name), interval \(k) of \(n): hdrh's API \(api[k]), same-rank \(reference[k])")
                }
            }
        }
    }

}
