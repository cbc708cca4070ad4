import Testing

@testable import TwloadEngine

// MARK: - Helpers

private func bytes(_ text: String) -> [UInt8] {
    Array(text.utf8)
}

/// Feeds each part in turn, returning the status after each.
private func feed(_ parts: [[UInt8]], into parser: inout HTTPResponseParser) -> [HTTPParseStatus] {
    parts.map { part in part.withUnsafeBytes { parser.consume($0) } }
}

/// Parses `response` in one piece and returns the final status.
private func parse(_ response: [UInt8]) -> HTTPParseStatus {
    var parser = HTTPResponseParser()
    return response.withUnsafeBytes { parser.consume($0) }
}

/// Parses `response` then reports end of file, returning both statuses.
private func parseThenEOF(_ response: [UInt8]) -> (HTTPParseStatus, HTTPParseStatus) {
    var parser = HTTPResponseParser()
    let afterBytes = response.withUnsafeBytes { parser.consume($0) }
    return (afterBytes, parser.endOfFile())
}

/// Chunk data that looks like line endings and a last chunk, to prove data is skipped by length.
private let trickyChunkData = "ab\r\n\r\n0\r\n\r\npqrstuvwxyzABCD"

private let chunkedResponse = bytes(
    "HTTP/1.1 200 OK\r\n"
        + "Server: test\r\n"
        + "Transfer-Encoding: chunked\r\n"
        + "Content-Length: 999\r\n"
        + "\r\n"
        + "5;name=value\r\nhello\r\n"
        + "\(String(trickyChunkData.utf8.count, radix: 16)) \r\n\(trickyChunkData)\r\n"
        + "0 ; last\r\n"
        + "X-Trailer: yes\r\n"
        + "Another-Trailer: 1\r\n"
        + "\r\n"
)

// MARK: - Body delimiting

@Test func contentLengthBodyCompletesAfterLastByte() {
    let head = bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhell")
    var parser = HTTPResponseParser()
    #expect(feed([head, bytes("o")], into: &parser) == [.needMore, .complete(status: 200)])
    #expect(parser.statusCode == 200)
}

@Test func bytesAfterCompleteResponseAreIgnored() {
    var parser = HTTPResponseParser()
    let statuses = feed(
        [bytes("HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nokHTTP/garbage"), bytes("more")], into: &parser)
    #expect(statuses == [.complete(status: 201), .complete(status: 201)])
    #expect(parser.endOfFile() == .complete(status: 201))
}

@Test func contentLengthZeroCompletesRightAfterHeaders() {
    #expect(parse(bytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")) == .complete(status: 404))
}

@Test func contentLengthToleratesWhitespaceAroundValue() {
    #expect(parse(bytes("HTTP/1.1 200 OK\r\nContent-Length: \t 3 \t\r\n\r\nabc")) == .complete(status: 200))
    #expect(parse(bytes("HTTP/1.1 200 OK\r\nContent-Length:3\r\n\r\nabc")) == .complete(status: 200))
}

@Test func chunkedBodyWithExtensionsAndTrailersCompletes() {
    var parser = HTTPResponseParser()
    let withoutLastByte = Array(chunkedResponse.dropLast())
    #expect(feed([withoutLastByte, [chunkedResponse.last!]], into: &parser) == [.needMore, .complete(status: 200)])
}

@Test func chunkedWithoutTrailersCompletes() {
    let response = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
    #expect(parse(response) == .complete(status: 200))
}

@Test func closeDelimitedBodyCompletesOnlyAtEndOfFile() {
    var parser = HTTPResponseParser()
    let statuses = feed([bytes("HTTP/1.0 200 OK\r\nServer: x\r\n\r\nsome"), bytes(" body bytes")], into: &parser)
    #expect(statuses == [.needMore, .needMore])
    #expect(parser.endOfFile() == .complete(status: 200))
}

@Test func closeDelimitedEmptyBodyCompletesAtEndOfFile() {
    #expect(parseThenEOF(bytes("HTTP/1.1 200 OK\r\n\r\n")) == (.needMore, .complete(status: 200)))
}

// MARK: - Split points

@Test func everySplitPointOfChunkedResponseGivesSameResult() {
    for split in 0...chunkedResponse.count {
        var parser = HTTPResponseParser()
        let parts = [Array(chunkedResponse[..<split]), Array(chunkedResponse[split...])]
        let statuses = feed(parts, into: &parser)
        let expectedFirst: HTTPParseStatus = split == chunkedResponse.count ? .complete(status: 200) : .needMore
        #expect(statuses == [expectedFirst, .complete(status: 200)], "split at \(split)")
    }
}

@Test(arguments: [
    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
    "HTTP/1.1 200 OK\nTransfer-Encoding: gzip, chunked\n\nA;x\n0123456789\n0\nT: 1\n\n",
])
func everySplitPointOfOtherResponsesGivesSameResult(_ text: String) {
    let response = bytes(text)
    for split in 0..<response.count {
        var parser = HTTPResponseParser()
        let statuses = feed([Array(response[..<split]), Array(response[split...])], into: &parser)
        #expect(statuses == [.needMore, .complete(status: 200)], "split at \(split)")
    }
}

