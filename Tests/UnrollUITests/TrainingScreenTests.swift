import Foundation
import Testing
import UnrollEngine
import UnrollLessons

@testable import UnrollUI

/// A snapshot of two models on a task: one falls from the baseline, one stays on it.
func trainingSnapshot(iterations: Int = 400, clipEvery: Int = 0) throws -> TrainingSnapshot {
    let lesson = try #require(Lesson.builtin(named: "vanishing"))
    var learner = lesson
    learner.cell = .lstm
    learner.initialization.forgetBias = 1
    func run(_ l: Lesson, label: String, decay: Double) throws -> TrainingSnapshot.Run {
        let (r, t) = try l.trace()
        let points = (1...iterations).map { i -> TrainingSnapshot.Point in
            let loss = 0.17 * exp(-decay * Double(i)) + 0.002 * Double(i % 7)
            let before = 1 + Double(i % 5)
            let clipped = clipEvery > 0 && i % clipEvery == 0
            return .init(
                iteration: i, loss: loss, accuracy: min(1, 0.08 + decay * Double(i)),
                normBefore: before, normAfter: clipped ? 1 : before)
        }
        return .init(
            label: label, points: points, example: TrainingExample(lesson: l, run: r, trace: t),
            exampleIteration: iterations, iterationsPerSecond: 123, seconds: 3.2)
    }
    return TrainingSnapshot(
        title: "LSTM against tanh RNN", task: "Adding problem, T = 12", lossName: "MSE", baselineLoss: 1.0 / 6,
        baselineLabel: "always predict 1", baselineAccuracy: 0.08, accuracyLabel: "|ŷ − y| < 0.04",
        optimizer: "Adam", batchSize: 32, iterations: 1000,
        runs: [
            try run(learner, label: "LSTM, H = 8", decay: 0.01),
            try run(lesson, label: "tanh RNN, H = 8", decay: 0.0001)
        ],
        state: .running)
}

@Test(
    "The training view at 80x24 and 140x45: both curves, the baseline, the norms and the example",
    arguments: [(80, 24), (140, 45)])
func trainingScreenSnapshot(_ size: (Int, Int)) throws {
    let board = TrainingBoard(
        snapshot: try trainingSnapshot(), control: .init(paused: false, learningRate: 0.01, clipping: .norm(1)))
    let canvas = TrainingScreen.render(
        board, theme: Theme(colorMode: .monochrome, glyphs: .unicode), width: size.0, height: size.1)
    expectSnapshot(canvas.lines(), named: "training-\(size.0)x\(size.1)")
}

@Test("The example's step chart names the loss it plots: the last loss step's alone (vanishing: L_12), never the total L")
func exampleChartNamesItsLoss() throws {
    // vanishing reads 12 words and takes its one loss at the last (examples/vanishing.yaml): L_12.
    let board = TrainingBoard(
        snapshot: try trainingSnapshot(), control: .init(paused: false, learningRate: 0.01, clipping: .norm(1)))
    for (w, h) in [(80, 24), (140, 45)] {
        let lines = TrainingScreen.render(
            board, theme: Theme(colorMode: .monochrome, glyphs: .unicode), width: w, height: h).lines()
        #expect(lines.contains { $0.contains("‖∂L_12/∂h_t‖ of the example") }, "\(w)x\(h)")
        #expect(!lines.contains { $0.contains("‖∂L/∂h_t‖ of the example") }, "\(w)x\(h)")
    }
}

