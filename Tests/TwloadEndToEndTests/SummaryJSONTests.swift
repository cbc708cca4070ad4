import Foundation
import Testing
import TwloadReport
import TwloadTestSupport

/// `--summary-json` against its documented schema (docs/summary.schema.json), with the reference
/// `jsonschema` package as the oracle.
@Suite struct SummaryJSONTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let schema = repository.appendingPathComponent("docs/summary.schema.json").path

    /// A Python with `jsonschema` (see `PythonOracle`), or nil.
    static let python = PythonOracle.find(module: "jsonschema")

    /// Validates `document` against `schema` (the summary's by default); returns the validator's complaint, or
    /// nil when it is valid.
    func schemaError(_ document: String, schema: String = Self.schema) throws -> String? {
        let python = try #require(Self.python)
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            jsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[2])))
            """
        let out = try Harness.run(python, ["-c", script, schema, document])
        return out.status == 0 ? nil : out.stderr
    }

    @Test func aRunsSummaryValidatesAndHoldsEveryMetricAndEveryCSVColumn() throws {
        guard Self.python != nil else {
            print(PythonOracle.skipReason(package: "jsonschema"))
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twload-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let json = dir.appendingPathComponent("summary.json").path
        let csv = dir.appendingPathComponent("run.csv").path
        let out = try Harness.twload([
            "--rate", "200", "--duration", "1", "--protocol", "http", "--csv", csv, "--summary-json", json,
            "--fail-on", "failed == 0", "--fail-on", "connect_p99_us < 1",
        ])
        #expect(out.status == 1, "the second threshold fails: \(out.stderr)")
        #expect(try schemaError(json) == nil)
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let columns = try #require(document["columns"] as? [String: Any])
        let header = Harness.read(URL(fileURLWithPath: csv)).split(separator: "\n").first.map {
            $0.split(separator: ",").map(String.init)
        }
        #expect(Set(columns.keys) == Set(try #require(header)), "every CSV column, and only those")
        let metrics = try #require(document["metrics"] as? [String: Any])
        #expect(Set(metrics.keys) == MetricTable.runMetricNames, "every run metric --fail-on knows")
        let attempted = try #require((columns["attempted"] as? [String: Any])?["value"] as? Double)
        #expect(attempted == 200)
        #expect((columns["http_2xx"] as? [String: Any])?["value"] as? Double == 200)
        let thresholds = try #require(document["thresholds"] as? [[String: Any]])
        #expect(thresholds.map { $0["verdict"] as? String } == ["pass", "fail"])
        #expect(document["thresholds_held"] as? Bool == false)
        #expect(document["why"] is String)
        #expect(document["limited_by"] is NSNull, "a healthy run blames no one: \(document["why"] ?? "")")
    }

    @Test func aClosedPortsSummaryNamesTheServerAsWhatLimitedTheRun() throws {
        guard Self.python != nil else {
            print(PythonOracle.skipReason(package: "jsonschema"))
            return
        }
        let closed = try ClosedPort()
        let json = FileManager.default.temporaryDirectory.appendingPathComponent(
            "twload-closed-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: json) }
        let out = try Harness.twload([
            "run", "--target", "127.0.0.1:\(closed.port)", "--rate", "20", "--duration", "1s", "--summary-json",
            json.path,
        ])
        #expect(out.status == 0, "\(out.stderr) (port \(closed.port))")
        #expect(try schemaError(json.path) == nil)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        #expect(document["limited_by"] as? String == "server")
        #expect((document["why"] as? String)?.hasPrefix("the server refused or reset connections: 20 ") == true)
    }

    @Test func checkWritesThePredictionAloneAndItsVerdict() throws {
        guard Self.python != nil else {
            print(PythonOracle.skipReason(package: "jsonschema"))
            return
        }
        let json = FileManager.default.temporaryDirectory.appendingPathComponent(
            "twload-check-\(UUID().uuidString).json")
        // 100 per-socket ports at 2,000/s run out after 0.05 s whatever the host's tcp_tw_reuse; check sends nothing.
        let out = try Harness.twload([
            "check", "--rate", "2000", "--duration", "30", "--source-ports", "40000-40099", "--summary-json", json.path,
        ])
        #expect(out.status == 1, "\(out.stderr)")
        #expect(try schemaError(json.path) == nil)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        #expect(document["kind"] as? String == "check")
        #expect(document["trouble_within_duration"] as? Bool == true)
        #expect(document["metrics"] == nil && document["columns"] == nil, "a check measures nothing")
        let prediction = try #require(document["prediction"] as? [String: Any])
        #expect((prediction["first_eaddrnotavail_s"] as? Double).map { abs($0 - 0.05) < 1e-9 } == true)
        #expect((document["verdict"] as? String)?.hasPrefix("twload check: FAIL") == true)
    }

    @Test func theSchemaRejectsAValidDocumentOnceItsVersionIsTakenOut() throws {
        guard Self.python != nil else {
            print(PythonOracle.skipReason(package: "jsonschema"))
            return
        }
        // The committed collapse run's summary is valid; the same document without schema_version is not, so
        // the oracle is not one that accepts everything.
        let valid = Self.repository.appendingPathComponent("docs/collapse.json")
        #expect(try schemaError(valid.path) == nil)
        var document = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: valid)) as? [String: Any])
        document["schema_version"] = nil
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("twload-bad-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: document).write(to: bad)
        let complaint = try #require(try schemaError(bad.path))
        #expect(complaint.contains("schema_version"), "\(complaint)")
    }

    @Test func anUnwritableSummaryPathFailsBeforeAnyLoad() throws {
        let out = try Harness.twload([
            "--rate", "100", "--duration", "1", "--csv", "/dev/null", "--summary-json", "/nonexistent-dir/s.json",
        ])
        #expect(out.status == 73, "\(out.stderr)")
        #expect(out.stderr.contains("twload: error: --summary-json: cannot create '/nonexistent-dir/s.json'"))
        #expect(!out.stderr.contains("twload summary"), "nothing ran")
    }
}
