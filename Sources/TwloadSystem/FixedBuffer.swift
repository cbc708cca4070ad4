/// A fixed-size buffer of plain values owned by one value (noncopyable, never shared, never grown): the
/// event loop's latency buckets. Access goes straight through the pointer, with no reference to follow, no
/// uniqueness check and no bounds check: callers index below `count`.
public struct FixedBuffer<Element: BitwiseCopyable>: ~Copyable {
    @usableFromInline let base: UnsafeMutablePointer<Element>
    /// Number of elements (valid indices are 0 ..< count).
    public let count: Int

    /// Inlinable, like the accessors, so that callers in other modules get them specialised for the
    /// element type (generic code would copy element by element through value witnesses).
    @inlinable
    public init(repeating value: Element, count: Int) {
        self.count = max(1, count)
        base = .allocate(capacity: self.count)
        base.initialize(repeating: value, count: self.count)
    }

    deinit { base.deallocate() }

    /// The element at `i` (0 ..< count).
    @inlinable
    public subscript(i: Int) -> Element {
        get { base[i] }
        nonmutating _modify { yield &base[i] }
    }

    /// The first `n` elements (at most `count`), copied out.
    @inlinable
    public func prefix(_ n: Int) -> [Element] {
        Array(UnsafeBufferPointer(start: base, count: min(n, count)))
    }

    /// Sets the first `n` elements (at most `count`) to `value`.
    @inlinable
    public func reset(prefix n: Int, to value: Element) {
        base.update(repeating: value, count: min(n, count))
    }
}
