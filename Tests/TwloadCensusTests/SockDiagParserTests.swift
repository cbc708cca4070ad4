import Testing
import TwloadSystem

@testable import TwloadCensus

// Byte fixtures are built by hand in host byte order, the way the kernel writes them.

// MARK: - Fixture builders

private let afInet: UInt8 = 2
private let afInet6: UInt8 = 10
private let sockDiagByFamily: UInt16 = 20
private let tcpDiagGetSock: UInt16 = 18
private let nlmsgError: UInt16 = 2
private let nlmsgDone: UInt16 = 3
private let nlmFMulti: UInt16 = 2

private let established: UInt8 = 1
private let timeWait: UInt8 = 6
private let closeWait: UInt8 = 8
private let listen: UInt8 = 10

private func hostOrder<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    let v = value.littleEndian
    return (0..<MemoryLayout<T>.size).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) }
}

/// One netlink message: a 16-byte header, `body`, then padding to a multiple of 4.
private func message(type: UInt16, sequence: UInt32 = 7, body: [UInt8]) -> [UInt8] {
    let length = 16 + body.count
    var bytes = hostOrder(UInt32(length)) + hostOrder(type) + hostOrder(nlmFMulti) + hostOrder(sequence)
    bytes += hostOrder(UInt32(4242)) + body
    bytes += [UInt8](repeating: 0, count: (4 - length % 4) % 4)
    return bytes
}

/// A 72-byte `inet_diag_msg` for one socket.
private func socketMessage(
    family: UInt8 = afInet, state: UInt8, sport: UInt16 = 80, dport: UInt16 = 40000,
    sequence: UInt32 = 7, type: UInt16 = sockDiagByFamily, expiresMillis: UInt32 = 59_000
) -> [UInt8] {
    var body: [UInt8] = [family, state, 0, 0]
    body += [UInt8(sport >> 8), UInt8(sport & 0xFF), UInt8(dport >> 8), UInt8(dport & 0xFF)]  // big-endian
    let loopback: [UInt8] =
        family == afInet
        ? [127, 0, 0, 1] + [UInt8](repeating: 0, count: 12)
        : [UInt8](repeating: 0, count: 15) + [1]
    body += loopback + loopback  // idiag_src, idiag_dst
    body += [UInt8](repeating: 0, count: 4 + 8)  // idiag_if, idiag_cookie
    body += hostOrder(expiresMillis) + [UInt8](repeating: 0, count: 16)  // expires, queues, uid, inode
    #expect(body.count == 72)
    return message(type: type, sequence: sequence, body: body)
}

private func doneMessage(status: Int32 = 0, sequence: UInt32 = 7) -> [UInt8] {
    message(type: nlmsgDone, sequence: sequence, body: hostOrder(status))
}

/// An `nlmsgerr`: the negative errno, then a copy of the request's header.
private func errorMessage(errno: Int32, sequence: UInt32 = 7) -> [UInt8] {
    message(type: nlmsgError, sequence: sequence, body: hostOrder(-errno) + [UInt8](repeating: 0, count: 16))
}

private func parse(_ buffers: [[UInt8]], sequence: UInt32? = 7) -> (SockDiagParser, [SockDiagReplyStatus]) {
    var parser = SockDiagParser(sequence: sequence)
    let statuses = buffers.map { parser.consume($0) }
    return (parser, statuses)
}

// MARK: - Counting

@Test func countsEverySocketMessageInOneBufferByState() {
    let buffer =
        socketMessage(state: timeWait) + socketMessage(state: timeWait) + socketMessage(state: established)
        + socketMessage(state: closeWait) + socketMessage(state: timeWait) + doneMessage()
    let (parser, statuses) = parse([buffer])
    #expect(statuses == [.done])
    #expect(parser.counts.timeWait == 3)
    #expect(parser.counts.established == 1)
    #expect(parser.counts.closeWait == 1)
    #expect(parser.counts.total == 5)
    #expect(parser.ipv4Sockets == 5)
}

