import CTwloadLinux
import Glibc

/// setsockopt wrappers. None of their results is ever ignored: each throws `SystemError` on failure.
public enum SocketOptions {
    @inlinable
    static func set<T: BitwiseCopyable>(
        _ fd: Int32, _ level: Int32, _ name: Int32, _ value: T,
        _ call: StaticString
    ) throws(SystemError) {
        var v = value
        let rc = ctw_raw_setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<T>.size))
        if rc != 0 { throw SystemError(errno: Errno(failedCall: -rc), call: call) }
    }

    /// SO_LINGER {1, seconds}. `seconds == 0` makes close() send RST and skip TIME_WAIT.
    @inlinable
    public static func setLinger(_ fd: Int32, seconds: Int32) throws(SystemError) {
        try set(fd, SOL_SOCKET, SO_LINGER, linger(l_onoff: 1, l_linger: seconds), "setsockopt(SO_LINGER)")
    }

    public static func setReuseAddress(_ fd: Int32) throws(SystemError) {
        try set(fd, SOL_SOCKET, SO_REUSEADDR, Int32(1), "setsockopt(SO_REUSEADDR)")
    }

    /// IP_BIND_ADDRESS_NO_PORT: bind() to an address defers the port choice to connect(), so the kernel
    /// can pick it against the full 4-tuple.
    public static func setBindAddressNoPort(_ fd: Int32) throws(SystemError) {
        try set(
            fd, Int32(IPPROTO_IP), ctw_IP_BIND_ADDRESS_NO_PORT, Int32(1),
            "setsockopt(IP_BIND_ADDRESS_NO_PORT)")
    }

    /// IP_LOCAL_PORT_RANGE (Linux >= 6.3): this socket's ephemeral ports come from `low...high`,
    /// clamped by the kernel to net.ipv4.ip_local_port_range. Older kernels fail with ENOPROTOOPT.
    public static func setLocalPortRange(_ fd: Int32, low: UInt16, high: UInt16) throws(SystemError) {
        let packed = UInt32(high) << 16 | UInt32(low)
        try set(fd, Int32(IPPROTO_IP), ctw_IP_LOCAL_PORT_RANGE, packed, "setsockopt(IP_LOCAL_PORT_RANGE)")
    }

    /// IPV6_V6ONLY, so a "::" listener and a "0.0.0.0" listener can coexist.
    public static func setIPv6Only(_ fd: Int32) throws(SystemError) {
        try set(fd, Int32(IPPROTO_IPV6), Int32(IPV6_V6ONLY), Int32(1), "setsockopt(IPV6_V6ONLY)")
    }
}
