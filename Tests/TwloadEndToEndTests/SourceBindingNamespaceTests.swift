import Foundation
import Testing

/// Source addresses and source-port binding modes, in private namespaces.
extension NamespaceTests {
    @Suite struct SourceBindingNamespaceTests {
        func run(_ script: String) throws -> (csv: CSV, stderr: String) {
            let (out, dir) = try Harness.inNamespace(script + "\n")
            #expect(out.status == 0, "\(out.stderr)")
            return (
                CSV(Harness.read(dir.appendingPathComponent("run.csv"))),
                Harness.read(dir.appendingPathComponent("err.txt"))
            )
        }

        @Test func twoSourceAddressesDoubleThePortBudget() throws {
            // 100 ports per address at 100/s: one address runs dry after 1 s, two last 2 s.
            let r = try run(
                """
                "$TWLOAD" --rate 100 --duration 2 --close client --source-ports 40000-40099 \
                  --source-addr 127.0.0.1 --source-addr 127.0.0.2 --csv "$DIR/run.csv" 2> "$DIR/err.txt"
                """)
            #expect(r.csv.sum("attempted") == 200)
            #expect(r.csv.sum("eaddrnotavail") == 0, "\(r.stderr)")
            #expect(r.csv.sum("completed") == 200)
        }

        @Test func explicitBindCountsEaddrinuseOnceTheRangeIsHeld() throws {
            let r = try run(
                """
                "$TWLOAD" --rate 100 --duration 2 --close client --threads 1 --source-ports 40000-40099 \
                  --port-binding bind --csv "$DIR/run.csv" 2> "$DIR/err.txt"
                """)
            let inUse = r.csv.ints("eaddrinuse")
            #expect(inUse.first == 0, "\(inUse)")
            #expect((inUse.last ?? 0) >= 90, "\(inUse)")
            #expect(r.csv.sum("eaddrnotavail") == 0)
        }

        @Test func sourcePortsOutsideTheSystemRangeWarnThatTheKernelClamps() throws {
            let r = try run(
                """
                sysctl -qw net.ipv4.ip_local_port_range="40000 40049"
                "$TWLOAD" --rate 20 --duration 1 --close client --linger 0 --source-ports 39950-40099 \
                  --csv "$DIR/run.csv" 2> "$DIR/err.txt"
                """)
            #expect(
                r.stderr.contains(
                    "warning: --source-ports 39950-40099 is outside net.ipv4.ip_local_port_range 40000-40049"),
                "\(r.stderr)")
            #expect(r.stderr.contains("only 40000-40049 (50 ports) will be used"))
            #expect(r.csv.sum("completed") == 20)
        }

        @Test func lingerSecondsClosesOffTheLoopAndCompletes() throws {
            let r = try run(
                """
                "$TWLOAD" --rate 100 --duration 1 --close client --linger 2 --csv "$DIR/run.csv" 2> "$DIR/err.txt"
                """)
            #expect(r.csv.sum("completed") == 100, "\(r.stderr)")
            #expect(r.csv.sum("active_closes") == 100)
            #expect(r.csv.sum("server_passive_closes") == 100)
        }
    }
}
