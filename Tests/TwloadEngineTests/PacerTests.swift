import Testing
import TwloadModel
import TwloadTestSupport

@testable import TwloadEngine

/// An arbitrary monotonic start, far from zero like a real CLOCK_MONOTONIC reading.
private let t0: Int64 = 1_000_000_000_000
private let ms: Int64 = 1_000_000
private let second: Int64 = 1_000_000_000

/// Takes every attempt due at `now` and returns the decisions (never `.wait`).
private func drain(_ pacer: inout Pacer, now: Int64) -> [Pacer.Decision] {
    var out: [Pacer.Decision] = []
    while true {
        let d = pacer.take(now: now)
        if d == .wait { return out }
        out.append(d)
    }
}

/// The scheduled times of `.start` decisions, relative to `t0`.
private func startOffsets(_ decisions: [Pacer.Decision]) -> [Int64] {
    decisions.compactMap { if case .start(let s) = $0 { s - t0 } else { nil } }
}

@Suite struct PacerTests {
    @Test func constantRateFastPathAgreesWithTheSchedule() {
        for rate in [1, 3, 7.5, 2000, 33_333.3] {
            let schedule = RateSchedule.constant(rate: rate, seconds: 2)
            for threads in 1...3 {
                for k in 0..<threads {
                    let p = Pacer(startNanos: t0, schedule: schedule, threads: threads, threadIndex: k)
                    for i in [0, 1, 2, 17, 999, 5_000, 70_000] as [Int64] {
                        let expected = schedule.nanos(ofAttempt: i * Int64(threads) + Int64(k)).map { t0 + $0 } ?? .max
                        #expect(p.deadline(of: i) == expected, "rate \(rate), thread \(k) of \(threads), attempt \(i)")
                    }
                }
            }
        }
    }

