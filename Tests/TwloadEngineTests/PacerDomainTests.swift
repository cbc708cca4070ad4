import Testing
import TwloadModel

@testable import TwloadEngine

/// The pacer over the whole domain the options accept (rates 1e-300 to 1e7 per second, 1 ms to 8760 h,
/// ramps and many stages, 1 to 4 threads): no trap, deadlines that never go back, and counts that agree.
struct PacerDomainTests {
    static let start: Int64 = 1_000_000_000_000

    static let schedules: [(String, RateSchedule)] = {
        var all: [(String, RateSchedule)] = []
        for rate in [1e-300, 1e-13, 0.01, 0.24, 1, 2_000, 1e7] {
            for seconds in [0.001, 1, 8_760 * 3_600.0] {
                all.append(("\(rate)/s for \(seconds) s", .constant(rate: rate, seconds: seconds)))
            }
        }
        all.append(("ramp 1e-13 to 2e-13", RateSchedule(stages: [.init(from: 1e-13, to: 2e-13, seconds: 10)])))
        all.append(("ramp 1e7 to 1e-300", RateSchedule(stages: [.init(from: 1e7, to: 1e-300, seconds: 0.001)])))
        all.append(
            (
                "10,000 stages",
                RateSchedule(stages: (0..<10_000).map { .init(from: Double($0 % 7) + 0.5, to: 1e3, seconds: 0.001) })
            ))
        return all
    }()

    @Test(arguments: 1...4)
    func deadlinesNeverGoBackAndEveryAttemptIsStartedMissedOrSkipped(threads: Int) {
        for (label, schedule) in Self.schedules {
            for k in 0..<threads {
                var pacer = Pacer(startNanos: Self.start, schedule: schedule, threads: threads, threadIndex: k)
                var last: Int64 = .min
                var taken: Int64 = 0
                // A clock that jumps: 1 µs, then growing steps up to years, so both takes and skips happen.
                var now = Self.start
                var step: Int64 = 1_000
                for pass in 0..<200 {
                    if pass % 3 == 2 {
                        taken += Int64(pacer.skip(before: now))
                    }
                    var budget = 64
                    while budget > 0 {
                        let d = pacer.take(now: now)
                        if d == .wait { break }
                        if case .start(let at) = d {
                            #expect(at >= last, "\(label), thread \(k)/\(threads): deadline went back")
                            last = at
                        }
                        taken += 1
                        budget -= 1
                    }
                    now = now &+ step
                    if now < 0 { break }
                    step = step < Int64.max / 4 ? step * 2 : step
                }
                #expect(taken == pacer.next, "\(label), thread \(k)/\(threads)")
                #expect(pacer.scheduledCount(before: .max) >= pacer.next, "\(label), thread \(k)/\(threads)")
            }
        }
    }
}
