/// Hands a value that is only ever used by one thread at a time across a thread boundary.
final class UncheckedSendable<T: ~Copyable>: @unchecked Sendable {
    private var value: T?
    init(_ value: consuming T) { self.value = .some(value) }
    func take() -> T {
        guard let v = value.take() else { fatalError("value already taken") }
        return v
    }
}
