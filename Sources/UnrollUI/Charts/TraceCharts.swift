import UnrollEngine
import UnrollLessons

/// The charts `unroll figure --plot` draws of one layer of a trace: the numbers are the trace's and the lab's
/// (``GradientSeries``, the gradient panel's, with its bound); only the drawing is here.
public enum TraceCharts {
    /// Why a chart cannot be drawn.
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    /// ‖∂L/∂h_t‖ against t on a log axis, for the loss the gradient panel plots (the total unless `m` chose one);
    /// ‖∂L/∂c_t‖ beside it for an LSTM; the panel's bound as a dashed line where one holds, else the note says why.
    public static func gradient(
        trace: Trace<Double>, layer index: Int, series: GradientSeries, title: String
    )
        throws(Refusal) -> LineChart
    {
        let layer = try self.layer(trace, index)
        guard trace.hasGradients else { throw Refusal(description: "this lesson's trace has no gradients to plot") }
        let t = { (i: Int) in Double(layer.startColumn + i + 1) }
        let name = series.lossName
        let which: String
        switch series.mode {
        case .total: which = "\(name) the total loss"
        case .last: which = "\(name) the last step's loss"
        case .step: which = "\(name) the loss at step \(series.lossColumn.map { $0 + 1 } ?? 0)"
        }
        let hidden = "‖∂\(name)/∂h_t‖"
        var lines = [
            LineChart.Series(
                name: hidden, points: series.hidden.enumerated().map { (t($0.offset), $0.element) },
                color: ChartFrame.okabeIto[0])
        ]
        if let cell = series.cell {
            lines.append(
                LineChart.Series(
                    name: "‖∂\(name)/∂c_t‖", points: cell.enumerated().map { (t($0.offset), $0.element) },
                    color: ChartFrame.okabeIto[2]))
        }
        // The panel's text for its dashed line, without the dash it starts with.
        let boundText = (series.boundText.first ?? "").replacingOccurrences(of: "╌ ", with: "")
        var note: String? = nil
        if let bound = series.bound {
            let points = bound.enumerated().compactMap { i, v in v.map { (t(i), $0) } }
            lines.append(
                LineChart.Series(
                    name: "bound " + boundText, points: points, color: ChartFrame.okabeIto[1], dashed: true))
        } else {
            note = boundText
        }
        if let c = trace.nonFiniteBackwardColumn {
            note = [note, "NaN/Inf from step \(c + 1) back: not drawn"].compactMap { $0 }.joined(separator: "; ")
        }
        let description =
            "\(hidden) against t, \(which), log scale"
            + (trace.layers.count > 1 ? ", layer \(layer.label)" : "") + ": "
            + series.hidden.enumerated().map { "t=\(Int(t($0.offset))) \(Format.number($0.element, digits: 3))" }
            .joined(separator: ", ")
        return LineChart(
            title: title + ": " + hidden + (trace.layers.count > 1 ? " (layer \(layer.label))" : ""),
            description: description, xLabel: "step t",
            yLabel: "\(hidden), \(which) (log scale)", series: lines, scale: .log, note: note)
    }

    /// The gates' names in the notes' notation, in `CellKind.gateNames` order.
    static func gateName(_ gate: String, cell: CellKind) -> String {
        switch (cell, gate) {
        case (.lstm, "i"): return "i_t input gate"
        case (.lstm, "f"): return "f_t forget gate"
        case (.lstm, "g"): return "g_t candidate (tanh)"
        case (.lstm, "o"): return "o_t output gate"
        case (.gru, "r"): return "r_t reset gate"
        case (.gru, "z"): return "z_t update gate"
        case (.gru, "n"): return "n_t candidate (tanh)"
        default: return gate + "_t"
        }
    }

    /// The gates' colours: Okabe–Ito's blue, orange, bluish green and reddish purple (no two of them close).
    static let gateColors = ["#0072B2", "#E69F00", "#009E73", "#CC79A7"]

    /// Each gate's activation averaged over the units (and batch rows) against t, one line per gate.
    public static func gates(trace: Trace<Double>, layer index: Int, title: String) throws(Refusal) -> LineChart {
        let layer = try self.layer(trace, index)
        let names = trace.spec.cell.gateNames
        guard !names.isEmpty, layer.steps.gates.count == names.count else {
            throw Refusal(
                description:
                    "a plain RNN has no gates: --plot gates needs an LSTM or a GRU (press c in --keys to change the cell)"
            )
        }
        var lines: [LineChart.Series] = []
        for (g, gate) in names.enumerated() {
            let points = (0..<layer.steps.count).map { i -> (t: Double, value: Double) in
                let m = layer.steps.gates[g][i]
                let mean = m.storage.isEmpty ? Double.nan : m.storage.reduce(0, +) / Double(m.storage.count)
                return (Double(layer.startColumn + i + 1), mean)
            }
            lines.append(
                LineChart.Series(
                    name: gateName(gate, cell: trace.spec.cell), points: points,
                    color: gateColors[g % gateColors.count]))
        }
        let negative = lines.contains { $0.points.contains { $0.value < 0 } }
        let description =
            "Each gate's mean activation over the \(layer.hiddenSize) units against t"
            + (trace.batchSize > 1 ? " (and the \(trace.batchSize) batch rows)" : "") + ": "
            + lines.map { s in
                s.name + " " + s.points.map { Format.number($0.value, digits: 3) }.joined(separator: " ")
            }.joined(separator: "; ")
        return LineChart(
            title: title + ": gate activations" + (trace.layers.count > 1 ? " (layer \(layer.label))" : ""),
            description: description, xLabel: "step t",
            yLabel: "mean over units of the gate's activation", series: lines, scale: .linear,
            range: negative ? (-1, 1) : (0, 1))
    }

    /// The hidden state h_t, units × steps, on a diverging scale (batch row 0).
    public static func heatmap(trace: Trace<Double>, layer index: Int, title: String) throws(Refusal) -> HeatmapChart {
        let layer = try self.layer(trace, index)
        let steps = layer.steps.count
        let values = (0..<layer.hiddenSize).map { j in
            (0..<steps).map { i in layer.steps.hidden[i].storage[j] }
        }
        let description =
            "The hidden state h_t of \(layer.hiddenSize) units over \(steps) steps"
            + (trace.batchSize > 1 ? " (batch row 1 of \(trace.batchSize))" : "")
            + ", blue negative, white zero, red positive: "
            + values.enumerated().map { j, row in
                "unit \(j + 1) " + row.map { Format.number($0, digits: 2) }.joined(separator: " ")
            }.joined(separator: "; ")
        let notes =
            (trace.batchSize > 1 ? ["batch row 1 of \(trace.batchSize)"] : [])
            + (values.joined().contains { !$0.isFinite } ? ["grey: NaN or Inf"] : [])
        return HeatmapChart(
            title: title + ": hidden state h_t" + (trace.layers.count > 1 ? " (layer \(layer.label))" : ""),
            description: description, xLabel: "step t", yLabel: "unit j of h_t", values: values,
            firstColumn: layer.startColumn + 1, note: notes.isEmpty ? nil : notes.joined(separator: "; "))
    }

    static func layer(_ trace: Trace<Double>, _ index: Int) throws(Refusal) -> LayerTrace<Double> {
        guard trace.layers.indices.contains(index), !trace.layers[index].steps.isEmpty else {
            throw Refusal(description: "the trace has no steps in that layer to plot")
        }
        return trace.layers[index]
    }
}
