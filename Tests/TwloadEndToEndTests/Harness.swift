import Foundation
import Testing
import TwloadTestSupport

/// Runs the built `twload` binary (and shell scripts around it) for end-to-end tests.
enum Harness {
    /// The twload executable next to the test bundle (swift test builds it as a dependency).
    static let binary: String = {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [here, here.deletingLastPathComponent()] {
            let candidate = dir.appendingPathComponent("twload").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/twload").path
    }()

    typealias Output = TestProcess.Output

    /// Runs `executable` with `arguments`, killing it (by PID) if it outlives `timeout` seconds.
    static func run(
        _ executable: String, _ arguments: [String], timeout: Double = 120,
        afterStart: ((Process) -> Void)? = nil
    ) throws -> Output {
        try TestProcess.run(executable, arguments, timeout: timeout, afterStart: afterStart)
    }

    static func twload(_ arguments: [String], timeout: Double = 60) throws -> Output {
        try run(binary, arguments, timeout: timeout)
    }

    /// Runs `twload lab` with `arguments` and `--csv` to a scratch file, and returns its output and rows.
    static func labCSV(_ arguments: [String], timeout: Double = 90) throws -> (out: Output, csv: CSV) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twload-lab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let csvPath = dir.appendingPathComponent("run.csv").path
        let out = try twload(["lab"] + arguments + ["--csv", csvPath], timeout: timeout)
        return (out, CSV(read(URL(fileURLWithPath: csvPath))))
    }

    /// Why namespace tests cannot run here, or nil when they can (root, unshare, ip and ss present).
    static let namespaceUnavailableReason: String? = {
        if getuid() != 0 { return "needs root to create a network namespace (run as root; CI is root)" }
        for tool in ["/usr/bin/unshare", "/usr/bin/ss"] where !FileManager.default.isExecutableFile(atPath: tool) {
            return "needs \(tool) (util-linux / iproute2)"
        }
        if which("ip") == nil { return "needs the ip command (iproute2)" }
        return nil
    }()

    static func which(_ name: String) -> String? {
        for dir in ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"] {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    /// Runs `script` with bash in a fresh network namespace whose loopback is up and whose
    /// tcp_tw_reuse is 0 (so loopback behaves like a real path). `$TWLOAD` is the binary and `$DIR` a
    /// scratch directory; the namespace and its sockets vanish when the script ends.
    static func inNamespace(_ script: String, timeout: Double = 120) throws -> (Output, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twload-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let full = """
            set -e
            export TWLOAD='\(binary)' DIR='\(dir.path)'
            ip link set lo up
            sysctl -qw net.ipv4.tcp_tw_reuse=0
            \(script)
            """
        let output = try run("/usr/bin/unshare", ["-n", "bash", "-c", full], timeout: timeout)
        return (output, dir)
    }

    /// Script lines for `inNamespace` that start Debian's nginx (at `nginx`) on 127.0.0.1:18080 with one worker,
    /// no keep-alive unless `keepAlive` sets it (so it closes first) and `locations` as its server's location
    /// blocks, wait until it listens, and leave its PID in `$NGINX`; the script ends it with
    /// `kill $NGINX; wait $NGINX || true`.
    static func startNginx(_ nginx: String, locations: String, keepAlive: String = "keepalive_timeout 0;") -> String {
        """
        mkdir -p "$DIR/logs"
        cat > "$DIR/nginx.conf" <<CONF
        worker_processes 1;
        daemon off;
        pid $DIR/nginx.pid;
        error_log $DIR/logs/error.log;
        events { worker_connections 4096; }
        http {
          access_log off;
          \(keepAlive)
          client_body_temp_path $DIR; proxy_temp_path $DIR; fastcgi_temp_path $DIR; uwsgi_temp_path $DIR; scgi_temp_path $DIR;
          server { listen 127.0.0.1:18080; \(locations) }
        }
        CONF
        '\(nginx)' -p "$DIR" -c "$DIR/nginx.conf" &
        NGINX=$!
        for i in $(seq 50); do ss -Hltn '( sport = :18080 )' | grep -q . && break; sleep 0.1; done

        """
    }

    /// The path of a shipped profile, e.g. "deploy-check.yaml".
    static func profile(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("profiles").appendingPathComponent(name).path
    }

    static func read(_ url: URL) -> String {
        (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }
}

/// A parsed twload CSV: rows addressed by column name.
struct CSV {
    let header: [String]
    let rows: [[String]]

    init(_ text: String) {
        let lines = text.split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        header = lines.first ?? []
        rows = Array(lines.dropFirst())
    }

    func column(_ name: String) -> [String] {
        guard let i = header.firstIndex(of: name) else { return [] }
        return rows.map { i < $0.count ? $0[i] : "" }
    }

    func ints(_ name: String) -> [Int] { column(name).map { Int($0) ?? -1 } }
    func doubles(_ name: String) -> [Double] { column(name).map { Double($0) ?? -1 } }
    func sum(_ name: String) -> Int { ints(name).reduce(0, +) }
}

/// TIME_WAIT sockets by side, from `ss -Htan state time-wait` output, relative to the server's port.
struct TimeWaitCensus {
    var client = 0
    var server = 0
    var total = 0

    init(ss: String, serverPort: Int) {
        for line in ss.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // -H state filter output: Recv-Q Send-Q Local:Port Peer:Port
            guard fields.count >= 4 else { continue }
            total += 1
            let local = Int(fields[2].split(separator: ":").last ?? "") ?? -1
            let peer = Int(fields[3].split(separator: ":").last ?? "") ?? -1
            if peer == serverPort { client += 1 }
            if local == serverPort { server += 1 }
        }
    }
}

/// The port the built-in server announced on stderr ("built-in server on 127.0.0.1:PORT").
func builtinServerPort(_ stderr: String) -> Int? {
    guard let r = stderr.range(of: "built-in server on ") else { return nil }
    let rest = stderr[r.upperBound...].prefix { !$0.isWhitespace }
    return Int(rest.split(separator: ":").last ?? "")
}

/// Every test that runs load in a private network namespace, one at a time (nested suites inherit
/// `.serialized`), so that no two load runs share the two cores.
@Suite(
    .serialized,
    .enabled(
        if: Harness.namespaceUnavailableReason == nil,
        Comment(rawValue: Harness.namespaceUnavailableReason ?? "")))
enum NamespaceTests {}
