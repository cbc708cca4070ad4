import Foundation
import Testing

/// Every shipped lab profile against its own thresholds, the predictions beside the measurements, bad
/// profiles, and the host's sysctls before and after a lab.
extension NamespaceTests {
    @Suite struct LabProfileTests {
        static let profilesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("profiles")

        static let labProfiles: [String] = {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: profilesDirectory.path)) ?? []
            return names.filter { $0.hasSuffix(".yaml") && $0 != "deploy-check.yaml" }.sorted()
        }()

        @Test func everyLabProfileShipsWithThresholds() {
            #expect(Self.labProfiles.count == 17, "\(Self.labProfiles)")
        }

        @Test(arguments: labProfiles)
        func labProfilePassesItsOwnThresholds(name: String) throws {
            let path = Self.profilesDirectory.appendingPathComponent(name).path
            if name.hasPrefix("nat-") || name.hasPrefix("routed-"), let reason = TopologyNamespaceTests.nftUnavailable {
                print("LabProfileTests: \(name) skipped: \(reason)")
                return
            }
            let out = try Harness.twload(["lab", path, "--csv", "/dev/null"], timeout: 60)
            #expect(out.status == 0, "\(name): status \(out.status)\n\(out.stderr)")
            #expect(out.stderr.contains("thresholds ("), "\(name) has thresholds")
            #expect(!out.stderr.contains("FAIL "), "\(out.stderr)")
        }

        /// "first EADDRNOTAVAIL: predicted 1.00 s, measured 1.01 s" → (1.00, 1.01).
        func predictedAndMeasured(_ stderr: String, line prefix: String) -> (Double, Double)? {
            guard let line = stderr.split(separator: "\n").first(where: { $0.contains(prefix) }),
                let start = line.range(of: "predicted ")
            else { return nil }
            let numbers = line[start.upperBound...].split(whereSeparator: { $0 == " " || $0 == "," })
                .compactMap { Double($0) }
            return numbers.count >= 2 ? (numbers[0], numbers[1]) : nil
        }

        @Test func exhaustionOnsetMatchesThePredictionWithin20Percent() throws {
            let path = Self.profilesDirectory.appendingPathComponent("client-close-exhausts-port-range.yaml").path
            let out = try Harness.twload(["lab", path, "--csv", "/dev/null"], timeout: 60)
            let (predicted, measured) = try #require(
                predictedAndMeasured(out.stderr, line: "first EADDRNOTAVAIL:"),
                "\(out.stderr)")
            #expect(predicted == 1.0)
            #expect(abs(measured - predicted) <= 0.2 * predicted, "predicted \(predicted), measured \(measured)")
        }

        @Test func collapseOnsetMatchesThePredictionWithin20Percent() throws {
            let path = Self.profilesDirectory.appendingPathComponent("client-close-collapses-even-half.yaml").path
            let out = try Harness.twload(["lab", path, "--csv", "/dev/null"], timeout: 60)
            let (predicted, measured) = try #require(
                predictedAndMeasured(out.stderr, line: "connect() slow (p99 > 1 ms):"),
                "\(out.stderr)")
            #expect(abs(predicted - 7.06) < 0.01, "14,116 even ports at 2000/s")
            #expect(abs(measured - predicted) <= 0.2 * predicted, "predicted \(predicted), measured \(measured)")
        }

        @Test func deployCheckTemplateGatesARunAgainstAnExternalTarget() throws {
            let path = Self.profilesDirectory.appendingPathComponent("deploy-check.yaml").path
            let (out, dir) = try Harness.inNamespace(
                """
                "$TWLOAD" serve --listen 127.0.0.1:18095 --duration 20 2>/dev/null & S=$!
                for i in $(seq 50); do ss -Hltn '( sport = :18095 )' | grep -q . && break; sleep 0.1; done
                "$TWLOAD" run --profile '\(path)' --target 127.0.0.1:18095 --rate 200 --duration 2 \\
                  --csv /dev/null 2> "$DIR/pass.txt" && echo 0 > "$DIR/pass.status" || echo $? > "$DIR/pass.status"
                "$TWLOAD" run --profile '\(path)' --target 127.0.0.1:18096 --rate 50 --duration 1 \\
                  --csv /dev/null 2> "$DIR/fail.txt" && echo 0 > "$DIR/fail.status" || echo $? > "$DIR/fail.status"
                kill -INT $S; wait $S
                """)
            #expect(out.status == 0, "\(out.stderr)")
            #expect(
                Harness.read(dir.appendingPathComponent("pass.status")).hasPrefix("0"),
                Comment(rawValue: Harness.read(dir.appendingPathComponent("pass.txt"))))
            // Nothing listens on 18096: connections are refused, `failed == 0` fails, exit status 1.
            #expect(
                Harness.read(dir.appendingPathComponent("fail.status")).hasPrefix("1"),
                Comment(rawValue: Harness.read(dir.appendingPathComponent("fail.txt"))))
            #expect(Harness.read(dir.appendingPathComponent("fail.txt")).contains("FAIL  failed == 0"))
        }

        /// Without root, the lab either runs in an unprivileged user + network namespace or, where the kernel
        /// forbids that, stops with one line that says what to do and exit status 77.
        @Test func labWithoutRootUsesAUserNamespaceOrSaysWhatToDo() throws {
            guard let setpriv = Harness.which("setpriv") else {
                print("skipped: setpriv (util-linux) is needed to drop root for this test")
                return
            }
            let out = try Harness.run(
                setpriv,
                [
                    "--reuid=65534", "--regid=65534", "--clear-groups", Harness.binary,
                    "lab", "--rate", "20", "--duration", "1", "--csv", "/dev/null",
                ])
            if out.status == 0 {
                #expect(out.stderr.contains("inside an unprivileged user namespace"), "\(out.stderr)")
                #expect(out.stderr.contains("completed 20"), "\(out.stderr)")
            } else {
                #expect(out.status == 77, "\(out.stderr)")
                #expect(out.stderr.split(separator: "\n").count == 1)
                #expect(out.stderr.contains("run it as root"))
            }
        }

        @Test func labNeverWritesTheHostsSysctls() throws {
            func read(_ key: String) throws -> String {
                try String(contentsOfFile: "/proc/sys/net/ipv4/\(key)", encoding: .utf8)
            }
            let before = (try read("tcp_tw_reuse"), try read("ip_local_port_range"), try read("tcp_max_tw_buckets"))
            let out = try Harness.twload([
                "lab", "--rate", "50", "--duration", "1", "--csv", "/dev/null",
                "--sysctl", "net.ipv4.tcp_tw_reuse=1", "--sysctl", "net.ipv4.ip_local_port_range=40000 40100",
                "--sysctl", "net.ipv4.tcp_max_tw_buckets=77",
            ])
            #expect(out.status == 0, "\(out.stderr)")
            #expect(out.stderr.contains("net.ipv4.tcp_tw_reuse=1"), "the lab applied it in its namespace")
            #expect(out.stderr.contains("ip_local_port_range 40000-40100"), "the preflight saw the lab's range")
            let after = (try read("tcp_tw_reuse"), try read("ip_local_port_range"), try read("tcp_max_tw_buckets"))
            #expect(before == after)
        }
    }
}

