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

    public mutating func reset() {
        connect.reset()
        connectCall.reset()
        lag.reset()
        response.reset()
        firstByte.reset()
    }
}
