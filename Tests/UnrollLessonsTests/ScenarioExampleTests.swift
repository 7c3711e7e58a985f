import Foundation
import Testing
@testable import UnrollLessons

/// The repository's examples/ folder, found from this file's path.
private let examplesFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("examples")

@Test("Every built-in lesson round-trips exactly through scenarioYAML", arguments: Lesson.builtin.map(\.name))
func builtinRoundTrip(_ name: String) throws {
    let lesson = try #require(Lesson.builtin(named: name))
    let parsed = try Lesson(scenario: lesson.scenarioYAML, path: "elsewhere/other-name.yaml")
    #expect(parsed == lesson)
}

/// Writes examples/NAME.yaml for every built-in lesson when UNROLL_WRITE_EXAMPLES=1
/// (see docs/scenarios.md); otherwise checks that each file is what would be written.
@Test("examples/ holds one scenario per built-in lesson, as scenarioYAML writes it", arguments: Lesson.builtin.map(\.name))
func exampleMatchesBuiltin(_ name: String) throws {
    let lesson = try #require(Lesson.builtin(named: name))
    let file = examplesFolder.appendingPathComponent("\(name).yaml")
    if ProcessInfo.processInfo.environment["UNROLL_WRITE_EXAMPLES"] == "1" {
        try FileManager.default.createDirectory(at: examplesFolder, withIntermediateDirectories: true)
        try Data(lesson.scenarioYAML.utf8).write(to: file)
    }
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text == lesson.scenarioYAML,
            "examples/\(name).yaml is out of date: UNROLL_WRITE_EXAMPLES=1 swift test --filter exampleMatchesBuiltin")
}

@Test("Every file in examples/ loads and equals the built-in lesson of its name")
func examplesLoad() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: examplesFolder.path)
        .filter { $0.hasSuffix(".yaml") }.sorted()
    #expect(files == Lesson.builtin.map { "\($0.name).yaml" }.sorted())
    for file in files {
        let lesson = try Lesson.load(contentsOf: examplesFolder.appendingPathComponent(file).path)
        #expect(lesson == Lesson.builtin(named: lesson.name), "\(file)")
        #expect(lesson.name + ".yaml" == file)
    }
}
