import UnrollEngine

/// How a model is trained: the update rule, step size, clipping, truncation and batches.
public struct TrainingSettings: Sendable, Equatable {
    /// The update rule.
    public var optimizer: Optimizer
    /// The step size (may change between iterations).
    public var learningRate: Double
    /// Gradient clipping, applied before the update (may change between iterations).
    public var clipping: Clipping
    /// Truncated BPTT: chunks of this many steps; nil for full BPTT.
    public var truncation: Int?
    /// Sequences per mini-batch.
    public var batchSize: Int
    /// Iterations of a full run.
    public var iterations: Int

    /// Settings; by default Adam at 0.001 (PyTorch's default), no clipping, full BPTT, batches of 32, 1000 iterations.
    public init(
        optimizer: Optimizer = .adam(), learningRate: Double = 0.001, clipping: Clipping = .none,
        truncation: Int? = nil, batchSize: Int = 32, iterations: Int = 1000
    ) {
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.clipping = clipping
        self.truncation = truncation
        self.batchSize = batchSize
        self.iterations = iterations
    }

    /// Every reason the settings are invalid; empty when they are fine.
    public var problems: [String] {
        var p = optimizer.problems
        if !(learningRate > 0 && learningRate <= 100) {
            p.append("the learning rate must be greater than 0 and at most 100, found \(learningRate)")
        }
        if !(1...4096).contains(batchSize) { p.append("the batch size must be from 1 to 4096, found \(batchSize)") }
        if !(1...10_000_000).contains(iterations) {
            p.append("iterations must be from 1 to 10000000, found \(iterations)")
        }
        if let k = truncation, k < 1 { p.append("truncation must be at least 1 step, found \(k)") }
        switch clipping {
        case .norm(let v), .value(let v):
            if !(v > 0) || !v.isFinite { p.append("the clipping threshold must be a positive number, found \(v)") }
        case .none: break
        }
        return p
    }
}
