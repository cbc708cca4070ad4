import Foundation
import Testing
import TwloadConfig

/// The binary's contract for bad input, signals and unreachable targets (loopback only).
struct CommandLineTests {
    @Test(arguments: [
        (["--rate", "0"], "--rate"),
        (["--rate", "-5"], "--rate"),
        (["--rate", "lots"], "--rate"),
        (["--rate", "10", "--source-ports", "40100-40000"], "--source-ports"),
        (["--rate", "10", "--source-ports", "0-100"], "--source-ports"),
        (["--rate", "10", "--source-ports", "40000-70000"], "--source-ports"),
        (["--rate", "10", "--target", "127.0.0.1:70000"], "--target"),
        (["--rate", "10", "--target", "not an address"], "--target"),
        (["--rate", "10", "--source-addr", "300.1.2.3"], "--source-addr"),
        (["--rate", "10", "--linger", "sometimes"], "--linger"),
        (["--rate", "10", "--close", "both"], "--close"),
        (["--rate", "10", "--duration", "soon"], "--duration"),
        (["--rate", "10", "--threads", "0"], "--threads"),
        (["--rate", "10", "--target", "127.0.0.1:9", "--hold", "1s"], "--hold"),
        (["--rate", "10", "--hold", "1s"], "--hold"),
        (["serve", "--listen", "127.0.0.1:0", "--hold", "2h"], "--hold"),
        (["--duration", "1s"], "--rate"),
        (["--rate", "10", "--no-such-option"], "--no-such-option"),
        (["serve", "--listen", "127.0.0.1:99999"], "--listen"),
        (["--rate", "10", "--start-at", "soon"], "--start-at"),
        (["--rate", "10", "--start-at", "2026-02-30T00:00:00Z"], "--start-at"),
        (["--rate", "10", "--run-id", "a/b"], "--run-id"),
        (["--rate", "10", "--max-late", "late"], "--max-late"),
        (["--rate", "10", "--out", "/tmp/twload-never", "--csv", "x.csv"], "--csv"),
        (["--rate", "10", "--out", "/tmp/twload-never", "--summary-json", "x.json"], "--summary-json"),
    ])
    func invalidOptionExitsWith64AndOneLineNamingIt(args: [String], option: String) throws {
        let out = try Harness.twload(args, timeout: 20)
        #expect(out.status == 64, "\(args): status \(out.status), stderr \(out.stderr)")
        let lines = out.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(args): \(out.stderr)")
        #expect(out.stderr.contains(option), "\(args): \(out.stderr)")
        #expect(out.stdout.isEmpty)
    }

    /// The options each command declares, as its help should list them (besides --help).
    static let declared: [String: [any AnyOptionSpec]] = [
        "run": RunOption.readmeTable, "check": RunOption.checkTable,
        "lab": RunOption.all + [RunOption.failOn, RunOption.quiet, RunOption.progress] + LabOption.all,
        "serve": ServeOption.all, "watch": WatchOption.all, "plot": PlotOption.all,
    ]

    /// The CLI declares its options from `RunOption` and the other tables: each declared option is in the
    /// command's help with its declared text, and the help lists no option that is not declared.
    @Test(arguments: ["run", "check", "lab", "serve", "watch", "plot"])
    func helpListsExactlyTheDeclaredOptionsWithTheirText(command: String) throws {
        let table = try #require(Self.declared[command])
        let out = try Harness.twload([command, "--help"], timeout: 20)
        #expect(out.status == 0)
        let words = out.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let listed = Set(
            out.stdout.split(separator: "\n").compactMap { line -> String? in
                let t = line.drop(while: { $0 == " " })
                guard t.hasPrefix("-") else { return nil }
                let long = t.split(separator: " ").first { $0.hasPrefix("--") } ?? ""
                return String(long.dropFirst(2).prefix(while: { $0 != "," }))
            })
        // ArgumentParser offers the root's --version in every subcommand too.
        #expect(listed == Set(table.map(\.name) + ["help", "version"]), "\(command)")
        for spec in table {
            let help = PlainText.fromMarkdown(spec.help).split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(words.contains(help), "\(command) --\(spec.name): \(help)")
        }
    }

