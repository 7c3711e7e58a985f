import UnrollEngine

extension Lesson {
    /// The lesson `unroll` opens with no arguments.
    public static var defaultLesson: Lesson { memory }

    /// Every built-in lesson, in teaching order: memory and shared weights, the configurations,
    /// output feedback, vector-to-sequence, encoder–decoder, bidirectional, the activations,
    /// BPTT, long-term dependencies and the gradient problems, gated cells, deep RNNs, then training.
    public static var builtin: [Lesson] {
        [
            memory, sharing,
            oneToOne, oneToMany, manyToOne, manyToMany,
            outputFeedback, teacherForcing,
            imageCaption, imageCaptionInitialState, imageCaptionBoth,
            seq2seq, seq2seqInitialState, seq2seqBoth,
            bidirectionalLesson,
            sigmoidLesson, tanhLesson, reluLesson,
            bptt, truncated,
            clouds, vanishing, exploding, overflow,
            lstmGates, gru,
            stacked, deepTransition, shortcut, skipConnections,
        ] + trainingLessons
    }

    /// A built-in lesson by name, or nil.
    public static func builtin(named name: String) -> Lesson? { builtin.first { $0.name == name } }

    // MARK: Memory and shared weights

    /// The memory of an RNN: h_t = tanh(W_h h_{t-1} + W_x x_t), y_t = W_y h_t.
    public static var memory: Lesson {
        Lesson(
            name: "memory", title: "The memory of an RNN",
            summary: "h_t = tanh(W_hh h_{t-1} + W_ih x_t + b): each state carries the words before it",
            hiddenSizes: [6], seed: 1,
            tokens: ["the", "clouds", "are", "in", "the", "sky"],
            captions: [
                Caption(.forward, 0, "Step 1 reads 'the'. h0 is all zeros, so h1 depends on 'the' alone."),
                Caption(.forward, 1, "h2 mixes the new word 'clouds' with h1, the memory of 'the'. The same W_hh and W_ih serve every step."),
                Caption(.forward, 3, "y_t = W_hy h_t scores every word as the next one; the loss compares it with the word that comes next."),
                Caption(.forward, 4, "Step 5 reads 'the' again, as step 1 did, yet h5 ≠ h1: the state remembers 'clouds are in'."),
                Caption(.forward, 5, "At 'sky' the state has seen the whole sentence. The total loss sums the losses of every step."),
                Caption(.backward, 5, "Backward through time: the last loss sends ∂L/∂h6 into the last state."),
                Caption(.backward, 4, "∂L/∂h5 = the loss of step 5 + the gradient of step 6 carried back through W_hh and tanh'."),
                Caption(.backward, 0, "∂L/∂h1 gathers every later loss. W_hh's gradient sums over all steps, since the weight is shared."),
            ])
    }

    /// Parameter sharing: the same weights find the year wherever it is.
    public static var sharing: Lesson {
        Lesson(
            name: "sharing", title: "Shared weights: where is the year?",
            summary: "'I went to Nepal in 1999' and 'In 1999 I went to Nepal': one set of weights tags 1999 anywhere",
            hiddenSizes: [6], seed: 7,
            tokens: ["I", "went", "to", "Nepal", "in", "1999", ".", "In", "1999", "I", "went", "to", "Nepal"],
            targets: ["-", "-", "-", "-", "-", "YEAR", "-", "-", "YEAR", "-", "-", "-", "-"],
            captions: [
                Caption(.forward, 0, "A tagger: at each word the RNN answers YEAR or -. One W_ih, W_hh and W_hy serve every column."),
                Caption(.forward, 5, "'1999' at step 6 of 'I went to Nepal in 1999'. W_ih x_t picks W_ih's '1999' column."),
                Caption(.forward, 8, "'In 1999 I went to Nepal': '1999' at step 2 of this sentence gets the very same W_ih column."),
                Caption(.forward, 12, "A feed-forward net would need weights per position; the RNN learns 'a year' once for every position."),
                Caption(.backward, 12, "Backward: every column adds its error to the same shared weights."),
                Caption(.backward, 8, "The YEAR error here and the one at step 6 both land in W_ih's '1999' column: learned once, used anywhere."),
                Caption(.backward, 0, "∂L/∂W sums over all 13 steps. Sharing is what lets an RNN generalise across positions and lengths."),
            ])
    }

