import UnrollEngine

/// Everything the step-through shows for one state of a ``Lab``, computed off the UI thread.
public struct LabResults: Sendable {
    /// The lab these results belong to.
    public var lab: Lab
    /// The model, sample and labels, with W_hh scaled.
    public var run: LessonRun<Double>
    /// Every number on screen, the W_hh spectra included.
    public var trace: Trace<Double>
    /// The same model with skip connections toggled, when the settings ask for the comparison.
    public var comparison: Trace<Double>?
    /// What the gradient panel draws, one per layer of `trace.layers` (same indices).
    public var gradients: [GradientSeries]
    /// The word output feedback feeds into the first layer at each column (row 0): "0" at the first step,
    /// then the model's own previous choice or the previous target; nil where the model has no feedback.
    public var fedLabels: [String?]
    /// The spectra and what they were computed for, for reuse by the next change.
    var spectra: LabSpectra

    init(
        lab: Lab, run: LessonRun<Double>, trace: Trace<Double>, comparison: Trace<Double>?, spectra: LabSpectra,
        gradients: [GradientSeries]
    ) {
        self.lab = lab
        self.run = run
        self.trace = trace
        self.comparison = comparison
        self.gradients = gradients
        self.fedLabels = run.fedLabels(trace)
        self.spectra = spectra
    }

    /// Results for a pass already computed elsewhere (a trained model's example): the lesson's own lab.
    public init(lesson: Lesson, run: LessonRun<Double>, trace: Trace<Double>) {
        let mode = lesson.display.gradient
        self.init(
            lab: Lab(lesson: lesson), run: run, trace: trace, comparison: nil,
            spectra: LabSpectra(values: trace.recurrent),
            gradients: trace.layers.indices.map { GradientSeries(trace: trace, layer: $0, mode: mode, comparison: nil) }
        )
    }

    /// Whether these are the results of the forward pass alone, shown while the backward sweeps still run:
    /// no gradients (`Trace.hasGradients` false), no comparison and no gradient series; the spectra only when
    /// they could be reused without LAPACK, else none yet.
    public var isForwardOnly: Bool { !trace.hasGradients }

    /// The lesson with the live settings (cell, skip, seed; not the extra clipping).
    public var current: Lesson { lab.current }

    /// How many numbers the model learns: every entry of every parameter, weights and biases, the output
    /// layer's included (`Model.parameterCount`).
    public var parameterCount: Int { run.model.parameterCount }
}

/// The W_hh spectra of a lab's model, with what they were computed for, so the next change can reuse them.
struct LabSpectra: Sendable {
    /// σ_max and spectral radius per W_hh gate block, at the lab's scale.
    var values: [RecurrentSpectrum]
    /// The same at scale 1.
    var unit: [RecurrentSpectrum] = []
    /// The lesson (settings without clipping) `unit` belongs to; nil when unknown.
    var lesson: Lesson?
    /// The W_hh blocks `values` were computed for.
    var blocks: [Matrix<Double>] = []

    /// Spectra known from elsewhere, not reusable.
    init(values: [RecurrentSpectrum]) { self.values = values }

    /// The spectra of `model` (settings `lesson`, W_hh scaled by `scale`): `previous` as it is when the blocks
    /// are unchanged, its unit-scale spectra times |scale| when only the scale changed, else LAPACK's.
    init(model: Model<Double>, lesson: Lesson, scale: Double, previous: LabSpectra?) {
        if let reused = LabSpectra(reusing: previous, model: model, lesson: lesson, scale: scale) {
            self = reused
            return
        }
        let named = model.recurrentBlocks
        let c = abs(scale)
        values = named.map {
            RecurrentSpectrum(
                name: $0.name, spectralRadius: Spectrum.radius($0.block),
                largestSingularValue: Spectrum.largestSingularValue($0.block))
        }
        unit = values.map {
            var r = $0
            r.spectralRadius /= c
            r.largestSingularValue /= c
            return r
        }
        self.lesson = lesson
        blocks = named.map(\.block)
    }

    /// The spectra of `model` from `previous` without LAPACK (as it is, or rescaled by |scale|), or nil when
    /// they must be computed. Cost: a comparison of the W_hh blocks.
    init?(reusing previous: LabSpectra?, model: Model<Double>, lesson: Lesson, scale: Double) {
        guard let previous else { return nil }
        let named = model.recurrentBlocks
        let blocks = named.map(\.block)
        if blocks == previous.blocks, previous.values.count == blocks.count, !blocks.isEmpty {
            self = previous
        } else if lesson == previous.lesson, previous.unit.count == named.count {
            let c = abs(scale)
            values = previous.unit.map {
                var r = $0
                r.spectralRadius *= c
                r.largestSingularValue *= c
                return r
            }
            unit = previous.unit
            self.lesson = lesson
            self.blocks = blocks
        } else {
            return nil
        }
    }
}
