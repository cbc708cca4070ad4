import TwloadModel
import TwloadReport

/// The options `twload find` adds to the run options, each declared once, in the order of the README's table.
public enum FindOption {
    /// The criteria a probe must meet when none are given: no failure, no missed attempt, every scheduled
    /// attempt established, the schedule kept and handshakes done within 10 ms (p99). Not 1 ms for the
    /// schedule: a thread that sleeps between attempts wakes late by the CPU's idle wake-up alone (a
    /// virtual machine's: 0.2–0.9 ms for a plain sleep, up to 2 ms in a probe at 10/s), which says nothing
    /// about capacity. A client that cannot keep up falls behind without bound, so 10 ms catches it too.
    public static let defaultCriteria = [
        "failed == 0", "missed == 0", "established >= 0.99 * target", "lag_p99_us < 10000", "connect_p99_us < 10000",
    ]

    public static let criteria = OptionSpec<Threshold>(
        "criteria", syntax: "EXPR", default: .described(defaultCriteria.map { "`\($0)`" }.joined(separator: ", ")),
        repeatable: true,
        help: "What a probe must meet to hold, checked on the probe's own rows like `--fail-on` (repeatable; any "
            + "given replace the whole default set)."
    ) { text, option throws(ConfigError) in
        try Threshold(parsing: text, knownMetrics: MetricTable.runMetricNames, option: option)
    }

    public static let dwell = OptionSpec<Int64>(
        "dwell", syntax: "D", default: .text("10s"),
        help: "How long each probe holds its rate. Under client close, a rate that holds for the dwell may still "
            + "run out of ports later: the result's sustainable rate says so."
    ) { text, option throws(ConfigError) in try atLeastOneSecond(text, option: option) }

    public static let minimum = OptionSpec<Double>(
        "min", syntax: "R", default: .text("10"),
        help: "The first probe's rate (connections per second); when it fails, nothing is found (exit status 1)."
    ) { text, option throws(ConfigError) in try ValueParsing.rate(text, option: option) }

    public static let maximum = OptionSpec<Double>(
        "max", syntax: "R", default: .text("1000000"),
        help: "The highest rate probed; when it holds, the search stops there and says so."
    ) { text, option throws(ConfigError) in try ValueParsing.rate(text, option: option) }

    public static let resolution = OptionSpec<Double>(
        "resolution", syntax: "P%", default: .text("5%"),
        help: "The bisection stops once the first rate that failed is within this fraction above the highest "
            + "that held: from 0.1% to 50%."
    ) { text, option throws(ConfigError) in try ValueParsing.percent(text, option: option, in: 0.1...50) }

    public static let confirm = OptionSpec<Int64>(
        "confirm", syntax: "D", default: .none,
        help: "After the search, hold the sustainable rate for D (90s is enough to see TIME_WAIT's 60 s "
            + "turn over) and report whether it held; if not, 5% lower, then 10% lower."
    ) { text, option throws(ConfigError) in try atLeastOneSecond(text, option: option) }

    /// A duration of at least 1 s: a probe shorter than one row says nothing.
    static func atLeastOneSecond(_ text: String, option: String) throws(ConfigError) -> Int64 {
        let nanos = try ValueParsing.duration(text, option: option)
        guard nanos >= 1_000_000_000 else { throw ConfigError(option, "must be at least 1s (got '\(text)')") }
        return nanos
    }

    /// Runs every probe in a fresh network namespace, like `twload lab`.
    public static let lab = FlagSpec(
        "lab",
        help: "Give each probe a fresh private network namespace with the lab's sysctls (`tcp_tw_reuse=0` unless "
            + "`--sysctl` says otherwise) and its topology, so that no probe inherits another's TIME_WAIT. "
            + "Takes the lab options (`--sysctl`, `--topology`, …).")

    /// The options with a value, in the README's order.
    public static let all: [any AnyOptionSpec] = [criteria, dwell, minimum, maximum, resolution, confirm]

    /// The README's `twload find` table: the options, then `--lab`.
    public static let readmeTable: [any AnyOptionSpec] = all + [lab]

    /// The run options a search sets itself: each probe's rate and duration, its thresholds, and the files,
    /// which hold the whole search. A fleet's options do not apply to a search.
    public static let refusedRunOptions: [(spec: any AnyOptionSpec, instead: String)] = [
        (RunOption.rate, "find chooses each probe's rate; give --min and --max"),
        (RunOption.ramp, "find holds each probe's rate for --dwell"),
        (RunOption.step, "find holds each probe's rate for --dwell"),
        (RunOption.duration, "find holds each probe for --dwell"),
        (RunOption.concurrency, "find holds each probe at an open-loop rate"),
        (RunOption.failOn, "find judges each probe by --criteria"),
        (RunOption.agent, "a search runs on one host"),
        (RunOption.startAt, "a search runs on one host"),
        (RunOption.maxLate, "a search runs on one host"),
        (RunOption.runID, "a search runs on one host"),
        (RunOption.out, "a search writes --csv and --summary-json"),
    ]

    /// The search `values` describe, checked: the run options that a search sets itself are refused, and
    /// `--min` must be below `--max`.
    public static func configuration(_ values: OptionValues) throws(ConfigError) -> FindConfiguration {
        try values.checkValid(in: all)
        for (spec, instead) in refusedRunOptions where values.contains(spec.name) {
            throw ConfigError("--" + spec.name, "does not apply to find: \(instead)")
        }
        let low = values.value(minimum) ?? 10
        let high = values.value(maximum) ?? 1_000_000
        guard low < high else {
            throw ConfigError(
                minimum.flag, "must be below --max (got \(NumberText.compact(low)) and \(NumberText.compact(high)))")
        }
        var criteria = values.list(Self.criteria)
        if criteria.isEmpty {
            for text in defaultCriteria {
                criteria.append(
                    try Threshold(parsing: text, knownMetrics: MetricTable.runMetricNames, option: "--criteria"))
            }
        }
        return FindConfiguration(
            criteria: criteria, dwellNanos: values.value(dwell) ?? 10_000_000_000, minimumRate: low,
            maximumRate: high, resolution: values.value(resolution) ?? 0.05, confirmNanos: values[confirm])
    }
}

/// A checked `twload find`: how each probe is judged and how the search moves.
public struct FindConfiguration: Sendable {
    /// What a probe must meet to hold, on its own rows.
    public var criteria: [Threshold]
    public var dwellNanos: Int64
    public var minimumRate: Double
    public var maximumRate: Double
    /// A fraction: 0.05 for 5 %.
    public var resolution: Double
    /// How long the confirmation probe holds the sustainable rate; nil for none.
    public var confirmNanos: Int64?

    public init(
        criteria: [Threshold], dwellNanos: Int64, minimumRate: Double, maximumRate: Double, resolution: Double,
        confirmNanos: Int64?
    ) {
        self.criteria = criteria
        self.dwellNanos = dwellNanos
        self.minimumRate = minimumRate
        self.maximumRate = maximumRate
        self.resolution = resolution
        self.confirmNanos = confirmNanos
    }
}