    // MARK: Configurations

    /// One-to-one: a single step, a feed-forward network.
    public static var oneToOne: Lesson {
        Lesson(
            name: "one2one", title: "One-to-one: a single step",
            summary: "one input, one output, one step: W_hh only meets h0 = 0 and learns nothing",
            hiddenSizes: [4], configuration: .oneToOne, seed: 2,
            tokens: ["clouds"], targets: ["sky"],
            captions: [
                Caption(.forward, 0, "One-to-one: one input, one output, one step. h1 = tanh(W_ih x1 + b), because h0 = 0."),
                Caption(.backward, 0, "W_hh multiplies h0 = 0, so its gradient is exactly 0: with one step an RNN is a feed-forward net."),
            ])
    }

    /// One-to-many: one input, a sequence out.
    public static var oneToMany: Lesson {
        Lesson(
            name: "one2many", title: "One-to-many: one word in, a sequence out",
            summary: "'feeling' is read once; 'under the weather' is written from memory alone",
            hiddenSizes: [6], configuration: .oneToMany, seed: 2,
            tokens: ["feeling"], targets: ["under", "the", "weather", "<eos>"],
            captions: [
                Caption(.forward, 0, "One-to-many (think music generation): 'feeling' is read at step 1 only; every step writes an output."),
                Caption(.forward, 1, "From step 2 on x_t = 0: h_t = tanh(W_hh h_{t-1} + b) runs on memory alone."),
                Caption(.forward, 3, "'under the weather <eos>' must all be unrolled from what 'feeling' left in h1."),
                Caption(.backward, 3, "Backward: every step's loss flows back towards step 1, the only step that saw the input."),
                Caption(.backward, 0, "∂L/∂h1 gathers all four losses. W_ih learns only at step 1; W_hh at every step."),
            ])
    }

    /// Many-to-one: a sequence summarised by its last state.
    public static var manyToOne: Lesson {
        Lesson(
            name: "many2one", title: "Many-to-one: summarise the sequence",
            summary: "read 'feeling under the weather', output one word at the end: 'ill'",
            hiddenSizes: [6], configuration: .manyToOne, seed: 2,
            tokens: ["feeling", "under", "the", "weather"], targets: ["ill"],
            captions: [
                Caption(.forward, 0, "Many-to-one (think sentiment): the RNN reads the whole idiom; only the last output counts."),
                Caption(.forward, 3, "h4 is a fixed-size summary of the sequence. y4 should say 'ill', what the idiom means."),
                Caption(.backward, 3, "One loss, at the last step. Its gradient enters at h4 ..."),
                Caption(.backward, 2, "... the other outputs have no loss, so they send no gradient: ∂L/∂y is zero there."),
                Caption(.backward, 0, "... and reaches 'feeling' only back through W_hh, step after step."),
            ])
    }

    /// Many-to-many, aligned: an output at every step.
    public static var manyToMany: Lesson {
        Lesson(
            name: "many2many", title: "Many-to-many, aligned: predict the next word",
            summary: "one output per input: after each word of 'feeling under the weather', guess the next",
            hiddenSizes: [6], seed: 2,
            tokens: ["feeling", "under", "the", "weather"],
            captions: [
                Caption(.forward, 0, "Aligned many-to-many: one input and one output per step. Each y_t guesses the next word."),
                Caption(.forward, 1, "To say 'the' after 'under' the RNN must know 'feeling' came first: the order matters."),
                Caption(.forward, 3, "The last target is <eos>: the idiom ends. The total loss sums the four step losses."),
                Caption(.backward, 3, "Backward, each step adds its own loss to what flows back from later steps ..."),
                Caption(.backward, 0, "... so ∂L/∂h1 carries all four errors: BPTT sums the errors over time steps."),
            ])
    }

    // MARK: Output feedback (the dashed lines)

    private static let frenchTokens = ["the", "clouds", "are", "in", "the", "sky"]
    private static let frenchTargets = ["les", "nuages", "sont", "dans", "le", "ciel"]