@Test func chunkedResponseFedOneByteAtATimeCompletesOnLastByte() {
    var parser = HTTPResponseParser()
    let statuses = feed(chunkedResponse.map { [$0] }, into: &parser)
    #expect(statuses.dropLast().allSatisfy { $0 == .needMore })
    #expect(statuses.last == .complete(status: 200))
}

@Test func contentLengthResponseFedOneByteAtATimeCompletesOnLastByte() {
    let response = bytes("HTTP/1.1 200 OK\r\ncOnTeNt-LeNgTh: 12\r\nX-Other: content-length: 1\r\n\r\nhello, world")
    var parser = HTTPResponseParser()
    let statuses = feed(response.map { [$0] }, into: &parser)
    #expect(statuses.dropLast().allSatisfy { $0 == .needMore })
    #expect(statuses.last == .complete(status: 200))
}

@Test func bareLineFeedsAreAccepted() {
    let chunked = bytes("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n2\nok\n0\nTrailer: x\n\n")
    #expect(parse(chunked) == .complete(status: 200))
    #expect(parse(bytes("HTTP/1.1 200\nContent-Length: 1\n\nx")) == .complete(status: 200))
}

// MARK: - Truncation

@Test func endOfFileMidContentLengthBodyIsTruncated() {
    #expect(parseThenEOF(bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")) == (.needMore, .truncated))
}

@Test func endOfFileMidHeadersIsTruncated() {
    #expect(parseThenEOF(bytes("HTTP/1.1 200 OK\r\nContent-Le")) == (.needMore, .truncated))
    #expect(parseThenEOF([]) == (.needMore, .truncated))
}

@Test func endOfFileMidChunkIsTruncated() {
    let response = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc")
    #expect(parseThenEOF(response) == (.needMore, .truncated))
    #expect(parseThenEOF(Array(chunkedResponse.dropLast())) == (.needMore, .truncated))
}

// MARK: - Status codes

@Test func continueResponseIsSkippedThenFinalResponseParsed() {
    let response = bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    var parser = HTTPResponseParser()
    #expect(
        feed([Array(response.dropLast()), [response.last!]], into: &parser) == [.needMore, .complete(status: 200)])
    #expect(parser.statusCode == 200)
}

@Test func interimResponseHeadersDoNotLeakIntoFinalResponse() {
    let response = bytes("HTTP/1.1 103 Early Hints\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n\r\nbody")
    #expect(parseThenEOF(response) == (.needMore, .complete(status: 200)))
}

@Test func noContentAndNotModifiedHaveNoBody() {
    #expect(parse(bytes("HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n")) == .complete(status: 204))
    #expect(parse(bytes("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n")) == .complete(status: 304))
}

@Test func switchingProtocolsCompletesWithoutBody() {
    #expect(parse(bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")) == .complete(status: 101))
}

@Test func emptyReasonPhraseIsAccepted() {
    #expect(parse(bytes("HTTP/1.1 503 \r\nContent-Length: 0\r\n\r\n")) == .complete(status: 503))
    #expect(parse(bytes("HTTP/1.0 500\r\nContent-Length: 0\r\n\r\n")) == .complete(status: 500))
}

// MARK: - Header matching

@Test func headerNamesAreCaseInsensitiveAndLastChunkedTokenWins() {
    let gzipChunked = bytes("HTTP/1.1 200 OK\r\nTRANSFER-ENCODING: gzip, Chunked \r\n\r\n1\r\nx\r\n0\r\n\r\n")
    #expect(parse(gzipChunked) == .complete(status: 200))
    let chunkedGzip = bytes("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked, gzip\r\n\r\n1\r\nx\r\n0\r\n\r\n")
    #expect(parseThenEOF(chunkedGzip) == (.needMore, .complete(status: 200)))  // close-delimited
}

@Test func similarHeaderNamesAreIgnored() {
    let response = bytes(
        "HTTP/1.1 200 OK\r\nContent-Length-X: 99\r\nContent-Lengt: 98\r\nTransfer-Encodings: chunked\r\n"
            + "X-Transfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\nx")
    #expect(parse(response) == .complete(status: 200))
}

@Test func chunkedTokenMustMatchExactly() {
    let response = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunkedx\r\nContent-Length: 1\r\n\r\nx")
    #expect(parse(response) == .complete(status: 200))
}

// MARK: - Malformed input