    @Test func sigintEndsTheRunWithAPartialRowAndTheSummary() throws {
        let out = try Harness.run(Harness.binary, ["--rate", "50", "--duration", "30s", "--linger", "0"], timeout: 20) {
            p in
            Thread.sleep(forTimeInterval: 1.6)
            kill(p.processIdentifier, SIGINT)
        }
        #expect(out.status == 130)
        let csv = CSV(out.stdout)
        let elapsed = csv.doubles("elapsed_s")
        #expect(elapsed.count == 2, "\(out.stdout)")
        #expect(elapsed.first == 1.0)
        // The 1.6 s sleep starts before twload's clock does, by its start-up time (up to ~0.4 s on a busy
        // machine), so the partial row only has to come after the first and before a second full one.
        let last = elapsed.last ?? 0
        #expect(last > 1.0 && last < 2.0, "partial last row: \(elapsed)")
        #expect(csv.sum("attempted") >= 60)
        #expect(out.stderr.contains("twload summary:"))
    }

    @Test func sigintEndsEveryHoldSoHeldConnectionsCompleteWithinTheDrain() throws {
        let out = try Harness.run(
            Harness.binary, ["--rate", "50", "--duration", "30s", "--close", "server", "--hold", "5s"], timeout: 20
        ) { p in
            Thread.sleep(forTimeInterval: 1.6)
            kill(p.processIdentifier, SIGINT)
        }
        #expect(out.status == 130)
        let csv = CSV(out.stdout)
        // Every connection was held when the signal came; the server ended the holds at once, so each
        // closed as the server's own close within the workers' drain, and none was left unfinished.
        #expect(csv.sum("established") >= 50, "\(out.stderr)")
        #expect(csv.sum("completed") == csv.sum("established"), "\(out.stderr)")
        #expect(csv.sum("server_active_closes") == csv.sum("established"), "\(out.stderr)")
        #expect(out.stderr.contains("unfinished 0"), "\(out.stderr)")
    }

