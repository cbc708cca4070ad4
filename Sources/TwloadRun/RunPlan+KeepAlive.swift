import TwloadConfig
import TwloadModel
import TwloadReport

/// Keep-alive in the plan: who closes first once the built-in server's request limit or idle timeout
/// applies, how long the `--think` pauses keep a connection open, and the preflight's keep-alive line.
extension RunPlan {
    /// The side expected to close first: `--close`, or the server when the built-in server closes before
    /// the client would (`serverClosesFirstReason`). Then every connection ends with the server's FIN.
    var closingSide: CloseSide { serverClosesFirstReason == nil ? config.close : .server }

    /// The longest a connection spends in `--think` pauses: (N − 1) × the pause (saturating).
    static func thinkingNanos(_ config: RunConfiguration) -> Int64 {
        let pauses = Int64(max(0, config.requestsPerConnection - 1))
        let (total, overflow) = config.thinkNanos.multipliedReportingOverflow(by: pauses)
        return overflow ? Int64.max / 4 : total
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

    /// Why the built-in server (http) closes before a client that asked to close: its request limit is below
    /// `--requests-per-connection`, or its idle timeout is not longer than the client's `--think` pause; nil
    /// when it does not (or the target is external, whose limits twload cannot know).
    var serverClosesFirstReason: String? {
        guard config.close == .client, config.target == nil, config.wireProtocol == .http,
            config.requestsPerConnection > 1
        else { return nil }
        if let limit = serverSettings.maxRequests, limit < config.requestsPerConnection {
            return "its limit of \(limit) request\(limit == 1 ? "" : "s") per connection"
        }
        let timeout = serverSettings.keepAliveTimeoutNanos
        guard timeout > 0 && config.thinkNanos >= timeout else { return nil }
        return "its idle timeout of \(NumberText.duration(nanos: timeout)), "
            + "within the \(NumberText.duration(nanos: config.thinkNanos)) pause"
    }
}
