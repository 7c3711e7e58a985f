extension ModelSpec {
    /// Parameters of the model, counted from `parameterLayout` without allocating any.
    public var parameterCount: Int {
        parameterLayout.reduce(Saturating(0)) { $0 + Saturating($1.rows) * Saturating($1.cols) }.value
    }

    /// An upper estimate, in bytes, of the memory one forward and backward pass over `steps`
    /// columns of a batch of `batch` sequences holds at its peak: the parameters and their copies
    /// (model, tape, gradients, clipped gradients, trace), and per column the tape's values and
    /// gradients (and an LSTM sequence kernel's buffers) and the trace's states, gates and gradients for every
    /// layer, and the inputs and outputs. Computed from the shapes alone, before anything is allocated; saturates at
    /// `Int.max` instead of overflowing.
    ///
    /// The per-value counts were calibrated against the peak resident memory of `unroll trace`
    /// (docs/reliability.md): the estimate stays above what is measured.
    ///
    /// - Parameters:
    ///   - steps: the columns of the unrolled graph (encoder and decoder steps together).
    ///   - batch: sequences run at once.
    ///   - scalarBytes: bytes per number (8 for Double, the precision traces are kept in).
    public func estimatedBytes(steps: Int, batch: Int = 1, scalarBytes: Int = 8) -> Int {
        let a = architecture, g = a.cell.gateCount
        var perColumn = Saturating(0)
        for h in a.hiddenSizes {
            // Tape values and gradients of the gate pre-activations and activations, the state,
            // the cell state, the skip and shortcut terms, and the trace's copies of them.
            var unit = Saturating(28) * Saturating(g + 2)
            unit = unit + Saturating(16) * Saturating(a.deep.transition)
            // A plain LSTM layer's sequence kernel (`LSTMSequence`) keeps its own buffers beside the tape's: per
            // unit 11 forward values (pre-activations, gates, c, tanh c, h) and 7 backward ones for each of the
            // two adjoints a trace's shared sweep carries (the loss's and the last loss's).
            if a.cell == .lstm { unit = unit + Saturating(25) }
            perColumn = perColumn + unit * Saturating(h) * Saturating(a.directions)
        }
        // Input and output vectors, logits, probabilities and their gradients.
        perColumn = perColumn + Saturating(32) * Saturating(inputSize + outputSize + decoderInputSize)
        perColumn =
            perColumn + Saturating(16) * Saturating(a.deep.input + a.deep.output) * Saturating(a.hiddenSizes.first ?? 0)
        let parameters = Saturating(12) * Saturating(parameterCount)
        let values = parameters + perColumn * Saturating(max(steps, 1)) * Saturating(max(batch, 1))
        return (values * Saturating(scalarBytes)).value
    }
}

/// A non-negative count that stops at `Int.max` instead of overflowing.
struct Saturating {
    /// The count, at most `Int.max`.
    var value: Int

    /// `value` clamped to at least 0.
    init(_ value: Int) { self.value = max(0, value) }

    static func + (a: Saturating, b: Saturating) -> Saturating {
        let (sum, overflow) = a.value.addingReportingOverflow(b.value)
        return Saturating(overflow ? .max : sum)
    }

    static func * (a: Saturating, b: Saturating) -> Saturating {
        let (product, overflow) = a.value.multipliedReportingOverflow(by: b.value)
        return Saturating(overflow ? .max : product)
    }
}
