import Foundation
import Testing
import TwloadModel

@testable import TwloadConfig

private let path = "profiles/x.yaml"

/// The error that parsing `yaml` throws, or nil if it parses.
private func parseError(_ yaml: String) -> ProfileError? {
    do {
        _ = try Profile.parse(yaml: yaml, path: path)
        return nil
    } catch {
        return error
    }
}

/// Parses `yaml` expecting a ProfileError at `line` under `key`; checks that its description is one line naming
/// the file, the line and the key path, and contains `problem`.
private func expectError(
    _ yaml: String, line: Int?, key: String?, problem: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let e = parseError(yaml) else {
        Issue.record("expected a ProfileError, but the profile parsed", sourceLocation: sourceLocation)
        return
    }
    #expect(e.path == path, sourceLocation: sourceLocation)
    #expect(e.line == line, sourceLocation: sourceLocation)
    #expect(e.key == key, sourceLocation: sourceLocation)
    let text = e.description
    let prefix = path + (line.map { ":\($0)" } ?? "") + ": " + (key.map { "\($0): " } ?? "")
    #expect(text.hasPrefix(prefix), "\(text)", sourceLocation: sourceLocation)
    #expect(text.contains(problem), "\(text)", sourceLocation: sourceLocation)
    let oneLine = !text.contains(where: \.isNewline)
    #expect(oneLine, "\(text)", sourceLocation: sourceLocation)
}

private let complete = """
    # Client close exhausts a per-socket port range.
    title: Client close exhausts a 100-port range
    description: |
      Each client close leaves its source port in TIME_WAIT for 60 s, so 100 ports at 100/s run out after ~1 s.
    run:                       # any `twload run` option, by its long name without the dashes
      close: client
      source-ports: 40000-40099
      linger: "off"
      threads: 2
      source-addr: [127.0.0.1, 127.0.0.2]   # repeatable options take a list (or a single scalar)
    schedule:                  # optional: rate stages instead of `rate` and `duration`
      - rate: 1000
        for: 5s
      - ramp: [1000, 3000]     # linear from 1000/s to 3000/s
        for: 10s
    sysctl:                    # applied only inside `twload lab`'s private namespace
      net.ipv4.tcp_tw_reuse: 0
      net.ipv4.ip_local_port_range: "40000 40099"
    thresholds:                # capacity gates, each an expression string
      - eaddrnotavail > 0
      - first_eaddrnotavail_s < 1.3

    """

/// A valid profile whose `run` section is `run` (indented by the caller's two spaces).
private func withRun(_ run: String) -> String {
    "title: t\nrun:\n"
        + run.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }
        .joined(separator: "\n") + "\n"
}

@Suite struct ProfileTests {
    // MARK: Valid profiles

    @Test func completeProfileParsesToExactlyTheExpectedValues() throws {
        let p = try Profile.parse(yaml: complete, path: path)
        let expected = Profile(
            path: path,
            title: "Client close exhausts a 100-port range",
            description: "Each client close leaves its source port in TIME_WAIT for 60 s, "
                + "so 100 ports at 100/s run out after ~1 s.",
            options: [
                "close": ProfileValue(values: ["client"], line: 6),
                "source-ports": ProfileValue(values: ["40000-40099"], line: 7),
                "linger": ProfileValue(values: ["off"], line: 8),
                "threads": ProfileValue(values: ["2"], line: 9),
                "source-addr": ProfileValue(values: ["127.0.0.1", "127.0.0.2"], line: 10),
            ],
            schedule: [
                .init(from: 1000, to: 1000, seconds: 5),
                .init(from: 1000, to: 3000, seconds: 10),
            ],
            scheduleLine: 11,
            sysctls: [
                ProfileSysctl(SysctlSetting(key: "net.ipv4.tcp_tw_reuse", value: "0"), line: 17),
                ProfileSysctl(SysctlSetting(key: "net.ipv4.ip_local_port_range", value: "40000 40099"), line: 18),
            ],
            thresholds: [
                ProfileThreshold(text: "eaddrnotavail > 0", line: 20),
                ProfileThreshold(text: "first_eaddrnotavail_s < 1.3", line: 21),
            ]
        )
        #expect(p == expected)
        #expect(p.schedule.map(\.seconds) == [5, 10])
    }

