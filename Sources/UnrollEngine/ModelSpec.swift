/// The recurrent cell of every layer.
public enum CellKind: String, Codable, CaseIterable, Sendable {
    /// Elman RNN: `h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)` (PyTorch `nn.RNN`).
    case rnn
    /// Long short-term memory with gates i, f, g, o and a cell state (PyTorch `nn.LSTM`).
    case lstm
    /// Gated recurrent unit with gates r, z, n (PyTorch `nn.GRU`).
    case gru

    /// Number of fused gate blocks in `weight_ih` and `weight_hh`: 1, 4 or 3.
    public var gateCount: Int {
        switch self {
        case .rnn: return 1
        case .lstm: return 4
        case .gru: return 3
        }
    }

    /// The gate names in PyTorch's order within the fused weights.
    public var gateNames: [String] {
        switch self {
        case .rnn: return ["h"]
        case .lstm: return ["i", "f", "g", "o"]
        case .gru: return ["r", "z", "n"]
        }
    }
}

/// An elementwise nonlinearity.
public enum Activation: String, Codable, CaseIterable, Sendable {
    /// `tanh(x)`, derivative `1 − tanh²(x)`.
    case tanh
    /// `σ(x) = 1 / (1 + e^{−x})`, derivative `σ(x)(1 − σ(x))`.
    case sigmoid
    /// `max(0, x)`, derivative 1 for `x > 0`, else 0.
    case relu
    /// `x`, derivative 1: a linear RNN.
    case identity
}

/// The input/output configurations of the course notes.
public enum Configuration: String, Codable, CaseIterable, Sendable {
    /// One input, one output, one step.
    case oneToOne = "one-to-one"
    /// One input at the first step, an output at every step (later inputs are zero,
    /// unless output feedback or a conditioning vector supplies them).
    case oneToMany = "one-to-many"
    /// A sequence in, one output: the loss is taken at the last step only.
    case manyToOne = "many-to-one"
    /// Aligned: an output and a loss at every step.
    case manyToMany = "many-to-many"
    /// Unaligned many-to-many: an encoder reads the input, a decoder writes the output.
    case encoderDecoder = "encoder-decoder"
}

/// How a fixed vector (a vector-to-sequence input, or an encoder's context C) conditions a recurrent network.
public enum ConditioningMode: String, Codable, CaseIterable, Sendable {
    /// As an extra input at every step of the first layer: `+ W_vec v` in its input projection.
    case input
    /// As the initial state of every layer: `h_0 = tanh(W_init v + b_init)`.
    case initialState = "initial-state"
    /// Both.
    case both

    /// Whether the vector enters every step as an input.
    public var asInput: Bool { self != .initialState }
    /// Whether the vector sets the initial state.
    public var asInitialState: Bool { self != .input }
}

/// What the first layer receives from the previous step's output (the "dashed lines" of the course notes).
public enum Feedback: String, Codable, CaseIterable, Sendable {
    /// No output→hidden connection: outputs are conditionally independent given the hidden states.
    case none
    /// The model's own previous output `y_{t-1}` is an extra input (gradient flows through it).
    case output
    /// The previous target is the extra input instead (teacher forcing; a constant).
    case teacherForcing = "teacher-forcing"
}

/// Depths of the multilayer perceptrons inside the three parameter blocks (deep transition RNNs, Pascanu et al. 2014).
public struct DeepTransition: Codable, Sendable, Equatable {
    /// Hidden layers of the input→hidden MLP before the first recurrent layer (0: none).
    public var input: Int
    /// Hidden layers of the hidden→hidden MLP inside every recurrent layer (0: none).
    public var transition: Int
    /// Hidden layers of the hidden→output MLP before the output layer (0: none).
    public var output: Int
    /// With a transition MLP: also feed `h_{t-1}` straight into the cell, a shortcut across the MLP.
    public var shortcut: Bool

