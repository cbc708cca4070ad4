import TwloadSystem

/// Facts about the machine used for defaults.
public enum SystemInfo {
    /// Online processors (the default `--threads`).
    public static var coreCount: Int { ProcessorCount.online }
}
