import UnrollEngine
import UnrollTraining

/// A lesson: a model, the sentence it reads, what it must predict, and narration.
///
/// A lesson is plain configuration; `materialize` turns it into an engine
/// model and sample. Tokens are one-hot encoded over the lesson's vocabulary
/// (the words in order of first appearance, then `<eos>`), so the input size
/// and, for word targets, the output size follow from the sentence.
/// The model's shape is one ``Architecture`` value, shared with the engine's `ModelSpec`.
@dynamicMemberLookup
public struct Lesson: Sendable, Equatable {
    /// Short name used on the command line (`unroll lesson memory`).
    public var name: String
    /// Title shown in the header.
    public var title: String
    /// One line for `unroll lessons`.
    public var summary: String
    /// The model's shape; its fields read and write as the lesson's own (`lesson.cell`, `lesson.skip = 3`).
    /// The data's sizes are not in it: `spec` derives them from the vocabulary.
    public var architecture: Architecture
    /// Weight initialisation.
    public var initialization: Initialization
    /// Fixes the initial weights and any generated input.
    public var seed: UInt64
    /// The input sentence, one token per step (the encoder's, with encoder–decoder).
    public var tokens: [String]
    /// What is predicted at each output step; nil: the next token (a language model).
    /// Many-to-one: one token, predicted at the last step. Encoder–decoder: the output sentence.
    public var targets: [String]?
    /// Output steps for one-to-many (the input is one token); ignored otherwise.
    public var outputSteps: Int?
    /// The vocabulary's words in order, when the scenario gives them (`input.vocabulary`): words that
    /// trained weights know beyond this sentence's, at fixed one-hot positions; nil: the sentence's words.
    public var words: [String]? = nil
    /// The loss.
    public var loss: LossKind
    /// Where the loss is taken; nil: the configuration's default.
    public var lossSteps: LossSteps?
    /// Truncated BPTT chunk length, or nil.
    public var truncation: Int?
    /// Gradient clipping.
    public var clipping: Clipping
    /// Narration, by phase and step.
    public var captions: [Caption]
    /// How the lesson opens on screen.
    public var display: Display
    /// The precision the engine computes in; Float overflows near 3.4e38, as real training does.
    public var precision: Precision
    /// Training on a generated task instead of one sentence; nil for the other lessons.
    public var training: TrainingPlan?
    /// Weights to start from instead of the initialisation; nil for drawn weights.
    public var weights: LessonWeights?
    /// Inputs the model was never trained on (a scenario's `input.held_out`), shown with the `i` key
    /// (``input(_:)``).
    public var heldOut: [HeldOutInput] = []
    /// The conditioning vector v itself (a held-out input's, or a recipe example's), of `conditioningSize` numbers;
    /// nil: drawn from the seed, as the lesson's own.
    public var conditioningValues: [Double]? = nil

    /// A lesson; every argument but name, title and tokens has a plain default (a tanh RNN language model).
    public init(
        name: String, title: String, summary: String = "",
        cell: CellKind = .rnn, activation: Activation = .tanh, hiddenSizes: [Int] = [6],
        bidirectional: Bool = false, skip: Int? = nil, deep: DeepTransition = DeepTransition(),
        configuration: Configuration = .manyToMany, feedback: Feedback = .none,
        conditioningSize: Int? = nil, conditioning: ConditioningMode = .input,
        initialization: Initialization = Initialization(), seed: UInt64 = 1,
        tokens: [String], targets: [String]? = nil, outputSteps: Int? = nil,
        loss: LossKind = .crossEntropy, lossSteps: LossSteps? = nil,
        truncation: Int? = nil, clipping: Clipping = .none, captions: [Caption] = [],
        display: Display = Display(), precision: Precision = .float64,
        training: TrainingPlan? = nil, weights: LessonWeights? = nil
    ) {
        self.name = name
        self.title = title
        self.summary = summary
        self.architecture = Architecture(
            cell: cell, activation: activation, hiddenSizes: hiddenSizes, bidirectional: bidirectional,
            skip: skip, deep: deep, configuration: configuration, feedback: feedback,
            conditioningSize: conditioningSize, conditioning: conditioning)
        self.initialization = initialization
        self.seed = seed
        self.tokens = tokens
        self.targets = targets
        self.outputSteps = outputSteps
        self.loss = loss
        self.lossSteps = lossSteps
        self.truncation = truncation
        self.clipping = clipping
        self.captions = captions
        self.display = display
        self.precision = precision
        self.training = training
        self.weights = weights
    }

