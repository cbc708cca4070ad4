import TwloadModel

/// The figures of a `twload find` summary JSON that a plot uses. The contract relied on: a top-level object
/// with `"schema_version": 1`, `"kind": "find"`, a `"probes"` array of objects (`probe`, a positive integer;
/// `role`, `limited_by`: strings; `rate`, `dwell_s`: numbers; `held`: true or false; each may be null or
/// absent but `probe`) and a `"result"` object (`max_rate`, `sustainable_rate`: number or null; `limited_by`:
/// string or null). It has no `"metrics"` object. Every other key is ignored.
public struct FindSummary: Sendable, Equatable {
    /// The value of `"kind"` that tells a find summary from a run's.
    public static let kind = "find"

    /// One probe of the search, as the summary tells it.
    public struct Probe: Sendable, Equatable {
        /// The `probe` number, as in the CSV's `probe` column.
        public let number: Int
        /// "search" or "confirm".
        public let role: String?
        /// Its constant rate per second.
        public let rate: Double?
        /// How long it ran, in seconds.
        public let dwellSeconds: Double?
        /// Whether the target held the rate; nil when the summary does not say.
        public let held: Bool?
        /// What limited it ("host_cpu", "host_ports", "server", "path", "unknown"), when it failed.
        public let limitedBy: String?

        public init(
            number: Int, role: String? = nil, rate: Double? = nil, dwellSeconds: Double? = nil, held: Bool? = nil,
            limitedBy: String? = nil
        ) {
            self.number = number
            self.role = role
            self.rate = rate
            self.dwellSeconds = dwellSeconds
            self.held = held
            self.limitedBy = limitedBy
        }
    }

    public let probes: [Probe]
    /// The highest rate that held (`result.max_rate`).
    public let maxRate: Double?
    /// The rate the search recommends for long runs (`result.sustainable_rate`).
    public let sustainableRate: Double?
    /// What limited the search (`result.limited_by`).
    public let limitedBy: String?

    public init(probes: [Probe], maxRate: Double? = nil, sustainableRate: Double? = nil, limitedBy: String? = nil) {
        self.probes = probes
        self.maxRate = maxRate
        self.sustainableRate = sustainableRate
        self.limitedBy = limitedBy
    }

    /// The summary's word on probe `number`, if it has one.
    public func probe(_ number: Int) -> Probe? { probes.first { $0.number == number } }

    /// Reads the top-level object of a find summary whose `schema_version` is already checked; errors name
    /// `file` and the member.
    init(top: [String: JSONValue], file: String) throws(PlotError) {
        let reader = Reader(file: file)
        guard case .array(let items)? = top["probes"] else {
            throw PlotError(file: file, "not a twload find summary: no \"probes\" array")
        }
        var probes: [Probe] = []
        for (i, item) in items.enumerated() {
            let at = "probes[\(i)]"
            guard case .object(let o) = item else { throw PlotError(file: file, "\(at): an object was expected") }
            guard case .number(let n)? = o["probe"], n >= 1, n == n.rounded(), n < 1e9 else {
                throw PlotError(file: file, "\(at).probe: a positive integer was expected")
            }
            probes.append(
                Probe(
                    number: Int(n), role: try reader.string(o["role"], at + ".role"),
                    rate: try reader.number(o["rate"], at + ".rate"),
                    dwellSeconds: try reader.number(o["dwell_s"], at + ".dwell_s"),
                    held: try reader.bool(o["held"], at + ".held"),
                    limitedBy: try reader.string(o["limited_by"], at + ".limited_by")))
        }
        var result: [String: JSONValue] = [:]
        switch top["result"] {
        case .object(let o)?: result = o
        case nil, .null?: break
        default: throw PlotError(file: file, "result: an object was expected")
        }
        self.probes = probes
        maxRate = try reader.number(result["max_rate"], "result.max_rate")
        sustainableRate = try reader.number(result["sustainable_rate"], "result.sustainable_rate")
        limitedBy = try reader.string(result["limited_by"], "result.limited_by")
    }

    /// Optional members of one type: absent and null are nil, another type is an error naming the member.
    private struct Reader {
        let file: String

        func number(_ value: JSONValue?, _ name: String) throws(PlotError) -> Double? {
            switch value {
            case nil, .null?: return nil
            case .number(let v)?: return v
            default: throw PlotError(file: file, "\(name): a number or null was expected")
            }
        }

        func string(_ value: JSONValue?, _ name: String) throws(PlotError) -> String? {
            switch value {
            case nil, .null?: return nil
            case .string(let s)?: return s
            default: throw PlotError(file: file, "\(name): a string or null was expected")
            }
        }

        func bool(_ value: JSONValue?, _ name: String) throws(PlotError) -> Bool? {
            switch value {
            case nil, .null?: return nil
            case .bool(let b)?: return b
            default: throw PlotError(file: file, "\(name): true, false or null was expected")
            }
        }
    }
}
