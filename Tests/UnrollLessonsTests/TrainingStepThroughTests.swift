import Foundation
import Testing
import UnrollEngine
import UnrollLessons
import UnrollTraining

// Issue 26, item 3: the training view's `o` steps through the current weights on a typed text. The weights are a
// copy taken between two iterations (the worker paused and settled); the step-through's numbers must be those of
// a forward pass on exactly those weights.

/// A forward pass written out from the equations (PyTorch's `nn.RNN` with tanh, `nn.LSTM` with gates i, f, g, o),
/// reading one-hot `classes` with the parameters of `model`: each step's h_t and softmax(W h_t + b).
private func handForward(
    _ model: Model<Double>, cell: CellKind, classes: [Int]
) throws -> (hidden: [[Double]], probabilities: [[Double]]) {
    let wih = try #require(model["weight_ih_l0"]), whh = try #require(model["weight_hh_l0"])
    let bih = try #require(model["bias_ih_l0"]), bhh = try #require(model["bias_hh_l0"])
    let wy = try #require(model["output.weight"]), by = try #require(model["output.bias"])
    let h = whh.cols, gates = cell == .lstm ? 4 : 1
    try #require(wih.rows == gates * h && by.cols == wy.rows)
    func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }
    var hPrev = [Double](repeating: 0, count: h), cPrev = hPrev
    var hs: [[Double]] = [], ps: [[Double]] = []
    for k in classes {
        // a = W_ih x + b_ih + W_hh h + b_hh, x one-hot at k.
        let a = (0..<(gates * h)).map { r in
            wih[r, k] + bih[0, r] + bhh[0, r] + (0..<h).reduce(0.0) { $0 + whh[r, $1] * hPrev[$1] }
        }
        var hNow = [Double](repeating: 0, count: h)
        if cell == .lstm {
            for j in 0..<h {
                let i = sigmoid(a[j]), f = sigmoid(a[h + j]), g = Foundation.tanh(a[2 * h + j]), o = sigmoid(a[3 * h + j])
                cPrev[j] = f * cPrev[j] + i * g
                hNow[j] = o * Foundation.tanh(cPrev[j])
            }
        } else {
            hNow = a.map { Foundation.tanh($0) }
        }
        let y = (0..<wy.rows).map { v in by[0, v] + (0..<h).reduce(0.0) { $0 + wy[v, $1] * hNow[$1] } }
        let m = y.max() ?? 0
        let e = y.map { Foundation.exp($0 - m) }
        let z = e.reduce(0, +)
        hs.append(hNow)
        ps.append(e.map { $0 / z })
        hPrev = hNow
    }
    return (hs, ps)
}

@Test(
    "The training view's step-through shows a forward pass on the weights of the iteration it paused at",
    arguments: [(CellKind.lstm, Precision.float32), (.rnn, .float64)])
func stepThroughTrainedWeights(cell: CellKind, precision: Precision) throws {
    var lesson = try #require(Lesson.builtin(named: "train-chars"))
    lesson.cell = cell
    lesson.hiddenSizes = [8]
    lesson.precision = precision
    lesson.training?.settings.batchSize = 2
    lesson.training?.settings.iterations = 20
    let plan = try #require(lesson.training)
    let template = TrainingSnapshot(
        title: "chars", task: plan.task.title, lossName: "cross-entropy", baselineLoss: plan.task.baselineLoss,
        baselineLabel: plan.task.baselineLabel, optimizer: "Adam", batchSize: 2, iterations: 20, runs: [],
        vocabulary: plan.task.corpus.alphabet)
    let worker = TrainingWorker(
        runs: [(label: "chars", lesson: lesson)], template: template,
        control: TrainingControl(paused: true, learningRate: plan.settings.learningRate, clipping: plan.settings.clipping)
    ) {}
    worker.start()
    defer { worker.stop() }
    var c = worker.control
    c.stepRequests += 3
    worker.apply(c)
    let settled = try #require(worker.settled(before: .now + .seconds(60)), "the worker did not settle in 60 s")
    let run = try #require(settled.runs.first)
    try #require(run.points.count == 3 && run.exampleIteration == 3)
    let example = try #require(run.example)

    let text = "the cat"
    let opened = try example.stepThrough(reading: text, iteration: run.exampleIteration)
    #expect(opened.problems.isEmpty && !opened.opensTrainingView)
    #expect(opened.title.contains("iteration 3"))
    let (shown, trace) = try opened.trace()
    try #require(trace.columns == text.count - 1)
    #expect(shown.inputLabels.joined() == "the␣ca")

    // Independently: the same lesson trained 3 iterations without the worker, then the equations by hand.
    var trainedModel: Model<Double>
    switch precision {
    case .float32:
        var t: Trainer<Float> = try #require(lesson.trainer())
        for _ in 0..<3 { _ = try t.step() }
        trainedModel = t.model.converted()
    case .float64:
        var t: Trainer<Double> = try #require(lesson.trainer())
        for _ in 0..<3 { _ = try t.step() }
        trainedModel = t.model
    }
    let alphabet = plan.task.corpus.alphabet
    let classes = try text.map { ch in try #require(alphabet.firstIndex(of: ch)) }
    let expected = try handForward(trainedModel, cell: cell, classes: Array(classes.dropLast()))
    // Float32 weights and sums in the step-through; the hand pass sums in Double.
    let tolerance = precision == .float32 ? 1e-5 : 1e-10
    for t in 0..<trace.columns {
        let p = try #require(trace.probabilities[t]).row(0)
        try #require(p.count == alphabet.count)
        for v in p.indices { #expect(abs(p[v] - expected.probabilities[t][v]) < tolerance, "step \(t + 1), class \(v)") }
        let h = trace.layers[0].steps[t].hidden.row(0)
        for j in h.indices { #expect(abs(h[j] - expected.hidden[t][j]) < tolerance, "step \(t + 1), unit \(j)") }
    }
    // The weights moved: the pass differs from one on the untrained weights (the snapshot is not of iteration 0).
    let untrained = try handForward(lesson.model(as: Double.self), cell: cell, classes: Array(classes.dropLast()))
    let moved = zip(untrained.probabilities.joined(), expected.probabilities.joined()).map { abs($0 - $1) }.max() ?? 0
    #expect(moved > 100 * tolerance)
}

@Test("A text the trained model cannot read is refused with the key that gave it, before anything opens")
func stepThroughRefusedText() throws {
    var lesson = try #require(Lesson.builtin(named: "train-chars"))
    lesson.hiddenSizes = [4]
    do {
        _ = try lesson.reading("a\u{1B}[2Jb", name: "o")
        Issue.record("an escape sequence was accepted")
    } catch {
        #expect(error.message.hasPrefix("o: character 2 is an escape sequence"))
    }
    var adding = try #require(Lesson.builtin(named: "train-adding-lstm"))
    adding.hiddenSizes = [4]
    #expect(throws: PromptError.self) { try adding.reading("ab", name: "o") }
}
