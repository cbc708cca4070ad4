import TwloadSystem

/// One held (or idle kept-alive) connection: when its hold (or keep-alive timeout) ends, and which
/// connection it is (the fd and the slot's generation, so that a connection that ended meanwhile, or a new
/// one on the same fd, is told apart).
struct HoldEntry: BitwiseCopyable {
    var deadline: Int64 = 0
    var fd: Int32 = -1
    var generation: UInt32 = 0
}

/// The connections the built-in server holds (`--hold`), in the order their holds end; a second ring keeps
/// the idle kept-alive connections by their keep-alive timeouts. The hold (or timeout) is the same for
/// every connection, so deadlines come in push order and a FIFO ring is a priority queue: push at the back,
/// pop at the front, both O(1). The ring is preallocated and doubles only when full (an amortised copy, no
/// allocation per connection). Entries are never removed from the middle: one whose connection ended early
/// (or, idle, got its next request) is skipped when it reaches the front. Owned by the server thread.
struct HoldQueue {
    private let ring: SlotStorage<HoldEntry>
    /// The index of the front entry.
    private var head = 0
    /// The number of entries (from `head`, wrapping around the ring's end).
    private(set) var count = 0

    /// Room for `capacity` held connections before the first doubling.
    init(capacity: Int) {
        ring = SlotStorage(repeating: HoldEntry(), count: max(1, capacity))
    }

    var isEmpty: Bool { count == 0 }

    /// The room before the next doubling.
    var capacity: Int { ring.count }

    /// When the front entry's hold ends, or `Int64.max` when nothing is held.
    var nextDeadline: Int64 {
        count == 0 ? .max : ring[head].deadline
    }

    /// Adds a hold that ends at `deadline`, which must not be earlier than any queued one.
    mutating func push(deadline: Int64, fd: Int32, generation: UInt32) {
        if count == ring.count { grow() }
        let capacity = ring.count
        var i = head + count
        if i >= capacity { i -= capacity }
        ring[i] = HoldEntry(deadline: deadline, fd: fd, generation: generation)
        count += 1
    }

    /// Removes and returns the front entry if its hold has ended by `now`.
    mutating func popDue(now: Int64) -> HoldEntry? {
        guard count > 0, ring[head].deadline <= now else { return nil }
        return popFront()
    }

    /// Removes and returns the front entry whatever its deadline (to end every hold at stop).
    mutating func popFront() -> HoldEntry? {
        guard count > 0 else { return nil }
        let e = ring[head]
        head += 1
        if head == ring.count { head = 0 }
        count -= 1
        return e
    }

    /// Makes room before a push into a full ring: drops the holds whose connections ended (`isLive` rejects
    /// them), and doubles the ring only if the live ones still fill more than half of it. Each compaction
    /// is then paid for by the half ring of pushes before the next, and the ring stays within four times
    /// the connections really held, however many clients leave during their hold.
    mutating func makeRoom(keeping isLive: (HoldEntry) -> Bool) {
        guard count == ring.count else { return }
        compact(keeping: isLive)
        if count * 2 > ring.count { grow() }
    }

    /// Drops the entries `isLive` rejects, keeping the others in order.
    mutating func compact(keeping isLive: (HoldEntry) -> Bool) {
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
        count = kept
    }

    /// Doubles the ring. The entries that wrapped around (before `head`) move to just after the old end,
    /// so that the queue is contiguous again from `head`.
    private mutating func grow() {
        let old = ring.count
        ring.ensure(old)
        for i in 0..<head { ring[old + i] = ring[i] }
    }
}