    /// Output→hidden feedback: y_{t-1} feeds h_t.
    public static var outputFeedback: Lesson {
        Lesson(
            name: "feedback", title: "The dashed lines: output feedback",
            summary: "y_{t-1} is an extra input of h_t: the outputs are no longer independent given the inputs",
            hiddenSizes: [6], feedback: .output, seed: 8,
            tokens: frenchTokens, targets: frenchTargets,
            captions: [
                Caption(.forward, 0, "Word-by-word translation. The dashed line feeds y_{t-1} into h_t through W_fb; at step 1 it feeds 0."),
                Caption(.forward, 1, "h2 reads 'clouds' and y1, its own previous guess."),
                Caption(.forward, 4, "'le' or 'la'? With the dashed lines, y_t depends on past x's and on past y's."),
                Caption(.forward, 5, "Without them, the y_t would be independent of each other given the inputs."),
                Caption(.backward, 5, "Backward: ∂L/∂y_t gets a second term, later errors coming back through the dashed line."),
                Caption(.backward, 0, "Open 'teacher': feeding the true word instead removes that extra gradient."),
            ])
    }

    /// Teacher forcing: the previous target feeds h_t.
    public static var teacherForcing: Lesson {
        Lesson(
            name: "teacher", title: "Teacher forcing",
            summary: "the dashed line carries the true previous word, a constant, instead of the model's guess",
            hiddenSizes: [6], feedback: .teacherForcing, seed: 8,
            tokens: frenchTokens, targets: frenchTargets,
            captions: [
                Caption(.forward, 0, "Teacher forcing: the dashed line feeds the correct previous word, not y_{t-1}. Step 1 gets 0."),
                Caption(.forward, 1, "Step 2 is fed 'les', the right answer of step 1, whatever y1 said."),
                Caption(.forward, 5, "In training the true words are known. At test time they are not, and y_{t-1} is fed instead."),
                Caption(.backward, 5, "Backward: the fed word is a constant, so no gradient flows back along the dashed line."),
                Caption(.backward, 0, "Each ∂L/∂y_t is just softmax(y_t) − onehot(target): every error stays at its own step."),
            ])
    }

    // MARK: Vector to sequence

    private static let skyCaption = ["the", "clouds", "are", "in", "the", "sky"]

    private static func imageCaption(name: String, title: String, summary: String,
                                     mode: ConditioningMode, captions: [Caption]) -> Lesson {
        Lesson(
            name: name, title: title, summary: summary,
            hiddenSizes: [6], configuration: .oneToMany, conditioningSize: 5, conditioning: mode, seed: 9,
            tokens: ["<start>"], targets: skyCaption, captions: captions)
    }

    /// Vector to sequence, the vector as an extra input at every step.
    public static var imageCaption: Lesson {
        imageCaption(
            name: "caption", title: "Image captioning: v as input at every step",
            summary: "a fixed vector v (an image) enters every step as an extra input: + W_cond v",
            mode: .input,
            captions: [
                Caption(.forward, 0, "Vector to sequence: v, 5 numbers standing for an image, is added at every step as W_cond v."),
                Caption(.forward, 1, "Step 2 reads no word, but reads v again with h1."),
                Caption(.forward, 5, "Six words, 'the clouds are in the sky', written from one fixed vector."),
                Caption(.backward, 5, "Backward: every step sends gradient straight to v through W_cond ..."),
                Caption(.backward, 0, "... so ∂L/∂v sums six short paths. Compare caption-h0, where v only sets h0."),
            ])
    }

    /// Vector to sequence, the vector as the initial state.
    public static var imageCaptionInitialState: Lesson {
        imageCaption(
            name: "caption-h0", title: "Image captioning: v as the initial state",
            summary: "the vector v sets h0 = tanh(W_init v + b) and is never read again",
            mode: .initialState,
            captions: [
                Caption(.forward, 0, "v as the initial state: h0 = tanh(W_init v + b) is not zero, so step 1 already carries the image."),
                Caption(.forward, 1, "Later steps see v only through the memory, passed on by W_hh."),
                Caption(.forward, 5, "By 'sky' the image has been carried five steps; nothing refreshed it."),
                Caption(.backward, 5, "Backward: the last word's error must cross every step to reach v ..."),
                Caption(.backward, 0, "... and enters v only through h0. Compare caption (v at every step) and caption-both."),
            ])
    }

