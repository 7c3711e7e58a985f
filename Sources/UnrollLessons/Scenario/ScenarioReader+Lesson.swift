import UnrollEngine
import Yams

extension ScenarioReader {
    /// Keys of the top-level mapping, in documentation order.
    static let topKeys = [
        "title", "name", "summary", "model", "init", "input", "loss", "training", "weights", "narration", "display"
    ]
    /// Keys of `model`.
    static let modelKeys = [
        "cell", "activation", "hidden_size", "num_layers", "layers", "bidirectional", "skip",
        "deep", "configuration", "feedback", "conditioning", "precision"
    ]
    /// Keys of `model.deep`.
    static let deepKeys = ["input", "transition", "output", "shortcut"]
    /// Keys of `model.conditioning`.
    static let conditioningKeys = ["size", "mode"]
    /// Keys of `init`.
    static let initKeys = ["seed", "scheme", "std", "spectral_radius", "forget_bias"]
    /// Keys of `input`.
    static let inputKeys = ["tokens", "targets", "output_steps", "vocabulary", "held_out"]
    /// Keys of an `input.held_out` entry.
    static let heldOutKeys = ["tokens", "targets", "conditioning"]
    /// Keys of `loss`.
    static let lossKeys = ["kind", "steps", "truncation", "clipping"]
    /// Keys of `loss.clipping`.
    static let clippingKeys = ["norm", "value"]
    /// Keys of a narration entry.
    static let captionKeys = ["phase", "step", "text", "question", "input"]
    /// Keys of a narration entry's question.
    static let questionKeys = ["text", "choices", "answer", "why", "reveals"]
    /// Keys of `display`.
    static let displayKeys = ["panels", "selected_layer", "unit", "rolled", "compare_skip", "gradient"]

    /// Most words in `input.tokens` or `input.targets`, and most output steps.
    static let wordLimit = 10_000
    /// Largest seed: 2^63.
    static let seedLimit: UInt64 = 1 << 63

    /// The lesson `root` describes, or nil when any problem was found (then `problems` lists them all).
    ///
    /// - Parameters:
    ///   - root: the composed document; nil for an empty file.
    ///   - defaultName: the name used when the file gives none.
    mutating func lesson(from root: Node?, defaultName: String) -> Lesson? {
        guard let root else {
            report(at: nil, "the file is empty; a scenario needs at least a title and input.tokens")
            return nil
        }
        guard case .mapping = root else {
            report(root, "a scenario must be a mapping of keys such as title, model and input, found \(root.found)")
            return nil
        }
        guard let top = fields(of: root, name: "the scenario", place: "at the top level", allowed: Self.topKeys) else {
            return nil
        }
        var lesson = Lesson(name: defaultName, title: "", tokens: [])
        if let n = top["title"] {
            if let t = take("title", n, text(n, "title")) { lesson.title = t }
        } else {
            reportMissing(
                "title", place: "at the top level", at: top.mark, "missing key 'title' (the title shown in the header)")
        }
        if let n = top["name"], let t = take("name", n, text(n, "name")) {
            if t.isEmpty || t.contains(where: { $0.isWhitespace || $0.isNewline }) {
                report(n, "name must be one word (as in `unroll lesson NAME`), found \(n.found)")
            } else {
                lesson.name = t
            }
        }
        if let n = top["summary"], let t = take("summary", n, text(n, "summary")) { lesson.summary = t }
        if let n = top["model"], !n.isNull { readModel(n, into: &lesson) }
        if let n = top["init"], !n.isNull { readInit(n, into: &lesson) }
        if let n = top["training"], !n.isNull {
            readTraining(n, into: &lesson)
            for key in ["input", "loss"] {
                if let k = top.keys[key] {
                    report(k, "\(key) is set by the training task; remove it (clipping and truncation go in training)")
                }
            }
            if let plan = lesson.training {
                if let n = located["model.configuration"], lesson.configuration != plan.task.configuration {
                    report(
                        n,
                        "configuration is set by the \(plan.task.kind.rawValue) task (\(plan.task.configuration.rawValue)); remove it"
                    )
                }
                lesson.configuration = plan.task.configuration
                lesson.loss = plan.task.loss
            }
        } else if let n = top["input"] {
            readInput(n, into: &lesson)
        } else {
            reportMissing(
                "input", place: "at the top level", at: top.mark, "missing key 'input' (the sentence, as input.tokens)")
            failed.insert("input.tokens")
        }
        if let n = top["loss"], !n.isNull { readLoss(n, into: &lesson) }
        if let n = top["narration"], !n.isNull { readNarration(n, into: &lesson) }
        if let n = top["display"], !n.isNull { readDisplay(n, into: &lesson) }
        if let n = top["weights"], !n.isNull { readWeights(n, into: &lesson) }
        checkCombinations(of: lesson)
        guard problems.isEmpty else { return nil }
        if let weights = lesson.weights, let n = located["weights"], lesson.spec.problems().isEmpty {
            do { _ = try Model<Double>(spec: lesson.spec, weights: weights.file, path: weights.path) } catch {
                report(n, "the weights do not fit the model: \(error.message)")
                return nil
            }
        }
        let mark = top.keys["model"]?.mark ?? top.mark
        for problem in lesson.problems { report(at: mark, problem) }
        return problems.isEmpty ? lesson : nil
    }

