/// A growable, fd-indexed array of plain values for an event loop's per-connection records. Access goes
/// straight through a pointer: no copy-on-write uniqueness check and no retain per access, which an
/// Array in the hot path pays on every event. Owned by one thread. Indices are not checked: callers
/// index only by fds they have passed to `ensure` (the connection table does).
public final class SlotStorage<Element: BitwiseCopyable> {
    // Unchecked: one thread owns the storage, and a dynamic exclusivity check per access would cost more
    // than the access itself.
    @exclusivity(unchecked) @usableFromInline var base: UnsafeMutablePointer<Element>
    @exclusivity(unchecked) @usableFromInline var capacity: Int
    /// Number of slots (valid indices are 0 ..< count).
    @inlinable public var count: Int { capacity }
    @usableFromInline let initial: Element

    /// Inlinable, like `prefix` and `reset`, so that they are specialised for the element type: the
    /// generic versions copy element by element through value witnesses (~30 instructions each).
    @inlinable
    public init(repeating value: Element, count: Int) {
        capacity = max(1, count)
        initial = value
        base = .allocate(capacity: capacity)
        base.initialize(repeating: value, count: capacity)
    }

    deinit { base.deallocate() }

    /// The element at `i` (0 ..< count). Inlinable, so callers in other modules get it specialised.
    @inlinable
    public subscript(i: Int) -> Element {
        get {
            return base[i]
        }
        _modify {
            yield &base[i]
        }
    }

    /// Runs `body` on the element at `i` in place: one pointer load for several field updates (separate
    /// subscript writes reload the pointer after each store, since a store might alias it).
    @inlinable @inline(__always)
    public func update<R>(_ i: Int, _ body: (inout Element) -> R) -> R {
        body(&base[i])
    }

    /// Makes room for index `i`, doubling as needed (rare: the kernel hands out the lowest free fd).
    @inlinable
    public func ensure(_ i: Int) {
        if i >= capacity { grow(to: i) }
    }

    /// The first `n` elements, copied out.
    @inlinable
    public func prefix(_ n: Int) -> [Element] {
        Array(UnsafeBufferPointer(start: base, count: min(n, capacity)))
    }

    /// Sets the first `n` elements back to the initial value.
    @inlinable
    public func reset(prefix n: Int) {
        base.update(repeating: initial, count: min(n, capacity))
    }

    @usableFromInline
    func grow(to i: Int) {
        var newCount = count
        while newCount <= i { newCount *= 2 }
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: newCount)
        grown.moveInitialize(from: base, count: count)
        (grown + count).initialize(repeating: initial, count: newCount - count)
        base.deallocate()
        base = grown
        capacity = newCount
    }
}
