import CTwloadLinux
import Glibc

/// A socket address laid out once as a `sockaddr` in memory, so a connect() per attempt passes a pointer
/// instead of re-building and copying the address. Immutable after creation; share it freely.
public final class PreparedAddress: @unchecked Sendable {
    @usableFromInline let storage: UnsafeMutablePointer<sockaddr_storage>
    public let length: socklen_t
    public let address: SocketAddress

    public init(_ address: SocketAddress) {
        self.address = address
        let storage = UnsafeMutablePointer<sockaddr_storage>.allocate(capacity: 1)
        storage.initialize(to: sockaddr_storage())
        length = address.withSockAddr { sa, len in
            UnsafeMutableRawPointer(storage).copyMemory(from: sa, byteCount: Int(len))
            return len
        }
        self.storage = storage
    }

    deinit { storage.deallocate() }

    @inlinable
    var sockaddrPointer: UnsafePointer<sockaddr> {
        UnsafeRawPointer(storage).assumingMemoryBound(to: sockaddr.self)
    }
}

extension Socket {
    /// Starts a non-blocking connect to a prepared address.
    @inlinable @inline(__always)
    public static func connect(_ fd: Int32, to address: PreparedAddress) -> ConnectResult {
        while true {
            let rc = ctw_raw_connect(fd, address.sockaddrPointer, address.length)
            if rc == 0 { return .connected }
            if -rc == EINTR { continue }
            return -rc == EINPROGRESS ? .inProgress : .failed(Errno(failedCall: -rc))
        }
    }
}
