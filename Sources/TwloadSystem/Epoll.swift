import CTwloadLinux
import Glibc

/// Readiness flags of one epoll event.
public struct EpollEvents: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    // Computed and inlinable: a `static let` here costs a lazy-initialisation check per use in the
    // engine's event dispatch.
    @inlinable public static var readable: EpollEvents { EpollEvents(rawValue: UInt32(ctw_EPOLLIN)) }
    @inlinable public static var writable: EpollEvents { EpollEvents(rawValue: UInt32(ctw_EPOLLOUT)) }
    @inlinable public static var error: EpollEvents { EpollEvents(rawValue: UInt32(ctw_EPOLLERR)) }
    @inlinable public static var hangup: EpollEvents { EpollEvents(rawValue: UInt32(ctw_EPOLLHUP)) }
    @inlinable public static var readHangup: EpollEvents { EpollEvents(rawValue: UInt32(ctw_EPOLLRDHUP)) }
    /// Edge-triggered: each readiness change is reported once.
    @inlinable public static var edgeTriggered: EpollEvents {
        EpollEvents(rawValue: UInt32(bitPattern: ctw_EPOLLET))
    }
}

/// One epoll instance. Registrations carry a 64-bit tag that the caller packs (fd plus generation), so an
/// event for a closed descriptor can be recognised after the number is reused.
public struct Epoll: ~Copyable {
    public let fd: Int32
    @usableFromInline let events: UnsafeMutablePointer<epoll_event>
    /// Room for this many events per wait, as the system call takes it (converted once, not per wait).
    @usableFromInline let capacity32: Int32
    public var capacity: Int { Int(capacity32) }

    /// Creates the epoll instance and an event buffer of `capacity` entries, allocated once.
    public init(capacity: Int = 512) throws(SystemError) {
        let fd = epoll_create1(Int32(EPOLL_CLOEXEC))
        if fd < 0 { throw SystemError(errno: lastErrno(), call: "epoll_create1") }
        self.fd = fd
        self.capacity32 = Int32(clamping: capacity)
        self.events = .allocate(capacity: capacity)
    }

    deinit {
        Glibc.close(fd)
        events.deallocate()
    }

    @inlinable
    func control(
        _ op: Int32, _ target: Int32, _ flags: EpollEvents, _ tag: UInt64,
        _ call: StaticString
    ) throws(SystemError) {
        let rc = ctw_raw_epoll_ctl(fd, op, target, flags.rawValue, tag)
        if rc != 0 { throw SystemError(errno: Errno(failedCall: -rc), call: call) }
    }

    @inlinable
    public func add(_ target: Int32, _ flags: EpollEvents, tag: UInt64) throws(SystemError) {
        try control(ctw_EPOLL_CTL_ADD, target, flags, tag, "epoll_ctl(ADD)")
    }

    @inlinable
    public func modify(_ target: Int32, _ flags: EpollEvents, tag: UInt64) throws(SystemError) {
        try control(ctw_EPOLL_CTL_MOD, target, flags, tag, "epoll_ctl(MOD)")
    }

    @inlinable
    public func remove(_ target: Int32) throws(SystemError) {
        try control(ctw_EPOLL_CTL_DEL, target, [], 0, "epoll_ctl(DEL)")
    }

    /// Waits up to `timeoutNanoseconds` (negative: forever) and returns how many events are ready.
    /// EINTR counts as zero events. Inlined into the event loops, which call it once per pass.
    @inlinable @inline(__always)
    public func wait(timeoutNanoseconds: Int64) throws(SystemError) -> Int {
        let n = ctw_epoll_wait_ns(fd, events, capacity32, timeoutNanoseconds)
        if n >= 0 { return Int(n) }
        if -n == EINTR { return 0 }
        throw SystemError(errno: Errno(failedCall: -n), call: "epoll_wait")
    }

    /// The flags of ready event `i` (valid after `wait`).
    @inlinable
    public func flags(at i: Int) -> EpollEvents {
        EpollEvents(rawValue: ctw_event_flags(events + i))
    }

    /// The tag of ready event `i`.
    @inlinable
    public func tag(at i: Int) -> UInt64 {
        ctw_event_data(events + i)
    }
}
