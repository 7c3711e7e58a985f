import UnrollEngine

extension GradientMode {
    /// The one loss the engine records the gradient of for this mode; nil for the total (already recorded).
    public var focus: LossFocus? {
        switch self {
        case .total: return nil
        case .last: return .last
        case .step(let c): return .column(c)
        }
    }
}

/// What the gradient panel draws for one layer: every number computed here, by the lab; the view only draws.
///
/// The bars are ‖∂L/∂h_t‖ (Frobenius over the batch) for the mode's loss; for an LSTM layer also
/// ‖∂L/∂c_t‖, the gradient along the cell. The dashed bound is drawn only where it provably holds for
/// what is plotted (see `bound(trace:layer:values:anchorColumns:)`); where none holds, `boundText` says why.
public struct GradientSeries: Sendable {
    /// The mode the series are for.
    public var mode: GradientMode
    /// The column of the loss, for a one-loss mode (nil for the total loss).
    public var lossColumn: Int?
    /// The loss the series is the gradient of, as the screen names it: `L` for the total loss (as the inspector, the
    /// equations and the presenter's figures use it), `L_6` for the loss at step 6 alone.
    public var lossName: String
    /// The panel's title, longest first: e.g. "‖∂L_6/∂h_t‖ last loss (log)", then shorter forms.
    public var titles: [String]
    /// ‖∂L/∂h_t‖ per step of the layer (time order).
    public var hidden: [Double]
    /// ‖∂L/∂c_t‖ per step, for an LSTM layer.
    public var cell: [Double]?
    /// The same norms for the model with skip connections toggled, when compared.
    public var comparison: [Double]?
    /// The bound per step (nil where it says nothing), when one holds.
    public var bound: [Double?]?
    /// What the dashed line is, or why there is none; longest first, for the view to pick what fits.
    public var boundText: [String]
    /// Pascanu's per-step factor γ·σ_max(W_hh) for a plain Elman layer; nil for every other layer.
    public var elmanFactor: ElmanFactor?
    /// The log axis's floor: values at or below it draw no bar.
    public var floor: Double
    /// The log axis's ceiling: the largest value drawn.
    public var ceiling: Double

    /// The series of `trace.layers[layer]` for `mode`, with the comparison trace's same layer (by label).
    /// - Complexity: O(steps) per layer, plus one norm per LSTM cell gradient in the total mode.
    public init(trace: Trace<Double>, layer index: Int, mode: GradientMode, comparison other: Trace<Double>?) {
        let layer = trace.layers[index]
        self.mode = mode
        func norms(_ l: LayerTrace<Double>) -> [Double] {
            switch mode {
            case .total: return l.steps.hiddenGradientNorm
            case .last:
                return zip(l.steps.focusLossGradientNorm, l.steps.lastLossGradientNorm).map { $0.isNaN ? $1 : $0 }
            case .step: return l.steps.focusLossGradientNorm
            }
        }
        hidden = norms(layer)
        if trace.spec.cell == .lstm {
            cell =
                mode != .total
                ? layer.steps.focusLossCellGradientNorm
                : layer.steps.cellGradient?.map { Double($0.norm) } ?? Array(repeating: .nan, count: layer.steps.count)
        }
        let otherLayer = other?.layers.first { $0.label == layer.label }
        comparison = otherLayer.map { norms($0) }
        switch mode {
        case .total: lossColumn = nil
        case .last: lossColumn = trace.lossColumns.last
        case .step(let c): lossColumn = c
        }
        let name = lossColumn.map { "L_\($0 + 1)" } ?? "L"
        lossName = name
        let which: String
        switch mode {
        case .total: which = "total loss"
        case .last: which = "last loss"
        case .step(let c): which = trace.lossColumns.contains(c) ? "loss at step \(c + 1)" : "no loss at step \(c + 1)"
        }
        titles = ["‖∂\(name)/∂h_t‖ \(which) (log)", "‖∂\(name)/∂h_t‖ (log)", "‖∂\(name)/∂h_t‖", "∂\(name)/∂h"]
        elmanFactor = ElmanFactor(trace: trace, layer: layer)
        let anchors = lossColumn.map { trace.lossColumns.contains($0) ? [$0] : [] } ?? trace.lossColumns
        let b = Self.bound(trace: trace, layer: layer, values: hidden, anchorColumns: anchors, elman: elmanFactor)
        bound = b.values
        boundText = b.text
        (floor, ceiling) = Self.axis(hidden + (cell ?? []) + (comparison ?? []))
    }

    /// The log axis of a set of values: the ceiling is the largest finite positive value, the floor a little
    /// below the smallest (so the smallest still draws a sliver), at least one and at most twelve decades down.
    public static func axis(_ values: [Double]) -> (floor: Double, ceiling: Double) {
        let positive = values.filter { $0.isFinite && $0 > 0 }
        guard let top = positive.max(), let bottom = positive.min() else { return (0.1, 1) }
        let decades = min(12, max(1, Double.log10(top / bottom)))
        return (top / Double.pow(10, decades * 1.1 + 0.1), top)
    }

