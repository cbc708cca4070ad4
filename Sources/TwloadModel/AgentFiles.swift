/// The one naming of a fleet agent's files in its `--out` folder, which `run` writes and `merge` reads:
/// `agent-I.csv`, `agent-I.json` and `agent-I.NAME.hlog`, and the columns an agent's CSV adds.
public enum AgentFiles {
    /// What a file of an agent's is.
    public enum Kind: Sendable, Equatable {
        case csv
        case json
        /// The interval log of one latency (`LatencyHistograms.logNames`).
        case hlog(String)

        /// The file name's part after `agent-I.`.
        var suffix: String {
            switch self {
            case .csv: "csv"
            case .json: "json"
            case .hlog(let latency): "\(latency).hlog"
            }
        }
    }

    /// The three columns an agent's CSV adds after the usual ones, for `twload merge` to join rows on.
    public static let columnNames = ["run_id", "agent", "interval_index"]

    /// Agent `index`'s file of `kind` in folder `dir`.
    public static func path(in dir: String, agent index: Int, _ kind: Kind) -> String {
        "\(dir)/agent-\(index).\(kind.suffix)"
    }

    /// The agent and the kind of a file name (`agent-3.csv` → (3, .csv), `agent-3.connect.hlog` →
    /// (3, .hlog("connect"))); nil for any other name.
    public static func parse(_ name: String) -> (index: Int, kind: Kind)? {
        guard name.hasPrefix("agent-") else { return nil }
        let rest = name.dropFirst(6)
        let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
        guard !digits.isEmpty, digits.count <= 6, let index = Int(digits), rest.dropFirst(digits.count).first == "."
        else { return nil }
        let suffix = rest.dropFirst(digits.count + 1)
        switch suffix {
        case "csv": return (index, .csv)
        case "json": return (index, .json)
        default:
            guard suffix.hasSuffix(".hlog"), suffix.count > 5 else { return nil }
            return (index, .hlog(String(suffix.dropLast(5))))
        }
    }
}
