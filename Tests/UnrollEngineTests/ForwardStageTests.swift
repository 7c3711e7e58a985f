import Testing

@testable import UnrollEngine

/// `Engine.run`'s forward stage and the shared last-loss sweep.
@Suite("The forward stage of a pass")
struct ForwardStageTests {
    /// An LSTM with two layers, cross-entropy at every step: every kind of step field.
    static let spec = ModelSpec(cell: .lstm, inputSize: 3, hiddenSizes: [5, 4], outputSize: 4)

    @Test(
        "A forward pass's trace is the forward pass alone: every value as the full trace holds it, no gradient yet",
        arguments: precisions)
    func forwardValues(_ t: any EngineScalar.Type) throws {
        func body<T: EngineScalar>(_: T.Type) throws {
            let model = Model<T>(spec: Self.spec, initialization: Initialization(scheme: .uniform), seed: 3)
            let sample = randomSample(Self.spec, steps: 7, loss: .crossEntropy, as: T.self)
            var options = RunOptions()
            options.loss = .crossEntropy
            options.recordJacobians = true
            let pass = try Engine.forward(model: model, sample: sample, options: options)
            let f = pass.trace
            let full = pass.backward()
            let plain = try Engine.run(model: model, sample: sample, options: options)
            #expect(!f.hasGradients && full.hasGradients)
            // The full trace is the one the finite-difference and PyTorch tests check: the stop changes none of it.
            #expect(full.loss == plain.loss && full.gradients == plain.gradients)
            #expect(
                zip(full.layers, plain.layers).allSatisfy { a, b in
                    zip(a.steps, b.steps).allSatisfy {
                        $0.hiddenGradient == $1.hiddenGradient && $0.lastLossGradientNorm == $1.lastLossGradientNorm
                    }
                })
            #expect(f.loss == full.loss && f.losses == full.losses && f.outputs == full.outputs)
            #expect(f.probabilities == full.probabilities && f.inputs == full.inputs)
            for (a, b) in zip(f.layers, full.layers) {
                #expect(a.steps.count == b.steps.count && a.initialHidden == b.initialHidden)
                for (s, w) in zip(a.steps, b.steps) {
                    #expect(
                        s.preactivation == w.preactivation && s.gates == w.gates && s.hidden == w.hidden
                            && s.cell == w.cell)
                    #expect(s.cellJacobianNorm == w.cellJacobianNorm)
                    // No gradient yet: zeros of the right shape, NaN norms.
                    #expect(
                        s.hiddenGradient.rows == w.hiddenGradient.rows && s.hiddenGradient.cols == w.hiddenGradient.cols
                    )
                    #expect(s.hiddenGradient.storage.allSatisfy { $0 == 0 } && s.hiddenGradientNorm.isNaN)
                    #expect(s.lastLossGradientNorm.isNaN)
                    // The one-step Jacobian norms need the forward values only: the forward stage has them.
                    #expect(s.jacobianNorm == w.jacobianNorm && !s.jacobianNorm.isNaN)
                }
            }
            #expect(
                f.gradients.count == full.gradients.count
                    && f.gradients.allSatisfy { $0.storage.allSatisfy { $0 == 0 } })
            #expect(f.clip.normBefore.isNaN && !f.clip.clipped && f.nonFiniteBackwardColumn == nil)
            #expect(f.converted(to: Double.self).hasGradients == false)
        }
        try body(t)
    }

    @Test("A forward pass refuses what the run refuses, before any pass")
    func forwardRefuses() throws {
        let model = Model<Double>(spec: Self.spec, initialization: Initialization(scheme: .uniform), seed: 3)
        var sample = randomSample(Self.spec, steps: 4, as: Double.self)
        let first = try #require(sample.inputs.first)
        sample.inputs[0] = Matrix<Double>(rows: first.rows, cols: 99)
        #expect(throws: EngineError.self) { try Engine.forward(model: model, sample: sample) }
        #expect(throws: EngineError.self) { try Engine.run(model: model, sample: sample) }
    }

    @Test(
        "With the last loss as the focus, one sweep serves both: the last-loss norms equal those of a pass without a focus"
    )
    func lastLossShared() throws {
        let model = Model<Double>(spec: Self.spec, initialization: Initialization(scheme: .uniform), seed: 4)
        let sample = randomSample(Self.spec, steps: 9, as: Double.self)
        var focused = RunOptions()
        focused.focusLoss = .last
        let a = try Engine.run(model: model, sample: sample, options: focused)
        let b = try Engine.run(model: model, sample: sample)
        var column = RunOptions()
        column.focusLoss = .column(8)
        let c = try Engine.run(model: model, sample: sample, options: column)
        for ((la, lb), lc) in zip(zip(a.layers, b.layers), c.layers) {
            for ((sa, sb), sc) in zip(zip(la.steps, lb.steps), lc.steps) {
                #expect(sa.lastLossGradientNorm == sb.lastLossGradientNorm && !sa.lastLossGradientNorm.isNaN)
                #expect(sb.focusLossGradientNorm.isNaN, "no focus asked for")
                // The last loss named by its column is the same loss: the same numbers.
                #expect(
                    sa.focusLossGradientNorm == sc.focusLossGradientNorm
                        && sc.lastLossGradientNorm == sb.lastLossGradientNorm)
            }
        }
        // An independent check at the top step: the last loss's gradient there is the total's (no later loss).
        let top = try #require(b.layers.last?.steps.last)
        #expect(abs(top.lastLossGradientNorm - top.hiddenGradientNorm) <= 1e-12 * top.hiddenGradientNorm)
    }
}
