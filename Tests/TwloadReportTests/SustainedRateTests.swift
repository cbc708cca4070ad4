import Testing
import TwloadCensus
import TwloadModel

@testable import TwloadReport

/// The rate a search's result holds indefinitely, from the port budget.
@Suite struct SustainedRateTests {
    func description(
        close: CloseSide = .client, linger: LingerMode = .off, sourcePorts: PortRange? = nil, twReuse: Int = 0,
        loopback: Bool = true
    ) -> RunDescription {
        let kernel = KernelSettings(localPortRange: PortRange(low: 32768, high: 60999), twReuse: twReuse)
        let prediction = Prediction(
            Prediction.Inputs(
                kernel: kernel, rate: 200, close: close, linger: linger, sourcePorts: sourcePorts,
                explicitBind: false, sourceAddresses: 1, targetIsLoopback: loopback, threads: 1, cores: 2))
        return RunDescription(
            target: "127.0.0.1:8080", builtinServer: true, rate: 200, close: close, linger: linger,
            portsPerAddress: prediction.portsPerAddress, sourceAddressCount: 1, prediction: prediction)
    }

    @Test func clientCloseIsBoundByPortsOverSixtySecondsBelowTheShortTermMaximum() {
        let d = description(sourcePorts: PortRange(low: 40000, high: 40999))
        let s = SustainedRate.of(maximum: 200, maximumBound: .hostPorts, description: d, systemRange: false)
        #expect(abs(s.rate - 1000.0 / 60) < 1e-9)
        #expect(s.bound == .hostPorts)
        #expect(s.basis == "1000 ports ÷ 60 s of TIME_WAIT = 16.7/s")
    }

    @Test func theSystemRangeIsBoundByItsEvenHalf() {
        let s = SustainedRate.of(maximum: 5000, maximumBound: .hostCPU, description: description(), systemRange: true)
        #expect(abs(s.rate - 28232.0 / 2 / 60) < 1e-9)
        #expect(s.bound == .hostPorts)
        #expect(s.basis.contains("28232 ports ÷ 60 s of TIME_WAIT = 471/s"), "\(s.basis)")
        #expect(s.basis.contains("connect() slows above 235/s, once the even half"), "\(s.basis)")
    }

    @Test func aBudgetAboveTheMaximumLeavesTheMaximumAndItsBound() {
        let d = description(sourcePorts: PortRange(low: 1024, high: 65535))
        let s = SustainedRate.of(maximum: 300, maximumBound: .server, description: d, systemRange: false)
        #expect(s.rate == 300)
        #expect(s.bound == .server)
        #expect(s.basis.hasSuffix(", above the short-term maximum"), "\(s.basis)")
    }

    @Test func serverCloseResetAndReuseLeaveNoBudgetToRunDown() {
        let server = SustainedRate.of(
            maximum: 30_000, maximumBound: .hostCPU, description: description(close: .server), systemRange: true)
        #expect(server.rate == 30_000 && server.bound == .hostCPU)
        #expect(server.basis.contains("the server closes first"), "\(server.basis)")
        let reset = SustainedRate.of(
            maximum: 40_000, maximumBound: .hostCPU, description: description(linger: .reset), systemRange: true)
        #expect(reset.rate == 40_000)
        #expect(reset.basis.contains("SO_LINGER 0"), "\(reset.basis)")
        let reuse = SustainedRate.of(
            maximum: 9000, maximumBound: nil, description: description(twReuse: 2, loopback: true), systemRange: true)
        #expect(reuse.rate == 9000 && reuse.bound == nil)
        #expect(reuse.basis.contains("tcp_tw_reuse=2"), "\(reuse.basis)")
    }
}
