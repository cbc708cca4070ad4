/// The outcome of feeding bytes (or end of file) to an `HTTPResponseParser`.
public enum HTTPParseStatus: Equatable, Sendable {
    /// The response is not finished yet; keep reading.
    case needMore
    /// The final byte of a complete response has been seen.
    case complete(status: UInt16)
    /// The bytes are not a valid HTTP/1.x response. Terminal until `reset()`.
    case malformed
    /// The peer closed the connection before the response was complete.
    case truncated
}

/// An incremental, allocation-free HTTP/1.x response parser.
///
/// Its whole state is a handful of integers, so it can live inline in a per-connection
/// slot. Bytes may arrive split at any boundary; nothing is buffered. Only the two headers
/// that delimit the body (`Content-Length`, `Transfer-Encoding`) are recognised, by
/// matching their names byte by byte, and `Connection` for its `close` token (the server will close after
/// this response, so a keep-alive client sends nothing more); every other header line is skipped. Interim 1xx
/// responses are skipped (except 101, which ends the HTTP exchange and completes with no
/// body). Both "\r\n" and bare "\n" line endings are accepted. Once a response completes,
/// any further bytes are ignored until `reset()`.
public struct HTTPResponseParser: Sendable, BitwiseCopyable {
    private enum Phase: UInt8 {
        case statusPrefix, statusVersion, statusCode, statusAfterCode, statusReason
        case headerLineStart, headerBlankLF, skipHeaderLine
        case contentLengthName, contentLengthValue, transferEncodingName, transferEncodingValue
        case connectionName, connectionValue
        case body, untilClose
        case chunkSize, chunkExtension, chunkData, chunkDataEnd, chunkDataLF
        case trailerLineStart, trailerBlankLF, skipTrailerLine
        case done, failed
    }

    // Bits of `flags`.
    private static let hasContentLength: UInt8 = 1 << 0
    private static let chunked: UInt8 = 1 << 1
    private static let tokenMismatch: UInt8 = 1 << 2  // current Transfer-Encoding token is not "chunked"
    private static let tokenEnded: UInt8 = 1 << 3  // whitespace seen after the current token
    private static let closeToken: UInt8 = 1 << 4  // a Connection header listed "close"

    private static let contentLengthName: StaticString = "content-length"
    private static let transferEncodingName: StaticString = "transfer-encoding"
    private static let chunkedToken: StaticString = "chunked"
    private static let connectionName: StaticString = "connection"
    private static let closeTokenName: StaticString = "close"

    private var phase: Phase = .statusPrefix
    /// Position within the literal being matched, or a small sub-state of a value phase.
    private var index: UInt8 = 0
    private var flags: UInt8 = 0
    /// Status code of the response being parsed; after `.complete`, of the final response.
    public private(set) var statusCode: UInt16 = 0
    private var contentLength: UInt64 = 0
    /// Bytes left in the body or current chunk; also the accumulator for numeric values.
    private var remaining: UInt64 = 0

    public init() {}

    /// The response said `Connection: close`: the server closes the connection after it.
    public var connectionClose: Bool { flags & Self.closeToken != 0 }

    /// Forgets everything, ready for the next response on the connection.
    public mutating func reset() {
        self = HTTPResponseParser()
    }

    /// Feeds the next bytes received on the connection.
    ///
    /// Returns `.complete` as soon as the response's final byte is seen; bytes after it are
    /// ignored. `.complete` and `.malformed` are sticky until `reset()`.
    public mutating func consume(_ bytes: UnsafeRawBufferPointer) -> HTTPParseStatus {
        var i = 0
        let count = bytes.count
        while i < count {
            switch phase {
            case .done:
                return .complete(status: statusCode)
            case .failed:
                return .malformed
            case .untilClose:
                return .needMore
            case .body, .chunkData:
                let n = Int(min(remaining, UInt64(count - i)))
                i += n
                remaining -= UInt64(n)
                if remaining == 0 { phase = phase == .body ? .done : .chunkDataEnd }
            default:
                step(bytes[i])
                i += 1
            }
        }
        switch phase {
        case .done: return .complete(status: statusCode)
        case .failed: return .malformed
        default: return .needMore
        }
    }

    /// Reports that the peer closed the connection (a read returned 0).
    ///
    /// Completes a body delimited by connection close; anything else unfinished is `.truncated`.
    public mutating func endOfFile() -> HTTPParseStatus {
        switch phase {
        case .untilClose, .done:
            phase = .done
            return .complete(status: statusCode)
        case .failed:
            return .malformed
        default:
            return .truncated
        }
    }

    // MARK: - Byte-at-a-time state machine

