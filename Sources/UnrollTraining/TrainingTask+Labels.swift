import UnrollEngine

extension TrainingTask {
    /// The names of the output classes (empty for regression tasks).
    public var classNames: [String] {
        switch kind {
        case .adding, .noisySine: return []
        case .copyMemory: return ["_"] + (1...8).map(String.init) + [":"]
        case .temporalOrder: return ["XX", "XY", "YX", "YY"]
        case .yearExtraction: return (0...9).map(String.init)
        case .characters: return corpus.alphabet.map { $0 == " " ? "␣" : String($0) }
        }
    }

    /// Short labels of what sequence `row` of `sample` reads at each step and must answer
    /// (nil where no answer is scored), for showing an example unrolled.
    public func labels<T: EngineScalar>(of sample: Sample<T>, row: Int = 0) -> (inputs: [String], targets: [String?]) {
        let n = sample.steps
        func hot(_ t: Int) -> Int {
            let m = sample.inputs[t]
            return (0..<m.cols).first { m[row, $0] != 0 } ?? 0
        }
        func number(_ v: T) -> String { String(Double(Int((Double(v) * 100).rounded())) / 100) }
        var inputs: [String] = [], targets = [String?](repeating: nil, count: n)
        switch kind {
        case .adding:
            inputs = (0..<n).map { t in number(sample.inputs[t][row, 0]) + (sample.inputs[t][row, 1] != 0 ? "*" : "") }
        case .noisySine:
            inputs = (0..<n).map { number(sample.inputs[$0][row, 0]) }
        case .copyMemory:
            inputs = (0..<n).map { classNames[hot($0)] }
        case .temporalOrder:
            inputs = (0..<n).map { ["a", "b", "c", "d", "X", "Y", "B", "E"][hot($0)] }
        case .yearExtraction:
            inputs = (0..<n).map { t in
                let c = YearSentences.alphabet[hot(t)]
                return c == " " ? "␣" : String(c)
            }
        case .characters:
            inputs = (0..<n).map { classNames[hot($0)] }
        }
        let scored = Set(lossSteps.resolve(steps: n))
        switch sample.targets {
        case .values(let v):
            for t in scored where t < v.count { targets[t] = number(v[t][row, 0]) }
        case .classes(let c):
            for t in scored where t < c.count && c[t][row] < classNames.count { targets[t] = classNames[c[t][row]] }
        }
        return (inputs, targets)
    }
}