    @Test func titleAloneIsAValidProfile() throws {
        let p = try Profile.parse(yaml: "title: Just a title\n", path: path)
        #expect(p == Profile(path: path, title: "Just a title"))
        #expect(p.scheduleLine == nil)
    }

    @Test func emptySectionsAreTreatedAsAbsent() throws {
        let p = try Profile.parse(yaml: "title: t\ndescription:\nrun:\nschedule:\nsysctl:\nthresholds:\n", path: path)
        #expect(p == Profile(path: path, title: "t"))
    }

    @Test(arguments: [
        ("linger: off", "linger", "off"), ("linger: 0", "linger", "0"), ("linger: Off", "linger", "Off"),
        ("linger: no", "linger", "no"), ("server-linger: on", "server-linger", "on"), ("rate: 1e3", "rate", "1e3"),
        ("rate: 2k", "rate", "2k"), ("rate: 0x10", "rate", "0x10"), ("send: \"a: b\"", "send", "a: b"),
        ("path: '/x?y=1'", "path", "/x?y=1"), ("max-open: 010", "max-open", "010"),
        ("duration: 1.50", "duration", "1.50"),
    ])
    func runValuesKeepTheirOriginalText(line: String, key: String, value: String) throws {
        let p = try Profile.parse(yaml: withRun(line), path: path)
        #expect(p.options == [key: ProfileValue(values: [value], line: 3)])
    }

    @Test func sourceAddrTakesAScalarOrAList() throws {
        let scalar = try Profile.parse(yaml: withRun("source-addr: 127.0.0.2"), path: path)
        #expect(scalar.options["source-addr"] == ProfileValue(values: ["127.0.0.2"], line: 3))

        let block = try Profile.parse(yaml: withRun("rate: 5\nsource-addr:\n  - 127.0.0.2\n  - ::1"), path: path)
        #expect(block.options["source-addr"] == ProfileValue(values: ["127.0.0.2", "::1"], line: 4))
    }

    @Test func rampStageGoesFromFirstToSecondRate() throws {
        let yaml = "title: t\nschedule:\n  - ramp: [2k, 500]\n    for: 1500ms\n"
        let p = try Profile.parse(yaml: yaml, path: path)
        #expect(p.schedule == [.init(from: 2000, to: 500, seconds: 1.5)])
        #expect(p.scheduleLine == 2)
    }

    @Test func everyRunOptionIsAProfileKey() throws {
        let yaml = withRun(RunOption.all.map { "\($0.name): v" }.joined(separator: "\n"))
        let p = try Profile.parse(yaml: yaml, path: path)
        #expect(p.options.count == 34)
        #expect(Set(p.options.keys) == Set(RunOption.all.map(\.name)))
        #expect(p.options["port-binding"]?.values == ["v"])
        #expect(p.options["source-addr"]?.values == ["v"])
    }

    @Test func loadReadsTheFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twload-profile-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("p.yaml").path
        try complete.write(toFile: file, atomically: true, encoding: .utf8)