    /// Whether the lesson opens the training view: it trains, and does not step through a text of its own with
    /// trained weights (`training.step_through`, `unroll open … --text`), which opens the step-through view.
    public var opensTrainingView: Bool { training.map { $0.task.prompt == nil } ?? false }

    /// The most held-out inputs a lesson may declare.
    public static let heldOutLimit = 8

    /// The lesson run on its input `k`: 0 is the lesson itself, k ≥ 1 its held-out input k, over the lesson's own
    /// vocabulary (so the trained weights still fit). An index beyond the held-out inputs gives the lesson itself.
    public func input(_ k: Int) -> Lesson {
        guard k >= 1, k <= heldOut.count else { return self }
        var l = self
        l.words = vocabulary
        l.tokens = heldOut[k - 1].tokens
        l.targets = heldOut[k - 1].targets
        l.conditioningValues = heldOut[k - 1].conditioning
        return l
    }

    /// The steps shown on screen ("step 1/6"): one column per step, as the trace has.
    public var stepCount: Int { ScenarioReader.columnCount(of: self) }

    /// The end-of-sequence token that closes every vocabulary.
    public static let endOfSequence = "<eos>"

    /// The words of the lesson in order of first appearance (or `words`, when given), then `<eos>`;
    /// a training task's class names.
    public var vocabulary: [String] {
        if let training { return training.task.classNames }
        var seen: Set<String> = []
        var out: [String] = []
        for w in (words ?? tokens + (targets ?? [])) + [Lesson.endOfSequence] where seen.insert(w).inserted {
            out.append(w)
        }
        return out
    }

    /// The output tokens per output step: the given targets, or the next token of the sentence.
    public var targetTokens: [String] {
        if let targets { return targets }
        switch architecture.configuration {
        case .oneToMany:
            return Array((Array(tokens.dropFirst()) + [Lesson.endOfSequence]).prefix(outputSteps ?? tokens.count))
        default:
            return Array(tokens.dropFirst()) + [Lesson.endOfSequence]
        }
    }

    /// A field of the architecture, read and written as the lesson's own (`lesson.hiddenSizes`).
    public subscript<V>(dynamicMember path: WritableKeyPath<Architecture, V>) -> V {
        get { architecture[keyPath: path] }
        set { architecture[keyPath: path] = newValue }
    }

    /// A computed property of the architecture, read as the lesson's own (`lesson.layerCount`).
    public subscript<V>(dynamicMember path: KeyPath<Architecture, V>) -> V {
        architecture[keyPath: path]
    }

    /// The engine's model specification for this lesson: the architecture with the vocabulary's
    /// sizes (the task's, for a training lesson). With encoder–decoder the decoder reads the
    /// previous output word (as its input, or with `feedback` through the dashed line alone: no decoder input),
    /// and the context C, not a drawn vector, conditions it.
    public var spec: ModelSpec {
        if let training { return training.task.fit(architecture) }
        let v = vocabulary.count
        var a = architecture
        if a.configuration == .encoderDecoder { a.conditioningSize = nil }
        return ModelSpec(
            architecture: a, inputSize: v, outputSize: v,
            decoderInputSize: a.configuration == .encoderDecoder && a.feedback == .none ? v : 0)
    }

    /// The engine options for this lesson (the task's loss with the plan's truncation and clipping, for a training lesson).
    public var options: RunOptions {
        training?.runOptions ?? RunOptions(loss: loss, lossSteps: lossSteps, truncation: truncation, clipping: clipping)
    }

    /// The lesson's model: the named weights, or weights drawn from the seed.
    /// - Precondition: `problems` is empty.
    public func model<T: EngineScalar>(as _: T.Type = T.self) -> Model<T> {
        if let weights, let m = try? Model<T>(spec: spec, weights: weights.file, path: weights.path) { return m }
        return Model<T>(spec: spec, initialization: initialization, seed: seed)
    }
}

/// An input a lesson's model was never trained on (a scenario's `input.held_out` entry): a sentence, and what is
/// predicted at each output step (nil: the next word, as the lesson's own `targets: null`).
public struct HeldOutInput: Sendable, Equatable {
    /// The words read, one per step.
    public var tokens: [String]
    /// The words predicted, or nil.
    public var targets: [String]?
    /// The conditioning vector v of a vector-to-sequence lesson (an 'image' never trained on), or nil: the lesson's.
    public var conditioning: [Double]?

    /// A held-out sentence, its targets (nil: the next word) and, for a vector-to-sequence lesson, its v (nil: the
    /// lesson's own).
    public init(tokens: [String], targets: [String]? = nil, conditioning: [Double]? = nil) {
        self.tokens = tokens
        self.targets = targets
        self.conditioning = conditioning
    }
}
