/// An invalid setting, named after the option that carries it. The CLI prints it as one line and exits 64.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The option, e.g. "--rate".
    public let option: String
    /// What is wrong, e.g. "must be greater than 0 (got '-5')".
    public let problem: String

    public init(_ option: String, _ problem: String) {
        self.option = option
        self.problem = problem
    }

    public var description: String { "\(option): \(problem)" }
}
