import Foundation
import Testing
import UnrollEngine

@testable import UnrollLessons

/// The repository root, found from this file's path.
private let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Test("The complete example of docs/scenarios.md parses to every field it sets")
func docsExampleParses() throws {
    let docs = try String(contentsOf: repository.appendingPathComponent("docs/scenarios.md"), encoding: .utf8)
    let start = try #require(docs.range(of: "```yaml\n# The memory of an RNN"))
    let end = try #require(docs.range(of: "```", range: start.upperBound..<docs.endIndex))
    let yaml = String(docs[docs.index(start.lowerBound, offsetBy: 8)..<end.lowerBound])
    let lesson = try Lesson(scenario: yaml, path: "docs/scenarios.md")
    let expected = Lesson(
        name: "memory", title: "The memory of an RNN", summary: "each state carries the words before it",
        cell: .rnn, activation: .tanh, hiddenSizes: [6, 6], bidirectional: false, skip: 3,
        deep: DeepTransition(input: 1, transition: 1, output: 0, shortcut: true),
        configuration: .manyToMany, feedback: .none, conditioningSize: 4, conditioning: .both,
        initialization: Initialization(scheme: .orthogonal, spectralRadius: 0.9), seed: 7,
        tokens: ["the", "clouds", "are", "in", "the", "sky"],
        targets: ["clouds", "are", "in", "the", "sky", "<eos>"],
        loss: .crossEntropy, lossSteps: .only([4, 5]), truncation: 3, clipping: .norm(1),
        captions: [
            Caption(.forward, 0, "Step 1 reads 'the'."),
            Caption(.backward, 5, "Backward through time: the last loss sends its gradient into the last state.")
        ],
        display: Display(panels: [.inspector, .gradients], selectedLayer: 0, rolled: false))
    #expect(lesson == expected)
    let run = lesson.materialize(as: Double.self)
    let trace = try Engine.run(model: run.model, sample: run.sample, options: run.options)
    #expect(trace.columns == 6)
}

@Test("A minimal file takes Lesson.init's defaults and its name from the file")
func minimalDefaults() throws {
    let lesson = try Lesson(
        scenario: "title: A first RNN\ninput:\n  tokens: the clouds\n", path: "lessons/first-rnn.yaml")
    #expect(lesson == Lesson(name: "first-rnn", title: "A first RNN", tokens: ["the", "clouds"]))
}

@Test(
    "The default name is the file name without folder and extension",
    arguments: [("examples/x.yaml", "x"), ("a.b.yaml", "a.b"), ("noext", "noext"), (".hidden", ".hidden"), ("/", "")])
func defaultName(_ path: String, _ name: String) {
    #expect(Lesson.scenarioName(fromPath: path) == name)
}

/// Valid spellings of a part of a scenario, each with the lesson it gives (name "t", title "t").
private let spellings: [(String, String, Lesson)] = [
    (
        "layers list", "model: {layers: [6, 4]}\ninput: {tokens: a}",
        Lesson(name: "t", title: "t", hiddenSizes: [6, 4], tokens: ["a"])
    ),
    (
        "hidden_size and num_layers", "model: {hidden_size: 3, num_layers: 3}\ninput: {tokens: a}",
        Lesson(name: "t", title: "t", hiddenSizes: [3, 3, 3], tokens: ["a"])
    ),
    (
        "num_layers alone", "model: {num_layers: 2}\ninput: {tokens: a}",
        Lesson(name: "t", title: "t", hiddenSizes: [6, 6], tokens: ["a"])
    ),
    (
        "tokens as a list, words with spaces", "input: {tokens: [New York, is, big]}",
        Lesson(name: "t", title: "t", tokens: ["New York", "is", "big"])
    ),
    (
        "words YAML would read as other types", "input: {tokens: [yes, no, null, 1, ~]}",
        Lesson(name: "t", title: "t", tokens: ["yes", "no", "null", "1", "~"])
    ),
    (
        "empty sections", "model:\ninit:\nloss:\nnarration:\ndisplay:\ninput: {tokens: a}",
        Lesson(name: "t", title: "t", tokens: ["a"])
    ),
    (
        "nulls",
        "model: {skip: null, conditioning: ~}\ninit: {spectral_radius: null}\ninput: {tokens: a, targets: ~}\nloss: {truncation: ~, clipping: null, steps: null}",
        Lesson(name: "t", title: "t", tokens: ["a"])
    ),
    (
        "one-to-many",
        "model: {configuration: one-to-many}\ninput: {tokens: hi, targets: [a, b], output_steps: 4}\nloss: {steps: last}",
        Lesson(
            name: "t", title: "t", configuration: .oneToMany, tokens: ["hi"], targets: ["a", "b"], outputSteps: 4,
            lossSteps: .last)
    ),
    (
        "encoder-decoder",
        "model: {configuration: encoder-decoder, conditioning: {mode: initial-state}}\ninput: {tokens: a b, targets: c d e}\nloss: {kind: mse, steps: all, clipping: {value: 0.5}}",
        Lesson(
            name: "t", title: "t", configuration: .encoderDecoder, conditioning: .initialState, tokens: ["a", "b"],
            targets: ["c", "d", "e"], loss: .mse, lossSteps: .all, clipping: .value(0.5))
    ),
    (
        "lstm, normal init",
        "model: {cell: lstm, activation: tanh, bidirectional: true}\ninit: {seed: 9223372036854775808, scheme: normal, std: 1e-2, forget_bias: -1}\ninput: {tokens: a}",
        Lesson(
            name: "t", title: "t", cell: .lstm, bidirectional: true,
            initialization: Initialization(scheme: .normal, std: 0.01, forgetBias: -1), seed: 1 << 63, tokens: ["a"])
    ),
    (
        "anchors and aliases",
        "input:\n  tokens: &sentence [a, b]\n  targets: *sentence\nsummary: &s \"same\"\nnarration:\n  - &first {phase: forward, step: 1, text: *s}\n  - {<<: *first, step: 2}",
        Lesson(
            name: "t", title: "t", summary: "same", tokens: ["a", "b"], targets: ["a", "b"],
            captions: [Caption(.forward, 0, "same"), Caption(.forward, 1, "same")])
    ),
    (
        "quoted choices and block text (its line break becomes a space)",
        "model: {cell: \"gru\", feedback: 'teacher-forcing'}\ninput: {tokens: a b}\nnarration:\n  - phase: backward\n    step: 2\n    text: |-\n      two\n      lines",
        Lesson(
            name: "t", title: "t", cell: .gru, feedback: .teacherForcing, tokens: ["a", "b"],
            captions: [Caption(.backward, 1, "two lines")])
    )
]

