import Testing
import TwloadModel

@testable import TwloadEngine

/// `--agent I/N`: agent I's thread k runs the pacer of thread k·N + I of N × threads, so the agents' arrivals
/// together are exactly one process's.
@Suite struct AgentScheduleTests {
    /// Every deadline a pacer hands out, in order.
    func deadlines(_ schedule: RateSchedule, threads: Int, threadIndex: Int) -> [Int64] {
        let pacer = Pacer(startNanos: 1_000_000_000_000, schedule: schedule, threads: threads, threadIndex: threadIndex)
        var out: [Int64] = []
        var i: Int64 = 0
        while true {
            let d = pacer.deadline(of: i)
            if d == .max { return out }
            out.append(d)
            i += 1
        }
    }

    @Test(arguments: [1, 2, 3])
    func fourAgentsTogetherMakeExactlyOneProcesssSchedule(threadsPerAgent: Int) {
        let schedules: [RateSchedule] = [
            .constant(rate: 400, seconds: 10),
            RateSchedule(stages: [.init(from: 100, to: 700, seconds: 4), .init(from: 300, to: 300, seconds: 3)]),
        ]
        for schedule in schedules {
            let one = deadlines(schedule, threads: 1, threadIndex: 0)
            var agents: [Int64] = []
            var perAgent: [Int] = []
            for agent in 0..<4 {
                var mine = 0
                for k in 0..<threadsPerAgent {
                    let d = deadlines(schedule, threads: threadsPerAgent * 4, threadIndex: k * 4 + agent)
                    agents += d
                    mine += d.count
                }
                perAgent.append(mine)
            }
            #expect(agents.sorted() == one, "the union of the agents' arrivals is the one schedule")
            // 400/s for 10 s; or a ramp averaging 400/s for 4 s and 300/s for 3 s.
            #expect(one.count == (schedule.constantRate != nil ? 4000 : 2500))
            #expect(perAgent.max()! - perAgent.min()! <= 1, "each agent takes every 4th arrival: \(perAgent)")
        }
    }

    @Test func agentIOfNTakesTheArrivalsCongruentToIModN() {
        let schedule = RateSchedule.constant(rate: 400, seconds: 1)
        let one = deadlines(schedule, threads: 1, threadIndex: 0)
        for agent in 0..<4 {
            let mine = deadlines(schedule, threads: 4, threadIndex: agent)
            #expect(mine == one.enumerated().filter { $0.offset % 4 == agent }.map(\.element))
        }
    }
}
