/// Everything recorded at one time step of one recurrent layer.
///
/// Shapes: B batch rows, H hidden units, G gate blocks (1 RNN, 4 LSTM, 3 GRU).
public struct StepTrace<T: EngineScalar>: Sendable {
    /// The global column of this step in the unrolled graph (the encoder's steps come first).
    public var column: Int
    /// Pre-activations `B × G·H`, gate blocks in PyTorch's order. RNN: `W_ih x + b_ih + W_hh h + b_hh`;
    /// LSTM: the four gate sums; GRU: the r and z sums and `W_in x + b_in + r ⊙ (W_hn h + b_hn)`.
    public var preactivation: Matrix<T>
    /// Gate activations, `B × H` each, in `CellKind.gateNames` order (LSTM i f g o; GRU r z n; RNN none).
    public var gates: [Matrix<T>]
    /// The hidden state `h_t`, `B × H` (for the RNN also its activation).
    public var hidden: Matrix<T>
    /// The LSTM cell state `c_t`, `B × H`.
    public var cell: Matrix<T>?
    /// ∂L/∂h_t, `B × H`: the total loss's gradient at this hidden state, all paths through later steps included.
    public var hiddenGradient: Matrix<T>
    /// ‖∂L/∂h_t‖, the Frobenius norm of `hiddenGradient` over the batch (what the graph's gradient colours show).
    public var hiddenGradientNorm: Double
    /// ∂L/∂c_t, `B × H` (LSTM): the total gradient, through this step's `h_t = o_t ⊙ tanh(c_t)` and through
    /// `c_{t+1}` (within its chunk under truncation); zero only where no loss depends on c_t.
    public var cellGradient: Matrix<T>?
    /// σ_max of the one-step Jacobian ∂h_t/∂h_{t-1} for batch row 0 (LSTM: with c_{t-1} held fixed);
    /// NaN when not recorded or not finite.
    public var jacobianNorm: Double
    /// LSTM: ‖∂c_t/∂c_{t-1}‖₂ = max_i f_t,i for batch row 0, the cell-state path. NaN for other cells.
    public var cellJacobianNorm: Double
    /// ‖∂L_last/∂h_t‖: the gradient of the last loss step's loss alone (Frobenius over the batch).
    /// Read against the distance from that step, it shows vanishing and exploding gradients.
    public var lastLossGradientNorm: Double
    /// ‖∂L_s/∂h_t‖ for the one loss L_s that `RunOptions.focusLoss` names (Frobenius over the batch):
    /// 0 where no loss is taken at s or h_t does not reach it; NaN when no focus was asked for.
    public var focusLossGradientNorm: Double = .nan
    /// LSTM: ‖∂L_s/∂c_t‖ for the same loss, the total (through `h_t` and `c_{t+1}`); NaN for other cells or
    /// when no focus was asked for.
    public var focusLossCellGradientNorm: Double = .nan
}

/// One recurrent layer in one direction, over its steps.
public struct LayerTrace<T: EngineScalar>: Sendable {
    /// The layer's label: `l0`, `l0_reverse`, `encoder.l1`, `decoder.l0`.
    public var label: String
    /// Layer index, 0 at the bottom.
    public var layer: Int
    /// Whether it runs from the last step to the first.
    public var reverse: Bool
    /// "", "encoder." or "decoder.".
    public var segment: String
    /// H.
    public var hiddenSize: Int
    /// Its steps in time order (not processing order): `steps[i].column == startColumn + i`. Stored by
    /// field (`steps.hidden`, `steps.jacobianNorm`, ...); `steps[i]` copies one step out.
    public var steps: StepColumns<T>
    /// The column of its first step.
    public var startColumn: Int
    /// h_0, `B × H` (zeros, or from the conditioning vector or context).
    public var initialHidden: Matrix<T>
    /// ∂L/∂h_0.
    public var initialHiddenGradient: Matrix<T>
    /// c_0 (LSTM).
    public var initialCell: Matrix<T>?
    /// ∂L/∂c_0 (LSTM): the total gradient (c_0 reaches the loss only through the first step's cell).
    public var initialCellGradient: Matrix<T>?
    /// ‖δ_tᵀ·h_{t-1}‖_F per step in time order: the Frobenius norm of the step's term of the sum
    /// ∂L/∂W_hh = Σ_t δ_tᵀ·h_{t-1}, δ_t the gradient at the step's pre-activation (`G·H` wide; GRU: at
    /// `W_hh h_{t-1} + b_hh`). NaN in a forward-only trace.
    public var recurrentTermNorms: [Double] = []
    /// Per step, ‖the sum of the terms the backward sweep has reached there‖_F: the step's own and every one
    /// processed after it (later steps; earlier ones for a reverse layer). The first processed step's is
    /// ‖∂L/∂W_hh‖_F, the whole gradient before clipping. NaN in a forward-only trace.
    public var recurrentSumNorms: [Double] = []
}

