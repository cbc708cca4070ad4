import TwloadConfig
import TwloadModel
import TwloadReport

/// Keep-alive in the plan: who closes first once the built-in server's request limit or idle timeout
/// applies, how long the `--think` pauses keep a connection open, and the preflight's keep-alive line.
extension RunPlan {
    /// The side expected to close first. It is `--close` except when the built-in server (http) closes
    /// before the client would: its request limit is below `--requests-per-connection`, or its idle timeout
    /// is not longer than the client's `--think` pause. Then every connection ends with the server's FIN.
    var closingSide: CloseSide {
        guard config.close == .client, config.target == nil, config.wireProtocol == .http,
            config.requestsPerConnection > 1
        else { return config.close }
        if let limit = serverSettings.maxRequests, limit < config.requestsPerConnection { return .server }
        let timeout = serverSettings.keepAliveTimeoutNanos
        if timeout > 0 && config.thinkNanos >= timeout { return .server }
        return .client
    }

    /// The longest a connection spends in `--think` pauses: (N − 1) × the pause (saturating).
    var thinkingNanos: Int64 {
        let pauses = Int64(max(0, config.requestsPerConnection - 1))
        let (total, overflow) = config.thinkNanos.multipliedReportingOverflow(by: pauses)
        return overflow ? Int64.max / 4 : total
    }

    /// Little's law for the pauses: each connection stays open about (N − 1) × `--think`, so rate × that are
    /// open at once; more than `--max-open` allows become missed attempts, which the user should know first.
    static func warnIfThinkingExceedsMaxOpen(
        _ config: RunConfiguration, maxOpen: Int, reporter: some RunReporter
    ) {
        guard config.thinkNanos > 0 else { return }
        let seconds = Double(config.thinkNanos) / 1e9 * Double(config.requestsPerConnection - 1)
        let open = config.agent.share(of: config.schedule.peakRate) * seconds
        if open > Double(maxOpen) {
            reporter.warning(
                "--think keeps about \(Int(open.rounded())) connections open at the peak rate, more than the "
                    + "\(maxOpen) --max-open allows; the attempts beyond it count as missed")
        }
    }

    /// "  keep-alive: 10 requests per connection: 1000 requests/s on 100 connections/s; …": the port budget
    /// counts connections, so per request it is N times larger. When the built-in server closes first (its
    /// limit or idle timeout), the line says so: the TIME_WAIT is then the server's.
    func keepAliveLine(_ p: Prediction) -> String {
        let n = Double(config.requestsPerConnection)
        let rate = config.agent.share(of: config.schedule.peakRate)
        var line = "  keep-alive: \(config.requestsPerConnection) requests per connection"
        if config.concurrency == nil {
            line += ": \(NumberText.perSecond(rate * n)) requests/s on \(NumberText.perSecond(rate)) connections/s"
        }
        if config.thinkNanos > 0 {
            line += ", \(NumberText.duration(nanos: config.thinkNanos)) between requests"
        }
        if let reason = serverClosesFirstReason {
            line += "; the built-in server closes first (\(reason)), so TIME_WAIT lands on the server"
        } else if p.timeWaitSide != nil && config.concurrency == nil {
            line +=
                "; the port budget counts connections, so it carries "
                + "\(CapacitySearch.text(p.sustainableRate * n)) requests/s indefinitely "
                + "(\(CapacitySearch.text(p.sustainableRate)) connections/s × \(config.requestsPerConnection))"
        }
        return line + "\n"
    }

    /// Why the built-in server closes before a client that asked to close: its request limit, or its idle
    /// timeout within the client's pause; nil when it does not.
    var serverClosesFirstReason: String? {
        guard config.close == .client, closingSide == .server else { return nil }
        if let limit = serverSettings.maxRequests, limit < config.requestsPerConnection {
            return "its limit of \(limit) request\(limit == 1 ? "" : "s") per connection"
        }
        return "its idle timeout of \(NumberText.duration(nanos: serverSettings.keepAliveTimeoutNanos)), "
            + "within the \(NumberText.duration(nanos: config.thinkNanos)) pause"
    }
}
