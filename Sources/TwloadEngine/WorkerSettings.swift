import TwloadModel
import TwloadSystem

/// Everything one client event loop needs, resolved and validated before the run starts.
public struct WorkerSettings: Sendable {
    public var target: SocketAddress
    public var close: CloseSide
    public var linger: LingerMode
    /// Bytes written after connect (the HTTP request, or the `--send` payload); may be empty.
    public var request: [UInt8]
    /// How many requests each connection carries in turn (`--requests-per-connection`), each after the
    /// previous response.
    public var requestsPerConnection = 1
    /// The last request of a connection, when it differs from `request`: under server close, the one that
    /// asks the server to close (`Connection: close`). nil: every request is `request`.
    public var finalRequest: [UInt8]?
    /// The pause after each response before the next request on the same connection (`--think`), in
    /// nanoseconds; 0: at once.
    public var thinkNanos: Int64 = 0
    public var wireProtocol: WireProtocol
    /// The HTTP status codes that count as success; any other status fails the connection.
    public var expectedStatus = StatusSet.successOrRedirect
    /// Source addresses to rotate through (empty: let the kernel choose).
    public var sourceAddresses: [SocketAddress]
    public var binding: SourceBinding
    public var connectTimeoutNanos: Int64
    public var timeoutNanos: Int64
    /// Cap on this thread's open connections.
    public var maxOpen: Int
    /// Closed loop (`--concurrency`): this thread keeps this many connections in flight, opening the next as
    /// soon as one ends, and the schedule gives only the duration. 0: open loop, paced by the schedule.
    public var concurrency = 0
    /// How the socket calls are made: epoll, or an io_uring ring (ClientWorker+Ring.swift).
    public var engine = ClientEngine.epoll
    public var intervalNanos: Int64
    public var startNanos: Int64
    /// The rate over time, over all threads.
    public var schedule: RateSchedule
    public var threads: Int
    public var threadIndex: Int
    /// How long in-flight connections may finish after the schedule ends.
    /// When this worker joins the schedule (monotonic ns), or nil at `startNanos`. A fleet's agent that
    /// started after the shared start joins late: the attempts scheduled before then are `lateSkipped`.
    public var joinNanos: Int64?
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

    public init(
        target: SocketAddress, close: CloseSide, linger: LingerMode, request: [UInt8], wireProtocol: WireProtocol,
        sourceAddresses: [SocketAddress], binding: SourceBinding, connectTimeoutNanos: Int64, timeoutNanos: Int64,
        maxOpen: Int, intervalNanos: Int64, startNanos: Int64, schedule: RateSchedule, threads: Int,
        threadIndex: Int
    ) {
        self.target = target
        self.close = close
        self.linger = linger
        self.request = request
        self.wireProtocol = wireProtocol
        self.sourceAddresses = sourceAddresses
        self.binding = binding
        self.connectTimeoutNanos = connectTimeoutNanos
        self.timeoutNanos = timeoutNanos
        self.maxOpen = maxOpen
        self.intervalNanos = intervalNanos
        self.startNanos = startNanos
        self.schedule = schedule
        self.threads = threads
        self.threadIndex = threadIndex
    }
}