/// Spectral diagnostics of one square block of a recurrent weight.
public struct RecurrentSpectrum: Sendable, Equatable, Codable {
    /// `weight_hh_l0`, or `weight_hh_l0[f]` for one gate block of an LSTM or GRU.
    public var name: String
    /// max |λ|.
    public var spectralRadius: Double
    /// σ_max, the bound per step on ‖W_hh‖ in Pascanu et al. 2013.
    public var largestSingularValue: Double

    /// A block's diagnostics, as `Engine.run` records them (`Spectrum.radius`, `Spectrum.largestSingularValue`).
    public init(name: String, spectralRadius: Double, largestSingularValue: Double) {
        self.name = name
        self.spectralRadius = spectralRadius
        self.largestSingularValue = largestSingularValue
    }
}

/// The global norm of the parameter gradients before and after clipping.
public struct ClipReport: Sendable, Equatable, Codable {
    /// The clipping applied.
    public var clipping: Clipping
    /// √(Σ‖∂L/∂θ‖²) before clipping.
    public var normBefore: Double
    /// The same after clipping.
    public var normAfter: Double
    /// Whether clipping changed any gradient.
    public var clipped: Bool
}

/// Every number the front end shows, from one forward and backward pass.
///
/// Columns are the time steps of the unrolled graph: the model's steps, or
/// the encoder's steps followed by the decoder's.
public struct Trace<T: EngineScalar>: Sendable {
    /// The model's shape.
    public var spec: ModelSpec
    /// The options of the pass.
    public var options: RunOptions
    /// B.
    public var batchSize: Int
    /// Number of columns.
    public var columns: Int
    /// The first column of the decoder (encoder–decoder), else nil.
    public var decoderStartColumn: Int?
    /// The input `x_t`, `B × I`, per column (nil where the column reads no input).
    public var inputs: MatrixSlots<T>
    /// ∂L/∂x_t per column.
    public var inputGradients: MatrixSlots<T>
    /// ‖∂L/∂x_t‖ (Frobenius over the batch) per column; nil where the column reads no input.
    public var inputGradientNorms: [Double?]
    /// The conditioning vector and ∂L/∂v (vector-to-sequence).
    public var conditioning: Matrix<T>?
    /// ∂L/∂v.
    public var conditioningGradient: Matrix<T>?
    /// The encoder's context C, `B × V` (encoder–decoder).
    public var context: Matrix<T>?
    /// Every recurrent layer and direction, bottom first.
    public var layers: [LayerTrace<T>]
    /// The output `y_t`, `B × O`, per column (nil where the column writes none).
    public var outputs: MatrixSlots<T>
    /// ∂L/∂y_t per column.
    public var outputGradients: MatrixSlots<T>
    /// ‖∂L/∂y_t‖ (Frobenius over the batch) per column; nil where the column writes no output.
    public var outputGradientNorms: [Double?]
    /// softmax(y_t) per column, `B × O`, with the cross-entropy loss (the probabilities the model gives
    /// each class); nil with the MSE loss and where the column writes no output.
    public var probabilities: MatrixSlots<T>
    /// The loss at each column where one is taken.
    public var losses: [T?]
    /// The total loss: the sum of the step losses.
    public var loss: T
    /// Columns where the loss is taken, in order.
    public var lossColumns: [Int]
    /// Parameter names, PyTorch's, in model order.
    public var parameterNames: [String]
    /// Parameter values, in the same order.
    public var parameters: [Matrix<T>]
    /// ∂L/∂θ for every parameter, before clipping.
    public var gradients: [Matrix<T>]
    /// The gradients after clipping (equal to `gradients` without clipping).
    public var clippedGradients: [Matrix<T>]
    /// Global gradient norm before and after clipping.
    public var clip: ClipReport
    /// σ_max and spectral radius of every `W_hh` gate block (empty when `options.recordSpectra` is off).
    public var recurrent: [RecurrentSpectrum]
    /// The first column, in time order, where a hidden or cell state, an output or a loss is not finite:
    /// where the forward pass overflowed.
    public var nonFiniteForwardColumn: Int?
    /// The first column, in the backward sweep's order (the last in time), where ∂L/∂h_t or ∂L/∂c_t is
    /// not finite: where backpropagation overflowed.
    public var nonFiniteBackwardColumn: Int?
    /// The value output feedback feeds into the first layer at each column, `B × O` one-hot (ŷ_{t−1}: zeros at
    /// the segment's first step, then the model's own previous choice or, with teacher forcing, the previous
    /// target); a constant, so no gradient flows back through it. nil where the model has no feedback.
    public var fedBack: MatrixSlots<T> = []
    /// Whether the backward sweeps have run: false in the trace of the forward pass alone
    /// (``ForwardPass/trace``), whose gradients are zero and whose gradient norms are NaN.
    public var hasGradients = true

