/// How initial weights are drawn.
public enum InitScheme: String, Codable, CaseIterable, Sendable {
    /// PyTorch's default: every recurrent parameter `U(−1/√H, 1/√H)`, linear layers `U(−1/√fan_in, 1/√fan_in)`.
    case uniform
    /// Glorot/Xavier uniform `U(±√(6/(fan_in+fan_out)))` for every weight (per gate block); zero biases.
    case xavier
    /// Each gate block of `W_hh` a random orthogonal matrix; other weights PyTorch's default; zero biases.
    case orthogonal
    /// Each gate block of `W_hh` the identity (IRNN, Le et al. 2015); other weights PyTorch's default; zero biases.
    case identity
    /// Every weight `N(0, std²)`; zero biases.
    case normal
}

/// The initialisation of a model's parameters: a scheme, then optional adjustments.
public struct Initialization: Codable, Sendable, Equatable {
    /// The scheme that draws the weights.
    public var scheme: InitScheme
    /// Standard deviation for `.normal`.
    public var std: Double
    /// When set, each gate block of every `W_hh` is rescaled to this spectral radius ρ afterwards.
    public var spectralRadius: Double?
    /// When set, the LSTM forget-gate bias: `bias_ih` f-block set to this value, `bias_hh` f-block to 0.
    public var forgetBias: Double?

    /// An initialisation; by default PyTorch's.
    public init(
        scheme: InitScheme = .uniform, std: Double = 0.1, spectralRadius: Double? = nil, forgetBias: Double? = nil
    ) {
        self.scheme = scheme
        self.std = std
        self.spectralRadius = spectralRadius
        self.forgetBias = forgetBias
    }
}
