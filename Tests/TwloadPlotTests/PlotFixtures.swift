import Foundation

/// Small CSVs and the summary fixture the plot tests share.
enum PlotFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures")

    static var summary: String {
        (try? String(contentsOf: directory.appendingPathComponent("summary.json"), encoding: .utf8)) ?? ""
    }

    /// A run CSV of `rows` one-second rows with the given columns; `cell(column, row)` gives each cell.
    static func csv(_ columns: [String], rows: Int, cell: (String, Int) -> String) -> String {
        var out = (["elapsed_s"] + columns).joined(separator: ",") + "\n"
        for r in 0..<rows {
            out += ([String(r + 1) + ".000"] + columns.map { cell($0, r) }).joined(separator: ",") + "\n"
        }
        return out
    }

    /// Every column a run plot draws, plus a few it does not.
    static let allRunColumns = [
        "unix_ms", "target_rate", "attempted", "established", "completed", "failed", "missed", "backlog",
        "eaddrnotavail", "eaddrinuse", "econnrefused", "etimedout", "econnreset", "emfile", "other_errors",
        "tw_client", "tw_server", "tw_total", "connect_p50_us", "connect_p99_us", "connect_call_p99_us", "lag_p99_us",
        "response_p99_us", "enetunreach", "ehostunreach", "unexpected_status",
    ]

    /// A plausible collapse: 2,000/s until row 7, then ~900/s with slow connect(), EADDRNOTAVAIL from row 15.
    static func collapseCell(_ column: String, _ row: Int) -> String {
        let slow = row >= 7
        switch column {
        case "unix_ms": return String(1_700_000_000_000 + row * 1000)
        case "target_rate": return "2000"
        case "attempted", "established", "completed": return slow ? "900" : "2000"
        case "missed": return slow ? "1100" : "0"
        case "backlog": return slow ? String((row - 6) * 1100) : "0"
        case "eaddrnotavail": return row >= 15 ? "50" : "0"
        case "tw_client", "tw_total": return String(min(28232, 2000 * (row + 1)))
        case "tw_server": return "0"
        case "connect_p50_us": return slow ? "400000" : "60"
        case "connect_p99_us": return slow ? "900000" : "120"
        case "connect_call_p99_us": return slow ? "4000" : "60"
        case "lag_p99_us": return slow ? "850000" : "0"
        case "response_p99_us": return ""
        default: return "0"
        }
    }
}
