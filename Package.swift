// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Unroll",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "UnrollEngine", targets: ["UnrollEngine"]),
        .library(name: "UnrollTraining", targets: ["UnrollTraining"]),
        .executable(name: "unroll", targets: ["unroll"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1")
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        // zlib, for the end-to-end tests alone: they decode the PNGs a real renderer draws of a figure.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Monitor and threads: the one synchronisation primitive, for every module that hands work across threads.
        .target(name: "UnrollSupport"),
        .target(
            name: "UnrollEngine",
            dependencies: [
                "COpenBLAS",
                .product(name: "RealModule", package: "swift-numerics")
            ]
        ),
        .target(
            name: "UnrollTraining",
            dependencies: ["UnrollEngine"]
        ),
        .target(
            name: "UnrollLessons",
            dependencies: [
                "UnrollSupport",
                "UnrollEngine",
                "UnrollTraining",
                .product(name: "Yams", package: "Yams")
            ],
            plugins: ["EmbedExamplesPlugin"]
        ),
        // The built-in lessons are the files in examples/, embedded into UnrollLessons at build time
        // (docs/scenarios.md): the plugin runs this tool, which writes them out as a Swift source.
        .executableTarget(name: "EmbedExamples"),
        .plugin(name: "EmbedExamplesPlugin", capability: .buildTool(), dependencies: ["EmbedExamples"]),
        // Class mode's network half (docs/reliability.md, "Class protocol"): rooms, followers, the wire format.
        .target(
            name: "UnrollClass",
            dependencies: ["UnrollSupport"]
        ),
        .target(
            name: "UnrollUI",
            dependencies: ["UnrollSupport", "UnrollEngine", "UnrollTraining", "UnrollLessons"]
        ),
        .target(
            name: "UnrollTerminal",
            dependencies: ["UnrollSupport", "UnrollLessons", "UnrollUI", "UnrollClass", "CNcursesw"]
        ),
        .executableTarget(
            name: "unroll",
            dependencies: [
                "COpenBLAS",
                "UnrollEngine",
                "UnrollLessons",
                "UnrollTraining",
                "UnrollUI",
                "UnrollTerminal",
                "UnrollClass",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ]
        ),
        .testTarget(
            name: "UnrollEngineTests",
            dependencies: ["UnrollEngine"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "UnrollTrainingTests",
            dependencies: ["UnrollTraining", "UnrollEngine"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "UnrollLessonsTests",
            dependencies: ["UnrollSupport", "UnrollLessons", "UnrollTraining"]
        ),
        .testTarget(
            name: "UnrollEndToEndTests",
            dependencies: ["CZlib"]
        ),
        .testTarget(
            name: "UnrollClassTests",
            dependencies: ["UnrollClass", "UnrollSupport"]
        ),
        .testTarget(
            name: "UnrollUITests",
            dependencies: ["UnrollUI", "UnrollLessons", "UnrollEngine"],
            exclude: ["__Snapshots__"]
        )
    ],
    swiftLanguageModes: [.v6]
)

// Fuzzers (libFuzzer), only with UNROLL_FUZZ=1 so `swift build` and `make test` never see them:
// `make fuzz` builds them with -sanitize=fuzzer,address and runs each (see docs/reliability.md).
if Context.environment["UNROLL_FUZZ"] != nil {
    package.targets += [
        .executableTarget(
            name: "FuzzScenario", dependencies: ["UnrollLessons", "UnrollEngine"], path: "Fuzz/FuzzScenario"),
        .executableTarget(name: "FuzzSafetensors", dependencies: ["UnrollEngine"], path: "Fuzz/FuzzSafetensors"),
        .executableTarget(
            name: "FuzzText", dependencies: ["UnrollLessons", "UnrollTraining", "UnrollEngine"], path: "Fuzz/FuzzText"),
        .executableTarget(name: "FuzzClassProtocol", dependencies: ["UnrollClass"], path: "Fuzz/FuzzClassProtocol")
    ]
    // The fuzzing flags reach the build tool too: it then runs from libFuzzer's main (see the tool).
    for target in package.targets where target.name == "EmbedExamples" {
        target.swiftSettings = [.define("UNROLL_FUZZ")]
    }
}
