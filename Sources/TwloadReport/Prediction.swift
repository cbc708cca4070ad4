import TwloadCensus
import TwloadModel

/// What the run will do to the port space, worked out before it starts from the settings that govern it.
///
/// The model (see the README's "TIME_WAIT lab"): the active closer holds each 4-tuple for 60 s. With the
/// system range, connect() picks ports of one parity first (Linux >= 4.2), so trouble starts when that
/// half is held: after ports / 2 / rate seconds. From then on each connect() scans for a free port; on the
/// reference machine (kernel 6.18) that costs about 2 ms per call, so one thread manages about 500
/// connects/s (`collapsedRatePerThread`, measured with `--rate 2000 --close client`). EADDRNOTAVAIL comes
/// once the other half is held too, at that collapsed rate. A per-socket range (`--source-ports`) is
/// scanned with step 1, so EADDRNOTAVAIL comes at ports / rate with no slowdown before it.
public struct Prediction: Sendable, Equatable {
    /// Linux's fixed TIME_WAIT length (TCP_TIMEWAIT_LEN).
    public static let timeWaitSeconds = 60.0
    /// Connects per second one thread manages once the even half of the system range is held (measured).
    public static let collapsedRatePerThread = 500.0

    /// What the prediction needs to know.
    public struct Inputs: Sendable, Equatable {
        public var kernel: KernelSettings
        /// Peak scheduled rate (the rate of a constant schedule).
        public var rate: Double
        public var close: CloseSide
        public var linger: LingerMode
        /// The per-socket range, when `--source-ports` is given.
        public var sourcePorts: PortRange?
        /// Whether the per-socket range is enforced by explicit bind() (not clamped to the system range).
        public var explicitBind: Bool
        public var sourceAddresses: Int
        public var targetIsLoopback: Bool
        public var threads: Int
        public var cores: Int

        public init(
            kernel: KernelSettings, rate: Double, close: CloseSide, linger: LingerMode, sourcePorts: PortRange?,
            explicitBind: Bool, sourceAddresses: Int, targetIsLoopback: Bool, threads: Int, cores: Int
        ) {
            self.kernel = kernel
            self.rate = rate
            self.close = close
            self.linger = linger
            self.sourcePorts = sourcePorts
            self.explicitBind = explicitBind
            self.sourceAddresses = sourceAddresses
            self.targetIsLoopback = targetIsLoopback
            self.threads = threads
            self.cores = cores
        }
    }

    /// Ports one source address can use toward the target, after clamping and reserved ports.
    public var portsPerAddress: Int
    public var addresses: Int
    /// Ports of the range that ip_local_reserved_ports removes.
    public var reservedExcluded: Int
    /// Whether TIME_WAIT reuse applies to this run's connects, and why (one phrase).
    public var reuseApplies: Bool
    public var reuseReason: String
    /// Which side holds TIME_WAIT, or nil when neither does (RST).
    public var timeWaitSide: CloseSide?
    /// Steady TIME_WAIT populations: min(rate × 60, ports, tcp_max_tw_buckets).
    public var steadyClientTimeWait: Int
    public var steadyServerTimeWait: Int
    /// Connections per second the port space sustains without reuse: ports × addresses / 60.
    public var sustainableRate: Double
    /// When connect() starts to slow (the even half is held), for the system range.
    public var slowConnectSeconds: Double?
    /// The rate after that slowdown.
    public var collapsedRate: Double?
    /// When EADDRNOTAVAIL starts.
    public var firstEaddrnotavailSeconds: Double?
    /// When tcp_max_tw_buckets starts destroying TIME_WAIT sockets.
    public var overflowSeconds: Double?

    public init(_ i: Inputs) {
        let system = i.kernel.localPortRange ?? PortRange(low: 32768, high: 60999)
        var range = system
        if let p = i.sourcePorts {
            if i.explicitBind {
                range = p
            } else {
                let lo = max(p.low, system.low)
                let hi = min(p.high, system.high)
                range = lo <= hi ? PortRange(low: lo, high: hi) : system
            }
        }
        reservedExcluded = i.kernel.reservedPorts.reduce(0) { n, r in
            let lo = max(r.low, range.low)
            let hi = min(r.high, range.high)
            return n + (lo <= hi ? Int(hi) - Int(lo) + 1 : 0)
        }
        portsPerAddress = max(0, range.count - reservedExcluded)
        addresses = max(1, i.sourceAddresses)
        let ports = portsPerAddress * addresses

        switch i.kernel.twReuse ?? 2 {
        case 1:
            (reuseApplies, reuseReason) = (
                true,
                "tcp_tw_reuse=1: connect() may take over a TIME_WAIT 4-tuple after \(i.kernel.twReuseDelayMillis ?? 1000) ms"
            )
        case 2 where i.targetIsLoopback:
            (reuseApplies, reuseReason) = (
                true,
                "tcp_tw_reuse=2 and the target is loopback: TIME_WAIT 4-tuples are reused after \(i.kernel.twReuseDelayMillis ?? 1000) ms"
            )
        case 2:
            (reuseApplies, reuseReason) = (
                false, "tcp_tw_reuse=2 reuses TIME_WAIT for loopback only, and the target is not loopback"
            )
        default: (reuseApplies, reuseReason) = (false, "tcp_tw_reuse=0: no TIME_WAIT reuse")
        }

        timeWaitSide = i.linger == .reset ? nil : i.close
        let buckets = i.kernel.maxTimeWaitBuckets ?? Int.max
        let perMinute = Int(min(Double(Int.max / 2), i.rate * Self.timeWaitSeconds))
        steadyClientTimeWait = timeWaitSide == .client ? min(perMinute, ports, buckets) : 0
        steadyServerTimeWait = timeWaitSide == .server ? min(perMinute, buckets) : 0
        sustainableRate = Double(ports) / Self.timeWaitSeconds
        overflowSeconds =
            timeWaitSide != nil && perMinute > buckets && buckets < ports
            ? Double(buckets) / i.rate : nil

        // Exhaustion needs client-side TIME_WAIT that neither reuse nor the bucket cap clears first.
        let capped = buckets < ports
        let reuseKeepsUp = reuseApplies && i.rate * Double(i.kernel.twReuseDelayMillis ?? 1000) / 1000 < Double(ports)
        guard timeWaitSide == .client, !capped, !reuseKeepsUp, i.rate > sustainableRate, ports > 0 else {
            slowConnectSeconds = nil
            collapsedRate = nil
            firstEaddrnotavailSeconds = nil
            return
        }
        if i.sourcePorts != nil {
            slowConnectSeconds = nil
            collapsedRate = nil
            firstEaddrnotavailSeconds = Double(ports) / i.rate
        } else {
            let half = Double(ports) / 2
            let slow = half / i.rate
            let collapsed = min(i.rate, Self.collapsedRatePerThread * Double(max(1, min(i.threads, i.cores))))
            slowConnectSeconds = slow
            collapsedRate = collapsed
            firstEaddrnotavailSeconds = slow + half / collapsed
        }
    }
}
