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
    public init(
        model: Model<T>, sample: Sample<T>, options: RunOptions, inputLabels: [String],
        targetLabels: [String?], vocabulary: [String]
    ) {
        self.model = model
        self.sample = sample
        self.options = options
        self.inputLabels = inputLabels
        self.targetLabels = targetLabels
        self.vocabulary = vocabulary
    }
}

extension LessonRun {
    /// The word the dashed line feeds at each column of `trace` (batch row 0): the vocabulary word of the
    /// fed one-hot (`class k` past the vocabulary), "0" where it feeds zeros (the first step), nil where the
    /// model has no feedback.
    /// - Complexity: O(columns · O).
    public func fedLabels(_ trace: Trace<T>) -> [String?] {
        trace.fedBack.map { fed in
            guard let fed, fed.rows > 0 else { return nil }
            guard let k = fed.row(0).firstIndex(where: { $0 == 1 }) else { return "0" }
            return k < vocabulary.count ? vocabulary[k] : "class \(k)"
        }
    }
}

extension Lesson {
    /// The refusal of truncated BPTT on a bidirectional model (the engine's and the training plan's words).
    static let truncationNeedsCausal =
        "truncated BPTT needs a causal model; a bidirectional layer reads the whole sequence"

    /// Every reason the lesson cannot run; empty when it can.
    public var problems: [String] {
        var p = spec.problems()
        if p.isEmpty { p += weightsProblems }
        if let training { return p + training.problems(architecture: architecture) }
        if truncation != nil && architecture.bidirectional { p.append(Self.truncationNeedsCausal) }
        if tokens.isEmpty { p.append("tokens: the sentence is empty") }
        if let v = conditioningValues, architecture.configuration == .encoderDecoder || v.count != (architecture.conditioningSize ?? -1) {
            p.append("conditioning: a vector v of \(v.count) numbers for a lesson whose conditioning.size is \(architecture.conditioningSize.map(String.init) ?? "none")")
        }
        if let words {
            let known = Set(words + [Lesson.endOfSequence])
            for w in tokens + (targets ?? []) where !known.contains(w) {
                p.append("input.vocabulary: '\(w)' is read or predicted but not in the vocabulary")
                break
            }
        }
        if architecture.configuration == .oneToOne && tokens.count != 1 {
            p.append("one-to-one reads exactly one token, found \(tokens.count)")
        }
        if architecture.configuration == .manyToOne, let t = targets, t.count != 1 {
            p.append("many-to-one predicts one token, found \(t.count) targets")
        }
        if let why = Lesson.teacherForcingProblem(architecture.feedback, architecture.configuration) { p.append(why) }
        if architecture.configuration == .encoderDecoder && (targets ?? []).isEmpty {
            p.append("encoder-decoder needs the output sentence in targets")
        }
        return p
    }

    /// What `weights` fail on the lesson's model: empty when they fit or there are none.
    /// - Complexity: builds the model from them (a model's worth of copying); call only when `spec.problems()` is empty.
    var weightsProblems: [String] {
        guard let weights else { return [] }
        do { _ = try Model<Double>(spec: spec, weights: weights.file, path: weights.path) } catch {
            return [error.message]
        }
        return []
    }

    /// Why teacher forcing cannot run in this configuration, or nil: it feeds the previous step's target, and
    /// one-to-one and many-to-one have a target only at their one output, so it would feed the answer in
    /// before the model predicts it (one-to-one has no previous step at all).
    static func teacherForcingProblem(_ feedback: Feedback, _ configuration: Configuration) -> String? {
        guard feedback == .teacherForcing else { return nil }
        switch configuration {
        case .manyToOne:
            return
                "teacher-forcing feeds the previous step's target, but many-to-one has one target, at the last step: "
                + "fed at every step it would give the answer away before it is predicted; use feedback: output or none"
        case .oneToOne:
            return
                "teacher-forcing feeds the previous step's target, but one-to-one has a single step with nothing before it; "
                + "use feedback: none"
        default:
            return nil
        }
    }

    /// The model, sample and labels of this lesson, in precision `T`.
    /// - Precondition: `problems` is empty.
    public func materialize<T: EngineScalar>(as _: T.Type = T.self) -> LessonRun<T> {
        if let training {
            let trainer = Trainer(
                model: model(as: T.self), task: training.task, settings: training.settings, seed: training.seed)
            let labels = training.task.labels(of: trainer.example)
            return LessonRun(
                model: trainer.model, sample: trainer.example, options: trainer.runOptions,
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
            // The decoder reads the previous output word (teacher forcing), starting from <eos>; with feedback it
            // reads it only through the dashed line (the model's own choice, or the target), and has no input.
            let read = architecture.feedback == .none ? [Lesson.endOfSequence] + outputs.dropLast() : outputs.map { _ in "" }
            inputLabels = tokens + read
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
        if architecture.configuration == .encoderDecoder && architecture.feedback == .none {
            sample.decoderInputs = ([Lesson.endOfSequence] + outputs.dropLast()).map(oneHot)
        } else if let c = architecture.conditioningSize {
            var rng = SeededGenerator(seed: seed &+ 0x5EED)
            let given = conditioningValues.flatMap { $0.count == c ? $0.map { T($0) } : nil }
            sample.conditioning = Matrix(rows: 1, cols: c, storage: given ?? (0..<c).map { _ in T(rng.uniform(-1, 1)) })
        }
        var options = self.options
        if loss == .mse {
            sample.targets = .values(
                classes.map { row in
                    var m = Matrix<T>(rows: 1, cols: v)
                    m[0, row[0]] = 1
                    return m
                })
            options.loss = .mse
        }
        return LessonRun(
            model: model, sample: sample, options: options, inputLabels: inputLabels,
            targetLabels: targetLabels, vocabulary: vocab)
    }
}
