import Glibc
import TwloadCensus
import TwloadConfig
import TwloadEngine
import TwloadModel
import TwloadReport
import TwloadServer
import TwloadSystem

/// The resolved plan of a run: descriptor budget, how source ports are bound, the request bytes and the
/// built-in server's settings. Making it prints the warnings a careful user needs before load starts.
struct RunPlan: Sendable {
    let config: RunConfiguration
    let binding: SourceBinding
    let request: [UInt8]
    /// The last request of a keep-alive connection under server close (`Connection: close`), or nil.
    let finalRequest: [UInt8]?
    let serverSettings: ServerSettings
    let kernel: KernelSettings
    let fdLimit: Int
    let maxOpen: Int

    static func make(_ given: RunConfiguration, reporter: some RunReporter) throws(RunFailure) -> RunPlan {
        var config = given
        // A source address no interface has makes every bind() fail with EADDRNOTAVAIL, which the summary
        // would read as port exhaustion: refuse it before load starts.
        for a in config.sourceAddresses where !Socket.isLocalAddress(a) {
            throw .usage(
                ConfigError(
                    "--source-addr",
                    "\(a.ipString) is not an address of any interface here, so bind() to it fails with "
                        + "EADDRNOTAVAIL; add it (e.g. ip addr add \(a.ipString) dev lo) or choose another"))
        }
        let fdLimit: Int
        do {
            fdLimit = try ResourceLimits.raiseOpenFilesLimit()
        } catch {
            throw .system(context: "RLIMIT_NOFILE", error)
        }
        // The built-in server lives in this process and needs one descriptor per connection too.
        let available = max(16, (fdLimit - 64) / (config.target == nil ? 2 : 1))
        if let m = config.maxOpen, m > available {
            reporter.warning(
                "--max-open \(m) exceeds what RLIMIT_NOFILE (\(fdLimit)) allows; expect EMFILE above \(available) open connections"
            )
        }
        let maxOpen = config.maxOpen ?? available
        // Each thread keeps its share of --max-open, and a share is at least one connection: with fewer
        // connections than threads, the extra threads would each hold one more than allowed.
        if maxOpen < config.threads {
            reporter.warning(
                "--max-open \(maxOpen) is fewer than --threads \(config.threads); using \(maxOpen) "
                    + "thread\(maxOpen == 1 ? "" : "s") so that at most \(maxOpen) connection\(maxOpen == 1 ? " is" : "s are") open"
            )
            config.threads = maxOpen
        }
        if let n = config.concurrency {
            try checkConcurrency(n, maxOpen: maxOpen, given: config.maxOpen, fdLimit: fdLimit)
            if n < config.threads {
                reporter.warning(
                    "--concurrency \(n) is fewer than --threads \(config.threads); using \(n) "
                        + "thread\(n == 1 ? "" : "s"), each keeping one connection in flight")
                config.threads = n
            }
        }
        let kernel = KernelSettings.read()
        let binding = resolveBinding(config, kernel: kernel, reporter: reporter)
        let hostHeader =
            config.target.map { t in
                t.address.family == AF_INET6 ? "[\(t.host)]:\(t.address.port)" : "\(t.host):\(t.address.port)"
            } ?? "127.0.0.1"
        // One request per connection asks a server-close peer to close after it. Several keep the connection
        // alive, and under server close only the last asks the server to close.
        let keepAlive = config.requestsPerConnection > 1
        let request =
            config.wireProtocol == .http
            ? HTTPRequest.get(
                host: hostHeader, path: config.path, connectionClose: config.close == .server && !keepAlive)
            : config.payload
        let finalRequest =
            config.wireProtocol == .http && keepAlive && config.close == .server
            ? HTTPRequest.get(host: hostHeader, path: config.path, connectionClose: true) : nil
        let listen = SocketAddress(ip: "127.0.0.1", port: 0)!
        var server = ServerSettings(
            listen: listen, close: config.close, linger: config.serverLinger,
            wireProtocol: config.wireProtocol, awaitRequest: !request.isEmpty)
        server.holdNanos = config.target == nil ? config.holdNanos : 0
        if let n = config.serverMaxRequests {
            server.maxRequests = n
        } else if config.close == .server {
            // The in-process server closes first after as many requests as the client sends on a connection
            // (its last says Connection: close), not after the first.
            server.maxRequests = config.requestsPerConnection
        }
        server.keepAliveTimeoutNanos = config.serverKeepAliveTimeoutNanos
        warnIfOpenExceedsMaxOpen("--hold", lifetimeNanos: server.holdNanos, config, maxOpen, reporter)
        warnIfOpenExceedsMaxOpen("--think", lifetimeNanos: thinkingNanos(config), config, maxOpen, reporter)
        return RunPlan(
            config: config, binding: binding,
            request: request, finalRequest: finalRequest, serverSettings: server, kernel: kernel, fdLimit: fdLimit,
            maxOpen: maxOpen)
    }

