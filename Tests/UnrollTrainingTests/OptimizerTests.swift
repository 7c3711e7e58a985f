import Foundation
import Testing
import UnrollEngine

@testable import UnrollTraining

/// `Fixtures/optimizers.json`, written by `scripts/make_training_fixtures.py`.
struct OptimizerFixture: Decodable, Sendable {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        struct Clip: Decodable, Sendable {
            var kind: String
            var threshold: Double
        }
        var name: String
        var learning_rate: Double
        var optimizer: String
        var momentum: Double
        var alpha: Double
        var betas: [Double]
        var eps: Double
        var clipping: Clip?
        var losses: [Double]
        var params: [[String: [Double]]]
        var testDescription: String { name }

        var unrollOptimizer: Optimizer {
            switch optimizer {
            case "sgd": return .sgd(momentum: momentum)
            case "rmsprop": return .rmsprop(alpha: alpha, epsilon: eps)
            default: return .adam(beta1: betas[0], beta2: betas[1], epsilon: eps)
            }
        }
        var unrollClipping: Clipping {
            guard let c = clipping else { return .none }
            return c.kind == "norm" ? .norm(c.threshold) : .value(c.threshold)
        }
    }
    var T: Int, B: Int, I: Int, H: Int, O: Int
    var x: [Double]
    var targets: [Double]
    var initial: [String: [Double]]
    var cases: [Case]

    static let shared: OptimizerFixture? = {
        guard let url = Bundle.module.url(forResource: "optimizers", withExtension: "json", subdirectory: "Fixtures"),
            let data = try? Data(contentsOf: url)
        else { return nil }
        return try? JSONDecoder().decode(OptimizerFixture.self, from: data)
    }()

    /// The model with the fixture's initial parameters, and the batch, in Unroll's layout.
    func start() -> (Model<Double>, Sample<Double>) {
        var model = Model<Double>(spec: ModelSpec(cell: .lstm, inputSize: I, hiddenSizes: [H], outputSize: O), seed: 0)
        for (d, m) in zip(model.layout, model.values) {
            model.set(d.name, Matrix(rows: m.rows, cols: m.cols, storage: initial[d.name] ?? []))
        }
        func step(_ flat: [Double], _ t: Int, _ f: Int) -> Matrix<Double> {
            Matrix(rows: B, cols: f, storage: Array(flat[(t * B * f)..<((t + 1) * B * f)]))
        }
        let sample = Sample(
            inputs: (0..<T).map { step(x, $0, I) }, targets: .values((0..<T).map { step(targets, $0, O) }))
        return (model, sample)
    }
}

@Test("The fixture loads")
func optimizerFixtureLoads() throws {
    let f = try #require(OptimizerFixture.shared)
    #expect(f.cases.count == 6)
}

@Test(
    "SGD, momentum, RMSprop and Adam (with clipping) give PyTorch's weights to 1e-10 in Double",
    arguments: OptimizerFixture.shared?.cases ?? [])
func optimizerMatchesTorch(_ c: OptimizerFixture.Case) throws {
    let f = try #require(OptimizerFixture.shared)
    var (model, sample) = f.start()
    var state = OptimizerState<Double>()
    for (k, expected) in c.params.enumerated() {
        let r = try Engine.gradients(model: model, sample: sample, options: RunOptions(loss: .mse))
        let mean = r.gradients.map { g in
            Matrix(rows: g.rows, cols: g.cols, storage: g.storage.map { $0 / Double(f.T) })
        }
        #expect(abs(r.loss / Double(f.T) - c.losses[k]) < 1e-12, "loss at step \(k + 1)")
        let (clipped, _) = Engine.clip(mean, c.unrollClipping)
        state.update(&model.values, gradients: clipped, optimizer: c.unrollOptimizer, learningRate: c.learning_rate)
        for (d, m) in zip(model.layout, model.values) {
            let want = try #require(expected[d.name])
            let err = zip(m.storage, want).map { abs($0 - $1) }.max() ?? .infinity
            #expect(err < 1e-10, "\(d.name) after step \(k + 1): max error \(err)")
        }
    }
    #expect(state.step == c.params.count)
}

@Test(
    "The trainer's update equals the optimizer's on the same batch, in both precisions",
    arguments: [Optimizer.sgd(momentum: 0.5), .rmsprop(), .adam()])
func trainerUsesOptimizer(_ optimizer: Optimizer) throws {
    func body<T: EngineScalar>(_: T.Type) throws {
        let task = TrainingTask(kind: .adding, length: 6)
        let model = Model<T>(spec: task.spec(cell: .gru, hiddenSize: 3), seed: 2)
        let settings = TrainingSettings(optimizer: optimizer, learningRate: 0.05, clipping: .norm(0.1), batchSize: 4)
        var trainer = Trainer(model: model, task: task, settings: settings, seed: 9)
        var g = SeededGenerator(seed: 9)
        let batch: Sample<T> = task.batch(size: 4, generator: &g)
        let r = try Engine.gradients(model: model, sample: batch, options: task.runOptions())
        var expected = model.values
        var state = OptimizerState<T>()
        state.update(
            &expected, gradients: Engine.clip(r.gradients, .norm(0.1)).0, optimizer: optimizer, learningRate: 0.05)
        let record = try trainer.step()
        #expect(trainer.model.values == expected)
        #expect(record.loss == Double(r.loss))
        #expect(abs(record.gradientNormBefore - r.clip.normBefore) < 1e-5 * r.clip.normBefore)
        #expect(record.gradientNormAfter <= 0.1 + 1e-6)
        #expect(trainer.history == [record])
    }
    try body(Float.self)
    try body(Double.self)
}
