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
}

/// The per-connection record, stored by value in an fd-indexed table: no object per connection.
public struct ConnectionSlot: Sendable, BitwiseCopyable {
    /// Bumped every time the fd number is released, so stale epoll events can be recognised.
    public var generation: UInt32 = 0
    public var state: ConnectionState = .free
    /// Bytes of the request written so far.
    public var sent: UInt32 = 0
    /// When the attempt was due (latency is measured from here).
    public var scheduledNanos: Int64 = 0
    /// When the attempt actually started (timeouts run from here).
    public var startedNanos: Int64 = 0
    public var http = HTTPResponseParser()
}

/// Open client connections indexed by fd, with a start-order queue read by two cursors (all open, and
/// still connecting) so that both timeouts are found at the cursors in O(1), with no timer allocation.
///
/// The epoll tag of a connection is `generation << 32 | fd`; `lookup(tag:)` rejects a tag whose generation
/// no longer matches, which is how an event for a closed and reused fd is ignored, and how the queues
/// skip connections that have closed.
public struct ConnectionTable {
    /// The slots, indexed by fd. One event-loop thread owns the table.
    public let slots: SlotStorage<ConnectionSlot>
    public private(set) var openCount = 0
    private var startOrder: StartOrderQueue

    public init(capacity: Int = 1024) {
        slots = SlotStorage(repeating: ConnectionSlot(), count: max(16, capacity))
        startOrder = StartOrderQueue(capacity: max(16, capacity))
    }

    /// The epoll tag for the connection currently on `fd`.
    @inline(__always)
    public func tag(of fd: Int32) -> UInt64 {
        EpollTag.make(fd: fd, generation: slots[Int(fd)].generation)
    }

    /// The fd that `tag` refers to, or nil if that connection is gone (stale event).
    @inline(__always)
    public func lookup(tag: UInt64) -> Int32? {
        let fd = EpollTag.fd(tag)
        let gen = EpollTag.generation(tag)
        guard fd >= 0, Int(fd) < slots.count else { return nil }
        let s = slots[Int(fd)]
        return s.state != .free && s.generation == gen ? fd : nil
    }

    /// Registers a new connection on `fd` in the connecting state.
    @inline(__always)
    public mutating func open(_ fd: Int32, scheduled: Int64, started: Int64) {
        let i = Int(fd)
        slots.ensure(i)
        slots[i].state = .connecting
        slots[i].sent = 0
        slots[i].scheduledNanos = scheduled
        slots[i].startedNanos = started
        slots[i].http.reset()
        startOrder.append(tag(of: fd))
        openCount &+= 1
    }

    /// Moves `fd` to `state`. A connection that leaves `.connecting` leaves the connecting queue lazily:
    /// the queue's cursor skips it when it gets there.
    @inline(__always)
    public mutating func setState(_ fd: Int32, _ state: ConnectionState) {
        slots[Int(fd)].state = state
    }

    @inline(__always)
    public mutating func addSent(_ fd: Int32, _ n: Int) {
        slots[Int(fd)].sent &+= UInt32(truncatingIfNeeded: n)
    }

    /// Feeds response bytes to the connection's HTTP parser.
    @inline(__always)
    public mutating func parse(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> HTTPParseStatus {
        slots[Int(fd)].http.consume(bytes)
    }

    @inline(__always)
    public mutating func parseEndOfFile(_ fd: Int32) -> HTTPParseStatus {
        slots[Int(fd)].http.endOfFile()
    }

    /// Forgets `fd`: marks it free and bumps its generation (which also drops it from the queue).
    /// The caller closes the descriptor.
    @inline(__always)
    public mutating func release(_ fd: Int32) {
        let i = Int(fd)
        slots[i].state = .free
        slots[i].generation &+= 1
        openCount &-= 1
    }

    /// The longest-open connection, or nil. Drops closed connections from the queue head on the way.
    public var oldestOpen: Int32? {
        mutating get {
            while let t = startOrder.first(.open) {
                if let fd = lookup(tag: t) { return fd }
                startOrder.removeFirst(.open)
            }
            return nil
        }
    }

    /// The longest-connecting connection, or nil. Drops connected or closed ones from the queue head.
    public var oldestStillConnecting: Int32? {
        mutating get {
            while let t = startOrder.first(.connecting) {
                if let fd = lookup(tag: t), slots[Int(fd)].state == .connecting { return fd }
                startOrder.removeFirst(.connecting)
            }
            return nil
        }
    }
}
