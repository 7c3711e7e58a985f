/// The shape of a model apart from its data: the cell, the layers, the connections and the
/// input/output configuration.
///
/// One value shared by the engine (``ModelSpec/architecture``) and the lessons, which
/// derive the data's sizes (input, output, decoder input) from their vocabulary or task.
/// A new architecture option is a field here, its use in `Unroller`, and its key in the
/// scenario reader and writer.
public struct Architecture: Codable, Sendable, Equatable {
    /// The recurrent cell of every layer.
    public var cell: CellKind
    /// The Elman cell's nonlinearity (ignored by LSTM and GRU, whose gates fix theirs).
    public var activation: Activation
    /// H per recurrent layer, bottom first; `count` is the number of stacked layers.
    public var hiddenSizes: [Int]
    /// Forward and backward recurrent layers, their states joined at each step.
    public var bidirectional: Bool
    /// k ≥ 2: `h_{t-k}` feeds `h_t` in every layer through its own weight; nil: no skip connection.
    public var skip: Int?
    /// MLP depths in the three parameter blocks.
    public var deep: DeepTransition
    /// The input/output configuration.
    public var configuration: Configuration
    /// The output→hidden connection of the first layer.
    public var feedback: Feedback
    /// V: size of a conditioning vector (vector-to-sequence), or nil. With
    /// `encoderDecoder`, the context C is the conditioning vector and this is ignored.
    public var conditioningSize: Int?
    /// How the conditioning vector or the context C enters.
    public var conditioning: ConditioningMode

    /// An architecture; every argument but the hidden sizes has the plain default (a tanh RNN, many-to-many).
    public init(
        cell: CellKind = .rnn, activation: Activation = .tanh, hiddenSizes: [Int],
        bidirectional: Bool = false, skip: Int? = nil, deep: DeepTransition = DeepTransition(),
        configuration: Configuration = .manyToMany, feedback: Feedback = .none,
        conditioningSize: Int? = nil, conditioning: ConditioningMode = .input
    ) {
        self.cell = cell
        self.activation = activation
        self.hiddenSizes = hiddenSizes
        self.bidirectional = bidirectional
        self.skip = skip
        self.deep = deep
        self.configuration = configuration
        self.feedback = feedback
        self.conditioningSize = conditioningSize
        self.conditioning = conditioning
    }

    /// Number of stacked recurrent layers.
    public var layerCount: Int { hiddenSizes.count }
    /// 2 when bidirectional, else 1.
    public var directions: Int { bidirectional ? 2 : 1 }
    /// Features of the top layer at one step (both directions joined).
    public var topFeatures: Int { (hiddenSizes.last ?? 0) * directions }

    /// Every problem with these fields alone, as readable sentences; empty when valid.
    /// (``ModelSpec/problems()`` adds those that involve the data's sizes.)
    public func problems() -> [String] {
        var p: [String] = []
        if hiddenSizes.isEmpty { p.append("at least one hidden layer is needed") }
        for (l, h) in hiddenSizes.enumerated() where h < 1 || h > 4096 {
            p.append("hiddenSizes[\(l)] must be from 1 to 4096, found \(h)")
        }
        if let k = skip, k < 2 { p.append("skip must be at least 2 (k = 1 is the ordinary recurrence), found \(k)") }
        for (name, d) in [("input", deep.input), ("transition", deep.transition), ("output", deep.output)]
        where d < 0 || d > 16 {
            p.append("deep.\(name) must be from 0 to 16, found \(d)")
        }
        if deep.shortcut && deep.transition == 0 {
            p.append("deep.shortcut needs a transition MLP (deep.transition ≥ 1)")
        }
        if bidirectional && feedback != .none && configuration != .encoderDecoder {
            p.append("output feedback needs the previous output, which a bidirectional layer does not have yet")
        }
        if configuration != .encoderDecoder, let v = conditioningSize, v < 1 {
            p.append("conditioningSize must be at least 1, found \(v)")
        }
        return p
    }
}
