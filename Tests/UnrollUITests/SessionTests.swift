import Foundation
import Testing
import UnrollEngine
import UnrollLessons

@testable import UnrollUI

@Suite("Step-through session")
struct SessionTests {
    @Test("The timeline runs forward over every column, then backward, and stops at the ends")
    func timeline() throws {
        var s = try Session(lesson: .defaultLesson)
        #expect(s.columns == 6)
        #expect(s.phase == .forward && s.step == 0)
        s.handle(.stepBack)
        #expect(s.phase == .forward && s.step == 0)
        for _ in 0..<5 { s.handle(.stepForward) }
        #expect(s.phase == .forward && s.step == 5)
        s.handle(.stepForward)
        #expect(s.phase == .backward && s.step == 5)
        s.handle(.stepForward)
        #expect(s.step == 4)
        s.handle(.last)
        #expect(s.phase == .backward && s.step == 0)
        s.handle(.stepForward)
        #expect(s.phase == .backward && s.step == 0)
        s.handle(.first)
        #expect(s.phase == .backward && s.step == 5)
        s.handle(.switchPhase)
        #expect(s.phase == .forward && s.step == 5)
    }

    @Test("Revealing: forward reveals columns up to the step; backward gradients arrive from the end")
    func revealing() throws {
        var s = try Session(lesson: .defaultLesson)
        s.handle(.stepForward)
        let layer = s.trace.layers[0]
        #expect(s.isRevealed(layer: layer, column: 1) && !s.isRevealed(layer: layer, column: 2))
        s.handle(.last)
        s.handle(.switchPhase)
        s.handle(.stepForward)
        #expect(s.gradientArrived(column: 4) && !s.gradientArrived(column: 3))
    }

    @Test("A reverse layer is revealed from the right, and outputs wait for both directions")
    func bidirectionalRevealing() throws {
        var s = try Session(
            lesson: Lesson(
                name: "b", title: "b", hiddenSizes: [3], bidirectional: true,
                tokens: ["a", "b", "c", "d"]))
        s.handle(.stepForward) // step 1 of 4
        let reverse = try #require(s.trace.layers.first { $0.reverse })
        #expect(s.isRevealed(layer: reverse, column: 3) && s.isRevealed(layer: reverse, column: 2))
        #expect(!s.isRevealed(layer: reverse, column: 1))
        #expect(!s.isOutputRevealed(column: 0) && !s.isOutputRevealed(column: 3))
        s.handle(.stepForward)
        s.handle(.stepForward)
        #expect(s.isOutputRevealed(column: 0) && s.isOutputRevealed(column: 3))
    }

    @Test("Play advances on ticks, stops at each caption and at the end; speeds from 0.25 to 32 steps/s")
    func play() throws {
        var s = try Session(lesson: .defaultLesson)
        s.handle(.togglePlay)
        #expect(s.playing && s.tickInterval == 500 && s.speedText == "2 steps/s")
        s.handle(.faster)
        #expect(s.tickInterval == 250 && s.speedText == "4 steps/s")
        // The timeline positions where a caption begins (forward: its step; backward: 2T − 1 − step).
        let t = s.columns
        // Only the captions of the sentence on screen stop play (a held-out input's wait for `i`).
        let stops = Set(
            Lesson.defaultLesson.captions.filter { $0.inputIndex == 0 }
                .map { $0.phase == .forward ? $0.step : 2 * t - 1 - $0.step })
        #expect(!stops.isEmpty)
        var pausedAt: [Int] = []
        for _ in 0..<(4 * t) {
            if !s.playing {
                pausedAt.append(s.phase == .forward ? s.step : 2 * t - 1 - s.step)
                #expect(s.notice == "paused at the narration: space plays on")
                if s.phase == .backward && s.step == 0 { break }
                s.handle(.togglePlay)
            }
            s.handle(.tick)
        }
        #expect(!s.playing && s.phase == .backward && s.step == 0)
        #expect(Set(pausedAt) == stops.subtracting([0]), "play pauses exactly where a caption begins")
        s.handle(.togglePlay)
        #expect(s.playing && s.phase == .forward && s.step == 0)
        for _ in 0..<10 { s.handle(.slower) }
        #expect(s.tickInterval == 4000 && s.speedText == "0.25 steps/s")
        s.handle(.faster)
        s.handle(.faster)
        #expect(s.speedText == "1 step/s")
    }

