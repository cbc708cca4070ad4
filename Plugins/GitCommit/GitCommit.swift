import Foundation
import PackagePlugin

/// Gives the target it is applied to a generated `GitCommit.swift` that holds the commit of the checkout
/// being built (`let gitCommit: String? = "0638cde"`), or nil outside a checkout.
///
/// It is a prebuild command, run before every build, because no list of input files covers every way HEAD
/// moves (a commit, a checkout, an amend, a rebase, a `git gc` that packs the refs, a worktree's own
/// HEAD). The script is a few milliseconds of `git rev-parse` and rewrites the file only when its text
/// changes, so an unchanged commit recompiles nothing. It needs no network, works in debug and release, and
/// falls back to nil when there is no `.git` or no `git`.
@main
struct GitCommit: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let script = context.package.directoryURL.appending(path: "Plugins/GitCommit/git-commit.sh")
        let output = context.pluginWorkDirectoryURL.appending(path: "generated")
        return [
            .prebuildCommand(
                displayName: "Reading the git commit of \(context.package.displayName)",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [script.path, context.package.directoryURL.path, output.path],
                environment: [:],
                outputFilesDirectory: output)
        ]
    }
}
