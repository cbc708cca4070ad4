import Foundation
import Testing

/// Where the CSV goes when its destination is awkward, and what ends a run early. Runs outside a namespace
/// send at most a few dozen connections over loopback.
struct OutputTests {
    /// A fresh scratch directory.
    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twload-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A FIFO in a fresh directory.
    static func fifo() throws -> String {
        let path = try scratch().appendingPathComponent("rows.fifo").path
        #expect(mkfifo(path, 0o600) == 0)
        return path
    }

    /// `run` and `watch` share the way they open `--csv`.
    static let commands: [[String]] = [["--rate", "10", "--duration", "1s"], ["watch", "--duration", "1s"]]

    /// Nobody opens the FIFO for reading: twload says so within about 1 s, naming the path, and exits 73
    /// before it opens any socket. (It used to block in open() forever.)
    @Test(arguments: commands)
    func csvToAFIFOWithNoReaderFailsWithinASecondNamingIt(command: [String]) throws {
        let fifo = try Self.fifo()
        let start = Date()
        let out = try Harness.twload(command + ["--csv", fifo], timeout: 10)
        let elapsed = Date().timeIntervalSince(start)
        #expect(out.status == 73, "\(out.stderr)")
        #expect(out.stderr == "twload: error: --csv: \(fifo): a FIFO with no reader after 1 s\n")
        #expect(out.stdout.isEmpty)
        #expect((0.9...3).contains(elapsed), "gave up after \(elapsed) s")
    }

    /// While it waits for the FIFO's reader, SIGINT and SIGQUIT end twload at once, as they end any
    /// command (the run has not blocked them yet), and SIGQUIT prints no backtrace. The harness starts
    /// twload from a libdispatch thread, with nearly every signal blocked: twload unblocks its own.
    @Test(arguments: [SIGINT, SIGQUIT])
    func waitingForAFIFOReaderEndsOnTheSignal(signal: Int32) throws {
        let fifo = try Self.fifo()
        let start = Date()
        let out = try Harness.run(Harness.binary, ["--rate", "10", "--duration", "1s", "--csv", fifo], timeout: 10) {
            p in
            Thread.sleep(forTimeInterval: 0.3)
            kill(p.processIdentifier, signal)
        }
        let elapsed = Date().timeIntervalSince(start)
        #expect(elapsed < 0.9, "still waiting \(elapsed) s after start (signal sent at 0.3 s)")
        #expect(out.status == signal || out.status == 128 + signal, "status \(out.status): \(out.stderr)")
        #expect(out.stderr.isEmpty, "\(out.stderr)")
    }

