import UnrollEngine
import UnrollTraining

/// One model a `TrainingWorker` trains, in its lesson's precision.
protocol TrainingContender: Sendable {
    /// e.g. "LSTM, H = 32".
    var label: String { get }
    /// The iterations so far.
    var history: [IterationRecord] { get }
    /// Starts again from fresh weights: the lesson's seed plus `seed`.
    mutating func restart(seed: UInt64)
    /// One iteration with the live learning rate and clipping.
    mutating func step(learningRate: Double, clipping: Clipping) throws -> IterationRecord
    /// The fixed example unrolled with the current weights.
    func example() throws -> TrainingExample
}

/// A `Trainer` of one precision, and the lesson it came from (to start again and to label its example).
struct Contender<T: EngineScalar>: TrainingContender {
    let label: String
    let lesson: Lesson
    var trainer: Trainer<T>

    /// A contender for a training lesson, or nil when the lesson has no training section.
    init?(label: String, lesson: Lesson) {
        guard let trainer: Trainer<T> = lesson.trainer() else { return nil }
        self.label = label
        self.lesson = lesson
        self.trainer = trainer
    }

    var history: [IterationRecord] { trainer.history }

    mutating func restart(seed: UInt64) {
        var fresh = lesson
        fresh.seed = lesson.seed &+ seed
        if let t: Trainer<T> = fresh.trainer() { trainer = t }
    }

    mutating func step(learningRate: Double, clipping: Clipping) throws -> IterationRecord {
        trainer.settings.learningRate = learningRate
        trainer.settings.clipping = clipping
        return try trainer.step()
    }

    func example() throws -> TrainingExample {
        // The view shows no one-step Jacobians: skip their H vector–Jacobian products per step.
        var options = trainer.runOptions
        options.recordJacobians = false
        let trace = try Engine.run(model: trainer.model, sample: trainer.example, options: options)
        let labels = trainer.task.labels(of: trainer.example)
        let run = LessonRun<Double>(
            model: trainer.model.converted(), sample: trainer.example.converted(),
            options: options, inputLabels: labels.inputs, targetLabels: labels.targets,
            vocabulary: trainer.task.classNames)
        return TrainingExample(lesson: lesson, run: run, trace: trace.converted())
    }
}

extension Lesson {
    /// A contender training this lesson in its precision, or nil when the lesson has no training section.
    func contender(label: String) -> (any TrainingContender)? {
        switch precision {
        case .float64: return Contender<Double>(label: label, lesson: self)
        case .float32: return Contender<Float>(label: label, lesson: self)
        }
    }
}
