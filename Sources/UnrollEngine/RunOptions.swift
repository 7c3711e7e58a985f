/// The loss taken at each loss step.
public enum LossKind: String, Codable, CaseIterable, Sendable {
    /// Mean squared error, averaged over batch and output features (PyTorch `MSELoss()`).
    case mse
    /// Softmax cross-entropy over the output's classes, averaged over the batch (PyTorch `CrossEntropyLoss()`).
    case crossEntropy = "cross-entropy"

    /// The loss's name for a reader: "mean squared error" or "cross-entropy".
    public var title: String { self == .mse ? "mean squared error" : "cross-entropy" }
}

/// Where the loss is taken, over output steps `0 ..< steps`.
public enum LossSteps: Codable, Sendable, Equatable {
    /// At every output step.
    case all
    /// At the last output step only (many-to-one).
    case last
    /// At the listed output steps (0-based).
    case only([Int])

    /// The chosen steps within `0 ..< steps`, sorted and without repeats.
    public func resolve(steps: Int) -> [Int] {
        switch self {
        case .all: return Array(0..<steps)
        case .last: return steps > 0 ? [steps - 1] : []
        case .only(let s): return Array(Set(s.filter { $0 >= 0 && $0 < steps })).sorted()
        }
    }
}

/// The one loss whose gradient `RunOptions.focusLoss` records at every state.
public enum LossFocus: Sendable, Equatable {
    /// The last loss step's.
    case last
    /// The loss at a column (0-based); a column without a loss gives zero gradients.
    case column(Int)
}

/// Gradient clipping applied to the parameter gradients after backpropagation.
public enum Clipping: Codable, Sendable, Equatable {
    /// No clipping.
    case none
    /// Rescale all gradients together when their global norm exceeds the threshold (PyTorch `clip_grad_norm_`).
    case norm(Double)
    /// Clamp every gradient entry to `[−v, v]` (PyTorch `clip_grad_value_`).
    case value(Double)
}

/// Options of one forward and backward pass.
public struct RunOptions: Sendable, Equatable {
    /// The loss function.
    public var loss: LossKind
    /// Where the loss is taken; nil: the configuration's default (last step for many-to-one, else every step).
    public var lossSteps: LossSteps?
    /// Truncated BPTT: chunks of this many steps, state carried across chunks, gradient cut between them.
    /// One pass sums the gradients of every chunk, for the weights it ran with; training with one
    /// update per chunk is the trainer's (`UnrollTraining.Trainer`), built from `Sample.chunk`.
    public var truncation: Int?
    /// Gradient clipping.
    public var clipping: Clipping
    /// Record the one-step Jacobian norms ‖∂h_t/∂h_{t-1}‖ (H vector–Jacobian products per step and layer).
    public var recordJacobians: Bool

    /// Compute the spectral radius and σ_max of every `W_hh` block (LAPACK, O(H³) per block).
    public var recordSpectra: Bool
    /// Also record the gradient of one loss alone at every hidden (and LSTM cell) state, as
    /// `StepTrace.focusLossGradientNorm`: one more backward replay along the states (none when it follows the
    /// same loss as `lastLossGradientNorm`, or the only loss). nil: not recorded.
    public var focusLoss: LossFocus? = nil

    /// Options; by default MSE at the configuration's loss steps, full BPTT, no clipping, Jacobians and spectra recorded.
    public init(
        loss: LossKind = .mse, lossSteps: LossSteps? = nil, truncation: Int? = nil,
        clipping: Clipping = .none, recordJacobians: Bool = true, recordSpectra: Bool = true
    ) {
        self.recordSpectra = recordSpectra
        self.loss = loss
        self.lossSteps = lossSteps
        self.truncation = truncation
        self.clipping = clipping
        self.recordJacobians = recordJacobians
    }
}

extension RunOptions {
    /// Whether truncated BPTT cuts the gradient before `column` (the first column of every chunk but the first):
    /// `column > 0` and `column % truncation == 0`.
    public func cutsGradient(before column: Int) -> Bool {
        guard let k = truncation, k > 0 else { return false }
        return column > 0 && column % k == 0
    }
}
