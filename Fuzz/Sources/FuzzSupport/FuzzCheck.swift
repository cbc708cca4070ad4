/// Stops the fuzzer with `message` when an invariant does not hold. A finding is a crash either way; unlike
/// `precondition` (which traps silently in release builds) this prints what was expected.
@inline(__always)
public func fuzzCheck(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID,
    line: UInt = #line
) {
    if !condition() { fatalError("fuzz invariant: \(message())", file: file, line: line) }
}

extension String {
    /// True when the text has no line break, so that an error or report line stays one line.
    public var isOneLine: Bool { !contains(where: \.isNewline) }
}