    @Test func takingAttemptsOneAtATimeMatchesTheDeadlineFormulaBeforeAndAfterASkip() {
        // take(now:) advances a constant schedule by addition; each start must still be deadline(of: i).
        for rate in [3, 7.5, 2000, 33_333.3] {
            let schedule = RateSchedule.constant(rate: rate, seconds: 40)
            for threads in 1...3 {
                for k in 0..<threads {
                    var p = Pacer(
                        startNanos: t0, schedule: schedule, threads: threads, threadIndex: k,
                        maxLagNanos: .max)
                    var i: Int64 = 0
                    for phase in 0..<2 {
                        if phase == 1 {
                            // Jump ahead by the multiplying path, then go on adding.
                            _ = p.skip(before: t0 + 20 * second + 123)
                            i = p.next
                        }
                        for _ in 0..<500 {
                            let expected = p.deadline(of: i)
                            guard expected != .max else { break }
                            #expect(
                                p.take(now: .max - 1) == .start(scheduledNanos: expected),
                                "rate \(rate), thread \(k) of \(threads), attempt \(i)")
                            i += 1
                        }
                    }
                }
            }
        }
    }

    @Test func takingTheLastAttemptOfAConstantScheduleLeavesNothingDue() {
        var p = Pacer(
            startNanos: t0, schedule: .constant(rate: 1000, seconds: 1), threads: 2, threadIndex: 1,
            maxLagNanos: .max)
        var starts = 0
        while case .start = p.take(now: .max - 1) { starts += 1 }
        #expect(starts == 500)
        #expect(p.nextDeadline == nil)
    }

    @Test(arguments: [1, 3, 7, 2000, 33_333, 999_999])
    func constantRateDeadlinesStayWithinNanosecondsOfTheExactQuotient(rate: Int) {
        // A long schedule, so that attempts late in a day-long run are checked too.
        let schedule = RateSchedule.constant(rate: Double(rate), seconds: 86_400)
        for g in [0, 1, 2, 3, 999, 1_000_003, Int64(rate) * 86_399 + 17] as [Int64] where g < rate * 86_400 {
            // Exact g·1e9/rate rounded half up, in integers.
            let exact = Int64((UInt128(UInt64(g)) * 2_000_000_000 + UInt128(rate)) / (2 * UInt128(rate)))
            guard let got = schedule.nanos(ofAttempt: g) else {
                Issue.record("rate \(rate): attempt \(g) is inside the schedule")
                continue
            }
            // The step is rounded to 2^-33 ns, so the error grows by at most 1 ns per 2^33 attempts.
            #expect(abs(got - exact) <= 1 + g >> 33, "rate \(rate), attempt \(g): \(got) vs \(exact)")
        }
    }

    @Test func constantRateTooSlowForTheFixedPointStepStillSpacesAttemptsExactly() {
        let schedule = RateSchedule.constant(rate: 0.1, seconds: 100)
        #expect(schedule.constantStep == 0)
        let p = Pacer(startNanos: t0, schedule: schedule, threads: 1, threadIndex: 0)
        #expect((0..<3).map { p.deadline(of: Int64($0)) - t0 } == [0, 10 * second, 20 * second])
        #expect(p.deadline(of: 10) == .max)
    }

    @Test func deadlinesAreOneMillisecondApartAtRate1000OnOneThread() {
        let p = Pacer(startNanos: t0, totalRate: 1000, threads: 1, threadIndex: 0, durationNanos: second)
        #expect((0..<5).map { p.deadline(of: Int64($0)) - t0 } == [0, 1 * ms, 2 * ms, 3 * ms, 4 * ms])
        #expect(p.nextDeadline == t0)
    }

    @Test func drainingTakesEachAttemptAtItsMillisecond() {
        var p = Pacer(startNanos: t0, totalRate: 1000, threads: 1, threadIndex: 0, durationNanos: second)
        #expect(startOffsets(drain(&p, now: t0 + 4 * ms)) == [0, 1 * ms, 2 * ms, 3 * ms, 4 * ms])
        #expect(p.nextDeadline == t0 + 5 * ms)
    }

    @Test func twoThreadsInterleaveIntoOneEvenlySpacedSchedule() {
        let a = Pacer(startNanos: t0, totalRate: 1000, threads: 2, threadIndex: 0, durationNanos: second)
        let b = Pacer(startNanos: t0, totalRate: 1000, threads: 2, threadIndex: 1, durationNanos: second)
        let first = (0..<3).map { a.deadline(of: Int64($0)) - t0 }
        let odd = (0..<3).map { b.deadline(of: Int64($0)) - t0 }
        #expect(first == [0, 2 * ms, 4 * ms])
        #expect(odd == [1 * ms, 3 * ms, 5 * ms])
        #expect((first + odd).sorted() == [0, 1 * ms, 2 * ms, 3 * ms, 4 * ms, 5 * ms])
    }

    @Test func threeThreadsAtRate1000ShareOneMillisecondGrid() {
        let pacers = (0..<3).map {
            Pacer(startNanos: t0, totalRate: 1000, threads: 3, threadIndex: $0, durationNanos: second)
        }
        #expect(pacers.map { $0.deadline(of: 1) - t0 } == [3 * ms, 4 * ms, 5 * ms])
        let all = pacers.flatMap { p in (0..<4).map { p.deadline(of: Int64($0)) - t0 } }.sorted()
        #expect(all == (0..<12).map { Int64($0) * ms })
    }

    @Test func takeWaitsBeforeTheDeadline() {
        var p = Pacer(startNanos: t0, totalRate: 1000, threads: 2, threadIndex: 1, durationNanos: second)
        #expect(p.take(now: t0 + 1 * ms - 1) == .wait)
        #expect(p.take(now: t0) == .wait)
        #expect(p.next == 0)
        #expect(p.nextDeadline == t0 + 1 * ms)
    }

    @Test func onTimeAttemptStartsAtItsDeadline() {
        var p = Pacer(startNanos: t0, totalRate: 1000, threads: 2, threadIndex: 1, durationNanos: second)
        #expect(p.take(now: t0 + 1 * ms) == .start(scheduledNanos: t0 + 1 * ms))
        #expect(p.take(now: t0 + 1 * ms) == .wait)
        #expect(p.next == 1)
    }

    @Test func lateAttemptKeepsItsScheduledTime() {
        var p = Pacer(
            startNanos: t0, totalRate: 1000, threads: 1, threadIndex: 0, durationNanos: second,
            maxLagNanos: 100 * ms)
        let now = t0 + 2 * ms + 345_678
        #expect(p.take(now: now) == .start(scheduledNanos: t0))
        #expect(p.take(now: now) == .start(scheduledNanos: t0 + 1 * ms))
        #expect(p.take(now: now) == .start(scheduledNanos: t0 + 2 * ms))
        #expect(p.take(now: now) == .wait)
    }

    @Test func attemptLaterThanMaxLagIsMissed() {
        var p = Pacer(
            startNanos: t0, totalRate: 1000, threads: 1, threadIndex: 0, durationNanos: second,
            maxLagNanos: 10 * ms)
        // Attempt 0 (due at 0) is 10 ms + 1 ns late: missed. Attempt 1 (due at 1 ms) is 9 ms + 1 ns late: started.
        let now = t0 + 10 * ms + 1
        #expect(p.take(now: now) == .miss)
        #expect(p.take(now: now) == .start(scheduledNanos: t0 + 1 * ms))
    }

    @Test func attemptExactlyMaxLagLateStillStarts() {
        var p = Pacer(
            startNanos: t0, totalRate: 1000, threads: 1, threadIndex: 0, durationNanos: second,
            maxLagNanos: 10 * ms)
        #expect(p.take(now: t0 + 10 * ms) == .start(scheduledNanos: t0))
    }

    @Test func longStallTurnsOldAttemptsIntoMissesAndRecentOnesIntoStarts() {
        var p = Pacer(
            startNanos: t0, totalRate: 1000, threads: 1, threadIndex: 0, durationNanos: second,
            maxLagNanos: 3 * ms)
        // At 10 ms: attempts due at 0..6 ms are more than 3 ms late; those due at 7..10 ms are not.
        let decisions = drain(&p, now: t0 + 10 * ms)
        #expect(decisions.count == 11)
        #expect(decisions.prefix(7).allSatisfy { $0 == .miss })
        #expect(startOffsets(decisions) == [7 * ms, 8 * ms, 9 * ms, 10 * ms])
    }

    @Test func noAttemptIsScheduledAtOrAfterTheEnd() {
        var p = Pacer(
            startNanos: t0, totalRate: 1000, threads: 1, threadIndex: 0, durationNanos: 3 * ms,
            maxLagNanos: 10 * second)
        #expect(p.endNanos == t0 + 3 * ms)
        // The attempt that would be due at exactly 3 ms is not part of the schedule.
        #expect(startOffsets(drain(&p, now: t0 + 5 * ms)) == [0, 1 * ms, 2 * ms])
        #expect(p.nextDeadline == nil)
        #expect(p.take(now: t0 + 10 * second) == .wait)
    }

    @Test func secondThreadWithItsFirstDeadlineAfterTheEndHasNoAttempts() {
        // Rate 1000 on 4 threads over 2 ms: threads 2 and 3 would start at 2 ms and 3 ms, which is too late.
        var p = Pacer(startNanos: t0, totalRate: 1000, threads: 4, threadIndex: 2, durationNanos: 2 * ms)
        #expect(p.nextDeadline == nil)
        #expect(p.take(now: t0 + second) == .wait)
        #expect(p.scheduledCount(before: t0 + second) == 0)
        #expect(p.skipRemaining() == 0)
    }

    @Test(arguments: [
        (1000.0, 1, 20 * ms), (1000.0, 2, 20 * ms), (1000.0, 3, 20 * ms), (1000.0, 3, 1 * second),
        (7.0, 1, 3 * second), (7.0, 3, 3 * second), (2.5, 2, 5 * second),
    ])
    func scheduledCountEqualsAttemptsTakenByDraining(rate: Double, threads: Int, duration: Int64) {
        for k in 0..<threads {
            let reference = Pacer(
                startNanos: t0, totalRate: rate, threads: threads, threadIndex: k,
                durationNanos: duration)
            // Probe around every deadline, on an unaligned grid, at the end and beyond it.
            var probes: Set<Int64> = [
                t0, t0 + 1, reference.endNanos, reference.endNanos + 1, reference.endNanos + second,
            ]
            var i: Int64 = 0
            while reference.deadline(of: i) < reference.endNanos {
                let d = reference.deadline(of: i)
                probes.formUnion([d - 1, d, d + 1])
                i += 1
            }
            var g = t0
            while g < reference.endNanos {
                probes.insert(g)
                g += 37_777_777
            }
            var p = reference
            var taken: Int64 = 0
            for t in probes.sorted() {
                // Everything due strictly before t has been taken once we drain at t - 1.
                taken += Int64(drain(&p, now: t - 1).count)
                #expect(
                    p.scheduledCount(before: t) == taken,
                    "rate \(rate), thread \(k)/\(threads), t = t0 + \(t - t0) ns")
            }
        }
    }

    @Test func scheduledCountsAddUpToRateTimesDuration() {
        // 7/s on 3 threads for 3 s: 21 attempts, split 7/7/7.
        let seven = (0..<3).map {
            Pacer(startNanos: t0, totalRate: 7, threads: 3, threadIndex: $0, durationNanos: 3 * second)
                .scheduledCount(before: t0 + 3 * second)
        }
        #expect(seven == [7, 7, 7])
        // 1000/s on 3 threads for 10 ms: 10 attempts at 0..9 ms, split 4/3/3.
        let thousand = (0..<3).map {
            Pacer(startNanos: t0, totalRate: 1000, threads: 3, threadIndex: $0, durationNanos: 10 * ms)
                .scheduledCount(before: t0 + 10 * ms)
        }
        #expect(thousand == [4, 3, 3])
    }

    @Test func scheduledCountAtASecondForSevenPerSecond() {
        let p = Pacer(startNanos: t0, totalRate: 7, threads: 1, threadIndex: 0, durationNanos: 10 * second)
        // Attempts at 0, 1/7, ..., 6/7 s are before 1 s; the 8th is due at exactly 1 s.
        #expect(p.scheduledCount(before: t0 + second) == 7)
        #expect(p.scheduledCount(before: t0 + second + 1) == 8)
        #expect(p.scheduledCount(before: t0) == 0)
    }

    @Test func skipRemainingReturnsTheAttemptsLeftAndThenNothingIsDue() {
        var p = Pacer(startNanos: t0, totalRate: 1000, threads: 1, threadIndex: 0, durationNanos: 10 * ms)
        #expect(drain(&p, now: t0 + 2 * ms).count == 3)
        #expect(p.skipRemaining() == 7)
        #expect(p.nextDeadline == nil)
        #expect(p.take(now: t0 + 9 * ms) == .wait)
        #expect(p.take(now: t0 + 10 * second) == .wait)
        #expect(p.skipRemaining() == 0)
    }

    @Test func skipRemainingOnAFreshPacerReturnsTheWholeSchedule() {
        var p = Pacer(startNanos: t0, totalRate: 7, threads: 3, threadIndex: 2, durationNanos: 3 * second)
        #expect(p.skipRemaining() == 7)
        #expect(p.nextDeadline == nil)
    }

    @Test func skipRemainingAfterTheWholeScheduleWasTakenReturnsZero() {
        var p = Pacer(startNanos: t0, totalRate: 1000, threads: 2, threadIndex: 1, durationNanos: 10 * ms)
        #expect(drain(&p, now: t0 + second).count == 5)
        #expect(p.skipRemaining() == 0)
        #expect(p.nextDeadline == nil)
    }

    // MARK: - Floating-point edges of the schedule (regressions)

    /// 3/s on one thread for 10 s is 30 attempts (at 0, 1/3, ..., 29/3 s); a float-rounded count once said 31.
    @Test func scheduledCountAtTheEndOfAThreePerSecondRunIsThirty() {
        var p = Pacer(startNanos: t0, totalRate: 3, threads: 1, threadIndex: 0, durationNanos: 10 * second)
        #expect(drain(&p, now: t0 + 20 * second).count == 30)
        #expect(p.scheduledCount(before: p.endNanos) == 30)
        // So skipRemaining reports a phantom missed attempt after the whole schedule was taken.
        #expect(p.skipRemaining() == 0)
    }

    /// 12/s on one thread: the 16th attempt is due at exactly 1.25 s, so 15 are due before 1.25 s.
    @Test func scheduledCountExcludesAnAttemptDueExactlyAtItsLimit() {
        var p = Pacer(startNanos: t0, totalRate: 12, threads: 1, threadIndex: 0, durationNanos: 10 * second)
        #expect(drain(&p, now: t0 + 1_250_000_000 - 1).count == 15)
        #expect(p.scheduledCount(before: t0 + 1_250_000_000) == 15)
    }

    /// 11/s on 2 threads for 1 s is 11 attempts: thread 0 at 0, 2/11, ..., 10/11 s (6) and thread 1 at
    /// 1/11, ..., 9/11 s (5). Thread 1's next attempt is due at exactly the end, so it is not scheduled
    /// (a truncated deadline once slipped it inside).
    @Test func elevenPerSecondOnTwoThreadsMakesElevenAttemptsPerSecond() {
        var a = Pacer(startNanos: t0, totalRate: 11, threads: 2, threadIndex: 0, durationNanos: second)
        var b = Pacer(startNanos: t0, totalRate: 11, threads: 2, threadIndex: 1, durationNanos: second)
        #expect(drain(&a, now: t0 + 2 * second).count == 6)
        #expect(b.deadline(of: 5) >= t0 + second)  // due at the end, so not inside the schedule
        #expect(drain(&b, now: t0 + 2 * second).count == 5)
    }

    /// The same schedule seen from skipRemaining: after skipping, nothing is due (otherwise the worker's
    /// loop would never reach its drain and exit).
    @Test func skipRemainingLeavesNothingDueAtElevenPerSecondOnTwoThreads() {
        var b = Pacer(startNanos: t0, totalRate: 11, threads: 2, threadIndex: 1, durationNanos: second)
        let skipped = b.skipRemaining()
        #expect(b.nextDeadline == nil)
        #expect(b.take(now: t0 + 2 * second) == .wait)
        #expect(skipped == 5)
    }
}

/// The pacer over stages and ramps of a rate schedule.
struct RampPacerTests {
    @Test func pacerOnARampHandsOutEveryAttemptOnce() {
        let s = RateSchedule(stages: [.init(from: 100, to: 300, seconds: 1)])
        var a = Pacer(startNanos: 0, schedule: s, threads: 2, threadIndex: 0)
        var b = Pacer(startNanos: 0, schedule: s, threads: 2, threadIndex: 1)
        var taken = 0
        for p in [0, 1] {
            while true {
                let d = p == 0 ? a.take(now: 5_000_000_000) : b.take(now: 5_000_000_000)
                if d == .wait { break }
                taken += 1
            }
        }
        #expect(taken == 200)
        #expect(a.scheduledCount(before: 1_000_000_000) + b.scheduledCount(before: 1_000_000_000) == 200)
    }
}