@Test("Each valid spelling gives its lesson", arguments: spellings)
func validSpelling(_ name: String, _ body: String, _ expected: Lesson) throws {
    let lesson = try Lesson(scenario: "name: t\ntitle: t\n" + body + "\n", path: "x.yaml")
    #expect(lesson == expected, "\(name)")
}

/// Lessons with text YAML must escape, each written out and read back.
private let awkward: [Lesson] = [
    Lesson(
        name: "née_1", title: "quote \" backslash \\ tab \t newline \n end", summary: "#: not a comment",
        tokens: ["a b", "c"]),
    Lesson(
        name: "true", title: "controls \u{0}\u{7}\u{1B}\u{7F}\u{85}\u{2028}\u{FEFF}",
        tokens: ["ünï", "😀", "'", "\"", "-", "[x]"]),
    Lesson(
        name: "n-1", title: "", summary: "  leading and trailing spaces  ", tokens: ["x"], targets: ["y z"],
        captions: [Caption(.backward, 0, "")]),
    Lesson(
        name: "multi", title: "t", cell: .gru, hiddenSizes: [4, 5, 6], skip: 2,
        deep: DeepTransition(input: 2, transition: 1, output: 3, shortcut: true), configuration: .oneToMany,
        conditioningSize: 3, conditioning: .both, initialization: Initialization(scheme: .xavier, spectralRadius: 1e-3),
        seed: 0, tokens: ["go"], outputSteps: 5, loss: .mse, lossSteps: .only([0, 4, 2]), truncation: 2,
        clipping: .value(0.25), display: Display(panels: [], selectedLayer: 2, rolled: true))
]

@Test(
    "Lessons with awkward text and every setting round-trip through scenarioYAML, control characters cleaned",
    arguments: awkward.indices)
func awkwardRoundTrip(_ i: Int) throws {
    var expected = awkward[i]
    expected.title = ScenarioText.clean(expected.title)
    expected.summary = ScenarioText.clean(expected.summary)
    expected.captions = expected.captions.map { Caption($0.phase, $0.step, ScenarioText.clean($0.text)) }
    #expect(try Lesson(scenario: awkward[i].scenarioYAML, path: "x.yaml") == expected)
    if i == 0 { #expect(expected.title == "quote \" backslash \\ tab   newline   end") }
    if i == 1 { #expect(expected.title == "controls   \u{FEFF}") }
}

@Test("scenarioYAML writes the header, plain choices and 1-based steps")
func writerText() {
    let lesson = Lesson(
        name: "t", title: "T", hiddenSizes: [4, 4], tokens: ["a", "b"], targets: ["b", "a"],
        lossSteps: .only([1]), clipping: .norm(1), captions: [Caption(.forward, 1, "hi")],
        display: Display(rolled: true))
    #expect(
        lesson.scenarioYAML == """
            # Unroll scenario. Every key, its default and its range: docs/scenarios.md
            # Steps count from 1, as on screen ("step 1/6").
            name: t
            title: "T"

            model:
              cell: rnn
              activation: tanh
              hidden_size: 4
              num_layers: 2
              configuration: many-to-many

            init:
              seed: 1
              scheme: uniform

            input:
              tokens: "a b"
              targets: ["b", "a"]

            loss:
              kind: cross-entropy
              steps: [2]
              clipping: {norm: 1.0}

            narration:
              - {phase: forward, step: 2, text: "hi"}

            display:
              rolled: true

            """)
}

// MARK: Files

/// A fresh folder under the system's temporary folder.
private func scratchFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-scenario-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Test("load reads a file and names the lesson after it")
func loadFile() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("clouds.yaml")
    try Data("title: Clouds\ninput: {tokens: the sky}\n".utf8).write(to: file)
    #expect(try Lesson.load(contentsOf: file.path) == Lesson(name: "clouds", title: "Clouds", tokens: ["the", "sky"]))
}

