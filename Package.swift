// swift-tools-version: 6.0
import PackageDescription

// The targets follow the data flow, bottom to top. A target may import only those listed below it, so
// the compiler rejects a dependency cycle:
//
//   CTwloadLinux, CZlib → TwloadSystem → TwloadModel, TwloadEventLoop → TwloadStats
//     → TwloadEngine, TwloadServer, TwloadCensus → TwloadReport → TwloadConfig → TwloadRun → twload
//   TwloadStats → TwloadHistogramLog → TwloadRun   (HdrHistogram interval logs: Stats, Model and System only)
//   TwloadReport, TwloadHistogramLog → TwloadMerge → twload   (merge reads what agents wrote; it runs nothing)
//   TwloadModel → TwloadPlot → twload   (plot only reads what a run wrote: it needs nothing else of twload)
//
// TwloadVersion stands apart at the bottom (it imports nothing): the version and the git commit, which the
// GitCommit plugin generates at build time.
let package = Package(
    name: "twload",
    products: [
        .executable(name: "twload", targets: ["twload"]),
        .library(
            name: "Twload",
            targets: [
                "TwloadSystem", "TwloadModel", "TwloadEventLoop", "TwloadStats", "TwloadEngine", "TwloadServer",
                "TwloadCensus", "TwloadReport", "TwloadConfig", "TwloadRun", "TwloadPlot", "TwloadHistogramLog",
                "TwloadMerge",
            ]
        ),
        .library(name: "TwloadTestSupport", targets: ["TwloadTestSupport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The package version and the commit built from (`twload --version`). Only this target's generated
        // file changes with the commit, so a new commit recompiles one small file, not the package.
        .target(name: "TwloadVersion", plugins: ["GitCommit"]),
        // Runs git-commit.sh before every build: it writes the commit of the checkout, or nil outside one.
        .plugin(name: "GitCommit", capability: .buildTool(), exclude: ["git-commit.sh"]),
        // Linux declarations Glibc does not expose (epoll, accept4, eventfd, inet_diag) and raw system calls.
        .target(name: "CTwloadLinux"),
        // The system zlib (deflate for HdrHistogram's compressed histograms).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Thin system-call and C-library wrappers: the only layer with unsafe pointers and errno.
        .target(name: "TwloadSystem", dependencies: ["CTwloadLinux", "CZlib"]),
        // Plain values every layer shares: close side, linger, protocol, ports, rate schedule, number text.
        .target(name: "TwloadModel"),
        // Event-loop building blocks: the stop switch and generation-tagged fd tables behind epoll tags.
        .target(name: "TwloadEventLoop", dependencies: ["TwloadSystem"]),
        // Per-interval counters, latency histograms and recorders, and the samples workers publish.
        .target(name: "TwloadStats", dependencies: ["TwloadSystem"]),
        // The client: open-loop pacer, connection table, event loop, HTTP response parser.
        .target(name: "TwloadEngine", dependencies: ["TwloadStats", "TwloadEventLoop", "TwloadModel", "TwloadSystem"]),
        // The built-in target server (its own epoll loop and thread).
        .target(name: "TwloadServer", dependencies: ["TwloadStats", "TwloadEventLoop", "TwloadModel", "TwloadSystem"]),
        // The socket census (sock_diag, /proc fallbacks), its sampler thread, and the kernel's TCP settings.
        .target(
            name: "TwloadCensus",
            dependencies: ["TwloadEventLoop", "TwloadModel", "TwloadSystem", "CTwloadLinux"]
        ),
        // What twload reports: the metric table, CSV rows, totals, summary, prediction and preflight.
        .target(name: "TwloadReport", dependencies: ["TwloadCensus", "TwloadStats", "TwloadModel"]),
        // Options declared once, value parsing, profiles (YAML) and thresholds into a RunConfiguration.
        .target(
            name: "TwloadConfig",
            dependencies: [
                "TwloadReport", "TwloadModel", "TwloadSystem", .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Runs: plan, load run, lab, check, serve, watch, and the interval recorder. Never imports ArgumentParser.
        .target(
            name: "TwloadRun",
            dependencies: [
                "TwloadConfig", "TwloadReport", "TwloadEngine", "TwloadServer", "TwloadCensus", "TwloadStats",
                "TwloadEventLoop", "TwloadModel", "TwloadSystem", "TwloadVersion", "TwloadHistogramLog",
            ]
        ),
        // HdrHistogram interval logs (.hlog): the V2 compressed histogram codec, the log's writer and reader.
        .target(name: "TwloadHistogramLog", dependencies: ["TwloadStats", "TwloadModel", "TwloadSystem"]),
        // `twload plot`: a run's or watch's CSV (and summary JSON) as one SVG or HTML file. Text in, text out.
        .target(name: "TwloadPlot", dependencies: ["TwloadModel"]),
        // `twload merge`: a fleet's agent folders (CSV, manifest, interval logs) joined by interval_index, counters
        // summed and histograms added bucket by bucket, into one CSV, logs and summary.
        .target(
            name: "TwloadMerge",
            dependencies: [
                "TwloadHistogramLog", "TwloadReport", "TwloadStats", "TwloadModel", "TwloadSystem", "TwloadVersion",
            ]
        ),
        // Thin command-line layer (swift-argument-parser) over TwloadRun, TwloadPlot and TwloadMerge.
        .executableTarget(
            name: "twload",
            dependencies: [
                "TwloadRun", "TwloadPlot", "TwloadMerge", "TwloadConfig", "TwloadReport", "TwloadStats", "TwloadModel",
                "TwloadSystem",
                "TwloadVersion", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers for tests and benchmarks only: never part of the product.
        .target(
            name: "TwloadTestSupport",
            dependencies: [
                "TwloadRun", "TwloadConfig", "TwloadReport", "TwloadCensus", "TwloadEngine", "TwloadModel",
                "TwloadSystem", "CTwloadLinux",
            ]
        ),
        .testTarget(name: "TwloadSystemTests", dependencies: ["TwloadSystem", "TwloadTestSupport"]),
        .testTarget(name: "TwloadModelTests", dependencies: ["TwloadModel"]),
        .testTarget(name: "TwloadEventLoopTests", dependencies: ["TwloadEventLoop", "TwloadSystem"]),
        .testTarget(name: "TwloadStatsTests", dependencies: ["TwloadStats", "TwloadSystem"]),
        .testTarget(
            name: "TwloadEngineTests",
            dependencies: [
                "TwloadEngine", "TwloadServer", "TwloadStats", "TwloadEventLoop", "TwloadModel", "TwloadSystem",
                "TwloadTestSupport",
            ]
        ),
        .testTarget(
            name: "TwloadServerTests", dependencies: ["TwloadServer", "TwloadStats", "TwloadModel", "TwloadSystem"]
        ),
        .testTarget(
            name: "TwloadCensusTests",
            dependencies: ["TwloadCensus", "TwloadServer", "TwloadModel", "TwloadSystem", "TwloadTestSupport"]
        ),
        .testTarget(
            name: "TwloadReportTests",
            dependencies: ["TwloadReport", "TwloadCensus", "TwloadStats", "TwloadModel"]
        ),
        .testTarget(
            name: "TwloadConfigTests",
            dependencies: ["TwloadConfig", "TwloadReport", "TwloadModel", "TwloadSystem", "TwloadTestSupport"]
        ),
        .testTarget(
            name: "TwloadRunTests",
            dependencies: [
                "TwloadRun", "TwloadConfig", "TwloadServer", "TwloadModel", "TwloadSystem", "TwloadTestSupport",
            ]
        ),
        .testTarget(
            name: "TwloadHistogramLogTests",
            dependencies: ["TwloadHistogramLog", "TwloadStats", "TwloadSystem", "TwloadTestSupport"]
        ),
        .testTarget(
            name: "TwloadMergeTests",
            dependencies: ["TwloadMerge", "TwloadHistogramLog", "TwloadReport", "TwloadStats", "TwloadModel"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "TwloadPlotTests", dependencies: ["TwloadPlot", "TwloadReport", "TwloadModel"], exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "TwloadEndToEndTests",
            dependencies: ["twload", "TwloadConfig", "TwloadReport", "TwloadVersion", "TwloadTestSupport"],
            exclude: ["Fixtures"]
        ),
        // The README's option and column tables against the declarations they document.
        // ... and the deploy/ scripts' output (a Kubernetes Job in YAML, the ssh launcher's commands).
        .testTarget(
            name: "DocumentationTests",
            dependencies: [
                "TwloadConfig", "TwloadReport", "TwloadTestSupport", .product(name: "Yams", package: "Yams"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
