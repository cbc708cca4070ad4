import TwloadSystem

/// Connection tags in the order the connections started: a ring that only grows at the tail and shrinks
/// at the head. Closing a connection does not touch it; a closed connection's tag is dropped when it
/// reaches the head and its generation no longer matches (lazy deletion). So opening costs one store and
/// closing costs nothing, where an intrusive list costs two unlinks per connection.
///
/// The ring holds every tag from the oldest live connection to the newest, so its size is bounded by
/// rate × the longest time a connection may stay open (the timeouts); it doubles when full.
struct StartOrderQueue {
    private var ring: SlotStorage<UInt64>
    private var mask: Int
    /// Positions of the first and one-past-last tags; they only increase (index = position & mask).
    private var head = 0
    private var tail = 0

    init(capacity: Int) {
        var size = 16
        while size < capacity { size *= 2 }
        ring = SlotStorage(repeating: 0, count: size)
        mask = size - 1
    }

    var isEmpty: Bool { head == tail }

    /// The oldest tag still queued (possibly of a connection that has closed since).
    var first: UInt64? { head == tail ? nil : ring[head & mask] }

    @inline(__always)
    mutating func append(_ tag: UInt64) {
        if tail &- head > mask { grow() }
        ring[tail & mask] = tag
        tail &+= 1
    }

    mutating func removeFirst() {
        if head != tail { head &+= 1 }
    }

    /// Doubles the ring, keeping the order.
    private mutating func grow() {
        let size = (mask + 1) * 2
        let bigger = SlotStorage<UInt64>(repeating: 0, count: size)
        for (k, p) in (head..<tail).enumerated() { bigger[k] = ring[p & mask] }
        tail -= head
        head = 0
        ring = bigger
        mask = size - 1
    }
}