    /// The steps shown on screen ("step 1/6"): one column per step.
    static func columnCount(of lesson: Lesson) -> Int {
        switch lesson.configuration {
        case .encoderDecoder: return lesson.tokens.count + (lesson.targets?.count ?? 0)
        default: return outputStepCount(of: lesson)
        }
    }

    /// The output steps, over which `loss.steps` counts.
    static func outputStepCount(of lesson: Lesson) -> Int {
        switch lesson.configuration {
        case .oneToOne: return 1
        case .oneToMany: return lesson.outputSteps ?? lesson.targetTokens.count
        case .manyToOne, .manyToMany: return lesson.tokens.count
        case .encoderDecoder: return lesson.targets?.count ?? 0
        }
    }

    // MARK: Sections

    /// Reads `model`: the architecture, and the precision the engine computes in.
    mutating func readModel(_ node: Node, into lesson: inout Lesson) {
        guard let f = fields(of: node, name: "model", place: "in model", allowed: Self.modelKeys) else { return }
        readArchitecture(f, into: &lesson.architecture)
        if let n = f["precision"], let v = take("model.precision", n, choice(n, "precision", Precision.self)) {
            lesson.precision = v
        }
    }

    /// Reads the architecture's keys of `model` (cell, sizes, connections, configuration) over `architecture`,
    /// whose values stand for the keys left out.
    mutating func readArchitecture(_ f: ScenarioFields, into architecture: inout Architecture) {
        if let n = f["cell"], let v = take("model.cell", n, choice(n, "cell", CellKind.self)) { architecture.cell = v }
        if let n = f["activation"], let v = take("model.activation", n, choice(n, "activation", Activation.self)) {
            architecture.activation = v
        }
        if let n = f["layers"] {
            if let other = f.keys["hidden_size"] ?? f.keys["num_layers"] {
                report(other, "give either layers (a hidden size per layer) or hidden_size and num_layers, not both")
                failed.insert("model.layers")
            } else if case .sequence(let list) = n {
                if !(1...16).contains(list.count) {
                    report(n, "layers must list from 1 to 16 hidden sizes, found \(list.count)")
                    failed.insert("model.layers")
                } else {
                    let sizes = list.map { integer($0, "each hidden size in layers", 1...4096) }
                    if let sizes = take(
                        "model.layers", n, sizes.allSatisfy({ $0 != nil }) ? sizes.compactMap { $0 } : nil)
                    {
                        architecture.hiddenSizes = sizes
                    }
                }
            } else {
                report(n, "layers must be a list of hidden sizes, one per layer (as [6, 4]), found \(n.found)")
                failed.insert("model.layers")
            }
        } else {
            var size = architecture.hiddenSizes.first ?? 6, count = 1
            if let n = f["hidden_size"], let v = take("model.hidden_size", n, integer(n, "hidden_size", 1...4096)) {
                size = v
            }
            if let n = f["num_layers"], let v = take("model.num_layers", n, integer(n, "num_layers", 1...16)) {
                count = v
            }
            architecture.hiddenSizes = Array(repeating: size, count: count)
        }
        if let n = f["bidirectional"], let v = take("model.bidirectional", n, boolean(n, "bidirectional")) {
            architecture.bidirectional = v
        }
        if let n = f["skip"], let v = take("model.skip", n, optionalInteger(n, "skip", 2...1000)) {
            architecture.skip = v
        }
        if let n = f["deep"], !n.isNull,
            let d = fields(of: n, name: "deep", place: "in model.deep", allowed: Self.deepKeys)
        {
            if let m = d["input"], let v = take("model.deep", m, integer(m, "deep.input", 0...16)) {
                architecture.deep.input = v
            }
            if let m = d["transition"], let v = take("model.deep", m, integer(m, "deep.transition", 0...16)) {
                architecture.deep.transition = v
            }
            if let m = d["output"], let v = take("model.deep", m, integer(m, "deep.output", 0...16)) {
                architecture.deep.output = v
            }
            if let m = d["shortcut"], let v = take("model.deep", m, boolean(m, "deep.shortcut")) {
                architecture.deep.shortcut = v
            }
        }
        if let n = f["configuration"],
            let v = take("model.configuration", n, choice(n, "configuration", Configuration.self))
        {
            architecture.configuration = v
        }
        if let n = f["feedback"], let v = take("model.feedback", n, choice(n, "feedback", Feedback.self)) {
            architecture.feedback = v
        }
        if let n = f["conditioning"], !n.isNull,
            let c = fields(of: n, name: "conditioning", place: "in model.conditioning", allowed: Self.conditioningKeys)
        {
            if let m = c["size"],
                let v = take("model.conditioning.size", m, optionalInteger(m, "conditioning.size", 1...4096))
            {
                architecture.conditioningSize = v
            }
            if let m = c["mode"],
                let v = take("model.conditioning.mode", m, choice(m, "conditioning.mode", ConditioningMode.self))
            {
                architecture.conditioning = v
            }
        }
    }

