// swift-tools-version: 6.0
// libFuzzer targets for twload's parsers. A package of its own, so that the product's build never compiles
// them; `run.sh` builds it with `--sanitize=fuzzer --sanitize=address`. Each target is an executable whose
// entry point is libFuzzer's `main`: it is compiled as a library (no top-level code) and exports
// `LLVMFuzzerTestOneInput`.
import PackageDescription

let fuzzTarget: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

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
        .executableTarget(
            name: "FuzzProfile",
            dependencies: ["FuzzSupport", .product(name: "Twload", package: "twload")],
            path: "Sources/FuzzProfile", swiftSettings: fuzzTarget),
        // `--fail-on` / `thresholds:` expressions: parse, re-parse, evaluate.
        .executableTarget(
            name: "FuzzThreshold",
            dependencies: ["FuzzSupport", .product(name: "Twload", package: "twload")],
            path: "Sources/FuzzThreshold", swiftSettings: fuzzTarget),
        // Option value parsers and `--send` escapes, one chosen by the first byte.
        .executableTarget(
            name: "FuzzValues",
            dependencies: ["FuzzSupport", .product(name: "Twload", package: "twload")],
            path: "Sources/FuzzValues", swiftSettings: fuzzTarget),
        // The incremental HTTP/1.x response parser, fed in input-chosen chunks.
        .executableTarget(
            name: "FuzzHTTP",
            dependencies: ["FuzzSupport", .product(name: "Twload", package: "twload")],
            path: "Sources/FuzzHTTP", swiftSettings: fuzzTarget),
        // The sock_diag reply parser, fed length-prefixed datagrams.
        .executableTarget(
            name: "FuzzSockDiag",
            dependencies: ["FuzzSupport", .product(name: "Twload", package: "twload")],
            path: "Sources/FuzzSockDiag", swiftSettings: fuzzTarget),
    ],
    swiftLanguageModes: [.v6]
)
