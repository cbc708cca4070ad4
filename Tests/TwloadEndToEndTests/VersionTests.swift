import Foundation
import Testing
import TwloadVersion

/// `twload --version`, and the plugin script that finds the commit: in this checkout, in a fresh
/// repository, outside any checkout, and inside a repository that is not the package's.
@Suite(.serialized) struct VersionTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let script = packageRoot.appendingPathComponent("Plugins/GitCommit/git-commit.sh").path
    static let git = Harness.which("git")

    /// Runs git-commit.sh for a package at `root`; returns the generated file's text.
    static func generate(root: URL) throws -> String {
        let out = root.appendingPathComponent(".generated")
        let result = try Harness.run("/bin/sh", [script, root.path, out.path], timeout: 20)
        #expect(result.status == 0, "\(result.stderr)")
        return Harness.read(out.appendingPathComponent("GitCommit.swift"))
    }

    static func shell(_ command: String, in dir: URL) throws {
        let out = try Harness.run("/bin/sh", ["-c", "cd '\(dir.path)' && \(command)"], timeout: 20)
        #expect(out.status == 0, "\(command): \(out.stderr)")
    }

    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twload-version-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func versionPrintsThePackageVersionAndTheCommitItWasBuiltFrom() throws {
        let out = try Harness.twload(["--version"], timeout: 20)
        #expect(out.status == 0)
        #expect(out.stdout == "twload \(TwloadVersion.description)\n")
        #expect(out.stdout.hasPrefix("twload \(TwloadVersion.package)"))
        guard Self.git != nil,
            FileManager.default.fileExists(atPath: Self.packageRoot.appendingPathComponent(".git").path)
        else {
            print("VersionTests: no git or no .git here; the version carries no commit")
            #expect(out.stdout == "twload \(TwloadVersion.package)\n")
            return
        }
        let head = try Harness.run(
            "/bin/sh", ["-c", "git -C '\(Self.packageRoot.path)' rev-parse --short=7 HEAD"], timeout: 20)
        let commit = head.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard head.status == 0, !commit.isEmpty else {
            // e.g. git refusing a checkout another user owns ("dubious ownership"): the build had no commit either.
            print(
                "VersionTests: git cannot read this checkout (\(head.stderr.prefix(200))); the version carries no commit"
            )
            #expect(out.stdout == "twload \(TwloadVersion.package)\n")
            return
        }
        // The binary may be a build of an earlier state of the same commit; "-dirty" is its own claim.
        #expect(out.stdout.hasPrefix("twload \(TwloadVersion.package) (git \(commit)"), "\(out.stdout) vs \(commit)")
    }

    @Test func aFreshRepositoryGivesItsCommitAndAChangeMarksItDirty() throws {
        guard Self.git != nil else {
            print("skipped: needs git")
            return
        }
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.shell(
            "git init -q && echo a > a.txt && git add a.txt && git -c user.name=t -c user.email=t@t commit -qm one",
            in: dir)
        let head = try Harness.run("/bin/sh", ["-c", "git -C '\(dir.path)' rev-parse --short=7 HEAD"], timeout: 20)
        let commit = head.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try Self.generate(root: dir).hasSuffix("let gitCommit: String? = \"\(commit)\"\n"))
        try Self.shell("echo b > a.txt", in: dir)
        #expect(try Self.generate(root: dir).hasSuffix("let gitCommit: String? = \"\(commit)-dirty\"\n"))
    }

    @Test func withoutACheckoutThereIsNoCommit() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try Self.generate(root: dir).hasSuffix("let gitCommit: String? = nil\n"))
    }

    @Test func aPackageInsideAnotherRepositoryDoesNotTakeThatRepositorysCommit() throws {
        guard Self.git != nil else {
            print("skipped: needs git")
            return
        }
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.shell(
            "git init -q && mkdir -p vendor/twload && echo a > a.txt && git add a.txt "
                + "&& git -c user.name=t -c user.email=t@t commit -qm one", in: dir)
        #expect(try Self.generate(root: dir.appendingPathComponent("vendor/twload")).hasSuffix("= nil\n"))
    }

    @Test func anUnchangedCommitLeavesTheGeneratedFileUntouched() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent(".generated/GitCommit.swift")
        _ = try Self.generate(root: dir)
        let before = try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date
        Thread.sleep(forTimeInterval: 0.05)
        _ = try Self.generate(root: dir)
        let after = try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date
        #expect(before != nil && before == after)
    }
}