@Test func dumpSpreadOverSeveralReceivesIsSummedUntilDone() {
    let first = socketMessage(state: timeWait) + socketMessage(state: timeWait)
    let second = socketMessage(state: listen)
    let last = socketMessage(state: timeWait) + doneMessage()
    let (parser, statuses) = parse([first, second, last])
    #expect(statuses == [.needMore, .needMore, .done])
    #expect(parser.counts.timeWait == 3)
    #expect(parser.counts.listen == 1)
}

@Test func ipv6MessagesAreCountedAlongsideIPv4() {
    let buffer =
        socketMessage(family: afInet6, state: timeWait) + socketMessage(family: afInet, state: timeWait)
        + socketMessage(family: afInet6, state: established) + doneMessage()
    let (parser, statuses) = parse([buffer])
    #expect(statuses == [.done])
    #expect(parser.counts.timeWait == 2)
    #expect(parser.counts.established == 1)
    #expect(parser.ipv6Sockets == 2)
    #expect(parser.ipv4Sockets == 1)
}

@Test func bothFamiliesDumpRepliesOfTheOlderMessageTypeAreCounted() {
    let buffer =
        socketMessage(family: afInet, state: timeWait, type: tcpDiagGetSock)
        + socketMessage(family: afInet6, state: timeWait, type: tcpDiagGetSock)
        + socketMessage(family: afInet6, state: listen, type: tcpDiagGetSock) + message(type: 99, body: [0, 0, 0, 0])
        + doneMessage()
    let (parser, statuses) = parse([buffer])
    #expect(statuses == [.done])
    #expect(parser.counts.timeWait == 2)
    #expect(parser.counts.listen == 1)
    #expect(parser.ipv4Sockets == 1)
    #expect(parser.ipv6Sockets == 2)
    #expect(parser.skippedMessages == 1, "other message types are still skipped")
}

@Test func emptyDumpEndsWithZeroCounts() {
    let (parser, statuses) = parse([doneMessage()])
    #expect(statuses == [.done])
    #expect(parser.counts == StateCounts())
    #expect(parser.counts.total == 0)
}

@Test func emptyBufferAsksForMore() {
    let (_, statuses) = parse([[]])
    #expect(statuses == [.needMore])
}

@Test func statesOutsideTheTableAreNotCounted() {
    let buffer = socketMessage(state: 12) + socketMessage(state: 255) + socketMessage(state: timeWait) + doneMessage()
    let (parser, statuses) = parse([buffer])
    #expect(statuses == [.done])
    #expect(parser.counts.total == 1)
}

@Test func messagesFromAnotherSequenceAreSkipped() {
    let stale = socketMessage(state: timeWait, sequence: 6) + doneMessage(sequence: 6)
    let current = socketMessage(state: timeWait) + doneMessage()
    let (parser, statuses) = parse([stale, current])
    #expect(statuses == [.needMore, .done])
    #expect(parser.counts.timeWait == 1)
    #expect(parser.skippedMessages == 2)
}

@Test func anySequenceIsAcceptedWhenNoneIsExpected() {
    let (parser, statuses) = parse(
        [socketMessage(state: timeWait, sequence: 99) + doneMessage(sequence: 1)],
        sequence: nil)
    #expect(statuses == [.done])
    #expect(parser.counts.timeWait == 1)
}

@Test func bytesAfterTheEndAreIgnored() {
    let (parser, statuses) = parse([
        socketMessage(state: timeWait) + doneMessage() + socketMessage(state: timeWait),
        socketMessage(state: timeWait),
    ])
    #expect(statuses == [.done, .done])
    #expect(parser.counts.timeWait == 1)
}

// MARK: - Errors

@Test func errorReplyReturnsThePositiveErrno() {
    let (parser, statuses) = parse([errorMessage(errno: 22)])
    #expect(statuses == [.failed(errno: Errno(rawValue: 22))])
    #expect(parser.status == .failed(errno: Errno(rawValue: 22)))
}

@Test func zeroErrorAckEndsTheDump() {
    let (_, statuses) = parse([socketMessage(state: timeWait) + errorMessage(errno: 0)])
    #expect(statuses == [.done])
}

@Test func doneCarryingANegativeStatusIsAFailure() {
    let (_, statuses) = parse([socketMessage(state: timeWait), doneMessage(status: -105)])
    #expect(statuses == [.needMore, .failed(errno: Errno(rawValue: 105))])
}

