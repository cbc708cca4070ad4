import Foundation
import Glibc
import Testing
import TwloadSystem

/// A pseudo-terminal for a test: the master and the path of its slave (/dev/pts/N). posix_openpt and
/// friends are hidden from Swift by glibc's feature macros, so this does what they do: open /dev/ptmx,
/// unlock the slave (TIOCSPTLCK) and ask its number (TIOCGPTN). The request numbers are the asm-generic
/// _IOW('T', 0x31, int) and _IOR('T', 0x30, unsigned int), the same on x86_64 and aarch64.
private struct PseudoTerminal: ~Copyable {
    let master: Int32
    let path: String

    init() throws {
        master = Glibc.open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard master >= 0, ioctl(master, 0x4004_5431, &unlock) == 0, ioctl(master, 0x8004_5430, &number) == 0 else {
            throw POSIXError(.ENOTTY)
        }
        path = "/dev/pts/\(number)"
    }

    /// Opens the slave side (the terminal a program writes to).
    func open() -> Int32 { Glibc.open(path, O_RDWR | O_NOCTTY) }

    deinit { close(master) }
}

/// Which descriptors reach the same terminal, and how wide it is: what decides the live status line.
struct TerminalTests {
    @Test func twoOpeningsOfOneTerminalAreTheSameTerminal() throws {
        let pty = try PseudoTerminal()
        let a = pty.open()
        let b = pty.open()
        defer {
            close(a)
            close(b)
        }
        #expect(Terminal.isTerminal(a))
        #expect(Terminal.areSame(a, b))
        let c = dup(a)
        defer { close(c) }
        #expect(Terminal.areSame(a, c))
    }

    @Test func twoTerminalsAreNotTheSame() throws {
        let one = try PseudoTerminal()
        let two = try PseudoTerminal()
        let a = one.open()
        let b = two.open()
        defer {
            close(a)
            close(b)
        }
        #expect(!Terminal.areSame(a, b))
    }

    @Test func aPipeOrAFileIsNoTerminal() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let null = Glibc.open("/dev/null", O_WRONLY)
        defer {
            close(fds[0])
            close(fds[1])
            close(null)
        }
        #expect(try Terminal.device(fds[1]) == nil)
        #expect(try Terminal.device(null) == nil)  // a character device, but no terminal
        #expect(!Terminal.areSame(fds[1], fds[1]))
        #expect(!Terminal.areSame(null, null))
        #expect(Terminal.columns(fds[1]) == nil)
    }

    @Test func theWidthIsWhatTheTerminalWasSetTo() throws {
        let pty = try PseudoTerminal()
        let fd = pty.open()
        defer { close(fd) }
        #expect(Terminal.columns(fd) == nil)  // a pseudo-terminal nobody sized says 0
        let stty = Process()
        stty.executableURL = URL(fileURLWithPath: "/bin/stty")
        stty.arguments = ["-F", pty.path, "cols", "80", "rows", "24"]
        try stty.run()
        stty.waitUntilExit()
        #expect(Terminal.columns(fd) == 80)
    }
}
