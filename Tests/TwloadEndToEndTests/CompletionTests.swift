import Foundation
import Testing

/// The bash completion script twload generates, sourced in a real bash and driven as bash drives it
/// (COMP_WORDS, COMP_CWORD, COMP_LINE, COMP_POINT): values of enumerated options and files for profiles.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/bash"), "needs bash"))
struct CompletionTests {
    /// What completing the end of `line` offers, one word per line, in the directory `cwd`.
    static func complete(_ line: String, in cwd: String = "/") throws -> [String] {
        let script = try Harness.twload(["--generate-completion-script", "bash"], timeout: 20)
        #expect(script.status == 0)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("twload-\(UUID().uuidString).bash")
        try script.stdout.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let driver = """
            source "$1"
            cd "$2"
            COMP_LINE="$3"
            COMP_POINT=${#COMP_LINE}
            read -ra COMP_WORDS <<< "$COMP_LINE"
            [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
            COMPREPLY=()
            _twload twload "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let out = try Harness.run("/bin/bash", ["-c", driver, "bash", file.path, cwd, line], timeout: 20)
        #expect(out.status == 0, "\(out.stderr)")
        return out.stdout.split(separator: "\n").map(String.init)
    }

    @Test(arguments: ["twload --close ", "twload run --close ", "twload --rate 10 --close ", "twload serve --close "])
    func closeCompletesToExactlyClientAndServer(line: String) throws {
        #expect(try Self.complete(line) == ["client", "server"])
    }

    @Test func everyEnumeratedOptionCompletesToItsValues() throws {
        #expect(try Self.complete("twload --protocol ") == ["tcp", "http"])
        #expect(try Self.complete("twload --port-binding ") == ["auto", "range", "bind"])
        #expect(try Self.complete("twload lab --linger ") == ["off", "0"])
        #expect(try Self.complete("twload check --close s") == ["server"])
    }

    @Test func profilesCompleteAsYAMLFilesAndDirectories() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twload-comp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("more"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["gate.yaml", "notes.txt"] { try Data().write(to: dir.appendingPathComponent(name)) }
        #expect(try Set(Self.complete("twload --profile ", in: dir.path)) == ["gate.yaml", "more"])
        #expect(try Set(Self.complete("twload check --profile ", in: dir.path)) == ["gate.yaml", "more"])
        #expect(try Set(Self.complete("twload lab ", in: dir.path)).isSuperset(of: ["gate.yaml", "more"]))
        #expect(try Set(Self.complete("twload --csv ", in: dir.path)) == ["gate.yaml", "more", "notes.txt"])
    }

    @Test func theDefaultSubcommandsOptionsCompleteAfterTwload() throws {
        #expect(try Self.complete("twload --pro").contains("--protocol"))
        #expect(try Self.complete("twload --pro").contains("--progress"))
    }
}
