/// What a loss compares the outputs with, one entry per output step.
public enum Targets<T: EngineScalar>: Sendable, Equatable {
    /// Regression targets for mean squared error: one `B × O` matrix per output step.
    case values([Matrix<T>])
    /// Class indices for softmax cross-entropy: one array of `B` indices per output step.
    case classes([[Int]])

    /// Number of output steps that have a target.
    public var count: Int {
        switch self {
        case .values(let v): return v.count
        case .classes(let c): return c.count
        }
    }

    /// The target at output step `t` as a `B × O` matrix (classes one-hot), for the MSE loss.
    func matrix(at t: Int, outputSize: Int) -> Matrix<T> {
        switch self {
        case .values(let v): return v[t]
        case .classes(let c): return .oneHot(c[t], cols: outputSize)
        }
    }

    /// The target class of each batch row at output step `t`: the class index, or for a value target the
    /// column of its largest entry. What the cross-entropy loss and teacher forcing read.
    func classes(at t: Int) -> [Int] {
        switch self {
        case .values(let v): return v[t].argmaxRows()
        case .classes(let c): return c[t]
        }
    }
}

/// One batch of sequences to unroll the model on.
///
/// Shapes: `B` sequences in the batch; inputs `B × I` per step; targets per output step.
public struct Sample<T: EngineScalar>: Sendable, Equatable {
    /// Inputs per step of the first segment (the encoder with `encoderDecoder`). With
    /// `oneToMany`, one entry: later steps read zeros.
    public var inputs: [Matrix<T>]
    /// Inputs per decoder step (`encoderDecoder` with a decoder input size > 0); missing steps read zeros.
    public var decoderInputs: [Matrix<T>]
    /// Targets per output step.
    public var targets: Targets<T>
    /// The conditioning vector `B × V` of a vector-to-sequence model.
    public var conditioning: Matrix<T>?
    /// Number of output steps: the length of the sequence the model writes (the decoder's, with `encoderDecoder`).
    public var steps: Int
    /// Initial hidden states `h_0`, `B × H`, by layer label (`l0`, `l0_reverse`, `encoder.l1`, …);
    /// missing layers start at zero. A layer whose h_0 comes from a conditioning vector ignores its entry.
    public var initialHidden: [String: Matrix<T>] = [:]
    /// Initial LSTM cell states `c_0`, `B × H`, by layer label; missing layers start at zero.
    public var initialCell: [String: Matrix<T>] = [:]
    /// The hidden states before step 1 that a skip connection of length k reads, `B × H` each,
    /// oldest first, by (forward) layer label: with m of them, step t ≤ k reads entry t − k + m − 1
    /// (0-based) and zeros before the first. Only the last k are used; without skip they are ignored.
    /// What `Gradients.carried` hands on from one truncated-BPTT chunk to the next.
    public var initialSkipHistory: [String: [Matrix<T>]] = [:]

    /// A batch; `steps` defaults to the number of inputs.
    public init(
        inputs: [Matrix<T>], decoderInputs: [Matrix<T>] = [], targets: Targets<T>,
        conditioning: Matrix<T>? = nil, steps: Int? = nil
    ) {
        self.inputs = inputs
        self.decoderInputs = decoderInputs
        self.targets = targets
        self.conditioning = conditioning
        self.steps = steps ?? inputs.count
    }

    /// B: sequences in the batch.
    public var batchSize: Int {
        inputs.first?.rows ?? conditioning?.rows ?? decoderInputs.first?.rows
            ?? {
                switch targets {
                case .values(let v): return v.first?.rows ?? 1
                case .classes(let c): return c.first?.count ?? 1
                }
            }()
    }
}
