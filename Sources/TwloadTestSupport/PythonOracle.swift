import Foundation

/// A Python with a given reference package, for tests that use it as an oracle: $TWLOAD_PYTHON first
/// (`.ci/run` makes a virtual environment with the packages and sets it), then python3 if it has the package.
public enum PythonOracle {
    /// The first candidate that imports `module`, or nil.
    public static func find(module: String) -> String? {
        var candidates: [String] = []
        if let p = ProcessInfo.processInfo.environment["TWLOAD_PYTHON"] { candidates.append(p) }
        for dir in ["/usr/bin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/python3") {
            candidates.append("\(dir)/python3")
        }
        return candidates.first { p in (try? run(p, script: "import \(module)").status) == 0 }
    }

    /// The line a test prints when it skips because no Python has `package` (its PyPI name).
    public static func skipReason(package: String) -> String {
        "skipped: no python3 with \(package) (.ci/run installs it in a virtual environment and sets TWLOAD_PYTHON)"
    }

    /// What a run of a Python script gave.
    public typealias Output = TestProcess.Output

    /// Runs `python -c script arguments...` to completion.
    public static func run(_ python: String, script: String, arguments: [String] = []) throws -> Output {
        try TestProcess.run(python, ["-c", script] + arguments)
    }
}
