import TwloadSystem

/// Plain per-thread counters for one interval. A worker bumps them without atomics; they are merged once
/// per interval by the recorder.
public struct IntervalCounters: Sendable, Equatable {
    public var attempted = 0
    public var established = 0
    public var completed = 0
    public var failed = 0
    public var missed = 0
    public var eaddrnotavail = 0
    public var eaddrinuse = 0
    public var econnrefused = 0
    /// Kernel ETIMEDOUT plus twload's own connect and exchange timeouts.
    public var etimedout = 0
    public var econnreset = 0
    /// EMFILE and ENFILE: out of descriptors.
    public var emfile = 0
    /// ENETUNREACH: no route to the target's network (e.g. the interface is down).
    public var enetunreach = 0
    /// EHOSTUNREACH: no route to the target host.
    public var ehostunreach = 0
    public var otherErrors = 0
    /// Connections twload closed before seeing the peer's FIN.
    public var activeCloses = 0
    /// Connections where the peer's FIN arrived first.
    public var passiveCloses = 0
    public var connectTimeouts = 0
    public var exchangeTimeouts = 0
    /// HTTP responses that were malformed or cut short.
    public var protocolErrors = 0
    /// Requests written in full: HTTP requests, or `--send` payloads; more than one per connection with
    /// `--requests-per-connection`.
    public var requests = 0
    /// Responses received: complete HTTP responses, or a `tcp` exchange's first reply bytes.
    public var responses = 0
    /// HTTP responses by status class (any status, expected or not).
    public var http2xx = 0
    public var http3xx = 0
    public var http4xx = 0
    public var http5xx = 0
    /// HTTP responses whose status `--expect-status` does not list: each is also `failed`.
    public var unexpectedStatus = 0
    /// Connections still open when the run's drain ended (closed without a verdict).
    public var unfinished = 0
    /// Attempts the schedule asked for that never started because the schedule ended first (it had fallen
    /// behind): not `missed`, so they do not pile into the last row.
    public var notStarted = 0
    /// Attempts scheduled before this agent joined a fleet's run: it started after `--start-at`, and skipped
    /// them to keep the fleet's phase (counted in the interval each was scheduled in).
    public var lateSkipped = 0
    /// How far behind the schedule was when it ended (the oldest attempt not started), or 0.
    public var endLagNanos: Int64 = 0
    /// Highest number of open connections seen during the interval.
    public var peakOpen = 0
    /// Elapsed nanoseconds of the first EADDRNOTAVAIL, or -1.
    public var firstEaddrnotavailNanos: Int64 = -1
    /// The scheduled start (since the run's start) of the earliest attempt that hit `--connect-timeout`, or
    /// -1: where SYNs began to go unanswered.
    public var firstConnectTimeoutNanos: Int64 = -1
    /// Elapsed nanoseconds of the first connect() call that took over 1 ms, or -1.
    public var firstSlowConnectCallNanos: Int64 = -1

    public init() {}

    /// Counts a failed attempt or connection under its errno's column.
    public mutating func countFailure(errno e: Errno) {
        failed &+= 1
        switch e {
        case .addressNotAvailable: eaddrnotavail &+= 1
        case .addressInUse: eaddrinuse &+= 1
        case .connectionRefused: econnrefused &+= 1
        case .timedOut: etimedout &+= 1
        case .connectionReset, .brokenPipe: econnreset &+= 1
        case .tooManyOpenFiles, .tooManyOpenFilesInSystem: emfile &+= 1
        case .networkUnreachable: enetunreach &+= 1
        case .hostUnreachable: ehostunreach &+= 1
        default: otherErrors &+= 1
        }
    }

    /// Counts a complete HTTP response under its status class, and as a failure when its status is not
    /// expected.
    @inlinable
    public mutating func countResponse(status: UInt16, expected: Bool) {
        switch status {
        case 200...299: http2xx &+= 1
        case 300...399: http3xx &+= 1
        case 400...499: http4xx &+= 1
        case 500...599: http5xx &+= 1
        default: break
        }
        if !expected {
            failed &+= 1
            unexpectedStatus &+= 1
        }
    }

    /// Counts a failure that carries no errno (an error event with none pending) under `other_errors`.
    public mutating func countOtherFailure() {
        failed &+= 1
        otherErrors &+= 1
    }

    /// Adds another thread's counters for the same interval.
    public mutating func merge(_ o: IntervalCounters) {
        attempted += o.attempted
        established += o.established
        completed += o.completed
        failed += o.failed
        missed += o.missed
        eaddrnotavail += o.eaddrnotavail
        eaddrinuse += o.eaddrinuse
        econnrefused += o.econnrefused
        etimedout += o.etimedout
        econnreset += o.econnreset
        emfile += o.emfile
        enetunreach += o.enetunreach
        ehostunreach += o.ehostunreach
        otherErrors += o.otherErrors
        activeCloses += o.activeCloses
        passiveCloses += o.passiveCloses
        connectTimeouts += o.connectTimeouts
        exchangeTimeouts += o.exchangeTimeouts
        protocolErrors += o.protocolErrors
        requests += o.requests
        responses += o.responses
        http2xx += o.http2xx
        http3xx += o.http3xx
        http4xx += o.http4xx
        http5xx += o.http5xx
        unexpectedStatus += o.unexpectedStatus
        unfinished += o.unfinished
        notStarted += o.notStarted
        lateSkipped += o.lateSkipped
        endLagNanos = max(endLagNanos, o.endLagNanos)
        peakOpen += o.peakOpen
        firstEaddrnotavailNanos = Self.earliest(firstEaddrnotavailNanos, o.firstEaddrnotavailNanos)
        firstConnectTimeoutNanos = Self.earliest(firstConnectTimeoutNanos, o.firstConnectTimeoutNanos)
        firstSlowConnectCallNanos = Self.earliest(firstSlowConnectCallNanos, o.firstSlowConnectCallNanos)
    }

    static func earliest(_ a: Int64, _ b: Int64) -> Int64 {
        if a < 0 { return b }
        if b < 0 { return a }
        return min(a, b)
    }
}
