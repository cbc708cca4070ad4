// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "twload",
    products: [
        .executable(name: "twload", targets: ["twload"]),
        .library(name: "Twload", targets: ["Twload"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Linux headers that Glibc does not expose: epoll, accept4, eventfd, netlink/inet_diag.
        .target(name: "CTwloadLinux"),
        // The only layer with unsafe pointers and errno: thin syscall wrappers.
        .target(name: "TwloadSystem", dependencies: ["CTwloadLinux"]),
        // The load engine, built-in server, statistics and recording. Never imports ArgumentParser.
        .target(
            name: "Twload",
            dependencies: [
                "TwloadSystem",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Thin command-line layer.
        .executableTarget(
            name: "twload",
            dependencies: [
                "Twload",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "TwloadSystemTests", dependencies: ["TwloadSystem"]),
        .testTarget(name: "TwloadTests", dependencies: ["Twload", "TwloadSystem"]),
        .testTarget(name: "TwloadEndToEndTests", dependencies: ["twload"]),
    ],
    swiftLanguageModes: [.v6]
)
