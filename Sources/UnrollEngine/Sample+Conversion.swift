extension Targets {
    /// The same targets in another precision (class indices unchanged).
    public func converted<U: EngineScalar>(to _: U.Type = U.self) -> Targets<U> {
        switch self {
        case .values(let v): return .values(v.map { $0.converted() })
        case .classes(let c): return .classes(c)
        }
    }
}

extension Sample {
    /// The same batch with every value converted to another precision.
    /// - Complexity: O(number of values).
    public func converted<U: EngineScalar>(to _: U.Type = U.self) -> Sample<U> {
        var s = Sample<U>(
            inputs: inputs.map { $0.converted() }, decoderInputs: decoderInputs.map { $0.converted() },
            targets: targets.converted(), conditioning: conditioning?.converted(), steps: steps)
        s.initialHidden = initialHidden.mapValues { $0.converted() }
        s.initialCell = initialCell.mapValues { $0.converted() }
        s.initialSkipHistory = initialSkipHistory.mapValues { $0.map { $0.converted() } }
        return s
    }
}