    /// Advances the state machine by one byte of any phase other than the bulk body phases.
    private mutating func step(_ byte: UInt8) {
        switch phase {
        case .statusPrefix:  // "HTTP/", case-sensitive
            guard byte == Self.byte(of: "HTTP/", at: index) else { return fail() }
            index += 1
            if index == 5 {
                phase = .statusVersion
                index = 0
            }

        case .statusVersion:
            if byte == .space, index > 0 {
                phase = .statusCode
                index = 0
            } else if byte.isDigit || byte == .dot, index < 8 {
                index += 1
            } else {
                fail()
            }

        case .statusCode:
            guard byte.isDigit else { return fail() }
            statusCode = statusCode * 10 + UInt16(byte - .zero)
            index += 1
            if index == 3 {
                guard statusCode >= 100 else { return fail() }
                phase = .statusAfterCode
            }

        case .statusAfterCode:
            // The reason phrase (possibly empty, possibly absent) is ignored.
            switch byte {
            case .space, .cr: phase = .statusReason
            case .lf: phase = .headerLineStart
            default: fail()
            }
        case .statusReason:
            if byte == .lf { phase = .headerLineStart }

        case .headerLineStart:
            index = 1
            switch byte.asciiLowercased {
            case .cr: phase = .headerBlankLF
            case .lf: endOfHeaders()
            case Self.byte(of: Self.contentLengthName, at: 0): phase = .contentLengthName
            case Self.byte(of: Self.transferEncodingName, at: 0): phase = .transferEncodingName
            default: phase = .skipHeaderLine
            }

        case .headerBlankLF:
            if byte == .lf { endOfHeaders() } else { fail() }
        case .skipHeaderLine:
            if byte == .lf { phase = .headerLineStart }

        case .contentLengthName:
            // "content-length" and "connection" share "con": the fourth byte tells them apart.
            if index == 3, byte.asciiLowercased == Self.byte(of: Self.connectionName, at: 3) {
                phase = .connectionName
                index = 4
            } else {
                matchName(byte, Self.contentLengthName, then: .contentLengthValue)
            }
        case .connectionName:
            matchName(byte, Self.connectionName, then: .connectionValue)
        case .connectionValue:
            connectionByte(byte)
        case .transferEncodingName:
            matchName(byte, Self.transferEncodingName, then: .transferEncodingValue)

        case .contentLengthValue:
            contentLengthByte(byte)
        case .transferEncodingValue:
            transferEncodingByte(byte)

        case .chunkSize:
            chunkSizeByte(byte)
        case .chunkExtension:  // extensions are ignored
            if byte == .lf { endOfChunkSizeLine() }

        case .chunkDataEnd:  // the CRLF after a chunk's data
            switch byte {
            case .cr: phase = .chunkDataLF
            case .lf: startChunkSize()
            default: fail()
            }
        case .chunkDataLF:
            if byte == .lf { startChunkSize() } else { fail() }

        case .trailerLineStart:
            switch byte {
            case .cr: phase = .trailerBlankLF
            case .lf: phase = .done
            default: phase = .skipTrailerLine
            }
        case .trailerBlankLF:
            if byte == .lf { phase = .done } else { fail() }
        case .skipTrailerLine:
            if byte == .lf { phase = .trailerLineStart }

        case .body, .chunkData, .untilClose, .done, .failed:
            break  // handled in bulk by `consume`
        }
    }

    /// Continues matching a header name; on a mismatch the rest of the line is skipped.
    private mutating func matchName(_ byte: UInt8, _ name: StaticString, then valuePhase: Phase) {
        if Int(index) < name.utf8CodeUnitCount, byte.asciiLowercased == Self.byte(of: name, at: index) {
            index += 1
        } else if byte == .colon, Int(index) == name.utf8CodeUnitCount {
            phase = valuePhase
            index = 0
            remaining = 0
            flags &= ~(Self.tokenMismatch | Self.tokenEnded)
        } else {
            phase = byte == .lf ? .headerLineStart : .skipHeaderLine
        }
    }