        let p = try Profile.load(path: file)
        #expect(p.path == file)
        #expect(p.title == "Client close exhausts a 100-port range")
        #expect(p.options["threads"] == ProfileValue(values: ["2"], line: 9))
    }

    // MARK: Mapping ConfigErrors back to the profile

    @Test func configErrorOfARunOptionPointsAtItsLine() throws {
        let p = try Profile.parse(yaml: withRun("close: client\nrate: 0"), path: path)
        let e = p.error(ConfigError("--rate", "must be greater than 0 (got '0')"), key: "rate")
        #expect(e == ProfileError(path: path, line: 4, key: "run.rate", problem: "must be greater than 0 (got '0')"))
        #expect(e.description == "profiles/x.yaml:4: run.rate: must be greater than 0 (got '0')")
        // The option's own name works as the key too.
        #expect(p.error(ConfigError("--rate", "x"), key: "--rate").line == 4)
    }

    @Test func configErrorOfAnOptionTheProfileDoesNotSetHasNoLine() throws {
        let p = try Profile.parse(yaml: "title: t\n", path: path)
        let e = p.error(ConfigError("--rate", "is required (connections per second)"), key: "rate")
        #expect(e.description == "profiles/x.yaml: run.rate: is required (connections per second)")
    }

    // MARK: Errors

    @Test func unknownTopLevelKeyListsTheKnownKeys() {
        expectError(
            "title: t\nrat: 5\n", line: 2, key: nil,
            problem: "unknown key 'rat' (known: title, description, run, schedule, lab, sysctl, thresholds)")
    }

    @Test func unknownRunKeyListsTheRunOptions() {
        expectError(
            withRun("rate: 5\nsource-port: 40000-40099"), line: 4, key: "run",
            problem:
                "unknown key 'source-port' (known: target, rate, duration, ramp, step, concurrency, close, linger, source-ports, "
                + "source-addr, max-open, threads, engine, interval, csv, summary-json, protocol, send, path, "
                + "requests-per-connection, think, expect-status, connect-timeout, timeout, server-linger, "
                + "server-max-requests, server-keepalive-timeout, hold, port-binding, agent, start-at, max-late, "
                + "run-id, out)")
    }

    @Test(arguments: ["rate: 5", "duration: 2s"])
    func aRunRateOrDurationBesideAScheduleIsAnErrorAtItsLine(entry: String) {
        let key = String(entry.prefix { $0 != ":" })
        expectError(
            withRun("close: client\n" + entry) + "schedule:\n  - rate: 10\n    for: 1s\n", line: 4, key: "run.\(key)",
            problem: "conflicts with 'schedule' (line 5), which sets the rate and duration")
    }

    @Test func aScheduleLongerThan366DaysIsAnErrorAtTheStageThatPassesIt() {
        // The probe's profile: 321 stages of 8000 h trapped; the second stage already passes 8784 h.
        let stages = String(repeating: "  - rate: 1\n    for: 8000h\n", count: 321)
        expectError(
            "title: t\nschedule:\n" + stages, line: 5, key: "schedule[1]",
            problem: "brings the schedule to 16000 h; a schedule lasts at most 8784h (366 days) in all")
    }

    @Test func twentyThousandStagesOfExtremeRatesParse() throws {
        let stages = String(repeating: "  - ramp: [1e-300, 1e7]\n    for: 1ms\n", count: 20_000)
        let p = try Profile.parse(yaml: "title: t\nschedule:\n" + stages, path: path)
        #expect(p.schedule.count == 20_000)
        #expect(RateSchedule(stages: p.schedule).durationNanos == 20_000_000_000)
    }

    @Test func unknownStageKeyIsAnError() {
        expectError(
            "title: t\nschedule:\n  - rate: 5\n    for: 1s\n  - rate: 5\n    fro: 1s\n", line: 6, key: "schedule[1]",
            problem: "unknown key 'fro' (known: rate, ramp, for)")
    }

    @Test(arguments: [
        ("title: t\nrun: 5\n", 2, "run", "expected a mapping of `twload run` options (got '5')"),
        ("title: t\nrun:\n  - rate: 5\n", 2, "run", "(got a list)"),
        ("title: t\nthresholds: foo\n", 2, "thresholds", "expected a list of expressions"),
        ("title: t\nthresholds:\n  - a: 1\n", 3, "thresholds[0]", "quote it if it contains ': '"),
        ("title: t\nthresholds:\n  - x > 1\n  - [a]\n", 4, "thresholds[1]", "expected an expression (got a list)"),
        ("title: t\nschedule: 5\n", 2, "schedule", "expected a list of stages"),
        ("title: t\nschedule:\n  - 5\n", 3, "schedule[0]", "expected a stage"),
        ("title: t\nsysctl: [a]\n", 2, "sysctl", "expected a mapping"),
        ("title: t\nsysctl:\n  net.core.somaxconn: [1]\n", 3, "sysctl.net.core.somaxconn", "expected a value"),
        ("title: [a]\n", 1, "title", "expected a one-line name (got a list)"),
        ("title: t\ndescription: {a: 1}\n", 2, "description", "expected text (got a mapping)"),
        ("title: t\nrun:\n  rate: 5\n  source-ports: [1,2]\n", 4, "run.source-ports", "expected a value (got a list)"),
        ("title: t\nrun:\n  target:\n", 3, "run.target", "expected a value (got nothing)"),
        ("title: t\nrun:\n  source-addr: {a: b}\n", 3, "run.source-addr", "expected a value or a list of values"),
        ("title: t\nrun:\n  source-addr:\n    - 127.0.0.1\n    - [a, b]\n", 5, "run.source-addr[1]", "(got a list)"),
        ("title: t\nrun:\n  source-addr: []\n", 3, "run.source-addr", "needs at least one value"),
        ("- title: t\n", 1, nil, "expected a mapping of title, description"),
    ])
    func valueOfTheWrongTypeIsAnError(yaml: String, line: Int, key: String?, problem: String) {
        expectError(yaml, line: line, key: key, problem: problem)
    }

    @Test func missingTitleIsAnError() {
        expectError("\n# no title\nrun:\n  rate: 5\n", line: 3, key: "title", problem: "is required")
    }

    @Test(arguments: ["", "# only a comment\n"])
    func emptyFileNeedsATitle(yaml: String) {
        expectError(yaml, line: nil, key: "title", problem: "is required")
    }

    @Test(arguments: ["title: \"  \"\n", "title: >\n  one\n  \n  two\n"])
    func titleMustBeOneNonEmptyLine(yaml: String) {
        expectError(yaml, line: 1, key: "title", problem: "must")
    }

    @Test func unbalancedBracketIsAYAMLErrorWithItsLine() {
        let yaml = "title: t\nrun:\n  source-addr: [127.0.0.1, 127.0.0.2\n  rate: 5\n"
        expectError(yaml, line: 4, key: nil, problem: "invalid YAML: ")
        #expect(parseError(yaml)?.problem.contains("flow sequence") == true)
        #expect(parseError(yaml)?.problem.contains("at line 3") == true)
    }

    @Test func tabIndentationIsAYAMLErrorWithItsLine() {
        expectError("title: t\nrun:\n\trate: 5\n", line: 3, key: nil, problem: "invalid YAML: ")
    }

    @Test func unterminatedQuoteIsAYAMLError() {
        expectError("title: t\nrun:\n  send: \"abc\n  rate: 5\n", line: 5, key: nil, problem: "invalid YAML: ")
    }

    @Test func repeatedKeyIsAnError() {
        expectError(
            "title: t\nschedule:\n  - rate: 5\n    for: 1s\n    rate: 6\n", line: 5, key: nil,
            problem: "key 'rate' is set twice (first at line 3)")
    }

    @Test func missingFileIsAnErrorWithoutALine() {
        let missing = "/nonexistent-twload-dir/profile.yaml"
        let expected = ProfileError(
            path: missing, line: nil, key: nil, problem: "cannot read: No such file or directory")
        #expect(throws: expected) { try Profile.load(path: missing) }
        let e = #expect(throws: ProfileError.self) { try Profile.load(path: missing) }
        #expect(e?.description == "/nonexistent-twload-dir/profile.yaml: cannot read: No such file or directory")
    }

    @Test func directoryIsAnErrorWithoutALine() {
        let e = #expect(throws: ProfileError.self) { try Profile.load(path: "/") }
        #expect(e?.line == nil)
        #expect(e?.description.hasPrefix("/: cannot read: ") == true)
    }

    @Test func stageWithBothRateAndRampIsAnError() {
        expectError(
            "title: t\nschedule:\n  - rate: 5\n    for: 1s\n  - rate: 5\n    ramp: [1, 2]\n    for: 1s\n", line: 6,
            key: "schedule[1]", problem: "has both 'rate' and 'ramp'")
    }

    @Test func stageWithNeitherRateNorRampIsAnError() {
        expectError("title: t\nschedule:\n  - for: 1s\n", line: 3, key: "schedule[0]", problem: "needs 'rate'")
    }

    @Test func stageWithoutForIsAnError() {
        expectError(
            "title: t\nschedule:\n  - rate: 5\n    for: 1s\n  - rate: 5\n", line: 5, key: "schedule[1].for",
            problem: "is required")
    }

    @Test func badDurationInAStageIsAnError() {
        expectError(
            "title: t\nschedule:\n  - rate: 5\n    for: 1s\n  - ramp: [1, 2]\n    for: 5 parsecs\n", line: 6,
            key: "schedule[1].for", problem: "expected a duration such as 30s, 500ms or 2m (got '5 parsecs')")
    }

    @Test func badRatesInAStageAreErrors() {
        expectError(
            "title: t\nschedule:\n  - rate: 0\n    for: 1s\n", line: 3, key: "schedule[0].rate",
            problem: "must be greater than 0 (got '0')")
        expectError(
            "title: t\nschedule:\n  - ramp: [5, fast]\n    for: 1s\n", line: 3, key: "schedule[0].ramp[1]",
            problem: "(got 'fast')")
        expectError(
            "title: t\nschedule:\n  - ramp: [5]\n    for: 1s\n", line: 3, key: "schedule[0].ramp",
            problem: "expected [from, to]")
    }

    @Test(arguments: [
        "kernel.pid_max", "net/ipv4/tcp_tw_reuse", "net.ipv4..x", "net.", "net", "net.ipv4.conf.veth-a.rp_filter",
    ])
    func sysctlOutsideNetIsAnError(key: String) {
        expectError(
            "title: t\nsysctl:\n  net.core.somaxconn: 128\n  \(key): 1\n", line: 4, key: "sysctl.\(key)",
            problem: "expected a dotted net. name")
    }

    @Test(arguments: [
        ("net.ipv4.tcp_tw_reuse: 7", "sysctl.net.ipv4.tcp_tw_reuse", "expected 0, 1 or 2 (got '7')"),
        ("net.ipv4.tcp_tw_reuse: yes", "sysctl.net.ipv4.tcp_tw_reuse", "expected a whole number like the current"),
        (
            "net.ipv4.ip_local_port_range: \"40000\"", "sysctl.net.ipv4.ip_local_port_range",
            "expected 2 whole numbers like the current"
        ),
        (
            "net.ipv4.ip_local_port_range: \"0 100\"", "sysctl.net.ipv4.ip_local_port_range",
            "expected two ports from 1 to 65535, low first (got '0 100')"
        ),
        ("net.ipv4.no_such_knob: 1", "sysctl.net.ipv4.no_such_knob", "this kernel has no such setting"),
    ])
    func badSysctlValueIsAnErrorAtItsLineBeforeAnythingIsWritten(entry: String, key: String, problem: String) {
        // The probe: a bad net.* value exited 71 with no file:line, after the namespace was set up.
        expectError("title: t\nsysctl:\n  net.core.somaxconn: 128\n  \(entry)\n", line: 4, key: key, problem: problem)
    }

    @Test func problemQuotingAMultiLineValueStaysOnOneLine() {
        expectError(
            "title: t\nschedule:\n  - rate: 5\n    for: \"1\\nday\"\n", line: 4, key: "schedule[0].for",
            problem: "(got '1\\nday')")
    }
}