@Test func failureIsStickyForLaterBuffers() {
    let (_, statuses) = parse([errorMessage(errno: 16), socketMessage(state: timeWait) + doneMessage()])
    #expect(statuses == [.failed(errno: Errno(rawValue: 16)), .failed(errno: Errno(rawValue: 16))])
}

// MARK: - Truncation and corrupt lengths

@Test func messageCutAcrossTwoBuffersIsMalformedNotStitched() {
    // Netlink datagrams never split a message, so a cut one is lost data, not something to carry over.
    let whole = socketMessage(state: timeWait) + socketMessage(state: timeWait) + doneMessage()
    let cut = 88 + 40
    let (parser, statuses) = parse([Array(whole[..<cut]), Array(whole[cut...])])
    #expect(statuses == [.malformed, .malformed])
    #expect(parser.counts.timeWait == 1)
}

@Test func everyTruncationOfAReplyIsHandledWithoutCrashing() {
    let whole =
        socketMessage(state: timeWait) + socketMessage(family: afInet6, state: established)
        + errorMessage(errno: 1) + doneMessage()
    let boundaries: Set<Int> = [0, 88, 176]  // where whole socket messages end
    let errorEnd = 176 + 36  // the error message ends the reply, whatever follows it
    for cut in 0..<whole.count {
        let (_, statuses) = parse([Array(whole[..<cut])])
        let expected: SockDiagReplyStatus =
            cut >= errorEnd
            ? .failed(errno: Errno(rawValue: 1))
            : boundaries.contains(cut) ? .needMore : .malformed
        #expect(statuses == [expected], "cut at \(cut)")
    }
}

@Test func lengthShorterThanAHeaderIsMalformed() {
    var bytes = doneMessage()
    bytes[0] = 8
    bytes[1] = 0
    let (_, statuses) = parse([bytes])
    #expect(statuses == [.malformed])
}

@Test func lengthPastTheBufferIsMalformed() {
    var bytes = socketMessage(state: timeWait)
    bytes[0] = 0xFF
    bytes[1] = 0xFF
    let (parser, statuses) = parse([bytes])
    #expect(statuses == [.malformed])
    #expect(parser.counts.total == 0)
}

@Test func socketMessageTooShortForInetDiagMsgIsMalformed() {
    let (_, statuses) = parse([message(type: sockDiagByFamily, body: [afInet, timeWait, 0, 0])])
    #expect(statuses == [.malformed])
}

@Test func errorMessageWithoutItsCodeIsMalformed() {
    let (_, statuses) = parse([message(type: nlmsgError, body: [])])
    #expect(statuses == [.malformed])
}

@Test func doneWithoutAStatusStillEndsTheDump() {
    let (_, statuses) = parse([message(type: nlmsgDone, body: [])])
    #expect(statuses == [.done])
}

// MARK: - This run's TIME_WAIT

@Test func timeWaitSocketsWithEnoughTimerLeftAreCountedAsYoung() {
    // A run that started 5 s ago: sockets that entered TIME_WAIT since then have at least 55 s left.
    var parser = SockDiagParser(sequence: 7, youngTimeWaitMillis: 55_000)
    let buffer =
        socketMessage(state: timeWait, expiresMillis: 59_990) + socketMessage(state: timeWait, expiresMillis: 55_000)
        + socketMessage(state: timeWait, expiresMillis: 54_999) + socketMessage(state: timeWait, expiresMillis: 1_000)
        + socketMessage(state: established, expiresMillis: 59_000) + doneMessage()
    #expect(parser.consume(buffer) == .done)
    #expect(parser.counts.timeWait == 4)
    #expect(parser.youngTimeWait == 2, "older TIME_WAIT and other states are not the run's")
}

@Test func withoutALimitNoTimeWaitIsCountedAsYoung() {
    let (parser, _) = parse([socketMessage(state: timeWait, expiresMillis: 59_990) + doneMessage()])
    #expect(parser.counts.timeWait == 1)
    #expect(parser.youngTimeWait == 0)
}
