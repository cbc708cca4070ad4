import TwloadConfig
import TwloadServer
import TwloadStats
import TwloadSystem

/// `twload serve`: the built-in server on its own, until SIGINT/SIGTERM/SIGQUIT or the optional duration.
public enum ServeRun {
    /// Serves and returns the final counters. `onListening` receives the bound address.
    public static func execute(
        _ config: ServeConfiguration, onListening: (SocketAddress) -> Void
    )
        throws(RunFailure) -> ServerCounters
    {
        var settings = ServerSettings(
            listen: config.listen, close: config.close, linger: config.linger, wireProtocol: config.wireProtocol,
            awaitRequest: config.awaitRequest)
        settings.holdNanos = config.holdNanos
        if let n = config.maxRequests { settings.maxRequests = n }
        settings.keepAliveTimeoutNanos = config.keepAliveTimeoutNanos
        BrokenPipeSignal.ignore()
        _ = try? ResourceLimits.raiseOpenFilesLimit()
        TerminationSignals.block()
        defer { TerminationSignals.unblock() }
        let server: BuiltinServer
        do {
            server = try BuiltinServer(settings: settings)
            try server.start()
        } catch {
            throw .system(context: "--listen \(settings.listen)", error)
        }
        onListening(server.address)
        let end = config.durationNanos.map { MonotonicClock.now() + $0 }
        while true {
            let wait = end.map { $0 - MonotonicClock.now() } ?? 1_000_000_000
            if let end, MonotonicClock.now() >= end { break }
            if TerminationSignals.wait(nanoseconds: min(wait, 1_000_000_000)) != nil { break }
        }
        return server.stop()
    }
}
