import TwloadHistogramLog
import TwloadModel
import TwloadSystem

/// Reads what `twload merge` is given: the agents' folders (`agent-I.csv`, `agent-I.json`,
/// `agent-I.NAME.hlog`) and the target's `twload watch` CSVs.
enum MergeReading {
    /// Inputs larger than this are refused rather than read whole (an hour of one agent's rows is ~1 MB).
    static let maxBytes = 256 << 20

    /// A whole file as text, or `.noInput`.
    static func read(_ path: String) throws(MergeFailure) -> String {
        do {
            return try InputFile.read(path, limit: maxBytes)
        } catch {
            switch error {
            case .unreadable: throw .noInput("\(path): \(error.message)")
            case .tooLarge: throw .badData(DataFileError(file: path, error.message))
            }
        }
    }

    /// Every agent found in `folders`, by index. An agent whose files are in two folders is an error.
    static func agents(in folders: [String]) throws(MergeFailure) -> [AgentInput] {
        var found: [Int: (folder: String, kinds: [AgentFiles.Kind])] = [:]
        for (n, folder) in folders.enumerated() where folders[..<n].contains(folder) {
            throw .badData(DataFileError(file: folder, "given twice: each agent's files are merged once"))
        }
        for folder in folders {
            let names: [String]
            do {
                names = try Directory.entries(folder)
            } catch {
                throw .noInput("\(folder): cannot read the folder: \(error.errno.message)")
            }
            var any = false
            for name in names {
                guard let (index, kind) = AgentFiles.parse(name) else { continue }
                any = true
                if let other = found[index], other.folder != folder {
                    throw .badData(
                        DataFileError(file: folder, "agent \(index) has files here and in \(other.folder)"))
                }
                found[index, default: (folder, [])].kinds.append(kind)
            }
            if !any { throw .noInput("\(folder): no agent files (agent-I.csv, agent-I.json, agent-I.NAME.hlog)") }
        }
        var agents: [AgentInput] = []
        for (index, files) in found.sorted(by: { $0.key < $1.key }) {
            agents.append(try agent(index, folder: files.folder, kinds: files.kinds))
        }
        return agents
    }

    /// Reads one agent's files.
    static func agent(_ index: Int, folder: String, kinds: [AgentFiles.Kind]) throws(MergeFailure) -> AgentInput {
        var input = AgentInput(
            index: index, folder: folder, table: nil, manifest: nil, logs: [:], intervalIndexes: [], notes: [])
        if kinds.contains(.json) {
            let path = AgentFiles.path(in: folder, agent: index, .json)
            let text = try read(path)
            // An agent creates its summary's file at the start and fills it at the end: empty, it was
            // killed before it finished, which makes the merge partial (no manifest), not malformed.
            if !text.allSatisfy(\.isWhitespace) {
                do {
                    input.manifest = AgentManifest(summary: try JSONValue.parse(text))
                } catch {
                    throw .badData(DataFileError(file: path, line: error.line, error.message))
                }
                if input.manifest == nil {
                    throw .badData(DataFileError(file: path, "no \"agent\" object: not an agent's summary"))
                }
            }
        }
        if kinds.contains(.csv) {
            let path = AgentFiles.path(in: folder, agent: index, .csv)
            let text = try read(path)
            do {
                let table = try CSVTable(text: text, file: path)
                input.intervalIndexes = try intervalIndexes(table, agent: index)
                input.notes = table.notes
                input.table = table
            } catch  where error.kind == .noData {
                input.notes.append("\(path): no rows")
            } catch {
                throw .badData(error)
            }
        }
        for case .hlog(let name) in kinds {
            let path = AgentFiles.path(in: folder, agent: index, .hlog(name))
            let text = try read(path)
            do {
                input.logs[name] = try HistogramLogReader.scan(text)
            } catch {
                throw .badData(DataFileError(file: path, line: error.line, "\(error.problem)"))
            }
        }
        return input
    }

    /// The `interval_index` of every row, checked: present, whole, rising, and the row's `agent` is `agent`.
    static func intervalIndexes(_ table: CSVTable, agent: Int) throws(DataFileError) -> [Int] {
        guard let column = table.columnIndex("interval_index"), let agentColumn = table.columnIndex("agent") else {
            throw DataFileError(
                file: table.file, line: 1, "no interval_index or agent column: not an agent's CSV (run --out)")
        }
        var indexes: [Int] = []
        indexes.reserveCapacity(table.rowCount)
        for row in 0..<table.rowCount {
            guard let i = Int(table.cell(row, column)), i >= 0, i > (indexes.last ?? -1) else {
                throw DataFileError(
                    file: table.file, line: table.lineNumber(row),
                    "interval_index '\(table.cell(row, column))' is not a whole number above the row before")
            }
            guard Int(table.cell(row, agentColumn)) == agent else {
                throw DataFileError(
                    file: table.file, line: table.lineNumber(row),
                    "agent '\(table.cell(row, agentColumn))' is not \(agent)")
            }
            indexes.append(i)
        }
        return indexes
    }

    /// A `twload watch` CSV.
    static func watch(_ path: String) throws(MergeFailure) -> CSVTable {
        let text = try read(path)
        let table: CSVTable
        do {
            table = try CSVTable(text: text, file: path)
        } catch {
            throw .badData(error)
        }
        guard table.columnIndex("unix_ms") != nil else {
            throw .badData(DataFileError(file: path, line: 1, "no unix_ms column: not a twload watch CSV"))
        }
        return table
    }
}
