import UnrollEngine

/// A lesson and its live settings: the one owner of "the model as it is now".
///
/// The lab is plain data. Keys change its settings (`cycleCell()`,
/// `toggleSkip()`, `scaleRecurrent(by:)`, …); `compute(reusing:)` runs the
/// engine and returns every number the screen shows, as ``LabResults``. The
/// step-through never calls the engine itself: it hands a changed lab to a
/// ``LabWorker`` and draws the results that come back.
public struct Lab: Sendable, Equatable {
    /// The lesson as given.
    public let lesson: Lesson
    /// The live settings.
    public var settings: LabSettings

    /// The lab of a lesson with its own settings.
    public init(lesson: Lesson) {
        self.lesson = lesson
        settings = LabSettings(lesson: lesson)
        ownWeightsProblems = lesson.spec.problems().isEmpty ? lesson.weightsProblems : []
    }

    /// What the lesson's own `weights` fail on its own model (empty when they fit or there are none), checked
    /// once here: loading them to check is a model's worth of work, which `problems` then skips while the model
    /// keeps the lesson's architecture and weights (every key but the cell, skip and seed).
    private let ownWeightsProblems: [String]

    /// The lesson with the cell, skip and seed of the settings (an LSTM gets forget-gate bias 1 unless the
    /// lesson set one). W_hh scaling and the extra clipping are applied by `compute`. A lesson's trained
    /// `weights` fit only its own model and seed: once either changes, the weights are drawn from the seed.
    public var current: Lesson {
        var l = lesson.input(settings.input)
        l.cell = settings.cell
        l.skip = settings.skip
        l.seed = settings.seed
        if l.cell == .lstm && l.initialization.forgetBias == nil && lesson.cell != .lstm {
            l.initialization.forgetBias = 1
        }
        if l.architecture != lesson.architecture || l.seed != lesson.seed {
            // Skip alone: the lesson's weights stay, with the skip weights drawn from the seed (`s`).
            var skipOnly = l.architecture
            skipOnly.skip = lesson.skip
            let keeps = skipOnly == lesson.architecture && l.seed == lesson.seed
            l.weights = keeps ? (skipWeights?.skip == l.skip ? skipWeights?.weights : Self.adapted(lesson, to: l)) : nil
        }
        if settings.untrained { l.weights = nil }
        return l
    }

    /// The lesson's weights for its model with `s` pressed, kept from the last `toggleSkip()` (nil: not computed).
    private var skipWeights: SkipWeights?

    /// The lesson's weights adapted to a model that differs only in its skip connections.
    private struct SkipWeights: Sendable, Equatable {
        var skip: Int?
        var weights: LessonWeights?
    }

    /// `lesson`'s weights for the model of `other` (the same but for skip connections): every tensor of the lesson
    /// kept, the skip weights drawn from the seed as `other`'s own model would draw them, and the skip weights the
    /// model no longer has dropped. Nil when the lesson has no weights or one of them does not fit `other`.
    /// - Complexity: one draw of `other`'s model.
    static func adapted(_ lesson: Lesson, to other: Lesson) -> LessonWeights? {
        guard let own = lesson.weights, other.spec.problems().isEmpty else { return nil }
        let drawn = Model<Double>(spec: other.spec, initialization: other.initialization, seed: other.seed).weights()
        var tensors: [SafetensorsFile.Tensor] = []
        for t in drawn.tensors {
            if let mine = own.file[t.name] {
                guard mine.shape == t.shape else { return nil }
                tensors.append(SafetensorsFile.Tensor(name: t.name, dtype: t.dtype, shape: t.shape, values: mine.values))
            } else {
                guard t.name.contains("weight_skip") else { return nil }
                tensors.append(t)
            }
        }
        return LessonWeights(
            path: own.path, file: SafetensorsFile(tensors: tensors, metadata: own.file.metadata))
    }

    /// Whether the model on screen starts from the lesson's own trained weights when the lesson has them (false:
    /// they were drawn again from the seed, after `c` or `r`, or `s` where the skip weights cannot be added, or set
    /// aside by `w`).
    public var keepsLessonWeights: Bool { lesson.weights == nil || current.weights != nil }

    /// Whether the model on screen is on the initial weights although the lesson has trained ones: `w` pressed.
    public var showsUntrained: Bool { settings.untrained && lesson.weights != nil }