    /// Little's law: connections that each live about `lifetimeNanos` (the server's hold, the client's pauses)
    /// keep rate × that open at the peak rate. More than `--max-open` allows become missed attempts, which the
    /// user should know before load starts.
    static func warnIfOpenExceedsMaxOpen(
        _ option: String, lifetimeNanos: Int64, _ config: RunConfiguration, _ maxOpen: Int,
        _ reporter: some RunReporter
    ) {
        guard lifetimeNanos > 0 else { return }
        let open = config.agent.share(of: config.schedule.peakRate) * Double(lifetimeNanos) / 1e9
        if open > Double(maxOpen) {
            reporter.warning(
                "\(option) keeps about \(Int(open.rounded())) connections open at the peak rate, more than the "
                    + "\(maxOpen) --max-open allows; the attempts beyond it count as missed")
        }
    }

    /// When the built-in server closes, for the note that starts a run: first, first after its http request
    /// limit or idle timeout, or after the client's FIN.
    var serverCloses: String {
        if config.close == .server { return "first" }
        guard serverSettings.wireProtocol == .http else { return "after the client's FIN" }
        var firsts: [String] = []
        if let n = serverSettings.maxRequests {
            firsts.append("after \(n) request\(n == 1 ? "" : "s") on a connection")
        }
        if serverSettings.keepAliveTimeoutNanos > 0 {
            firsts.append("after \(NumberText.duration(nanos: serverSettings.keepAliveTimeoutNanos)) idle")
        }
        return firsts.isEmpty ? "after the client's FIN" : "first " + firsts.joined(separator: " or ")
    }

    /// Chooses IP_LOCAL_PORT_RANGE or explicit bind() for `--source-ports`, and warns when the kernel will
    /// clamp the range to net.ipv4.ip_local_port_range.
    static func resolveBinding(
        _ config: RunConfiguration, kernel: KernelSettings, reporter: some RunReporter
    )
        -> SourceBinding
    {
        guard let ports = config.sourcePorts else { return .system }
        if let sys = kernel.localPortRange, config.portBinding != .bind,
            ports.low < sys.low || ports.high > sys.high
        {
            let lo = max(ports.low, sys.low)
            let hi = min(ports.high, sys.high)
            let effective =
                lo <= hi
                ? "only \(lo)-\(hi) (\(Int(hi) - Int(lo) + 1) ports) will be used"
                : "they do not overlap, so the kernel ignores --source-ports and uses the system range"
            reporter.warning(
                "--source-ports \(ports) is outside net.ipv4.ip_local_port_range \(sys); the kernel clamps it: \(effective)"
            )
        }
        switch config.portBinding {
        case .range: return .perSocketRange(ports)
        case .bind: return .explicitBind(ports)
        case .auto:
            if perSocketRangeSupported(family: config.target?.address.family ?? AF_INET) {
                return .perSocketRange(ports)
            }
            reporter.note(
                "note: this kernel lacks IP_LOCAL_PORT_RANGE (Linux >= 6.3); binding each port of --source-ports explicitly (a port still held fails with EADDRINUSE)"
            )
            return .explicitBind(ports)
        }
    }

    /// Probes IP_LOCAL_PORT_RANGE on a throwaway socket.
    static func perSocketRangeSupported(family: Int32) -> Bool {
        guard let fd = try? Socket.tcp(family: family) else { return false }
        defer { Socket.close(fd) }
        do {
            try SocketOptions.setLocalPortRange(fd, low: 40000, high: 40001)
            return true
        } catch {
            return false
        }
    }

    /// Settings for worker `threadIndex`. With explicit bind(), each thread cycles its own slice of the
    /// range so that threads never race for the same port.
    func workerSettings(
        target: SocketAddress, threadIndex: Int, startNanos: Int64, joinNanos: Int64? = nil
    ) -> WorkerSettings {
        var binding = binding
        if case .explicitBind(let r) = binding {
            let share = r.count / config.threads
            let low = Int(r.low) + share * threadIndex
            let high = threadIndex == config.threads - 1 ? Int(r.high) : low + share - 1
            binding = .explicitBind(PortRange(low: UInt16(low), high: UInt16(high)))
        }
        var settings = WorkerSettings(
            target: target, close: config.close, linger: config.linger, request: request,
            wireProtocol: config.wireProtocol, sourceAddresses: config.sourceAddresses, binding: binding,
            connectTimeoutNanos: config.connectTimeoutNanos, timeoutNanos: config.timeoutNanos,
            maxOpen: maxOpen(ofThread: threadIndex), intervalNanos: config.intervalNanos, startNanos: startNanos,
            schedule: config.schedule, threads: config.threads * config.agent.count,
            threadIndex: threadIndex * config.agent.count + config.agent.index)
        settings.expectedStatus = config.expectedStatus
        if let n = config.concurrency {
            settings.concurrency = Self.share(of: n, thread: threadIndex, of: config.threads)
        }
        settings.engine = config.engine
        settings.requestsPerConnection = config.requestsPerConnection
        settings.finalRequest = finalRequest
        settings.thinkNanos = config.thinkNanos
        settings.joinNanos = joinNanos
        // Connections started at the schedule's end are held, or pause between their requests, that long
        // before they can finish.
        settings.drainNanos += serverSettings.holdNanos + Self.thinkingNanos(config)
        return settings
    }

