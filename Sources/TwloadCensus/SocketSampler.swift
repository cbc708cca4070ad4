import Synchronization
import TwloadEventLoop
import TwloadSystem

/// Takes a socket census at every interval boundary on its own thread, so that its cost never touches an
/// event loop's pacing. A census that overruns the next boundary makes the sampler skip that boundary:
/// its row gets empty cells rather than a stale number.
public final class SocketSampler: Sendable {
    public let views: CensusViews
    private let useSockDiag: Bool
    private let warn: @Sendable (String) -> Void
    private let latest = Mutex<CensusSample?>(nil)
    private let thread = Mutex<OSThread?>(nil)
    /// The run's start, once `start` knows it: TIME_WAIT sockets younger than the run are the run's own.
    private let runStart = Mutex<Int64?>(nil)
    private let control: RunControl

    public init(
        views: CensusViews, useSockDiag: Bool = true, warn: @escaping @Sendable (String) -> Void
    )
        throws(SystemError)
    {
        self.views = views
        self.useSockDiag = useSockDiag
        self.warn = warn
        control = try RunControl()
    }

    /// Whether the target's server side is visible from here: its address belongs to this host (or
    /// namespace) and something listens on its port.
    public static func serverIsLocal(_ target: SocketAddress) -> Bool {
        guard Socket.isLocalAddress(target) else { return false }
        let taker = CensusTaker(views: CensusViews(), warn: { _ in })
        return (taker.count(.localPort(target.port), states: .listen)?.listen ?? 0) > 0
    }

    /// Starts sampling at `startNanos + k·intervalNanos`, k >= 1.
    public func start(startNanos: Int64, intervalNanos: Int64, countsRunTimeWait: Bool = false) throws(SystemError) {
        if countsRunTimeWait { runStart.withLock { $0 = startNanos } }
        let t = try OSThread(name: "twload-sampler") { [self] in
            let taker = CensusTaker(views: views, useSockDiag: useSockDiag, warn: warn)
            // Sleep until the boundary in one wait that a stop ends at once (the stop eventfd), or, if
            // that cannot be set up or fails, in steps of at most 50 ms (never a spin until the boundary).
            let step = { (nanos: Int64) in Sleep.nanoseconds(min(nanos, 50_000_000)) }
            do throws(SystemError) {
                let waiter = try Epoll(capacity: 1)
                try waiter.add(control.wakeFD, .readable, tag: 0)
                runSampling(taker, startNanos: startNanos, intervalNanos: intervalNanos) { nanos in
                    do { _ = try waiter.wait(timeoutNanoseconds: nanos) } catch { step(nanos) }
                }
            } catch {
                runSampling(taker, startNanos: startNanos, intervalNanos: intervalNanos, sleep: step)
            }
        }
        thread.withLock { $0 = t }
    }

    /// The sampling loop: a census at every boundary until a stop. `sleep` waits up to the given
    /// nanoseconds (it may return early; the loop checks the clock and the stop flag again).
    private func runSampling(_ taker: CensusTaker, startNanos: Int64, intervalNanos: Int64, sleep: (Int64) -> Void) {
        var k: Int64 = 1
        while true {
            let boundary = startNanos + k * intervalNanos
            while !control.stopRequested {
                let left = boundary - MonotonicClock.now()
                if left <= 0 { break }
                sleep(left)
            }
            if control.stopRequested { return }
            let sample = taker.take(boundary: Int(k), runStartNanos: runStart.withLock { $0 })
            latest.withLock { $0 = sample }
            // Skip every boundary this census overran.
            let now = MonotonicClock.now()
            k = max(k + 1, (now - startNanos) / intervalNanos + 1)
        }
    }

    /// The census of boundary `k`, waiting up to `timeoutNanos` for it; nil if that boundary was skipped
    /// or is late.
    public func sample(atBoundary k: Int, timeoutNanos: Int64) -> CensusSample? {
        let deadline = MonotonicClock.now() + timeoutNanos
        while true {
            if let s = latest.withLock({ $0 }), s.boundary >= k { return s.boundary == k ? s : nil }
            if MonotonicClock.now() >= deadline { return nil }
            Sleep.nanoseconds(500_000)
        }
    }

    /// Stops the thread, then takes one census right now (for a final, possibly partial, row).
    public func finalSample() -> CensusSample {
        stop()
        // The sampler thread has already warned about a fallback, if there was one.
        return CensusTaker(views: views, useSockDiag: useSockDiag, warn: { _ in })
            .take(boundary: Int.max, runStartNanos: runStart.withLock { $0 })
    }

    public func stop() {
        control.requestStop()
        if let t = thread.withLock({ $0.take() }) { t.join() }
    }
}
