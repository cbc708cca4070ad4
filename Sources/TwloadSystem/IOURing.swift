import CTwloadLinux
import Glibc

/// One completion: the request's `userData`, and its result, a count ≥ 0 or a negative errno.
public struct RingCompletion: Sendable, BitwiseCopyable {
    public var userData: UInt64
    public var result: Int32
    /// The kernel's completion flags (laid out as in `struct io_uring_cqe`).
    public var flags: UInt32
}

/// How a queued request relates to the next one in the ring.
public struct RingLink: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// The next request runs only if this one succeeds in full (a failure or short count cancels it).
    public static let next = RingLink(rawValue: ctw_IOSQE_IO_LINK)
    /// The next request runs whatever this one's result.
    public static let always = RingLink(rawValue: ctw_IOSQE_IO_HARDLINK)
    /// No completion when it succeeds (a failure still posts one).
    public static let quietOnSuccess = RingLink(rawValue: ctw_IOSQE_CQE_SKIP_SUCCESS)
}

/// The outcome of a submit-and-wait: the wait's time running out is a value, not an error.
public enum RingWait: Equatable, Sendable {
    case ready
    case timedOut
    case failed(Errno)
}

/// An io_uring instance owned by one thread (CTwloadLinux's uring.c, on the raw system calls). Requests
/// are queued in place and go to the kernel together at the next `submitAndWait`; when the submission
/// queue is full, a queueing call submits what is there first. Completions are copied out in batches into
/// `completions`. Results stay values: a request's errno comes back in its completion. (A class, so an
/// event loop holds it as an optional: no ring at all on the epoll engine.)
public final class IOURing {
    let ring: OpaquePointer
    /// The batch the last `reap` filled.
    public let completions: UnsafeMutablePointer<RingCompletion>
    public let completionCapacity: Int

    /// A ring with room for `entries` queued requests and `completionEntries` unread completions.
    public init(entries: UInt32, completionEntries: UInt32) throws(SystemError) {
        var r: OpaquePointer?
        let rc = ctw_uring_create(entries, completionEntries, &r)
        guard rc == 0, let r else { throw SystemError(errno: Errno(failedCall: -rc), call: "io_uring_setup") }
        ring = r
        completionCapacity = 1024
        completions = .allocate(capacity: completionCapacity)
    }

    /// Sets up a small ring and tears it down: throws what a worker's ring would meet.
    public static func probe() throws(SystemError) {
        _ = try IOURing(entries: 8, completionEntries: 16)
    }

    deinit {
        ctw_uring_destroy(ring)
        completions.deallocate()
    }

    /// Queues connect(fd, address).
    @inline(__always)
    public func connect(_ fd: Int32, to address: PreparedAddress, userData: UInt64, link: RingLink = []) {
        queue { ctw_uring_connect(ring, fd, address.sockaddrPointer, address.length, userData, link.rawValue) }
    }

    /// Queues send(fd, bytes). `bytes` must stay valid until the request completes.
    @inline(__always)
    public func send(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, userData: UInt64, link: RingLink = []) {
        queue {
            ctw_uring_send(
                ring, fd, bytes.baseAddress, UInt32(truncatingIfNeeded: bytes.count), Int32(MSG_NOSIGNAL), userData,
                link.rawValue)
        }
    }

    /// Queues recv(fd, into). The buffer must stay valid until the request completes.
    @inline(__always)
    public func receive(
        _ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, userData: UInt64, link: RingLink = []
    ) {
        queue {
            ctw_uring_recv(
                ring, fd, buffer.baseAddress, UInt32(truncatingIfNeeded: buffer.count), 0, userData, link.rawValue)
        }
    }

    /// Queues close(fd).
    @inline(__always)
    public func close(_ fd: Int32, userData: UInt64, link: RingLink = []) {
        queue { ctw_uring_close(ring, fd, userData, link.rawValue) }
    }

    /// Queues the cancellation of every request in flight on `fd`.
    public func cancelAll(on fd: Int32, userData: UInt64, link: RingLink = []) {
        queue { ctw_uring_cancel_fd(ring, fd, userData, link.rawValue) }
    }

    /// Queues a one-shot wait for `fd` to become readable.
    public func pollReadable(_ fd: Int32, userData: UInt64) {
        queue { ctw_uring_poll_in(ring, fd, userData) }
    }

    /// Runs `body` (which queues one request); when the queue is full, submits it and tries once more. (A
    /// second refusal would mean the kernel took nothing; the request is then lost, and its connection ends
    /// by its timeout, counted as one.)
    @inline(__always)
    func queue(_ body: () -> Int32) {
        if body() == 0 { return }
        _ = ctw_uring_submit_wait(ring, 0, -1)
        _ = body()
    }

    /// Submits everything queued and waits up to `timeoutNanos` (< 0: no limit) for one completion. EINTR
    /// counts as ready: the caller reaps what there is and waits again.
    public func submitAndWait(timeoutNanos: Int64) -> RingWait {
        let rc = ctw_uring_submit_wait(ring, 1, timeoutNanos)
        if rc >= 0 || -rc == EINTR { return .ready }
        return -rc == ETIME ? .timedOut : .failed(Errno(failedCall: -rc))
    }

    /// Moves up to `completionCapacity` completions into `completions`; how many.
    @inline(__always)
    public func reap() -> Int {
        completions.withMemoryRebound(to: ctw_uring_cqe.self, capacity: completionCapacity) {
            Int(ctw_uring_reap(ring, $0, UInt32(completionCapacity)))
        }
    }
}
