import TwloadSystem

/// Connection tags in the order the connections started: a ring that grows at the tail, with two read
/// cursors (the oldest open and the oldest still-connecting connection), since both timeouts run from
/// the start. Closing a connection does not touch the ring; a closed connection's tag is skipped when a
/// cursor reaches it and its generation no longer matches (lazy deletion). So opening costs one store and
/// closing costs nothing, where two intrusive lists cost two links and two unlinks per connection.
///
/// The ring holds every tag from the older cursor to the newest, so its size is bounded by rate × the
/// longest time a connection may stay open (the timeouts); it doubles when full.
struct StartOrderQueue {
    /// The two cursors.
    enum Cursor {
        case open
        case connecting
    }

    private var ring: SlotStorage<UInt64>
    private var mask: Int
    /// Positions only increase (index = position & mask); both heads are <= tail.
    private var openHead = 0
    private var connectingHead = 0
    private var tail = 0
    /// The tail position at which the ring may be full: checked against the cursors only then, so an
    /// append is one comparison, not a minimum of two cursors.
    private var checkAt: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity { size *= 2 }
        ring = SlotStorage(repeating: 0, count: size)
        mask = size - 1
        checkAt = size
    }

    /// The oldest tag at `cursor` (possibly of a connection that has closed or connected since).
    @inline(__always)
    func first(_ cursor: Cursor) -> UInt64? {
        let head = cursor == .open ? openHead : connectingHead
        return head == tail ? nil : ring[head & mask]
    }

    @inline(__always)
    mutating func removeFirst(_ cursor: Cursor) {
        switch cursor {
        case .open: if openHead != tail { openHead &+= 1 }
        case .connecting: if connectingHead != tail { connectingHead &+= 1 }
        }
    }

    /// What a queued tag's connection is now, as the connection table sees it.
    enum TagState {
        case closed
        case open
        case connecting
    }

    /// Moves the connecting cursor to the first tag whose connection is still connecting and returns
    /// that tag (nil when there is none). A closed tag that the open cursor is also at is passed by both
    /// cursors, so in the common case (connections that close before either cursor gets to them) each
    /// tag is examined once, not once per cursor. A tight loop over local copies of the cursors.
    @inline(__always)
    mutating func firstConnecting(_ state: (UInt64) -> TagState) -> UInt64? {
        var head = connectingHead
        var open = openHead
        defer {
            connectingHead = head
            openHead = open
        }
        while head != tail {
            let tag = ring[head & mask]
            switch state(tag) {
            case .connecting: return tag
            case .closed: if open == head { open &+= 1 }
            case .open: break
            }
            head &+= 1
        }
        return nil
    }

    @inline(__always)
    mutating func append(_ tag: UInt64) {
        if tail == checkAt { makeRoom() }
        ring[tail & mask] = tag
        tail &+= 1
    }

    /// The tail reached `checkAt`: grows the ring if the older cursor is a whole ring behind, and sets
    /// the next check to where the ring would be full again.
    @inline(never)
    private mutating func makeRoom() {
        if tail &- min(openHead, connectingHead) > mask { grow() }
        checkAt = min(openHead, connectingHead) &+ mask &+ 1
    }

    /// Doubles the ring, keeping the order and both cursors.
    private mutating func grow() {
        let base = min(openHead, connectingHead)
        let size = (mask + 1) * 2
        let bigger = SlotStorage<UInt64>(repeating: 0, count: size)
        for (k, p) in (base..<tail).enumerated() { bigger[k] = ring[p & mask] }
        openHead -= base
        connectingHead -= base
        tail -= base
        ring = bigger
        mask = size - 1
    }
}
