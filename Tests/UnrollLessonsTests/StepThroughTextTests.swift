import Foundation
import Testing
import UnrollEngine
import UnrollTraining

@testable import UnrollLessons

// Issue 26, item 3: a trained character model steps through a text of one's own (`unroll open … --text`,
// `training.step_through`): each character is a step, its target the next one.

private let abc: [Character] = [" ", "a", "b", "c"]

@Test("A step-through text is folded as training folds it and mapped to the vocabulary's classes")
func promptClasses() throws {
    let read = try CharacterText.prompt("ab \n\t c", alphabet: abc, name: "--text")
    // "ab c": the run of whitespace folds to one space, as CharacterCorpus folds a training text.
    #expect(read.classes == [1, 2, 0, 3] && read.unknown == 0)
}

@Test(
    "A hostile or unfit step-through text is refused with the flag and the reason",
    arguments: [
        ("a\u{1B}[2Jb", "--text: character 2 is an escape sequence (ESC, U+001B); a text to step through holds no terminal controls"),
        ("ab\u{202E}c", "--text: character 3 is a bidirectional control (U+202E), which can make text read in another order"),
        ("a\u{07}b", "--text: character 2 is a control character (U+0007)"),
        ("ab\u{2028}c", "--text: character 3 is a line separator (U+2028); a text to step through holds no terminal controls"),
        ("a", "--text: has 1 character; a text to step through has at least 2"),
        ("", "--text: has 0 characters; a text to step through has at least 2"),
        (String(repeating: "ab", count: 101), "--text: has 202 characters; a text to step through has at most 200"),
        (String(repeating: "a", count: 5000), "--text: is 5000 bytes long; a text to step through has at most 200 characters (4096 bytes)"),
        ("a" + String(repeating: "\u{301}", count: 20), "--text: character 1 is built of 21 Unicode scalars (more than 16)"),
        ("abd", "--text: 'd' (character 3) is not in the model's vocabulary, the 4 characters of the text it was trained on: ␣abc")
    ])
func hostilePrompt(text: String, message: String) throws {
    do {
        _ = try CharacterText.prompt(text, alphabet: abc, name: "--text")
        Issue.record("accepted \(text.debugDescription)")
    } catch {
        #expect(error.message.hasPrefix(message), "\(error.message)")
        #expect(!error.message.contains("\u{1B}") && !error.message.contains("\u{202E}"))
    }
}

@Test("A character outside a vocabulary that has the unknown symbol is read as that symbol, and counted")
func promptUnknown() throws {
    let alphabet: [Character] = ["a", "b", CharacterCorpus.unknown]
    let read = try CharacterText.prompt("azbz", alphabet: alphabet, name: "--text")
    #expect(read.classes == [0, 2, 1, 2] && read.unknown == 2)
}

@Test("The example of a task reading a text: step t reads character t (one-hot) and its target is character t + 1")
func promptExample() throws {
    var task = TrainingTask(kind: .characters)
    task.text = CharacterCorpus(alphabet: abc, source: "w.safetensors")
    task = task.reading([1, 2, 0, 3, 1])
    #expect(task.problems.isEmpty && task.steps == 4)
    var g = SeededGenerator(seed: 1)
    let sample: Sample<Double> = task.example(generator: &g)
    try #require(sample.inputs.count == 4)
    // Written out by hand: reads a b ␣ c, predicts b ␣ c a.
    let hot = sample.inputs.map { m in (0..<m.cols).filter { m[0, $0] == 1 } }
    #expect(hot == [[1], [2], [0], [3]])
    guard case .classes(let c) = sample.targets else {
        Issue.record("character targets are classes")
        return
    }
    #expect(c == [[2], [0], [3], [1]])
    #expect(task.labels(of: sample).inputs == ["a", "b", "␣", "c"])
    #expect(task.labels(of: sample).targets == ["b", "␣", "c", "a"])
    // A class past the vocabulary, or one character, is a problem, not a trap.
    #expect(!task.reading([1, 9]).problems.isEmpty && !task.reading([1]).problems.isEmpty)
}

@Test("A scenario's training.step_through opens the step-through view, reads its text, and is written back")
func stepThroughScenario() throws {
    let lesson = try #require(Lesson.builtin(named: "units"))
    #expect(lesson.training != nil && !lesson.opensTrainingView)
    #expect(!Lesson.trainingLessons.contains { $0.name == "units" })
    let (run, trace) = try lesson.trace()
    let text = "Let me not to the marriage of true minds admit impediments. Love is not love which alters when it alteration finds, or bends with the remover to remove."
    #expect(trace.columns == text.count - 1)
    #expect(run.inputLabels.joined() == String(text.dropLast()).replacingOccurrences(of: " ", with: "␣"))
    #expect(lesson.display.unit == 10)  // `unit: 11` counts from 1, as on screen
    let again = try Lesson(scenario: lesson.scenarioYAML, path: "again.yaml")
    #expect(again.training?.task.prompt == lesson.training?.task.prompt && again.display.unit == 10)
}

@Test("training.step_through is refused with the reason for a character the text does not have, and for another task")
func stepThroughRefusals() throws {
    let base = "name: x\ntitle: x\nmodel: {cell: lstm, hidden_size: 4}\ntraining:\n"
    #expect(throws: ScenarioError.self) {
        try Lesson(scenario: base + "  task: characters\n  step_through: \"Zebra\\e[2J\"\n", path: "x.yaml")
    }
    do {
        _ = try Lesson(scenario: base + "  task: adding\n  step_through: \"abc\"\n", path: "x.yaml")
        Issue.record("step_through accepted for the adding task")
    } catch {
        #expect("\(error)".contains("training.step_through applies to the characters task only"))
    }
}
