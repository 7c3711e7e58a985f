import UnrollEngine
import UnrollTraining

extension Lesson {
    /// The built-in training lessons: the adding problem for an LSTM and a tanh RNN, copy memory, year extraction, characters.
    public static var trainingLessons: [Lesson] { [trainAddingLSTM, trainAddingRNN, trainCopyLSTM, trainCopyRNN, trainYear, trainCharacters] }

    /// A training lesson of `cell` with `hidden` units on `plan`'s task.
    static func training(name: String, title: String, summary: String, cell: CellKind, hidden: Int,
                         initialization: Initialization = Initialization(), seed: UInt64 = 1, plan: TrainingPlan,
                         captions: [Caption]) -> Lesson {
        Lesson(name: name, title: title, summary: summary, cell: cell, hiddenSizes: [hidden],
               configuration: plan.task.configuration, initialization: initialization, seed: seed,
               tokens: [], loss: plan.task.loss, captions: captions, training: plan)
    }

    /// Narration of the adding problem's example; `memory` says what carries the gradient back.
    static func addingCaptions(_ memory: String) -> [Caption] {
        [
            Caption(.forward, 0, "Each step reads a value in [0, 1) and a marker; * marks the two values to add, one in each half."),
            Caption(.forward, 49, "Only the last step answers: the sum of the two marked values. Always answering 1 scores MSE 1/6."),
            Caption(.backward, 49, "The one loss is at step 50: its gradient must reach the marked steps for the model to learn."),
            Caption(.backward, 10, memory),
        ]
    }

    /// Narration of the copy-memory example (T = 10: 30 steps); `memory` says what carries the gradient back.
    static func copyCaptions(_ memory: String) -> [Caption] {
        [
            Caption(.forward, 0, "Steps 1–10 read ten symbols from 8; then blanks; the ':' at step 20 asks for the copy."),
            Caption(.forward, 20, "Steps 21–30 must write the ten symbols in order. Without memory the best is a guess: ln 8 each."),
            Caption(.backward, 29, "Every step has a loss; the copied symbols' gradients must reach steps 1–10, 20 steps back."),
            Caption(.backward, 0, memory),
        ]
    }

    /// The plan both adding lessons share, so the LSTM and the tanh RNN meet the same task, settings and batches.
    static let addingPlan = TrainingPlan(
        task: TrainingTask(kind: .adding, length: 50),
        settings: TrainingSettings(optimizer: .adam(), learningRate: 0.01, clipping: .norm(1), batchSize: 32, iterations: 1500),
        seed: 1)

    /// The plan both copy-memory lessons share.
    static let copyPlan = TrainingPlan(
        task: TrainingTask(kind: .copyMemory, length: 10),
        settings: TrainingSettings(optimizer: .adam(), learningRate: 0.005, clipping: .norm(1), batchSize: 32, iterations: 3000),
        seed: 1)

    /// The adding problem for an LSTM: it finds the two marked values and falls far below the baseline.
    public static var trainAddingLSTM: Lesson {
        training(
            name: "train-adding-lstm", title: "Training an LSTM on the adding problem",
            summary: "T = 50: the cell state carries the two marked values to the end; the MSE falls far below 1/6",
            cell: .lstm, hidden: 32, initialization: Initialization(forgetBias: 1), seed: 1,
            plan: addingPlan,
            captions: addingCaptions("The cell state adds instead of multiplying: the gradient reaches the markers, and the LSTM learns."))
    }

    /// The adding problem for a tanh RNN: the same settings, and it stays near the baseline.
    public static var trainAddingRNN: Lesson {
        training(
            name: "train-adding-rnn", title: "Training a tanh RNN on the adding problem",
            summary: "T = 50: the gradient from the end vanishes before the markers; the MSE stays near 1/6",
            cell: .rnn, hidden: 32, seed: 1,
            plan: addingPlan,
            captions: addingCaptions("Through tanh' and W_hh the gradient shrinks at every step: by the markers it has all but vanished."))
    }

    /// Copy memory for an LSTM, T = 10.
    public static var trainCopyLSTM: Lesson {
        training(
            name: "train-copy-lstm", title: "Training an LSTM on copy memory",
            summary: "10 symbols, T = 10 blanks, then copy them: beating 10·ln 8/(T+20) means remembering",
            cell: .lstm, hidden: 64, initialization: Initialization(forgetBias: 1), seed: 1,
            plan: copyPlan,
            captions: copyCaptions("The forget gate open, the cell state keeps the symbols and passes their gradient back intact."))
    }

    /// Copy memory for a tanh RNN, T = 10.
    public static var trainCopyRNN: Lesson {
        training(
            name: "train-copy-rnn", title: "Training a tanh RNN on copy memory",
            summary: "the same task and settings as train-copy-lstm: the tanh RNN settles at the memoryless baseline",
            cell: .rnn, hidden: 64, seed: 1,
            plan: copyPlan,
            captions: copyCaptions("Twenty steps of tanh' and W_hh shrink the gradient: the RNN learns the blanks, not the symbols."))
    }

    /// Year extraction for an LSTM: the sharing lesson's tagger, trained.
    public static var trainYear: Lesson {
        training(
            name: "train-year", title: "Training an LSTM to read the year",
            summary: "'i went to nepal in 1999' → 1 9 9 9: one set of weights finds the year wherever it stands",
            cell: .lstm, hidden: 64, initialization: Initialization(forgetBias: 1), seed: 1,
            plan: TrainingPlan(task: TrainingTask(kind: .yearExtraction),
                               settings: TrainingSettings(optimizer: .adam(), learningRate: 0.005, clipping: .norm(1),
                                                          batchSize: 32, iterations: 1500), seed: 1),
            captions: [
                Caption(.forward, 0, "The sentence arrives one character per step, right-aligned; the year's place varies."),
                Caption(.forward, 32, "At the four ? steps the model must write the year's digits, read several steps earlier."),
                Caption(.backward, 35, "Each digit's loss flows back to the characters of the year, wherever they stood."),
                Caption(.backward, 0, "One set of weights learns to spot a year at any position: the sharing lesson, trained."),
            ])
    }

    /// Character-level language modelling on the opening of Alice in Wonderland.
    public static var trainCharacters: Lesson {
        training(
            name: "train-chars", title: "Training a character-level LSTM on Alice",
            summary: "next-character prediction on the opening of Alice in Wonderland, against the unigram baseline",
            cell: .lstm, hidden: 64, seed: 1,
            plan: TrainingPlan(task: TrainingTask(kind: .characters, length: 50),
                               settings: TrainingSettings(optimizer: .adam(), learningRate: 0.005, clipping: .norm(5),
                                                          truncation: nil, batchSize: 16, iterations: 2000), seed: 1),
            captions: [
                Caption(.forward, 0, "Each step reads one character of Alice in Wonderland and predicts the next."),
                Caption(.forward, 49, "The unigram baseline knows only how often each character occurs; beating it means using context."),
                Caption(.backward, 49, "Every step has a loss; each gradient flows back over the characters that set the context."),
                Caption(.backward, 0, "A few steps back is enough for spelling; punctuation and phrases need longer memory."),
            ])
    }
}
