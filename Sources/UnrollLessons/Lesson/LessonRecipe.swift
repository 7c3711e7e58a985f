import UnrollEngine
import UnrollTraining

/// How a built-in lesson's committed weights (`examples/NAME.safetensors`) are trained: the sentences
/// the lesson's own model learns from, over the lesson's own vocabulary, and the training settings.
///
/// `unroll lesson-weights` (`make lesson-weights`) runs every recipe; the same seed gives the same
/// bytes, which the tests check against the committed files.
public struct LessonRecipe: Sendable, Equatable {
    /// One training sentence: what the model reads and what it must predict at each output step
    /// (nil: the next word, as the lesson's own `targets: null`).
    public struct Example: Sendable, Equatable {
        /// The words read, one per step.
        public var tokens: [String]
        /// The words predicted (the lesson's `targets`), or nil.
        public var targets: [String]?
        /// The conditioning vector v of a vector-to-sequence lesson (an 'image'), or nil: the lesson's own, drawn
        /// from its seed.
        public var conditioning: [Double]?

        /// A sentence, its targets (nil: the next word) and, for a vector-to-sequence lesson, its v (nil: the lesson's).
        public init(tokens: [String], targets: [String]?, conditioning: [Double]? = nil) {
            self.tokens = tokens
            self.targets = targets
            self.conditioning = conditioning
        }
    }

    /// The lesson whose weights this trains (its YAML gives model, vocabulary, loss steps and initial seed).
    public var name: String
    /// The sentences; each mini-batch draws `settings.batchSize` of them with replacement.
    public var examples: [Example]
    /// Optimizer, learning rate, clipping, batch size and iterations (truncation is not used).
    public var settings: TrainingSettings
    /// Fixes the stream of mini-batches (the initial weights have the lesson's own seed).
    public var seed: UInt64 = 1
    /// The output feedback the model is trained with, when not the lesson's own: teacher forcing for a lesson that
    /// then runs free (`W_fb` has the same shape either way). nil: the lesson's.
    public var feedback: Feedback? = nil
    /// Parameters the recipe keeps at their drawn values (their gradients are set to zero before each update):
    /// the weights whose scale a lesson is about, such as a W_hh at spectral radius 0.6.
    public var frozen: [String] = []
    /// For a characters lesson (`units`): the length of the windows `Trainer` draws from the lesson's text (the
    /// recipe has no sentences then: `Trainer` trains on the text, as `unroll train` does). nil: a lesson of sentences.
    public var windowLength: Int? = nil

    /// The recipes of the built-in lessons whose captions say what the weights do.
    public static let builtin: [LessonRecipe] = [
        sharing, bidir, many2one, lstm, memory, many2many, one2many, one2one, gru, stacked, teacher, feedback,
        caption("caption"), caption("caption-h0"), caption("caption-both"), seq2seq("seq2seq"), seq2seq("seq2seq-h0"),
        seq2seq("seq2seq-both"), seq2seqFree, clouds, fluent("deep"), fluent("shortcut"), fluent("skip"), deepIO, units
    ]

    /// The recipe of the lesson `name`, if it has one.
    public static func named(_ name: String) -> LessonRecipe? { builtin.first { $0.name == name } }

    /// `sharing`: tag each word YEAR or -, on sequences of 13 words cut from phrases joined at random,
    /// so that '1999' stands at every position.
    static let sharing: LessonRecipe = {
        let phrases = [
            "I went to Nepal", "in 1999", "In 1999", ".", "I went to Nepal in 1999 .",
            "In 1999 I went to Nepal .", "to Nepal", "I went", "1999"
        ].map { $0.split(separator: " ").map(String.init) }
        var g = SeededGenerator(seed: 1999)
        var examples: [Example] = []
        for _ in 0..<256 {
            var words: [String] = []
            while words.count < 13 { words += phrases[Int(g.next() % UInt64(phrases.count))] }
            words = Array(words.prefix(13))
            examples.append(Example(tokens: words, targets: words.map { $0 == "1999" ? "YEAR" : "-" }))
        }
        return LessonRecipe(
            name: "sharing", examples: examples,
            settings: TrainingSettings(optimizer: .adam(), learningRate: 0.02, batchSize: 16, iterations: 300))
    }()