    /// `index`: 0 before the digits, 1 within them, 2 in trailing whitespace.
    private mutating func contentLengthByte(_ byte: UInt8) {
        if byte.isDigit {
            guard index < 2 else { return fail() }
            index = 1
            let (times10, o1) = remaining.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(byte - .zero))
            guard !o1, !o2 else { return fail() }
            remaining = sum
        } else if byte.isWhitespace || byte == .cr {
            if index == 1 { index = 2 }
        } else if byte == .lf, index > 0 {
            // Repeated Content-Length headers must agree.
            if flags & Self.hasContentLength != 0, contentLength != remaining { return fail() }
            contentLength = remaining
            flags |= Self.hasContentLength
            phase = .headerLineStart
        } else {
            fail()
        }
    }

    /// Tracks whether the last comma-separated token of the value is "chunked".
    /// `index` counts the bytes of the current token that matched "chunked".
    private mutating func transferEncodingByte(_ byte: UInt8) {
        let tokenStarted = index > 0 || flags & Self.tokenMismatch != 0
        switch byte {
        case .comma:
            index = 0
            flags &= ~(Self.tokenMismatch | Self.tokenEnded)
        case .space, .tab, .cr:
            if tokenStarted { flags |= Self.tokenEnded }
        case .lf:
            flags = tokenIs(Self.chunkedToken) ? flags | Self.chunked : flags & ~Self.chunked
            phase = .headerLineStart
        default:
            matchTokenByte(byte, Self.chunkedToken)
        }
    }

    /// Sets `closeToken` when any comma-separated token of the value is "close" (case-insensitive).
    /// `index` counts the bytes of the current token that matched "close".
    private mutating func connectionByte(_ byte: UInt8) {
        let tokenStarted = index > 0 || flags & Self.tokenMismatch != 0
        switch byte {
        case .comma, .lf:
            if tokenIs(Self.closeTokenName) { flags |= Self.closeToken }
            index = 0
            flags &= ~(Self.tokenMismatch | Self.tokenEnded)
            if byte == .lf { phase = .headerLineStart }
        case .space, .tab, .cr:
            if tokenStarted { flags |= Self.tokenEnded }
        default:
            matchTokenByte(byte, Self.closeTokenName)
        }
    }

    /// Matches one more byte of the current comma-separated token against `token` (case-insensitive); any
    /// other byte, or one after the token's end, marks the token as not `token`.
    private mutating func matchTokenByte(_ byte: UInt8, _ token: StaticString) {
        if flags & (Self.tokenMismatch | Self.tokenEnded) == 0, Int(index) < token.utf8CodeUnitCount,
            byte.asciiLowercased == Self.byte(of: token, at: index)
        {
            index += 1
        } else {
            flags |= Self.tokenMismatch
        }
    }

    /// Whether the current token is `token` whole.
    private func tokenIs(_ token: StaticString) -> Bool {
        index == UInt8(token.utf8CodeUnitCount) && flags & Self.tokenMismatch == 0
    }

    /// `index`: 0 before the hex digits, 1 within them, 2 in trailing whitespace.
    private mutating func chunkSizeByte(_ byte: UInt8) {
        if let digit = byte.hexValue {
            guard index < 2, remaining <= UInt64.max >> 4 else { return fail() }
            index = 1
            remaining = remaining << 4 | UInt64(digit)
        } else if byte.isWhitespace || byte == .cr {
            if index == 1 { index = 2 }
        } else if byte == .semicolon, index > 0 {
            phase = .chunkExtension
        } else if byte == .lf, index > 0 {
            endOfChunkSizeLine()
        } else {
            fail()
        }
    }

    private mutating func startChunkSize() {
        phase = .chunkSize
        index = 0
        remaining = 0
    }

    private mutating func endOfChunkSizeLine() {
        phase = remaining == 0 ? .trailerLineStart : .chunkData
    }

    /// Chooses how the body is delimited once the blank line ending the headers is seen.
    private mutating func endOfHeaders() {
        switch statusCode {
        case 100...199 where statusCode != 101:
            self = HTTPResponseParser()  // interim response: parse the next one
        case 101, 204, 304:
            phase = .done
        default:
            if flags & Self.chunked != 0 {
                startChunkSize()
            } else if flags & Self.hasContentLength != 0 {
                remaining = contentLength
                phase = contentLength == 0 ? .done : .body
            } else {
                phase = .untilClose
            }
        }
    }

    private mutating func fail() {
        phase = .failed
    }

    private static func byte(of literal: StaticString, at offset: UInt8) -> UInt8 {
        literal.utf8Start[Int(offset)]
    }
}

extension UInt8 {
    fileprivate static var tab: UInt8 { UInt8(ascii: "\t") }
    fileprivate static var lf: UInt8 { UInt8(ascii: "\n") }
    fileprivate static var cr: UInt8 { UInt8(ascii: "\r") }
    fileprivate static var space: UInt8 { UInt8(ascii: " ") }
    fileprivate static var comma: UInt8 { UInt8(ascii: ",") }
    fileprivate static var dot: UInt8 { UInt8(ascii: ".") }
    fileprivate static var colon: UInt8 { UInt8(ascii: ":") }
    fileprivate static var semicolon: UInt8 { UInt8(ascii: ";") }
    fileprivate static var zero: UInt8 { UInt8(ascii: "0") }

    fileprivate var isDigit: Bool { self >= .zero && self <= UInt8(ascii: "9") }
    fileprivate var isWhitespace: Bool { self == .space || self == .tab }

    fileprivate var asciiLowercased: UInt8 {
        self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z") ? self + 0x20 : self
    }

    fileprivate var hexValue: UInt8? {
        if isDigit { return self - .zero }
        let lower = asciiLowercased
        if lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "f") { return lower - UInt8(ascii: "a") + 10 }
        return nil
    }
}
