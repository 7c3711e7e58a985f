import UnrollEngine

/// The running buffers of an optimizer, one per parameter, and its step count.
public struct OptimizerState<T: EngineScalar>: Sendable, Equatable {
    /// The optimizer the buffers belong to (a different one starts afresh).
    public private(set) var optimizer: Optimizer?
    /// Updates taken with the buffers.
    public private(set) var step = 0
    /// SGD's momentum buffer, or Adam's first moment m.
    var first: [[T]] = []
    /// RMSprop's square average, or Adam's second moment v.
    var second: [[T]] = []

    /// Empty buffers.
    public init() {}

    /// One update of `parameters` along `gradients` (same shapes, in the same order), in the
    /// order of operations of `torch.optim`'s single-tensor implementations.
    /// - Complexity: O(number of parameters).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public mutating func update(
        _ parameters: inout [Matrix<T>], gradients: [Matrix<T>], optimizer: Optimizer, learningRate: Double
    ) {
        if self.optimizer != optimizer || first.count != parameters.count {
            self = OptimizerState()
            self.optimizer = optimizer
            first = parameters.map { [T](repeating: 0, count: $0.count) }
            second = first
        }
        step += 1
        let lr = T(learningRate)
        for i in parameters.indices {
            let g = gradients[i].storage
            parameters[i].storage.withUnsafeMutableBufferPointer { p in
                first[i].withUnsafeMutableBufferPointer { m in
                    second[i].withUnsafeMutableBufferPointer { v in
                        switch optimizer {
                        case .sgd(let momentum):
                            if momentum == 0 {
                                for k in p.indices { p[k] -= lr * g[k] }
                            } else {
                                let mu = T(momentum)
                                for k in p.indices {
                                    m[k] = step == 1 ? g[k] : m[k] * mu + g[k]
                                    p[k] -= lr * m[k]
                                }
                            }
                        case .rmsprop(let alpha, let epsilon):
                            let a = T(alpha), e = T(epsilon)
                            for k in p.indices {
                                v[k] = v[k] * a + (1 - a) * g[k] * g[k]
                                p[k] -= lr * (g[k] / (v[k].squareRoot() + e))
                            }
                        case .adam(let beta1, let beta2, let epsilon):
                            let b1 = T(beta1), b2 = T(beta2), e = T(epsilon)
                            let bc1 = 1 - Double.pow(beta1, step), bc2 = 1 - Double.pow(beta2, step)
                            let stepSize = T(learningRate / bc1), bc2Root = T(bc2.squareRoot())
                            for k in p.indices {
                                m[k] += (g[k] - m[k]) * (1 - b1)
                                v[k] = v[k] * b2 + (1 - b2) * g[k] * g[k]
                                p[k] += -stepSize * (m[k] / (v[k].squareRoot() / bc2Root + e))
                            }
                        }
                    }
                }
            }
        }
    }
}

extension OptimizerState {
    /// One training update as `Trainer` makes it: the summed gradients scaled to their mean by `scale`
    /// (one over the loss steps averaged), clipped with `settings.clipping`, then one step of
    /// `settings.optimizer` at `learningRate`.
    /// - Returns: the global gradient norm before and after clipping.
    /// - Complexity: O(parameters).
    @discardableResult
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public mutating func apply(
        summed gradients: [Matrix<T>], scale: T, to parameters: inout [Matrix<T>],
        settings: TrainingSettings, learningRate: Double
    ) -> ClipReport {
        let mean = gradients.map { g in Matrix(rows: g.rows, cols: g.cols, storage: g.storage.map { $0 * scale }) }
        let (clipped, report) = Engine.clip(mean, settings.clipping)
        update(&parameters, gradients: clipped, optimizer: settings.optimizer, learningRate: learningRate)
        return report
    }
}
