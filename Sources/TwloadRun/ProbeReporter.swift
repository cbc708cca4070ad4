import Synchronization
import TwloadReport

/// The reporter a `twload find` probe runs with: the search's own lines replace each probe's notes and
/// preflight block, the live status passes through, and each distinct warning is shown once per search
/// (every probe would repeat a sampler's fallback, say).
final class ProbeReporter<Outer: RunReporter>: RunReporter, Sendable {
    let outer: Outer
    private let warned = Mutex<Set<String>>([])

    init(_ outer: Outer) { self.outer = outer }

    func note(_ line: String) {}

    func warning(_ line: String) {
        let isNew = warned.withLock { $0.insert(line).inserted }
        if isNew { outer.warning(line) }
    }

    func liveStatusDisplay(csvDescriptor: Int32) -> LiveStatusDisplay {
        outer.liveStatusDisplay(csvDescriptor: csvDescriptor)
    }

    var statusColumns: Int? { outer.statusColumns }

    func liveStatus(_ text: String) { outer.liveStatus(text) }
}
