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

/// What the first layer receives from the previous step's output (the "dashed lines" of the course notes,
/// Goodfellow et al. fig. 10.10): the previous output *token*, one-hot, through `W_fb`. The fed value is a
/// constant: no gradient flows back through it (`W_fb` itself has a gradient). The first step is fed zeros.
public enum Feedback: String, Codable, CaseIterable, Sendable {
    /// No output→hidden connection: outputs are conditionally independent given the inputs.
    case none
    /// Running free: the one-hot of the model's own previous choice, argmax y_{t-1} (any loss; a real-valued
    /// output is read as scores over its O columns, as value targets are under cross-entropy).
    case output
    /// Teacher forcing: the one-hot of the previous step's target (a value target's largest column).
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
/// The architecture (``Architecture``: cell, sizes of the hidden layers, skips,
/// configuration…) together with the sizes that follow from the data: I input
/// size, O output size, and the decoder's input size. Every field of the
/// architecture reads and writes as a field of the spec (`spec.cell`,
/// `spec.skip = 3`). Shapes use I input size, H hidden size (per layer), O
/// output size, V conditioning-vector size.
///
/// Its Codable form is one flat object: the architecture's keys next to
/// `inputSize`, `outputSize` and `decoderInputSize`.
@dynamicMemberLookup
public struct ModelSpec: Codable, Sendable, Equatable {
    /// The model's shape apart from the data: cell, layers, connections, configuration.
    public var architecture: Architecture
    /// I: features of the input at each step.
    public var inputSize: Int
    /// O: features of the output at each step (classes, for cross-entropy).
    public var outputSize: Int
    /// Input features of the decoder with `encoderDecoder` (0: the decoder reads no input).
    public var decoderInputSize: Int

    /// A model of `architecture` with the data's sizes.
    public init(architecture: Architecture, inputSize: Int, outputSize: Int, decoderInputSize: Int = 0) {
        self.architecture = architecture
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.decoderInputSize = decoderInputSize
    }

    /// A model; every argument but the sizes has the plain default.
    public init(
        cell: CellKind = .rnn, activation: Activation = .tanh,
        inputSize: Int, hiddenSizes: [Int], outputSize: Int,
        bidirectional: Bool = false, skip: Int? = nil, deep: DeepTransition = DeepTransition(),
        configuration: Configuration = .manyToMany, feedback: Feedback = .none,
        conditioningSize: Int? = nil, conditioning: ConditioningMode = .input,
        decoderInputSize: Int = 0
    ) {
        self.init(
            architecture: Architecture(
                cell: cell, activation: activation, hiddenSizes: hiddenSizes, bidirectional: bidirectional,
                skip: skip, deep: deep, configuration: configuration, feedback: feedback,
                conditioningSize: conditioningSize, conditioning: conditioning),
            inputSize: inputSize, outputSize: outputSize, decoderInputSize: decoderInputSize)
    }

    /// A field of the architecture, read and written as the spec's own (`spec.hiddenSizes`).
    public subscript<V>(dynamicMember path: WritableKeyPath<Architecture, V>) -> V {
        get { architecture[keyPath: path] }
        set { architecture[keyPath: path] = newValue }
    }

    /// A computed property of the architecture, read as the spec's own (`spec.layerCount`).
    public subscript<V>(dynamicMember path: KeyPath<Architecture, V>) -> V {
        architecture[keyPath: path]
    }

    /// The data's sizes, in the same container as the architecture's keys.
    private enum CodingKeys: String, CodingKey {
        case inputSize, outputSize, decoderInputSize
    }

    /// Reads one flat object: the architecture's keys and the three sizes.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            architecture: try Architecture(from: decoder),
            inputSize: try c.decode(Int.self, forKey: .inputSize),
            outputSize: try c.decode(Int.self, forKey: .outputSize),
            decoderInputSize: try c.decode(Int.self, forKey: .decoderInputSize))
    }

    /// Writes one flat object: the architecture's keys and the three sizes.
    public func encode(to encoder: any Encoder) throws {
        try architecture.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(inputSize, forKey: .inputSize)
        try c.encode(outputSize, forKey: .outputSize)
        try c.encode(decoderInputSize, forKey: .decoderInputSize)
    }

    /// Every problem with this specification, as readable sentences; empty when valid:
    /// the sizes', the architecture's (``Architecture/problems()``), and those of the two together.
    public func problems() -> [String] {
        var p: [String] = []
        if inputSize < 0 || inputSize > 1 << 20 { p.append("inputSize must be from 0 to 1048576, found \(inputSize)") }
        if outputSize < 1 || outputSize > 1 << 20 {
            p.append("outputSize must be from 1 to 1048576, found \(outputSize)")
        }
        p += architecture.problems()
        if architecture.deep.input > 0 && inputSize == 0 {
            p.append("deep.input needs an input: inputSize must be at least 1")
        }
        if architecture.configuration == .encoderDecoder && decoderInputSize < 0 {
            p.append("decoderInputSize must be non-negative, found \(decoderInputSize)")
        }
        return p
    }
}
