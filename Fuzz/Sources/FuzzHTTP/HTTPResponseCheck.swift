import FuzzSupport
import TwloadEngine

/// Feeds one response to `HTTPResponseParser` three ways and checks that they agree: one byte at a time (which
/// tells exactly where the response ends), in chunks the input chooses, and as one read. Also checks that
/// terminal statuses are sticky, that further input after them is harmless, and that a response that follows
/// a complete one on the same connection parses after `reset()`.
enum HTTPResponseCheck {
    /// The first status other than `.needMore` and the number of bytes fed when it came.
    struct Terminal: Equatable {
        let status: HTTPParseStatus
        let end: Int
    }

    static func run(response: ArraySlice<UInt8>, chunkSeed: UInt8) {
        // One byte at a time: the reference for where and how the response ends.
        var reference = HTTPResponseParser()
        let terminal = byteByByte(response, into: &reference)
        if let terminal {
            // Sticky: the rest of the input, or the whole of it again, changes nothing.
            fuzzCheck(feed(response, into: &reference) == terminal.status, "status after \(terminal) changed")
        }
        let referenceEOF = reference.endOfFile()
        checkEndOfFile(referenceEOF, after: terminal?.status, reference)

        // Chunks chosen by the input: the terminal status comes with the chunk that holds the byte that ended it.
        var chunker = Chunker(seed: chunkSeed)
        var parser = HTTPResponseParser()
        var fed = 0
        var first: Terminal?
        for chunk in chunker.chunks(of: response) {
            let status = feed(chunk, into: &parser)
            check(status, parser)
            fed += chunk.count
            if let first {
                fuzzCheck(status == first.status, "\(first.status) then \(status) at byte \(fed)")
            } else if status != .needMore {
                first = Terminal(status: status, end: fed)
                fuzzCheck(
                    terminal.map { $0.status == status && fed - chunk.count < $0.end && $0.end <= fed } ?? false,
                    "chunked read ended with \(status) at byte \(fed); byte by byte: \(String(describing: terminal))")
            }
        }
        fuzzCheck(
            first != nil || terminal == nil, "byte by byte ended with \(String(describing: terminal)), chunks never")
        let eof = parser.endOfFile()
        fuzzCheck(eof == referenceEOF, "end of file: \(eof) in chunks, \(referenceEOF) byte by byte")
        // A second end of file, then more bytes (a buggy caller): no trap, and a verdict stays.
        fuzzCheck(parser.endOfFile() == eof, "second end of file changed \(eof)")
        let after = feed(response, into: &parser)
        fuzzCheck(eof == .truncated || after == eof, "bytes after end of file changed \(eof) to \(after)")

        // One read of everything.
        var whole = HTTPResponseParser()
        fuzzCheck(
            feed(response, into: &whole) == (terminal?.status ?? .needMore),
            "one read disagrees with byte by byte \(String(describing: terminal))")

        // Keep-alive: after a complete response, the next bytes are the next response.
        if let terminal, case .complete = terminal.status, terminal.end < response.count {
            whole.reset()
            let next = response.dropFirst(terminal.end)
            check(feed(next, into: &whole), whole)
            let eof = whole.endOfFile()
            check(eof == .truncated ? .needMore : eof, whole)
        }
    }

    /// Feeds `bytes` one at a time until a status other than `.needMore`.
    static func byteByByte(_ bytes: ArraySlice<UInt8>, into parser: inout HTTPResponseParser) -> Terminal? {
        let one = UnsafeMutableRawBufferPointer.allocate(byteCount: 1, alignment: 1)
        defer { one.deallocate() }
        for (n, byte) in bytes.enumerated() {
            one[0] = byte
            let status = parser.consume(UnsafeRawBufferPointer(one))
            check(status, parser)
            if status != .needMore { return Terminal(status: status, end: n + 1) }
        }
        return nil
    }

    static func feed(_ bytes: ArraySlice<UInt8>, into parser: inout HTTPResponseParser) -> HTTPParseStatus {
        guard !bytes.isEmpty else { return parser.consume(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return withExactBuffer(bytes) { parser.consume($0) }
    }

    /// What any status must satisfy: `consume` never says `.truncated`, and a completed response has a
    /// three-digit final (not interim) status, the parser's `statusCode`.
    static func check(_ status: HTTPParseStatus, _ parser: HTTPResponseParser) {
        fuzzCheck(status != .truncated, "consume returned .truncated")
        if case .complete(let code) = status {
            fuzzCheck((100...999).contains(code), "status \(code) is not three digits")
            fuzzCheck(code == 101 || !(100...199).contains(code), "interim status \(code) completed the response")
            fuzzCheck(code == parser.statusCode, "complete(\(code)) but statusCode \(parser.statusCode)")
        }
    }

    /// End of file keeps a terminal status; without one it completes (body until close) or truncates.
    static func checkEndOfFile(_ eof: HTTPParseStatus, after terminal: HTTPParseStatus?, _ parser: HTTPResponseParser) {
        check(eof == .truncated ? .needMore : eof, parser)
        if let terminal {
            fuzzCheck(eof == terminal, "end of file after \(terminal) said \(eof)")
        } else {
            fuzzCheck(eof != .malformed, "end of file said .malformed though no read did")
        }
    }
}
