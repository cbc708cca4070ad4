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

    /// Registers a new connection on `fd` in the connecting state; returns its epoll tag.
    @inline(__always)
    @discardableResult
    public mutating func open(_ fd: Int32, scheduled: Int64, started: Int64) -> UInt64 {
        let i = Int(fd)
        slots.ensure(i)
        let generation = slots.update(i) { s in
            s.state = .connecting
            s.scheduledNanos = scheduled
            s.startedNanos = started
            return s.generation
        }
        let tag = EpollTag.make(fd: fd, generation: generation)
        startOrder.append(tag)
        openCount &+= 1
        return tag
    }

    /// Moves `fd` to `state`. A connection that leaves `.connecting` leaves the connecting queue lazily:
    /// the queue's cursor skips it when it gets there.
    @inline(__always)
    public mutating func setState(_ fd: Int32, _ state: ConnectionState) {
        slots[Int(fd)].state = state
    }

    /// The connection starts its request/response exchange: sending, nothing sent yet, a fresh parser.
    /// (Connections with nothing to exchange never touch these fields, so `open` leaves them stale.)
    @inline(__always)
    public mutating func beginExchange(_ fd: Int32) {
        slots.update(Int(fd)) { s in
            s.state = .sending
            s.sent = 0
            s.http.reset()
        }
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
        slots.update(Int(fd)) { s in
            s.state = .free
            s.generation &+= 1
        }
        openCount &-= 1
    }

    /// `lookup(tag:)` for a tag from the start-order queue, whose fd is always inside the table (it was
    /// opened, and the table never shrinks): a connection is live while its generation still matches.
    @inline(__always)
    private func queuedConnection(_ tag: UInt64) -> Int32? {
        let fd = EpollTag.fd(tag)
        return slots[Int(fd)].generation == EpollTag.generation(tag) ? fd : nil
    }

    /// The longest-open connection, or nil. Drops closed connections from the queue head on the way.
    public var oldestOpen: Int32? {
        mutating get {
            while let t = startOrder.first(.open) {
                if let fd = queuedConnection(t) { return fd }
                startOrder.removeFirst(.open)
            }
            return nil
        }
    }

    /// The longest-connecting connection, or nil. Drops connected or closed ones from the queue head (a
    /// closed one from the open cursor too, when that cursor is at the same place).
    public var oldestStillConnecting: Int32? {
        mutating get {
            let slots = self.slots
            let tag = startOrder.firstConnecting { tag in
                let s = slots[Int(EpollTag.fd(tag))]
                if s.generation != EpollTag.generation(tag) { return .closed }
                return s.state == .connecting ? .connecting : .open
            }
            return tag.map(EpollTag.fd)
        }
    }
}