    /// The bound on the plotted ‖∂L/∂h_t‖ along the layer's chain, or why none holds.
    ///
    /// A bound is drawn only when every path from h_t to the loss runs through one state h_a of this layer
    /// (the anchor) along the chain h_t → … → h_a: the top layer of a segment with outputs and one loss
    /// (L_a reads h_a only), or the top encoder layer (the decoder reads only its last state). Then
    /// ‖∂L/∂h_t‖ ≤ ‖∂L/∂h_a‖·∏‖∂h_j/∂h_j−1‖, each factor bounded by γ·σ_max(W_hh) for a plain Elman layer
    /// (Pascanu et al. 2013) and measured (`StepTrace.jacobianNorm`, batch row 0: only for a batch of one)
    /// for a GRU or an RNN with a deep transition, shortcut or output feedback. None holds for a lower
    /// layer (the loss reaches it through the layer above at every step), for the total of several losses,
    /// with skip connections (a shorter path beside the chain) or for an LSTM (c_t carries gradient beside h_t).
    static func bound(
        trace: Trace<Double>, layer: LayerTrace<Double>, values: [Double], anchorColumns: [Int],
        elman: ElmanFactor?
    ) -> (values: [Double?]?, text: [String]) {
        let spec = trace.spec
        let top = trace.layers.filter { $0.segment == layer.segment }.map(\.layer).max() == layer.layer
        guard top else {
            return (nil, ["no bound: the loss reaches a lower layer at every step", "no bound: lower layer"])
        }
        let anchor: Int
        let name: String
        if layer.segment == "encoder." {
            anchor = layer.reverse ? layer.startColumn : layer.startColumn + layer.steps.count - 1
            name = "h_\(anchor + 1)"
        } else {
            guard !anchorColumns.isEmpty else { return (nil, ["no bound: no loss is taken here", "no bound"]) }
            guard anchorColumns.count == 1, let a = anchorColumns.first else {
                return (
                    nil,
                    [
                        "no bound: the total of \(anchorColumns.count) losses has no one chain (m: one loss)",
                        "no bound: total of \(anchorColumns.count) losses"
                    ]
                )
            }
            anchor = a
            name = "L_\(a + 1)/∂h_\(a + 1)"
        }
        guard let a = layer.step(at: anchor).map({ _ in anchor - layer.startColumn }) else {
            return (nil, ["no bound: the loss is not at a step of this layer", "no bound"])
        }
        if spec.skip != nil {
            return (nil, ["no bound: the skip makes paths shorter than the chain", "no bound: skip paths"])
        }
        if spec.cell == .lstm {
            return (nil, ["no bound from h alone: c_t carries gradient beside h_t", "no bound: LSTM"])
        }
        let anchorValue = values[a]
        guard anchorValue.isFinite else { return (nil, ["no bound: the gradient is not finite", "no bound"]) }
        // Factors per step: factor[i] bounds ‖∂h_i/∂h_prev‖, prev the step before i in processing order.
        let factors: [Double]
        let text: [String]
        let norm = layer.segment == "encoder." ? "‖∂L/∂\(name)‖" : "‖∂\(name)‖"
        if let elman {
            factors = Array(repeating: elman.factor, count: layer.steps.count)
            let base = elman.gamma == 1 ? "σmax" : "(σmax/\(Int((1 / elman.gamma).rounded())))"
            text = [
                "╌ \(norm)·\(base)^k, Pascanu (Elman), σmax=\(format(elman.sigma))",
                "╌ \(norm)·\(base)^k, Pascanu", "╌ \(base)^k Pascanu"
            ]
        } else {
            guard trace.batchSize == 1 else {
                return (nil, ["no bound: the Jacobians are measured for one batch row", "no bound: batch > 1"])
            }
            factors = layer.steps.jacobianNorm
            text = [
                "╌ \(norm)·∏‖∂h_j/∂h_j−1‖, the product along the chain",
                "╌ \(norm)·∏‖∂h_j/∂h_j−1‖", "╌ ∏‖∂h_j/∂h_j−1‖"
            ]
        }
        var out = [Double?](repeating: nil, count: layer.steps.count)
        var running = anchorValue
        out[a] = running
        let away = layer.reverse ? Array((a + 1)..<max(a + 1, layer.steps.count)) : Array((0..<a).reversed())
        var previous = a
        for i in away {
            running *= factors[previous] // ∂h_previous/∂h_i is the factor of the later step in processing order
            guard running.isFinite else { break }
            out[i] = running
            previous = i
        }
        if away.contains(where: { out[$0] == nil }) && factors.contains(where: \.isNaN) {
            return (nil, ["no bound: the Jacobian norms were not recorded", "no bound"])
        }
        return (out, text)
    }

    static func format(_ x: Double) -> String {
        let r = (x * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}

/// Pascanu's bound per step for a plain Elman layer, ‖∂h_t/∂h_t−1‖ = ‖diag(f'(a_t)) W_hh‖ ≤ γ·σ_max(W_hh),
/// with γ = max|f'| (tanh, ReLU, identity 1; sigmoid ¼).
public struct ElmanFactor: Sendable, Equatable {
    /// max|f'| of the activation.
    public var gamma: Double
    /// σ_max(W_hh) of the layer, as on screen (W_hh scaled).
    public var sigma: Double
    /// γ·σ_max.
    public var factor: Double { gamma * sigma }

    /// The factor of a layer when it is a plain Elman layer (an RNN cell whose step reads h_{t−1} only
    /// through W_hh: no skip, deep transition, shortcut or output feedback) and its σ_max is known; else nil.
    init?(trace: Trace<Double>, layer: LayerTrace<Double>) {
        let spec = trace.spec
        guard spec.cell == .rnn, spec.skip == nil, spec.deep.transition == 0, !spec.deep.shortcut,
            spec.feedback != .output,
            let s = trace.spectrum(of: layer)?.largestSingularValue
        else { return nil }
        switch spec.activation {
        case .tanh, .relu, .identity: gamma = 1
        case .sigmoid: gamma = 0.25
        }
        sigma = s
    }
}
