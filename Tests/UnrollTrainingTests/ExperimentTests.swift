import Foundation
import Testing
import UnrollEngine

@testable import UnrollTraining

/// Short versions of docs/experiments.md: the long runs are scripts/experiments_*.sh.

@Test(
    "An LSTM on the adding problem with T = 10 falls well below the 1/6 baseline in 300 iterations, in both precisions")
func lstmLearnsShortAdding() throws {
    func body<T: EngineScalar>(_: T.Type) throws {
        let task = TrainingTask(kind: .adding, length: 10)
        let model = Model<T>(
            spec: task.spec(cell: .lstm, hiddenSize: 16), initialization: Initialization(forgetBias: 1), seed: 1)
        var trainer = Trainer(
            model: model, task: task,
            settings: TrainingSettings(learningRate: 0.01, clipping: .norm(1), batchSize: 32), seed: 1)
        let before = try trainer.evaluate()
        for _ in 0..<300 { try trainer.step() }
        let after = try trainer.evaluate()
        #expect(before.loss > task.baselineLoss)
        #expect(after.loss < task.baselineLoss / 4, "\(T.self): loss \(after.loss) after 300 iterations")
        #expect((after.accuracy ?? 0) > 2 * (task.baselineAccuracy ?? 1))
        #expect(trainer.history.count == 300 && trainer.history.map(\.iteration) == Array(1...300))
    }
    try body(Double.self)
    try body(Float.self)
}

@Test("A GRU on the adding problem with T = 10 falls well below the 1/6 baseline in 300 iterations (train-adding-gru, short)")
func gruLearnsShortAdding() throws {
    let task = TrainingTask(kind: .adding, length: 10)
    let model = Model<Double>(spec: task.spec(cell: .gru, hiddenSize: 16), initialization: Initialization(), seed: 1)
    var trainer = Trainer(
        model: model, task: task, settings: TrainingSettings(learningRate: 0.01, clipping: .norm(1), batchSize: 32),
        seed: 1)
    let before = try trainer.evaluate()
    for _ in 0..<300 { try trainer.step() }
    let after = try trainer.evaluate()
    #expect(before.loss > task.baselineLoss)
    #expect(after.loss < task.baselineLoss / 4, "loss \(after.loss) after 300 iterations")
    #expect((after.accuracy ?? 0) > 2 * (task.baselineAccuracy ?? 1))
}

/// ‖∂ℓ_T/∂h_t‖ at every step of a tanh RNN whose W_hh = σ·Q (Q orthogonal, so σ_max = σ), loss at the last step.
func lastLossGradientNorms(sigma: Double, skip: Int? = nil, steps: Int = 40, seed: UInt64 = 3) throws -> [Double] {
    let task = TrainingTask(kind: .adding, length: steps)
    let model = Model<Double>(
        spec: task.spec(cell: .rnn, hiddenSize: 16, skip: skip),
        initialization: Initialization(scheme: .orthogonal, spectralRadius: sigma), seed: seed)
    var g = SeededGenerator(seed: seed)
    let sample: Sample<Double> = task.batch(size: 4, generator: &g)
    let trace = try Engine.run(model: model, sample: sample, options: task.runOptions())
    if skip == nil { #expect(abs((trace.recurrent.first?.largestSingularValue ?? 0) - sigma) < 1e-9) }
    return trace.layers[0].steps.map(\.lastLossGradientNorm)
}

@Test(
    "Tanh RNN: ‖∂ℓ_T/∂h_k‖ ≤ σ_max(W_hh)^(T−k)·‖∂ℓ_T/∂h_T‖ at every k (Pascanu, Mikolov & Bengio 2013)",
    arguments: [0.5, 0.9, 1.0, 1.5])
func pascanuBound(_ sigma: Double) throws {
    let norms = try lastLossGradientNorms(sigma: sigma)
    let last = try #require(norms.last)
    #expect(last > 0)
    for (k, n) in norms.enumerated() {
        let bound = last * pow(sigma, Double(norms.count - 1 - k))
        #expect(n <= bound * (1 + 1e-9) + 1e-300, "step \(k + 1): \(n) > bound \(bound)")
    }
}

@Test("Skip connections of length k slow the decay: the gradient 30 steps back is larger with k = 5 than without")
func skipSlowsDecay() throws {
    let plain = try lastLossGradientNorms(sigma: 0.8)
    let skipped = try lastLossGradientNorms(sigma: 0.8, skip: 5)
    let n = plain.count
    #expect(skipped[n - 31] / skipped[n - 1] > 100 * (plain[n - 31] / plain[n - 1]))
}

@Test("Clipping by norm bounds every update's gradient norm, whatever σ_max: a trainer on σ = 3 never exceeds it")
func clippingBoundsUpdates() throws {
    let task = TrainingTask(kind: .adding, length: 30)
    let model = Model<Double>(
        spec: task.spec(cell: .rnn, hiddenSize: 16),
        initialization: Initialization(scheme: .orthogonal, spectralRadius: 3), seed: 1)
    var trainer = Trainer(
        model: model, task: task, settings: TrainingSettings(optimizer: .sgd(), learningRate: 0.01, clipping: .norm(1)),
        seed: 1)
    for _ in 0..<20 { try trainer.step() }
    #expect(trainer.history.contains { $0.gradientNormBefore > 1 })
    #expect(trainer.history.allSatisfy { $0.gradientNormAfter <= 1 + 1e-6 })
}

@Test("Truncated BPTT: the trainer makes one update per chunk (6 for T = 30, k = 5) and still learns the noisy sine")
func truncatedTraining() throws {
    let task = TrainingTask(kind: .noisySine, length: 30)
    let model = Model<Double>(spec: task.spec(cell: .lstm, hiddenSize: 8), seed: 4)
    var full = Trainer(model: model, task: task, settings: TrainingSettings(learningRate: 0.02, batchSize: 16), seed: 2)
    var truncated = Trainer(
        model: model, task: task, settings: TrainingSettings(learningRate: 0.02, truncation: 5, batchSize: 16), seed: 2)
    #expect(truncated.runOptions.truncation == 5 && full.runOptions.truncation == nil)
    let a = try full.step(), b = try truncated.step()
    // Chunk 1 sees the same weights as the whole sequence; later chunks run with the weights their predecessors updated.
    #expect(a.updates == 1 && b.updates == 6 && a.loss != b.loss && a.gradientNormBefore != b.gradientNormBefore)
    for _ in 0..<150 { try truncated.step() }
    let after = try truncated.evaluate()
    #expect(after.loss < task.baselineLoss / 2, "loss \(after.loss) against the baseline \(task.baselineLoss)")
    #expect(after.accuracy == nil)
}
