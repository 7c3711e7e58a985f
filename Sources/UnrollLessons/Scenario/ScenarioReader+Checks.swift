import UnrollEngine
import Yams

extension ScenarioReader {
    /// Whether every field at these dotted paths was read (or left to its default).
    func fine(_ paths: String...) -> Bool { paths.allSatisfy { !failed.contains($0) } }

    /// Reports settings that the rest of the lesson makes meaningless or out of range:
    /// keys for another cell, scheme or configuration, truncation of a bidirectional model, target counts,
    /// and steps past the last one.
    mutating func checkCombinations(of lesson: Lesson) {
        let cell = lesson.cell.rawValue, configuration = lesson.configuration.rawValue
        if let n = located["model.activation"], fine("model.cell"), lesson.cell != .rnn, lesson.activation != .tanh {
            report(n, "activation applies to the rnn cell only; the \(cell) cell's gates fix their own (remove it)")
        }
        if let n = located["init.forget_bias"], fine("model.cell"), lesson.cell != .lstm {
            report(n, "forget_bias applies to the lstm cell only, cell is \(cell)")
        }
        if let n = located["init.std"], fine("init.scheme"), lesson.initialization.scheme != .normal,
            lesson.initialization.std != Initialization().std
        {
            report(n, "std applies to the normal scheme only, scheme is \(lesson.initialization.scheme.rawValue)")
        }
        if let n = located["display.selected_layer"], fine("model.layers", "model.num_layers"),
            let layer = lesson.display.selectedLayer, layer >= lesson.hiddenSizes.count
        {
            report(
                n,
                "selected_layer must be from 0 to \(lesson.hiddenSizes.count - 1) (layers count from 0 at the bottom), found \(layer)"
            )
        }
        if let n = located["loss.truncation"] ?? located["training.truncation"], fine("model.bidirectional"),
            lesson.architecture.bidirectional, (lesson.training?.settings.truncation ?? lesson.truncation) != nil
        {
            report(n, Lesson.truncationNeedsCausal)
        }
        guard fine("model.configuration") else { return }
        if let n = located["model.feedback"],
            let why = Lesson.teacherForcingProblem(lesson.feedback, lesson.configuration)
        {
            report(n, why)
        }
        if let n = located["input.output_steps"], lesson.outputSteps != nil, lesson.configuration != .oneToMany {
            report(n, "output_steps applies to one-to-many only, configuration is \(configuration)")
        }
        if let n = located["model.conditioning.size"], lesson.conditioningSize != nil,
            lesson.configuration == .encoderDecoder
        {
            report(
                n,
                "conditioning.size is not used by encoder-decoder, whose context C is the encoder's last state; give only conditioning.mode"
            )
        }
        guard fine("input.tokens", "input.targets", "input.output_steps"), let tokensNode = located["input.tokens"]
        else { return }
        let tokens = lesson.tokens.count
        if lesson.configuration == .oneToOne && tokens != 1 {
            report(tokensNode, "one-to-one reads exactly one token, found \(tokens)")
        }
        if let n = located["input.targets"], let targets = lesson.targets {
            let single = lesson.configuration == .oneToOne || lesson.configuration == .manyToOne
            if single && targets.count != 1 {
                report(n, "targets must be one word for \(configuration), found \(targets.count)")
            } else if lesson.configuration == .manyToMany && targets.count != tokens {
                report(n, "targets must have one word per token for many-to-many (\(tokens)), found \(targets.count)")
            }
        } else if lesson.configuration == .encoderDecoder {
            report(tokensNode, "encoder-decoder needs the output sentence in input.targets")
        }
        checkHeldOut(of: lesson)
        for (i, caption) in lesson.captions.enumerated() {
            guard fine("input.held_out") || caption.inputIndex == 0 else { continue }
            if caption.inputIndex > lesson.heldOut.count, let n = located["narration.input.\(i)"] {
                report(
                    n,
                    "narration input must be from 1 to \(lesson.heldOut.count + 1) (1: the lesson's sentence, then each held_out entry), found \(caption.inputIndex + 1)"
                )
                continue
            }
            let columns = Self.columnCount(of: lesson.input(caption.inputIndex))
            if caption.step >= columns, let n = located["narration.step.\(i)"] {
                let which = caption.inputIndex == 0 ? "this lesson" : "its input \(caption.inputIndex + 1)"
                report(n, "narration step must be from 1 to \(columns), the steps of \(which), found \(caption.step + 1)")
            }
        }
        if case .sequence(let list) = located["loss.steps"] {
            let outputs = Self.outputStepCount(of: lesson)
            for item in list {
                if let s = item.integer(as: Int.self), s > outputs {
                    report(
                        item,
                        "each step in loss.steps must be from 1 to \(outputs), the output steps of this lesson, found \(s)"
                    )
                }
            }
        }
    }

    /// Each held-out input must read and predict only the lesson's words (its trained weights know no other) and
    /// have as many targets as its configuration needs, as the lesson's own sentence must.
    mutating func checkHeldOut(of lesson: Lesson) {
        guard fine("input.held_out", "input.vocabulary") else { return }
        let vocabulary = Set(lesson.vocabulary), configuration = lesson.configuration
        for (i, entry) in lesson.heldOut.enumerated() {
            guard let tokensNode = located["input.held_out.\(i).tokens"] else { continue }
            let targetsNode = located["input.held_out.\(i).targets"]
            for (words, node) in [(entry.tokens, tokensNode), (entry.targets ?? [], targetsNode ?? tokensNode)] {
                if let w = words.first(where: { !vocabulary.contains($0) }) {
                    report(
                        node,
                        "held_out \(i + 1): '\(w)' is not in the lesson's vocabulary, which its weights are trained on; add it to input.vocabulary"
                    )
                }
            }
            let tokens = entry.tokens.count
            if configuration == .oneToOne && tokens != 1 {
                report(tokensNode, "held_out \(i + 1): one-to-one reads exactly one token, found \(tokens)")
            }
            if let targets = entry.targets, let n = targetsNode {
                let single = configuration == .oneToOne || configuration == .manyToOne
                if single && targets.count != 1 {
                    report(n, "held_out \(i + 1): targets must be one word for \(configuration.rawValue), found \(targets.count)")
                } else if configuration == .manyToMany && targets.count != tokens {
                    report(
                        n,
                        "held_out \(i + 1): targets must have one word per token for many-to-many (\(tokens)), found \(targets.count)"
                    )
                }
            } else if configuration == .encoderDecoder {
                report(tokensNode, "held_out \(i + 1): encoder-decoder needs the output sentence in targets")
            }
            if let v = entry.conditioning, let n = located["input.held_out.\(i).conditioning"] {
                if configuration == .encoderDecoder || lesson.conditioningSize == nil {
                    report(n, "held_out \(i + 1): conditioning is a vector v for a lesson with conditioning.size; this one has none")
                } else if let size = lesson.conditioningSize, v.count != size {
                    report(n, "held_out \(i + 1): conditioning must have conditioning.size = \(size) numbers, found \(v.count)")
                }
            }
        }
    }
}
