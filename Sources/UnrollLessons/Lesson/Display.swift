/// The panels below the graph.
public enum Panel: String, Codable, CaseIterable, Sendable {
    /// The selected node's values and gates.
    case inspector
    /// The cell's equations with the selected step's numbers.
    case equations
    /// Gradient norms per step, the σ_max^k bound and, when asked for, the skip comparison.
    case gradients
    /// The selected layer's W_ih, W_hh, biases and W_hy as small matrices with their numbers (only when a scenario
    /// lists it: not among the default panels).
    case weights
}

/// Which loss the gradient panel shows ∂L/∂h_t for.
public enum GradientMode: Codable, Sendable, Equatable {
    /// The total loss, the sum over every loss step: what training follows.
    case total
    /// The last loss step's loss alone: read against the distance from that step it shows vanishing and
    /// exploding gradients.
    case last
    /// The loss at one column (0-based) alone.
    case step(Int)
}

extension GradientMode {
    /// The mode as a scenario writes it: `total`, `last` or `step N` (N counted from 1).
    public var scenarioText: String {
        switch self {
        case .total: return "total"
        case .last: return "last"
        case .step(let c): return "step \(c + 1)"
        }
    }

    /// Reads `total`, `last` or `step N` (N ≥ 1); nil for anything else.
    public init?(scenarioText text: String) {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        switch words.count {
        case 1 where words[0] == "total": self = .total
        case 1 where words[0] == "last": self = .last
        case 2 where words[0] == "step":
            guard let n = Int(words[1]), n >= 1, n <= 1_000_000 else { return nil }
            self = .step(n - 1)
        default: return nil
        }
    }
}

/// How a lesson opens on screen.
public struct Display: Codable, Sendable, Equatable {
    /// The panels shown by default, in order: the inspector, the equations and the gradients.
    public static let defaultPanels: [Panel] = [.inspector, .equations, .gradients]

    /// The panels shown, in order; `defaultPanels` by default.
    public var panels: [Panel]
    /// The layer selected at the start (0 at the bottom); nil: the top layer.
    public var selectedLayer: Int?
    /// The hidden unit (0-based) the equations and the unit line show at the start; nil: the largest |h_t|.
    public var unit: Int? = nil
    /// Whether to open on the rolled (folded) view.
    public var rolled: Bool
    /// Whether the gradient panel compares the model with the same model with skip connections toggled
    /// (computed only then: it costs a second pass).
    public var comparesSkip: Bool
    /// The loss the gradient panel opens on.
    public var gradient: GradientMode

    /// Display settings; by default the inspector, equations and gradient panels, the top layer, the unrolled graph, no skip comparison,
    /// the last loss's gradient.
    public init(
        panels: [Panel] = Display.defaultPanels, selectedLayer: Int? = nil, rolled: Bool = false,
        comparesSkip: Bool = false,
        gradient: GradientMode = .last
    ) {
        self.panels = panels
        self.selectedLayer = selectedLayer
        self.rolled = rolled
        self.comparesSkip = comparesSkip
        self.gradient = gradient
    }
}