    /// Vector to sequence, the vector as initial state and input.
    public static var imageCaptionBoth: Lesson {
        imageCaption(
            name: "caption-both", title: "Image captioning: v as h0 and as input",
            summary: "the vector v sets h0 and is also added at every step",
            mode: .both,
            captions: [
                Caption(.forward, 0, "Both: v sets h0 = tanh(W_init v + b) and is added at every step through W_cond."),
                Caption(.forward, 5, "The state starts from the image and is reminded of it at every word."),
                Caption(.backward, 0, "∂L/∂v collects gradient through h0 and through every step's W_cond."),
            ])
    }

    // MARK: Encoder–decoder

    private static func seq2seq(name: String, title: String, summary: String,
                                mode: ConditioningMode, captions: [Caption]) -> Lesson {
        Lesson(
            name: name, title: title, summary: summary,
            hiddenSizes: [6], configuration: .encoderDecoder, conditioning: mode, seed: 10,
            tokens: ["I", "speak", "fluent", "French"],
            targets: ["je", "parle", "couramment", "le", "français"], captions: captions)
    }

    /// Encoder–decoder with the context C as input at every decoder step.
    public static var seq2seq: Lesson {
        seq2seq(
            name: "seq2seq", title: "Encoder–decoder: C at every step",
            summary: "an encoder reads 'I speak fluent French' into C; a decoder writes 'je parle couramment le français'",
            mode: .input,
            captions: [
                Caption(.forward, 0, "The encoder reads 'I speak fluent French'. It writes no output."),
                Caption(.forward, 3, "Its last state is the context C: a fixed-size summary of the whole input."),
                Caption(.forward, 4, "The decoder starts from <eos>. Here C is an extra input of every decoder step."),
                Caption(.forward, 5, "It reads the previous French word and writes the next: 5 words out for 4 in."),
                Caption(.forward, 8, "Input and output lengths differ: many-to-many, not aligned."),
                Caption(.backward, 8, "Backward: each decoder loss flows back through the decoder and into C ..."),
                Caption(.backward, 3, "... from C into the encoder's last state, then back through the encoder."),
                Caption(.backward, 0, "One loss trains both RNNs jointly: log P(y1..y5 | x1..x4)."),
            ])
    }

    /// Encoder–decoder with the context C as the decoder's initial state.
    public static var seq2seqInitialState: Lesson {
        seq2seq(
            name: "seq2seq-h0", title: "Encoder–decoder: C as the decoder's h0",
            summary: "the context C sets the decoder's initial state and is not read again",
            mode: .initialState,
            captions: [
                Caption(.forward, 3, "The encoder's last state gives the context C."),
                Caption(.forward, 4, "The decoder's h0 = tanh(W_init C + b): C only sets where the decoder starts."),
                Caption(.forward, 8, "By 'français' C has been carried five steps by the decoder's W_hh alone."),
                Caption(.backward, 4, "Every decoder loss reaches the encoder only through h0 ..."),
                Caption(.backward, 0, "... a single doorway. Compare seq2seq, where C enters every decoder step."),
            ])
    }

    /// Encoder–decoder with the context C as initial state and input.
    public static var seq2seqBoth: Lesson {
        seq2seq(
            name: "seq2seq-both", title: "Encoder–decoder: C as h0 and as input",
            summary: "the context C sets the decoder's h0 and enters every decoder step",
            mode: .both,
            captions: [
                Caption(.forward, 4, "Both: C sets the decoder's h0 and is an extra input of every decoder step."),
                Caption(.backward, 3, "The encoder's last state gets gradient through h0 and through every step's use of C."),
            ])
    }

    // MARK: Bidirectional

    /// Bidirectional: h from the past, g from the future.
    public static var bidirectionalLesson: Lesson {
        Lesson(
            name: "bidir", title: "Bidirectional: feeling ___ the weather",
            summary: "h reads the past, g reads the future: 'weather' helps guess the hidden 'under'",
            hiddenSizes: [4], bidirectional: true, seed: 11,
            tokens: ["feeling", "___", "the", "weather"], targets: ["feeling", "under", "the", "weather"],
            lossSteps: .only([1]),
            captions: [
                Caption(.forward, 0, "Two RNNs: h runs left to right over the past, g right to left over the future (row h l0←)."),
                Caption(.forward, 1, "Step 2 hides its word. From 'feeling ___' alone, h2 cannot know it is 'under'."),
                Caption(.forward, 3, "g2 was computed from 'weather' back to step 2. y2 reads [h2 | g2]: past and future."),
                Caption(.backward, 3, "The loss is at step 2 only. Its gradient flows back in time along h ..."),
                Caption(.backward, 1, "... and forward in time along g, towards 'weather'. Select g with ↑↓ to see it."),
                Caption(.backward, 0, "h at steps 3-4 and g at step 1 get zero gradient: they never see step 2."),
            ])
    }

