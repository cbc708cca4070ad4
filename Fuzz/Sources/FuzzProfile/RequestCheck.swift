import FuzzSupport
import Glibc
import TwloadConfig
import TwloadEngine

/// Builds the HTTP request a run sends (the Host header as `RunPlan` writes it, the path) and checks that
/// the profile's text cannot add a line to it: the request is exactly the request line, Host, User-Agent,
/// Accept and, for a server close, Connection, each ended by CR LF, then the blank line; no other CR, LF
/// or NUL byte.
enum RequestCheck {
    static func run(_ config: RunConfiguration) {
        let host =
            config.target.map { t in
                t.address.family == AF_INET6 ? "[\(t.host)]:\(t.address.port)" : "\(t.host):\(t.address.port)"
            } ?? "127.0.0.1"
        let connectionClose = config.close == .server
        let request = HTTPRequest.get(host: host, path: config.path, connectionClose: connectionClose)
        // CR LF ends the request line, each header and the blank line; nothing else may be CR, LF or NUL.
        let lineEnds = (connectionClose ? 5 : 4) + 1
        let crlf = zip(request, request.dropFirst()).filter { $0 == (13, 10) }.count
        let controls = request.filter { $0 == 13 || $0 == 10 || $0 == 0 }.count
        fuzzCheck(
            crlf == lineEnds && controls == 2 * lineEnds && request.suffix(4) == [13, 10, 13, 10],
            "the request is not the lines it should be: \(String(decoding: request, as: UTF8.self).debugDescription)")
    }
}