    /// Reads `init` (seed and weight initialisation).
    mutating func readInit(_ node: Node, into lesson: inout Lesson) {
        guard let f = fields(of: node, name: "init", place: "in init", allowed: Self.initKeys) else { return }
        if let n = f["seed"] {
            if let v = n.integer(as: UInt64.self), v <= Self.seedLimit {
                lesson.seed = v
            } else {
                report(n, "seed must be an integer from 0 to \(Self.seedLimit) (2^63), found \(n.found)")
            }
        }
        if let n = f["scheme"], let v = take("init.scheme", n, choice(n, "scheme", InitScheme.self)) {
            lesson.initialization.scheme = v
        }
        if let n = f["std"],
            let v = take(
                "init.std", n, number(n, "std", "a number greater than 0 and at most 100", { $0 > 0 && $0 <= 100 }))
        {
            lesson.initialization.std = v
        }
        if let n = f["spectral_radius"], !n.isNull,
            let v = take(
                "init.spectral_radius", n,
                number(n, "spectral_radius", "null or a number greater than 0 and at most 100", { $0 > 0 && $0 <= 100 })
            )
        {
            lesson.initialization.spectralRadius = v
        }
        if let n = f["forget_bias"], !n.isNull,
            let v = take(
                "init.forget_bias", n,
                number(n, "forget_bias", "null or a number from -100 to 100", { abs($0) <= 100 }))
        {
            lesson.initialization.forgetBias = v
        }
    }

