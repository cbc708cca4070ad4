import FuzzSupport
import TwloadEngine
import TwloadModel

/// Builds what a run builds from its schedule and asks what the run asks. `RateSchedule`: attempt times
/// start at 0, never go back, stay inside the schedule and, once past its end, stay past it; counts grow
/// with time; a mean rate is never above the peak. `Pacer` (per thread, as `ClientWorker` makes it): each
/// taken attempt is the one that was due, late ones are misses, skipping ends the schedule, and the threads'
/// `scheduledCount`s add up to the schedule's own count of attempts before the same moment.
enum ScheduleCheck {
    static let start: Int64 = 1_000_000_000

    static func run(_ schedule: RateSchedule, threads: Int) {
        checkSchedule(schedule)
        let indexes = threads <= 4 ? Array(0..<threads) : [0, threads / 2, threads - 1]
        for index in Set(indexes).sorted() {
            checkPacer(schedule, threads: threads, threadIndex: index)
        }
        if threads <= 4 { checkThreadsShareSchedule(schedule, threads: threads) }
    }

    static func checkSchedule(_ schedule: RateSchedule) {
        let duration = schedule.durationNanos
        let seconds = Double(duration) / 1e9
        fuzzCheck(duration > 0, "duration \(duration) ns")
        fuzzCheck(schedule.peakRate > 0 && schedule.peakRate <= 10_000_000, "peak rate \(schedule.peakRate)")
        fuzzCheck(schedule.nanos(ofAttempt: 0) == 0, "attempt 0 at \(String(describing: schedule.nanos(ofAttempt: 0)))")

        let total = schedule.count(before: seconds)
        fuzzCheck(total.isFinite && total >= 0, "\(total) attempts in the schedule")
        let t = Int64(saturating: total)
        var attempts: [Int64] = [0, 1, 2, 3, t / 2, t - 1, t, t + 1, t + 2, t + 300, t * 2, Int64.max / 2, .max]
        attempts = Set(attempts.filter { $0 >= 0 }).sorted()
        var previous: Int64 = 0
        var ended = false
        for g in attempts {
            guard let ns = schedule.nanos(ofAttempt: g) else {
                ended = true
                continue
            }
            fuzzCheck(!ended, "attempt \(g) at \(ns) ns after an earlier attempt was past the end")
            fuzzCheck(
                ns >= previous && ns < duration, "attempt \(g) at \(ns) ns (previous \(previous), end \(duration))")
            previous = ns
        }

        var last = 0.0
        for time in [-1, 0, seconds / 3, seconds / 2, seconds, seconds * 2, .infinity] {
            let count = schedule.count(before: time)
            fuzzCheck(count >= last, "count before \(time) s is \(count), below \(last)")
            last = count
        }
        fuzzCheck(schedule.count(before: .nan) == 0, "count before NaN")
        for (t0, t1) in [(0, seconds), (seconds / 4, seconds / 2), (seconds / 2, seconds * 2)] {
            let mean = schedule.scheduledRate(from: t0, to: t1)
            fuzzCheck(
                mean >= -1e-6 && mean <= schedule.peakRate * (1 + 1e-6) + 1e-6,
                "mean rate \(mean) over [\(t0), \(t1)) with peak \(schedule.peakRate)")
        }
    }

    static func checkPacer(_ schedule: RateSchedule, threads: Int, threadIndex: Int) {
        var pacer = Pacer(startNanos: start, schedule: schedule, threads: threads, threadIndex: threadIndex)
        fuzzCheck(pacer.endNanos == start + schedule.durationNanos, "pacer ends at \(pacer.endNanos)")
        let first = schedule.nanos(ofAttempt: Int64(threadIndex)).map { start + $0 }
        fuzzCheck(
            pacer.nextDeadline == first,
            "first deadline \(String(describing: pacer.nextDeadline)) vs \(String(describing: first))")

        var previous = start
        for _ in 0..<64 {
            guard let due = pacer.nextDeadline else { break }
            fuzzCheck(due >= previous && due < pacer.endNanos, "deadline \(due) (previous \(previous))")
            fuzzCheck(pacer.deadline(of: pacer.next) == due, "deadline(of: \(pacer.next)) is not nextDeadline")
            fuzzCheck(!pacer.hasDue(at: due - 1) && pacer.hasDue(at: due), "hasDue around \(due)")
            let decision = pacer.take(now: due)
            fuzzCheck(decision == .start(scheduledNanos: due), "take at \(due) gave \(decision)")
            previous = due
        }

        let middle = start + schedule.durationNanos / 2
        let before = pacer.next
        let skipped = pacer.skip(before: middle)
        fuzzCheck(skipped >= 0 && pacer.next == before + Int64(skipped), "skip gave \(skipped)")
        fuzzCheck(pacer.nextDeadline.map { $0 >= middle } ?? true, "a deadline before \(middle) survived skip")
        if let due = pacer.nextDeadline {
            let late = due + pacer.maxLagNanos + 1
            fuzzCheck(pacer.take(now: late) == .miss, "an attempt \(pacer.maxLagNanos + 1) ns late was not missed")
        }
        _ = pacer.skip(before: pacer.endNanos)
        fuzzCheck(pacer.nextDeadline == nil, "something still due after skipping to the end")
        fuzzCheck(pacer.take(now: pacer.endNanos + 10_000_000_000) == .wait, "take after the end")
    }

    /// Every thread's `scheduledCount(before:)` adds up to the number of global attempts due before the
    /// same moment, found by a binary search over `nanos(ofAttempt:)`.
    static func checkThreadsShareSchedule(_ schedule: RateSchedule, threads: Int) {
        for fraction in [0.25, 0.5, 1.0] {
            let offset = Int64(Double(schedule.durationNanos) * fraction)
            var sum: Int64 = 0
            for k in 0..<threads {
                let pacer = Pacer(startNanos: start, schedule: schedule, threads: threads, threadIndex: k)
                sum += pacer.scheduledCount(before: start + offset)
            }
            let expected = attemptsDue(before: offset, in: schedule)
            fuzzCheck(sum == expected, "threads count \(sum) attempts before \(offset) ns, the schedule \(expected)")
        }
    }

    /// The first attempt g due at or after `offset` (or past the end), by bisection.
    static func attemptsDue(before offset: Int64, in schedule: RateSchedule) -> Int64 {
        var low: Int64 = 0
        var high: Int64 = .max
        while low < high {
            let mid = low + (high - low) / 2
            if let ns = schedule.nanos(ofAttempt: mid), ns < offset { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
