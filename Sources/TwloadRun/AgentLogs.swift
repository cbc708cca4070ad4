import TwloadHistogramLog
import TwloadModel
import TwloadStats
import TwloadSystem

/// A fleet agent's histogram logs (`run --out`): one HdrHistogram interval log per latency,
/// `agent-I.NAME.hlog`, one line per CSV row with that row's histogram, so that `twload merge` adds the
/// agents' histograms bucket by bucket and standard HdrHistogram tools read them.
final class AgentLogs: Sendable {
    /// One open log.
    final class Log: Sendable {
        let name: String
        let file: OutputFile

        init(name: String, file: consuming OutputFile) {
            self.name = name
            self.file = file
        }
    }

    let logs: [Log]

    /// Creates every log in `dir` and writes its header (the start time is interval 0's, `origin`).
    init(dir: String, agent: AgentSlot, origin: WallTime) throws(RunFailure) {
        var logs: [Log] = []
        let header = HistogramLogWriter.header(
            unixSeconds: origin.unixNanos / 1_000_000_000, nanoseconds: Int32(origin.unixNanos % 1_000_000_000))
        for name in LatencyHistograms.logNames {
            let path = AgentFiles.path(in: dir, agent: agent.index, .hlog(name))
            do throws(SystemError) {
                let file = try OutputFile(creating: path)
                try file.writeRecord(header)
                logs.append(Log(name: name, file: file))
            } catch {
                throw .cannotCreateOut(path: path, error)
            }
        }
        self.logs = logs
    }

    /// Appends interval `index`'s line to every log: it starts `startNanos` after interval 0 and lasts
    /// `lengthNanos` (the last one holds the drain).
    func write(_ latency: LatencyHistograms, startNanos: Int64, lengthNanos: Int64) throws(SystemError) {
        for log in logs {
            guard let h = latency[logName: log.name] else { continue }
            let line: String
            do {
                line = try HistogramLogWriter.intervalLine(
                    startNanos: startNanos, lengthNanos: lengthNanos, histogram: h)
            } catch {
                // Encoding a histogram twload recorded cannot fail short of memory; say so as EIO.
                throw SystemError(errno: Errno(rawValue: 5), call: "hlog")
            }
            try log.file.writeRecord(line)
        }
    }
}