    /// `bidir`: fill the blank of 'feeling ___ the weather' (under) and 'feeling ___ the moon' (over);
    /// the past is the same, so only the backward direction can tell.
    static let bidir = LessonRecipe(
        name: "bidir",
        examples: [
            Example(tokens: ["feeling", "___", "the", "weather"], targets: ["feeling", "under", "the", "weather"]),
            Example(tokens: ["feeling", "___", "the", "moon"], targets: ["feeling", "over", "the", "moon"])
        ], settings: TrainingSettings(optimizer: .adam(), learningRate: 0.02, batchSize: 8, iterations: 300))

    /// `many2one`: classify the idiom, 'feeling under the weather' → ill, 'feeling over the moon' → happy.
    static let many2one = LessonRecipe(
        name: "many2one",
        examples: [
            Example(tokens: ["feeling", "under", "the", "weather"], targets: ["ill"]),
            Example(tokens: ["feeling", "over", "the", "moon"], targets: ["happy"])
        ], settings: TrainingSettings(optimizer: .adam(), learningRate: 0.02, batchSize: 8, iterations: 300))

    /// `lstm`: a language model of 'Alice is allergic to nuts she can't eat peanut butter' and
    /// 'Alice is addicted to nuts she can eat peanut butter': predicting can't or can after 'she'
    /// needs the word read three steps earlier.
    static let lstm = LessonRecipe(
        name: "lstm",
        examples: [
            Example(
                tokens: "Alice is allergic to nuts she can't eat peanut butter".split(separator: " ").map(String.init),
                targets: nil),
            Example(
                tokens: "Alice is addicted to nuts she can eat peanut butter".split(separator: " ").map(String.init),
                targets: nil)
        ], settings: TrainingSettings(optimizer: .adam(), learningRate: 0.02, batchSize: 8, iterations: 400))

    /// The words of `sentence`, split at spaces.
    static func words(_ sentence: String) -> [String] { sentence.split(separator: " ").map(String.init) }

    /// A language-model example (predict the next word) of `sentence`, `times` times: the sentences a mini-batch
    /// draws more often are the ones the model should guess when the words read so far cannot tell.
    static func next(_ sentence: String, times: Int = 1) -> [Example] {
        Array(repeating: Example(tokens: words(sentence), targets: nil), count: times)
    }

    /// `memory`: a language model of 'the clouds are in the sky' (drawn twice as often) and 'the fish swim in the
    /// sea': after the second 'the' the next word is sky or sea, which only the state can tell.
    static let memory = LessonRecipe(
        name: "memory", examples: next("the clouds are in the sky", times: 2) + next("the fish swim in the sea"),
        settings: TrainingSettings(optimizer: .adam(), learningRate: 0.02, batchSize: 8, iterations: 300))

    /// `many2many`: a language model of 'feeling under the weather' (drawn twice as often) and 'feeling over the
    /// moon': after 'the' the next word is weather or moon, which only the state can tell.
    static let many2many = LessonRecipe(
        name: "many2many", examples: next("feeling under the weather", times: 2) + next("feeling over the moon"),
        settings: TrainingSettings(optimizer: .adam(), learningRate: 0.02, batchSize: 8, iterations: 300))

    /// `one2many`: write 'under the weather <eos>' after reading 'feeling', 'over the moon <eos>' after 'happy'.
    static let one2many = LessonRecipe(
        name: "one2many",
        examples: [
            Example(tokens: ["feeling"], targets: ["under", "the", "weather", "<eos>"]),
            Example(tokens: ["happy"], targets: ["over", "the", "moon", "<eos>"])
        ], settings: TrainingSettings(optimizer: .adam(), learningRate: 0.02, batchSize: 8, iterations: 300))

    /// `one2one`: 'clouds' → sky, 'fish' → sea, one step each.
    static let one2one = LessonRecipe(
        name: "one2one",
        examples: [
            Example(tokens: ["clouds"], targets: ["sky"]), Example(tokens: ["fish"], targets: ["sea"])
        ], settings: TrainingSettings(optimizer: .adam(), learningRate: 0.02, batchSize: 8, iterations: 300))

    /// `gru`: a language model of 'I went to Nepal in 1999'.
    static let gru = LessonRecipe(
        name: "gru", examples: next("I went to Nepal in 1999"),
        settings: TrainingSettings(optimizer: .adam(), learningRate: 0.02, batchSize: 8, iterations: 300))

    /// `stacked`: a language model of 'I grew up in France', through three layers.
    static let stacked = LessonRecipe(
        name: "stacked", examples: next("I grew up in France"),
        settings: TrainingSettings(optimizer: .adam(), learningRate: 0.02, batchSize: 8, iterations: 300))

