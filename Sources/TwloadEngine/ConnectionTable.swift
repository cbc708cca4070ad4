import TwloadEventLoop
import TwloadSystem

/// Where a client connection is in its short life.
public enum ConnectionState: UInt8, Sendable, BitwiseCopyable {
    case free
    /// connect() returned EINPROGRESS; waiting for EPOLLOUT.
    case connecting
    /// Connected; part of the request is still to be written.
    case sending
    /// Request written; waiting for (the rest of) the response.
    case receiving
    /// Exchange done; waiting for the peer's FIN before closing (server-close mode).
    case awaitingEOF
    /// Between two requests of a keep-alive connection, pausing for `--think` before the next one.
    case thinking
}

/// The per-connection record, stored by value in an fd-indexed table: no object per connection.
public struct ConnectionSlot: TaggedSlot, Sendable {
    /// Bumped every time the fd number is released, so stale epoll events can be recognised.
    public var generation: UInt32 = 0
    public var state: ConnectionState = .free
    /// The connection's verdict is already counted as failed (an unexpected HTTP status), so neither its
    /// close nor a later error counts it again. Next to `state`, so that freeing the slot clears both in
    /// one store: a flag can never outlive its connection and reach the fd's next one.
    public var verdictFailed = false
    /// Bytes of the request written so far.
    public var sent: UInt32 = 0
    /// When the attempt was due (latency is measured from here).
    public var scheduledNanos: Int64 = 0
    /// When the attempt actually started (timeouts run from here).
    public var startedNanos: Int64 = 0
    public var http = HTTPResponseParser()
    /// The response's first byte has arrived (its time is recorded once).
    public var gotFirstByte = false
    /// Responses completed on this connection (with `--requests-per-connection`).
    public var exchanges: UInt32 = 0

    public init() {}

    @inlinable public var isOpen: Bool { state != .free }
    @inlinable public mutating func markFree() {
        state = .free
        verdictFailed = false
    }
}

/// Open client connections indexed by fd, on `TaggedSlots`. Opening a connection writes its slot and nothing
/// else: timeouts are found by `firstTimedOut(from:now:connectTimeoutNanos:timeoutNanos:)`, a scan of the
/// fds up to the highest open one, which the event loop runs a few times per timeout rather than once per
/// connection. The kernel hands out the lowest free fd, so that range stays close to the number of open
/// connections.
public struct ConnectionTable {
    /// The slots, indexed by fd, with their generation tags. One event-loop thread owns the table.
    public let slots: TaggedSlots<ConnectionSlot>
    public private(set) var openCount = 0
    /// No fd above this one is open (-1: none was). Raised by `open`, lowered by `trimHighestOpenFd()`.
    public private(set) var highestOpenFd: Int32 = -1

    public init(capacity: Int = 1024) {
        slots = TaggedSlots(capacity: max(16, capacity), empty: ConnectionSlot())
    }

    /// The epoll tag for the connection currently on `fd`.
    @inline(__always)
    public func tag(of fd: Int32) -> UInt64 { slots.tag(of: fd) }

    /// The fd that `tag` refers to, or nil if that connection is gone (stale event).
    @inline(__always)
    public func lookup(tag: UInt64) -> Int32? { slots.lookup(tag: tag) }

    /// Registers a new connection on `fd` in the connecting state; returns its epoll tag.
    @inline(__always)
    @discardableResult
    public mutating func open(_ fd: Int32, scheduled: Int64, started: Int64) -> UInt64 {
        let tag = slots.open(fd) { s in
            s.state = .connecting
            s.scheduledNanos = scheduled
            s.startedNanos = started
        }
        if fd > highestOpenFd { highestOpenFd = fd }
        openCount &+= 1
        return tag
    }

    /// Moves `fd` to `state` (leaving `.connecting` also ends its connect timeout).
    @inline(__always)
    public mutating func setState(_ fd: Int32, _ state: ConnectionState) {
        slots[fd].state = state
    }

    /// The connection starts its request/response exchange: sending, nothing sent yet, a fresh parser.
    /// (Connections with nothing to exchange never touch these fields, so `open` leaves them stale.)
    @inline(__always)
    public mutating func beginExchange(_ fd: Int32) {
        slots.update(fd) { s in
            s.state = .sending
            s.sent = 0
            s.http.reset()
            s.gotFirstByte = false
            s.exchanges = 0
        }
    }

    /// The next request on a keep-alive connection, after `exchanges` responses: sending from its start, a
    /// fresh parser, and its response time and timeout measured from `now`.
    public mutating func nextExchange(_ fd: Int32, now: Int64) {
        slots.update(fd) { s in
            s.state = .sending
            s.sent = 0
            s.http.reset()
            s.gotFirstByte = false
            s.scheduledNanos = now
            s.startedNanos = now
        }
    }

    /// A keep-alive connection pauses until `due` before its next request. Its exchange timeout runs from
    /// `due`, so the pause itself never times it out.
    public mutating func beginThinking(_ fd: Int32, until due: Int64) {
        slots.update(fd) { s in
            s.state = .thinking
            s.startedNanos = due
        }
    }

    @inline(__always)
    public mutating func addSent(_ fd: Int32, _ n: Int) {
        slots[fd].sent &+= UInt32(truncatingIfNeeded: n)
    }

    /// Feeds response bytes to the connection's HTTP parser.
    @inline(__always)
    public mutating func parse(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> HTTPParseStatus {
        slots[fd].http.consume(bytes)
    }

    @inline(__always)
    public mutating func parseEndOfFile(_ fd: Int32) -> HTTPParseStatus {
        slots[fd].http.endOfFile()
    }

    /// Forgets `fd`: marks it free and bumps its generation. The caller closes the descriptor.
    @inline(__always)
    public mutating func release(_ fd: Int32) {
        slots.release(fd)
        openCount &-= 1
    }

    /// Which of the two timeouts a connection has run into.
    public enum Timeout: Equatable, Sendable {
        /// Still connecting `connectTimeoutNanos` after its start.
        case connect
        /// Still open `timeoutNanos` after its start.
        case exchange
    }

    /// The first open connection at or above `fd` whose time is up at `now`, and which timeout it hit
    /// (the connect timeout is checked first). Both run from the connection's actual start.
    public func firstTimedOut(
        from fd: Int32, now: Int64, connectTimeoutNanos: Int64, timeoutNanos: Int64
    )
        -> (fd: Int32, timeout: Timeout)?
    {
        var i = max(0, fd)
        while i <= highestOpenFd {
            let s = slots[i]
            if s.state == .connecting && s.startedNanos &+ connectTimeoutNanos <= now { return (i, .connect) }
            if s.isOpen && s.startedNanos &+ timeoutNanos <= now { return (i, .exchange) }
            i &+= 1
        }
        return nil
    }

    /// Lowers `highestOpenFd` to the highest fd still open, so that scans stay short after a burst.
    public mutating func trimHighestOpenFd() {
        while highestOpenFd >= 0 && !slots[highestOpenFd].isOpen { highestOpenFd -= 1 }
    }

    /// The lowest open fd at or above `fd`, or nil.
    public func firstOpen(from fd: Int32) -> Int32? {
        var i = max(0, fd)
        while i <= highestOpenFd {
            if slots[i].isOpen { return i }
            i &+= 1
        }
        return nil
    }
}
