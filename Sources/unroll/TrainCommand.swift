import ArgumentParser
import Foundation
import UnrollEngine
import UnrollLessons
import UnrollTraining

/// `unroll train LESSON|FILE`: trains headless, with a progress bar or plain lines.
struct TrainCommand: ParsableCommand, HeadlessHelp {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a training lesson or scenario headless; log every iteration and save the weights.",
        discussion: """
            A progress bar on a terminal, a plain line every tenth of the run when standard error is piped.
            The log is CSV, one row per iteration (one mini-batch of whole sequences): \(IterationRecord.csvHeader).
            With truncation k an iteration makes one update per chunk of k steps that takes a loss; updates counts them.
            Weights are safetensors under PyTorch's names (load_state_dict loads them).
            --text FILE trains a character model on a text of one's own (at most 10 MB of UTF-8, at least 200
            characters; the last 10 % held out): the scenario it uses is written beside --save (W.yaml), else printed.
            """)

    @Argument(help: "A built-in training lesson (see `unroll lessons`) or a scenario file with a training section.")
    var source: String?

    @Option(help: ArgumentHelp("Train a character model on this text file instead of a lesson.", valueName: "FILE"))
    var text: String?

    @Option(help: "With --text: hidden units (default 128).")
    var hidden: Int?

    @Option(help: "With --text: the cell (default lstm).")
    var cell: CellKind?

    @Option(help: "Iterations to run (default: the scenario's).")
    var iterations: Int?

    @Option(
        help: ArgumentHelp(
            "Write one CSV row per iteration to this file (atomically, at the end).", valueName: "run.csv"))
    var log: String?

    @Option(
        help: ArgumentHelp("Save the trained weights as safetensors (atomically).", valueName: "weights.safetensors"))
    var save: String?

    @OptionGroup var options: HeadlessOptions<TrainCommand>

    static let forceHelp = "Overwrite the --log and --save files if they exist."
    static let seedHelp = "Seed for the initial weights and the batches (default: the scenario's)."

    func validate() throws {
        if (source == nil) == (text == nil) {
            throw ValidationError("give a lesson or scenario, or --text FILE, but not both")
        }
        if text == nil, hidden != nil || cell != nil { throw ValidationError("--hidden and --cell go with --text") }
        if let hidden, !(1...1024).contains(hidden) {
            throw ValidationError("--hidden must be from 1 to 1024, found \(hidden)")
        }
        if let iterations, !(1...10_000_000).contains(iterations) {
            throw ValidationError("--iterations must be from 1 to 10000000, found \(iterations)")
        }
        if let log, let save, log == save { throw ValidationError("--log and --save name the same file, \(log)") }
    }

    func run() throws {
        var lesson = try text.map { try textLesson($0) } ?? Interactive.lesson(source ?? "")
        guard var plan = lesson.training else {
            let names = Lesson.trainingLessons.map(\.name)
            throw Refusal(
                "unroll train: '\(source ?? "")' has no training section; the training lessons are: \(names.joined(separator: ", "))"
            )
        }
        if let seed = options.seed {
            lesson.seed = seed
            plan.seed = seed
        }
        if let iterations { plan.settings.iterations = iterations }
        lesson.training = plan
        for path in [log, save].compactMap({ $0 }) {
            do { try TraceExport.checkWritable(path, force: options.force) } catch {
                throw Refusal("unroll: \(error)")
            }
        }
        let problems = lesson.problems
        guard problems.isEmpty else {
            throw Refusal("unroll: lesson '\(lesson.name)' cannot train: " + problems.joined(separator: "; "))
        }
        try options.limits.check(lesson)
        switch lesson.precision {
        case .float64: try train(lesson, Double.self)
        case .float32: try train(lesson, Float.self)
        }
    }

    /// The lesson of `--text FILE`, its scenario written beside `--save` (or printed on standard error).
    private func textLesson(_ path: String) throws -> Lesson {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        do {
            _ = try CharacterText.read(absolute)
        } catch {
            throw Refusal("unroll: \(error)")
        }
        let yaml = CharacterText.scenario(text: absolute, cell: cell ?? .lstm, hidden: hidden ?? 128)
        let scenarioPath = save.map { ($0.hasSuffix(".safetensors") ? String($0.dropLast(12)) : $0) + ".yaml" }
        let lesson: Lesson
        do {
            lesson = try Lesson(scenario: yaml, path: scenarioPath ?? "text.yaml")
        } catch {
            throw Refusal("unroll: \(error)")
        }
        if let scenarioPath {
            do {
                try TraceExport.checkWritable(scenarioPath, force: options.force)
                try TraceExport.write(yaml, to: scenarioPath, force: options.force)
            } catch {
                throw Refusal("unroll: \(error)")
            }
            printError("unroll: the scenario used is \(scenarioPath) (unroll open \(scenarioPath) trains it in the view)")
        } else {
            printError("unroll: the scenario used (save it as a .yaml file to change and reuse it):\n" + yaml)
        }
        return lesson
    }

    private func train<T: EngineScalar>(_ lesson: Lesson, _: T.Type) throws {
        guard var trainer: Trainer<T> = lesson.trainer(), let plan = lesson.training else { return }
        let total = plan.settings.iterations
        let progress = TrainingProgress(total: total, task: plan.task, terminal: isatty(STDERR_FILENO) == 1)
        printError(
            "unroll: training '\(lesson.name)': \(plan.task.title), \(lesson.cell.rawValue) H=\(lesson.hiddenSizes.map(String.init).joined(separator: ","))"
                + ", \(trainer.model.parameterCount) parameters, \(plan.settings.optimizer.description) lr \(plan.settings.learningRate)"
                + ", batch \(plan.settings.batchSize), \(total) iterations")
        if let corpus = plan.task.text { printError("unroll: \(corpus.source ?? ""): \(corpus.vocabularyDescription)") }
        do {
            for _ in 0..<total { progress.update(try trainer.step(), history: trainer.history) }
        } catch {
            progress.finishLine()
            throw Refusal("unroll: lesson '\(lesson.name)' cannot train: \(error)")
        }
        progress.finish(history: trainer.history)
        if let corpus = plan.task.text {
            let heldOut = try? trainer.evaluate(batches: 8)
            let bits = 1 / Foundation.log(2.0)
            let base = plan.task.baselineLoss
            var s = "unroll: \(corpus.source ?? ""): unigram baseline "
                + String(format: "%.4f nats = %.3f bits per character", base, base * bits)
            if let loss = heldOut?.loss {
                s += String(
                    format: "; held-out loss (the last 10 %%, %d characters) %.4f nats = %.3f bits per character",
                    corpus.heldOutCount, loss, loss * bits)
            }
            printError(s)
        }
        do {
            if let log {
                let rows = [IterationRecord.csvHeader] + trainer.history.map(\.csvRow)
                try TraceExport.write(rows.joined(separator: "\n") + "\n", to: log, force: options.force)
            }
            if let save {
                var metadata = [
                    "unroll.lesson": lesson.name, "unroll.task": plan.task.kind.rawValue,
                    "unroll.length": String(plan.task.length), "unroll.iterations": String(trainer.history.count)
                ]
                if plan.task.kind == .characters {
                    metadata.merge(SampleCommand.metadata(task: plan.task, spec: trainer.model.spec)) { _, new in new }
                }
                try TraceExport.write(
                    bytes: trainer.model.weights(metadata: metadata).encoded(
                        dtype: T.self == Float.self ? "F32" : "F64"),
                    to: save, force: options.force)
            }
        } catch {
            throw Refusal("unroll: \(error)")
        }
    }
}
