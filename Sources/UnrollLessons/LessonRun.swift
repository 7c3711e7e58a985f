import UnrollEngine
import UnrollTraining

/// A lesson made concrete: the engine model and sample, and the labels of each column.
public struct LessonRun<T: EngineScalar>: Sendable {
    /// The model, initialised from the lesson's seed.
    public var model: Model<T>
    /// The batch of one sentence.
    public var sample: Sample<T>
    /// The engine options.
    public var options: RunOptions
    /// The token read at each column ("" where the column reads none).
    public var inputLabels: [String]
    /// The token to be predicted at each column (nil where no output is written).
    public var targetLabels: [String?]
    /// The vocabulary, the index of each word being its one-hot position and output class.
    public var vocabulary: [String]

    /// A run from its parts (a trained model's example, say).
    public init(model: Model<T>, sample: Sample<T>, options: RunOptions, inputLabels: [String],
                targetLabels: [String?], vocabulary: [String]) {
        self.model = model
        self.sample = sample
        self.options = options
        self.inputLabels = inputLabels
        self.targetLabels = targetLabels
        self.vocabulary = vocabulary
    }
}

extension Lesson {
    /// Every reason the lesson cannot run; empty when it can.
    public var problems: [String] {
        var p = spec.problems()
        if let weights, p.isEmpty {
            do { _ = try Model<Double>(spec: spec, weights: weights.file, path: weights.path) } catch { p.append(error.message) }
        }
        if let training { return p + training.problems(architecture: architecture) }
        if tokens.isEmpty { p.append("tokens: the sentence is empty") }
        if let words {
            let known = Set(words + [Lesson.endOfSequence])
            for w in tokens + (targets ?? []) where !known.contains(w) {
                p.append("input.vocabulary: '\(w)' is read or predicted but not in the vocabulary")
                break
            }
        }
        if architecture.configuration == .oneToOne && tokens.count != 1 { p.append("one-to-one reads exactly one token, found \(tokens.count)") }
        if architecture.configuration == .manyToOne, let t = targets, t.count != 1 {
            p.append("many-to-one predicts one token, found \(t.count) targets")
        }
        if architecture.configuration == .encoderDecoder && (targets ?? []).isEmpty {
            p.append("encoder-decoder needs the output sentence in targets")
        }
        return p
    }

    /// The model, sample and labels of this lesson, in precision `T`.
    /// - Precondition: `problems` is empty.
    public func materialize<T: EngineScalar>(as _: T.Type = T.self) -> LessonRun<T> {
        if let training {
            let trainer = Trainer(model: model(as: T.self), task: training.task, settings: training.settings, seed: training.seed)
            let labels = training.task.labels(of: trainer.example)
            return LessonRun(model: trainer.model, sample: trainer.example, options: trainer.runOptions,
                             inputLabels: labels.inputs, targetLabels: labels.targets, vocabulary: training.task.classNames)
        }
        let vocab = vocabulary
        let index = Dictionary(uniqueKeysWithValues: vocab.enumerated().map { ($1, $0) })
        let v = vocab.count
        func oneHot(_ word: String) -> Matrix<T> {
            var m = Matrix<T>(rows: 1, cols: v)
            if let i = index[word] { m[0, i] = 1 }
            return m
        }
        let model = self.model(as: T.self)
        let outputs = targetTokens
        var inputs = tokens.map(oneHot)
        var steps = outputs.count
        var inputLabels = tokens
        var targetLabels: [String?]
        switch architecture.configuration {
        case .oneToOne:
            steps = 1
            targetLabels = [outputs.first]
        case .oneToMany:
            inputs = [oneHot(tokens[0])]
            steps = outputSteps ?? outputs.count
            inputLabels = [tokens[0]] + Array(repeating: "", count: max(0, steps - 1))
            targetLabels = (0..<steps).map { $0 < outputs.count ? outputs[$0] : nil }
        case .manyToOne:
            steps = tokens.count
            targetLabels = Array(repeating: nil, count: steps - 1) + [outputs.last]
        case .manyToMany:
            steps = tokens.count
            targetLabels = outputs.map { Optional($0) }
        case .encoderDecoder:
            // The decoder reads the previous output word (teacher forcing), starting from <eos>.
            inputLabels = tokens + ([Lesson.endOfSequence] + outputs.dropLast())
            targetLabels = Array(repeating: nil, count: tokens.count) + outputs.map { Optional($0) }
        }
        let classes: [[Int]]
        switch architecture.configuration {
        case .manyToOne:
            classes = Array(repeating: [index[outputs.last ?? ""] ?? 0], count: steps)
        default:
            classes = (0..<steps).map { [index[$0 < outputs.count ? outputs[$0] : Lesson.endOfSequence] ?? 0] }
        }
        var sample = Sample<T>(inputs: inputs, targets: .classes(classes), steps: steps)
        if architecture.configuration == .encoderDecoder {
            sample.decoderInputs = ([Lesson.endOfSequence] + outputs.dropLast()).map(oneHot)
        } else if let c = architecture.conditioningSize {
            var rng = SeededGenerator(seed: seed &+ 0x5EED)
            sample.conditioning = Matrix(rows: 1, cols: c, storage: (0..<c).map { _ in T(rng.uniform(-1, 1)) })
        }
        var options = self.options
        if loss == .mse {
            sample.targets = .values(classes.map { row in
                var m = Matrix<T>(rows: 1, cols: v)
                m[0, row[0]] = 1
                return m
            })
            options.loss = .mse
        }
        return LessonRun(model: model, sample: sample, options: options, inputLabels: inputLabels,
                         targetLabels: targetLabels, vocabulary: vocab)
    }
}
