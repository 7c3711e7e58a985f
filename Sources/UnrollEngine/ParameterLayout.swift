/// The role a parameter plays, which decides how it is initialised.
public enum ParameterRole: String, Codable, Sendable {
    /// A recurrent weight `W_hh` (gate blocks of `H × H`).
    case recurrent
    /// A weight of a recurrent layer other than `W_hh` (input, skip, shortcut, feedback, conditioning).
    case layerWeight
    /// A bias of a recurrent layer.
    case layerBias
    /// A weight of a linear layer (MLPs, output layer, initial-state maps).
    case linearWeight
    /// A bias of a linear layer.
    case linearBias
}

/// The name, shape and role of one parameter.
public struct ParameterDescriptor: Codable, Sendable, Equatable {
    /// PyTorch-style name, e.g. `weight_hh_l0_reverse` or `output.weight`.
    public var name: String
    /// Rows (out features; 1 for a bias).
    public var rows: Int
    /// Columns (in features; the length, for a bias).
    public var cols: Int
    /// Whether this is a vector (a bias), stored as `1 × cols` and exported with shape `[cols]`.
    public var isVector: Bool
    /// How it is initialised.
    public var role: ParameterRole
    /// H of its recurrent layer, or the fan-in of its linear layer: sets PyTorch's uniform bound `1/√scale`.
    public var scale: Int
    /// Number of square gate blocks stacked in its rows (1, 3 or 4); 1 for others.
    public var gateBlocks: Int
}

/// One recurrent layer in one direction of one segment: where its parameters are.
public struct LayerLayout: Sendable, Equatable {
    /// "", "encoder." or "decoder.".
    public var prefix: String
    /// Layer index, 0 at the bottom.
    public var layer: Int
    /// Whether this layer runs from the last step to the first.
    public var reverse: Bool
    /// H.
    public var hiddenSize: Int
    /// Input features of the layer (0: none).
    public var inputSize: Int

    /// The PyTorch suffix: `_l0`, `_l1_reverse`, ….
    public var suffix: String { "_l\(layer)" + (reverse ? "_reverse" : "") }
    /// The full name of one of this layer's parameters, e.g. `name("weight_hh") == "weight_hh_l0"`.
    public func name(_ base: String) -> String { prefix + base + suffix }
    /// The label used in traces and on screen, e.g. `l0`, `l0_reverse`, `encoder.l1`.
    public var label: String { prefix + String(suffix.dropFirst()) }
}

extension ModelSpec {
    /// Segments of the unrolled graph: `[""]`, or `["encoder.", "decoder."]`.
    public var segmentPrefixes: [String] {
        architecture.configuration == .encoderDecoder ? ["encoder.", "decoder."] : [""]
    }

    /// Size of the vector that conditions the network: the encoder's context C, or the conditioning vector.
    public var conditioningFeatures: Int? {
        architecture.configuration == .encoderDecoder ? architecture.topFeatures : architecture.conditioningSize
    }

    /// The recurrent layers of one segment, bottom first, forward before reverse.
    public func layers(prefix: String) -> [LayerLayout] {
        let dirs = prefix == "decoder." ? 1 : architecture.directions
        var out: [LayerLayout] = []
        for (l, h) in architecture.hiddenSizes.enumerated() {
            let input: Int
            if l > 0 {
                input = architecture.hiddenSizes[l - 1] * dirs
            } else if prefix == "decoder." {
                input = decoderInputSize
            } else {
                input = architecture.deep.input > 0 ? architecture.hiddenSizes[0] : inputSize
            }
            for r in 0..<dirs {
                out.append(LayerLayout(prefix: prefix, layer: l, reverse: r == 1, hiddenSize: h, inputSize: input))
            }
        }
        return out
    }

    /// Whether a segment's first layer receives the conditioning vector (or context) each step, and as h0.
    func conditioned(prefix: String) -> (input: Bool, initial: Bool) {
        let has =
            architecture.configuration == .encoderDecoder ? prefix == "decoder." : architecture.conditioningSize != nil
        return (has && architecture.conditioning.asInput, has && architecture.conditioning.asInitialState)
    }

    /// Whether a segment writes outputs (the decoder, or the only segment).
    func writesOutput(prefix: String) -> Bool { prefix != "encoder." }

    /// Every parameter of the model, in a fixed order (the order weights are drawn in).
    public var parameterLayout: [ParameterDescriptor] {
        var out: [ParameterDescriptor] = []
        func add(_ name: String, _ rows: Int, _ cols: Int, _ role: ParameterRole, scale: Int, blocks: Int = 1) {
            let vector = role == .layerBias || role == .linearBias
            out.append(
                ParameterDescriptor(
                    name: name, rows: vector ? 1 : rows, cols: vector ? rows : cols,
                    isVector: vector, role: role, scale: scale, gateBlocks: blocks))
        }
        func linear(_ name: String, _ outF: Int, _ inF: Int) {
            add(name + ".weight", outF, inF, .linearWeight, scale: inF)
            add(name + ".bias", outF, 0, .linearBias, scale: inF)
        }
        let g = architecture.cell.gateCount
        if architecture.deep.input > 0, let h0 = architecture.hiddenSizes.first {
            for j in 0..<architecture.deep.input { linear("input_mlp.\(j)", h0, j == 0 ? inputSize : h0) }
        }
        for prefix in segmentPrefixes {
            let cond = conditioned(prefix: prefix)
            for lay in layers(prefix: prefix) {
                let h = lay.hiddenSize
                if lay.inputSize > 0 {
                    add(lay.name("weight_ih"), g * h, lay.inputSize, .layerWeight, scale: h, blocks: g)
                }
                add(lay.name("weight_hh"), g * h, h, .recurrent, scale: h, blocks: g)
                add(lay.name("bias_ih"), g * h, 0, .layerBias, scale: h)
                add(lay.name("bias_hh"), g * h, 0, .layerBias, scale: h)
                if architecture.skip != nil {
                    add(lay.name("weight_skip"), g * h, h, .layerWeight, scale: h, blocks: g)
                }
                for j in 0..<architecture.deep.transition { linear(lay.name("transition") + ".\(j)", h, h) }
                if architecture.deep.shortcut {
                    add(lay.name("weight_shortcut"), g * h, h, .layerWeight, scale: h, blocks: g)
                }
                if lay.layer == 0, cond.input, let v = conditioningFeatures {
                    add(lay.name("weight_cond"), g * h, v, .layerWeight, scale: h, blocks: g)
                }
                if cond.initial, let v = conditioningFeatures { linear(lay.name("init"), h, v) }
                if lay.layer == 0, architecture.feedback != .none, writesOutput(prefix: prefix) {
                    add(lay.name("weight_fb"), g * h, outputSize, .layerWeight, scale: h, blocks: g)
                }
            }
        }
        let top =
            architecture.configuration == .encoderDecoder
            ? (architecture.hiddenSizes.last ?? 0) : architecture.topFeatures
        for j in 0..<architecture.deep.output { linear("output_mlp.\(j)", top, top) }
        linear("output", outputSize, top)
        return out
    }
}
