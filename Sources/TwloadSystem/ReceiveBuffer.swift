/// A fixed receive buffer, allocated once per event loop and reused for every read.
public final class ReceiveBuffer {
    public let storage: UnsafeMutableRawBufferPointer

    public init(size: Int = 65536) {
        storage = .allocate(byteCount: size, alignment: 16)
    }

    deinit { storage.deallocate() }

    /// The first `count` bytes, as filled by the last read.
    @inline(__always)
    public func prefix(_ count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: storage[0..<count])
    }
}

extension Socket {
    /// Reads into `buffer`.
    @inline(__always)
    public static func read(_ fd: Int32, into buffer: ReceiveBuffer) -> IOResult {
        read(fd, into: buffer.storage)
    }
}