    /// `teacher`: translate 'the clouds are in the sky' word by word into 'les nuages sont dans le ciel', with
    /// teacher forcing (the lesson's own feedback).
    static let teacher = LessonRecipe(
        name: "teacher",
        examples: [
            Example(tokens: words("the clouds are in the sky"), targets: words("les nuages sont dans le ciel"))
        ], settings: TrainingSettings(optimizer: .adam(), learningRate: 0.02, batchSize: 8, iterations: 300))

    /// `feedback`: the same model and sentence trained the same way, with teacher forcing, then run free by the
    /// lesson: what a model trained so meets when its own choices come back (exposure bias).
    static let feedback: LessonRecipe = {
        var r = teacher
        r.name = "feedback"
        r.feedback = .teacherForcing
        return r
    }()

    /// A second 'image' for the caption lessons, far from their own v (about (−0.76, −0.32, 0.17, 0.14, 0.51), drawn
    /// from seed 9).
    static let secondImage = [0.5, 0.5, -0.5, -0.5, -0.5]

    /// `caption`, `caption-h0`, `caption-both`: the lesson's own v → 'the clouds are in the sky', `secondImage` →
    /// 'the fish are in the sea'; v enters as each lesson's mode says.
    static func caption(_ name: String) -> LessonRecipe {
        LessonRecipe(
            name: name,
            examples: [
                Example(tokens: ["<start>"], targets: words("the clouds are in the sky")),
                Example(tokens: ["<start>"], targets: words("the fish are in the sea"), conditioning: secondImage)
            ], settings: TrainingSettings(optimizer: .adam(), learningRate: 0.02, batchSize: 8, iterations: 300))
    }

    /// `seq2seq`, `seq2seq-h0`, `seq2seq-both`: 'I speak fluent French' → 'je parle couramment le français' and
    /// 'I speak good English' → 'je parle bien l' anglais', the decoder reading the previous target word.
    static func seq2seq(_ name: String) -> LessonRecipe {
        LessonRecipe(
            name: name,
            examples: [
                Example(tokens: words("I speak fluent French"), targets: words("je parle couramment le français")),
                Example(tokens: words("I speak good English"), targets: words("je parle bien l' anglais"))
            ], settings: TrainingSettings(optimizer: .adam(), learningRate: 0.02, batchSize: 8, iterations: 300))
    }

    /// `clouds`: 'the clouds are in the' and 'the clouds stay in the' → sky, the same with 'fish' → sea: only the
    /// word at step 2 decides, three steps before the loss. W_hh stays as drawn, at spectral radius 0.6 (`frozen`).
    static let clouds = LessonRecipe(
        name: "clouds",
        examples: [
            Example(tokens: words("the clouds are in the"), targets: ["sky"]),
            Example(tokens: words("the fish are in the"), targets: ["sea"]),
            Example(tokens: words("the clouds stay in the"), targets: ["sky"]),
            Example(tokens: words("the fish stay in the"), targets: ["sea"])
        ], settings: TrainingSettings(optimizer: .adam(), learningRate: 0.02, batchSize: 8, iterations: 300),
        frozen: ["weight_hh_l0"])

    /// `deep`, `shortcut`, `skip`: 'I grew up in France and I now speak fluent' → French, 'I grew up in Spain …' →
    /// Spanish, and the same two with 'we' for 'I'. Only the country, at step 5, decides the language at step 10.
    /// What the lesson is about stays as drawn (`frozen`): W_hh (spectral radius 0.6 in skip), and the transition MLP
    /// and its shortcut in deep and shortcut, so the path from the loss back to 'France' is the lesson's own;
    /// training moves the rest. The same recipe teaches shortcut the task and leaves deep saying 'French' for both
    /// countries: its gradient reaches 'France' too weak to learn from.
    static func fluent(_ name: String) -> LessonRecipe {
        let mlp = ["transition_l0.0.weight", "transition_l0.0.bias"]
        let frozen = ["weight_hh_l0"] + ["deep": mlp, "shortcut": mlp + ["weight_shortcut_l0"]][name, default: []]
        return LessonRecipe(
            name: name,
            examples: [
                Example(tokens: words("I grew up in France and I now speak fluent"), targets: ["French"]),
                Example(tokens: words("I grew up in Spain and I now speak fluent"), targets: ["Spanish"]),
                Example(tokens: words("we grew up in France and we now speak fluent"), targets: ["French"]),
                Example(tokens: words("we grew up in Spain and we now speak fluent"), targets: ["Spanish"])
            ], settings: TrainingSettings(optimizer: .adam(), learningRate: 0.02, batchSize: 8, iterations: 300),
            frozen: frozen)
    }