    /// Reads `input` (the sentence, the targets, the output steps of one-to-many).
    mutating func readInput(_ node: Node, into lesson: inout Lesson) {
        guard let f = fields(of: node, name: "input", place: "in input", allowed: Self.inputKeys) else {
            failed.insert("input.tokens")
            return
        }
        if let n = f["tokens"] {
            if let v = take("input.tokens", n, words(n, "tokens", limit: Self.wordLimit)) { lesson.tokens = v }
        } else {
            reportMissing(
                "tokens", place: "in input", at: f.mark,
                "missing key 'tokens' in input (the sentence, one word per step)")
            failed.insert("input.tokens")
        }
        if let n = f["targets"], !n.isNull, let v = take("input.targets", n, words(n, "targets", limit: Self.wordLimit))
        {
            lesson.targets = v
        }
        if let n = f["vocabulary"], !n.isNull,
            let v = take("input.vocabulary", n, words(n, "vocabulary", limit: Self.wordLimit))
        {
            lesson.words = v
        }
        if let n = f["output_steps"],
            let v = take("input.output_steps", n, optionalInteger(n, "output_steps", 1...Self.wordLimit))
        {
            lesson.outputSteps = v
        }
        if let n = f["held_out"], !n.isNull { readHeldOut(n, into: &lesson) }
    }

    /// Reads `input.held_out`: a list of up to `Lesson.heldOutLimit` entries {tokens, targets}, inputs the model was
    /// never trained on (the `i` key). Their words are checked against the vocabulary by `checkCombinations`.
    mutating func readHeldOut(_ node: Node, into lesson: inout Lesson) {
        guard case .sequence(let list) = node else {
            report(node, "held_out must be a list of {tokens, targets} entries, found \(node.found)")
            failed.insert("input.held_out")
            return
        }
        guard list.count <= Lesson.heldOutLimit else {
            report(node, "held_out must have at most \(Lesson.heldOutLimit) entries, found \(list.count)")
            failed.insert("input.held_out")
            return
        }
        for (i, item) in list.enumerated() {
            guard
                let f = fields(
                    of: item, name: "each held_out entry", place: "in input.held_out", allowed: Self.heldOutKeys)
            else {
                failed.insert("input.held_out")
                continue
            }
            var entry = HeldOutInput(tokens: [])
            if let n = f["tokens"] {
                if let v = take("input.held_out.\(i).tokens", n, words(n, "held_out tokens", limit: Self.wordLimit)) {
                    entry.tokens = v
                } else {
                    failed.insert("input.held_out")
                }
            } else {
                reportMissing(
                    "tokens", place: "in input.held_out", at: f.mark,
                    "missing key 'tokens' in held_out entry (the sentence, one word per step)")
                failed.insert("input.held_out")
            }
            if let n = f["targets"], !n.isNull {
                if let v = take("input.held_out.\(i).targets", n, words(n, "held_out targets", limit: Self.wordLimit)) {
                    entry.targets = v
                } else {
                    failed.insert("input.held_out")
                }
            }
            if let n = f["conditioning"], !n.isNull {
                if let v = take("input.held_out.\(i).conditioning", n, vector(n, "held_out conditioning")) {
                    entry.conditioning = v
                } else {
                    failed.insert("input.held_out")
                }
            }
            lesson.heldOut.append(entry)
        }
    }

    /// A list of 1 to 4096 finite numbers (a held-out conditioning vector v), or nil after reporting.
    mutating func vector(_ node: Node, _ name: String) -> [Double]? {
        guard case .sequence(let list) = node, (1...4096).contains(list.count) else {
            report(node, "\(name) must be a list of 1 to 4096 numbers (v, one per conditioning.size), found \(node.found)")
            return nil
        }
        var out: [Double] = []
        for item in list {
            guard let v = number(item, "each number of \(name)", "a finite number", { _ in true }) else { return nil }
            out.append(v)
        }
        return out
    }