    // MARK: Activations

    private static func activationLesson(_ name: String, _ activation: Activation, title: String, summary: String,
                                         captions: [Caption]) -> Lesson {
        Lesson(
            name: name, title: title, summary: summary, activation: activation, hiddenSizes: [6],
            initialization: Initialization(scheme: .normal, std: 0.8), seed: 12,
            tokens: ["the", "clouds", "are", "in", "the", "sky"], captions: captions)
    }

    /// The sigmoid RNN.
    public static var sigmoidLesson: Lesson {
        activationLesson(
            "sigmoid", .sigmoid, title: "Sigmoid: σ(a) = 1 / (1 + e^−a)",
            summary: "h in (0, 1); σ' = σ(1 − σ) is at most 1/4, and near 0 where the unit saturates",
            captions: [
                Caption(.forward, 0, "h_t = σ(a_t) lies in (0, 1). σ'(a) = σ(1 − σ) peaks at 1/4, where a = 0 and h = 0.5."),
                Caption(.forward, 1, "Step 2, unit 2: a = −2.3, so h = 0.09 and σ' = 0.08. A saturated unit passes almost no gradient."),
                Caption(.backward, 5, "Backward, each step multiplies the gradient by σ'(a_t) ≤ 1/4, and by W_hhᵀ."),
                Caption(.backward, 3, "So ‖∂h_t/∂h_t-1‖ ≤ σmax(W_hh)/4: the gradient shrinks at least 4× faster than W_hh alone would make it."),
                Caption(.backward, 0, "∂L6/∂h fell over 20-fold in 5 steps, though σmax(W_hh) = 3.2. Compare tanh and relu: same weights."),
            ])
    }

    /// The tanh RNN.
    public static var tanhLesson: Lesson {
        activationLesson(
            "tanh", .tanh, title: "tanh: h in (−1, 1)",
            summary: "tanh' = 1 − h² is at most 1, at a = 0, and near 0 where the unit saturates",
            captions: [
                Caption(.forward, 0, "h_t = tanh(a_t) lies in (−1, 1) and is centred on 0. tanh'(a) = 1 − h² peaks at 1, at a = 0."),
                Caption(.forward, 4, "Step 5: four units have |a| > 1.7, so |h| > 0.94 and tanh' < 0.12: they are saturated."),
                Caption(.backward, 5, "Backward, each step multiplies the gradient by tanh'(a_t) ≤ 1, and by W_hhᵀ."),
                Caption(.backward, 3, "‖∂h_t/∂h_t-1‖ ≤ σmax(W_hh) = 3.2: four times the sigmoid's bound. Saturated units still block."),
                Caption(.backward, 0, "With these weights ∂L6/∂h does not fade: it is larger at step 1 than at step 6. Compare sigmoid."),
            ])
    }

    /// The ReLU RNN.
    public static var reluLesson: Lesson {
        activationLesson(
            "relu", .relu, title: "ReLU: h = max(0, a)",
            summary: "ReLU' is 1 for a > 0 and 0 otherwise: no saturation, but dead units and no bound above",
            captions: [
                Caption(.forward, 0, "h_t = max(0, a_t): negative pre-activations give exactly 0. h is not bounded above."),
                Caption(.forward, 1, "Step 2: five of six units have a ≤ 0, so h = 0 and ReLU' = 0. ReLU' is 1 or 0: all or nothing."),
                Caption(.backward, 5, "Backward, active units pass the gradient unchanged: no saturation, no 1/4."),
                Caption(.backward, 3, "Units at 0 block it completely. ‖∂h_t/∂h_t-1‖ ≤ σmax(W_hh) = 3.2, the tanh bound."),
                Caption(.backward, 0, "Nothing bounds h or the gradient when units are active: press ] a few times and watch."),
            ])
    }

    // MARK: Backpropagation through time

