import Foundation
import Testing
import UnrollEngine
import UnrollLessons

@testable import UnrollUI

/// The parts of the notes' figures the graph draws where the lesson has them, and only there: v and its edges, h0,
/// C and its edges, s_t, the c_t row, the dashed feedback edges, the MLP blocks, the rolled view's two cells, and
/// the output readout. Read off whole rendered screens at 120x40 and 80x24.
@Suite("Graph parts")
struct GraphPartsTests {
    /// What a lesson's graph shows, as the lesson's model implies it (read from its scenario, not the view).
    struct Parts: Sendable, CustomTestStringConvertible {
        var lesson: String
        /// v in the lead column of the input row.
        var v = false
        /// `↑v` into every step.
        var vEveryStep = false
        /// h0 nodes.
        var h0 = false
        /// `↑C` into every decoder step.
        var cEveryStep = false
        /// `C→` into the decoder's initial state.
        var cInitial = false
        /// `s→` on the recurrent edges and `s: MLP` in the gutter.
        var transition = false
        /// A `c l0` row.
        var cellRow = false
        /// The dashed feedback edges.
        var feedback = false
        var testDescription: String { lesson }
    }

    static let cases: [Parts] = [
        Parts(lesson: "memory"),
        Parts(lesson: "caption", v: true, vEveryStep: true),
        Parts(lesson: "caption-h0", v: true, h0: true),
        Parts(lesson: "caption-both", v: true, vEveryStep: true, h0: true),
        Parts(lesson: "seq2seq", cEveryStep: true),
        Parts(lesson: "seq2seq-h0", cInitial: true),
        Parts(lesson: "seq2seq-both", cEveryStep: true, cInitial: true),
        Parts(lesson: "deep", transition: true),
        Parts(lesson: "shortcut", transition: true),
        Parts(lesson: "lstm", cellRow: true),
        Parts(lesson: "gru"),
        Parts(lesson: "feedback", feedback: true),
        Parts(lesson: "teacher", feedback: true),
        Parts(lesson: "bidir"),
        Parts(lesson: "stacked")
    ]

    /// The graph's lines of a screen: from the caption's end to the inspector's top border.
    static func graphLines(_ s: Session, width: Int, height: Int) -> [String] {
        let lines = Screen.render(s, theme: Theme(colorMode: .color256, glyphs: .unicode), width: width, height: height)
            .lines()
        let g = Screen.layout(width: width, height: height, session: s).graph
        return Array(lines[g.y..<g.maxY])
    }

    /// How many times `needle` occurs in `line`.
    static func count(_ needle: String, in line: String) -> Int { line.components(separatedBy: needle).count - 1 }

