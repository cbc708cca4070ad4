import TwloadSystem

/// One connection waiting for a deadline (a server's hold or keep-alive timeout, a client's pause between
/// requests): when it ends, and which connection it is (the fd and the slot's generation, so that a
/// connection that ended meanwhile, or a new one on the same fd, is told apart).
public struct DeadlineEntry: BitwiseCopyable, Sendable {
    public var deadline: Int64 = 0
    public var fd: Int32 = -1
    public var generation: UInt32 = 0

    @inlinable public init(deadline: Int64 = 0, fd: Int32 = -1, generation: UInt32 = 0) {
        self.deadline = deadline
        self.fd = fd
        self.generation = generation
    }

    /// The epoll tag of the connection this entry was queued for.
    @inlinable public var tag: UInt64 { EpollTag.make(fd: fd, generation: generation) }
}

/// Connections waiting for a delay that is the same for all of them, in the order their delays end: the
/// built-in server's holds (`--hold`) and idle kept-alive connections, the client's pauses between requests
/// (`--think`). One delay for all means deadlines come in push order, so a FIFO ring is a priority queue:
/// push at the back, pop at the front, both O(1). The ring is preallocated and doubles only when full (an
/// amortised copy, no allocation per connection). Entries are never removed from the middle: one whose
/// connection ended early (or moved on) is skipped when it reaches the front. Owned by one event loop.
public struct DeadlineQueue {
    @usableFromInline let ring: SlotStorage<DeadlineEntry>
    /// The index of the front entry.
    @usableFromInline var head = 0
    /// The number of entries (from `head`, wrapping around the ring's end).
    @usableFromInline var length = 0
    @inlinable public var count: Int { length }

    /// Room for `capacity` held connections before the first doubling.
    public init(capacity: Int) {
        ring = SlotStorage(repeating: DeadlineEntry(), count: max(1, capacity))
    }

    @inlinable public var isEmpty: Bool { count == 0 }

    /// The room before the next doubling.
    @inlinable public var capacity: Int { ring.count }

    /// When the front entry's hold ends, or `Int64.max` when nothing is held.
    @inlinable public var nextDeadline: Int64 {
        count == 0 ? .max : ring[head].deadline
    }

    /// Adds a hold that ends at `deadline`, which must not be earlier than any queued one.
    @inlinable public mutating func push(deadline: Int64, fd: Int32, generation: UInt32) {
        if count == ring.count { grow() }
        let capacity = ring.count
        var i = head + count
        if i >= capacity { i -= capacity }
        ring[i] = DeadlineEntry(deadline: deadline, fd: fd, generation: generation)
        length += 1
    }

    /// Removes and returns the front entry if its hold has ended by `now`.
    @inlinable public mutating func popDue(now: Int64) -> DeadlineEntry? {
        guard count > 0, ring[head].deadline <= now else { return nil }
        return popFront()
    }

    /// Removes and returns the front entry whatever its deadline (to end every hold at stop).
    @inlinable public mutating func popFront() -> DeadlineEntry? {
        guard count > 0 else { return nil }
        let e = ring[head]
        head += 1
        if head == ring.count { head = 0 }
        length -= 1
        return e
    }

    /// Makes room before a push into a full ring: drops the holds whose connections ended (`isLive` rejects
    /// them), and doubles the ring only if the live ones still fill more than half of it. Each compaction
    /// is then paid for by the half ring of pushes before the next, and the ring stays within four times
    /// the connections really held, however many clients leave during their hold.
    public mutating func makeRoom(keeping isLive: (DeadlineEntry) -> Bool) {
        guard count == ring.count else { return }
        compact(keeping: isLive)
        if count * 2 > ring.count { grow() }
    }

    /// Drops the entries `isLive` rejects, keeping the others in order.
    public mutating func compact(keeping isLive: (DeadlineEntry) -> Bool) {
        let capacity = ring.count
        var kept = 0
        for k in 0..<count {
            var i = head + k
            if i >= capacity { i -= capacity }
            let e = ring[i]
            guard isLive(e) else { continue }
            var j = head + kept
            if j >= capacity { j -= capacity }
            ring[j] = e
            kept += 1
        }
        length = kept
    }

    /// Doubles the ring. The entries that wrapped around (before `head`) move to just after the old end,
    /// so that the queue is contiguous again from `head`.
    @usableFromInline mutating func grow() {
        let old = ring.count
        ring.ensure(old)
        for i in 0..<head { ring[old + i] = ring[i] }
    }
}