    /// Reads `loss` (kind, steps, truncation, clipping).
    mutating func readLoss(_ node: Node, into lesson: inout Lesson) {
        guard let f = fields(of: node, name: "loss", place: "in loss", allowed: Self.lossKeys) else { return }
        if let n = f["kind"], let v = take("loss.kind", n, choice(n, "loss.kind", LossKind.self)) { lesson.loss = v }
        if let n = f["steps"] {
            switch n {
            case _ where n.isNull: lesson.lossSteps = nil
            case .scalar where n.scalarText == "all": lesson.lossSteps = .all
            case .scalar where n.scalarText == "last": lesson.lossSteps = .last
            case .sequence(let list):
                let steps = list.map { integer($0, "each step in loss.steps", 1...Self.wordLimit) }
                if let s = take("loss.steps", n, steps.allSatisfy({ $0 != nil }) ? steps.compactMap { $0 } : nil) {
                    lesson.lossSteps = .only(s.map { $0 - 1 })
                }
            default:
                report(
                    n, "loss.steps must be all, last or a list of steps counted from 1 (as [1, 3]), found \(n.found)")
                failed.insert("loss.steps")
            }
        }
        if let n = f["truncation"],
            let v = take("loss.truncation", n, optionalInteger(n, "truncation", 1...Self.wordLimit))
        {
            lesson.truncation = v
        }
        if let n = f["clipping"] {
            if n.isNull || n.plainText == "none" {
                lesson.clipping = .none
            } else if case .mapping = n,
                let c = fields(of: n, name: "clipping", place: "in loss.clipping", allowed: Self.clippingKeys)
            {
                let requirement = "a number greater than 0 and at most 1e6"
                if c.values.count != 1 {
                    report(n, "clipping must give exactly one of norm or value, found \(c.values.count)")
                } else if let m = c["norm"], let v = number(m, "clipping.norm", requirement, { $0 > 0 && $0 <= 1e6 }) {
                    lesson.clipping = .norm(v)
                } else if let m = c["value"], let v = number(m, "clipping.value", requirement, { $0 > 0 && $0 <= 1e6 })
                {
                    lesson.clipping = .value(v)
                }
            } else if case .mapping = n {
                // fields(of:) reported the problem.
            } else {
                report(n, "clipping must be none, {norm: N} or {value: N}, found \(n.found)")
            }
        }
    }

    /// Reads `narration`: a list of {phase, step, text}, steps counted from 1.
    mutating func readNarration(_ node: Node, into lesson: inout Lesson) {
        guard case .sequence(let list) = node else {
            report(node, "narration must be a list of {phase, step, text} entries, found \(node.found)")
            return
        }
        for item in list {
            guard
                let f = fields(of: item, name: "each narration entry", place: "in narration", allowed: Self.captionKeys)
            else {
                continue
            }
            var phase: Phase?, step: Int?, text: String?
            for key in Self.captionKeys where f[key] == nil && key != "question" && key != "input" {
                reportMissing(key, place: "in narration", at: f.mark, "missing key '\(key)' in narration entry")
            }
            if let n = f["phase"] { phase = choice(n, "phase", Phase.self) }
            if let n = f["step"] {
                step = integer(n, "narration step", 1...Self.wordLimit)
                if step != nil { located["narration.step.\(lesson.captions.count)"] = n }
            }
            if let n = f["text"] { text = self.text(n, "narration text") }
            var input: Int?, inputFailed = false
            if let n = f["input"] {
                // The lesson's own sentence is input 1, its held-out inputs 2, 3, …: checked against them later.
                input = integer(n, "narration input", 1...(Lesson.heldOutLimit + 1)).map { $0 - 1 }
                inputFailed = input == nil
                if input != nil { located["narration.input.\(lesson.captions.count)"] = n }
            }
            var question: Question?, questionFailed = false
            if let n = f["question"] {
                question = readQuestion(n)
                questionFailed = question == nil
            }
            if let phase, let step, let text, !questionFailed, !inputFailed {
                lesson.captions.append(Caption(phase, step - 1, text, question: question, input: input == 0 ? nil : input))
            } else {
                lesson.captions.append(Caption(.forward, -1, ""))
                failed.insert("narration")
            }
        }
    }

