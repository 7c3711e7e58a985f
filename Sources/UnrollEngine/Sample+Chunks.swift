extension Sample {
    /// Steps `range` of this batch as a batch of their own, starting from `carried`: the
    /// hidden, cell and skip states a previous chunk ended with (`Gradients.carried`), as
    /// values (no gradient reaches back through them). This is one chunk of truncated BPTT
    /// as practised: run it, update the weights, run the next chunk from its carried state.
    ///
    /// For models that read one input per step (many-to-one, many-to-many): inputs and
    /// targets are sliced; a conditioning vector is an input of every step and is kept.
    /// - Precondition: `range` lies within `0 ..< steps`.
    /// - Complexity: O(range.count) (matrices are shared, not copied).
    public func chunk(_ range: Range<Int>, carrying carried: [String: CarriedState<T>] = [:]) -> Sample<T> {
        precondition(range.lowerBound >= 0 && range.upperBound <= steps, "chunk \(range) outside 0..<\(steps)")
        let slice: Targets<T>
        switch targets {
        case .values(let v): slice = .values(Array(v[min(range.lowerBound, v.count)..<min(range.upperBound, v.count)]))
        case .classes(let c):
            slice = .classes(Array(c[min(range.lowerBound, c.count)..<min(range.upperBound, c.count)]))
        }
        let xs = Array(inputs[min(range.lowerBound, inputs.count)..<min(range.upperBound, inputs.count)])
        var s = Sample(inputs: xs, targets: slice, conditioning: conditioning, steps: range.count)
        s.initialHidden = carried.mapValues(\.hidden)
        s.initialCell = carried.compactMapValues(\.cell)
        s.initialSkipHistory = carried.compactMapValues { $0.skipHistory.isEmpty ? nil : $0.skipHistory }
        if range.lowerBound == 0 {
            s.initialHidden.merge(initialHidden) { carried, _ in carried }
            s.initialCell.merge(initialCell) { carried, _ in carried }
            s.initialSkipHistory.merge(initialSkipHistory) { carried, _ in carried }
        }
        return s
    }
}

/// The state one layer ends a sequence (or a chunk of one) with: what truncated BPTT carries
/// into the next chunk as a value.
public struct CarriedState<T: EngineScalar>: Sendable, Equatable {
    /// h at the last step, `B × H`.
    public var hidden: Matrix<T>
    /// LSTM c at the last step, `B × H`; nil for other cells.
    public var cell: Matrix<T>?
    /// The last k hidden states (fewer if the sequence was shorter), oldest first, for a skip
    /// connection of length k; empty without skip.
    public var skipHistory: [Matrix<T>]

    /// A carried state.
    public init(hidden: Matrix<T>, cell: Matrix<T>? = nil, skipHistory: [Matrix<T>] = []) {
        self.hidden = hidden
        self.cell = cell
        self.skipHistory = skipHistory
    }
}