    /// BPTT, step by step.
    public static var bptt: Lesson {
        Lesson(
            name: "bptt", title: "Backpropagation through time, step by step",
            summary: "the training phase: forward over every step, then errors flow back and are summed over time",
            hiddenSizes: [4], seed: 13,
            tokens: ["Alice", "is", "allergic", "to", "nuts"],
            captions: [
                Caption(.forward, 0, "Training. One time step of the input goes in: h1 from x1 and h0."),
                Caption(.forward, 1, "The state is computed from the current input and the previous state."),
                Caption(.forward, 2, "Every h_t is kept for the backward pass: BPTT's memory grows with the sequence length."),
                Caption(.forward, 4, "All steps done. Each output is compared with its target; the errors are summed into L."),
                Caption(.backward, 4, "BPTT starts at the end: ∂L/∂h5 is the error of the last output alone, W_hyᵀ ∂L5/∂y5."),
                Caption(.backward, 3, "∂L/∂h4 = its own error + W_hhᵀ (tanh'(a5) ⊙ ∂L/∂h5): the future's error comes back."),
                Caption(.backward, 1, "The same rule at every step: local error plus what flows back from step t+1."),
                Caption(.backward, 0, "∂L/∂W_hh = Σ_t (tanh'(a_t) ⊙ ∂L/∂h_t) h_{t-1}ᵀ: one gradient for the shared weight."),
            ])
    }

    /// Truncated BPTT in chunks.
    public static var truncated: Lesson {
        Lesson(
            name: "truncated", title: "Truncated BPTT: chunks of 4 steps",
            summary: "the state is carried across chunks, the gradient is not",
            hiddenSizes: [6], seed: 14,
            tokens: ["I", "grew", "up", "in", "France", "so", "I", "speak", "fluent", "French"],
            truncation: 4,
            captions: [
                Caption(.forward, 0, "Truncated BPTT, chunks of 4 steps: 1-4, 5-8, 9-10. The forward pass is unchanged."),
                Caption(.forward, 4, "Step 5 starts chunk 2. h4 is passed on as a value, but no gradient will cross back."),
                Caption(.forward, 8, "Chunk 3. Predicting 'French' at step 9 needs 'France' from step 5, in an earlier chunk."),
                Caption(.backward, 9, "Backward runs inside each chunk only. Chunk 3: steps 10 and 9 ..."),
                Caption(.backward, 7, "... and stops. ∂L/∂h8 has no part from chunk 3: 'French' cannot teach 'France'."),
                Caption(.backward, 4, "Chunk 2 is backpropagated on its own, from step 8 to step 5."),
                Caption(.backward, 0, "Memory and time per update scale with 4, not 10. The price: no dependency longer than a chunk."),
            ])
    }

    // MARK: Long-term dependencies

    /// A short gap: the clouds are in the sky.
    public static var clouds: Lesson {
        Lesson(
            name: "clouds", title: "A short gap: the clouds are in the sky",
            summary: "'clouds' is 3 steps before the answer 'sky': the gradient still gets there",
            hiddenSizes: [8], configuration: .manyToOne,
            initialization: Initialization(scheme: .orthogonal, spectralRadius: 0.6), seed: 3,
            tokens: ["the", "clouds", "are", "in", "the"], targets: ["sky"],
            captions: [
                Caption(.forward, 1, "'clouds' at step 2 is what makes 'sky' the answer. It is needed at step 5: a gap of 3 steps."),
                Caption(.forward, 4, "Many-to-one: the loss is taken at the last step only."),
                Caption(.backward, 4, "The gradient starts at the last step ..."),
                Caption(.backward, 1, "... and reaches 'clouds' 3 steps back still at about a fifth of its size: a short gap is learnable."),
                Caption(.backward, 0, "Next, vanishing: the same kind of model, a long gap."),
            ])
    }

    /// Vanishing gradients and long-term dependencies.
    public static var vanishing: Lesson {
        Lesson(
            name: "vanishing", title: "Vanishing: I grew up in France … fluent French",
            summary: "a tanh RNN with σ_max(W_hh) < 1: the last word's gradient fades over a long gap",
            hiddenSizes: [8], configuration: .manyToOne,
            initialization: Initialization(scheme: .orthogonal, spectralRadius: 0.6), seed: 3,
            tokens: ["I", "grew", "up", "in", "France", "where", "we", "lived", "now", "I", "speak", "fluent"],
            targets: ["French"],
            captions: [
                Caption(.forward, 4, "'France' enters at step 5. The answer, 'French', is needed at step 12: a gap of 7 steps."),
                Caption(.forward, 11, "The loss is taken at the last step only (many-to-one)."),
                Caption(.backward, 11, "The gradient starts at the last step ..."),
                Caption(.backward, 8, "... each step multiplies it by at most σ_max(W_hh) = 0.6: the dashed bound in the gradient panel."),
                Caption(.backward, 4, "At 'France' it is about 50 times smaller than at the end, at step 1 about 500: 'France' hardly learns."),
                Caption(.backward, 0, "Press ] to raise the spectral radius and watch the decay slow down, then explode."),
            ])
    }