    /// `deep-io`: 'not bad' and 'very good' → good, 'not good' and 'very bad' → bad: the first word decides whether
    /// the second is read as it is or flipped.
    static let deepIO = LessonRecipe(
        name: "deep-io",
        examples: [
            Example(tokens: ["not", "bad"], targets: ["good"]), Example(tokens: ["very", "good"], targets: ["good"]),
            Example(tokens: ["not", "good"], targets: ["bad"]), Example(tokens: ["very", "bad"], targets: ["bad"])
        ], settings: TrainingSettings(optimizer: .adam(), learningRate: 0.05, batchSize: 8, iterations: 300))
    /// `units`: a character LSTM on the sonnets (examples/texts/sonnets.txt), windows of 32 characters drawn from
    /// the text's first 90 % by `Trainer` with seed 1, as `unroll train` draws them; the lesson then steps through a
    /// text of its own (`training.step_through`).
    static let units = LessonRecipe(
        name: "units", examples: [],
        settings: TrainingSettings(optimizer: .adam(), learningRate: 0.01, clipping: .norm(5), batchSize: 8, iterations: 400),
        windowLength: 32)

    /// `seq2seq-free`: the seq2seq pairs with the decoder reading the previous word only through the dashed line,
    /// trained with teacher forcing (the true previous word), then run free by the lesson (its own previous choice).
    static let seq2seqFree: LessonRecipe = {
        var r = seq2seq("seq2seq-free")
        r.feedback = .teacherForcing
        return r
    }()

    /// The lesson's model trained on the examples: from the lesson's initial weights (its seed and
    /// scheme, whatever `weights:` it names), in float64, with `Trainer`'s update (the loss averaged
    /// over the loss steps and the batch, clipping, then the optimizer).
    /// - Parameters:
    ///   - lesson: the lesson `name` (its `weights` are ignored).
    ///   - iterations: iterations to run; nil: the settings'.
    /// - Throws: `LessonRecipeError` when an example does not fit the lesson; `EngineError` when the engine refuses.
    /// - Complexity: iterations × one forward and backward pass over a batch.
    public func train(_ lesson: Lesson, iterations: Int? = nil) throws -> Model<Double> {
        var base = lesson
        base.weights = nil
        if let windowLength, var task = lesson.training?.task {
            // A characters lesson: `Trainer` on its text, from the lesson's initial weights.
            task.prompt = nil
            task.length = windowLength
            var trainer = Trainer(model: base.model(as: Double.self), task: task, settings: settings, seed: seed)
            let problems = trainer.problems
            guard problems.isEmpty else { throw LessonRecipeError(message: "\(name): " + problems.joined(separator: "; ")) }
            for _ in 0..<(iterations ?? settings.iterations) { _ = try trainer.step() }
            return trainer.model
        }
        if let feedback { base.architecture.feedback = feedback }
        base.words = Array(lesson.vocabulary.dropLast()) // the examples are one-hot over the lesson's own vocabulary
        let rows: [Sample<Double>] = try examples.map { ex in
            var l = base
            l.tokens = ex.tokens
            l.targets = ex.targets
            let problems = l.problems
            guard problems.isEmpty else {
                throw LessonRecipeError(message: "\(name): " + problems.joined(separator: "; "))
            }
            if let v = ex.conditioning {
                guard l.configuration != .encoderDecoder, l.conditioningSize == v.count else {
                    throw LessonRecipeError(message: "\(name): a conditioning vector of \(v.count) for a lesson without one that size")
                }
                l.conditioningValues = v
            }
            return l.materialize(as: Double.self).sample
        }
        var model = base.model(as: Double.self)
        var options = base.options
        options.clipping = .none
        var state = OptimizerState<Double>()
        var generator = SeededGenerator(seed: seed)
        for _ in 0..<(iterations ?? settings.iterations) {
            let picks = (0..<settings.batchSize).map { _ in rows[Int(generator.next() % UInt64(rows.count))] }
            let batch = Self.stack(picks)
            var result = try Engine.gradients(model: model, sample: batch, options: options)
            for i in result.gradients.indices where frozen.contains(model.layout[i].name) {
                result.gradients[i].storage = result.gradients[i].storage.map { _ in 0 }
            }
            let scale = 1 / Double(max(1, options.lossSteps?.resolve(steps: batch.steps).count ?? 1))
            state.apply(
                summed: result.gradients, scale: scale, to: &model.values, settings: settings,
                learningRate: settings.learningRate)
        }
        return model
    }

