import Synchronization
import TwloadRun

/// A run reporter that keeps every note and the preflight block, for tests to read afterwards.
public final class NoteCollector: RunReporter {
    private let store = Mutex<(notes: [String], preflight: String)>(([], ""))

    public init() {}

    public func note(_ line: String) { store.withLock { $0.notes.append(line) } }
    public func preflight(_ text: String) { store.withLock { $0.preflight += text } }

    /// The notes so far, in order.
    public var notes: [String] { store.withLock { $0.notes } }
    /// The preflight text so far.
    public var preflightText: String { store.withLock { $0.preflight } }
}
