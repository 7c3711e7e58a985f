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
    /// `length` characters the current weights write after `prime` at `temperature`, drawn with the seed of the
    /// weights (the lesson's, plus the restarts): what `unroll sample` prints for the same weights
    /// (it samples in Double, so the Float weights are converted as a safetensors file of them would be).
    /// Nil unless the task is characters.
    func sample(prime: String, temperature: Double, length: Int) throws -> String?
}

/// A `Trainer` of one precision, and the lesson it came from (to start again and to label its example).
struct Contender<T: EngineScalar>: TrainingContender {
    let label: String
    let lesson: Lesson
    var trainer: Trainer<T>
    /// The seed of the current weights.
    var seed: UInt64

    /// A contender for a training lesson, or nil when the lesson has no training section.
    init?(label: String, lesson: Lesson) {
        guard let trainer: Trainer<T> = lesson.trainer() else { return nil }
        self.label = label
        self.lesson = lesson
        self.trainer = trainer
        seed = lesson.seed
    }

    var history: [IterationRecord] { trainer.history }

    mutating func restart(seed: UInt64) {
        var fresh = lesson
        fresh.seed = lesson.seed &+ seed
        if let t: Trainer<T> = fresh.trainer() {
            trainer = t
            self.seed = fresh.seed
        }
    }

    func sample(prime: String, temperature: Double, length: Int) throws -> String? {
        guard trainer.task.kind == .characters else { return nil }
        let sampler = CharacterSampler<Double>(model: trainer.model.converted(), alphabet: trainer.task.corpus.alphabet)
        return try sampler.sample(prime: prime, length: length, temperature: temperature, seed: seed)
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