    /// With standard output closed (`>&-`), the CSV has nowhere to go: one line says so and the status is
    /// 73, before any socket is opened. (The first socket used to get descriptor 1, and the header went to
    /// a TCP peer.)
    @Test(arguments: commands)
    func csvToAClosedStdoutExits73BeforeAnySocket(command: [String]) throws {
        let out = try Harness.run("/bin/bash", ["-c", #"exec "$0" "$@" >&-"#, Harness.binary] + command, timeout: 20)
        #expect(out.status == 73, "\(out.stderr)")
        #expect(
            out.stderr
                == "twload: error: --csv -: standard output is closed; give --csv FILE, or --csv /dev/null to discard the rows\n"
        )
    }

    /// With standard output closed and `--csv FILE`, the run goes on; descriptor 1 is /dev/null for the
    /// whole run, never a socket, and the file gets every row.
    @Test func aClosedStdoutIsDevNullWhileTheRunWritesItsFile() throws {
        let dir = try Self.scratch()
        let out = try Harness.run(
            "/bin/bash",
            [
                "-c",
                """
                "$0" --rate 20 --duration 1500ms --linger 0 --csv "$1/run.csv" >&- 2>"$1/err.txt" & P=$!
                sleep 0.8
                readlink /proc/$P/fd/1 > "$1/fd1.txt"
                wait $P
                """,
                Harness.binary, dir.path,
            ], timeout: 30)
        #expect(out.status == 0, "\(Harness.read(dir.appendingPathComponent("err.txt")))")
        #expect(Harness.read(dir.appendingPathComponent("fd1.txt")) == "/dev/null\n")
        let csv = CSV(Harness.read(dir.appendingPathComponent("run.csv")))
        #expect(csv.sum("attempted") == 30, "\(csv.rows)")
    }

    /// SIGQUIT (Ctrl-\) stops a run as SIGTERM does: the partial last row, the summary, status 128 + 3. The
    /// Swift runtime's handler for it, which prints every thread's backtrace and lets the run go on, never
    /// runs.
    @Test func sigquitEndsTheRunWithAPartialRowAndTheSummaryAndNoBacktrace() throws {
        let out = try Harness.run(Harness.binary, ["--rate", "50", "--duration", "30s", "--linger", "0"], timeout: 20) {
            p in
            Thread.sleep(forTimeInterval: 1.6)
            kill(p.processIdentifier, SIGQUIT)
        }
        #expect(out.status == 131, "\(out.stderr)")
        // The signal comes 1.6 s after the process starts; on a busy machine the run's clock starts later.
        let csv = CSV(out.stdout)
        let elapsed = csv.doubles("elapsed_s")
        #expect((1...2).contains(elapsed.count), "\(out.stdout)")
        #expect(elapsed.dropLast() == [1.0].prefix(elapsed.count - 1), "whole intervals first: \(elapsed)")
        #expect((0.5...1.9).contains(elapsed.last ?? 0), "partial last row: \(elapsed)")
        #expect(csv.rows.allSatisfy { $0.count == csv.header.count })
        #expect(out.stdout.hasSuffix("\n"))
        #expect(out.stderr.contains("twload summary:"))
        #expect(!out.stderr.contains("Backtracing") && !out.stderr.contains("crashed"), "\(out.stderr)")
    }

    /// `watch` and `serve` stop on SIGQUIT as on SIGINT and SIGTERM: the last row (watch), the counters
    /// (serve), status 0.
    @Test func sigquitStopsWatchWithItsLastRow() throws {
        let out = try Harness.run(Harness.binary, ["watch", "--interval", "200ms", "--duration", "10s"], timeout: 20) {
            p in
            Thread.sleep(forTimeInterval: 0.9)
            kill(p.processIdentifier, SIGQUIT)
        }
        #expect(out.status == 0, "\(out.stderr)")
        let rows = CSV(out.stdout).doubles("elapsed_s")
        #expect(!rows.isEmpty, "\(out.stdout)")
        #expect((rows.last ?? 10) < 2, "stopped early: \(rows)")
        #expect(out.stderr.hasSuffix("twload: watch: \(rows.count) rows written\n"), "\(out.stderr)")
    }

    @Test func sigquitStopsServeWithItsCounters() throws {
        let start = Date()
        let out = try Harness.run(
            Harness.binary, ["serve", "--listen", "127.0.0.1:0", "--duration", "10s"], timeout: 20
        ) { p in
            Thread.sleep(forTimeInterval: 0.7)
            kill(p.processIdentifier, SIGQUIT)
        }
        let elapsed = Date().timeIntervalSince(start)
        #expect(elapsed < 5, "served \(elapsed) s: SIGQUIT did not stop it")
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("twload serve: accepted 0"), "\(out.stderr)")
        #expect(!out.stderr.contains("Backtracing"), "\(out.stderr)")
    }
}

extension NamespaceTests {
    /// Outputs that need a namespace: a FIFO read by another process while load runs, a full disk (a small
    /// tmpfs in a private mount namespace), and the lab stopped by SIGQUIT.
    @Suite struct OutputNamespaceTests {
        /// The reader may come before twload opens the FIFO or up to 1 s after: `run` here meets a reader
        /// that starts 0.3 s late, `watch` one that is already there. Both get every row.
        @Test func csvToAFIFOWithAReaderGetsEveryRow() throws {
            let (out, dir) = try Harness.inNamespace(
                """
                mkfifo "$DIR/run.fifo" "$DIR/watch.fifo"
                (sleep 0.3; cat "$DIR/run.fifo" > "$DIR/run.csv") & R=$!
                st=0; "$TWLOAD" --rate 20 --duration 1s --csv "$DIR/run.fifo" 2>"$DIR/run.err" || st=$?
                echo $st > "$DIR/run.status"; wait $R
                cat "$DIR/watch.fifo" > "$DIR/watch.csv" & R=$!
                st=0; "$TWLOAD" watch --interval 100ms --duration 500ms --csv "$DIR/watch.fifo" 2>/dev/null || st=$?
                echo $st > "$DIR/watch.status"; wait $R
                """, timeout: 60)
            #expect(out.status == 0, "\(out.stderr)")
            #expect(
                Harness.read(dir.appendingPathComponent("run.status")) == "0\n",
                "\(Harness.read(dir.appendingPathComponent("run.err")))")
            let run = CSV(Harness.read(dir.appendingPathComponent("run.csv")))
            #expect(run.header.first == "elapsed_s")
            #expect(run.sum("attempted") == 20, "\(run.rows)")
            #expect(Harness.read(dir.appendingPathComponent("watch.status")) == "0\n")
            let watch = CSV(Harness.read(dir.appendingPathComponent("watch.csv")))
            #expect(watch.doubles("elapsed_s") == [0.1, 0.2, 0.3, 0.4, 0.5], "\(watch.rows)")
        }

