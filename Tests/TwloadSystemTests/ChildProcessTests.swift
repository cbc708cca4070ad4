import Glibc
import Testing
import TwloadSystem

/// The helper-program runner the lab builds its topologies with, and the namespace handles it runs them in.
@Suite struct ChildProcessTests {
    @Test func aChildGetsItsInputAndReportsItsStatusAndFirstErrorLines() throws {
        let out = try ChildProcess.run(["sh", "-c", "read a; echo \"got $a\" >&2; echo ignored; exit 3"], input: "x\n")
        #expect(out.status == 3)
        #expect(out.errorText == "got x")
    }

    @Test func aChildKilledByASignalReportsOneHundredTwentyEightPlusIt() throws {
        let out = try ChildProcess.run(["sh", "-c", "kill -9 $$"])
        #expect(out.status == 128 + 9)
    }

    @Test func aChildThatOutlivesItsTimeIsKilled() throws {
        let out = try ChildProcess.run(["sh", "-c", "exec sleep 5"], timeoutNanos: 200_000_000)
        #expect(out.timedOut && out.status == 128 + 9)
        #expect(!(try ChildProcess.run(["true"])).timedOut)
    }

    @Test func aMissingProgramIsNoSuchFile() {
        #expect {
            _ = try ChildProcess.run(["twload-no-such-program"])
        } throws: { error in (error as? SystemError)?.errno == .noSuchFile }
    }

    @Test func aChildStartsInTheNamespaceTheCallingThreadEntered() throws {
        guard geteuid() == 0 else {
            print("ChildProcessTests: namespace part skipped: needs root to create a network namespace")
            return
        }
        let lab = try NamespaceHandle.create()
        // create() returns the thread to where it was.
        let here = try ChildProcess.run(["sh", "-c", "readlink /proc/self/ns/net >&2"])
        let inside = try lab.run { () throws(SystemError) in
            try ChildProcess.run(["sh", "-c", "readlink /proc/self/ns/net >&2"])
        }
        let back = try ChildProcess.run(["sh", "-c", "readlink /proc/self/ns/net >&2"])
        #expect(inside.errorText != here.errorText && here.errorText == back.errorText)
        #expect(inside.errorText.hasPrefix("net:["))
    }
}
