import UnrollEngine

extension Lesson {
    /// The lesson `unroll` opens with no arguments.
    public static var defaultLesson: Lesson { memory }

    /// Every built-in lesson, in teaching order.
    public static var builtin: [Lesson] { [memory, vanishing, exploding, lstmGates, gru, skipConnections] }

    /// A built-in lesson by name, or nil.
    public static func builtin(named name: String) -> Lesson? { builtin.first { $0.name == name } }

    /// The memory of an RNN: h_t = tanh(W_h h_{t-1} + W_x x_t), y_t = W_y h_t.
    public static var memory: Lesson {
        Lesson(
            name: "memory", title: "The memory of an RNN",
            summary: "h_t = tanh(W_hh h_{t-1} + W_ih x_t + b): each state carries the words before it",
            hiddenSizes: [6], seed: 1,
            tokens: ["the", "clouds", "are", "in", "the", "sky"],
            captions: [
                Caption(.forward, 0, "Step 1 reads 'the'. h0 is all zeros, so h1 depends on 'the' alone."),
                Caption(.forward, 1, "h2 mixes the new word 'clouds' with h1: the memory of 'the'. The same W_hh and W_ih are used at every step."),
                Caption(.forward, 3, "Each y_t scores every word of the vocabulary as the next word; the loss compares it with the word that really comes next."),
                Caption(.forward, 5, "At 'sky' the state has seen the whole sentence. The total loss is the sum of the losses of every step."),
                Caption(.backward, 5, "Backward through time: the last loss sends ∂L/∂h6 into the last state."),
                Caption(.backward, 4, "∂L/∂h5 adds the gradient from step 6, carried back through W_hh and tanh', to the loss of step 5."),
                Caption(.backward, 0, "The gradient at step 1 sums every later loss: BPTT. Its W_hh gradient is the sum over all steps, since the weights are shared."),
            ])
    }

    /// Vanishing gradients and long-term dependencies.
    public static var vanishing: Lesson {
        Lesson(
            name: "vanishing", title: "Vanishing gradients: I grew up in France ... I speak fluent French",
            summary: "a tanh RNN with σ_max(W_hh) < 1: the last word's gradient fades over the sentence",
            hiddenSizes: [8], configuration: .manyToOne,
            initialization: Initialization(scheme: .orthogonal, spectralRadius: 0.6), seed: 3,
            tokens: ["I", "grew", "up", "in", "France", "and", "I", "now", "speak", "fluent"],
            targets: ["French"],
            captions: [
                Caption(.forward, 4, "'France' enters at step 5. The answer, 'French', is needed five steps later."),
                Caption(.forward, 9, "The loss is taken at the last step only (many-to-one)."),
                Caption(.backward, 9, "The gradient starts at the last step ..."),
                Caption(.backward, 4, "... and by 'France' it has shrunk by σ_max(W_hh)^k or more: the gradient panel shows it against the bound."),
                Caption(.backward, 0, "Press ] to raise the spectral radius and watch the decay slow down, then explode."),
            ])
    }

    /// Exploding gradients, NaN and clipping.
    public static var exploding: Lesson {
        Lesson(
            name: "exploding", title: "Exploding gradients and clipping",
            summary: "σ_max(W_hh) well above 1: gradients grow step by step; clipping bounds the update",
            activation: .identity, hiddenSizes: [6],
            initialization: Initialization(scheme: .orthogonal, spectralRadius: 2.5), seed: 4,
            tokens: ["feeling", "under", "the", "weather", "today", "and", "yesterday", "too"],
            captions: [
                Caption(.forward, 7, "A linear RNN with spectral radius 2.5: every step multiplies the state by up to 2.5."),
                Caption(.backward, 7, "Backward, the gradient is multiplied by W_hhᵀ at every step ..."),
                Caption(.backward, 0, "... and grows by 2.5^k. Press x to clip the gradient norm at 1."),
            ])
    }

    /// LSTM gates.
    public static var lstmGates: Lesson {
        Lesson(
            name: "lstm", title: "LSTM gates: Alice is allergic to nuts. She can't eat peanut butter.",
            summary: "input, forget and output gates and the cell state that carries 'allergic'",
            cell: .lstm, hiddenSizes: [6], initialization: Initialization(forgetBias: 1), seed: 5,
            tokens: ["Alice", "is", "allergic", "to", "nuts", "she", "can't", "eat", "peanut", "butter"],
            captions: [
                Caption(.forward, 2, "'allergic': the input gate i decides how much of the candidate g is written to the cell state c."),
                Caption(.forward, 5, "The forget gate f decides how much of c survives each step; its bias starts at 1, so it starts open."),
                Caption(.forward, 9, "The output gate o decides how much of tanh(c) is read out as h."),
                Caption(.backward, 9, "Backward, ∂L/∂c flows along the cell state multiplied only by f: the path that does not vanish."),
            ])
    }

    /// GRU gates.
    public static var gru: Lesson {
        Lesson(
            name: "gru", title: "GRU: reset and update gates",
            summary: "one state, an update gate z that keeps it and a reset gate r that forgets it",
            cell: .gru, hiddenSizes: [6], seed: 6,
            tokens: ["I", "went", "to", "Nepal", "in", "1999"],
            captions: [
                Caption(.forward, 0, "h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}: where z is near 1 the state is kept unchanged."),
                Caption(.forward, 3, "The reset gate r scales what the candidate n reads of h_{t-1}."),
                Caption(.backward, 5, "The z ⊙ h_{t-1} path carries gradient back with factor z: a GRU has fewer parameters than an LSTM and a similar highway."),
            ])
    }

    /// Skip connections shorten the path between distant steps.
    public static var skipConnections: Lesson {
        Lesson(
            name: "skip", title: "Skip connections: h_{t-3} feeds h_t",
            summary: "a skip of k steps shortens the path from the loss to early steps k-fold",
            hiddenSizes: [8], skip: 3, configuration: .manyToOne,
            initialization: Initialization(scheme: .orthogonal, spectralRadius: 0.6), seed: 3,
            tokens: ["I", "grew", "up", "in", "France", "and", "I", "now", "speak", "fluent"],
            targets: ["French"],
            captions: [
                Caption(.forward, 3, "Besides h_{t-1}, each step reads h_{t-3} through its own weight W_skip."),
                Caption(.backward, 0, "The gradient panel compares this model with the same one without skips: the decay per step is far slower."),
            ])
    }
}
