import TwloadCensus
import TwloadConfig
import TwloadSystem

/// What `run` and `watch` both start the same way, with their failures as `RunFailure`s.
enum RunSetup {
    /// How long `--csv` waits for a FIFO's reader to appear.
    static let fifoReaderWaitNanos: Int64 = 1_000_000_000

    /// The CSV's destination, opened: standard output, or a file created (or truncated). Call it before the
    /// run blocks its signals, so that Ctrl-C still ends twload while this waits.
    ///
    /// A FIFO is opened without blocking, retried every 10 ms while no process reads it, and given up after
    /// 1 s: an open that blocked would wait for a reader forever. A standard output that was closed at start
    /// (it is /dev/null now) is refused: rows written there would be lost without a word.
    static func open(_ destination: OutputDestination) throws(RunFailure) -> OutputFile {
        guard let path = destination.path else {
            if StandardStreams.wasClosedAtStart(1) {
                throw .csvUnavailable(
                    "--csv -: standard output is closed; give --csv FILE, or --csv /dev/null to discard the rows")
            }
            return .standardOutput()
        }
        let deadline = MonotonicClock.now() + fifoReaderWaitNanos
        while true {
            do {
                return try OutputFile(creating: path)
            } catch let error where error.errno == .noSuchDeviceOrAddress && OutputFile.isFIFO(path) {
                if MonotonicClock.now() >= deadline {
                    throw .csvUnavailable(
                        "--csv: \(path): a FIFO with no reader after \(fifoReaderWaitNanos / 1_000_000_000) s")
                }
                Sleep.nanoseconds(10_000_000)
            } catch {
                throw .cannotCreateCSV(path: path, error)
            }
        }
    }

    /// The JSON summary's file, created (or truncated) now, before any load; nil when none is asked for.
    static func create(summaryJSON path: String?) throws(RunFailure) -> OutputFile? {
        guard let path else { return nil }
        do throws(SystemError) {
            return try OutputFile(creating: path)
        } catch {
            throw .cannotCreateSummary(path: path, error)
        }
    }

    /// A socket sampler for `views`, taking a census at `startNanos + k·intervalNanos`; its warnings go to
    /// `reporter`. A run's sampler also counts the TIME_WAIT sockets that are younger than its start.
    static func sampler(
        _ views: CensusViews, startNanos: Int64, intervalNanos: Int64, countsRunTimeWait: Bool = false,
        reporter: some RunReporter
    ) throws(RunFailure) -> SocketSampler {
        do {
            let sampler = try SocketSampler(views: views, warn: { reporter.warning($0) })
            try sampler.start(
                startNanos: startNanos, intervalNanos: intervalNanos, countsRunTimeWait: countsRunTimeWait)
            return sampler
        } catch {
            throw .system(context: "starting the socket sampler", error)
        }
    }
}
