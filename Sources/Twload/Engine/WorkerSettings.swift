import TwloadSystem

/// How a client socket gets its source address and port.
public enum SourceBinding: Sendable, Equatable {
    /// The kernel picks from net.ipv4.ip_local_port_range at connect().
    case system
    /// IP_BIND_ADDRESS_NO_PORT + IP_LOCAL_PORT_RANGE: the kernel picks from this range at connect().
    case perSocketRange(PortRange)
    /// bind() to each port of this range in turn (kernels without IP_LOCAL_PORT_RANGE).
    case explicitBind(PortRange)
}

/// Everything one client event loop needs, resolved and validated before the run starts.
public struct WorkerSettings: Sendable {
    public var target: SocketAddress
    public var close: CloseSide
    public var linger: LingerMode
    /// Bytes written after connect (the HTTP request, or the `--send` payload); may be empty.
    public var request: [UInt8]
    public var wireProtocol: WireProtocol
    /// Source addresses to rotate through (empty: let the kernel choose).
    public var sourceAddresses: [SocketAddress]
    public var binding: SourceBinding
    public var connectTimeoutNanos: Int64
    public var timeoutNanos: Int64
    /// Cap on this thread's open connections.
    public var maxOpen: Int
    public var intervalNanos: Int64
    public var startNanos: Int64
    /// The rate over time, over all threads.
    public var schedule: RateSchedule
    public var threads: Int
    public var threadIndex: Int
    /// How long in-flight connections may finish after the schedule ends.
    public var drainNanos: Int64 = 1_000_000_000
    /// After the schedule's end, attempts later than this are missed instead of started.
    public var endGraceNanos: Int64 = 20_000_000
    /// Most attempts started per loop pass when catching up.
    public var maxBurst = 256
    /// Most time spent starting attempts per loop pass. When connect() itself is slow (the kernel is
    /// searching for a free port), this keeps events, timeouts and interval ends from waiting on a burst.
    public var maxBurstNanos: Int64 = 2_000_000
    /// Pause after EMFILE before trying again.
    public var emfileBackoffNanos: Int64 = 10_000_000

    /// Whether a response is awaited after the request.
    public var expectsResponse: Bool { wireProtocol == .http || !request.isEmpty }
}