    @Test func aProfilesLabSectionsAreIgnoredByRunWithAWarning() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twload-warn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("p.yaml").path
        try "title: t\nlab:\n  topology: routed\nrun:\n  rate: 10\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let out = try Harness.twload(["run", "--profile", path, "--duration", "1", "--csv", "/dev/null"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(
            out.stderr.contains(
                "warning: \(path): its lab and sysctl sections apply to twload lab only; twload run ignores them"),
            "\(out.stderr)")
    }

    @Test func aLoopbackLabRefusesASysctlForOneNamespace() throws {
        let out = try Harness.twload([
            "lab", "--rate", "10", "--duration", "1", "--sysctl", "server:net.ipv4.tcp_max_tw_buckets=20",
        ])
        #expect(out.status == 64, "\(out.stderr)")
        #expect(
            out.stderr
                == "twload: error: --sysctl server:net.ipv4.tcp_max_tw_buckets: names the server namespace, which only "
                + "a routed or nat topology has (loopback runs client and server in one namespace); drop the prefix "
                + "or add --topology\n", "\(out.stderr)")
    }

    @Test func aRampOnTheCommandLineRaisesTargetRateLinearlyRowByRow() throws {
        let out = try Harness.twload(["--rate", "1000..5000", "--ramp", "10s"], timeout: 60)
        #expect(out.status == 0, "\(out.stderr)")
        let csv = CSV(out.stdout)
        let rates = csv.doubles("target_rate")
        #expect(rates.count >= 10, "\(out.stdout)")
        // Row k (from k−1 s to k s) averages the ramp over that second: 1000 + 400 × (k − 0.5).
        for k in 1...10 {
            let expected = 1000 + 400 * (Double(k) - 0.5)
            #expect(abs(rates[k - 1] - expected) <= 0.01 * expected, "row \(k): \(rates[k - 1]), expected \(expected)")
        }
        #expect(out.stderr.contains("stage 1, 1000→5000/s over 10 s: attempted 30000"), "\(out.stderr)")
    }

    @Test func stepsOnTheCommandLineAreFlatStagesAndTheSummaryReportsEach() throws {
        let out = try Harness.twload(["--rate", "1000,2000", "--step", "3s"], timeout: 60)
        #expect(out.status == 0, "\(out.stderr)")
        let csv = CSV(out.stdout)
        #expect(Array(csv.doubles("target_rate").prefix(6)) == [1000, 1000, 1000, 2000, 2000, 2000], "\(out.stdout)")
        // Attempts follow the stages within the pacing contract (1 % per full interval): an attempt due on a
        // row boundary may land in the next row.
        for (got, want) in zip(csv.ints("attempted").prefix(6), [1000, 1000, 1000, 2000, 2000, 2000]) {
            #expect(abs(got - want) <= want / 100, "\(out.stdout)")
        }
        #expect(out.stderr.contains("    stage 1, 1000/s for 3 s: attempted 3000, established 3000"), "\(out.stderr)")
        #expect(out.stderr.contains("    stage 2, 2000/s for 3 s: attempted 6000, established 6000"), "\(out.stderr)")
        let refused = try Harness.twload(["--rate", "1000,2000", "--step", "3s", "--duration", "5s"])
        #expect(refused.status == 64)
        #expect(
            refused.stderr
                == "twload: error: --duration: conflicts with --step, which sets the duration; remove one of them\n")
    }

    @Test func refusedTargetIsCountedNotACrash() throws {
        // Port 9 (discard) on loopback: nothing listens here, so every connect is refused.
        let out = try Harness.twload(["--target", "127.0.0.1:9", "--rate", "50", "--duration", "1s", "--linger", "0"])
        #expect(out.status == 0, "\(out.stderr)")
        let csv = CSV(out.stdout)
        #expect(csv.sum("attempted") == 50)
        #expect(csv.sum("econnrefused") == 50)
        #expect(csv.sum("failed") == 50)
        #expect(out.stderr.contains("ECONNREFUSED 50"))
    }

    @Test func checkTakesAProfileAndPredictsTheRunItWouldStart() throws {
        // The probe: check rejected --profile, so it could not predict a profile's run. This one's 100 ports
        // run out after 1 s of its 3 s schedule, so the gate fails.
        let out = try Harness.twload(
            ["check", "--profile", Harness.profile("client-close-exhausts-port-range.yaml")], timeout: 20)
        #expect(out.status == 1, "\(out.stderr)")
        #expect(
            out.stderr.hasSuffix(
                "twload check: FAIL: the source ports would run out (EADDRNOTAVAIL) at 1.00 s, within the run's 3 s\n"),
            "\(out.stderr)")
        #expect(out.stderr.contains("per-socket --source-ports 40000-40099 → 100 usable"), "\(out.stderr)")
    }

    @Test(arguments: [(true, 936), (false, 468)])
    func theEmfileWarningQuotesTheBuiltinServersShareOnlyWithoutATarget(target: Bool, limit: Int) throws {
        // 1000 descriptors less 64 spare; the built-in server, when it runs, needs half of them.
        let targetOption = target ? "--target 127.0.0.1:9 " : ""
        let out = try Harness.run(
            "/bin/bash",
            [
                "-c",
                "ulimit -Sn 1000 && ulimit -Hn 1000 && exec '\(Harness.binary)' check \(targetOption)--rate 10 --max-open 5000",
            ], timeout: 20)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(
            out.stderr.contains(
                "--max-open 5000 exceeds what RLIMIT_NOFILE (1000) allows; expect EMFILE above \(limit) open connections"
            ),
            "\(out.stderr)")
    }

    @Test(arguments: [["--csv", "x.csv"], ["--fail-on", "failed == 0"], ["--interval", "2s"], ["--quiet"]])
    func checkRefusesAnOptionThatWouldDoNothingThere(option: [String]) throws {
        let out = try Harness.twload(["check", "--rate", "10"] + option, timeout: 20)
        #expect(out.status == 64, "\(out.stderr)")
        #expect(out.stderr.split(separator: "\n").count == 1, "\(out.stderr)")
        #expect(out.stderr.contains(option[0]), "\(out.stderr)")
    }

    @Test func quietAndProgressTogetherAreAUsageError() throws {
        let out = try Harness.twload(["--rate", "10", "--quiet", "--progress"], timeout: 20)
        #expect(out.status == 64)
        #expect(out.stderr == "twload: error: --quiet: and --progress contradict each other; give one\n")
    }

    @Test func watchSaysOneRowInTheSingular() throws {
        // The probe: "watch: 1 rows written".
        let out = try Harness.twload(["watch", "--duration", "300ms", "--csv", "/dev/null"], timeout: 20)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.hasSuffix("twload: watch: 1 row written\n"), "\(out.stderr)")
    }

    @Test func runHelpSaysRateIsRequiredUnlessAProfileSetsIt() throws {
        let out = try Harness.twload(["run", "--help"], timeout: 20)
        let words = out.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("(required unless a profile sets rate or a schedule)"), "\(out.stdout)")
        #expect(out.stdout.contains("twload [run] --rate <rate> [<options>]"), "\(out.stdout)")
    }

    @Test func unwritableCsvPathExits73WithOneLine() throws {
        let out = try Harness.twload(["--rate", "10", "--duration", "1s", "--csv", "/nonexistent-dir/x.csv"])
        #expect(out.status == 73)
        #expect(out.stderr.contains("--csv"))
    }

    @Test func aHoldOfOneSecondAtOneHundredPerSecondKeepsAboutOneHundredOpen() throws {
        // Little's law: each connection lives the hold, so rate × hold are open at once. The drain grows by
        // the hold, so the connections started last still finish.
        let out = try Harness.twload(
            [
                "--rate", "100", "--duration", "2s", "--close", "server", "--hold", "1s", "--fail-on",
                "unfinished == 0",
            ], timeout: 30)
        #expect(out.status == 0, "\(out.stderr)")
        let csv = CSV(out.stdout)
        let peak = csv.ints("open").max() ?? 0
        #expect((70...130).contains(peak), "open: \(csv.column("open"))")
        #expect(csv.sum("failed") == 0, "\(out.stderr)")
        #expect(csv.sum("completed") == 200)
        #expect(csv.sum("passive_closes") == 200)
        #expect(csv.sum("server_active_closes") == 200)
    }

    @Test func fourAgentsOfOneScheduleEachRunAQuarterOfItAndTogetherAllOfIt() throws {
        var attempted = 0
        for agent in 0..<4 {
            let out = try Harness.twload(["--rate", "400", "--duration", "1", "--agent", "\(agent)/4"], timeout: 30)
            #expect(out.status == 0, "\(out.stderr)")
            let csv = CSV(out.stdout)
            #expect(csv.sum("attempted") == 100, "agent \(agent): \(out.stderr)")
            #expect(csv.column("target_rate") == ["100"], "each agent's target_rate is its share")
            #expect(out.stderr.contains("target 100/s (agent \(agent)/4 of 400/s)"), "\(out.stderr)")
            attempted += csv.sum("attempted")
        }
        #expect(attempted == 400)
    }
}

