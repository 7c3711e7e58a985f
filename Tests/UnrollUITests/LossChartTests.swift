import Foundation
import Testing
import UnrollLessons
import UnrollTraining

@testable import UnrollUI

/// `TraceCharts.loss`: training loss curves, checked against hand computation on made-up histories.
@Suite("Charts: training loss")
struct LossChartTests {
    /// A history whose loss at iteration i is `f(i)`.
    func history(_ count: Int, _ f: (Int) -> Double) -> [IterationRecord] {
        (1...count).map {
            IterationRecord(
                iteration: $0, loss: f($0), accuracy: nil, gradientNormBefore: 1, gradientNormAfter: 1,
                learningRate: 0.01, seconds: 0)
        }
    }

    @Test("450 iterations: points are means of blocks of 3 at the block's last iteration; a log axis over 2 decades")
    func blocks() throws {
        let task = try #require(Lesson.builtin(named: "train-adding-rnn")?.training?.task)
        let chart = try TraceCharts.loss(
            runs: [
                TraceCharts.Run(label: "RNN", history: history(450) { Double($0) }),
                TraceCharts.Run(label: "LSTM", history: history(450) { 1 / Double($0) })
            ], task: task, title: "T")
        try #require(chart.series.count == 3)
        let rnn = chart.series[0].points
        try #require(rnn.count == 150)
        // Block k (from 1) holds iterations 3k−2, 3k−1, 3k: mean 3k−1, drawn at t = 3k.
        for (i, p) in rnn.enumerated() {
            #expect(p.t == Double(3 * (i + 1)) && abs(p.value - Double(3 * (i + 1) - 1)) < 1e-12, "\(i): \(p)")
        }
        // The first LSTM block: (1 + 1/2 + 1/3) / 3 = 11/18.
        #expect(abs(chart.series[1].points[0].value - 11.0 / 18) < 1e-12)
        #expect(chart.scale == .log)
        #expect(chart.yLabel == "loss (mean squared error), log scale")
        #expect(chart.xLabel == "iteration (one mini-batch, each point the mean of 3)")
        // Distinct Okabe–Ito colours for the runs, the baseline dashed at 1/6 (the adding problem's) in black.
        #expect(chart.series[0].color != chart.series[1].color)
        #expect(ChartFrame.okabeIto.contains(chart.series[0].color) && ChartFrame.okabeIto.contains(chart.series[1].color))
        let baseline = chart.series[2]
        #expect(baseline.dashed && baseline.points.allSatisfy { abs($0.value - 1.0 / 6) < 1e-15 })
        #expect(baseline.name.hasPrefix("baseline: "))
        // Hundreds of points: a line, no dots.
        #expect(!chart.series[0].marks)
        #expect(!chart.svg().contains("class=\"point\""))
    }

    @Test("Losses within a decade: a linear axis from 0; cross-entropy in nats")
    func linear() throws {
        let task = try #require(Lesson.builtin(named: "train-copy-rnn")?.training?.task)
        let chart = try TraceCharts.loss(
            runs: [TraceCharts.Run(label: "RNN", history: history(20) { 0.5 - Double($0) / 100 })], task: task, title: "T")
        #expect(chart.scale == .linear)
        #expect(chart.range?.lower == 0)
        #expect(chart.yLabel == "loss (cross-entropy, nats)")
        #expect(chart.xLabel == "iteration (one mini-batch)")
        #expect(chart.series[0].marks && chart.series[0].points.count == 20)
    }

    @Test("No iterations: refused")
    func empty() throws {
        let task = try #require(Lesson.builtin(named: "train-adding-rnn")?.training?.task)
        #expect(throws: TraceCharts.Refusal.self) {
            try TraceCharts.loss(runs: [TraceCharts.Run(label: "x", history: [])], task: task, title: "T")
        }
    }
}