    /// `current` with the extra clipping, as the engine runs it.
    var runnable: Lesson {
        var l = current
        if settings.clipping { l.clipping = .norm(1) }
        return l
    }

    /// Every reason the lab's model cannot run; empty when it can. Cheap: no pass through the engine.
    public var problems: [String] {
        var l = runnable
        guard let weights = l.weights, weights == lesson.weights, l.spec == lesson.spec else { return l.problems }
        // The same weights on the same model: their verdict is the one taken when the lab was made, and it goes
        // where `Lesson.problems` puts it, after the model's own problems (of which it then has none).
        l.weights = nil
        return ownWeightsProblems + l.problems
    }

    /// Whether the settings are still the lesson's own (no key has changed the model).
    public var isLessonsOwn: Bool { settings == LabSettings(lesson: lesson) }

    /// Whether the model is the lesson's own: the settings may differ only in what the gradient panel shows
    /// (the skip comparison, which loss), which leaves the model, and so every caption, as it is, and in the input
    /// read (each input has its own captions, written for the lesson's model).
    public var hasLessonsOwnModel: Bool {
        var own = LabSettings(lesson: lesson)
        own.comparesSkip = settings.comparesSkip
        own.gradient = settings.gradient
        own.input = settings.input
        return settings == own
    }

    // MARK: Changes

    /// The next cell: RNN → LSTM → GRU → RNN.
    public mutating func cycleCell() {
        let all = CellKind.allCases
        settings.cell = all[((all.firstIndex(of: settings.cell) ?? 0) + 1) % all.count]
    }

    /// Skip connections off, or on with the lesson's length (3 when the lesson has none).
    public mutating func toggleSkip() {
        settings.skip = settings.skip == nil ? (lesson.skip ?? 3) : nil
        skipWeights = nil
        var l = lesson
        l.skip = settings.skip
        if lesson.weights != nil && l.architecture != lesson.architecture {
            skipWeights = SkipWeights(skip: settings.skip, weights: Self.adapted(lesson, to: l))
        }
    }

    /// W_hh multiplied by `factor` more.
    public mutating func scaleRecurrent(by factor: Double) { settings.recurrentScale *= factor }

    /// Clipping at global norm 1 on or off.
    public mutating func toggleClipping() { settings.clipping.toggle() }

    /// The trained weights set aside for the initial ones (the lesson's seed and scheme, what training started
    /// from), or back. Nothing changes for a lesson without trained weights.
    public mutating func toggleTrained() {
        guard lesson.weights != nil else { return }
        settings.untrained.toggle()
    }

    /// The next input: the lesson's own sentence, then each held-out input, then the own sentence again. A gradient
    /// panel showing the loss at a step the new input lacks shows the last loss instead.
    public mutating func nextInput() {
        settings.input = lesson.heldOut.isEmpty ? 0 : (settings.input + 1) % (lesson.heldOut.count + 1)
        if case .step(let c) = settings.gradient, c >= lesson.input(settings.input).stepCount {
            settings.gradient = .last
        }
    }

    /// New initial weights: the next seed.
    public mutating func reseed() { settings.seed &+= 1 }

    /// The skip comparison on or off.
    public mutating func toggleSkipComparison() { settings.comparesSkip.toggle() }

    /// The gradient panel's next loss: total → last → the loss at `column` → total.
    public mutating func cycleGradient(column: Int) {
        switch settings.gradient {
        case .total: settings.gradient = .last
        case .last: settings.gradient = .step(column)
        case .step: settings.gradient = .total
        }
    }

    /// Back to the lesson's own model and settings: its cell, skip, seed and comparison, W_hh as drawn,
    /// no extra clipping, its trained weights and its own sentence.
    public mutating func restore() { settings = LabSettings(lesson: lesson) }

    // MARK: Computing

    /// Runs the engine for the lab's model: the trace, the W_hh spectra and, when asked, the skip comparison
    /// (`try forward(reusing:).finish()`).
    ///
    /// `previous` (the results on screen) lets a change that leaves W_hh alone keep its spectra, and a
    /// change of scale alone rescale them (scaling W_hh by c scales every eigenvalue and singular value
    /// by |c|) instead of calling LAPACK again.
    /// - Throws: `EngineError` with the problems when the model cannot run.
    /// - Complexity: one forward pass, the backward sweeps (two with the comparison), plus LAPACK on each
    ///   W_hh block unless reused.
    public func compute(reusing previous: LabResults? = nil) throws -> LabResults {
        try forward(reusing: previous).finish()
    }