    /// Depths of the three MLPs and whether the transition has a shortcut.
    public init(input: Int = 0, transition: Int = 0, output: Int = 0, shortcut: Bool = false) {
        self.input = input
        self.transition = transition
        self.output = output
        self.shortcut = shortcut
    }
}

/// The shape of a model: everything needed to create its parameters and unroll it.
///
/// Shapes use I input size, H hidden size (per layer), O output size, V
/// conditioning-vector size.
public struct ModelSpec: Codable, Sendable, Equatable {
    /// The recurrent cell of every layer.
    public var cell: CellKind
    /// The Elman cell's nonlinearity (ignored by LSTM and GRU, whose gates fix theirs).
    public var activation: Activation
    /// I: features of the input at each step.
    public var inputSize: Int
    /// H per recurrent layer, bottom first; `count` is the number of stacked layers.
    public var hiddenSizes: [Int]
    /// O: features of the output at each step (classes, for cross-entropy).
    public var outputSize: Int
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
    /// Input features of the decoder with `encoderDecoder` (0: the decoder reads no input).
    public var decoderInputSize: Int

    /// A model; every argument but the sizes has the plain default.
    public init(
        cell: CellKind = .rnn, activation: Activation = .tanh,
        inputSize: Int, hiddenSizes: [Int], outputSize: Int,
        bidirectional: Bool = false, skip: Int? = nil, deep: DeepTransition = DeepTransition(),
        configuration: Configuration = .manyToMany, feedback: Feedback = .none,
        conditioningSize: Int? = nil, conditioning: ConditioningMode = .input,
        decoderInputSize: Int = 0
    ) {
        self.cell = cell
        self.activation = activation
        self.inputSize = inputSize
        self.hiddenSizes = hiddenSizes
        self.outputSize = outputSize
        self.bidirectional = bidirectional
        self.skip = skip
        self.deep = deep
        self.configuration = configuration
        self.feedback = feedback
        self.conditioningSize = conditioningSize
        self.conditioning = conditioning
        self.decoderInputSize = decoderInputSize
    }

    /// Number of stacked recurrent layers.
    public var layerCount: Int { hiddenSizes.count }
    /// 2 when bidirectional, else 1.
    public var directions: Int { bidirectional ? 2 : 1 }
    /// Features of the top layer at one step (both directions joined).
    public var topFeatures: Int { (hiddenSizes.last ?? 0) * directions }

    /// Every problem with this specification, as readable sentences; empty when valid.
    public func problems() -> [String] {
        var p: [String] = []
        if inputSize < 0 || inputSize > 1 << 20 { p.append("inputSize must be from 0 to 1048576, found \(inputSize)") }
        if outputSize < 1 || outputSize > 1 << 20 { p.append("outputSize must be from 1 to 1048576, found \(outputSize)") }
        if hiddenSizes.isEmpty { p.append("at least one hidden layer is needed") }
        for (l, h) in hiddenSizes.enumerated() where h < 1 || h > 4096 {
            p.append("hiddenSizes[\(l)] must be from 1 to 4096, found \(h)")
        }
        if let k = skip, k < 2 { p.append("skip must be at least 2 (k = 1 is the ordinary recurrence), found \(k)") }
        for (name, d) in [("input", deep.input), ("transition", deep.transition), ("output", deep.output)] where d < 0 || d > 16 {
            p.append("deep.\(name) must be from 0 to 16, found \(d)")
        }
        if deep.shortcut && deep.transition == 0 { p.append("deep.shortcut needs a transition MLP (deep.transition ≥ 1)") }
        if bidirectional && feedback != .none && configuration != .encoderDecoder {
            p.append("output feedback needs the previous output, which a bidirectional layer does not have yet")
        }
        if deep.input > 0 && inputSize == 0 { p.append("deep.input needs an input: inputSize must be at least 1") }
        if configuration == .encoderDecoder {
            if decoderInputSize < 0 { p.append("decoderInputSize must be non-negative, found \(decoderInputSize)") }
        } else if let v = conditioningSize, v < 1 {
            p.append("conditioningSize must be at least 1, found \(v)")
        }
        return p
    }
}
