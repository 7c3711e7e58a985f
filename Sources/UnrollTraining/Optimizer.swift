/// An update rule, with `torch.optim`'s formulas and defaults (no weight decay, no dampening,
/// no Nesterov, not centred, no AMSGrad).
public enum Optimizer: Sendable, Equatable {
    /// `torch.optim.SGD`: `b ← μ·b + g` (b = g at the first step), `θ ← θ − lr·b`; μ = 0 is plain SGD.
    case sgd(momentum: Double = 0)
    /// `torch.optim.RMSprop`: `v ← α·v + (1−α)·g²`, `θ ← θ − lr·g / (√v + ε)`.
    case rmsprop(alpha: Double = 0.99, epsilon: Double = 1e-8)
    /// `torch.optim.Adam`: `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`,
    /// `θ ← θ − (lr / (1−β₁ᵗ))·m / (√v / √(1−β₂ᵗ) + ε)`.
    case adam(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8)

    /// The name used in scenarios and logs: sgd, rmsprop or adam.
    public var name: String {
        switch self {
        case .sgd: return "sgd"
        case .rmsprop: return "rmsprop"
        case .adam: return "adam"
        }
    }

    /// A short description with the settings, e.g. "adam (β₁ 0.9, β₂ 0.999, ε 1e-08)".
    public var description: String {
        switch self {
        case .sgd(let m): return m == 0 ? "sgd" : "sgd (momentum \(m))"
        case .rmsprop(let a, let e): return "rmsprop (α \(a), ε \(e))"
        case .adam(let b1, let b2, let e): return "adam (β₁ \(b1), β₂ \(b2), ε \(e))"
        }
    }

    /// Every reason the settings are invalid; empty when they are fine.
    public var problems: [String] {
        switch self {
        case .sgd(let m):
            return (0..<1).contains(m) ? [] : ["momentum must be at least 0 and below 1, found \(m)"]
        case .rmsprop(let a, let e):
            var p: [String] = []
            if !(0..<1).contains(a) { p.append("alpha must be at least 0 and below 1, found \(a)") }
            if !(e > 0 && e < 1) { p.append("epsilon must be greater than 0 and below 1, found \(e)") }
            return p
        case .adam(let b1, let b2, let e):
            var p: [String] = []
            if !(0..<1).contains(b1) { p.append("beta1 must be at least 0 and below 1, found \(b1)") }
            if !(0..<1).contains(b2) { p.append("beta2 must be at least 0 and below 1, found \(b2)") }
            if !(e > 0 && e < 1) { p.append("epsilon must be greater than 0 and below 1, found \(e)") }
            return p
        }
    }
}
