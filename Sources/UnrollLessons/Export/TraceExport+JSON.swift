import UnrollEngine

extension TraceExport {
    /// The trace as one pretty-printed JSON document (docs/trace-format.md), ending with a newline.
    ///
    /// Top-level keys, in order: `format`, `version`, `lesson`, `dtype`, `model`,
    /// `options`, `vocabulary`, `loss`, `clip`, `recurrent`, `non_finite`,
    /// `parameters`, `columns`, `layers`, `conditioning`. A `B × n` matrix is an
    /// array of B rows; a parameter is nested exactly as PyTorch's `state_dict`
    /// holds it (`[rows][cols]`, or a flat `[n]` for a bias). NaN and ±Inf are the
    /// strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
    /// - Parameters:
    ///   - lesson: the lesson (its name, title and precision).
    ///   - run: the lesson's labels, vocabulary and parameter layout, from `lesson.trace()`.
    ///   - trace: the trace from the same call.
    /// - Complexity: O(size of the trace).
    public static func json(lesson: Lesson, run: LessonRun<Double>, trace: Trace<Double>) -> String {
        typealias J = TraceExportJSON
        func num(_ d: Double) -> J { .number(d) }
        func matrix(_ m: Matrix<Double>) -> J { .array((0..<m.rows).map { r in .array(m.row(r).map(num)) }) }
        func matrix(_ m: Matrix<Double>?) -> J { J.optional(m, matrix) }
        func ints(_ a: [Int]) -> J { .array(a.map(J.int)) }
        func clipping(_ c: Clipping) -> J {
            let (kind, threshold) = clippingParts(c)
            return .object([("kind", .string(kind)), ("threshold", J.optional(threshold, num))])
        }

        let spec = trace.spec, a = spec.architecture
        let conditioning: J = J.optional(spec.conditioningFeatures) { v in
            .object([("mode", .string(a.conditioning.rawValue)), ("size", .int(v))])
        }
        let model: J = .object([
            ("cell", .string(a.cell.rawValue)),
            ("activation", .string(a.activation.rawValue)),
            ("input_size", .int(spec.inputSize)),
            ("hidden_sizes", ints(a.hiddenSizes)),
            ("output_size", .int(spec.outputSize)),
            ("bidirectional", .bool(a.bidirectional)),
            ("skip", J.optional(a.skip, J.int)),
            (
                "deep",
                .object([
                    ("input", .int(a.deep.input)), ("transition", .int(a.deep.transition)),
                    ("output", .int(a.deep.output)), ("shortcut", .bool(a.deep.shortcut))
                ])
            ),
            ("configuration", .string(a.configuration.rawValue)),
            ("feedback", .string(a.feedback.rawValue)),
            ("conditioning", conditioning)
        ])
        let options: J = .object([
            ("loss", .string(trace.options.loss.rawValue)),
            ("loss_columns", ints(trace.lossColumns)),
            ("truncation", J.optional(trace.options.truncation, J.int)),
            ("clipping", clipping(trace.options.clipping))
        ])
        let clip: J = .object([
            ("clipping", clipping(trace.clip.clipping)),
            ("norm_before", num(trace.clip.normBefore)),
            ("norm_after", num(trace.clip.normAfter)),
            ("clipped", .bool(trace.clip.clipped))
        ])
        let recurrent: J = .array(
            trace.recurrent.map { s in
                .object([
                    ("name", .string(s.name)), ("spectral_radius", num(s.spectralRadius)),
                    ("largest_singular_value", num(s.largestSingularValue))
                ])
            })
        let nonFinite: J = .object([
            ("forward_column", J.optional(trace.nonFiniteForwardColumn, J.int)),
            ("backward_column", J.optional(trace.nonFiniteBackwardColumn, J.int))
        ])

        let clipped = trace.options.clipping != Clipping.none
        let parameters: J = .object(
            trace.parameterNames.indices.map { k in
                let name = trace.parameterNames[k]
                let shape = shape(of: name, value: trace.parameters[k], layout: run.model.layout)
                func nested(_ m: Matrix<Double>) -> J { shape.count == 1 ? .array(m.storage.map(num)) : matrix(m) }
                var members: [(String, J)] = [
                    ("shape", ints(shape)), ("value", nested(trace.parameters[k])),
                    ("grad", nested(trace.gradients[k]))
                ]
                if clipped { members.append(("clipped_grad", nested(trace.clippedGradients[k]))) }
                return (name, .object(members))
            })

        let columns: J = .array(
            (0..<trace.columns).map { c in
                .object([
                    ("column", .int(c)),
                    ("segment", .string(segment(ofColumn: c, trace: trace))),
                    ("input", J.optional(inputToken(c, run: run), J.string)),
                    ("target", J.optional(targetToken(c, run: run), J.string)),
                    ("x", matrix(trace.inputs[c])),
                    ("grad_x", matrix(trace.inputGradients[c])),
                    ("y", matrix(trace.outputs[c])),
                    ("grad_y", matrix(trace.outputGradients[c])),
                    ("loss", J.optional(trace.losses[c], num))
                ])
            })

        let gateNames = a.cell.gateNames
        let isLSTM = a.cell == .lstm
        let layers: J = .array(
            trace.layers.map { layer in
                let terms = layer.recurrentTermNorms.count == layer.steps.count ? layer.recurrentTermNorms : nil
                let sums = layer.recurrentSumNorms.count == layer.steps.count ? layer.recurrentSumNorms : nil
                let steps: J = .array(
                    layer.steps.enumerated().map { i, s in
                        .object([
                            ("column", .int(s.column)),
                            ("preactivation", matrix(s.preactivation)),
                            ("gates", .object(zip(gateNames, s.gates).map { ($0, matrix($1)) })),
                            ("hidden", matrix(s.hidden)),
                            ("cell", matrix(s.cell)),
                            ("grad_hidden", matrix(s.hiddenGradient)),
                            ("grad_cell", matrix(s.cellGradient)),
                            ("jacobian_norm", trace.options.recordJacobians ? num(s.jacobianNorm) : .null),
                            ("cell_jacobian_norm", isLSTM ? num(s.cellJacobianNorm) : .null),
                            ("last_loss_grad_norm", num(s.lastLossGradientNorm)),
                            ("recurrent_term_norm", J.optional(terms?[i], num)),
                            ("recurrent_sum_norm", J.optional(sums?[i], num))
                        ])
                    })
                return .object([
                    ("label", .string(layer.label)),
                    ("layer", .int(layer.layer)),
                    ("direction", .string(direction(layer))),
                    ("segment", .string(layer.segment)),
                    ("hidden_size", .int(layer.hiddenSize)),
                    ("start_column", .int(layer.startColumn)),
                    ("h0", matrix(layer.initialHidden)),
                    ("grad_h0", matrix(layer.initialHiddenGradient)),
                    ("c0", matrix(layer.initialCell)),
                    ("grad_c0", matrix(layer.initialCellGradient)),
                    ("steps", steps)
                ])
            })

        let conditioningValues: J =
            trace.conditioning == nil && trace.context == nil
            ? .null
            : .object([
                ("value", matrix(trace.conditioning)),
                ("grad", matrix(trace.conditioningGradient)),
                ("context", matrix(trace.context))
            ])

        let document: J = .object([
            ("format", .string(formatName)),
            ("version", .int(formatVersion)),
            ("lesson", .object([("name", .string(lesson.name)), ("title", .string(lesson.title))])),
            ("dtype", .string(lesson.precision.rawValue)),
            ("model", model),
            ("options", options),
            ("vocabulary", .array(run.vocabulary.map(J.string))),
            ("loss", num(trace.loss)),
            ("clip", clip),
            ("recurrent", recurrent),
            ("non_finite", nonFinite),
            ("parameters", parameters),
            ("columns", columns),
            ("layers", layers),
            ("conditioning", conditioningValues)
        ])
        return document.rendered() + "\n"
    }
}
