import CTwloadLinux
import Glibc

/// An IPv4 or IPv6 socket address held by value (no allocation), ready to hand to connect() or bind().
public enum SocketAddress: Sendable, Equatable, CustomStringConvertible {
    case v4(sockaddr_in)
    case v6(sockaddr_in6)

    /// AF_INET or AF_INET6.
    public var family: Int32 {
        switch self {
        case .v4: AF_INET
        case .v6: AF_INET6
        }
    }

    /// The port in host byte order.
    public var port: UInt16 {
        get {
            switch self {
            case .v4(let a): UInt16(bigEndian: a.sin_port)
            case .v6(let a): UInt16(bigEndian: a.sin6_port)
            }
        }
        set {
            switch self {
            case .v4(var a):
                a.sin_port = newValue.bigEndian
                self = .v4(a)
            case .v6(var a):
                a.sin6_port = newValue.bigEndian
                self = .v6(a)
            }
        }
    }

    /// Whether the address is in 127.0.0.0/8 or is ::1.
    public var isLoopback: Bool {
        switch self {
        case .v4(let a): (UInt32(bigEndian: a.sin_addr.s_addr) >> 24) == 127
        case .v6(var a):
            withUnsafeBytes(of: &a.sin6_addr) { b in
                b.prefix(15).allSatisfy { $0 == 0 } && b[15] == 1
            }
        }
    }

    /// Whether the address is 0.0.0.0 or ::.
    public var isUnspecified: Bool {
        switch self {
        case .v4(let a): a.sin_addr.s_addr == 0
        case .v6(var a): withUnsafeBytes(of: &a.sin6_addr) { $0.allSatisfy { $0 == 0 } }
        }
    }

    /// 0.0.0.0 or :: (port 0), matching this address's family.
    public var unspecifiedOfSameFamily: SocketAddress {
        switch self {
        case .v4: SocketAddress(ip: "0.0.0.0", port: 0)!
        case .v6: SocketAddress(ip: "::", port: 0)!
        }
    }

    /// Builds an address from a numeric IP literal (no brackets) and a port; nil if `ip` is not numeric.
    public init?(ip: String, port: UInt16) {
        var a4 = sockaddr_in()
        if inet_pton(AF_INET, ip, &a4.sin_addr) == 1 {
            a4.sin_family = sa_family_t(AF_INET)
            a4.sin_port = port.bigEndian
            self = .v4(a4)
            return
        }
        var a6 = sockaddr_in6()
        if inet_pton(AF_INET6, ip, &a6.sin6_addr) == 1 {
            a6.sin6_family = sa_family_t(AF_INET6)
            a6.sin6_port = port.bigEndian
            self = .v6(a6)
            return
        }
        return nil
    }

    /// Resolves `host` (a literal or a name) with getaddrinfo. Meant for start-up, never the hot path.
    public static func resolve(host: String, port: UInt16) throws(SystemError) -> SocketAddress {
        if let literal = SocketAddress(ip: host, port: port) { return literal }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &result)
        guard rc == 0, let first = result else {
            throw SystemError(errno: rc == EAI_SYSTEM ? lastErrno() : .addressNotAvailable, call: "getaddrinfo")
        }
        defer { freeaddrinfo(result) }
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let n = node {
            if n.pointee.ai_family == AF_INET, let sa = n.pointee.ai_addr {
                return .v4(UnsafeRawPointer(sa).loadUnaligned(as: sockaddr_in.self))
            }
            if n.pointee.ai_family == AF_INET6, let sa = n.pointee.ai_addr {
                return .v6(UnsafeRawPointer(sa).loadUnaligned(as: sockaddr_in6.self))
            }
            node = n.pointee.ai_next
        }
        throw SystemError(errno: .addressFamilyNotSupported, call: "getaddrinfo")
    }

    /// The IP as text, without port or brackets.
    public var ipString: String {
        var buf = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch self {
        case .v4(var a): _ = inet_ntop(AF_INET, &a.sin_addr, &buf, socklen_t(buf.count))
        case .v6(var a): _ = inet_ntop(AF_INET6, &a.sin6_addr, &buf, socklen_t(buf.count))
        }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// "1.2.3.4:80" or "[::1]:80".
    public var description: String {
        switch self {
        case .v4: "\(ipString):\(port)"
        case .v6: "[\(ipString)]:\(port)"
        }
    }

    public static func == (l: SocketAddress, r: SocketAddress) -> Bool {
        switch (l, r) {
        case (.v4(let a), .v4(let b)):
            a.sin_addr.s_addr == b.sin_addr.s_addr && a.sin_port == b.sin_port
        case (.v6, .v6):
            l.ipString == r.ipString && l.port == r.port
        default: false
        }
    }

    /// Calls `body` with a pointer to the sockaddr and its length.
    @inline(__always)
    public func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        switch self {
        case .v4(var a):
            withUnsafePointer(to: &a) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    body($0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .v6(var a):
            withUnsafePointer(to: &a) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    body($0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
    }
}