@Test("Training keys: learning rate on the 1-2-5 ladder, clipping cycle, one iteration pauses, restart counts")
func trainingBoardActions() throws {
    var board = TrainingBoard(
        snapshot: try trainingSnapshot(), control: .init(paused: false, learningRate: 0.01, clipping: .none))
    board.handle(.learningRateUp)
    #expect(board.control.learningRate == 0.02)
    board.handle(.learningRateUp)
    board.handle(.learningRateUp)
    #expect(abs(board.control.learningRate - 0.1) < 1e-12)
    board.handle(.learningRateDown)
    board.handle(.learningRateDown)
    board.handle(.learningRateDown)
    board.handle(.learningRateDown)
    #expect(abs(board.control.learningRate - 0.005) < 1e-12)
    #expect(board.notice == "learning rate 0.005")
    var seen: [Clipping] = []
    for _ in TrainingBoard.clippings {
        board.handle(.cycleClipping)
        seen.append(board.control.clipping)
    }
    #expect(seen == [.norm(10), .norm(1), .norm(0.1), .value(0.1), .none])
    board.handle(.stepOnce)
    #expect(board.control.paused && board.control.stepRequests == 1)
    board.handle(.togglePause)
    #expect(!board.control.paused)
    board.handle(.restart)
    #expect(board.control.restarts == 1)
    #expect(board.selectedRun == 0)
    board.handle(.nextRun)
    #expect(board.selectedRun == 1 && board.notice == "showing tanh RNN, H = 8")
    let columns = try #require(board.example).columns
    board.handle(.exampleLeft)
    board.handle(.exampleLeft)
    #expect(board.example?.inspectedColumn == columns - 3)
    board.handle(.quit)
    #expect(board.wantsQuit)
}

@Test("A finished run cannot be resumed; the notice says how to start again")
func trainingFinished() throws {
    var snapshot = try trainingSnapshot()
    snapshot.state = .finished
    var board = TrainingBoard(snapshot: snapshot, control: .init(paused: false, learningRate: 0.01, clipping: .none))
    board.handle(.togglePause)
    #expect(!board.control.paused && board.notice == "training is finished: r starts again")
}

@Test("The status line drops 'training' when the run finishes, and keeps other notices")
func trainingNoticeFollowsState() throws {
    var snapshot = try trainingSnapshot()
    snapshot.state = .paused
    var board = TrainingBoard(snapshot: snapshot, control: .init(paused: true, learningRate: 0.01, clipping: .none))
    board.handle(.togglePause)
    #expect(board.notice == "training")
    snapshot.state = .running
    board.update(snapshot)
    snapshot.state = .finished
    board.update(snapshot)
    #expect(board.notice == nil)
    board.handle(.cycleClipping)
    snapshot.state = .paused
    board.update(snapshot)
    #expect(board.notice == "clipping: norm ≤ 10", "a notice about a setting stays")
}

@Test(
    "Training keys map to their actions",
    arguments: [
        (Key.character(" "), TrainingAction.togglePause), (.character("."), .stepOnce),
        (.character("]"), .learningRateUp),
        (.character("["), .learningRateDown), (.character("x"), .cycleClipping), (.tab, .nextRun),
        (.left, .exampleLeft),
        (.right, .exampleRight), (.character("r"), .restart), (.character("?"), .toggleHelp), (.interrupt, .quit)
    ] as [(Key, TrainingAction)])
func trainingKeyMap(_ key: Key, _ action: TrainingAction) {
    #expect(TrainingKeyMap.action(for: key) == action)
}

@Test("docs/keys.md lists every binding of the training view's help")
func trainingKeysDocumented() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/keys.md")
    let doc = try String(contentsOf: url, encoding: .utf8)
    for b in TrainingKeyMap.bindings {
        let keys = b.keys.split(separator: " ").map { "`\($0)`" }.joined(separator: " ")
        #expect(doc.contains("| \(keys) | \(b.help) |"), "docs/keys.md lacks: \(b.keys) \(b.help)")
    }
}

@Test("The loss plot puts a curve on the baseline at the baseline's row, and marks a NaN loss")
func linePlotRows() {
    var canvas = Canvas(width: 30, height: 6)
    let theme = Theme(colorMode: .monochrome, glyphs: .ascii)
    LinePlot.render(
        [.init(x: [1, 2, 3, 4], y: [1, 0.1, 0.01, .nan], glyph: "o", style: .plain)],
        references: [.init(y: 0.1, label: "base", style: .plain)], xRange: 1...4, logY: true,
        xLabel: "it", theme: theme, into: &canvas, canvas.bounds)
    let lines = canvas.lines()
    #expect(lines[0].hasPrefix("1       o") && lines[0].hasSuffix("!"))
    #expect(lines[2].contains("o") && lines[2].hasSuffix("base"))
    #expect(lines[4].hasPrefix("0.01") && lines[4].contains("o"))
    #expect(lines[5].contains("it"))
}
