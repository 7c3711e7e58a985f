import UnrollEngine

extension Lesson {
    /// Runs the lesson through the engine in its precision, with W_hh multiplied by `recurrentScale`,
    /// and returns its labels (from a Double materialisation) and its trace in Double.
    /// One-step Jacobian norms are recorded when `recordJacobians` says so, by default when they are cheap.
    /// `focusLoss` also records the gradient of one loss alone (`StepTrace.focusLossGradientNorm`).
    /// `forwardDone` receives the labels and the trace of the forward pass alone (`Trace.hasGradients` false)
    /// before the backward sweeps run (`Engine.run`), when `forwardWanted` says so once the pass is done (a Float
    /// lesson's forward trace is converted only then); what it throws ends the pass.
    /// - Precondition: `problems` is empty.
    /// - Throws: `EngineError` when the engine refuses the model and sample; what `forwardDone` throws.
    public func trace(recurrentScale: Double = 1, recordJacobians: Bool? = nil,
                      recordSpectra: Bool = true, focusLoss: LossFocus? = nil,
                      forwardDone: ((LessonRun<Double>, Trace<Double>) throws -> Void)? = nil,
                      forwardWanted: @escaping () -> Bool = { true })
        throws -> (LessonRun<Double>, Trace<Double>) {
        let recordJacobians = recordJacobians ?? jacobiansAreCheap
        func pass<T: EngineScalar>(_: T.Type, labels: (LessonRun<T>) -> LessonRun<Double>,
                                   double: @escaping (Trace<T>) -> Trace<Double>) throws -> (LessonRun<Double>, Trace<Double>) {
            var run = materialize(as: T.self)
            if recurrentScale != 1 { run.model.scaleRecurrentWeights(by: recurrentScale) }
            var options = run.options
            options.recordJacobians = recordJacobians
            options.recordSpectra = recordSpectra
            options.focusLoss = focusLoss
            let shown = labels(run)
            let trace = try Engine.run(model: run.model, sample: run.sample, options: options,
                                       forwardDone: forwardDone.map { done in { if forwardWanted() { try done(shown, double($0)) } } })
            return (shown, double(trace))
        }
        switch precision {
        case .float64:
            return try pass(Double.self, labels: { $0 }, double: { $0 })
        case .float32:
            return try pass(Float.self, labels: { run in
                LessonRun<Double>(model: run.model.converted(), sample: run.sample.converted(), options: run.options,
                                  inputLabels: run.inputLabels, targetLabels: run.targetLabels, vocabulary: run.vocabulary)
            }, double: { $0.converted() })
        }
    }
}

extension Lesson {
    /// Whether recording the one-step Jacobian norms costs little next to the pass itself: they take H
    /// vector–Jacobian products per step and layer, so about Σ H² · T work; the budget, 4·10⁶, keeps
    /// a lesson at H = 64 and T = 1000 interactive. Larger lessons show the norms as not recorded.
    public var jacobiansAreCheap: Bool {
        let steps = training?.task.steps ?? (tokens.count + (targets?.count ?? 0) + (outputSteps ?? 0))
        let perStep = architecture.hiddenSizes.reduce(0) { $0 + $1 * $1 } * architecture.directions
        return perStep * steps <= 4_000_000
    }
}
