import TwloadHistogramLog
import TwloadModel

/// What a fleet agent's `agent-I.json` says about it (its `agent` object): the manifest `twload merge`
/// checks the agents against each other with.
struct AgentManifest: Sendable, Equatable {
    var runID: String
    var index: Int
    var count: Int
    /// The shared start, when one was given (Unix ns).
    var startAtUnixNanos: Int64?
    /// When the agent's interval 0 began (Unix ns).
    var originUnixNanos: Int64
    var intervalSeconds: Double
    var lateSeconds: Double
    /// nil when adjtimex could not be read.
    var synchronised: Bool?
    var estimatedErrorMicros: Int?
    /// `completed`, `signal`, `csv_write_failed` or `late`.
    var exitReason: String

    /// The `agent` object of a summary JSON, or nil when there is none (a run without `--out`).
    init?(summary root: JSONValue) {
        guard let a = root["agent"], let runID = a["run_id"]?.stringValue, let index = a["index"]?.intValue,
            let count = a["count"]?.intValue, let origin = a["origin_unix_ns"]?.numberValue,
            let interval = a["interval_s"]?.numberValue, interval > 0, let exit = a["exit_reason"]?.stringValue
        else { return nil }
        self.runID = runID
        self.index = index
        self.count = count
        startAtUnixNanos = a["start_at_unix_ns"]?.numberValue.map { Int64($0) }
        originUnixNanos = Int64(origin)
        intervalSeconds = interval
        lateSeconds = a["late_s"]?.numberValue ?? 0
        synchronised = a["clock"]?["synchronised"]?.boolValue
        estimatedErrorMicros = a["clock"]?["estimated_error_us"]?.intValue
        exitReason = exit
    }
}

/// One agent's files, read: its CSV (nil when it wrote no row), its manifest (nil when its JSON is missing:
/// an agent killed before it could write it), and its histogram logs by latency name.
struct AgentInput: Sendable {
    var index: Int
    /// The folder its files were found in, for messages.
    var folder: String
    var table: CSVTable?
    var manifest: AgentManifest?
    var logs: [String: RawHistogramLog]
    /// For each CSV row, its interval index (the `interval_index` column).
    var intervalIndexes: [Int]
    /// Remarks that are not errors (a torn last line left out).
    var notes: [String]
}