    /// Thread `k`'s share of `--max-open`: the shares differ by at most one and add up to it exactly.
    func maxOpen(ofThread k: Int) -> Int {
        Self.share(of: maxOpen, thread: k, of: config.threads)
    }

    /// Thread `k`'s share of `total` over `threads`: the shares differ by at most one and add up to it.
    static func share(of total: Int, thread k: Int, of threads: Int) -> Int {
        total / threads + (k < total % threads ? 1 : 0)
    }

    /// A closed loop cannot keep more connections in flight than `--max-open` (or the descriptor limit)
    /// allows: refused before load, naming the option to lower.
    static func checkConcurrency(_ n: Int, maxOpen: Int, given: Int?, fdLimit: Int) throws(RunFailure) {
        guard n > maxOpen else { return }
        let cap =
            given != nil
            ? "--max-open \(maxOpen)" : "the \(maxOpen) connections RLIMIT_NOFILE (\(fdLimit)) leaves room for"
        throw .usage(ConfigError("--concurrency", "\(n) is more than \(cap); lower it"))
    }

    /// What the prediction model needs about this run.
    func predictionInputs(target: SocketAddress?) -> Prediction.Inputs {
        var explicit = false
        if case .explicitBind = binding { explicit = true }
        return Prediction.Inputs(
            kernel: kernel, rate: config.agent.share(of: config.schedule.peakRate), close: closingSide,
            linger: config.linger,
            sourcePorts: config.sourcePorts, explicitBind: explicit,
            sourceAddresses: config.sourceAddresses.count, targetIsLoopback: target?.isLoopback ?? true,
            threads: config.threads, cores: SystemInfo.coreCount)
    }

    /// The preflight block for this run.
    func preflight(target: SocketAddress?, namespace: String, nat: NatPrediction? = nil) -> (Prediction, String) {
        let inputs = predictionInputs(target: target)
        var p = Prediction(inputs)
        // Behind a NAT the server's TIME_WAIT is keyed by the NAT's tuples: at most one socket per tuple.
        if let s = nat?.steadyServerTimeWait { p.steadyServerTimeWait = min(p.steadyServerTimeWait, s) }
        var text = PreflightReport.render(
            p, inputs, fdLimit: fdLimit, maxOpen: maxOpen, namespace: namespace, closedLoop: config.concurrency)
        if config.requestsPerConnection > 1 { text += keepAliveLine(p) }
        return (p, text + (nat?.text ?? ""))
    }

    /// What the topology's source NAT predicts for this run (the lab's `nat` topology, or `check` given
    /// NAT settings); nil without one. A connection lives for the server's `--hold`. The server's
    /// tcp_max_tw_buckets is this namespace's unless given (the lab reads its server namespace's).
    func natPrediction(_ topology: LabTopology?, serverTimeWaitBuckets: Int? = nil) -> NatPrediction? {
        guard let topology, topology.kind == .nat else { return nil }
        return NatPrediction(
            NatPrediction.Inputs(
                rate: config.agent.share(of: config.schedule.peakRate),
                lifetimeSeconds: Double(config.holdNanos) / 1e9, close: config.close, linger: config.linger,
                natAddresses: topology.natAddresses, spreadsAcrossAddresses: topology.natAddressesPerPair > 1,
                natPorts: topology.natPorts?.count,
                serverTimeWaitBuckets: serverTimeWaitBuckets ?? kernel.maxTimeWaitBuckets))
    }

    /// The summary's view of the run; the port budget is the prediction's (one place clamps the range).
    func description(target: SocketAddress, prediction: Prediction) -> RunDescription {
        var d = RunDescription(
            target: target.description, builtinServer: config.target == nil,
            rate: config.agent.share(of: config.schedule.peakRate),
            close: config.close, linger: config.linger, portsPerAddress: prediction.portsPerAddress,
            sourceAddressCount: config.sourceAddresses.count,
            // A closed loop sets no rate, so the prediction's times say nothing about it.
            prediction: config.concurrency == nil ? prediction : nil)
        d.wireProtocol = config.wireProtocol
        d.expectedStatus = config.expectedStatus
        d.agent = config.agent
        d.requestsPerConnection = config.requestsPerConnection
        d.concurrency = config.concurrency
        d.engine = config.engine
        return d
    }
}
