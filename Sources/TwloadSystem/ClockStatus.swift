import CTwloadLinux
import Glibc

/// What the kernel says about the real-time clock's synchronisation (adjtimex with no change): whether an
/// NTP or PTP daemon keeps it synchronised, and its estimated and maximum error. A fleet's agents start at
/// one wall-clock instant, so an agent's clock error is its start error.
public struct ClockStatus: Sendable, Equatable {
    /// False when the kernel flags the clock unsynchronised (STA_UNSYNC, or adjtimex returns TIME_ERROR):
    /// nothing disciplines it, and its error is unknown.
    public var synchronised: Bool
    /// The estimated error in microseconds, as the synchronising daemon last told the kernel.
    public var estimatedErrorMicros: Int64
    /// The maximum error in microseconds (grows while nothing updates it).
    public var maximumErrorMicros: Int64

    public init(synchronised: Bool, estimatedErrorMicros: Int64, maximumErrorMicros: Int64) {
        self.synchronised = synchronised
        self.estimatedErrorMicros = estimatedErrorMicros
        self.maximumErrorMicros = maximumErrorMicros
    }

    /// Reads the status (adjtimex with modes 0 changes nothing and needs no privilege).
    public static func read() throws(SystemError) -> ClockStatus {
        var t = timex()
        t.modes = 0
        let state = adjtimex(&t)
        if state == -1 { throw SystemError(errno: lastErrno(), call: "adjtimex") }
        let unsynchronised = state == TIME_ERROR || (t.status & Int32(STA_UNSYNC)) != 0
        return ClockStatus(
            synchronised: !unsynchronised, estimatedErrorMicros: Int64(t.esterror),
            maximumErrorMicros: Int64(t.maxerror))
    }
}
