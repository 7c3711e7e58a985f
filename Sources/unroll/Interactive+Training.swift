import ArgumentParser
import UnrollEngine
import UnrollLessons
import UnrollTerminal
import UnrollTraining
import UnrollUI

extension Interactive {
    /// Opens the training view on one training lesson, or two side by side (`--versus`).
    /// Every lesson must train, on the same task, and be able to run; else a ``Refusal`` with the reason.
    static func openTraining(_ lessons: [Lesson], _ options: DisplayOptions) throws {
        guard let first = lessons.first else { return }
        let worker = try trainingWorker(lessons)
        guard TerminalSession.isInteractive else {
            throw Refusal(
                "unroll: the training view needs a terminal (stdin and stdout must be one). "
                    + "To train headless use: unroll train \(first.name) [--iterations N] [--log run.csv] [--save weights.safetensors]"
            )
        }
        try terminal(options, title: worker.snapshot().title) { display in
            try TerminalApp.runTraining(worker, display: display)
        }
    }

    /// The training worker of one training lesson, or two side by side, not started; a ``Refusal`` when a lesson
    /// does not train, the two train on different tasks, or one cannot run. `onChange` defaults to a redraw request.
    static func trainingWorker(
        _ lessons: [Lesson], onChange: @escaping @Sendable () -> Void = { TerminalSession.requestRedraw() }
    ) throws -> TrainingWorker {
        guard let first = lessons.first else { throw Refusal("unroll: no lesson to train") }
        for l in lessons {
            guard let p = l.training, let plan = first.training else {
                throw Refusal(
                    "unroll: --versus: '\(l.name)' is not a training lesson; the training lessons are: "
                        + Lesson.trainingLessons.map(\.name).joined(separator: ", "))
            }
            guard p.task == plan.task else {
                throw Refusal(
                    "unroll: --versus: '\(l.name)' trains on \(p.task.title), '\(first.name)' on \(plan.task.title); "
                        + "models side by side must share a task")
            }
            let problems = l.problems
            guard problems.isEmpty else {
                throw Refusal("unroll: lesson '\(l.name)' cannot train: " + problems.joined(separator: "; "))
            }
        }
        guard let plan = first.training else { throw Refusal("unroll: lesson '\(first.name)' does not train") }
        var labels = lessons.map {
            "\(Session.name(of: $0.cell)), H = \($0.hiddenSizes.map(String.init).joined(separator: ","))"
        }
        if lessons.count > 1 && labels[0] == labels[1] { labels = lessons.map(\.name) }
        let task = plan.task
        let template = TrainingSnapshot(
            title: lessons.count > 1 ? labels.joined(separator: " against ") : lessons[0].title,
            task: task.title, lossName: task.loss == .mse ? "MSE" : "cross-entropy", baselineLoss: task.baselineLoss,
            baselineLabel: task.baselineLabel, baselineAccuracy: task.baselineAccuracy,
            accuracyLabel: task.accuracyLabel,
            optimizer: screenName(plan.settings.optimizer), batchSize: plan.settings.batchSize,
            truncation: plan.settings.truncation,
            iterations: plan.settings.iterations, runs: [],
            vocabulary: task.kind == .characters ? task.corpus.alphabet : nil)
        let control = TrainingControl(
            paused: true, learningRate: plan.settings.learningRate, clipping: plan.settings.clipping)
        return TrainingWorker(
            runs: zip(labels, lessons).map { (label: $0, lesson: $1) }, template: template, control: control,
            onChange: onChange)
    }

    /// The optimiser as the header shows it: "Adam", "RMSprop", "SGD" or "SGD, momentum 0.9".
    static func screenName(_ o: Optimizer) -> String {
        switch o {
        case .sgd(let m): return m == 0 ? "SGD" : "SGD, momentum \(Format.number(m))"
        case .rmsprop: return "RMSprop"
        case .adam: return "Adam"
        }
    }
}
