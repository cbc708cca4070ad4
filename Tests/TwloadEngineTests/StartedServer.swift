import TwloadModel
import TwloadServer
import TwloadSystem

extension BuiltinServer {
    /// The built-in server on an ephemeral loopback port, started, with `adjust` applied to its settings
    /// first (a hold, a keep-alive timeout). It awaits a request in http only. The caller stops it.
    static func startedOnLoopback(
        close: CloseSide, linger: LingerMode, wireProtocol: WireProtocol,
        _ adjust: (inout ServerSettings) -> Void = { _ in }
    ) throws -> BuiltinServer {
        var settings = ServerSettings(
            listen: SocketAddress(ip: "127.0.0.1", port: 0)!, close: close, linger: linger,
            wireProtocol: wireProtocol, awaitRequest: false)
        adjust(&settings)
        let server = try BuiltinServer(settings: settings)
        try server.start()
        return server
    }
}
