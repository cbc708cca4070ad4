/// A growable, fd-indexed array of plain values for an event loop's per-connection records. Access goes
/// straight through a pointer: no copy-on-write uniqueness check and no retain per access, which an
/// Array in the hot path pays on every event. Owned by one thread. Indices are not checked: callers
/// index only by fds they have passed to `ensure` (the connection table does).
public final class SlotStorage<Element: BitwiseCopyable> {
    // Unchecked: one thread owns the storage, and a dynamic exclusivity check per access would cost more
    // than the access itself.
    @exclusivity(unchecked) @usableFromInline var base: UnsafeMutablePointer<Element>
    public private(set) var count: Int
    private let initial: Element

    public init(repeating value: Element, count: Int) {
        self.count = max(1, count)
        initial = value
        base = .allocate(capacity: self.count)
        base.initialize(repeating: value, count: self.count)
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

    /// Makes room for index `i`, doubling as needed (rare: the kernel hands out the lowest free fd).
    public func ensure(_ i: Int) {
        guard i >= count else { return }
        var newCount = count
        while newCount <= i { newCount *= 2 }
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: newCount)
        grown.moveInitialize(from: base, count: count)
        (grown + count).initialize(repeating: initial, count: newCount - count)
        base.deallocate()
        base = grown
        count = newCount
    }
}
