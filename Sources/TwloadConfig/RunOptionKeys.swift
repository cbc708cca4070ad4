extension RunOptionText {
    /// The long option names (without dashes) that a profile's `run` section and the command line share.
    public static let keys: [String] = [
        "target", "rate", "duration", "close", "linger", "source-ports", "source-addr", "max-open", "threads",
        "interval", "csv", "protocol", "send", "path", "connect-timeout", "timeout", "server-linger",
        "port-binding",
    ]

    /// Sets option `key` (a long name without dashes) from its text; false for an unknown key.
    /// Repeatable options (`source-addr`) take every value; the others take the last.
    @discardableResult
    public mutating func set(_ key: String, _ values: [String]) -> Bool {
        guard let last = values.last else { return Self.keys.contains(key) }
        switch key {
        case "target": target = last
        case "rate": rate = last
        case "duration": duration = last
        case "close": close = last
        case "linger": linger = last
        case "source-ports": sourcePorts = last
        case "source-addr": sourceAddresses = values
        case "max-open": maxOpen = last
        case "threads": threads = last
        case "interval": interval = last
        case "csv": csv = last
        case "protocol": wireProtocol = last
        case "send": send = last
        case "path": path = last
        case "connect-timeout": connectTimeout = last
        case "timeout": timeout = last
        case "server-linger": serverLinger = last
        case "port-binding": portBinding = last
        default: return false
        }
        return true
    }
}
