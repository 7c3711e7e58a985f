import Testing
import UnrollEngine

@testable import UnrollLessons

// The gradient panel's series and bounds, computed by the lab (GradientSeries).

/// The lab of a built-in lesson with its gradient panel on `mode`, computed.
private func results(_ name: String, mode: GradientMode) throws -> LabResults {
    let lesson = try #require(Lesson.builtin(named: name))
    var lab = Lab(lesson: lesson)
    lab.settings.gradient = mode
    return try lab.compute()
}

/// The modes worth checking for a trace: the total, the last loss, and the first loss step alone.
private func modes(_ lessonName: String) throws -> [GradientMode] {
    let first = try #require(try results(lessonName, mode: .total).trace.lossColumns.first)
    return [.total, .last, .step(first)]
}

private let stepLessons = Lesson.builtin.filter { $0.training == nil }.map(\.name)

@Test(
    "A drawn bound is never below the bar it bounds, for every built-in lesson, mode and layer", arguments: stepLessons)
func boundsHold(_ name: String) throws {
    for mode in try modes(name) {
        let r = try results(name, mode: mode)
        let slack = r.current.precision == .float32 ? 1e-4 : 1e-9
        for (series, layer) in zip(r.gradients, r.trace.layers) {
            guard let bound = series.bound else { continue }
            try #require(bound.count == series.hidden.count)
            for (i, (v, b)) in zip(series.hidden, bound).enumerated() {
                guard let b, v.isFinite else { continue }
                #expect(v <= b * (1 + slack) + 1e-300, "\(name) \(mode) \(layer.label) t=\(i + 1): \(v) > bound \(b)")
            }
        }
    }
}

@Test(
    "Which layers get a bound, and which kind: Pascanu for plain Elman layers, the chain product otherwise, none where none holds"
)
func boundKinds() throws {
    func kind(_ name: String, _ mode: GradientMode, layer: Int? = nil) throws -> String {
        let r = try results(name, mode: mode)
        let i = layer ?? (r.trace.layers.count - 1)
        let s = r.gradients[i]
        guard s.bound != nil else { return "none" }
        return s.elmanFactor != nil ? "pascanu" : "product"
    }
    #expect(try kind("sigmoid", .last) == "pascanu")
    #expect(try kind("vanishing", .total) == "pascanu") // many-to-one: the total is the last loss
    #expect(try kind("memory", .total) == "none") // a sum of losses along one chain: no one anchor
    #expect(try kind("skip", .last) == "none")
    #expect(try kind("lstm", .last) == "none")
    #expect(try kind("gru", .last) == "product")
    #expect(try kind("deep", .last) == "product")
    #expect(try kind("shortcut", .last) == "product")
    #expect(try kind("feedback", .last) == "product")
    #expect(try kind("teacher", .last) == "pascanu") // teacher forcing feeds targets: no path through y
    #expect(try kind("stacked", .last, layer: 0) == "none") // a lower layer
    #expect(try kind("stacked", .last, layer: 2) == "pascanu")
    #expect(try kind("seq2seq", .total, layer: 0) == "pascanu") // the encoder: every loss passes its last state
}

@Test("sigmoid: the bound is ‖∂L_6/∂h_6‖·(σmax/4)^k, σmax from W_hh by LAPACK, anchored at the last loss")
func sigmoidBound() throws {
    let r = try results("sigmoid", mode: .last)
    let s = try #require(r.gradients.first)
    let w = try #require(r.run.model.recurrentBlocks.first).block
    let sigma = Spectrum.largestSingularValue(w)
    let bound = try #require(s.bound)
    let last = try #require(r.trace.lossColumns.last)
    for t in 0...last {
        let expected = s.hidden[last] * Double.pow(sigma / 4, Double(last - t))
        #expect(abs((bound[t] ?? .nan) - expected) <= 1e-12 * expected)
    }
    #expect(s.boundText[0].contains("(σmax/4)^k") && s.boundText[0].contains("Pascanu"))
    #expect(abs(sigma - 3.2) < 0.05) // the lesson's own number: the old line drew 3.2^k
}

@Test("seq2seq: the encoder's bound starts at the encoder's last step with its own gradient")
func encoderAnchor() throws {
    let r = try results("seq2seq", mode: .total)
    let i = try #require(r.trace.layers.firstIndex { $0.segment == "encoder." })
    let layer = r.trace.layers[i]
    let s = r.gradients[i]
    let bound = try #require(s.bound)
    let last = layer.steps.count - 1
    #expect(bound[last] == s.hidden[last])
    let sigma = try #require(s.elmanFactor).sigma
    #expect(abs((bound[0] ?? .nan) - s.hidden[last] * Double.pow(sigma, Double(last))) <= 1e-12 * (bound[0] ?? 1))
}

