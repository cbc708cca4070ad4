import Testing

@testable import TwloadCensus

@Suite struct RunTimeWaitTests {
    @Test func theLimitIsSixtySecondsLessTheRunsAgeLessOneJiffyOfSlack() {
        #expect(CensusTaker.youngTimeWaitMillis(sinceNanos: 0, now: 0) == 59_990)
        #expect(CensusTaker.youngTimeWaitMillis(sinceNanos: 1_000_000_000, now: 6_000_000_000) == 54_990)
        // Before the start (the census of a run that has not begun) counts as age 0.
        #expect(CensusTaker.youngTimeWaitMillis(sinceNanos: 5_000_000_000, now: 1_000_000_000) == 59_990)
        // After 60 s every TIME_WAIT socket entered it during the run.
        #expect(CensusTaker.youngTimeWaitMillis(sinceNanos: 0, now: 61_000_000_000) == 0)
    }
}
