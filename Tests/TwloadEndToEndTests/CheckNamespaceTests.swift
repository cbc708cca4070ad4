import Foundation
import Testing

/// `twload check` as a preflight gate, in a namespace where loopback reuses no TIME_WAIT (tcp_tw_reuse=0).
extension NamespaceTests {
    @Suite struct CheckNamespaceTests {
        @Test(arguments: [("30", 1, "FAIL: connect() would slow at 7.06 s"), ("5", 0, "OK: no port exhaustion")])
        func checkFailsWhenTheCollapseComesWithinTheDuration(duration: String, status: Int, verdict: String) throws {
            // At 2,000/s the even half of the default range (14,116 ports) is held after 7.06 s.
            let (out, dir) = try Harness.inNamespace(
                """
                set +e
                "$TWLOAD" check --rate 2000 --close client --duration \(duration) 2> "$DIR/err.txt"
                echo $? > "$DIR/status"
                exit 0
                """, timeout: 30)
            #expect(out.status == 0, "\(out.stderr)")
            let err = Harness.read(dir.appendingPathComponent("err.txt"))
            #expect(Harness.read(dir.appendingPathComponent("status")) == "\(status)\n", "\(err)")
            let last = err.split(separator: "\n").last.map(String.init) ?? ""
            #expect(last.hasPrefix("twload check: " + verdict), "\(err)")
            #expect(last.hasSuffix("within the run's \(duration) s") || status == 0, "\(last)")
            #expect(err.contains("tcp_tw_reuse=0"), "\(err)")
        }
    }
}
