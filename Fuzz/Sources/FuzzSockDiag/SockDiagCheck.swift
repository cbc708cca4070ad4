import FuzzSupport
import TwloadCensus

/// Feeds datagrams to `SockDiagParser`, each in a heap block of its exact size (so AddressSanitizer sees any
/// read past its end), and compares every step with `SockDiagModel`, a plain reading of the netlink layout.
enum SockDiagCheck {
    static func run(datagrams: [ArraySlice<UInt8>], sequence: UInt32?) {
        var parser = SockDiagParser(sequence: sequence)
        var model = SockDiagModel(sequence: sequence)
        for datagram in datagrams {
            let before = parser
            let status = withExactBuffer(datagram) { parser.consume($0) }
            let expected = model.consume(datagram)
            fuzzCheck(status == expected, "status \(status), the netlink layout says \(expected)")
            fuzzCheck(parser.status == status, "status property \(parser.status) after returning \(status)")
            fuzzCheck(parser.counts.perState == model.perState, "counts \(parser.counts.perState) vs \(model.perState)")
            fuzzCheck(
                parser.ipv4Sockets == model.ipv4 && parser.ipv6Sockets == model.ipv6,
                "families \(parser.ipv4Sockets)/\(parser.ipv6Sockets) vs \(model.ipv4)/\(model.ipv6)")
            fuzzCheck(parser.skippedMessages == model.skipped, "skipped \(parser.skippedMessages) vs \(model.skipped)")
            fuzzCheck(
                parser.counts.total <= model.socketMessages
                    && parser.ipv4Sockets + parser.ipv6Sockets <= model.socketMessages,
                "more sockets counted than socket messages")
            if before.status != .needMore {
                fuzzCheck(
                    status == before.status && parser.counts == before.counts,
                    "input after \(before.status) was not ignored")
            }
        }
        // The array entry point reads the same bytes the same way.
        var arrays = SockDiagParser(sequence: sequence)
        for datagram in datagrams { _ = arrays.consume(Array(datagram)) }
        fuzzCheck(arrays.status == parser.status && arrays.counts == parser.counts, "consume([UInt8]) disagrees")
    }
}
