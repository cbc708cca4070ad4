/// The latency distributions of one interval, in microseconds, as log-linear histograms so that
/// intervals, threads and (later) machines merge exactly.
public struct LatencyHistograms: Sendable {
    /// From the scheduled start of an attempt to the completed handshake (no coordinated omission).
    public var connect: LatencyHistogram
    /// Time spent inside the connect() system call (the kernel's source-port search).
    public var connectCall: LatencyHistogram
    /// How late each attempt started against its schedule.
    public var lag: LatencyHistogram
    /// From the scheduled start to the response's last byte (the whole HTTP response, or the first bytes
    /// of a `tcp` reply).
    public var response: LatencyHistogram
    /// From the scheduled start to the response's first byte.
    public var firstByte: LatencyHistogram

    /// Largest recordable value: one hour in microseconds. Larger values are clamped to it.
    public static let highestMicros: UInt64 = 3_600_000_000

    public init() {
        connect = LatencyHistogram(highest: Self.highestMicros)
        connectCall = connect
        lag = connect
        response = connect
        firstByte = connect
    }

    /// Five empty histograms without bucket storage yet (see `LatencyHistogram.unallocated`).
    public static func unallocated() -> LatencyHistograms {
        let h = LatencyHistogram.unallocated(highest: highestMicros)
        return LatencyHistograms(connect: h, connectCall: h, lag: h, response: h, firstByte: h)
    }

    /// Records nanoseconds as microseconds, clamped to the trackable range.
    @inline(__always)
    public static func record(_ h: inout LatencyHistogram, nanos: Int64) {
        h.record(micros(nanos, clampedTo: highestMicros))
    }

    /// A duration in nanoseconds as whole microseconds, negative as 0 and at most `highest`.
    @inlinable @inline(__always)
    public static func micros(_ nanos: Int64, clampedTo highest: UInt64) -> UInt64 {
        let us = nanos <= 0 ? 0 : UInt64(nanos / 1000)
        return us < highest ? us : highest
    }

    public mutating func merge(_ o: LatencyHistograms) {
        connect.add(o.connect)
        connectCall.add(o.connectCall)
        lag.add(o.lag)
        response.add(o.response)
        firstByte.add(o.firstByte)
    }

    init(
        connect: LatencyHistogram, connectCall: LatencyHistogram, lag: LatencyHistogram,
        response: LatencyHistogram, firstByte: LatencyHistogram
    ) {
        self.connect = connect
        self.connectCall = connectCall
        self.lag = lag
        self.response = response
        self.firstByte = firstByte
    }

    /// The latencies a fleet's agent logs one file each of (`agent-I.NAME.hlog`) and `twload merge` adds
    /// up bucket by bucket, by file name.
    public static let logNames = ["connect", "connect_call", "lag", "response", "first_byte"]

    /// The histogram a log name (one of `logNames`) stands for; nil for any other name. Setting an
    /// unknown name does nothing.
    public subscript(logName name: String) -> LatencyHistogram? {
        get {
            switch name {
            case "connect": connect
            case "connect_call": connectCall
            case "lag": lag
            case "response": response
            case "first_byte": firstByte
            default: nil
            }
        }
        set {
            guard let h = newValue else { return }
            switch name {
            case "connect": connect = h
            case "connect_call": connectCall = h
            case "lag": lag = h
            case "response": response = h
            case "first_byte": firstByte = h
            default: break
            }
        }
    }

    public mutating func reset() {
        connect.reset()
        connectCall.reset()
        lag.reset()
        response.reset()
        firstByte.reset()
    }
}
