import TwloadEventLoop
import TwloadStats

@testable import TwloadEngine

/// What one client event loop posted over a whole run on the test thread: every sample, their counters
/// summed and their latencies merged.
struct WorkerRun {
    var samples: [IntervalSample] = []
    var sum = IntervalCounters()
    var latency = LatencyHistograms()

    /// Runs a worker with `settings` (on its engine) to its end (schedule and drain) and collects what it posted.
    init(_ settings: WorkerSettings) throws {
        let mailbox = SampleMailbox()
        var worker = try ClientWorker(settings: settings, mailbox: mailbox, control: try RunControl(), closer: nil)
        worker.run()
        while let sample = mailbox.take(index: samples.count) {
            samples.append(sample)
            sum.merge(sample.counters)
            latency.merge(sample.latency)
        }
    }
}
