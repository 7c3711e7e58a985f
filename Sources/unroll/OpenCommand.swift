import ArgumentParser
import Foundation
import UnrollEngine
import UnrollLessons
import UnrollTraining

/// `unroll open FILE`, and `unroll open WEIGHTS|SCENARIO|LESSON --text "…"`: a trained character model read step by step.
struct OpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open a scenario file (YAML; see docs/scenarios.md), or step through a character model on your text.",
        discussion: """
            With --text, FILE is a character model with trained weights: the .safetensors file `unroll train --text \
            T --save W.safetensors` wrote, a characters scenario with weights:, or a built-in lesson such as units. \
            The step-through view reads the text: each character is a step, its target the next character (n \
            characters, n - 1 steps), with the top-k next characters, the gates, the gradient norms, and the unit line: \
            the chosen unit's h_t over the text (. and , choose the unit). The text has 2 to \
            \(TrainingTask.promptLimit) characters (whitespace folds to single spaces, as in training), each in the \
            model's vocabulary (else the unknown symbol, when the vocabulary has one); terminal controls are refused.
            A scenario that trains opens the training view instead; for a character model its o key types a text \
            and steps through the current weights on it (training pauses; q there returns, training on as it was).
            """)

    @Argument(help: "The scenario file; with --text, also a weights file (.safetensors) or a built-in lesson.")
    var file: String

    @Option(
        help: ArgumentHelp(
            "Step through the trained character model FILE reading this text (2 to \(TrainingTask.promptLimit) characters).",
            valueName: "TEXT"))
    var text: String?

    @OptionGroup var display: DisplayOptions

    @OptionGroup var presenting: PresentOptions

    func run() throws {
        guard let text else {
            return try presenting.run(file, file: true, display) { try Interactive.load(file) }
        }
        if presenting.present {
            throw Refusal("unroll: --text cannot be presented to a class; present the built-in lesson units instead")
        }
        try Interactive.open(try Self.stepThrough(file, text: text), display)
    }

    /// The lesson stepping through `text` with the character model of `source` (weights, scenario or built-in lesson);
    /// a ``Refusal`` saying why not.
    static func stepThrough(_ source: String, text: String) throws -> Lesson {
        let shown = ScenarioText.clean(source)
        var lesson: Lesson
        if source.hasSuffix(".safetensors") {
            let saved = try SampleCommand.savedModel(source)
            let name = ScenarioText.clean(URL(fileURLWithPath: source).deletingPathExtension().lastPathComponent)
            var task = TrainingTask(kind: .characters)
            task.text = CharacterCorpus(alphabet: saved.alphabet, source: source)
            lesson = Lesson(
                name: name.isEmpty ? "text" : name, title: "A character \(saved.architecture.cell.rawValue.uppercased()) (\(name)) reading your text",
                cell: saved.architecture.cell, activation: saved.architecture.activation,
                hiddenSizes: saved.architecture.hiddenSizes, tokens: [],
                training: TrainingPlan(task: task), weights: LessonWeights(path: source, file: saved.file))
        } else {
            lesson = try Interactive.lesson(source)
            guard lesson.training?.task.kind == .characters else {
                throw Refusal("unroll: --text: '\(shown)' is not a character model (training: {task: characters})")
            }
            guard lesson.weights != nil else {
                throw Refusal(
                    "unroll: --text: '\(shown)' has no trained weights (weights:); give the weights file "
                        + "`unroll train --text FILE --save W.safetensors` wrote: unroll open W.safetensors --text \"…\"")
            }
        }
        let read: (lesson: Lesson, unknown: Int)
        do {
            read = try lesson.reading(text, name: "--text")
        } catch {
            throw Refusal("unroll: \(error)")
        }
        lesson = read.lesson
        if read.unknown > 0 { printError("unroll: --text:" + Lesson.unknownNote(read.unknown).dropFirst()) }
        let problems = lesson.problems
        guard problems.isEmpty else {
            throw Refusal("unroll: '\(shown)' cannot step through the text: " + problems.joined(separator: "; "))
        }
        return lesson
    }
}