    @Test("Captions: the current one follows the step; n and p visit every caption in order")
    func captions() throws {
        var s = try Session(lesson: .defaultLesson)
        // The captions of the lesson's own sentence: a held-out input's are visited after `i`.
        let captions = Lesson.defaultLesson.captions.filter { $0.inputIndex == 0 }
        try #require(captions.count >= 2)
        #expect(s.caption == captions.first)
        for c in captions.dropFirst() {
            s.handle(.nextCaption)
            #expect(s.phase == c.phase && s.step == c.step && s.caption == c)
        }
        s.handle(.nextCaption)
        #expect(s.caption == captions.last && s.notice == "no later caption: this is the last")
        for c in captions.dropLast().reversed() {
            s.handle(.previousCaption)
            #expect(s.phase == c.phase && s.step == c.step)
        }
    }

    @Test("Model keys recompute the trace through the engine")
    func modelKeys() throws {
        var s = try Session(lesson: .defaultLesson)
        let loss = s.trace.loss
        s.handle(.cycleCell)
        #expect(s.trace.spec.cell == .lstm && s.trace.layers[0].steps[0].gates.count == 4)
        s.handle(.cycleCell)
        #expect(s.trace.spec.cell == .gru)
        s.handle(.cycleCell)
        #expect(s.trace.spec.cell == .rnn && s.trace.loss == loss)
        #expect(s.comparison == nil, "the skip comparison is computed only when asked for")
        s.handle(.toggleSkipComparison)
        #expect(s.comparison?.spec.skip == 3 && s.notice == "comparing with skip connections toggled")
        s.handle(.toggleSkip)
        #expect(s.trace.spec.skip == 3 && s.comparison != nil && s.comparison?.spec.skip == nil)
        // The lesson's trained weights stay, the skip weights added (issue 22: `s` keeps the lesson's weights).
        #expect(s.notice == "skip connections on: h_{t-3} → h_t; the lesson's weights kept, the skip weights drawn")
        s.handle(.toggleSkip)
        #expect(s.trace.spec.skip == nil && s.comparison?.spec.skip == 3)
        let rho = try #require(s.trace.recurrent.first).spectralRadius
        s.handle(.scaleUp)
        #expect(abs(try #require(s.trace.recurrent.first).spectralRadius - rho * 1.1) < 1e-9)
        s.handle(.scaleDown)
        #expect(abs(try #require(s.trace.recurrent.first).spectralRadius - rho) < 1e-9)
        s.handle(.toggleClip)
        #expect(s.trace.options.clipping == .norm(1) && s.trace.clip.normAfter <= 1)
        s.handle(.reseed)
        #expect(s.current.seed == 2 && s.trace.loss != loss)
    }

    @Test("A scale key reuses the spectra times the factor; they equal LAPACK's on the scaled weights")
    func scaledSpectra() throws {
        var lesson = Lesson.defaultLesson
        lesson.cell = .lstm
        lesson.weights = nil // the memory lesson's trained weights fit its RNN only
        var s = try Session(lesson: lesson)
        for _ in 0..<3 { s.handle(.scaleUp) }
        s.handle(.scaleDown)
        let fresh = try s.current.trace(recurrentScale: s.recurrentScale).1.recurrent
        #expect(fresh.count == 4 && fresh.map(\.name) == s.trace.recurrent.map(\.name))
        for (a, b) in zip(fresh, s.trace.recurrent) {
            #expect(abs(a.spectralRadius - b.spectralRadius) <= 1e-9 * a.spectralRadius)
            #expect(abs(a.largestSingularValue - b.largestSingularValue) <= 1e-9 * a.largestSingularValue)
        }
    }

