import Histogram

/// The three latency distributions of one interval, in microseconds, as HdrHistograms so that intervals,
/// threads and (later) machines merge exactly.
public struct LatencyHistograms: Sendable {
    /// From the scheduled start of an attempt to the completed handshake (no coordinated omission).
    public var connect: Histogram<UInt64>
    /// Time spent inside the connect() system call (the kernel's source-port search).
    public var connectCall: Histogram<UInt64>
    /// How late each attempt started against its schedule.
    public var lag: Histogram<UInt64>

    /// Largest recordable value: one hour in microseconds. Larger values are clamped to it.
    public static let highestMicros: UInt64 = 3_600_000_000

    public init() {
        connect = Histogram(highestTrackableValue: Self.highestMicros, numberOfSignificantValueDigits: .three)
        connectCall = connect
        lag = connect
    }

    /// Records nanoseconds as microseconds, clamped to the trackable range.
    @inline(__always)
    static func record(_ h: inout Histogram<UInt64>, nanos: Int64) {
        let us = nanos <= 0 ? 0 : UInt64(nanos / 1000)
        h.record(us < highestMicros ? us : highestMicros)
    }

    public mutating func merge(_ o: LatencyHistograms) {
        connect.add(o.connect)
        connectCall.add(o.connectCall)
        lag.add(o.lag)
    }

    public mutating func reset() {
        connect.reset()
        connectCall.reset()
        lag.reset()
    }
}

extension Histogram<UInt64> {
    /// The value at `percentile`, or nil when nothing was recorded (an empty CSV cell, not a fake 0).
    public func percentileOrNil(_ percentile: Double) -> UInt64? {
        totalCount == 0 ? nil : valueAtPercentile(percentile)
    }

    /// The largest recorded value, or nil when empty.
    public var maxOrNil: UInt64? { totalCount == 0 ? nil : maxRecorded }
}
