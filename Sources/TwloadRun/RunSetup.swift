import TwloadCensus
import TwloadConfig
import TwloadSystem

/// What `run` and `watch` both start the same way, with their failures as `RunFailure`s.
enum RunSetup {
    /// The CSV's destination, opened: standard output, or a file created (or truncated).
    static func open(_ destination: OutputDestination) throws(RunFailure) -> OutputFile {
        guard let path = destination.path else { return .standardOutput() }
        do {
            return try OutputFile(creating: path)
        } catch {
            throw .cannotCreateCSV(path: path, error)
        }
    }

    /// A socket sampler for `views`, taking a census at `startNanos + k·intervalNanos`; its warnings go to
    /// `reporter`.
    static func sampler(
        _ views: CensusViews, startNanos: Int64, intervalNanos: Int64, reporter: some RunReporter
    ) throws(RunFailure) -> SocketSampler {
        do {
            let sampler = try SocketSampler(views: views, warn: { reporter.note($0) })
            try sampler.start(startNanos: startNanos, intervalNanos: intervalNanos)
            return sampler
        } catch {
            throw .system(context: "starting the socket sampler", error)
        }
    }
}
