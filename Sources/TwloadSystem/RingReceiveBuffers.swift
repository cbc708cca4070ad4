/// One receive buffer per fd for io_uring's recv requests, which the kernel fills after the call that queued
/// them has returned: each connection in flight needs its own. The buffers come in chunks of 256 fds that
/// are allocated when first used and never move or shrink while the owner lives, so a request in flight
/// always points at memory that stays valid.
public final class RingReceiveBuffers {
    /// Bytes per buffer: a short response fits in one recv; a longer one takes several.
    public let size: Int
    var chunks: [UnsafeMutableRawPointer?] = []
    static let fdsPerChunk = 256

    public init(size: Int = 2048) {
        self.size = size
    }

    deinit {
        for c in chunks { c?.deallocate() }
    }

    /// The buffer of `fd` (fd ≥ 0).
    @inline(__always)
    public func buffer(for fd: Int32) -> UnsafeMutableRawBufferPointer {
        let i = Int(fd)
        let c = i / Self.fdsPerChunk
        let base = c < chunks.count ? chunks[c] : nil
        let chunk = base ?? allocateChunk(c)
        return UnsafeMutableRawBufferPointer(start: chunk + (i % Self.fdsPerChunk) * size, count: size)
    }

    /// The first `count` bytes of `fd`'s buffer, as the last recv filled them.
    @inline(__always)
    public func prefix(of fd: Int32, _ count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: buffer(for: fd)[0..<count])
    }

    @inline(never)
    func allocateChunk(_ c: Int) -> UnsafeMutableRawPointer {
        if c >= chunks.count { chunks.append(contentsOf: repeatElement(nil, count: c + 1 - chunks.count)) }
        let p = UnsafeMutableRawPointer.allocate(byteCount: Self.fdsPerChunk * size, alignment: 64)
        chunks[c] = p
        return p
    }
}