    @Test("Toggling skip or clipping keeps W_hh, so the spectra stay LAPACK's; a reseed recomputes them")
    func spectraAcrossSettings() throws {
        var lesson = Lesson.defaultLesson
        lesson.cell = .gru
        lesson.weights = nil // the memory lesson's trained weights fit its RNN only
        var s = try Session(lesson: lesson)
        s.handle(.scaleUp)
        let before = s.trace.recurrent
        #expect(before.count == 3)
        for action in [Action.toggleSkip, .toggleClip, .reseed] {
            s.handle(action)
            var fresh = s.current
            if s.clipping { fresh.clipping = .norm(1) }
            let expected = try fresh.trace(recurrentScale: s.recurrentScale).1.recurrent
            #expect(s.trace.recurrent.map(\.name) == expected.map(\.name))
            for (a, b) in zip(s.trace.recurrent, expected) {
                #expect(abs(a.spectralRadius - b.spectralRadius) <= 1e-9 * b.spectralRadius)
                #expect(abs(a.largestSingularValue - b.largestSingularValue) <= 1e-9 * b.largestSingularValue)
            }
            #expect((s.trace.recurrent == before) == (action != .reseed))
        }
    }

    @Test("In a bidirectional stack ↑ and ↓ follow the rows as drawn: the reverse direction below the forward one")
    func bidirectionalSelection() throws {
        var s = try Session(
            lesson: Lesson(
                name: "b", title: "b", hiddenSizes: [3, 3], bidirectional: true,
                tokens: ["a", "b", "c", "d"]))
        let labels = { (s: Session) in s.trace.layers[s.selectedLayer].label }
        #expect(labels(s) == "l1")
        var visited = [labels(s)]
        for _ in 0..<4 {
            s.handle(.selectDown)
            visited.append(labels(s))
        }
        #expect(visited == ["l1", "l1_reverse", "l0", "l0_reverse", "l0_reverse"])
        s.handle(.selectUp)
        #expect(labels(s) == "l0")
        // The rows as the graph draws them, top to bottom, are the same order.
        #expect(GraphView.rows(s.trace).map(\.label) == ["h l1", "h l1←", "h l0", "h l0←"])
    }

