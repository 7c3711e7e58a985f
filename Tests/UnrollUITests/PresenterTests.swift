import Foundation
import Testing
import UnrollEngine
import UnrollLessons

@testable import UnrollUI

@Suite("Presenter mode")
struct PresenterTests {
    // MARK: The block digits

    /// The 3×5 font, drawn by hand here: `#` a pixel.
    static let expectedLarge: [Character: [String]] = [
        "0": ["###", "# #", "# #", "# #", "###"],
        "1": [" # ", "## ", " # ", " # ", "###"],
        "2": ["###", "  #", "###", "#  ", "###"],
        "3": ["###", "  #", " ##", "  #", "###"],
        "4": ["# #", "# #", "###", "  #", "  #"],
        "5": ["###", "#  ", "###", "  #", "###"],
        "6": ["###", "#  ", "###", "# #", "###"],
        "7": ["###", "  #", "  #", "  #", "  #"],
        "8": ["###", "# #", "###", "# #", "###"],
        "9": ["###", "# #", "###", "  #", "###"]
    ]

    @Test("Each digit renders as its expected rows, large in ASCII and in block characters")
    func digitRows() {
        for (digit, rows) in Self.expectedLarge {
            #expect(BlockDigits.rows(String(digit), size: .large, glyphs: .ascii) == rows, "digit \(digit)")
            let blocks = rows.map { $0.replacingOccurrences(of: "#", with: "█") }
            #expect(BlockDigits.rows(String(digit), size: .large, glyphs: .unicode) == blocks, "digit \(digit)")
        }
    }

    @Test("Small digits fold two pixel rows into one with half blocks")
    func smallDigits() {
        #expect(BlockDigits.rows("0", size: .small, glyphs: .unicode) == ["█▀█", "█ █", "▀▀▀"])
        #expect(BlockDigits.rows("7", size: .small, glyphs: .unicode) == ["▀▀█", "  █", "  ▀"])
        #expect(BlockDigits.rows("4", size: .small, glyphs: .ascii) == ["# #", "\"\"#", "  \""])
    }

    @Test("A number renders at the expected width: 3 columns a digit, 1 for the point, 1 between glyphs")
    func numberWidth() {
        // "0.0123": five digits (15) + the point (1) + five gaps (5) = 21.
        #expect(BlockDigits.width("0.0123") == 21)
        // "-3.2e-05": digits 3,2,0,5 (12) + '-' twice (6) + 'e' (3) + point (1) + seven gaps (7) = 29.
        #expect(BlockDigits.width("-3.2e-05") == 29)
        for size in BlockDigits.Size.allCases {
            let rows = BlockDigits.rows("-3.2e-05", size: size, glyphs: .unicode)
            #expect(rows.count == size.rows)
            #expect(rows.allSatisfy { $0.count == 29 })
        }
        let point = BlockDigits.rows("1.5", size: .large, glyphs: .ascii)
        #expect(point == [" #    ###", "##    #  ", " #    ###", " #      #", "### # ###"])
    }

    // MARK: Keys

    @Test("P enters and leaves presenter mode; I and E toggle its panels one by one; nothing is recomputed")
    func toggles() throws {
        var s = try Session(lesson: .defaultLesson)
        let loss = s.trace.loss
        #expect(!s.presenting)
        #expect(KeyMap.action(for: .character("P")) == .togglePresenter)
        #expect(KeyMap.action(for: .character("I")) == .togglePresenterInspector)
        #expect(KeyMap.action(for: .character("E")) == .togglePresenterEquations)
        s.handle(.togglePresenterInspector)
        #expect(!s.presenting && !s.presenterInspector)
        #expect(s.notice?.contains("press P") == true)
        s.handle(.togglePresenter)
        #expect(s.presenting && !s.presenterInspector && !s.presenterEquations)
        s.handle(.togglePresenterInspector)
        #expect(s.presenterInspector && !s.presenterEquations)
        #expect(s.notice == "inspector shown")
        s.handle(.togglePresenterEquations)
        #expect(s.presenterInspector && s.presenterEquations)
        s.handle(.togglePresenterInspector)
        #expect(!s.presenterInspector && s.presenterEquations)
        #expect(s.notice == "inspector hidden")
        s.handle(.togglePresenter)
        #expect(!s.presenting)
        #expect(s.pending == nil && s.trace.loss == loss)
    }

    // MARK: Layout

