import UnrollEngine

extension TraceExport {
    /// The trace as one tidy long CSV table (docs/trace-format.md): a header, then one row per number.
    ///
    /// Columns: `section,name,column,token,layer,direction,unit,value`. `unit` is the
    /// row-major flat index: `r * cols + c` in a parameter, `b * n + i` in a `B × n`
    /// matrix. A cell that does not apply is empty. Text is quoted per RFC 4180 when
    /// it holds a comma, a quote or a line break. Rows end with LF.
    /// Non-finite values are `NaN`, `inf`, `-inf`, which pandas and numpy read as floats.
    /// - Parameters:
    ///   - lesson: the lesson; unused today, taken so that `csv` and `json` have the same arguments.
    ///   - run: the lesson's labels and parameter layout, from `lesson.trace()`.
    ///   - trace: the trace from the same call.
    /// - Complexity: O(size of the trace).
    public static func csv(lesson: Lesson, run: LessonRun<Double>, trace: Trace<Double>) -> String {
        var out = csvHeader + "\n"
        func row(
            _ section: String, name: String = "", column: Int? = nil, token: String? = nil,
            layer: String = "", direction: String = "", unit: Int? = nil, _ value: Double
        ) {
            out += section
            out += ","
            out += csvField(name)
            out += ","
            if let column { out += String(column) }
            out += ","
            out += csvField(token ?? "")
            out += ","
            out += csvField(layer)
            out += ","
            out += direction
            out += ","
            if let unit { out += String(unit) }
            out += ","
            out += csvNumber(value)
            out += "\n"
        }
        func rows(
            _ section: String, _ m: Matrix<Double>?, name: String = "", column: Int? = nil,
            token: String? = nil, layer: String = "", direction: String = ""
        ) {
            guard let m else { return }
            for (u, v) in m.storage.enumerated() {
                row(section, name: name, column: column, token: token, layer: layer, direction: direction, unit: u, v)
            }
        }

        let clipped = trace.options.clipping != Clipping.none
        for (k, name) in trace.parameterNames.enumerated() {
            rows("parameter", trace.parameters[k], name: name)
            rows("parameter_grad", trace.gradients[k], name: name)
            if clipped { rows("parameter_clipped_grad", trace.clippedGradients[k], name: name) }
        }
        rows("conditioning", trace.conditioning)
        rows("conditioning_grad", trace.conditioningGradient)
        rows("context", trace.context)
        for c in 0..<trace.columns {
            let input = inputToken(c, run: run)
            let target = targetToken(c, run: run)
            rows("input", trace.inputs[c], column: c, token: input)
            rows("input_grad", trace.inputGradients[c], column: c, token: input)
            rows("output", trace.outputs[c], column: c, token: target)
            rows("output_grad", trace.outputGradients[c], column: c, token: target)
            if let l = trace.losses[c] { row("loss", column: c, token: target, l) }
        }
        row("loss", trace.loss)
        let gateNames = trace.spec.cell.gateNames
        let isLSTM = trace.spec.cell == .lstm
        for layer in trace.layers {
            let (label, dir) = (layer.label, direction(layer))
            rows("h0", layer.initialHidden, layer: label, direction: dir)
            rows("grad_h0", layer.initialHiddenGradient, layer: label, direction: dir)
            rows("c0", layer.initialCell, layer: label, direction: dir)
            rows("grad_c0", layer.initialCellGradient, layer: label, direction: dir)
            let terms = layer.recurrentTermNorms.count == layer.steps.count ? layer.recurrentTermNorms : nil
            let sums = layer.recurrentSumNorms.count == layer.steps.count ? layer.recurrentSumNorms : nil
            for (i, s) in layer.steps.enumerated() {
                let (c, token) = (s.column, inputToken(s.column, run: run))
                rows("preactivation", s.preactivation, column: c, token: token, layer: label, direction: dir)
                for (g, m) in zip(gateNames, s.gates) {
                    rows("gate", m, name: g, column: c, token: token, layer: label, direction: dir)
                }
                rows("hidden", s.hidden, column: c, token: token, layer: label, direction: dir)
                rows("cell", s.cell, column: c, token: token, layer: label, direction: dir)
                rows("grad_hidden", s.hiddenGradient, column: c, token: token, layer: label, direction: dir)
                rows("grad_cell", s.cellGradient, column: c, token: token, layer: label, direction: dir)
                if trace.options.recordJacobians {
                    row("jacobian_norm", column: c, token: token, layer: label, direction: dir, s.jacobianNorm)
                }
                if isLSTM {
                    row("cell_jacobian_norm", column: c, token: token, layer: label, direction: dir, s.cellJacobianNorm)
                }
                row(
                    "last_loss_grad_norm", column: c, token: token, layer: label, direction: dir, s.lastLossGradientNorm
                )
                if let terms, let sums {
                    row("recurrent_term_norm", column: c, token: token, layer: label, direction: dir, terms[i])
                    row("recurrent_sum_norm", column: c, token: token, layer: label, direction: dir, sums[i])
                }
            }
        }
        for s in trace.recurrent {
            row("spectral_radius", name: s.name, s.spectralRadius)
            row("largest_singular_value", name: s.name, s.largestSingularValue)
        }
        row("clip_norm_before", trace.clip.normBefore)
        row("clip_norm_after", trace.clip.normAfter)
        return out
    }

    /// A CSV text field: as is, or quoted with inner quotes doubled when it holds a comma, quote, CR or LF (RFC 4180).
    static func csvField(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return s
        }
        var quoted = "\""
        for u in s.unicodeScalars {
            if u == "\"" { quoted += "\"\"" } else { quoted.unicodeScalars.append(u) }
        }
        return quoted + "\""
    }

    /// A CSV number: the Double's round-tripping description, or `NaN`, `inf`, `-inf`.
    static func csvNumber(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "inf" : "-inf" }
        return d.description
    }
}
