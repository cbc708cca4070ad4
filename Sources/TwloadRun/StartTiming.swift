import TwloadModel
import TwloadSystem

/// Where a run's schedule starts on the monotonic clock. Alone, it starts `leadNanos` from now (time for
/// the threads to start). With a fleet's `--start-at`, twload sleeps on the real-time clock until shortly
/// before that instant, then maps it onto the monotonic clock once, and runs on the monotonic clock from
/// then on: interval j starts at start-at + j·interval on every agent whose clock is right.
struct StartTiming: Sendable, Equatable {
    /// Interval 0 starts here (monotonic ns): `--start-at` mapped onto the monotonic clock, possibly in the
    /// past for an agent that started late.
    var originNanos: Int64
    /// When the workers join the schedule (monotonic ns): `originNanos`, or later for a late agent.
    var joinNanos: Int64
    /// The wall-clock time of `originNanos`: `--start-at` itself, or now plus the lead.
    var originWall: WallTime
    /// How much later than the shared start this agent joined (0 when on time or alone).
    var lateNanos: Int64 { joinNanos - originNanos }

    /// Time for the server, sampler and worker threads to start before the first attempt.
    static let leadNanos: Int64 = 20_000_000

    /// Starting now, alone.
    static func now() -> StartTiming {
        let (unix, mono) = WallClock.pair()
        return StartTiming(
            originNanos: mono + leadNanos, joinNanos: mono + leadNanos,
            originWall: WallTime(unixNanos: unix + leadNanos))
    }

    /// The timing of a start at `startAt`, read from a real-time/monotonic pair taken now: on time when the
    /// start is at least the lead away, else late by the difference (plus the lead the threads need).
    static func at(_ startAt: WallTime, clocks: (unixNanos: Int64, monotonicNanos: Int64)) -> StartTiming {
        let origin = clocks.monotonicNanos + (startAt.unixNanos - clocks.unixNanos)
        return StartTiming(
            originNanos: origin, joinNanos: max(origin, clocks.monotonicNanos + leadNanos), originWall: startAt)
    }

    /// Sleeps on the real-time clock until `startAt` is two leads away (a margin for the sleep's own
    /// lateness), then maps it. Ends early with the
    /// signal that arrives while it waits (SIGINT, SIGTERM, SIGQUIT: they are blocked by then).
    static func waitFor(_ startAt: WallTime) throws(RunFailure) -> StartTiming {
        while true {
            let left = startAt.unixNanos - 2 * leadNanos - WallClock.unixNanoseconds()
            if left <= 0 { break }
            // At most a second per wait: a wall clock stepped meanwhile (NTP, an admin) is read again.
            if let s = TerminationSignals.wait(nanoseconds: min(left, 1_000_000_000)) {
                throw .stoppedBeforeStart(signal: s)
            }
        }
        return at(startAt, clocks: WallClock.pair())
    }
}