    @Test(
        "Presenter layout: the graph and gradients take the screen, the other panels only when toggled on",
        arguments: [(80, 24), (120, 40), (200, 60)])
    func layout(_ size: (Int, Int)) throws {
        let (w, h) = size
        var s = try session(try #require(Lesson.builtin(named: "vanishing")), [.togglePresenter])
        var l = Screen.layout(width: w, height: h, session: s)
        #expect(l.inspector.isEmpty && l.equations.isEmpty)
        #expect(l.gradients.width == w && l.gradients.height >= 10)
        #expect(l.figures.height == (h >= 40 ? 6 : 4))
        #expect(l.graph.y == l.figures.maxY && l.gradients.y == l.graph.maxY && l.gradients.maxY == l.status.y)
        let normal = Screen.layout(
            width: w, height: h, session: try session(try #require(Lesson.builtin(named: "vanishing"))))
        // The figures strip costs rows: the gradient panel is wider rather than taller.
        #expect(l.gradients.area > normal.gradients.area)
        s.handle(.togglePresenterInspector)
        s.handle(.togglePresenterEquations)
        l = Screen.layout(width: w, height: h, session: s)
        #expect(!l.inspector.isEmpty && l.gradients.maxX == w)
        #expect(l.equations.isEmpty == (w < 120))
        #expect(l.inspector.width + l.equations.width + l.gradients.width == w)
    }

    // MARK: Screens

    @Test("The figures are the trace's: the selected step's ‖∂L/∂h‖, σmax of W_hh and the loss, in block digits")
    func figuresFromTrace() throws {
        let lesson = try #require(Lesson.builtin(named: "vanishing"))
        let s = try session(lesson, [.togglePresenter, .last, .switchPhase, .stepForward, .stepForward])
        #expect(s.phase == .backward)
        let column = s.step
        let layer = s.trace.layers[s.selectedLayer]
        let step = try #require(layer.step(at: column))
        let sigma = try #require(s.trace.recurrent.first { $0.name == layer.recurrentWeightName }).largestSingularValue
        let canvas = Screen.render(s, theme: colour, width: 200, height: 60)
        let text = canvas.lines().joined(separator: "\n")
        // printf's %.3g, independently of Format.number.
        for value in [step.hiddenGradientNorm, sigma] {
            let digits = BlockDigits.rows(String(format: "%.3g", value), size: .large, glyphs: .unicode)
            #expect(digits.allSatisfy { text.contains($0) }, "\(value) in block digits")
        }
        #expect(text.contains("‖∂L/∂h_\(column + 1)‖ (h l0)"))
        #expect(text.contains("σmax W_hh (h l0)"))
        #expect(text.contains("loss at step \(column + 1)"))
    }

    static let cases: [ScreenCase] = [
        ScreenCase(
            name: "presenter-vanishing-backward-80x24", lesson: Lesson.builtin(named: "vanishing"),
            actions: [.togglePresenter, .last, .switchPhase, .stepForward, .stepForward], width: 80, height: 24),
        ScreenCase(
            name: "presenter-vanishing-backward-200x60-projector", lesson: Lesson.builtin(named: "vanishing"),
            actions: [.togglePresenter, .last, .switchPhase, .stepForward], width: 200, height: 60,
            theme: .projector(colorMode: .color256, glyphs: .unicode)),
        ScreenCase(
            name: "presenter-memory-forward-panels-ascii-120x40",
            actions: [.togglePresenter, .togglePresenterInspector, .togglePresenterEquations, .last],
            width: 120, height: 40, theme: mono)
    ]

    @Test("Presenter screens match their committed snapshots", arguments: cases)
    func snapshots(_ c: ScreenCase) throws {
        let s = try session(try #require(c.lesson), c.actions)
        let canvas = Screen.render(s, theme: c.theme, width: c.width, height: c.height)
        expectSnapshot(canvas.lines(), named: c.name)
        if c.theme.glyphs == .ascii { #expect(canvas.lines().allSatisfy { $0.allSatisfy(\.isASCII) }) }
    }

    @Test(
        "Every presenter screen keeps the colour legend and fits its figures whole, at every size and theme",
        arguments: [(80, 24), (120, 40), (200, 60)])
    func legendAndWholeFigures(_ size: (Int, Int)) throws {
        let (w, h) = size
        let themes = [
            colour, mono, Theme(colorMode: .monochrome, glyphs: .unicode),
            .projector(colorMode: .color256, glyphs: .unicode),
            .projector(colorMode: .color8, glyphs: .unicode)
        ]
        for name in ["vanishing", "exploding", "lstm", "bidir"] {
            let lesson = try #require(Lesson.builtin(named: name))
            for actions in [[Action.togglePresenter], [.togglePresenter, .last, .switchPhase, .stepForward]] {
                let s = try session(lesson, actions)
                for theme in themes {
                    let lines = Screen.render(s, theme: theme, width: w, height: h).lines()
                    let screen = lines.joined(separator: "\n")
                    let legend = s.phase == .backward ? (theme.glyphs == .ascii ? "|grad|" : "|∂L/∂·|") : "values"
                    #expect(screen.contains(legend), "\(name) \(w)x\(h) \(theme): no legend")
                    // The labels sit on the figures' first line; each is drawn whole or not at all.
                    let labels = FiguresView.figures(s.revealedTrace, ascii: theme.glyphs == .ascii).map(\.label)
                    let row = lines[h >= 40 ? 5 : 4]
                    #expect(row.contains(labels[0]), "\(name) \(w)x\(h): first figure missing in \(row)")
                    for label in labels {
                        let shown = row.contains(label)
                        let cut = !shown && row.contains(String(label.prefix(6)))
                        #expect(!cut, "\(name) \(w)x\(h): \(label) cut in \(row)")
                    }
                }
            }
        }
    }

    @Test(
        "Projector theme in presenter mode: every coloured character stands out from what is behind it (≥ 4.5:1)",
        arguments: [ColorMode.color256, .color8])
    func projectorContrast(_ mode: ColorMode) throws {
        let s = try session(
            try #require(Lesson.builtin(named: "vanishing")), [.togglePresenter, .last, .switchPhase, .stepForward])
        let canvas = Screen.render(s, theme: .projector(colorMode: mode, glyphs: .unicode), width: 200, height: 60)
        var checked = 0
        // Below the header (whose phase badge is not a scale colour; see the report in DECISIONS), with reversed
        // cells swapped: the terminal's dark background stands for `.default`.
        for cell in canvas.cells.dropFirst(2 * canvas.width)
        where cell.glyph != " " && cell.style.foreground != .default {
            var (fore, behind) = (
                cell.style.foreground, cell.style.background == .default ? Color.black : cell.style.background
            )
            if cell.style.attributes.contains(.reverse) { (fore, behind) = (behind, fore) }
            let ratio = try #require(fore.contrast(with: behind))
            #expect(ratio >= 4.5, "\(mode) '\(cell.glyph)' \(cell.style.foreground) on \(behind): \(ratio)")
            checked += 1
        }
        #expect(checked > 10)
    }
}
