import UnrollEngine
import UnrollTraining

/// What the training view shows at one moment: the task, its baseline, and for each model
/// being trained its history and its example unrolled with the current weights.
///
/// The trainer (on its own thread) publishes one of these; the view only reads it.
public struct TrainingSnapshot: Sendable {
    /// One iteration's figures.
    public struct Point: Sendable, Equatable {
        /// 1-based iteration number.
        public var iteration: Int
        /// The mini-batch loss.
        public var loss: Double
        /// The task's accuracy on the mini-batch, where it has one.
        public var accuracy: Double?
        /// Global gradient norm before clipping.
        public var normBefore: Double
        /// Global gradient norm after clipping (equal to `normBefore` when nothing was clipped).
        public var normAfter: Double
        /// The learning rate of the iteration's update, or nil when not known.
        public var learningRate: Double?

        /// A point.
        public init(
            iteration: Int, loss: Double, accuracy: Double?, normBefore: Double, normAfter: Double,
            learningRate: Double? = nil
        ) {
            self.iteration = iteration
            self.loss = loss
            self.accuracy = accuracy
            self.normBefore = normBefore
            self.normAfter = normAfter
            self.learningRate = learningRate
        }

        /// The point of one training iteration.
        public init(_ record: IterationRecord) {
            self.init(
                iteration: record.iteration, loss: record.loss, accuracy: record.accuracy,
                normBefore: record.gradientNormBefore, normAfter: record.gradientNormAfter,
                learningRate: record.learningRate)
        }
    }

    /// Whether training is going on.
    public enum State: Sendable, Equatable {
        /// Iterations are running.
        case running
        /// Paused by the user (or before the first iteration).
        case paused
        /// Every requested iteration is done.
        case finished
        /// An iteration failed; the message says why.
        case failed(String)
    }

    /// One model being trained.
    public struct Run: Sendable {
        /// e.g. "LSTM, H = 32".
        public var label: String
        /// Every iteration so far, oldest first.
        public var points: [Point]
        /// The fixed example, unrolled with the weights of iteration `exampleIteration`, fully revealed.
        public var example: TrainingExample?
        /// The iteration whose weights `example` shows (0: the initial weights).
        public var exampleIteration: Int
        /// Iterations per second, over the last second or so.
        public var iterationsPerSecond: Double
        /// Seconds of training so far.
        public var seconds: Double
        /// Text the model wrote, oldest first (the last `TrainingWorker.samplesKept`); empty unless the task is
        /// characters.
        public var samples: [TrainingSample]

        /// A run with no iterations yet.
        public init(
            label: String, points: [Point] = [], example: TrainingExample? = nil, exampleIteration: Int = 0,
            iterationsPerSecond: Double = 0, seconds: Double = 0, samples: [TrainingSample] = []
        ) {
            self.samples = samples
            self.label = label
            self.points = points
            self.example = example
            self.exampleIteration = exampleIteration
            self.iterationsPerSecond = iterationsPerSecond
            self.seconds = seconds
        }
    }

    /// The lesson's title.
    public var title: String
    /// The task, e.g. "Adding problem, T = 50".
    public var task: String
    /// The loss's name: "MSE" or "cross-entropy".
    public var lossName: String
    /// The loss of the task's memoryless baseline.
    public var baselineLoss: Double
    /// What the baseline is, in one line.
    public var baselineLabel: String
    /// The baseline's accuracy, where accuracy has a meaning.
    public var baselineAccuracy: Double?
    /// What accuracy means for this task, or nil when it has none.
    public var accuracyLabel: String?
    /// The optimiser, e.g. "Adam" or "SGD, momentum 0.9".
    public var optimizer: String
    /// Mini-batch size B.
    public var batchSize: Int
    /// Truncated BPTT chunk length, or nil for full BPTT.
    public var truncation: Int?
    /// Iterations to run.
    public var iterations: Int
    /// The models being trained (one, or two side by side).
    public var runs: [Run]
    /// Whether training is going on.
    public var state: State
    /// The characters the model reads and writes, for the characters task (the prime must be made of them); nil
    /// for the other tasks, which write no samples.
    public var vocabulary: [Character]?

    /// A snapshot.
    public init(
        title: String, task: String, lossName: String, baselineLoss: Double, baselineLabel: String,
        baselineAccuracy: Double? = nil, accuracyLabel: String? = nil, optimizer: String, batchSize: Int,
        truncation: Int? = nil, iterations: Int, runs: [Run], state: State = .paused, vocabulary: [Character]? = nil
    ) {
        self.vocabulary = vocabulary
        self.title = title
        self.task = task
        self.lossName = lossName
        self.baselineLoss = baselineLoss
        self.baselineLabel = baselineLabel
        self.baselineAccuracy = baselineAccuracy
        self.accuracyLabel = accuracyLabel
        self.optimizer = optimizer
        self.batchSize = batchSize
        self.truncation = truncation
        self.iterations = iterations
        self.runs = runs
        self.state = state
    }
}

/// What the view asks of the trainer; the trainer reads it before every iteration.
public struct TrainingControl: Sendable, Equatable {
    /// Whether iterations wait.
    public var paused: Bool
    /// Counts single-iteration requests; the trainer runs one iteration each time it grows.
    public var stepRequests: Int
    /// The learning rate of the next iterations.
    public var learningRate: Double
    /// The clipping of the next iterations.
    public var clipping: Clipping
    /// Counts restarts; when it grows the trainer starts again from fresh weights.
    public var restarts: Int
    /// At most this many iterations a second (a lecturer slowing training to talk over it); nil: as fast as it goes.
    public var iterationsPerSecond: Double?
    /// The temperature of the samples of a characters task (0: the most likely character every time).
    public var temperature: Double
    /// The text a sample starts from (characters of the vocabulary; empty: a space).
    public var prime: String
    /// Whether the worker writes samples at all (the benchmark turns them off to measure what they cost).
    public var samples: Bool

    /// A control.
    public init(
        paused: Bool, stepRequests: Int = 0, learningRate: Double, clipping: Clipping, restarts: Int = 0,
        iterationsPerSecond: Double? = nil, temperature: Double = 1, prime: String = "", samples: Bool = true
    ) {
        self.temperature = temperature
        self.prime = prime
        self.samples = samples
        self.iterationsPerSecond = iterationsPerSecond
        self.paused = paused
        self.stepRequests = stepRequests
        self.learningRate = learningRate
        self.clipping = clipping
        self.restarts = restarts
    }
}

/// A line of text a character model wrote during training, with what it was written from.
public struct TrainingSample: Sendable, Equatable {
    /// The iteration whose weights wrote it (0: the initial weights).
    public var iteration: Int
    /// The temperature of its draws.
    public var temperature: Double
    /// The text it started from, as typed.
    public var prime: String
    /// The characters drawn after the prime (`CharacterSampler.sample` with the run's seed), not yet cleaned.
    public var text: String

    /// A sample.
    public init(iteration: Int, temperature: Double, prime: String, text: String) {
        self.iteration = iteration
        self.temperature = temperature
        self.prime = prime
        self.text = text
    }
}