/// Bad profiles and lab options: one line naming file, line and key; exit 64 (no privilege needed).
struct BadProfileTests {
    func write(_ yaml: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("twload-\(UUID().uuidString).yaml")
            .path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: [
        ("title: t\nrun:\n  rate: 10\n  rat: 5\n", ":4:", "rat"),
        ("title: t\nrun:\n  rate: [1, 2]\n", ":3:", "run.rate"),
        ("title: t\nrun:\n  rate: 0\n", ":3:", "run.rate"),
        ("title: t\nthresholds:\n  - nonsense > 1\n", ":3:", "thresholds"),
        ("title: t\nrun: [unclosed\n", ":3:", "invalid YAML"),
        ("title: t\nsysctl:\n  kernel.panic: 1\n", ":3:", "kernel.panic"),
    ])
    func badProfileGivesOneLineNamingFileLineAndKey(yaml: String, line: String, key: String) throws {
        let path = try write(yaml)
        let out = try Harness.twload(["run", "--profile", path, "--duration", "1"])
        let lab = try Harness.twload(["lab", path, "--duration", "1"])
        for o in [out, lab] {
            #expect(o.status == 64, "\(o.stderr)")
            #expect(o.stderr.split(separator: "\n").count == 1, "\(o.stderr)")
            #expect(o.stderr.contains(path + line), "\(o.stderr)")
            #expect(o.stderr.contains(key), "\(o.stderr)")
        }
    }

    @Test func missingProfileFileIsOneLineExit64() throws {
        let out = try Harness.twload(["run", "--profile", "/nonexistent/p.yaml"])
        #expect(out.status == 64)
        #expect(out.stderr.contains("/nonexistent/p.yaml: cannot read"))
        #expect(out.stderr.split(separator: "\n").count == 1)
    }

    @Test func labRefusesSysctlsOutsideTheNetworkNamespace() throws {
        let out = try Harness.twload(["lab", "--rate", "10", "--sysctl", "vm.swappiness=1"])
        #expect(out.status == 64)
        #expect(out.stderr.contains("--sysctl"))
    }
}