    @Test("Each part is drawn where the lesson has it and nowhere else, at 120x40 and 80x24", arguments: cases)
    func partsShown(_ p: Parts) throws {
        let lesson = try #require(Lesson.builtin(named: p.lesson))
        var s = try Session(lesson: lesson)
        s.handle(.last) // the whole forward pass revealed
        let columns = s.columns
        try #require(columns > 1)
        for (w, h) in [(120, 40), (80, 24)] {
            let at = "\(p.lesson) \(w)x\(h)"
            let lines = Self.graphLines(s, width: w, height: h)
            let input = try #require(lines.last { $0.hasPrefix("x_t") }, "\(at): no input row")
            let visible = GraphView.geometry(s.revealedTrace, Screen.layout(width: w, height: h, session: s).graph)
                .visible
            // v: the lead column of the input row, right after the gutter.
            let lead = Array(input).dropFirst(GraphView.gutter).prefix(2)
            #expect((String(lead) == "v ") == p.v, "\(at): v node \(String(lead))")
            // v's and C's edges into every step they enter: one mark per visible column that reads them.
            let vMarks = lines.map { Self.count("↑v", in: $0) }.reduce(0, +)
            let cMarks = lines.map { Self.count("↑C", in: $0) }.reduce(0, +)
            #expect(vMarks == (p.vEveryStep ? min(columns, visible) : 0), "\(at): \(vMarks) ↑v marks")
            let decoderSteps = s.trace.decoderStartColumn.map { columns - $0 } ?? 0
            let shownDecoder = (0..<columns).suffix(decoderSteps).filter {
                $0 >= columns - visible // the graph keeps the last (inspected) column in view
            }.count
            #expect(cMarks == (p.cEveryStep ? shownDecoder : 0), "\(at): \(cMarks) ↑C marks of \(shownDecoder)")
            #expect(lines.contains { $0.contains("C→") } == p.cInitial, "\(at): C→")
            // h0: labelled in the lead column of the h row.
            let h0 = lines.contains {
                $0.hasPrefix("h l0") && String(Array($0).dropFirst(GraphView.gutter).prefix(2)) == "h0"
            }
            #expect(h0 == p.h0, "\(at): h0 node")
            // s_t: on every recurrent edge shown, and named in the gutter.
            let sEdges = lines.map { Self.count("s→", in: $0) }.reduce(0, +)
            #expect((sEdges > 0) == p.transition, "\(at): \(sEdges) s→ edges")
            #expect(lines.contains { $0.hasPrefix("s: MLP") } == p.transition, "\(at): s_t label")
            // The LSTM's c_t row, with its ⊙ path along it, below h_t.
            let cRow = lines.firstIndex { $0.hasPrefix("c l0 f⊙") }
            #expect((cRow != nil) == p.cellRow, "\(at): c_t row")
            if let cRow {
                let hRow = try #require(lines.firstIndex { $0.hasPrefix("h l0") })
                #expect(hRow < cRow, "\(at): c_t below h_t")
                #expect(Self.count("⊙→", in: lines[cRow]) >= visible - 2, "\(at): the ⊙ path along the c_t row")
            }
            // The dashed output→hidden edges.
            #expect(lines.contains { $0.hasPrefix("y_t-1") || $0.hasPrefix("tgt_t-1") } == p.feedback, "\(at)")
            #expect(lines.contains { $0.contains("╌") } == p.feedback, "\(at): dashed edges")
        }
    }

