import CTwloadLinux
import Glibc

/// Readiness flags of one epoll event.
public struct EpollEvents: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let readable = EpollEvents(rawValue: UInt32(ctw_EPOLLIN))
    public static let writable = EpollEvents(rawValue: UInt32(ctw_EPOLLOUT))
    public static let error = EpollEvents(rawValue: UInt32(ctw_EPOLLERR))
    public static let hangup = EpollEvents(rawValue: UInt32(ctw_EPOLLHUP))
    public static let readHangup = EpollEvents(rawValue: UInt32(ctw_EPOLLRDHUP))
}

/// One epoll instance. Registrations carry a 64-bit tag that the caller packs (fd plus generation), so an
/// event for a closed descriptor can be recognised after the number is reused.
public struct Epoll: ~Copyable {
    public let fd: Int32
    private let events: UnsafeMutablePointer<epoll_event>
    public let capacity: Int

    /// Creates the epoll instance and an event buffer of `capacity` entries, allocated once.
    public init(capacity: Int = 512) throws(SystemError) {
        let fd = epoll_create1(Int32(EPOLL_CLOEXEC))
        if fd < 0 { throw SystemError(errno: lastErrno(), call: "epoll_create1") }
        self.fd = fd
        self.capacity = capacity
        self.events = .allocate(capacity: capacity)
    }

    deinit {
        Glibc.close(fd)
        events.deallocate()
    }

    @inline(never)
    private func control(_ op: Int32, _ target: Int32, _ flags: EpollEvents, _ tag: UInt64,
                         _ call: StaticString) throws(SystemError) {
        if ctw_epoll_ctl(fd, op, target, flags.rawValue, tag) != 0 {
            throw SystemError(errno: lastErrno(), call: call)
        }
    }

    public func add(_ target: Int32, _ flags: EpollEvents, tag: UInt64) throws(SystemError) {
        try control(ctw_EPOLL_CTL_ADD, target, flags, tag, "epoll_ctl(ADD)")
    }

    public func modify(_ target: Int32, _ flags: EpollEvents, tag: UInt64) throws(SystemError) {
        try control(ctw_EPOLL_CTL_MOD, target, flags, tag, "epoll_ctl(MOD)")
    }

    public func remove(_ target: Int32) throws(SystemError) {
        try control(ctw_EPOLL_CTL_DEL, target, [], 0, "epoll_ctl(DEL)")
    }

    /// Waits up to `timeoutNanoseconds` (negative: forever) and returns how many events are ready.
    /// EINTR counts as zero events.
    @inline(never)
    public func wait(timeoutNanoseconds: Int64) throws(SystemError) -> Int {
        let n = ctw_epoll_wait_ns(fd, events, Int32(capacity), timeoutNanoseconds)
        if n >= 0 { return Int(n) }
        let e = lastErrno()
        if e == EINTR { return 0 }
        throw SystemError(errno: e, call: "epoll_wait")
    }

    /// The flags of ready event `i` (valid after `wait`).
    @inline(__always)
    public func flags(at i: Int) -> EpollEvents {
        EpollEvents(rawValue: ctw_event_flags(events + i))
    }

    /// The tag of ready event `i`.
    @inline(__always)
    public func tag(at i: Int) -> UInt64 {
        ctw_event_data(events + i)
    }
}
