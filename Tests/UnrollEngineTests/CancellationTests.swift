import Testing

@testable import UnrollEngine

/// `Cancellation`: a superseded computation stops at the next time-step boundary, in the forward pass and in the
/// backward sweeps, through the LSTM sequence kernel and through the tape's per-step nodes; a computation not
/// cancelled returns what it returns without one. Counted in steps (`stepsPassed`), never timed.
@Suite("Cancelling a pass at a step boundary")
struct CancellationTests {
    static let steps = 12

    /// An LSTM (the kernel's path, or the tape's with `sequenceKernels` off) or a GRU (the tape's alone), with a
    /// loss at every step and the focus on an early one, so the backward runs the loss sweep and a diagnostic sweep.
    static func setup(_ cell: CellKind) -> (Model<Double>, Sample<Double>, RunOptions) {
        let spec = ModelSpec(cell: cell, inputSize: 3, hiddenSizes: [5], outputSize: 2)
        var options = RunOptions(loss: .mse, recordJacobians: false, recordSpectra: false)
        options.focusLoss = .column(2)
        return (Model<Double>(spec: spec, seed: 4), randomSample(spec, steps: steps, batch: 2, seed: 9), options)
    }

    static let paths: [(CellKind, Bool)] = [(.lstm, true), (.lstm, false), (.gru, false)]

    @Test("Cancelled in the forward pass, the pass stops at the next step: no step after it runs", arguments: paths)
    func forward(_ cell: CellKind, kernel: Bool) throws {
        let (model, sample, options) = Self.setup(cell)
        let c = Cancellation(afterSteps: 3)
        #expect(throws: CancellationError.self) {
            _ = try Engine.forward(
                model: model, sample: sample, options: options, sequenceKernels: kernel, cancellation: c)
        }
        // Steps 1-3 ran; the fourth boundary stopped it, and nothing counted a step after that.
        #expect(c.isCancelled)
        #expect(c.stepsPassed == 4)
    }

    @Test("Cancelled in the backward sweep, the sweep stops at the next step", arguments: paths)
    func backward(_ cell: CellKind, kernel: Bool) throws {
        let (model, sample, options) = Self.setup(cell)
        // Uncancelled, the same computation passes one boundary per forward step and more in its sweeps.
        let whole = Cancellation()
        let pass = try Engine.forward(
            model: model, sample: sample, options: options, sequenceKernels: kernel, cancellation: whole)
        #expect(whole.stepsPassed == Self.steps)
        _ = try pass.backward(cancellation: whole)
        #expect(!whole.isCancelled)
        #expect(whole.stepsPassed >= 2 * Self.steps)

        let c = Cancellation(afterSteps: Self.steps + 2)
        let stopped = try Engine.forward(
            model: model, sample: sample, options: options, sequenceKernels: kernel, cancellation: c)
        #expect(c.stepsPassed == Self.steps && !c.isCancelled)
        #expect(throws: CancellationError.self) { _ = try stopped.backward(cancellation: c) }
        // Two steps of the loss sweep ran; the third boundary stopped it, before the diagnostic sweep.
        #expect(c.stepsPassed == Self.steps + 3)
        #expect(c.stepsPassed < whole.stepsPassed)
    }

    @Test(
        "A pass that is not cancelled returns exactly what it returns without a cancellation", arguments: paths)
    func uncancelled(_ cell: CellKind, kernel: Bool) throws {
        let (model, sample, options) = Self.setup(cell)
        let plain = try Engine.forward(model: model, sample: sample, options: options, sequenceKernels: kernel)
            .backward()
        let token = Cancellation()
        let checked = try Engine.forward(
            model: model, sample: sample, options: options, sequenceKernels: kernel, cancellation: token
        ).backward(cancellation: token)
        #expect(token.stepsPassed > 0)
        // The same computation in one process: the same bits, not merely close ones.
        #expect(checked.loss == plain.loss && checked.losses == plain.losses && checked.outputs == plain.outputs)
        #expect(checked.gradients == plain.gradients)
        try #require(checked.layers.count == plain.layers.count && !plain.layers.isEmpty)
        for (a, b) in zip(checked.layers, plain.layers) {
            try #require(a.steps.count == Self.steps && b.steps.count == Self.steps)
            for (s, w) in zip(a.steps, b.steps) {
                #expect(s.hidden == w.hidden && s.cell == w.cell && s.gates == w.gates)
                #expect(s.hiddenGradient == w.hiddenGradient && s.cellGradient == w.cellGradient)
                #expect(s.lastLossGradientNorm == w.lastLossGradientNorm)
                #expect(s.focusLossGradientNorm == w.focusLossGradientNorm)
                #expect(
                    s.focusLossCellGradientNorm == w.focusLossCellGradientNorm
                        || (s.focusLossCellGradientNorm.isNaN && w.focusLossCellGradientNorm.isNaN))
            }
        }
    }
}
