import Foundation
import Testing
import UnrollEngine
import UnrollLessons
import UnrollTraining

/// train-chars cut down to 8 units and batches of 2, and a worker on it (paused, not started) that writes samples.
private func charactersWorker(iterations: Int = 6) throws -> (Lesson, TrainingWorker) {
    var lesson = try #require(Lesson.builtin(named: "train-chars"))
    lesson.hiddenSizes = [8]
    lesson.training?.settings.batchSize = 2
    lesson.training?.settings.iterations = iterations
    let plan = try #require(lesson.training)
    let template = TrainingSnapshot(
        title: "chars", task: plan.task.title, lossName: "cross-entropy", baselineLoss: plan.task.baselineLoss,
        baselineLabel: plan.task.baselineLabel, optimizer: "Adam", batchSize: 2, iterations: iterations, runs: [],
        vocabulary: plan.task.corpus.alphabet)
    let worker = TrainingWorker(
        runs: [(label: "chars", lesson: lesson)], template: template,
        control: TrainingControl(
            paused: true, learningRate: plan.settings.learningRate, clipping: plan.settings.clipping)
    ) {}
    return (lesson, worker)
}

/// Asks `worker` for `change` and waits until it has done it.
private func ask(_ worker: TrainingWorker, _ change: (inout TrainingControl) -> Void) throws -> TrainingSnapshot {
    var c = worker.control
    change(&c)
    worker.apply(c)
    return try #require(worker.settled(before: .now + .seconds(60)), "the worker did not settle within 60 s")
}

/// The model of `lesson` after `n` iterations, trained without the worker, in Double.
private func trained(_ lesson: Lesson, iterations n: Int) throws -> Model<Double> {
    switch lesson.precision {
    case .float32:
        var t: Trainer<Float> = try #require(lesson.trainer())
        for _ in 0..<n { _ = try t.step() }
        return t.model.converted()
    case .float64:
        var t: Trainer<Double> = try #require(lesson.trainer())
        for _ in 0..<n { _ = try t.step() }
        return t.model
    }
}

@Suite("Samples of the training worker (issue 26, item 2)")
struct TrainingSamplesWorkerTests {
    @Test(
        "Paused at the start it writes one sample of the initial weights; a step, a temperature or a prime writes another"
    )
    func samplesWhenIdle() throws {
        let (lesson, worker) = try charactersWorker()
        worker.start()
        defer { worker.stop() }
        let first = try #require(worker.settled(before: .now + .seconds(60)))
        let s0 = try #require(first.runs.first?.samples)
        try #require(s0.count == 1)
        #expect(s0[0].iteration == 0 && s0[0].temperature == 1 && s0[0].prime == "")
        #expect(s0[0].text.count == TrainingWorker.sampleLength)
        // Three steps, then greedy from "alice": a sample at iteration 3, temperature 0, the prime kept with it.
        var s = try ask(worker) { $0.stepRequests += 3 }
        s = try ask(worker) {
            $0.temperature = 0
            $0.prime = "alice"
        }
        let samples = try #require(s.runs.first?.samples)
        let last = try #require(samples.last)
        #expect(last.iteration == 3 && last.temperature == 0 && last.prime == "alice")
        #expect(
            samples.map(\.iteration).allSatisfy { $0 <= 3 }
                && samples.map(\.iteration) == samples.map(\.iteration).sorted())
        // Checked independently: the model trained 3 iterations without the worker reads "alice" and the sample in
        // one forward pass (Engine.run over the whole sequence, not the sampler's step by step); at temperature 0
        // each character drawn is the argmax of the output before it.
        let model = try trained(lesson, iterations: 3)
        let alphabet = try #require(lesson.training?.task.corpus.alphabet)
        let read = Array("alice" + last.text.dropLast())
        let inputs = try read.map { c -> Matrix<Double> in
            var x = Matrix<Double>(rows: 1, cols: alphabet.count)
            x[0, try #require(alphabet.firstIndex(of: c))] = 1
            return x
        }
        let trace = try Engine.run(
            model: model, sample: Sample(inputs: inputs, targets: .classes(read.map { _ in [0] })),
            options: RunOptions(loss: .crossEntropy, lossSteps: .all, recordJacobians: false))
        let written = Array(last.text)
        try #require(written.count == TrainingWorker.sampleLength)
        for (k, c) in written.enumerated() {
            let y = try #require(trace.outputs[4 + k])
            let best = (0..<y.cols).max { y[0, $0] < y[0, $1] } ?? -1
            #expect(alphabet[best] == c, "character \(k) of \(last.text.debugDescription)")
        }
    }

    @Test(
        "Training to the end writes samples (the last of the final weights); samples off writes none; a restart clears them"
    )
    func samplesWhileTraining() throws {
        let (_, worker) = try charactersWorker(iterations: 120)
        worker.start()
        defer { worker.stop() }
        _ = try #require(worker.settled(before: .now + .seconds(60)), "the worker did not settle within 60 s")
        let done = try ask(worker) { $0.paused = false }
        #expect(done.state == .finished)
        let samples = try #require(done.runs.first?.samples)
        #expect(
            samples.first?.iteration == 0 && samples.last?.iteration == 120 && samples.count >= 2,
            "\(samples.map(\.iteration))")
        let restarted = try ask(worker) {
            $0.restarts += 1
            $0.paused = true
            $0.samples = false
        }
        #expect(restarted.runs.first?.samples.isEmpty == true && restarted.runs.first?.points.isEmpty == true)
    }
}