/// `twload check` with NAT settings predicts the NAT's exhaustion and fails a run that would reach it.
@Suite struct CheckNatTests {
    @Test func checkWithNatPortsFailsARunThatWouldExhaustTheNat() throws {
        let fail = try Harness.twload([
            "check", "--rate", "100", "--duration", "10s", "--close", "server", "--hold", "2s",
            "--nat-ports", "40000-40099",
        ])
        #expect(fail.status == 1, "\(fail.stderr)")
        #expect(fail.stderr.contains("NAT: 1 address × 100 ports = 100 tuples toward the server"), "\(fail.stderr)")
        #expect(
            fail.stderr.contains("twload check: FAIL: the NAT's 100 tuples would run out at 1.00 s"), "\(fail.stderr)")
        let ok = try Harness.twload([
            "check", "--rate", "500", "--duration", "10s", "--close", "client", "--nat-ports", "40000-40099",
            "--target", "198.18.1.254:80",
        ])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stderr.contains("the NAT sets no ceiling"), "\(ok.stderr)")
        let bad = try Harness.twload(["check", "--rate", "100", "--topology", "routed", "--nat-ports", "1-2"])
        #expect(bad.status == 64 && bad.stderr.contains("--nat-ports: sets the router's NAT"), "\(bad.stderr)")
    }
}