    /// Reads a narration entry's `question`: {text, choices (2–4), answer (1-based), why, reveals}; nil after reporting
    /// a problem.
    mutating func readQuestion(_ node: Node) -> Question? {
        guard let f = fields(of: node, name: "question", place: "in question", allowed: Self.questionKeys) else {
            return nil
        }
        var ok = true
        for key in Self.questionKeys where f[key] == nil {
            reportMissing(key, place: "in question", at: f.mark, "missing key '\(key)' in question")
            ok = false
        }
        var text: String?, why: String?, answer: Int?, choices: [String]?, reveals: QuestionReveal?
        if let n = f["text"] { text = self.text(n, "question text") }
        if let n = f["why"] { why = self.text(n, "question why") }
        if let n = f["reveals"] { reveals = choice(n, "reveals", QuestionReveal.self) }
        if let n = f["choices"] {
            if case .sequence(let list) = n {
                let read = list.compactMap { self.text($0, "each choice") }
                if read.count != list.count {
                    ok = false
                } else if !Question.choiceRange.contains(list.count) {
                    report(n, "a question needs 2 to 4 choices (answered with the keys 1–4), found \(list.count)")
                    ok = false
                } else {
                    choices = read
                }
            } else {
                report(n, "choices must be a list of 2 to 4 texts, found \(n.found)")
                ok = false
            }
        }
        if let n = f["answer"], let count = choices?.count {
            answer = integer(n, "answer (the right choice, from 1)", 1...count)
        }
        guard ok, let text, let why, let choices, let answer, let reveals else { return nil }
        return Question(text, choices: choices, answer: answer - 1, why: why, reveals: reveals)
    }

    /// Reads `display` (panels, selected layer, rolled view, skip comparison).
    mutating func readDisplay(_ node: Node, into lesson: inout Lesson) {
        guard let f = fields(of: node, name: "display", place: "in display", allowed: Self.displayKeys) else { return }
        if let n = f["panels"] {
            if case .sequence(let list) = n {
                var panels: [Panel] = []
                for item in list {
                    guard let p = choice(item, "each panel", Panel.self) else { continue }
                    if panels.contains(p) {
                        report(item, "panels lists '\(p.rawValue)' twice")
                    } else {
                        panels.append(p)
                    }
                }
                lesson.display.panels = panels
            } else {
                report(n, "panels must be a list of inspector, equations, gradients, weights, found \(n.found)")
            }
        }
        if let n = f["selected_layer"],
            let v = take("display.selected_layer", n, optionalInteger(n, "selected_layer", 0...15))
        {
            lesson.display.selectedLayer = v
        }
        // Units count from 1, as on screen ("unit 11").
        if let n = f["unit"], let v = integer(n, "display.unit", 1...4096) { lesson.display.unit = v - 1 }
        if let n = f["rolled"], let v = boolean(n, "rolled") { lesson.display.rolled = v }
        if let n = f["compare_skip"], let v = boolean(n, "compare_skip") { lesson.display.comparesSkip = v }
        if let n = f["gradient"] {
            if let mode = n.scalarText.flatMap(GradientMode.init(scenarioText:)), !n.isNull {
                lesson.display.gradient = mode
            } else {
                report(n, "gradient must be total, last or step N (N ≥ 1), found \(n.found)")
            }
        }
    }
}