    /// The layer traces of one segment (`""`, `"encoder."`, `"decoder."`).
    public func layers(in segment: String) -> [LayerTrace<T>] { layers.filter { $0.segment == segment } }

    /// The columns before which truncated BPTT cut the gradient, ascending: the first column of
    /// every chunk but the first (the views draw a cut there). Empty without truncation.
    /// - Complexity: O(columns).
    public var truncationCuts: [Int] { (0..<columns).filter { options.cutsGradient(before: $0) } }

    /// The gradient of a parameter by name, or nil.
    public func gradient(_ name: String) -> Matrix<T>? {
        parameterNames.firstIndex(of: name).map { gradients[$0] }
    }
}

extension LayerTrace {
    /// The columns this layer has a step in.
    public var columns: Range<Int> { startColumn..<(startColumn + steps.count) }

    /// The step at a global column, or nil when the layer has none there.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func step(at column: Int) -> StepTrace<T>? {
        columns.contains(column) ? steps[column - startColumn] : nil
    }

    /// The PyTorch name of this layer's recurrent weight, e.g. `weight_hh_l0_reverse` or `decoder.weight_hh_l1`.
    public var recurrentWeightName: String { parameterName("weight_hh") }

    /// The PyTorch name of one of this layer's parameters: `parameterName("bias_ih")` is `bias_ih_l0` for layer 0.
    public func parameterName(_ base: String) -> String {
        LayerLayout(prefix: segment, layer: layer, reverse: reverse, hiddenSize: hiddenSize, inputSize: 0).name(base)
    }
}

/// What `Engine.gradients` returns: one training iteration's loss, outputs and gradients.
public struct Gradients<T: EngineScalar>: Sendable {
    /// The total loss (summed over the loss steps, each averaged over the batch).
    public var loss: T
    /// `B × O` outputs per column; nil where the configuration has no output.
    public var outputs: [Matrix<T>?]
    /// ∂L/∂θ in `ModelSpec.parameterLayout` order.
    public var gradients: [Matrix<T>]
    /// The gradients after `RunOptions.clipping`.
    public var clippedGradients: [Matrix<T>]
    /// Global norm before and after clipping.
    public var clip: ClipReport
    /// The state every unidirectional layer of a time-major segment ended with, by layer label:
    /// what `Sample.chunk(_:carrying:)` starts the next truncated-BPTT chunk from.
    public var carried: [String: CarriedState<T>]
}

extension Trace {
    /// The spectral diagnostics of a layer's recurrent weight when it is one block (an RNN's `weight_hh`);
    /// nil for a gated cell's blocks or when no spectra were recorded.
    public func spectrum(of layer: LayerTrace<T>) -> RecurrentSpectrum? {
        recurrent.first { $0.name == layer.recurrentWeightName }
    }
}
