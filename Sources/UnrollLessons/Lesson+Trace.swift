import UnrollEngine

extension Lesson {
    /// Runs the lesson through the engine in its precision, with W_hh multiplied by `recurrentScale`,
    /// and returns its labels (from a Double materialisation) and its trace in Double.
    /// - Precondition: `problems` is empty.
    /// - Throws: `EngineError` when the engine refuses the model and sample.
    public func trace(recurrentScale: Double = 1, recordJacobians: Bool = true) throws -> (LessonRun<Double>, Trace<Double>) {
        func pass<T: EngineScalar>(_: T.Type) throws -> (LessonRun<T>, Trace<T>) {
            var run = materialize(as: T.self)
            if recurrentScale != 1 { run.model.scaleRecurrentWeights(by: recurrentScale) }
            var options = run.options
            options.recordJacobians = recordJacobians
            return (run, try Engine.run(model: run.model, sample: run.sample, options: options))
        }
        switch precision {
        case .float64:
            return try pass(Double.self)
        case .float32:
            let (run, trace) = try pass(Float.self)
            let labels = LessonRun<Double>(model: run.model.converted(),
                                           sample: materialize(as: Double.self).sample, options: run.options,
                                           inputLabels: run.inputLabels, targetLabels: run.targetLabels,
                                           vocabulary: run.vocabulary)
            return (labels, trace.converted())
        }
    }
}
