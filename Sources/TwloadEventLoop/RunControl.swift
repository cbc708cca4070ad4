import Synchronization
import TwloadSystem

/// Shared stop switch for the threads of one run: an atomic flag checked once per loop pass, and an
/// eventfd registered in every event loop so that a sleeping loop wakes at once.
public final class RunControl: Sendable {
    @usableFromInline let stopFlag = Atomic<Bool>(false)
    private let wake: EventFD
    /// The eventfd to register (readable once a stop is requested).
    public var wakeFD: Int32 { wake.fd }

    public init() throws(SystemError) {
        wake = try EventFD()
    }

    /// Asks every loop to stop. Safe from any thread, idempotent.
    public func requestStop() {
        if !stopFlag.exchange(true, ordering: .acquiringAndReleasing) { wake.signal() }
    }

    /// Read once per loop pass: inlinable, a single atomic load in the loop.
    @inlinable
    public var stopRequested: Bool { stopFlag.load(ordering: .acquiring) }
}
