import Foundation
import Testing

/// `twload find --lab`: real searches, each probe in a fresh namespace with tcp_tw_reuse=0.
extension NamespaceTests {
    @Suite struct FindNamespaceTests {
        /// Runs `twload find --lab` with `arguments`, its CSV and JSON summary to scratch files.
        func find(
            _ arguments: [String], timeout: Double = 120
        ) throws -> (
            out: Harness.Output, csv: CSV, json: [String: Any], jsonPath: String
        ) {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twload-find-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let csv = dir.appendingPathComponent("find.csv")
            let json = dir.appendingPathComponent("find.json")
            let out = try Harness.twload(
                ["find", "--lab"] + arguments + ["--csv", csv.path, "--summary-json", json.path], timeout: timeout)
            let document = (try? JSONSerialization.jsonObject(with: Data(contentsOf: json))) as? [String: Any] ?? [:]
            return (out, CSV(Harness.read(csv)), document, json.path)
        }

        /// The number after `prefix` in the first stderr line that has it.
        func number(after prefix: String, in text: String) -> Double? {
            guard let r = text.range(of: prefix) else { return nil }
            return Double(text[r.upperBound...].prefix { $0.isNumber || $0 == "." })
        }

        @Test func clientCloseOnAThousandPortsHoldsPortsOverTheDwellAndSustainsPortsOverSixtySeconds() throws {
            let r = try find(
                ["--close", "client", "--source-ports", "40000-40999", "--dwell", "5s", "--confirm", "90s"],
                timeout: 400)
            #expect(r.out.status == 0, "\(r.out.stderr)")
            let err = r.out.stderr
            // Short term: 1000 ports ÷ 5 s = 200/s, limited by this host's ports.
            let maximum = try #require(number(after: "highest rate held for 5 s: ", in: err), "\(err)")
            #expect((180...210).contains(maximum), "\(err)")
            #expect(err.contains("/s, limited by this host's ports (probe "), "\(err)")
            #expect(err.contains("EADDRNOTAVAIL from "), "\(err)")
            // Indefinitely: 1000 ports ÷ 60 s = 16.7/s, limited by this host's ports.
            #expect(
                err.contains(
                    "sustainable indefinitely (the client closes first): 16.7/s, limited by this host's ports: "
                        + "1000 ports ÷ 60 s of TIME_WAIT = 16.7/s"), "\(err)")
            // The confirmation holds a rate within 10 % of it for 90 s.
            let result = try #require(r.json["result"] as? [String: Any])
            let confirmed = try #require(result["confirmed_rate"] as? Double, "\(err)")
            #expect(abs(confirmed - 1000.0 / 60) <= 1000.0 / 60 * 0.1 + 1e-9, "\(err)")
            #expect(result["limited_by"] as? String == "host_ports")
            #expect(result["sustainable_limited_by"] as? String == "host_ports")
            // Every probe's rows carry its number and its rate, under one header.
            let probes = try #require(r.json["probes"] as? [[String: Any]])
            let numbers = r.csv.ints("probe")
            #expect(Set(numbers) == Set(probes.compactMap { $0["probe"] as? Int }))
            #expect(numbers == numbers.sorted())
            for p in probes {
                let n = try #require(p["probe"] as? Int)
                let rate = try #require(p["rate"] as? Double)
                let rows = numbers.indices.filter { numbers[$0] == n }
                #expect(!rows.isEmpty, "probe \(n) has rows")
                #expect(rows.allSatisfy { abs(r.csv.doubles("target_rate")[$0] - rate) < 0.01 }, "probe \(n)")
                // Each probe in its own namespace starts with no TIME_WAIT of the others.
                if let first = rows.first { #expect(r.csv.ints("tw_client")[first] <= Int(rate) + 5, "probe \(n)") }
                if p["held"] as? Bool == false, p["role"] as? String == "search" {
                    #expect(p["limited_by"] as? String == "host_ports", "probe \(n): \(p["evidence"] ?? "")")
                }
            }
            #expect(!Harness.read(URL(fileURLWithPath: r.jsonPath)).isEmpty)
            if SummaryJSONTests.python != nil {
                #expect(try SummaryJSONTests().schemaError(r.jsonPath, schema: FindCommandTests.schema) == nil)
            }
        }

        @Test func serverCloseThatHoldsAtMaxSaysTheCapacityLiesAbove() throws {
            let r = try find(["--close", "server", "--min", "200", "--max", "800", "--dwell", "1s"])
            #expect(r.out.status == 0, "\(r.out.stderr)")
            #expect(Set(r.csv.ints("probe")) == [1, 2, 3])
            #expect(r.csv.doubles("target_rate").map { Int($0) }.uniqued() == [200, 400, 800])
            #expect(
                r.out.stderr.contains("highest rate held for 1 s: 800/s, which is --max: the capacity lies above it"),
                "\(r.out.stderr)")
            #expect(r.out.stderr.contains("sustainable indefinitely (the server closes first): 800/s: the server "))
            let result = try #require(r.json["result"] as? [String: Any])
            #expect(result["held_at_max"] as? Bool == true)
            if SummaryJSONTests.python != nil {
                #expect(try SummaryJSONTests().schemaError(r.jsonPath, schema: FindCommandTests.schema) == nil)
            }
        }

        @Test func aMinimumThatFailsFindsNothingAndExitsOne() throws {
            let r = try find([
                "--close", "client", "--source-ports", "40000-40009", "--min", "20", "--max", "40",
                "--dwell", "1s",
            ])
            #expect(r.out.status == 1, "\(r.out.stderr)")
            #expect(
                r.out.stderr.contains(
                    "nothing held: the first probe, 20/s, failed, limited by this host's ports (10 EADDRNOTAVAIL from "),
                "\(r.out.stderr)")
            #expect(r.out.stderr.contains("give a lower --min"))
            #expect(Set(r.csv.ints("probe")) == [1])
            let result = try #require(r.json["result"] as? [String: Any])
            #expect(result["max_rate"] is NSNull)
        }
    }
}

extension Array where Element: Equatable {
    /// The elements without runs of repeats.
    fileprivate func uniqued() -> [Element] {
        reduce(into: []) { out, e in if out.last != e { out.append(e) } }
    }
}