        /// The disk fills mid-run (a 64 KiB tmpfs, 56 KiB of it taken, rows every 10 ms): the CSV ends on
        /// its last whole row, every line has the header's fields, the summary is still printed, and the
        /// status is 74. (The file used to end inside a row, with no summary.)
        @Test func fullDiskLeavesTheCSVEndingOnAWholeRowAndStillPrintsTheSummary() throws {
            guard let mount = Harness.which("mount") else {
                print("skipped: needs mount (util-linux) for a small tmpfs")
                return
            }
            let (out, dir) = try Harness.inNamespace(
                """
                mkdir "$DIR/small"
                /usr/bin/unshare -m bash -c '
                  set -e
                  \(mount) -t tmpfs -o size=64k twload-full "$DIR/small"
                  head -c 57344 /dev/zero > "$DIR/small/fill"
                  st=0
                  "$TWLOAD" --rate 50 --interval 10ms --duration 5s --linger 0 --csv "$DIR/small/run.csv" \\
                    2> "$DIR/err.txt" || st=$?
                  echo $st > "$DIR/status.txt"
                  cp "$DIR/small/run.csv" "$DIR/run.csv"
                '
                """, timeout: 60)
            #expect(out.status == 0, "\(out.stderr)")
            let stderr = Harness.read(dir.appendingPathComponent("err.txt"))
            #expect(Harness.read(dir.appendingPathComponent("status.txt")) == "74\n", "\(stderr)")
            let bytes = try Data(contentsOf: dir.appendingPathComponent("run.csv"))
            #expect(bytes.last == UInt8(ascii: "\n"), "the file ends inside a row")
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .dropLast()
            let fields = lines.first?.split(separator: ",", omittingEmptySubsequences: false).count ?? 0
            #expect(fields > 50)
            #expect(lines.count > 3, "the disk should fill mid-run, not at the header: \(lines.count) lines")
            for (i, line) in lines.enumerated() {
                let n = line.split(separator: ",", omittingEmptySubsequences: false).count
                #expect(n == fields, "line \(i + 1) has \(n) fields, the header \(fields)")
            }
            #expect(stderr.contains("twload summary:"), "\(stderr)")
            #expect(
                stderr.hasSuffix(
                    "twload: error: writing the CSV failed: No space left on device; the rows written so far are intact\n"
                ), "\(stderr)")
        }

        /// The lab (its own namespace) stops on SIGQUIT like `run`: partial last row, summary, status 131.
        @Test func sigquitEndsTheLabLikeARun() throws {
            let path = try OutputTests.scratch().appendingPathComponent("lab.csv").path
            let out = try Harness.run(
                Harness.binary, ["lab", "--rate", "50", "--duration", "30s", "--linger", "0", "--csv", path],
                timeout: 20
            ) { p in
                Thread.sleep(forTimeInterval: 1.6)
                kill(p.processIdentifier, SIGQUIT)
            }
            #expect(out.status == 131, "\(out.stderr)")
            let csv = CSV(Harness.read(URL(fileURLWithPath: path)))
            #expect((1...2).contains(csv.doubles("elapsed_s").count), "stopped early: \(csv.rows)")
            #expect(out.stderr.contains("twload summary:"))
            #expect(!out.stderr.contains("Backtracing"), "\(out.stderr)")
        }
    }
}
