import Foundation
import Testing
import UnrollEngine
import UnrollTraining

@testable import UnrollLessons

/// The repository's examples/ folder, found from this file's path.
private let examplesFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("examples")

/// The names examples/index.txt lists, read here independently of the build tool.
private func indexNames() throws -> [String] {
    try String(contentsOf: examplesFolder.appendingPathComponent("index.txt"), encoding: .utf8)
        .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty && !$0.hasPrefix("#") }
}

/// The lesson with its weights' path cut to the file name: a built-in lesson resolves `weights:` among the
/// embedded files (`examples/NAME.safetensors`), a file on disk in its own folder; the tensors must be equal.
private func locatedByName(_ lesson: Lesson?) -> Lesson? {
    guard var lesson else { return nil }
    if let w = lesson.weights {
        lesson.weights = LessonWeights(path: String(w.path.split(separator: "/").last ?? ""), file: w.file)
    }
    // A training text is named the same way (units: examples/texts/sonnets.txt, embedded or on disk).
    if let t = lesson.training?.task.text, let source = t.source {
        lesson.training?.task.text = CharacterCorpus(
            String(t.text), lowercased: false, source: String(source.split(separator: "/").last ?? ""))
    }
    return lesson
}

@Test("Every built-in lesson round-trips exactly through scenarioYAML", arguments: Lesson.builtin.map(\.name))
func builtinRoundTrip(_ name: String) throws {
    let lesson = try #require(Lesson.builtin(named: name))
    // scenarioYAML writes the weights' resolved path (examples/NAME.safetensors): read it from the package root.
    let folder = lesson.weights == nil ? "elsewhere" : examplesFolder.deletingLastPathComponent().path
    let parsed = try Lesson(scenario: lesson.scenarioYAML, path: "\(folder)/other-name.yaml")
    #expect(locatedByName(parsed) == locatedByName(lesson))
}

@Test("The embedded files are examples/, byte for byte and name for name")
func embeddedEqualsExamples() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: examplesFolder.path)
        .filter { $0 == "index.txt" || $0.hasSuffix(".yaml") || $0.hasSuffix(".safetensors") }.sorted()
    let folder = ScenarioFolder.builtin
    // With the texts to train on, examples/texts/NAME.txt, embedded as "texts/NAME.txt".
    let texts = try FileManager.default.contentsOfDirectory(atPath: examplesFolder.appendingPathComponent("texts").path)
        .filter { $0.hasSuffix(".txt") }.map { "texts/" + $0 }
    #expect(!texts.isEmpty && (files + texts).sorted() == (Array(folder.texts.keys) + Array(folder.data.keys)).sorted())
    #expect(files.contains("index.txt") && files.filter { $0.hasSuffix(".yaml") }.count == folder.order.count)
    for file in files {
        let bytes = try Data(contentsOf: examplesFolder.appendingPathComponent(file))
        let embedded = folder.texts[file].map { Data($0.utf8) } ?? folder.data[file].flatMap { Data(base64Encoded: $0) }
        #expect(embedded == bytes, "examples/\(file) differs from the embedded copy: rebuild")
    }
}

@Test("The built-in lessons come in the order of examples/index.txt, which is the teaching order")
func builtinOrder() throws {
    let names = Lesson.builtin.map(\.name)
    #expect(names == (try indexNames()))
    #expect(ScenarioFolder.builtin.order == names)
    // The order `unroll lessons` printed when the lessons were Swift code (before examples/index.txt).
    #expect(
        names == [
            "memory", "handcalc", "sharing", "one2one", "one2many", "many2one", "many2many", "feedback", "teacher",
            "caption", "caption-h0", "caption-both", "seq2seq", "seq2seq-h0", "seq2seq-both", "seq2seq-free", "bidir",
            "sigmoid", "tanh", "relu", "bptt", "truncated", "clouds", "vanishing", "exploding", "nan", "eigen", "lstm",
            "gru", "stacked", "deep", "shortcut", "skip", "deep-io", "train-adding-lstm", "train-adding-rnn", "train-adding-gru",
            "train-copy-lstm", "train-copy-rnn", "train-year", "train-chars", "units", "train-shallow", "train-deep"
        ])
    #expect(Lesson.trainingLessons.map(\.name) == names.filter { $0.hasPrefix("train-") })
    #expect(Lesson.defaultLesson == Lesson.builtin.first)
}

@Test("Every embedded lesson parses with no problems and equals its file in examples/", arguments: try indexNames())
func embeddedLessonParses(_ name: String) throws {
    let embedded = try #require(try ScenarioFolder.builtin.lesson(named: name))
    #expect(embedded.problems.isEmpty)
    #expect(Lesson.builtinProblem(named: name) == nil)
    #expect(embedded.name == name)
    #expect(
        locatedByName(embedded)
            == locatedByName(try Lesson.load(contentsOf: examplesFolder.appendingPathComponent("\(name).yaml").path)))
    #expect(Lesson.builtin(named: name) == embedded)
}

@Test("The built-in lessons parsed together on one thread equal each parsed alone, and their names need no parsing")
func builtinParsedTogether() throws {
    let names = try indexNames()
    #expect(Lesson.builtinNames == names)
    try #require(Lesson.builtin.count == names.count)
    for (lesson, name) in zip(Lesson.builtin, names) {
        #expect(lesson == Lesson.builtin(named: name), "\(name) differs when parsed with the others")
    }
}

@Test("Every file in examples/ loads and equals the built-in lesson of its name")
func examplesLoad() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: examplesFolder.path)
        .filter { $0.hasSuffix(".yaml") }.sorted()
    #expect(files == Lesson.builtin.map { "\($0.name).yaml" }.sorted())
    for file in files {
        let lesson = try Lesson.load(contentsOf: examplesFolder.appendingPathComponent(file).path)
        #expect(locatedByName(lesson) == locatedByName(Lesson.builtin(named: lesson.name)), "\(file)")
        #expect(lesson.name + ".yaml" == file)
    }
    #expect(Lesson.builtin(named: "index") == nil && Lesson.builtin(named: "nosuchlesson") == nil)
}

@Test("A built-in lesson's weights come from the embedded files, not the file system")
func embeddedWeights() throws {
    let text = "title: w\nmodel: {hidden_size: 3}\ninput: {tokens: a b a}\nweights: w.safetensors\n"
    let drawn = Lesson(name: "w", title: "w", hiddenSizes: [3], tokens: ["a", "b", "a"])
    let saved = Model<Double>(spec: drawn.spec, seed: 5)
    let base64 = Data(saved.weights().encoded(dtype: "F64")).base64EncodedString()
    let folder = ScenarioFolder(
        path: "examples", order: ["w"], texts: ["w.yaml": text], data: ["w.safetensors": base64])
    let lesson = try #require(try folder.lesson(named: "w"))
    #expect(lesson.weights?.path == "examples/w.safetensors")
    #expect(lesson.model(as: Double.self).values == saved.values)
    #expect(lesson.model(as: Double.self).values != drawn.model(as: Double.self).values)
    // Without the file among the embedded ones, the lesson names it missing (there is none on disk either).
    let bare = ScenarioFolder(path: "examples", order: ["w"], texts: ["w.yaml": text], data: [:])
    let error = try #require(throws: ScenarioError.self) { try bare.lesson(named: "w") }
    #expect(
        "\(error)"
            == "examples/w.yaml:4:10: weights: no such file examples/w.safetensors (a path relative to the scenario's folder)"
    )
}
