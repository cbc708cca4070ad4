/// twload's version: the package version, and the git commit it was built from when it was built from a
/// checkout (`gitCommit` is generated at build time by the GitCommit plugin).
public enum TwloadVersion {
    /// The package version, raised with each release.
    public static let package = "0.15.0"

    /// The short commit of the checkout this binary was built from ("0638cde", or "0638cde-dirty" when
    /// tracked files differed from it), or nil when it was built outside a checkout or without git.
    public static let commit: String? = gitCommit

    /// "0.15.0 (git 0638cde)", or "0.15.0" without a commit.
    public static var description: String {
        package + (commit.map { " (git \($0))" } ?? "")
    }
}
