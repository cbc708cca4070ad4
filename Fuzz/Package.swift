// swift-tools-version: 6.0
// libFuzzer targets for twload's parsers. A package of its own, so that the product's build never compiles
// them; `run.sh` builds it with `--sanitize=fuzzer --sanitize=address`. Each target is an executable whose
// entry point is libFuzzer's `main`: it is compiled as a library (no top-level code) and exports
// `LLVMFuzzerTestOneInput`.
import PackageDescription

/// One fuzz target: an executable over FuzzSupport and twload's library, built as a library (no top-level code).
func fuzzTarget(_ name: String) -> Target {
    .executableTarget(
        name: name, dependencies: ["FuzzSupport", .product(name: "Twload", package: "twload")],
        path: "Sources/\(name)", swiftSettings: [.unsafeFlags(["-parse-as-library"])])
}

let package = Package(
    name: "twload-fuzz",
    dependencies: [
        .package(name: "twload", path: "../")
    ],
    targets: [
        // Byte cursor, input-chosen chunking, exact-size buffers, the invariant check and the no-DNS guard the
        // targets share.
        .target(
            name: "FuzzSupport", dependencies: [.product(name: "Twload", package: "twload")],
            path: "Sources/FuzzSupport"),
        // YAML profile → RunConfiguration → RateSchedule and Pacer.
        fuzzTarget("FuzzProfile"),
        // `--fail-on` / `thresholds:` expressions: parse, re-parse, evaluate.
        fuzzTarget("FuzzThreshold"),
        // Option value parsers and `--send` escapes, one chosen by the first byte.
        fuzzTarget("FuzzValues"),
        // The incremental HTTP/1.x response parser, fed in input-chosen chunks.
        fuzzTarget("FuzzHTTP"),
        // The sock_diag reply parser, fed length-prefixed datagrams.
        fuzzTarget("FuzzSockDiag"),
        // HdrHistogram encodings and interval logs (.hlog): decode, read, re-encode.
        fuzzTarget("FuzzHistogramLog"),
    ],
    swiftLanguageModes: [.v6]
)
