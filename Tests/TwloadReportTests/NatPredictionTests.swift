import Testing
import TwloadModel
import TwloadReport

/// The NAT model: exhaustion once more are open at once than tuples, no ceiling for short client-close
/// connections, and the server's TIME_WAIT keyed by the NAT's tuples under server close.
@Suite struct NatPredictionTests {
    func predict(
        rate: Double, hold: Double, close: CloseSide, addresses: Int = 1, spread: Bool = true, ports: Int? = 100
    ) -> NatPrediction {
        NatPrediction(
            NatPrediction.Inputs(
                rate: rate, lifetimeSeconds: hold, close: close, linger: .off, natAddresses: addresses,
                spreadsAcrossAddresses: spread, natPorts: ports, serverTimeWaitBuckets: 131_072))
    }

    @Test func moreOpenAtOnceThanTuplesRunsOutAtTuplesOverRate() {
        let p = predict(rate: 100, hold: 2, close: .server)
        #expect(p.tuples == 100 && p.openAtOnce == 200)
        #expect(p.exhaustionSeconds == 1.0)
        #expect(p.ceilingRate == 50)
        #expect(p.text.contains("from 1.00 s (tuples ÷ rate) the router finds no free tuple"))
        #expect(p.text.contains("the NAT carries at most 50/s"))
    }

    @Test func addressesMultiplyTheTuplesOnlyWhenTheNatSpreadsOverThem() {
        #expect(predict(rate: 100, hold: 3, close: .server, addresses: 2).exhaustionSeconds == 2.0)
        let hashed = predict(rate: 100, hold: 3, close: .server, addresses: 2, spread: false)
        #expect(hashed.tuples == 100 && hashed.exhaustionSeconds == 1.0)
        #expect(hashed.text.contains("1 of 2 addresses (Linux's hash keeps one client→server pair on one)"))
    }

    @Test func shortClientCloseConnectionsHaveNoNatCeiling() {
        let p = predict(rate: 500, hold: 0, close: .client)
        #expect(p.exhaustionSeconds == nil && p.ceilingRate == nil)
        #expect(!p.serverTimeWaitCollides && p.steadyServerTimeWait == nil)
        #expect(p.text.contains("the NAT sets no ceiling"))
    }

    @Test func serverCloseKeysTheServersTimeWaitByTheNatsTuples() {
        let p = predict(rate: 500, hold: 0, close: .server)
        #expect(p.exhaustionSeconds == nil)
        #expect(p.tupleReturnSeconds == 0.2)
        #expect(p.serverTimeWaitCollides)
        #expect(p.steadyServerTimeWait == 100, "one TIME_WAIT socket per tuple, not 500 × 60")
        // Tuples that come round only after 60 s find the server's TIME_WAIT gone.
        let slow = predict(rate: 1, hold: 0, close: .server)
        #expect(!slow.serverTimeWaitCollides && slow.steadyServerTimeWait == 60)
        #expect(slow.text.contains("no collision"))
    }

    @Test func withoutAPortRangeThereIsNothingToPredict() {
        let p = predict(rate: 100, hold: 2, close: .server, ports: nil)
        #expect(p.tuples == nil && p.exhaustionSeconds == nil && !p.serverTimeWaitCollides)
        #expect(p.text.contains("no NAT port limit to predict"))
    }
}
