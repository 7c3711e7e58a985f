import Testing
import UnrollEngine

@testable import UnrollTraining

/// θ − lr·g/n for every parameter: one SGD step on the mean of a summed gradient, written out.
private func sgd(_ values: [Matrix<Double>], _ gradients: [Matrix<Double>], lr: Double, over n: Int) -> [Matrix<Double>]
{
    zip(values, gradients).map { v, g in
        Matrix(rows: v.rows, cols: v.cols, storage: zip(v.storage, g.storage).map { $0 - lr * $1 / Double(n) })
    }
}

private func maxDifference(_ a: [Matrix<Double>], _ b: [Matrix<Double>]) -> Double {
    zip(a, b).map { x, y in zip(x.storage, y.storage).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
}

@Test("Truncation k = 2 on T = 4 with SGD is two steps: chunk 1, update, chunk 2 from h_2 with the updated weights")
func truncationUpdatesPerChunk() throws {
    let task = TrainingTask(kind: .noisySine, length: 4)
    let model = Model<Double>(spec: task.spec(cell: .rnn, hiddenSize: 3), seed: 8)
    let lr = 0.5
    var trainer = Trainer(
        model: model, task: task,
        settings: TrainingSettings(optimizer: .sgd(), learningRate: lr, truncation: 2, batchSize: 2), seed: 3)
    var g = SeededGenerator(seed: 3) // the trainer's stream of batches
    let batch: Sample<Double> = task.batch(size: 2, generator: &g)
    guard case .values(let y) = batch.targets else {
        Issue.record("noisy sine has values")
        throw TrainingError(problems: [])
    }
    try #require(batch.inputs.count == 4 && y.count == 4)

    // Chunk 1 (steps 1-2) with the initial weights, then one SGD step on its mean loss.
    let first = Sample(inputs: Array(batch.inputs[0..<2]), targets: .values(Array(y[0..<2])))
    let g1 = try Engine.gradients(model: model, sample: first)
    let h2 = try #require(Engine.run(model: model, sample: first).layers.first?.steps.last?.hidden)
    var updated = model
    updated.values = sgd(model.values, g1.gradients, lr: lr, over: 2)
    // Chunk 2 (steps 3-4) from h_2 as a given h_0, with the updated weights; a second step.
    var second = Sample(inputs: Array(batch.inputs[2..<4]), targets: .values(Array(y[2..<4])))
    second.initialHidden = ["l0": h2]
    let g2 = try Engine.gradients(model: updated, sample: second)
    let expected = sgd(updated.values, g2.gradients, lr: lr, over: 2)

    let record = try trainer.step()
    #expect(maxDifference(trainer.model.values, expected) < 1e-14)
    #expect(maxDifference(trainer.model.values, updated.values) > 1e-6) // the second update did something
    #expect(record.updates == 2)
    #expect(abs(record.loss - Double(g1.loss + g2.loss) / 4) < 1e-14)
    #expect(trainer.state.step == 2)
}

@Test("Without truncation an iteration is one update on the whole sequence's mean loss, as before")
func wholeSequenceIsOneUpdate() throws {
    let task = TrainingTask(kind: .noisySine, length: 4)
    let model = Model<Double>(spec: task.spec(cell: .gru, hiddenSize: 3), seed: 8)
    var trainer = Trainer(
        model: model, task: task, settings: TrainingSettings(optimizer: .sgd(), learningRate: 0.5, batchSize: 2),
        seed: 3)
    var g = SeededGenerator(seed: 3)
    let batch: Sample<Double> = task.batch(size: 2, generator: &g)
    let whole = try Engine.gradients(model: model, sample: batch, options: RunOptions(loss: .mse, lossSteps: .all))
    let record = try trainer.step()
    #expect(maxDifference(trainer.model.values, sgd(model.values, whole.gradients, lr: 0.5, over: 4)) < 1e-14)
    #expect(record.updates == 1 && abs(record.loss - Double(whole.loss) / 4) < 1e-14)
}

@Test("Many-to-one with truncation: chunks without the loss only carry the state (h and c); one update at the end")
func manyToOneCarriesThenUpdates() throws {
    let task = TrainingTask(kind: .adding, length: 6)
    let model = Model<Double>(spec: task.spec(cell: .lstm, hiddenSize: 3), seed: 2)
    var trainer = Trainer(
        model: model, task: task,
        settings: TrainingSettings(optimizer: .sgd(), learningRate: 0.5, truncation: 4, batchSize: 2), seed: 5)
    var g = SeededGenerator(seed: 5)
    let batch: Sample<Double> = task.batch(size: 2, generator: &g)
    guard case .values(let y) = batch.targets else {
        Issue.record("adding has values")
        throw TrainingError(problems: [])
    }
    // Steps 1-4 take no loss: no update, so the state at step 4 is the whole sequence's with the initial weights.
    let step4 = try #require(Engine.run(model: model, sample: batch, options: task.runOptions()).layers.first?.steps[3])
    var rest = Sample(inputs: Array(batch.inputs[4..<6]), targets: .values(Array(y[4..<6])))
    rest.initialHidden = ["l0": step4.hidden]
    rest.initialCell = ["l0": try #require(step4.cell)]
    let last = try Engine.gradients(model: model, sample: rest, options: RunOptions(loss: .mse, lossSteps: .last))
    let record = try trainer.step()
    #expect(record.updates == 1)
    #expect(maxDifference(trainer.model.values, sgd(model.values, last.gradients, lr: 0.5, over: 1)) < 1e-14)
    #expect(abs(record.loss - Double(last.loss)) < 1e-14)
}

@Test("The CSV log counts the updates of each iteration")
func csvCountsUpdates() {
    let r = IterationRecord(
        iteration: 3, loss: 0.5, accuracy: nil, gradientNormBefore: 2, gradientNormAfter: 1,
        learningRate: 0.1, seconds: 1.5, updates: 4)
    #expect(IterationRecord.csvHeader.hasSuffix(",seconds,updates"))
    #expect(r.csvRow == "3,0.5,,2.0,1.0,0.1,1.5,4")
}