    /// How far a retrained lesson's weights may be from its committed file on another OpenBLAS core or libm
    /// (`LessonWeightsDifference.largest`).
    ///
    /// Another core rounds each sum of products differently by about one unit in the last place (1e-16 of
    /// weights of order 1); a few hundred Adam steps carry that through, and the retrained weights differed by at
    /// most 6.6e-14 on Zen, Haswell and Prescott from files made on Cooperlake (docs/reliability.md). 1e-9 leaves
    /// four orders of margin and is still far below what moves a caption: the claims tests check every stated
    /// number on the retrained weights too, to the digits written (3 decimals at most).
    public static let tolerance = 1e-9

    /// The metadata key that records the OpenBLAS core the weights were trained on (`OpenBLAS.coreName`).
    public static let coreKey = "unroll.openblas_core"

    /// The safetensors bytes of `train(lesson)` (float64, with the lesson, the recipe and the OpenBLAS core
    /// it ran on in the metadata).
    ///
    /// The same recipe gives the same bytes on the same OpenBLAS core; another core (Haswell against SkylakeX,
    /// say) sums its products in another order, and the weights differ in their last bits
    /// (`LessonWeightsDifference`, `unroll lesson-weights --check`).
    /// - Throws: as `train`.
    public func weightsFile(_ lesson: Lesson) throws -> [UInt8] { try weights(lesson).encoded(dtype: "F64") }

    /// `train(lesson)`'s weights with the metadata `weightsFile` writes, before encoding (for comparing values).
    /// - Throws: as `train`.
    public func weights(_ lesson: Lesson) throws -> SafetensorsFile {
        try train(lesson).weights(metadata: [
            "unroll.lesson": name, "unroll.recipe": "unroll lesson-weights",
            "unroll.iterations": String(settings.iterations), Self.coreKey: OpenBLAS.coreName
        ])
    }

    /// Batch-of-one samples of the same length and targets kind stacked into one batch, row by row: inputs,
    /// decoder inputs, targets and conditioning vectors.
    static func stack(_ samples: [Sample<Double>]) -> Sample<Double> {
        guard let first = samples.first else { preconditionFailure("no samples to stack") }
        func rows(_ row: (Sample<Double>) -> Matrix<Double>) -> Matrix<Double> {
            Matrix(rows: samples.count, cols: row(first).cols, storage: samples.flatMap { row($0).storage })
        }
        var classes = Array(repeating: [Int](), count: first.targets.count)
        for s in samples {
            if case .classes(let c) = s.targets { for t in classes.indices { classes[t] += c[t] } }
        }
        return Sample(
            inputs: first.inputs.indices.map { t in rows { $0.inputs[t] } },
            decoderInputs: first.decoderInputs.indices.map { t in rows { $0.decoderInputs[t] } },
            targets: .classes(classes),
            conditioning: first.conditioning.map { _ in rows { $0.conditioning ?? Matrix(rows: 1, cols: 0) } },
            steps: first.steps)
    }
}

extension Lesson {
    /// The lesson in `text` read without its `weights:` line, so that its recipe can train them
    /// afresh (also when the committed file no longer fits the model).
    /// - Throws: `ScenarioError` for any other problem of the scenario.
    public static func withoutWeights(scenario text: String, path: String) throws(ScenarioError) -> Lesson {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("weights:") }
        return try Lesson(scenario: lines.joined(separator: "\n"), path: path)
    }

    /// The lesson in the scenario file at `path`, read without its `weights:` line.
    /// - Throws: `ScenarioError` when the file is missing, unreadable or has any other problem.
    public static func withoutWeights(contentsOf path: String) throws(ScenarioError) -> Lesson {
        try withoutWeights(scenario: try ScenarioFile.read(path), path: path)
    }
}

/// An example of a recipe that does not fit its lesson (a word outside the vocabulary, say).
public struct LessonRecipeError: Error, Equatable, CustomStringConvertible {
    /// What is wrong, naming the lesson.
    public var message: String
    /// The message.
    public var description: String { message }
}