    @Test("seq2seq: at an encoder step the inspector shows the encoder's step (the row it shares), at a decoder step the decoder's; the gradient panel follows")
    func encoderStepInspected() throws {
        var s = try Session(lesson: try #require(Lesson.builtin(named: "seq2seq")))
        let encoder = try #require(s.trace.layers.first { $0.segment.hasPrefix("encoder") })
        let decoder = try #require(s.trace.layers.first { $0.segment.hasPrefix("decoder") })
        #expect(s.trace.layers[s.selectedLayer].segment == decoder.segment)
        for (column, expected) in [(1, encoder), (5, decoder)] {
            s.handle(.select(layer: s.selectedLayer, column: column))
            let seen = try #require(s.inspected, "nothing inspected at column \(column)")
            #expect(seen.layer.segment == expected.segment, "column \(column)")
            #expect(seen.step.hidden == expected.step(at: column)?.hidden, "column \(column)")
            // The gradient panel charts the same layer: one bar per step of that segment.
            #expect(s.gradientSeries?.hidden.count == expected.steps.count, "column \(column)")
            let screen = Screen.render(s, theme: Theme(colorMode: .monochrome, glyphs: .unicode), width: 120, height: 40)
            #expect(!screen.lines().joined().contains("no step of this layer here"), "column \(column)")
        }
    }

    @Test("seq2seq backward: ∂L/∂C enters ∂L/∂h_t at the encoder's last step only; a layer's last step has no h_t+1 term")
    func encoderContextTerm() throws {
        let s = try Session(lesson: try #require(Lesson.builtin(named: "seq2seq")))
        let encoder = try #require(s.trace.layers.first { $0.segment.hasPrefix("encoder") })
        let last = encoder.startColumn + encoder.steps.count - 1
        try #require(last >= 1)
        func backwardEquations(at column: Int) -> String {
            var t = s
            for _ in 0..<(2 * t.columns - 1 - column) { t.handle(.stepForward) }
            let screen = Screen.render(t, theme: Theme(colorMode: .monochrome, glyphs: .unicode), width: 200, height: 60)
            return screen.lines().joined(separator: "\n")
        }
        let atLast = backwardEquations(at: last)
        #expect(atLast.contains("∂L/∂h_t = (∂C/∂h_t)ᵀ ∂L/∂C\n") || atLast.contains("∂L/∂h_t = (∂C/∂h_t)ᵀ ∂L/∂C "))
        #expect(!atLast.contains("∂L/∂h_t+1"))
        let before = backwardEquations(at: last - 1)
        #expect(!before.contains("∂C/∂h_t"))
        #expect(before.contains("(∂h_t+1/∂h_t)ᵀ ∂L/∂h_t+1"))
    }

    @Test("A click selects a node; ↑ ↓ select layers within range")
    func selection() throws {
        var s = try Session(lesson: Lesson(name: "s", title: "s", hiddenSizes: [3, 3], tokens: ["a", "b", "c"]))
        #expect(s.selectedLayer == 1)
        s.handle(.selectUp)
        #expect(s.selectedLayer == 1)
        s.handle(.selectDown)
        s.handle(.selectDown)
        #expect(s.selectedLayer == 0)
        s.handle(.select(layer: 1, column: 2))
        #expect(s.selectedLayer == 1 && s.inspectedColumn == 2)
        s.handle(.stepForward)
        #expect(s.inspectedColumn == 1)
        let layout = Screen.layout(width: 100, height: 30, session: s)
        let g = GraphView.geometry(s.revealedTrace, layout.graph)
        let rows = GraphView.rows(s.trace)
        let v = GraphView.verticalLayout(rows.count, skip: false, layout.graph)
        let hit = GraphView.hit(s.revealedTrace, layout.graph, x: g.x(2, in: layout.graph) + 2, y: v.nodes[1])
        #expect(hit?.layer == 0 && hit?.column == 2)
    }
}

@Test(
    "Every key in the help overlay maps to its action",
    arguments: [
        (Key.right, Action.stepForward), (.character("l"), .stepForward), (.left, .stepBack),
        (.character("h"), .stepBack),
        (.character(" "), .togglePlay), (.character("+"), .faster), (.character("-"), .slower), (.home, .first),
        (.end, .last), (.tab, .switchPhase), (.character("b"), .switchPhase), (.up, .selectUp), (.down, .selectDown),
        (.character("n"), .nextCaption), (.character("p"), .previousCaption), (.character("c"), .cycleCell),
        (.character("s"), .toggleSkip), (.character("]"), .scaleUp), (.character("["), .scaleDown),
        (.character("x"), .toggleClip), (.character("v"), .toggleSkipComparison), (.character("u"), .toggleRolled),
        (.character("r"), .reseed), (.character("w"), .toggleWeights), (.character("i"), .nextInput),
        (.character("0"), .restore),
        (.character("?"), .toggleHelp), (.escape, .dismiss), (.character("q"), .quit), (.interrupt, .quit)
    ])
func keyMap(_ key: Key, _ action: Action) {
    #expect(KeyMap.action(for: key) == action)
}

@Test("docs/keys.md lists every binding of the help overlay")
func keysDocumented() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/keys.md")
    let doc = try String(contentsOf: url, encoding: .utf8)
    for b in KeyMap.bindings {
        let keys = b.keys.split(separator: " ").map { "`\($0)`" }.joined(separator: " ")
        #expect(doc.contains("| \(keys) | \(b.help) |"), "docs/keys.md lacks: \(b.keys) \(b.help)")
    }
}

@Suite("A model key with a lab worker")
struct SessionWorkerTests {
    /// Hands the labs among `effects` to `worker`, as the event loop does.
    static func submit(_ effects: [Session.Effect], to worker: LabWorker) {
        for case .compute(let job) in effects {
            worker.submit(job.lab, previous: job.previous, generation: job.generation)
        }
    }

    @Test(
        "The key hands the lab over; the screen keeps the old numbers, says 'computing' after the delay, then shows the new"
    )
    func computingThenResults() throws {
        let worker = LabWorker(wake: {})
        defer { worker.stop() }
        var s = try Session(lesson: .defaultLesson)
        let rho = try #require(s.trace.recurrent.first).spectralRadius
        Self.submit(s.handle(.action(.scaleUp)), to: worker)
        #expect(s.isComputing && s.lab.settings.recurrentScale == 1.1 && s.recurrentScale == 1)
        #expect(s.computingText == nil, "nothing is said before the delay")
        s.handle(.stepForward)
        #expect(s.step == 1, "stepping works while computing")
        s.handle(.computingTimeout)
        let text = try #require(s.computingText)
        #expect(text.hasPrefix("computing W_hh × 1.1"))
        let frame = Screen.render(s, theme: mono, width: 80, height: 24)
        #expect(
            frame.lines().last?.contains("computing W_hh x 1.1") == true, "status line: \(frame.lines().last ?? "")")
        #expect(worker.waitUntilIdle(deadline: .now.advanced(by: .seconds(60))))
        let received = s.receive(worker.take())
        #expect(received)
        #expect(!s.isComputing && s.recurrentScale == 1.1 && s.step == 1)
        #expect(abs(try #require(s.trace.recurrent.first).spectralRadius - 1.1 * rho) < 1e-9)
        #expect(s.notice?.hasPrefix("W_hh × 1.1: spectral radius") == true)
    }