    /// The lab's computation stopped after the forward pass: ``LabPass/forwardResults`` can be shown at once
    /// (``LabResults/isForwardOnly``), ``LabPass/finish()`` runs the rest. `previous` as in ``compute(reusing:)``.
    /// - Throws: `EngineError` with the problems when the model cannot run; `CancellationError` when
    ///   `cancellation` (checked at every time step) stops the pass.
    /// - Complexity: one forward pass (and the one-step Jacobian norms when the lesson records them).
    public func forward(reusing previous: LabResults? = nil, cancellation: Cancellation? = nil) throws -> LabPass {
        let problems = self.problems
        guard problems.isEmpty else { throw EngineError(problems: problems) }
        let pass = try runnable.forward(
            recurrentScale: settings.recurrentScale, recordSpectra: false,
            focusLoss: settings.gradient.focus, cancellation: cancellation)
        return LabPass(lab: self, previous: previous, pass: pass)
    }
}

/// A lab's computation stopped after its forward pass (``Lab/forward(reusing:)``): the stages of a model change
/// as a value, so that its holder (the lab worker) shows the forward pass, or drops a superseded change, before
/// the backward sweeps. Call ``finish()`` once.
public struct LabPass {
    /// The lab computed.
    public let lab: Lab
    /// The results it may reuse the spectra of.
    let previous: LabResults?
    /// The lesson's pass.
    let pass: LessonForwardPass

    /// The results of the forward pass alone (``LabResults/isForwardOnly``): the forward trace with the W_hh
    /// spectra when they are known without LAPACK (kept, or rescaled), no gradient series, no comparison.
    /// - Complexity: one copy of the forward values.
    public var forwardResults: LabResults {
        let current = lab.current
        let scale = lab.settings.recurrentScale
        var forward = pass.trace
        let spectra =
            LabSpectra(reusing: previous?.spectra, model: pass.run.model, lesson: current, scale: scale)
            ?? LabSpectra(values: [])
        forward.recurrent = spectra.values
        return LabResults(lab: lab, run: pass.run, trace: forward, comparison: nil, spectra: spectra, gradients: [])
    }

    /// Runs the backward sweeps, the skip comparison when asked and the spectra, and returns the whole results,
    /// as ``Lab/compute(reusing:)`` does.
    /// - Complexity: the backward sweeps (and a whole second pass with the comparison), plus LAPACK on each W_hh
    ///   block unless reused.
    public func finish() -> LabResults {
        guard let results = finish(trace: pass.backward(), cancellation: nil) else {
            preconditionFailure("LabPass.finish: stopped without a cancellation")
        }
        return results
    }

    /// ``finish()``, checking `cancellation` at every time step of the sweeps and of the comparison's pass.
    /// - Throws: `CancellationError` when `cancellation` stops them.
    public func finish(cancellation: Cancellation) throws -> LabResults {
        guard let results = finish(trace: try pass.backward(cancellation: cancellation), cancellation: cancellation)
        else { throw CancellationError() }
        return results
    }

    /// The whole results from the pass's backward `trace`, or nil when `cancellation` stopped the comparison.
    private func finish(trace backward: Trace<Double>, cancellation: Cancellation?) -> LabResults? {
        let settings = lab.settings
        let lesson = lab.runnable
        let scale = settings.recurrentScale
        let focus = settings.gradient.focus
        let current = lab.current
        let run = pass.run
        var trace = backward
        var comparison: Trace<Double>?
        if settings.comparesSkip {
            var other = lesson
            other.skip = lesson.skip == nil ? (lab.lesson.skip ?? 3) : nil
            comparison = try? other.trace(
                recurrentScale: scale, recordJacobians: false, recordSpectra: false,
                focusLoss: focus, cancellation: cancellation
            ).1
            if cancellation?.isCancelled == true { return nil }
        }
        let spectra = LabSpectra(model: run.model, lesson: current, scale: scale, previous: previous?.spectra)
        trace.recurrent = spectra.values
        let gradients = trace.layers.indices.map {
            GradientSeries(trace: trace, layer: $0, mode: settings.gradient, comparison: comparison)
        }
        return LabResults(
            lab: lab, run: run, trace: trace, comparison: comparison, spectra: spectra,
            gradients: gradients)
    }
}
