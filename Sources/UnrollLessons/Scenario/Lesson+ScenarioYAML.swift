import UnrollEngine
import UnrollTraining

extension Lesson {
    /// The lesson as a scenario file (docs/scenarios.md), with a header comment.
    ///
    /// `Lesson(scenario: lesson.scenarioYAML, path: …)` equals `lesson` for every
    /// valid lesson whose settings all take effect: the writer leaves out what
    /// the lesson's cell, scheme or configuration ignores (`activation` of an
    /// LSTM or GRU, `std` of a scheme other than normal, `forget_bias` of a cell
    /// other than LSTM, `output_steps` outside one-to-many, `conditioning.size`
    /// of encoder–decoder), which the reader refuses when they differ from the default.
    /// Steps are written from 1, as on screen.
    public var scenarioYAML: String {
        var out = [
            "# Unroll scenario. Every key, its default and its range: docs/scenarios.md",
            "# Steps count from 1, as on screen (\"step 1/6\").",
            "name: \(Self.yamlName(name))",
            "title: \(yamlQuoted(title))"
        ]
        if !summary.isEmpty { out.append("summary: \(yamlQuoted(summary))") }
        out += Self.modelYAML(architecture, precision: precision, writesConfiguration: training == nil)
        out += ["", "init:", "  seed: \(seed)", "  scheme: \(initialization.scheme.rawValue)"]
        if initialization.scheme == .normal { out.append("  std: \(initialization.std)") }
        if let rho = initialization.spectralRadius { out.append("  spectral_radius: \(rho)") }
        if let bias = initialization.forgetBias, architecture.cell == .lstm { out.append("  forget_bias: \(bias)") }
        if let training {
            out += trainingYAML(training)
        } else {
            out += inputAndLossYAML
        }
        if let weights { out += ["", "weights: \(yamlQuoted(weights.path))"] }
        if !captions.isEmpty {
            out += ["", "narration:"]
            for c in captions {
                if let q = c.question {
                    out.append("  - phase: \(c.phase.rawValue)")
                    out.append("    step: \(c.step + 1)")
                    if let k = c.input, k > 0 { out.append("    input: \(k + 1)") }
                    out.append("    text: \(yamlQuoted(c.text))")
                    out.append("    question:")
                    out.append("      text: \(yamlQuoted(q.text))")
                    out.append("      choices: [\(q.choices.map(yamlQuoted).joined(separator: ", "))]")
                    out.append("      answer: \(q.answer + 1)")
                    out.append("      why: \(yamlQuoted(q.why))")
                    out.append("      reveals: \(q.reveals.rawValue)")
                } else {
                    let input = c.input.flatMap { $0 > 0 ? "input: \($0 + 1), " : nil } ?? ""
                    out.append("  - {\(input)phase: \(c.phase.rawValue), step: \(c.step + 1), text: \(yamlQuoted(c.text))}")
                }
            }
        }
        if display != Display() {
            out += ["", "display:"]
            if display.panels != Display.defaultPanels {
                out.append("  panels: [\(display.panels.map(\.rawValue).joined(separator: ", "))]")
            }
            if let layer = display.selectedLayer { out.append("  selected_layer: \(layer)") }
            if let unit = display.unit { out.append("  unit: \(unit + 1)") }
            if display.rolled { out.append("  rolled: true") }
            if display.comparesSkip { out.append("  compare_skip: true") }
            if display.gradient != .last { out.append("  gradient: \(display.gradient.scenarioText)") }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// The `model` section: the architecture's keys and the precision (docs/scenarios.md).
    ///
    /// - Parameters:
    ///   - a: the architecture; keys at their default are left out, as is `activation` of an LSTM or
    ///     GRU and `conditioning.size` of encoder–decoder.
    ///   - precision: written when it is not float64.
    ///   - writesConfiguration: false for a training lesson, whose task sets the configuration.
    static func modelYAML(_ a: Architecture, precision: Precision, writesConfiguration: Bool) -> [String] {
        var out = ["", "model:", "  cell: \(a.cell.rawValue)"]
        if a.cell == .rnn { out.append("  activation: \(a.activation.rawValue)") }
        if a.hiddenSizes.count > 1 && Set(a.hiddenSizes).count > 1 {
            out.append("  layers: [\(a.hiddenSizes.map(String.init).joined(separator: ", "))]")
        } else {
            out.append("  hidden_size: \(a.hiddenSizes.first ?? 6)")
            if a.hiddenSizes.count != 1 { out.append("  num_layers: \(a.hiddenSizes.count)") }
        }
        if a.bidirectional { out.append("  bidirectional: true") }
        if let skip = a.skip { out.append("  skip: \(skip)") }
        if a.deep != DeepTransition() {
            out.append(
                "  deep: {input: \(a.deep.input), transition: \(a.deep.transition), output: \(a.deep.output), shortcut: \(a.deep.shortcut)}"
            )
        }
        if writesConfiguration { out.append("  configuration: \(a.configuration.rawValue)") }
        if a.feedback != .none { out.append("  feedback: \(a.feedback.rawValue)") }
        if precision != .float64 { out.append("  precision: \(precision.rawValue)") }
        if let size = a.conditioningSize, a.configuration != .encoderDecoder {
            out.append("  conditioning: {size: \(size), mode: \(a.conditioning.rawValue)}")
        } else if a.conditioning != .input {
            out.append("  conditioning: {mode: \(a.conditioning.rawValue)}")
        }
        return out
    }

    /// The `input` and `loss` sections of a lesson without training.
    private var inputAndLossYAML: [String] {
        var out = ["", "input:", "  tokens: \(Self.yamlWords(tokens))"]
        if let targets { out.append("  targets: [" + targets.map(yamlQuoted).joined(separator: ", ") + "]") }
        if let outputSteps, architecture.configuration == .oneToMany { out.append("  output_steps: \(outputSteps)") }
        if let words { out.append("  vocabulary: [" + words.map(yamlQuoted).joined(separator: ", ") + "]") }
        if !heldOut.isEmpty {
            out.append("  held_out:")
            for h in heldOut {
                let targets = h.targets.map { ", targets: [" + $0.map(yamlQuoted).joined(separator: ", ") + "]" } ?? ""
                let v = h.conditioning.map { ", conditioning: [" + $0.map { "\($0)" }.joined(separator: ", ") + "]" } ?? ""
                out.append("    - {tokens: \(Self.yamlWords(h.tokens))\(targets)\(v)}")
            }
        }
        out += ["", "loss:", "  kind: \(loss.rawValue)"]
        switch lossSteps {
        case nil: break
        case .all: out.append("  steps: all")
        case .last: out.append("  steps: last")
        case .only(let steps): out.append("  steps: [\(steps.map { String($0 + 1) }.joined(separator: ", "))]")
        }
        if let truncation { out.append("  truncation: \(truncation)") }
        switch clipping {
        case .none: break
        case .norm(let v): out.append("  clipping: {norm: \(v)}")
        case .value(let v): out.append("  clipping: {value: \(v)}")
        }
        return out
    }

    /// The `training` section.
    private func trainingYAML(_ plan: TrainingPlan) -> [String] {
        var out = [
            "", "training:", "  task: \(plan.task.kind.rawValue)"
        ]
        if let source = plan.task.text?.source { out.append("  text: \(yamlQuoted(source))") }
        if let prompt = plan.task.prompt {
            let alphabet = plan.task.corpus.alphabet
            out.append("  step_through: \(yamlQuoted(String(prompt.map { alphabet[Int($0)] })))")
        } else {
            out.append("  length: \(plan.task.length)")
        }
        out.append("  optimizer: \(plan.settings.optimizer.name)")
        switch plan.settings.optimizer {
        case .sgd(let m): if m != 0 { out.append("  momentum: \(m)") }
        case .rmsprop(let a, let e):
            if a != 0.99 { out.append("  alpha: \(a)") }
            if e != 1e-8 { out.append("  epsilon: \(e)") }
        case .adam(let b1, let b2, let e):
            if b1 != 0.9 { out.append("  beta1: \(b1)") }
            if b2 != 0.999 { out.append("  beta2: \(b2)") }
            if e != 1e-8 { out.append("  epsilon: \(e)") }
        }
        out.append("  learning_rate: \(plan.settings.learningRate)")
        switch plan.settings.clipping {
        case .none: break
        case .norm(let v): out.append("  clipping: {norm: \(v)}")
        case .value(let v): out.append("  clipping: {value: \(v)}")
        }
        if let k = plan.settings.truncation { out.append("  truncation: \(k)") }
        out += [
            "  batch_size: \(plan.settings.batchSize)", "  iterations: \(plan.settings.iterations)",
            "  seed: \(plan.seed)"
        ]
        return out
    }

    /// `name` plain when YAML reads it back as the same string, else quoted.
    static func yamlName(_ name: String) -> String {
        let safe =
            name.first.map { $0.isASCII && $0.isLetter } == true
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
            && !["true", "false", "null", "yes", "no", "on", "off", "y", "n"].contains(name.lowercased())
        return safe ? name : yamlQuoted(name)
    }

    /// Words as one quoted string when splitting it on whitespace gives them back, else as a list.
    static func yamlWords(_ words: [String]) -> String {
        let joined = words.joined(separator: " ")
        if !words.isEmpty && joined.split(whereSeparator: \.isWhitespace).map(String.init) == words {
            return yamlQuoted(joined)
        }
        return "[" + words.map(yamlQuoted).joined(separator: ", ") + "]"
    }
}
