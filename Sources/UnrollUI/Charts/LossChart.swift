import UnrollTraining

extension TraceCharts {
    /// One training run for ``loss(runs:task:title:)``: its label and its iterations.
    public struct Run: Sendable {
        /// What the legend calls it ("LSTM, H = 32").
        public var label: String
        /// Its iterations, in order.
        public var history: [IterationRecord]

        /// A run.
        public init(label: String, history: [IterationRecord]) {
            (self.label, self.history) = (label, history)
        }
    }

    /// The most points a loss curve gets: past it, each point is the mean of a block of iterations.
    public static let lossPoints = 200

    /// Training loss against iteration, one curve per run (Okabe–Ito colours, in order), and the task's baseline
    /// (the best predictor without memory) dashed. With more than ``lossPoints`` iterations each point is the mean
    /// loss of a block of ⌈iterations / 200⌉, at the block's last iteration, as the axis label says. A log axis when
    /// the losses span more than a decade, as training losses that fall well below the baseline do; else linear.
    public static func loss(runs: [Run], task: TrainingTask, title: String) throws(Refusal) -> LineChart {
        guard !runs.isEmpty, runs.allSatisfy({ !$0.history.isEmpty }) else {
            throw Refusal(description: "no iterations to plot")
        }
        let longest = runs.map(\.history.count).max() ?? 1
        let block = max(1, (longest + lossPoints - 1) / lossPoints)
        var lines: [LineChart.Series] = []
        for (k, run) in runs.enumerated() {
            var points: [(t: Double, value: Double)] = []
            var start = 0
            while start < run.history.count {
                let part = run.history[start..<min(start + block, run.history.count)]
                let mean = part.map(\.loss).reduce(0, +) / Double(part.count)
                points.append((Double(part.last?.iteration ?? 0), mean))
                start += block
            }
            let color = ChartFrame.okabeIto[k % (ChartFrame.okabeIto.count - 2)]
            lines.append(LineChart.Series(name: run.label, points: points, color: color, marks: points.count <= 30))
        }
        let first = Double(runs.map { $0.history.first?.iteration ?? 1 }.min() ?? 1)
        lines.append(
            LineChart.Series(
                name: "baseline: " + task.baselineLabel,
                points: [(first, task.baselineLoss), (Double(longest), task.baselineLoss)], color: "#000000",
                dashed: true))
        let values = lines.flatMap { $0.points.map(\.value) }.filter { $0.isFinite && $0 > 0 }
        let spread = (values.max() ?? 1) / (values.min() ?? 1)
        let scale: ChartAxis.Scale = spread > 10 ? .log : .linear
        let unit = task.loss == .mse ? "mean squared error" : "cross-entropy, nats"
        let averaged = block > 1 ? ", each point the mean of \(block)" : ""
        let description =
            "Training loss (\(unit)) against iteration on \(task.title)\(averaged)"
            + (scale == .log ? ", log scale" : "") + ": "
            + runs.map { r in
                let last = r.history.suffix(max(1, r.history.count / 10))
                let mean = last.map(\.loss).reduce(0, +) / Double(last.count)
                return "\(r.label) from \(Format.number(r.history[0].loss, digits: 3)) to "
                    + "\(Format.number(mean, digits: 3)) (mean of the last \(last.count) of \(r.history.count))"
            }.joined(separator: "; ") + "; baseline \(Format.number(task.baselineLoss, digits: 3))"
        var range: (Double, Double)? = nil
        if scale == .linear, let top = values.max() { range = (0, top * 1.05) }
        return LineChart(
            title: title + ": training loss", description: description,
            xLabel: "iteration (one mini-batch\(averaged))",
            yLabel: "loss (\(unit))" + (scale == .log ? ", log scale" : ""), series: lines, scale: scale,
            range: range)
    }
}
