import TwloadConfig
import TwloadModel

/// Resolves a run as `twload run` does, from command-line texts and an optional profile (the lines after its
/// title), for the option tests.
enum RunResolving {
    static func configuration(
        _ cli: [String: [String]], profile: String? = nil, defaultThreads: Int = 1
    ) throws -> RunConfiguration {
        let p = try profile.map { try Profile.parse(yaml: "title: t\n" + $0, path: "p.yaml") }
        return try RunResolution.configuration(
            commandLine: OptionValues(texts: cli), profile: p, defaultThreads: defaultThreads)
    }

    /// The one-line message of the error `cli` (and `profile`) make, or nil when the run is accepted.
    static func refusal(_ cli: [String: [String]], profile: String? = nil, defaultThreads: Int = 1) -> String? {
        do {
            _ = try configuration(cli, profile: profile, defaultThreads: defaultThreads)
            return nil
        } catch {
            return "\(error)"
        }
    }
}
