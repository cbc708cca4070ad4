/// The 64-bit epoll data word: `generation << 32 | fd`. A slot's generation is bumped whenever its fd is
/// released, so an event whose tag carries an old generation belongs to a closed connection and is
/// dropped, even when the kernel has already handed the same fd number to a new socket.
public enum EpollTag {
    @inlinable @inline(__always)
    public static func make(fd: Int32, generation: UInt32) -> UInt64 {
        UInt64(generation) << 32 | UInt64(UInt32(bitPattern: fd))
    }

    @inlinable @inline(__always)
    public static func fd(_ tag: UInt64) -> Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: tag)) }

    @inlinable @inline(__always)
    public static func generation(_ tag: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: tag >> 32) }
}
