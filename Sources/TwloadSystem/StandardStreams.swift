import Glibc
import Synchronization

/// Descriptors 0, 1 and 2. A process started with one of them closed (`twload >&-`) would hand that number
/// to the next descriptor it opens, a socket perhaps, and text meant for stdout would go to a peer. So at
/// start each closed one is replaced by /dev/null, and which ones were closed is remembered.
public enum StandardStreams {
    /// Bit `fd` is set when descriptor `fd` was closed at start.
    private static let closedAtStart = Atomic<UInt8>(0)

    /// Opens /dev/null (read-write) in place of each of descriptors 0–2 that is closed, and returns those
    /// descriptors. Call it first thing, before anything else opens a descriptor.
    @discardableResult
    public static func reopenClosed() -> [Int32] {
        var reopened: [Int32] = []
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) < 0 {
            // open() returns the lowest free number, which is `fd`: the lower ones are open by now.
            let null = open("/dev/null", O_RDWR)
            if null < 0 { continue }
            if null != fd {
                dup2(null, fd)
                close(null)
            }
            reopened.append(fd)
            closedAtStart.bitwiseOr(UInt8(1) << UInt8(fd), ordering: .relaxed)
        }
        return reopened
    }

    /// Whether descriptor `fd` (0–2) was closed when `reopenClosed` ran: it is /dev/null now, so writing to
    /// it loses the text rather than failing.
    public static func wasClosedAtStart(_ fd: Int32) -> Bool {
        (0...2).contains(fd) && closedAtStart.load(ordering: .relaxed) & (UInt8(1) << UInt8(fd)) != 0
    }
}