    @Test("Backward, the c_t row shows ∂L/∂c, its path points back (←⊙), and s_t's edge too (←s)")
    func backwardParts() throws {
        for (name, edge) in [("lstm", "←⊙"), ("deep", "←s")] {
            var s = try Session(lesson: try #require(Lesson.builtin(named: name)))
            s.handle(.last)
            s.handle(.switchPhase)
            s.handle(.last)
            try #require(s.phase == .backward)
            let lines = Self.graphLines(s, width: 120, height: 40)
            #expect(lines.contains { $0.contains(edge) }, "\(name): \(edge)")
            if name == "lstm" { #expect(lines.contains { $0.hasPrefix("∂c l0 f⊙") }) }
        }
    }

    @Test("A graph too short for the c_t row leaves it out (omitsCellRows); the h_t row's label is whole, no 'c…'")
    func cellRowDroppedWithMarker() throws {
        let s = try Session(lesson: try #require(Lesson.builtin(named: "lstm")))
        var canvas = Canvas(width: 100, height: 3)
        GraphView.render(
            s.revealedTrace, theme: Theme(colorMode: .monochrome, glyphs: .unicode), into: &canvas,
            Rect(x: 0, y: 0, width: 100, height: 3))
        let lines = canvas.lines()
        #expect(GraphView.omitsCellRows(s.trace, Rect(x: 0, y: 0, width: 100, height: 3)))
        #expect(!GraphView.omitsCellRows(s.trace, Rect(x: 0, y: 0, width: 100, height: 4)))
        #expect(lines.contains { $0.hasPrefix("h l0 ") } && !lines.contains { $0.contains("c…") })
        #expect(!lines.contains { $0.hasPrefix("c l0") })
        #expect(lines.last?.hasPrefix("x_t") == true)
    }

    @Test("Scrolled to a later step, the lead column keeps v and h0 but h0's edge into step 1 is gone; ◀n stays clear")
    func leadWhenScrolled() throws {
        let lesson = Lesson(
            name: "long-caption", title: "A long caption", conditioningSize: 3, conditioning: .both,
            tokens: (0..<40).map { ["a", "b", "c", "d"][$0 % 4] })
        var s = try Session(lesson: lesson)
        for (w, h) in [(80, 24), (120, 40)] {
            let first = Self.graphLines(s, width: w, height: h)
            let h0Row = try #require(first.first { $0.hasPrefix("h l0") })
            #expect(String(Array(h0Row).dropFirst(GraphView.gutter).prefix(7)) == "h0   ─→", "\(w)x\(h): \(h0Row)")
        }
        s.handle(.last)
        for (w, h) in [(80, 24), (120, 40)] {
            let lines = Self.graphLines(s, width: w, height: h)
            let input = try #require(lines.last { $0.hasPrefix("x_t") })
            #expect(input.contains("◀"), "\(w)x\(h): scrolled")
            #expect(String(Array(input).dropFirst(GraphView.gutter).prefix(2)) == "v ", "\(w)x\(h): \(input)")
            let h0Row = try #require(lines.first { $0.hasPrefix("h l0") })
            #expect(String(Array(h0Row).dropFirst(GraphView.gutter).prefix(7)) == "h0     ", "\(w)x\(h): \(h0Row)")
        }
    }

    @Test("The input and output MLPs (deep: {input, output}) are named on their arrow lines")
    func mlpBlocks() throws {
        let lesson = Lesson(
            name: "deep-io-test", title: "MLPs", deep: DeepTransition(input: 1, output: 2),
            tokens: ["the", "clouds", "are", "in", "the", "sky"])
        let s = try Session(lesson: lesson)
        let lines = Self.graphLines(s, width: 120, height: 40)
        #expect(lines.contains { $0.hasPrefix("MLP×1") })
        #expect(lines.contains { $0.hasPrefix("MLP×2") })
        let plain = Self.graphLines(
            try Session(lesson: try #require(Lesson.builtin(named: "memory"))), width: 120,
            height: 40)
        #expect(!plain.contains { $0.contains("MLP") })
        // The built-in lesson deep-io: both MLP lines, above the input row and below the output row, at both sizes.
        let io = try Session(lesson: try #require(Lesson.builtin(named: "deep-io")))
        for (w, h) in [(120, 40), (80, 24)] {
            let lines = Self.graphLines(io, width: w, height: h)
            let mlp = lines.indices.filter { lines[$0].hasPrefix("MLP×1") }
            let x = try #require(lines.lastIndex { $0.hasPrefix("x_t") }, "\(w)x\(h): no input row")
            let y = try #require(lines.firstIndex { $0.hasPrefix("y_t") }, "\(w)x\(h): no output row")
            let hidden = try #require(lines.firstIndex { $0.hasPrefix("h l0") }, "\(w)x\(h): no h row")
            #expect(
                mlp.count == 2 && mlp.first.map { y < $0 && $0 < hidden } == true && mlp.last == x - 1,
                "\(w)x\(h): MLP lines at \(mlp), y_t at \(y), h at \(hidden), x_t at \(x)")
        }
    }

    @Test(
        "The rolled view: two cells for bidir (h forward, g backward) and seq2seq (encoder, C, decoder); v for caption")
    func rolledParts() throws {
        for (w, h) in [(120, 40), (80, 24)] {
            func rolled(_ name: String, steps: Int) throws -> String {
                var s = try Session(lesson: try #require(Lesson.builtin(named: name)))
                s.handle(.toggleRolled)
                for _ in 0..<steps { s.handle(.stepForward) }
                return Self.graphLines(s, width: w, height: h).joined(separator: "\n")
            }
            let bidir = try rolled("bidir", steps: 1)
            #expect(bidir.contains("h: forward RNN") && bidir.contains("g: backward RNN"), "\(w)x\(h)\n\(bidir)")
            #expect(bidir.contains("│←─╮"), "the backward cell's loop enters from the right")
            let seq2seq = try rolled("seq2seq", steps: 1)
            #expect(seq2seq.contains("encoder RNN") && seq2seq.contains("decoder RNN") && seq2seq.contains("C→"))
            #expect(seq2seq.contains("every step"))
            #expect(try rolled("seq2seq-h0", steps: 1).contains("h_0"))
            let h0 = try rolled("caption-h0", steps: 2)
            #expect(h0.contains("h_0 = tanh(W_init v)") && h0.contains("x_t = 0") && !h0.contains("x_t = ''"))
            #expect(!h0.contains("W_cond v"))
            let both = try rolled("caption-both", steps: 2)
            #expect(both.contains("h_0 = tanh(W_init v)") && both.contains("W_ih x_t + W_cond v"))
            let memory = try rolled("memory", steps: 1)
            #expect(!memory.contains("W_init") && !memory.contains("W_cond") && !memory.contains("encoder"))
            #expect(!memory.contains("c_t"))
            // The LSTM's cell state beside h_t in its cell.
            #expect(try rolled("lstm", steps: 1).contains("c_t"))
        }
    }

    @Test(
        "The output readout names the trace's most probable words at the inspected step, best first, at 120x40 and 80x24"
    )
    func readout() throws {
        var s = try Session(lesson: try #require(Lesson.builtin(named: "lstm")))
        for _ in 0..<3 { s.handle(.stepForward) }
        let c = s.inspectedColumn
        let p = try #require(s.trace.probabilities[c]).row(0)
        try #require(p.count == s.run.vocabulary.count && p.count >= 3)
        // Expected: the trace's probabilities sorted here, the words from the lesson's vocabulary.
        let best = p.indices.max { p[$0] < p[$1] }!
        let word = s.run.vocabulary[best]
        for (w, h) in [(120, 40), (80, 24)] {
            let text = Screen.render(s, theme: Theme(colorMode: .monochrome, glyphs: .unicode), width: w, height: h)
                .lines().joined(separator: "\n")
            let expected = "p(y_t): '\(word)' " + String(format: "%.3f", p[best])
            #expect(text.contains(expected), "\(w)x\(h): no '\(expected)' in\n\(text)")
        }
        // Not before the output is revealed: a bidirectional model's output needs both directions there.
        let bidir = try Session(lesson: try #require(Lesson.builtin(named: "bidir")))
        #expect(!bidir.isOutputRevealed(column: 0))
        #expect(OutputReadout.line(bidir.revealedTrace, column: 0, width: 80) == nil)
        // Nothing where the step writes no output (many-to-one, before its last step).
        var many2one = try Session(lesson: try #require(Lesson.builtin(named: "many2one")))
        many2one.handle(.last)
        #expect(OutputReadout.line(many2one.revealedTrace, column: 0, width: 80) == nil)
        #expect(OutputReadout.line(many2one.revealedTrace, column: many2one.columns - 1, width: 80) != nil)
    }
}

/// The words under and over the columns at 80 columns, where a column holds six cells (issue: "Fran…" at 80x24).
@Suite("Graph words: placed whole where the neighbours leave room")
struct GraphWordTests {
    /// Hand-placed: columns 6 cells apart from x = 10, moves of at most 3 cells, one blank between words.
    @Test("A word longer than its column moves left into the room the word before left, and pushes the next right")
    func placed() {
        typealias P = GraphView.PlacedLabel
        // 'in' fits at its column; 'France' (6) ends one blank before 'where' at 22, so it starts at 15.
        #expect(
            GraphView.placeLabels(["in", "France", "where", "", ""], anchors: [10, 16, 22, 28, 34], shift: 3, lower: 9, upper: 40)
                == [P(text: "in", x: 10), P(text: "France", x: 15), P(text: "where", x: 22), P(text: "", x: 28), P(text: "", x: 34)])
        // 'couramment' (10) may move left 3 cells, to 13, and 'le' is pushed right from 22 to 24 (one blank after 22).
        #expect(
            GraphView.placeLabels(["I", "couramment", "le"], anchors: [10, 16, 22], shift: 3, lower: 9, upper: 40)
                == [P(text: "I", x: 10), P(text: "couramment", x: 13), P(text: "le", x: 24)])
        // 16 letters between 'abc' (ends at 13) and 'x' (at most at 25): 10 cells from 14, so cut with "…".
        #expect(
            GraphView.placeLabels(["abc", "abcdefghijklmnop", "x"], anchors: [10, 16, 22], shift: 3, lower: 9, upper: 40)
                == [P(text: "abc", x: 10), P(text: "abcdefghi…", x: 14), P(text: "x", x: 25)])
        // The last word runs to `upper`, and no further.
        #expect(
            GraphView.placeLabels(["weather", "yesterday"], anchors: [10, 16], shift: 3, lower: 9, upper: 24)
                == [P(text: "weather", x: 8 + 1), P(text: "yester…", x: 17)])
    }
}