    /// Exploding gradients and clipping.
    public static var exploding: Lesson {
        Lesson(
            name: "exploding", title: "Exploding gradients and clipping",
            summary: "σ_max(W_hh) well above 1: gradients grow step by step; clipping bounds the update",
            activation: .identity, hiddenSizes: [6],
            initialization: Initialization(scheme: .orthogonal, spectralRadius: 2.5), seed: 4,
            tokens: ["feeling", "under", "the", "weather", "today", "and", "yesterday", "too"],
            captions: [
                Caption(.forward, 0, "A linear RNN (h_t = W_hh h_t-1 + W_ih x_t) with every singular value of W_hh 2.5."),
                Caption(.forward, 7, "Each step multiplies the state by 2.5: h8 carries h1 × 2.5⁷ ≈ 600."),
                Caption(.backward, 7, "Backward, the gradient is multiplied by W_hhᵀ at every step ..."),
                Caption(.backward, 3, "... and grows by 2.5 per step, bar after bar: an exploding gradient."),
                Caption(.backward, 0, "The update would be huge. Press x: clipping rescales it to norm 1, keeping its direction."),
            ])
    }

    /// Overflow to Inf and NaN.
    public static var overflow: Lesson {
        Lesson(
            name: "nan", title: "Exploded: Inf and NaN",
            summary: "weights that have run away in training, in Float: the loss overflows to Inf, the gradients follow",
            activation: .identity, hiddenSizes: [6],
            initialization: Initialization(scheme: .orthogonal, spectralRadius: 30), seed: 4,
            tokens: "I grew up in France so I speak fluent French and I still dream in French".split(separator: " ").map(String.init),
            loss: .mse,
            captions: [
                Caption(.forward, 0, "Weights that ran away in training: W_hh has spectral radius 30, no activation bounds h, and numbers are Float."),
                Caption(.forward, 7, "h grows about 30-fold per step, the squared error 900-fold. A Float holds at most about 3.4e38."),
                Caption(.forward, 14, "Step 15: the loss overflows to Inf. The column is marked with !, and the total loss is Inf."),
                Caption(.backward, 15, "Backward from an Inf loss, the gradient is multiplied by W_hhᵀ, about 30-fold, at every step ..."),
                Caption(.backward, 3, "... and overflows at step 4: the gradient panel says where NaN/Inf begins."),
                Caption(.backward, 0, "Press x: clipping scales by 1/norm = 1/Inf = 0, and 0 × Inf is NaN. Clip before it overflows."),
            ],
            precision: .float32)
    }

    // MARK: Gated cells

    /// LSTM gates.
    public static var lstmGates: Lesson {
        Lesson(
            name: "lstm", title: "LSTM gates: Alice is allergic to nuts",
            summary: "input, forget and output gates and the cell state that carries 'allergic'",
            cell: .lstm, hiddenSizes: [6], initialization: Initialization(forgetBias: 1), seed: 5,
            tokens: ["Alice", "is", "allergic", "to", "nuts", "she", "can't", "eat", "peanut", "butter"],
            captions: [
                Caption(.forward, 0, "An LSTM keeps a cell state c beside h. Three gates (σ, in 0..1) control it."),
                Caption(.forward, 2, "'allergic': the input (write) gate i decides how much of the candidate g is written to c."),
                Caption(.forward, 5, "The forget (reset) gate f decides how much of c survives each step; its bias starts at 1, so mostly open."),
                Caption(.forward, 9, "The output (read) gate o decides how much of tanh(c) is read out as h: 'peanut butter' needs 'nuts'."),
                Caption(.backward, 9, "Backward, ∂L/∂c flows along the cell state multiplied only by f ..."),
                Caption(.backward, 2, "... no W_hh and no tanh' on that path: from step 9 to step 1 it fades only about 3-fold."),
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
                Caption(.forward, 0, "A GRU merges cell and hidden state into one h, and has two gates instead of three."),
                Caption(.forward, 1, "h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}: the update gate z does the work of forget and input gates."),
                Caption(.forward, 3, "The reset gate r scales what the candidate n reads of h_{t-1}."),
                Caption(.forward, 5, "3 gate blocks, not 4: this layer has 270 weights, an LSTM of the same size 360. Press c to compare."),
                Caption(.backward, 5, "The z ⊙ h_{t-1} path carries gradient back with factor z: a highway like the LSTM's cell."),
            ])
    }