@Test func garbageInsteadOfStatusLineIsMalformed() {
    #expect(parse(bytes("<html>hello</html>")) == .malformed)
    #expect(parse(bytes("http/1.1 200 OK\r\n\r\n")) == .malformed)
    #expect(parse(bytes("HTTP/1.1 20 OK\r\n\r\n")) == .malformed)
    #expect(parse(bytes("HTTP/1.1 2000 OK\r\n\r\n")) == .malformed)
    #expect(parse(bytes("HTTP/1.1 abc OK\r\n\r\n")) == .malformed)
    #expect(parse(bytes("HTTP/ 200 OK\r\n\r\n")) == .malformed)
}

@Test func malformedIsStickyUntilReset() {
    var parser = HTTPResponseParser()
    #expect(feed([bytes("XTTP"), bytes("HTTP/1.1 200 OK\r\n")], into: &parser) == [.malformed, .malformed])
    #expect(parser.endOfFile() == .malformed)
    parser.reset()
    #expect(feed([bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")], into: &parser) == [.complete(status: 200)])
}

@Test func badContentLengthIsMalformed() {
    for value in ["12a", "-1", "", "1 2", "0x10", "18446744073709551616", "99999999999999999999999"] {
        let response = bytes("HTTP/1.1 200 OK\r\nContent-Length: \(value)\r\n\r\n")
        #expect(parse(response) == .malformed, "Content-Length: \(value)")
    }
}

@Test func conflictingContentLengthsAreMalformed() {
    #expect(parse(bytes("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx")) == .malformed)
    #expect(
        parse(bytes("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx")) == .complete(status: 200))
}

@Test func badChunkSizeIsMalformed() {
    for line in ["g", "", ";ext", "1 1", "11111111111111111"] {
        let response = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\(line)\r\n")
        #expect(parse(response) == .malformed, "chunk size line \(line)")
    }
}

@Test func missingCRLFAfterChunkDataIsMalformed() {
    let response = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n")
    #expect(parse(response) == .malformed)
}

// MARK: - Layout and reset

@Test func parserIsPlainSmallValue() {
    #expect(_isPOD(HTTPResponseParser.self))
    #expect(MemoryLayout<HTTPResponseParser>.size <= 32)
}

@Test func resetAllowsParsingNextResponse() {
    var parser = HTTPResponseParser()
    #expect(
        feed([bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")], into: &parser) == [
            .complete(status: 200)
        ])
    parser.reset()
    #expect(parser.statusCode == 0)
    #expect(
        feed([bytes("HTTP/1.1 302 Found\r\nContent-Length: 1\r\n\r\nx")], into: &parser) == [.complete(status: 302)])
}

// MARK: - Request builder

@Test func getRequestWithoutConnectionClose() {
    let request = HTTPRequest.get(host: "example.com:8080", path: "/a?b=c", connectionClose: false)
    let expected = "GET /a?b=c HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent: twload\r\nAccept: */*\r\n\r\n"
    #expect(request == bytes(expected))
}

@Test func getRequestWithConnectionClose() {
    let request = HTTPRequest.get(host: "localhost", path: "/", connectionClose: true)
    let expected = "GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: twload\r\nAccept: */*\r\nConnection: close\r\n\r\n"
    #expect(request == bytes(expected))
}

// MARK: - Connection: close (keep-alive)

/// Parses `response` in one piece and returns the final status and whether it asked to close.
private func parseClose(_ response: String) -> (HTTPParseStatus, Bool) {
    var parser = HTTPResponseParser()
    let status = bytes(response).withUnsafeBytes { parser.consume($0) }
    return (status, parser.connectionClose)
}

@Test func aConnectionCloseHeaderIsSeenInAnyCaseAndAmongOtherTokens() {
    for header in ["Connection: close", "connection:close", "CONNECTION:  Close ", "Connection: keep-alive, close"] {
        let (status, close) = parseClose("HTTP/1.1 200 OK\r\n\(header)\r\nContent-Length: 2\r\n\r\nok")
        #expect(status == .complete(status: 200), "\(header)")
        #expect(close, "\(header)")
    }
}

@Test func keepAliveOrALookalikeHeaderDoesNotAskToClose() {
    for header in [
        "Connection: keep-alive", "Connection: closed", "Connection: clos", "X-Connection: close",
        "Connexion: close", "Content-Type: close",
    ] {
        let (status, close) = parseClose("HTTP/1.1 200 OK\r\n\(header)\r\nContent-Length: 2\r\n\r\nok")
        #expect(status == .complete(status: 200), "\(header)")
        #expect(!close, "\(header)")
    }
}

@Test func connectionAndContentLengthShareAPrefixAndBothAreRead() {
    // "con" is common to both names: the Content-Length after a Connection header still delimits the body.
    let (status, close) = parseClose(
        "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello")
    #expect(status == .complete(status: 200) && close)
    var parser = HTTPResponseParser()
    let parts = feed(
        [bytes("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConn"), bytes("ection: close\r\n\r\nab")], into: &parser)
    #expect(parts == [.needMore, .needMore])
    #expect(parser.connectionClose)
    parser.reset()
    #expect(!parser.connectionClose, "a reset parser forgets the previous response's close")
}
