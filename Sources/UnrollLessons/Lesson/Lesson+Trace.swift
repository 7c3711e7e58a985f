import UnrollEngine

extension Lesson {
    /// Runs the lesson through the engine in its precision, with W_hh multiplied by `recurrentScale`,
    /// and returns its labels (from a Double materialisation) and its trace in Double:
    /// `forward(…)` carried on through ``LessonForwardPass/backward()``.
    /// One-step Jacobian norms are recorded when `recordJacobians` says so, by default when they are cheap.
    /// `focusLoss` also records the gradient of one loss alone (`StepTrace.focusLossGradientNorm`).
    /// - Precondition: `problems` is empty.
    /// - Throws: `EngineError` when the engine refuses the model and sample; `CancellationError` when
    ///   `cancellation` stops the run at a step boundary.
    public func trace(
        recurrentScale: Double = 1, recordJacobians: Bool? = nil,
        recordSpectra: Bool = true, focusLoss: LossFocus? = nil, cancellation: Cancellation? = nil
    ) throws -> (LessonRun<Double>, Trace<Double>) {
        let pass = try forward(
            recurrentScale: recurrentScale, recordJacobians: recordJacobians,
            recordSpectra: recordSpectra, focusLoss: focusLoss, cancellation: cancellation)
        return (pass.run, try cancellation.map { try pass.backward(cancellation: $0) } ?? pass.backward())
    }

    /// The lesson's run in its precision stopped after the forward pass (`Engine.forward`), with W_hh multiplied
    /// by `recurrentScale`: its forward trace can be shown at once, its backward sweeps run when asked.
    /// The options are those of ``trace(recurrentScale:recordJacobians:recordSpectra:focusLoss:)``.
    /// - Precondition: `problems` is empty.
    /// - Throws: `EngineError` when the engine refuses the model and sample; `CancellationError` when
    ///   `cancellation` (checked at every step) stops the pass.
    public func forward(
        recurrentScale: Double = 1, recordJacobians: Bool? = nil,
        recordSpectra: Bool = true, focusLoss: LossFocus? = nil, cancellation: Cancellation? = nil
    ) throws -> LessonForwardPass {
        let recordJacobians = recordJacobians ?? jacobiansAreCheap
        func pass<T: EngineScalar>(_: T.Type) throws -> (LessonRun<T>, ForwardPass<T>) {
            var run = materialize(as: T.self)
            if recurrentScale != 1 { run.model.scaleRecurrentWeights(by: recurrentScale) }
            var options = run.options
            options.recordJacobians = recordJacobians
            options.recordSpectra = recordSpectra
            options.focusLoss = focusLoss
            return (
                run, try Engine.forward(model: run.model, sample: run.sample, options: options, cancellation: cancellation)
            )
        }
        switch precision {
        case .float64:
            let (run, p) = try pass(Double.self)
            return LessonForwardPass(run: run, stage: .double(p))
        case .float32:
            let (run, p) = try pass(Float.self)
            let labels = LessonRun<Double>(
                model: run.model.converted(), sample: run.sample.converted(), options: run.options,
                inputLabels: run.inputLabels, targetLabels: run.targetLabels,
                vocabulary: run.vocabulary)
            return LessonForwardPass(run: labels, stage: .float(p))
        }
    }
}

/// A lesson's run stopped after its forward pass (``Lesson/forward(recurrentScale:recordJacobians:recordSpectra:focusLoss:)``),
/// in the lesson's precision, every number handed out in Double. Call ``backward()`` once.
public struct LessonForwardPass {
    /// The engine's pass in the lesson's precision.
    enum Stage {
        /// A Double lesson's.
        case double(ForwardPass<Double>)
        /// A Float lesson's, converted to Double when handed out.
        case float(ForwardPass<Float>)
    }

    /// The model, sample and labels run, in Double.
    public let run: LessonRun<Double>
    /// The engine's pass.
    let stage: Stage

    /// The trace of the forward pass alone (`Trace.hasGradients` false), in Double.
    /// - Complexity: one copy of the forward values (and a conversion for a Float lesson).
    public var trace: Trace<Double> {
        switch stage {
        case .double(let p): return p.trace
        case .float(let p): return p.trace.converted()
        }
    }

    /// Runs the backward sweeps and returns the whole trace in Double, as `Lesson.trace` does.
    /// - Precondition: called once.
    public func backward() -> Trace<Double> {
        switch stage {
        case .double(let p): return p.backward()
        case .float(let p): return p.backward().converted()
        }
    }

    /// ``backward()``, checking `cancellation` at every step of every sweep.
    /// - Throws: `CancellationError` when `cancellation` stops the sweeps.
    public func backward(cancellation: Cancellation) throws -> Trace<Double> {
        switch stage {
        case .double(let p): return try p.backward(cancellation: cancellation)
        case .float(let p): return try p.backward(cancellation: cancellation).converted()
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
