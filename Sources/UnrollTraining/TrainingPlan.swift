import UnrollEngine

/// What a training lesson trains on and how: the task, the settings, and the seed of its batches.
public struct TrainingPlan: Sendable, Equatable {
    /// The task.
    public var task: TrainingTask
    /// Optimizer, learning rate, clipping, truncation, batch size, iterations.
    public var settings: TrainingSettings
    /// Fixes the example shown and the stream of mini-batches (the weights have the lesson's seed).
    public var seed: UInt64

    /// A plan.
    public init(task: TrainingTask, settings: TrainingSettings = TrainingSettings(), seed: UInt64 = 1) {
        self.task = task
        self.settings = settings
        self.seed = seed
    }

    /// The options of a pass on the task with the plan's truncation and clipping.
    public var runOptions: RunOptions {
        task.runOptions(truncation: settings.truncation, clipping: settings.clipping)
    }

    /// Every reason the plan cannot run on a model of `architecture`; empty when it can.
    public func problems(architecture: Architecture) -> [String] {
        var p = task.problems + settings.problems
        if architecture.bidirectional && settings.truncation != nil {
            p.append("truncated BPTT needs a causal model; a bidirectional layer reads the whole sequence")
        }
        return p
    }
}