    // MARK: Deep RNNs

    /// Stacked recurrent layers.
    public static var stacked: Lesson {
        Lesson(
            name: "stacked", title: "Stacked RNN: three layers",
            summary: "the hidden state split into groups organised hierarchically, each layer with its own W_hh",
            hiddenSizes: [5, 5, 5], seed: 15,
            tokens: ["I", "grew", "up", "in", "France"],
            captions: [
                Caption(.forward, 0, "Three layers: l0 reads the word, l1 reads h of l0, l2 reads h of l1. Each has its own W_hh."),
                Caption(.forward, 1, "Lower layers turn raw words into a representation the higher layers can use."),
                Caption(.forward, 4, "Only the top layer writes y_t. Press ↑↓ to select a layer and inspect it."),
                Caption(.backward, 4, "Backward, the gradient moves back in time within each layer and down from layer to layer."),
                Caption(.backward, 0, "l0 at step 1 is reached along many paths: back-then-down or down-then-back."),
            ],
            display: Display(selectedLayer: 2))
    }

    /// Deep transition: an MLP between h_{t-1} and h_t.
    public static var deepTransition: Lesson {
        Lesson(
            name: "deep", title: "Deep transition: an MLP between steps",
            summary: "a hidden layer inside hidden→hidden doubles the shortest path between time steps",
            hiddenSizes: [8], deep: DeepTransition(transition: 1), configuration: .manyToOne, seed: 3,
            tokens: ["I", "grew", "up", "in", "France", "and", "I", "now", "speak", "fluent"],
            targets: ["French"],
            captions: [
                Caption(.forward, 0, "Three blocks: input→hidden, hidden→hidden, hidden→output. Here hidden→hidden is an MLP."),
                Caption(.forward, 1, "h_t = tanh(W_hh s_{t-1} + W_ih x_t), s_{t-1} = tanh(W_1 h_{t-1}): two layers between steps."),
                Caption(.forward, 9, "More capacity per step, but a longer path: 2 nonlinear layers per step instead of 1."),
                Caption(.backward, 9, "Backward, each step crosses both layers: two tanh' and two weight matrices ..."),
                Caption(.backward, 4, "... so the gradient fades faster than in a shallow RNN. Deeper is harder to optimise."),
                Caption(.backward, 0, "Next, shortcut: the same MLP with a skip connection across it."),
            ])
    }

    /// Deep transition with a shortcut across the MLP.
    public static var shortcut: Lesson {
        Lesson(
            name: "shortcut", title: "Deep transition with a shortcut",
            summary: "h_{t-1} also feeds h_t directly, across the MLP: the short path is back",
            hiddenSizes: [8], deep: DeepTransition(transition: 1, shortcut: true), configuration: .manyToOne, seed: 3,
            tokens: ["I", "grew", "up", "in", "France", "and", "I", "now", "speak", "fluent"],
            targets: ["French"],
            captions: [
                Caption(.forward, 1, "The same MLP between steps, plus W_shortcut h_{t-1} straight into h_t: a skip across it."),
                Caption(.forward, 9, "Two paths between steps: the deep one through the MLP, the short one through W_shortcut."),
                Caption(.backward, 9, "Backward, the gradient takes both paths ..."),
                Caption(.backward, 0, "... and the short one loses less per step: the early steps get more gradient than in 'deep'."),
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
                Caption(.forward, 9, "From 'France' (step 5) to step 10 is 5 steps but only 3 hops: one jump of 3, two of 1."),
                Caption(.backward, 9, "Backward, the gradient also jumps 3 steps at a time."),
                Caption(.backward, 0, "The gradient panel compares with the same model without skips: the decay is far slower. Press s."),
            ],
            display: Display(comparesSkip: true))
    }
}