@Test(
    "load refuses what is not a scenario file, with a clear message",
    arguments: [
        ("missing", "no such file"),
        ("folder", "is a directory, not a scenario file")
    ])
func loadRefuses(_ kind: String, _ message: String) throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent(kind).path
    switch kind {
    case "folder": try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    default: break
    }
    let error = try #require(throws: ScenarioError.self) { try Lesson.load(contentsOf: path) }
    #expect(error.description == "\(path): \(message)")
    #expect(error.line == 0 && error.column == 0)
}

@Test("A file of exactly 1 MiB is read; bytes that are not UTF-8 are reported where they are")
func loadLimits() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let exact = folder.appendingPathComponent("exact.yaml")
    let body = "title: x\ninput: {tokens: a}\n#"
    try Data((body + String(repeating: "x", count: (1 << 20) - body.utf8.count - 1) + "\n").utf8).write(to: exact)
    #expect(try Lesson.load(contentsOf: exact.path).tokens == ["a"])
    let latin1 = folder.appendingPathComponent("latin1.yaml")
    try Data("title: x\ninput: {tokens: caf".utf8 + [0xE9] + Data("}\n".utf8)).write(to: latin1)
    let error = try #require(throws: ScenarioError.self) { try Lesson.load(contentsOf: latin1.path) }
    #expect(error.description == "\(latin1.path):2:20: bytes that are not UTF-8 text; save the file as UTF-8")
    let big = folder.appendingPathComponent("big.yaml")
    try Data(("title: x\n# " + String(repeating: "x", count: 1 << 20) + "\n").utf8).write(to: big)
    let tooBig = try #require(throws: ScenarioError.self) { try Lesson.load(contentsOf: big.path) }
    #expect(
        tooBig.description
            == "\(big.path):2:\((1 << 20) - 9 + 1): the file is larger than 1 MiB (1048576 bytes) from here on; a scenario file is a few kilobytes of text"
    )
}

@Test(
    "Typos are matched by edit distance with swaps; far words are not",
    arguments: [
        ("hiden_size", "hidden_size"), ("modle", "model"), ("LSTM", "lstm"), ("tokns", "tokens"), ("colour", nil),
        ("x", nil)
    ] as [(String, String?)])
func suggestions(_ typo: String, _ expected: String?) {
    #expect(closestMatch(to: typo, among: ["hidden_size", "model", "lstm", "tokens", "cell"]) == expected)
}

@Test(
    "ScenarioText.clean removes whole escape sequences, controls and bidi controls, keeps the rest",
    arguments: [
        ("plain text, ünïcödé 😀", "plain text, ünïcödé 😀"),
        ("a\u{1B}[31;1mred\u{1B}[0m", "ared"),
        ("\u{1B}]0;title\u{07}after", "after"),
        ("\u{1B}]8;;http://x\u{1B}\\link\u{1B}]8;;\u{1B}\\", "link"),
        ("\u{1B}Pdcs\u{1B}\\x", "x"),
        ("\u{1B}7saved\u{1B}8", "saved"),
        ("\u{1B}(0line\u{1B}(B", "line"),
        ("\u{9B}2Jc1\u{9D}0;t\u{9C}!", "c1!"),
        ("bell\u{07}nul\u{0}del\u{7F}", "bellnuldel"),
        ("tab\tline\nbreak\r\u{2028}sep", "tab line break  sep"),
        ("\u{202E}evil\u{202C} \u{2066}iso\u{2069}\u{200F}", "evil iso"),
        ("unterminated \u{1B}]0;title", "unterminated "),
        ("trailing escape \u{1B}", "trailing escape ")
    ])
func textCleaning(_ input: String, _ expected: String) {
    #expect(ScenarioText.clean(input) == expected)
}

@Test("The weights panel round-trips through scenarioYAML; the default panels are not written and leave it out")
func weightsPanelRoundTrip() throws {
    let lesson = Lesson(
        name: "w", title: "W", hiddenSizes: [2], tokens: ["a", "b"],
        display: Display(panels: [.weights, .inspector]))
    let text = lesson.scenarioYAML
    #expect(text.contains("  panels: [weights, inspector]\n"))
    #expect(try Lesson(scenario: text, path: "x.yaml") == lesson)
    let plain = Lesson(name: "w", title: "W", hiddenSizes: [2], tokens: ["a", "b"])
    #expect(!plain.scenarioYAML.contains("panels"))
    #expect(plain.display.panels == [.inspector, .equations, .gradients])
    let read = try Lesson(
        scenario: "name: w\ntitle: W\ninput: {tokens: a b}\ndisplay: {panels: [inspector, weights, equations]}\n",
        path: "x.yaml")
    #expect(read.display.panels == [.inspector, .weights, .equations])
}
