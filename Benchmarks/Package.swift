// swift-tools-version: 6.1
// Benchmarks live in their own package so that the product's build never compiles the benchmark plugin.
import PackageDescription

let package = Package(
    name: "twload-benchmarks",
    dependencies: [
        .package(name: "twload", path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Engine",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Twload", package: "twload"),
                .product(name: "TwloadTestSupport", package: "twload"),
            ],
            path: "Engine",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Census",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Twload", package: "twload"),
                .product(name: "TwloadTestSupport", package: "twload"),
            ],
            path: "Census",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
