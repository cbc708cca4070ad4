/// ArgumentParser's bash completion script, taught that `run` is the default subcommand.
///
/// The generated script completes a command's options only after the command's name, so `twload run --close
/// <TAB>` offers `client server` but `twload --close <TAB>`, the form the README uses, offers nothing. This
/// renames the generated entry function and puts a small one in its place: when the first word after
/// `twload` is an option other than the root's own (`-h`, `--help`, `--version`), it completes the line as if
/// `run` had been typed there, then calls the generated function.
enum BashCompletion {
    /// The generated function's new name.
    static let generatedEntry = "__twload_generated"

    /// `script` (ArgumentParser's, for the root command) with the default-subcommand entry function; the
    /// script unchanged when it does not have the expected entry function.
    static func withDefaultSubcommand(_ script: String) -> String {
        let entry = "\n_twload() {\n"
        guard let range = script.range(of: entry) else { return script }
        var patched = script
        patched.replaceSubrange(range, with: "\n\(generatedEntry)() {\n")
        let shim = """

            # twload: `run` is the default subcommand, so `twload --close <TAB>` completes as `twload run --close`.
            _twload() {
                case "${COMP_WORDS[1]-}" in
                -h | --help | --version | --generate-completion-script*) ;;
                -*)
                    local -a COMP_WORDS=("${COMP_WORDS[0]}" run "${COMP_WORDS[@]:1}")
                    local -i COMP_CWORD=$((COMP_CWORD + 1))
                    local COMP_LINE="${COMP_LINE/#"${COMP_WORDS[0]}"/"${COMP_WORDS[0]}" run}"
                    local -i COMP_POINT=$((COMP_POINT + 4))
                    ;;
                esac
                \(generatedEntry) "$@"
            }

            """
        guard let complete = patched.range(of: "\ncomplete -o filenames -F _twload twload") else { return script }
        patched.insert(contentsOf: shim, at: complete.lowerBound)
        return patched
    }
}
