import Foundation
import Testing

/// The summary's explanation names the side that ran out (issue 17), as the binary prints it.
@Suite struct BlameTests {
    @Test func aRunAtAClosedPortBlamesTheServerAndCitesItsRefusals() throws {
        let closed = try ClosedPort()
        let out = try Harness.twload([
            "run", "--target", "127.0.0.1:\(closed.port)", "--rate", "20", "--duration", "1s",
        ])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(CSV(out.stdout).sum("econnrefused") == 20, "\(out.stdout)")
        let why = try #require(out.stderr.split(separator: "\n").first { $0.hasPrefix("  why: ") }, "\(out.stderr)")
        #expect(
            why
                == "  why: the server refused or reset connections: 20 connections refused (ECONNREFUSED: nothing "
                + "listening at 127.0.0.1:\(closed.port), or a full accept queue with tcp_abort_on_overflow=1); this "
                + "host's source ports did not run out (0 EADDRNOTAVAIL).")
    }
}
