/// The panels below the graph.
public enum Panel: String, Codable, CaseIterable, Sendable {
    /// The selected node's values and gates.
    case inspector
    /// The cell's equations with the selected step's numbers.
    case equations
    /// Gradient norms per step, the σ_max^k bound and, when asked for, the skip comparison.
    case gradients
}

/// How a lesson opens on screen.
public struct Display: Codable, Sendable, Equatable {
    /// The panels shown, in order; all three by default.
    public var panels: [Panel]
    /// The layer selected at the start (0 at the bottom); nil: the top layer.
    public var selectedLayer: Int?
    /// Whether to open on the rolled (folded) view.
    public var rolled: Bool
    /// Whether the gradient panel compares the model with the same model with skip connections toggled
    /// (computed only then: it costs a second pass).
    public var comparesSkip: Bool

    /// Display settings; by default every panel, the top layer, the unrolled graph, no skip comparison.
    public init(panels: [Panel] = Panel.allCases, selectedLayer: Int? = nil, rolled: Bool = false, comparesSkip: Bool = false) {
        self.panels = panels
        self.selectedLayer = selectedLayer
        self.rolled = rolled
        self.comparesSkip = comparesSkip
    }
}
