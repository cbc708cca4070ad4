/// How a client socket gets its source address and port.
public enum SourceBinding: Sendable, Equatable {
    /// The kernel picks from net.ipv4.ip_local_port_range at connect().
    case system
    /// IP_BIND_ADDRESS_NO_PORT + IP_LOCAL_PORT_RANGE: the kernel picks from this range at connect().
    case perSocketRange(PortRange)
    /// bind() to each port of this range in turn (kernels without IP_LOCAL_PORT_RANGE).
    case explicitBind(PortRange)
}
