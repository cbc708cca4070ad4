import Foundation
import Testing
import TwloadTestSupport
import Yams

/// The deploy/ launchers (issue 16) from the outside: the Kubernetes Job deploy/k8s/render.sh prints, against
/// the API's schema (PyPI's `kubernetes-validate`) and read back as YAML; deploy/ssh/launch.sh's dry run; and
/// both scripts' refusals. Nothing here runs an agent or sends a packet.
@Suite struct DeployTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let render = repository.appendingPathComponent("deploy/k8s/render.sh").path
    static let launch = repository.appendingPathComponent("deploy/ssh/launch.sh").path
    /// The Kubernetes version the manifests are checked against: the first in which backoffLimitPerIndex is GA.
    static let kubernetesVersion = "1.33.0"

    /// A Python with `kubernetes_validate`: $TWLOAD_PYTHON (`.ci/run` makes a virtual environment and sets it),
    /// else python3 if it has the package; nil otherwise.
    static let python: String? = {
        var candidates: [String] = []
        if let p = ProcessInfo.processInfo.environment["TWLOAD_PYTHON"] { candidates.append(p) }
        for dir in ["/usr/local/bin", "/usr/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/python3") {
            candidates.append("\(dir)/python3")
        }
        return candidates.first { p in (try? run(p, ["-c", "import kubernetes_validate"]).status) == 0 }
    }()
    static let noPython =
        "skipped: no python3 with kubernetes_validate (.ci/run installs it in a virtual environment and sets TWLOAD_PYTHON)"

    typealias Mapping = [String: Any]

    typealias Output = TestProcess.Output

    /// Runs `executable` with `arguments` and waits for it (these scripts end in well under a second).
    static func run(_ executable: String, _ arguments: [String]) throws -> Output {
        try TestProcess.run(executable, arguments)
    }

    /// The options both launchers get in these tests, so that their agents' command lines can be compared.
    static let common = [
        "--target", "192.0.2.10:80", "--rate", "9k", "--duration", "2m", "--run-id", "fleet-1",
        "--start-at", "2030-01-01T00:00:00Z",
    ]
    static let extra = ["--", "--close", "client", "--send", "GET / it's\\r\\n"]

    /// Renders a Job for 3 agents with `--network network`; returns the manifest's text.
    static func renderJob(network: String) throws -> String {
        let out = try run(
            render,
            ["--agents", "3", "--image", "registry.example/twload:1", "--results-claim", "twload-results"]
                + ["--network", network] + common + extra)
        #expect(out.status == 0, "\(out.stderr)")
        return out.stdout
    }

    /// Writes `text` to a new temporary file; returns its path.
    static func temporaryFile(_ text: String, suffix: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("twload-deploy-\(UUID())\(suffix)")
            .path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Validates `manifest` with kubernetes-validate in strict mode; returns its complaint, or nil when valid.
    static func validationError(_ manifest: String) throws -> String? {
        let python = try #require(python)
        let path = try temporaryFile(manifest, suffix: ".yaml")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let out = try run(
            python, ["-m", "kubernetes_validate", "--strict", "--kubernetes-version", kubernetesVersion, path])
        return out.status == 0 ? nil : out.stdout + out.stderr
    }

    /// The Job's pod spec and its one container, from the manifest's YAML.
    static func podSpec(_ manifest: String) throws -> (job: Mapping, pod: Mapping, container: Mapping) {
        let job = try #require(try Yams.load(yaml: manifest) as? [String: Any])
        let spec = try #require(job["spec"] as? [String: Any])
        let template = try #require(spec["template"] as? [String: Any])
        let pod = try #require(template["spec"] as? [String: Any])
        let containers = try #require(pod["containers"] as? [[String: Any]])
        #expect(containers.count == 1)
        return (spec, pod, try #require(containers.first))
    }

    /// Splits a line the way a POSIX shell would split its words, for the quoting deploy/lib.sh writes: plain
    /// words, 'single-quoted' text and backslash escapes outside quotes.
    static func shellWords(_ line: String) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quoted = false
        var escaped = false
        for c in line {
            if escaped {
                word.append(c)
                escaped = false
            } else if quoted {
                if c == "'" { quoted = false } else { word.append(c) }
            } else if c == "'" {
                quoted = true
                inWord = true
            } else if c == "\\" {
                escaped = true
                inWord = true
            } else if c == " " {
                if inWord { words.append(word) }
                word = ""
                inWord = false
            } else {
                word.append(c)
                inWord = true
            }
        }
        if inWord { words.append(word) }
        return words
    }

    /// The agents' commands in launch.sh's dry-run output: each agent's host, the environment it gets and the
    /// twload arguments after `twload` (which is `/opt/twload` in these tests).
    static func dryRunAgents(_ stdout: String) throws -> [(host: String, env: String, args: [String])] {
        try stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix("timeout -k") }.map { line in
            let words = shellWords(line)
            let ssh = try #require(words.firstIndex(of: "--"))
            #expect(words.count == ssh + 3, "\(line)")
            let remote = shellWords(words[ssh + 2])
            let env = try #require(remote.first { $0.hasPrefix("JOB_COMPLETION_INDEX=") })
            let twload = try #require(remote.firstIndex(of: "/opt/twload"))
            return (words[ssh + 1], env, Array(remote[(twload + 1)...]))
        }
    }

    @Test(arguments: ["host", "pod"])
    func renderedJobsPassKubernetesValidateInStrictMode(network: String) throws {
        guard Self.python != nil else {
            print(Self.noPython)
            return
        }
        let manifest = try Self.renderJob(network: network)
        let complaint = try Self.validationError(manifest)
        #expect(complaint == nil, "\(complaint ?? "")")
    }

    @Test func theValidatorRejectsAMisspelledFieldAndAWrongType() throws {
        guard Self.python != nil else {
            print(Self.noPython)
            return
        }
        // The schema has no enums, so it would let `completionMode: Indexd` through: the YAML tests below
        // check the values. Strict mode refuses an unknown field, and the schema a count that is not a number.
        let manifest = try Self.renderJob(network: "host")
        let misspelled = manifest.replacingOccurrences(of: "backoffLimitPerIndex:", with: "backoffLimitPerIndx:")
        let complaint = try #require(try Self.validationError(misspelled))
        #expect(complaint.contains("backoffLimitPerIndx"), "\(complaint)")
        let wrongType = manifest.replacingOccurrences(of: "completions: 3", with: "completions: three")
        #expect(wrongType != manifest)
        let typeComplaint = try #require(try Self.validationError(wrongType))
        #expect(typeComplaint.contains("completions"), "\(typeComplaint)")
    }

    @Test func hostNetworkJobIsIndexedWithoutRetriesAndKeepsOneAgentPerNode() throws {
        let (job, pod, _) = try Self.podSpec(try Self.renderJob(network: "host"))
        #expect(job["completionMode"] as? String == "Indexed")
        #expect(job["completions"] as? Int == 3)
        #expect(job["parallelism"] as? Int == 3)
        #expect(job["backoffLimitPerIndex"] as? Int == 0)
        #expect(pod["restartPolicy"] as? String == "Never", "backoffLimitPerIndex requires it")
        #expect((job["ttlSecondsAfterFinished"] as? Int).map { $0 > 0 } == true)
        #expect(pod["hostNetwork"] as? Bool == true)
        #expect(pod["dnsPolicy"] as? String == "ClusterFirstWithHostNet")
        let affinity = try #require((pod["affinity"] as? [String: Any])?["podAntiAffinity"] as? [String: Any])
        let required = try #require(affinity["requiredDuringSchedulingIgnoredDuringExecution"] as? [[String: Any]])
        #expect(required.count == 1)
        #expect(required.first?["topologyKey"] as? String == "kubernetes.io/hostname")
        let selector = try #require(
            (required.first?["labelSelector"] as? [String: Any])?["matchLabels"] as? [String: String])
        let labels = try #require(
            ((job["template"] as? [String: Any])?["metadata"] as? [String: Any])?["labels"] as? [String: String])
        #expect(!selector.isEmpty && selector.allSatisfy { labels[$0.key] == $0.value }, "it selects the Job's pods")
        #expect((pod["securityContext"] as? [String: Any])?["sysctls"] == nil, "a node's sysctls are not ours")
    }

    @Test func podNetworkJobWidensItsOwnPortRangeWithASafeSysctl() throws {
        let (job, pod, _) = try Self.podSpec(try Self.renderJob(network: "pod"))
        #expect(job["completionMode"] as? String == "Indexed")
        #expect(job["backoffLimitPerIndex"] as? Int == 0)
        #expect(pod["hostNetwork"] == nil)
        let sysctls = try #require((pod["securityContext"] as? [String: Any])?["sysctls"] as? [[String: String]])
        #expect(sysctls == [["name": "net.ipv4.ip_local_port_range", "value": "1024 65535"]])
        let affinity = (pod["affinity"] as? [String: Any])?["podAntiAffinity"] as? [String: Any]
        #expect(affinity?["requiredDuringSchedulingIgnoredDuringExecution"] == nil, "agents may share a node")
    }

    @Test func theContainerTakesItsIndexFromADeclaredDownwardAPIVariable() throws {
        let (_, pod, container) = try Self.podSpec(try Self.renderJob(network: "host"))
        let env = try #require(container["env"] as? [[String: Any]])
        let index = try #require(env.first { $0["name"] as? String == "JOB_COMPLETION_INDEX" })
        let field = (index["valueFrom"] as? [String: Any])?["fieldRef"] as? [String: String]
        #expect(field?["fieldPath"] == "metadata.annotations['batch.kubernetes.io/job-completion-index']")
        let args = try #require(container["args"] as? [String])
        #expect(Array(args.prefix(3)) == ["run", "--agent", "$(JOB_COMPLETION_INDEX)/3"])
        #expect(args.contains("/results/fleet-1"))
        let mounts = try #require(container["volumeMounts"] as? [[String: String]])
        #expect(mounts == [["name": "results", "mountPath": "/results"]])
        let volumes = try #require(pod["volumes"] as? [[String: Any]])
        let claim = (volumes.first?["persistentVolumeClaim"] as? [String: String])?["claimName"]
        #expect(claim == "twload-results")
    }

    @Test func sshDryRunStartsEachHostsAgentWithTheJobsArguments() throws {
        let hosts = try Self.temporaryFile("h0.example\nops@h1.example\n\n# spare\nh2.example\n", suffix: ".hosts")
        defer { try? FileManager.default.removeItem(atPath: hosts) }
        let out = try Self.run(
            Self.launch,
            ["--hosts", hosts, "--remote-out", "/results", "--twload", "/opt/twload", "--dry-run"] + Self.common
                + Self.extra)
        #expect(out.status == 0, "\(out.stderr)")
        let agents = try Self.dryRunAgents(out.stdout)
        #expect(agents.map(\.host) == ["h0.example", "ops@h1.example", "h2.example"])
        #expect(agents.map(\.env) == (0..<3).map { "JOB_COMPLETION_INDEX=\($0)" })
        let (_, _, container) = try Self.podSpec(try Self.renderJob(network: "host"))
        let jobArgs = try #require(container["args"] as? [String])
        for (i, agent) in agents.enumerated() {
            let expected = jobArgs.map { $0.replacingOccurrences(of: "$(JOB_COMPLETION_INDEX)", with: "\(i)") }
            #expect(agent.args == expected, "agent \(i)")
        }
        #expect(out.stdout.contains(" merge ") && out.stdout.contains("--expect 3"), "\(out.stdout)")
    }

    @Test func aLeadGivesEveryAgentTheSameStartTimeThatManySecondsAhead() throws {
        let hosts = try Self.temporaryFile("a\nb\nc\n", suffix: ".hosts")
        defer { try? FileManager.default.removeItem(atPath: hosts) }
        let before = Date()
        let out = try Self.run(
            Self.launch,
            ["--hosts", hosts, "--twload", "/opt/twload", "--dry-run", "--lead", "300"]
                + ["--target", "192.0.2.10:80", "--rate", "100", "--duration", "10"])
        #expect(out.status == 0, "\(out.stderr)")
        let starts = try Self.dryRunAgents(out.stdout).map { agent in
            try #require(agent.args.firstIndex(of: "--start-at").map { agent.args[$0 + 1] })
        }
        #expect(starts.count == 3 && Set(starts).count == 1, "\(starts)")
        let first = try #require(starts.first)
        let start = try #require(ISO8601DateFormatter().date(from: first))
        #expect(abs(start.timeIntervalSince(before) - 300) < 5, "now + lead: \(start) from \(before)")
    }

    /// A hosts file that lists one host.
    static let oneHost: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("twload-deploy-one-\(UUID()).hosts")
        _ = FileManager.default.createFile(atPath: path.path, contents: Data("h0.example\n".utf8))
        return path.path
    }()

    /// A script, its arguments, and what its one-line error must say.
    static let badInputs: [(script: String, arguments: [String], message: String)] = [
        (render, ["--image", "i", "--results-claim", "c"] + common, "render.sh: error: --agents is required"),
        (
            render, ["--agents", "0", "--image", "i", "--results-claim", "c"] + common,
            "render.sh: error: --agents: '0' must be at least 1"
        ),
        (
            render, ["--agents", "2", "--image", "i", "--results-claim", "c"] + common + ["--rate", "fast"],
            "render.sh: error: --rate: 'fast' is not a positive number"
        ),
        (render, ["--agents", "2", "--replicas", "2"], "render.sh: error: unknown option '--replicas'"),
        (
            render, ["--agents", "2", "--image", "i", "--results-claim", "c", "--network", "overlay"] + common,
            "render.sh: error: --network: 'overlay' is neither host nor pod"
        ),
        (launch, common, "launch.sh: error: --hosts is required"),
        (launch, ["--hosts", "/dev/null"] + common, "launch.sh: error: --hosts: '/dev/null' lists no hosts"),
        (
            launch, ["--hosts", oneHost] + common + ["--rate", "1e3"],
            "launch.sh: error: --rate: '1e3' is not a positive number"
        ),
        (launch, ["--hosts", oneHost, "--parallel"], "launch.sh: error: unknown option '--parallel'"),
        (
            launch, ["--hosts", oneHost] + common + ["--", "--agent", "1/2"],
            "launch.sh: error: extra option '--agent': the launcher sets it"
        ),
    ]

    @Test(arguments: 0..<badInputs.count)
    func badInputExitsTwoWithOneLineNamingTheCulprit(index: Int) throws {
        let (script, arguments, message) = Self.badInputs[index]
        let out = try Self.run(script, arguments)
        #expect(out.status == 2, "\(arguments): \(out.stderr)")
        #expect(out.stdout.isEmpty, "\(out.stdout)")
        let lines = out.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.hasPrefix(message) == true, "\(out.stderr)")
    }
}
