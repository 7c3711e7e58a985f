import UnrollEngine
import UnrollTraining

extension Lesson {
    /// The built-in training lessons: the adding problem for an LSTM and a tanh RNN, copy memory, characters.
    public static var trainingLessons: [Lesson] { [trainAddingLSTM, trainAddingRNN, trainCopyLSTM, trainCopyRNN, trainCharacters] }

    /// A training lesson of `cell` with `hidden` units on `plan`'s task.
    static func training(name: String, title: String, summary: String, cell: CellKind, hidden: Int,
                         initialization: Initialization = Initialization(), seed: UInt64 = 1, plan: TrainingPlan) -> Lesson {
        Lesson(name: name, title: title, summary: summary, cell: cell, hiddenSizes: [hidden],
               configuration: plan.task.configuration, initialization: initialization, seed: seed,
               tokens: [], loss: plan.task.loss, training: plan)
    }

    /// The adding problem for an LSTM: it finds the two marked values and falls far below the baseline.
    public static var trainAddingLSTM: Lesson {
        training(
            name: "train-adding-lstm", title: "Training an LSTM on the adding problem",
            summary: "T = 50: the cell state carries the two marked values to the end; the MSE falls far below 1/6",
            cell: .lstm, hidden: 32, initialization: Initialization(forgetBias: 1), seed: 1,
            plan: TrainingPlan(task: TrainingTask(kind: .adding, length: 50),
                               settings: TrainingSettings(optimizer: .adam(), learningRate: 0.01, clipping: .norm(1),
                                                          batchSize: 32, iterations: 1500), seed: 1))
    }

    /// The adding problem for a tanh RNN: the same settings, and it stays near the baseline.
    public static var trainAddingRNN: Lesson {
        training(
            name: "train-adding-rnn", title: "Training a tanh RNN on the adding problem",
            summary: "T = 50: the gradient from the end vanishes before the markers; the MSE stays near 1/6",
            cell: .rnn, hidden: 32, seed: 1,
            plan: TrainingPlan(task: TrainingTask(kind: .adding, length: 50),
                               settings: TrainingSettings(optimizer: .adam(), learningRate: 0.01, clipping: .norm(1),
                                                          batchSize: 32, iterations: 1500), seed: 1))
    }

    /// Copy memory for an LSTM, T = 10.
    public static var trainCopyLSTM: Lesson {
        training(
            name: "train-copy-lstm", title: "Training an LSTM on copy memory",
            summary: "10 symbols, T = 10 blanks, then copy them: beating 10·ln 8/(T+20) means remembering",
            cell: .lstm, hidden: 64, initialization: Initialization(forgetBias: 1), seed: 1,
            plan: TrainingPlan(task: TrainingTask(kind: .copyMemory, length: 10),
                               settings: TrainingSettings(optimizer: .adam(), learningRate: 0.005, clipping: .norm(1),
                                                          batchSize: 32, iterations: 3000), seed: 1))
    }

    /// Copy memory for a tanh RNN, T = 10.
    public static var trainCopyRNN: Lesson {
        training(
            name: "train-copy-rnn", title: "Training a tanh RNN on copy memory",
            summary: "the same task and settings as train-copy-lstm: the tanh RNN settles at the memoryless baseline",
            cell: .rnn, hidden: 64, seed: 1,
            plan: TrainingPlan(task: TrainingTask(kind: .copyMemory, length: 10),
                               settings: TrainingSettings(optimizer: .adam(), learningRate: 0.005, clipping: .norm(1),
                                                          batchSize: 32, iterations: 3000), seed: 1))
    }

    /// Character-level language modelling on the opening of Alice in Wonderland.
    public static var trainCharacters: Lesson {
        training(
            name: "train-chars", title: "Training a character-level LSTM on Alice",
            summary: "next-character prediction on the opening of Alice in Wonderland, against the unigram baseline",
            cell: .lstm, hidden: 64, seed: 1,
            plan: TrainingPlan(task: TrainingTask(kind: .characters, length: 50),
                               settings: TrainingSettings(optimizer: .adam(), learningRate: 0.005, clipping: .norm(5),
                                                          truncation: nil, batchSize: 16, iterations: 2000), seed: 1))
    }
}
