/// A model: its specification and the values of its parameters.
///
/// Parameters are stored under PyTorch's names and in PyTorch's layout
/// (`weight_ih_l0` is `G·H × I` with gate blocks in PyTorch's order), so they
/// move between Unroll and `nn.RNN`, `nn.LSTM`, `nn.GRU` unchanged.
public struct Model<T: EngineScalar>: Sendable, Equatable {
    /// The shape of the model.
    public let spec: ModelSpec
    /// Name, shape and role of every parameter, in a fixed order.
    public let layout: [ParameterDescriptor]
    /// The parameter values, in `layout` order (biases are `1 × n`).
    public var values: [Matrix<T>]

    /// A model with every parameter drawn by `initialization` from a generator seeded with `seed`.
    /// - Precondition: `spec.problems()` is empty.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public init(spec: ModelSpec, initialization: Initialization = Initialization(), seed: UInt64) {
        precondition(spec.problems().isEmpty, "invalid model: \(spec.problems().joined(separator: "; "))")
        self.spec = spec
        self.layout = spec.parameterLayout
        var rng = SeededGenerator(seed: seed)
        self.values = layout.map { Self.draw($0, initialization, &rng) }
        if let rho = initialization.spectralRadius { scaleRecurrentWeights(toSpectralRadius: rho) }
        if let fb = initialization.forgetBias, spec.cell == .lstm { setForgetBias(fb) }
    }

    private init(spec: ModelSpec, layout: [ParameterDescriptor], values: [Matrix<T>]) {
        self.spec = spec
        self.layout = layout
        self.values = values
    }

    /// The same model with its parameters converted to another precision.
    public func converted<U: EngineScalar>(to _: U.Type = U.self) -> Model<U> {
        Model<U>(spec: spec, layout: layout, values: values.map { $0.converted() })
    }

    /// The index of a parameter by name, or nil.
    public func index(of name: String) -> Int? { layout.firstIndex { $0.name == name } }

    /// A parameter's value by name, or nil.
    public subscript(name: String) -> Matrix<T>? {
        get { index(of: name).map { values[$0] } }
    }

    /// Replaces a parameter's value.
    /// - Precondition: the parameter exists and `value` has its shape.
    public mutating func set(_ name: String, _ value: Matrix<T>) {
        guard let i = index(of: name) else { preconditionFailure("no parameter named \(name)") }
        precondition(
            value.rows == values[i].rows && value.cols == values[i].cols,
            "\(name): shape \(value.rows)x\(value.cols), expected \(values[i].rows)x\(values[i].cols)")
        values[i] = value
    }

    /// Total number of scalar parameters.
    public var parameterCount: Int { values.reduce(0) { $0 + $1.count } }

    /// The square gate blocks of every `W_hh`, labelled `weight_hh_l0` (RNN) or `weight_hh_l0[f]` (LSTM, GRU).
    public var recurrentBlocks: [(name: String, block: Matrix<T>)] {
        var out: [(String, Matrix<T>)] = []
        for (d, m) in zip(layout, values) where d.role == .recurrent {
            let h = m.cols
            let names = spec.cell.gateNames
            for g in 0..<d.gateBlocks {
                out.append((d.gateBlocks == 1 ? d.name : "\(d.name)[\(names[g])]", m.rows(g * h, h)))
            }
        }
        return out
    }

    /// Rescales each gate block of every `W_hh` to spectral radius ρ (blocks whose radius is 0 are left alone).
    /// - Complexity: one eigenvalue problem per block, O(H³).
    public mutating func scaleRecurrentWeights(toSpectralRadius rho: Double) {
        for i in layout.indices where layout[i].role == .recurrent {
            let h = values[i].cols
            for g in 0..<layout[i].gateBlocks {
                let r = Spectrum.radius(values[i].rows(g * h, h))
                guard r > 0, r.isFinite else { continue }
                let s = T(rho / r)
                for k in (g * h * h)..<((g + 1) * h * h) { values[i].storage[k] *= s }
            }
        }
    }

    /// Multiplies every `W_hh` by `factor` (the front end's live "scale W_hh" key).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public mutating func scaleRecurrentWeights(by factor: Double) {
        let c = T(factor)
        for i in layout.indices where layout[i].role == .recurrent {
            values[i].storage.withUnsafeMutableBufferPointer { p in for k in p.indices { p[k] *= c } }
        }
    }

    /// Sets the LSTM forget-gate bias: the f-block of every `bias_ih` to `value`, of every `bias_hh` to 0.
    public mutating func setForgetBias(_ value: Double) {
        guard spec.cell == .lstm else { return }
        for i in layout.indices where layout[i].role == .layerBias {
            let h = values[i].cols / 4
            let isIH = layout[i].name.contains("bias_ih")
            for k in h..<(2 * h) { values[i].storage[k] = isIH ? T(value) : 0 }
        }
    }

    private static func draw(_ d: ParameterDescriptor, _ ini: Initialization, _ rng: inout SeededGenerator) -> Matrix<T>
    {
        var m = Matrix<T>(rows: d.rows, cols: d.cols)
        let bound = 1 / Double(max(1, d.scale)).squareRoot()
        func uniform() { for i in m.storage.indices { m.storage[i] = T(rng.uniform(-bound, bound)) } }
        let isBias = d.role == .layerBias || d.role == .linearBias
        switch ini.scheme {
        case .uniform:
            uniform()
        case .xavier:
            if !isBias {
                let blockRows = d.rows / d.gateBlocks
                let a = (6 / Double(blockRows + d.cols)).squareRoot()
                for i in m.storage.indices { m.storage[i] = T(rng.uniform(-a, a)) }
            }
        case .normal:
            if !isBias { for i in m.storage.indices { m.storage[i] = T(ini.std * rng.normal()) } }
        case .orthogonal, .identity:
            if d.role == .recurrent {
                let h = d.cols
                for g in 0..<d.gateBlocks {
                    let block: Matrix<T> = ini.scheme == .identity ? .identity(h) : randomOrthogonal(h, &rng)
                    m.storage.replaceSubrange((g * h * h)..<((g + 1) * h * h), with: block.storage)
                }
            } else if !isBias {
                uniform()
            }
        }
        return m
    }

    /// A random `n × n` orthogonal matrix: Q of the QR factorisation of a Gaussian matrix,
    /// with column signs fixed so the distribution is uniform (Haar).
    static func randomOrthogonal(_ n: Int, _ rng: inout SeededGenerator) -> Matrix<T> {
        let a = (0..<(n * n)).map { _ in T(rng.normal()) } // column-major n × n
        var q = a
        let ok = q.withUnsafeMutableBufferPointer { p in
            guard let base = p.baseAddress else { return false }
            return T.orthonormalize(m: n, n: n, columnMajor: base)
        }
        if !ok { return .identity(n) }
        // Haar measure: make R's diagonal positive, i.e. column j of Q times sign(r_jj) where r_jj = q_jᵀ a_j.
        for j in 0..<n {
            var r: T = 0
            for i in 0..<n { r += q[j * n + i] * a[j * n + i] }
            if r < 0 { for i in 0..<n { q[j * n + i] = -q[j * n + i] } }
        }
        // Column-major Q to row-major.
        var m = Matrix<T>(rows: n, cols: n)
        for i in 0..<n { for j in 0..<n { m[i, j] = q[j * n + i] } }
        return m
    }
}