@Test("skip: the product along the chain is no bound there (a bar rises above it), so none is drawn")
func skipNeedsNoChainBound() throws {
    let r = try results("skip", mode: .last)
    let layer = try #require(r.trace.layers.last)
    let norms = layer.steps.map(\.lastLossGradientNorm)
    let last = norms.count - 1
    var product = norms[last]
    var exceeded = false
    for t in stride(from: last - 1, through: 0, by: -1) {
        product *= layer.steps[t + 1].jacobianNorm
        if norms[t] > product * 1.01 { exceeded = true }
    }
    #expect(exceeded)
    #expect(r.gradients.last?.bound == nil)
}

@Test(
    "The one-loss series equal the total gradient of a run whose only loss is that step (h, and c for the LSTM)",
    arguments: ["memory", "lstm", "gru", "bidir", "feedback"])
func oneLossSeries(_ name: String) throws {
    let columns = try results(name, mode: .total).trace.lossColumns
    for s in [try #require(columns.first), try #require(columns.last)] {
        let r = try results(name, mode: .step(s))
        var options = r.run.options
        options.lossSteps = .only([s])
        let alone = try Engine.run(model: r.run.model, sample: r.run.sample, options: options)
        for (series, layer) in zip(r.gradients, alone.layers) {
            for (i, step) in layer.steps.enumerated() {
                #expect(
                    abs(series.hidden[i] - step.hiddenGradientNorm) <= 1e-12 * max(1, step.hiddenGradientNorm),
                    "\(name) L_\(s + 1) \(layer.label) t=\(i + 1)")
                if let c = step.cellGradient {
                    let cell = try #require(series.cell)
                    #expect(abs(cell[i] - Double(c.norm)) <= 1e-12 * max(1, Double(c.norm)))
                }
            }
        }
    }
    // The last-loss mode agrees with the engine's own last-loss norms.
    let last = try results(name, mode: .last)
    for (series, layer) in zip(last.gradients, last.trace.layers) {
        #expect(series.hidden == layer.steps.map(\.lastLossGradientNorm))
    }
}

@Test("exploding opens on the total loss: after ] ten times the bars do not all drop to 0")
func explodingDefault() throws {
    let lesson = try #require(Lesson.builtin(named: "exploding"))
    #expect(lesson.display.gradient == .total)
    var lab = Lab(lesson: lesson)
    for _ in 0..<10 { lab.scaleRecurrent(by: 1.1) }
    let r = try lab.compute()
    let s = try #require(r.gradients.last)
    // The last loss has saturated (its gradient is exactly 0 everywhere); the total still shows the growth.
    #expect(r.trace.layers[0].steps.allSatisfy { $0.lastLossGradientNorm == 0 })
    #expect(s.hidden.dropLast().allSatisfy { $0 > 1 })
    #expect(zip(s.hidden, s.hidden.dropFirst()).dropLast().allSatisfy { $0 > 5 * $1 })
    #expect(s.hidden == r.trace.layers[0].steps.map(\.hiddenGradientNorm))
}

@Test("The log axis spans the data: a 20-fold decay fills more than a decade, the ceiling is the largest bar")
func axisFromData() throws {
    let (floor, ceiling) = GradientSeries.axis([0.1, 2, .nan, 0, .infinity])
    #expect(ceiling == 2)
    #expect(floor < 0.1 && floor > 0.1 / 10)
    let flat = GradientSeries.axis([1, 1])
    #expect(flat.ceiling == 1 && flat.floor < 0.1) // at least a decade
    #expect(GradientSeries.axis([1e-30, 1]).floor >= 1e-14) // at most about twelve decades
}

@Test("Scenario: gradient: total | last | step N is read, written back, and refused with its position otherwise")
func scenarioGradient() throws {
    #expect(GradientMode(scenarioText: "step 3") == .step(2))
    #expect(GradientMode(scenarioText: "total") == .total)
    #expect(GradientMode(scenarioText: "last") == .last)
    for bad in ["step 0", "step", "first", "step x", "total 2"] { #expect(GradientMode(scenarioText: bad) == nil) }
    var lesson = try #require(Lesson.builtin(named: "memory"))
    lesson.display.gradient = .step(3)
    let yaml = lesson.scenarioYAML
    #expect(yaml.contains("  gradient: step 4"))
    let back = try Lesson(scenario: yaml, path: "x.yaml")
    #expect(back.display.gradient == .step(3))
    let error = try #require(throws: ScenarioError.self) {
        try Lesson(scenario: "title: x\ninput: {tokens: a b}\ndisplay: {gradient: step 0}\n", path: "x.yaml")
    }
    #expect(error.description == "x.yaml:3:21: gradient must be total, last or step N (N ≥ 1), found step 0")
}