    @Test("Keys pressed while computing add up; only the newest result is shown")
    func newestWins() throws {
        let worker = LabWorker(wake: {})
        defer { worker.stop() }
        var s = try Session(lesson: .defaultLesson)
        for action in [Action.scaleUp, .scaleUp, .cycleCell] { Self.submit(s.handle(.action(action)), to: worker) }
        #expect(worker.waitUntilIdle(deadline: .now.advanced(by: .seconds(60))))
        let received = s.receive(worker.take())
        #expect(received)
        #expect(
            s.trace.spec.cell == .lstm && abs(s.recurrentScale - 1.21) < 1e-12
                && s.notice?.hasPrefix("cell: LSTM, 471 parameters; the lesson's trained weights were redrawn") == true)
        // 4·6·(9+6) + 2·24 + 9·6 + 9 (eight words and <eos>); the lesson's trained weights cannot hold an LSTM's shapes
        let again = s.receive(worker.take())
        #expect(!again, "nothing more to take")
    }
}

@Test("m cycles the gradient panel: last (the lesson's default) → the inspected step's loss → total → last")
func gradientModeKey() throws {
    #expect(KeyMap.action(for: .character("m")) == .cycleGradient)
    var s = try Session(lesson: try #require(Lesson.builtin(named: "memory")))
    #expect(s.lab.settings.gradient == .last)
    for _ in 0..<(2 * s.columns - 3) { s.handle(.stepForward) } // backward phase, at step 3 (column 2)
    #expect(s.inspectedColumn == 2)
    s.handle(.cycleGradient)
    #expect(s.lab.settings.gradient == .step(2))
    #expect(s.notice == "gradient panel: loss at step 3")
    #expect(s.gradientSeries?.titles.first == "‖∂L_3/∂h_t‖ loss at step 3 (log)")
    s.handle(.cycleGradient)
    #expect(s.lab.settings.gradient == .total)
    #expect(s.gradientSeries?.hidden == s.trace.layers[0].steps.map(\.hiddenGradientNorm))
    s.handle(.cycleGradient)
    #expect(s.lab.settings.gradient == .last)
    s.handle(.cycleGradient)
    #expect(s.captionsHold, "which loss the panel shows leaves the model, and its captions, as they are")
}

@Test("0 brings back the lesson's own model; while the model is not the lesson's, the caption is marked")
func restoreLessonsOwnModel() throws {
    let lesson = try #require(Lesson.builtin(named: "vanishing"))
    var s = try Session(lesson: lesson)
    let own = s.trace.loss
    s.handle(.last) // the forward caption at step 12
    func captionRows() -> String {
        Screen.render(s, theme: .projector(colorMode: .monochrome, glyphs: .unicode), width: 80, height: 24).lines()[
            2...3
        ].joined()
    }
    #expect(s.captionsHold && captionRows().contains("» The loss is taken at the last step only"))
    s.handle(.toggleSkipComparison) // a second trace in the panel; the model and its captions stay
    #expect(s.captionsHold)
    s.handle(.scaleUp)
    s.handle(.cycleCell)
    s.handle(.toggleClip)
    s.handle(.reseed)
    #expect(!s.captionsHold && s.trace.loss != own)
    #expect(captionRows().contains("[for the lesson's own model: press 0] The loss is taken"))
    s.handle(.restore)
    #expect(s.captionsHold && s.lab.isLessonsOwn && s.trace.loss == own)
    #expect(s.notice?.hasPrefix("the lesson's own model: RNN, seed 3") == true)
    s.handle(.restore)
    #expect(s.notice == "already the lesson's own model")
}
