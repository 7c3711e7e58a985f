import UnrollEngine
import UnrollLessons

/// The whole screen: lays out the panels and renders each into one canvas.
public enum Screen {
    /// The smallest terminal Unroll draws in.
    public static let minimumWidth = 80
    /// The smallest terminal height Unroll draws in.
    public static let minimumHeight = 24

    /// Where each panel goes at a given size, so mouse clicks can be mapped back.
    public struct Layout: Sendable, Equatable {
        /// Title, model line.
        public var header: Rect
        /// The narration line(s).
        public var caption: Rect
        /// The unrolled graph or the rolled view.
        public var graph: Rect
        /// The selected node's values.
        public var inspector: Rect
        /// The cell's equations (empty when they share the inspector).
        public var equations: Rect
        /// Gradient norms per step.
        public var gradients: Rect
        /// The key hint or notice.
        public var status: Rect
        /// The unit line under the caption (empty unless a character model steps through a text).
        public var unitLine: Rect = .zero
        /// The presenter's figures in block digits (empty outside presenter mode).
        public var figures: Rect = .zero
        /// The selected layer's weights (only when the lesson lists the panel).
        public var weights: Rect = .zero
        /// The equations as the layout measured them, for the render to draw without laying them out again.
        var equationsDraft: EquationsDraft?
    }

    /// Every line of the selected step's equations at one width, none dropped, as `panelsNeed` laid them out.
    struct EquationsDraft: Equatable, Sendable {
        /// The text width they were laid out for.
        var width: Int
        /// The lines.
        var lines: [Equations.Line]
    }

    /// The layout for a terminal of `width × height` and the session's trace.
    public static func layout(width: Int, height: Int, session: Session) -> Layout {
        if session.presenting { return presenterLayout(width: width, height: height, session: session) }
        let header = Rect(x: 0, y: 0, width: width, height: 2)
        // A question of the narration takes more lines, from the panels below (never the graph's compact lines).
        let graphFloor = session.rolled ? RolledView.height : GraphView.compactHeight(session.trace)
        let captionHeight = CaptionView.height(
            session.captionArea, width: width, normal: height >= 40 ? 3 : 2,
            limit: max(2, min(height >= 40 ? 10 : 8, height - 2 - 1 - graphFloor - 4)))
        let caption = Rect(x: 0, y: 2, width: width, height: captionHeight)
        let status = Rect(x: 0, y: height - 1, width: width, height: 1)
        // The unit line: all its lines when the graph keeps its compact height and the panels below 10 lines, else
        // at least its heading and one line of text.
        let unitNeed = UnitLineView.height(session.unitLine, width: width)
        let unitHeight =
            unitNeed == 0 ? 0 : max(3, min(unitNeed, height - caption.maxY - 1 - graphFloor - 10))
        let unitLine = Rect(x: 0, y: caption.maxY, width: width, height: unitHeight)
        let graphTop = unitLine.maxY
        let room = height - graphTop - 1
        // The panels below get what they can fill (`panelsNeed`, at least 10 lines: a gradient chart of 5) up to what
        // the graph leaves with 4-line nodes, and the graph the rest, with taller hidden nodes; but never fewer lines
        // than it needs with one-line nodes.
        let (need, draft) = panelsNeedDrafting(session, width: width)
        let bottomWanted = max(10, min(need, max(12, room - GraphView.preferredHeight(session.trace))))
        let graphNeeds = session.rolled ? RolledView.height : GraphView.compactHeight(session.trace)
        let graphHeight = max(room - bottomWanted, graphNeeds)
        let bottomHeight = room - graphHeight
        let graph = Rect(x: 0, y: graphTop, width: width, height: graphHeight)
        let bottomY = graph.maxY
        let panels = session.lesson.display.panels
        if panels != Display.defaultPanels {
            // The lesson's own choice of panels, side by side in its order, sharing the width.
            var rects: [Panel: Rect] = [:]
            let n = max(1, panels.count)
            for (i, p) in panels.enumerated() {
                let x = width * i / n
                rects[p] = Rect(x: x, y: bottomY, width: width * (i + 1) / n - x, height: bottomHeight)
            }
            return Layout(
                header: header, caption: caption, graph: graph, inspector: rects[.inspector] ?? .zero,
                equations: rects[.equations] ?? .zero, gradients: rects[.gradients] ?? .zero, status: status, unitLine: unitLine,
                weights: rects[.weights] ?? .zero, equationsDraft: draft)
        }
        let widths = defaultWidths(width, wide: session.trace.spec.cell == .lstm)
        if width >= 120 {
            let (inspectorW, equationsW, gradientW) = widths
            return Layout(
                header: header, caption: caption, graph: graph,
                inspector: Rect(x: 0, y: bottomY, width: inspectorW, height: bottomHeight),
                equations: Rect(x: inspectorW, y: bottomY, width: equationsW, height: bottomHeight),
                gradients: Rect(x: inspectorW + equationsW, y: bottomY, width: gradientW, height: bottomHeight),
                status: status, unitLine: unitLine, equationsDraft: draft)
        }
        let inspectorW = widths.inspector
        return Layout(
            header: header, caption: caption, graph: graph,
            inspector: Rect(x: 0, y: bottomY, width: inspectorW, height: bottomHeight),
            equations: .zero,
            gradients: Rect(x: inspectorW, y: bottomY, width: width - inspectorW, height: bottomHeight),
            status: status, unitLine: unitLine)
    }

    /// The default panels' widths at `width`: from 120 columns the inspector (48 columns; with `wide`, an LSTM's, 62
    /// from 180, room for eight columns of values: its i, g and o stay in the backward phase), the equations and the gradients (a
    /// quarter, at least 30) side by side; below that the inspector (three fifths, with the equations under it) and
    /// the gradients.
    static func defaultWidths(_ width: Int, wide: Bool = false) -> (inspector: Int, equations: Int, gradients: Int) {
        if width >= 120 {
            let gradients = max(30, width / 4)
            let inspector = width >= 180 && wide ? 62 : 48
            return (inspector, width - inspector - gradients, gradients)
        }
        let inspector = width * 3 / 5
        return (inspector, 0, width - inspector)
    }

    /// Lines the panels below the graph can fill at `width`: the inspector's borders, heading, every unit of the
    /// widest layer and its figures line, with the selected step's equations (and a line of slack) below them or,
    /// from 120 columns, in their own panel beside it; or the weights panel's blocks when the lesson lists it.
    static func panelsNeed(_ s: Session, width: Int) -> Int { panelsNeedDrafting(s, width: width).need }

    /// `panelsNeed`, and the equations it laid out when they have a panel of their own (nil otherwise).
    static func panelsNeedDrafting(_ s: Session, width: Int) -> (need: Int, draft: EquationsDraft?) {
        let units = s.trace.layers.map(\.hiddenSize).max() ?? 0
        // The weights panel, in its share of the width when the lesson lists it.
        let panels = s.lesson.display.panels
        let weights =
            panels.contains(.weights)
            ? WeightsView.neededHeight(s.revealedTrace, width: width / max(1, panels.count)) : 0
        let inspector = max(2 + 1 + units + 1, weights)
        guard
            let (layer, step) = InspectorView.selection(s.revealedTrace)
                ?? s.trace.layers.first.flatMap({ l in l.steps.first.map { (l, $0) } })
        else {
            return (inspector, nil)
        }
        guard panels.contains(.equations) else { return (inspector, nil) }
        let custom = panels != Display.defaultPanels
        let widths = defaultWidths(width, wide: s.trace.spec.cell == .lstm)
        let ownPanel = custom || width >= 120
        // Inside the panel's borders (and a column of margin in a panel of their own).
        let equationsWidth =
            custom
            ? width / panels.count - 3
            : (ownPanel ? widths.equations - 3 : widths.inspector - 2)
        // One line of slack: the equations' numbers, and so their wrapping, change from step to step.
        // As `EquationView.lines` at a height of 100, laid out once: every line when they fit.
        let all = EquationView.all(s.revealedTrace, step: step, layer: layer, width: equationsWidth)
        let fit =
            all.count <= 100 || equationsWidth <= 4
            ? all : EquationView.lines(s.revealedTrace, step: step, layer: layer, width: equationsWidth, height: 100)
        let equations = fit.count + 1
        let draft = ownPanel && all.count <= 100 ? EquationsDraft(width: equationsWidth, lines: all) : nil
        return ownPanel ? (max(inspector, 2 + equations), draft) : (inspector + equations, nil)
    }

    /// Renders the session into a canvas of `width × height`.
    /// - Parameter layout: where the panels go; nil: ``layout(width:height:session:)``.
    public static func render(
        _ session: Session, theme: Theme, width: Int, height: Int, layout given: Layout? = nil
    ) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        guard width >= minimumWidth, height >= minimumHeight else {
            renderTooSmall(into: &canvas, theme: theme)
            return theme.painted(theme.glyphs == .ascii ? canvas.foldedToASCII() : canvas)
        }
        let l = given ?? layout(width: width, height: height, session: session)
        HeaderView.render(session.header, theme: theme, into: &canvas, l.header)
        CaptionView.render(session.captionArea, theme: theme, into: &canvas, l.caption)
        if !l.unitLine.isEmpty { UnitLineView.render(session.unitLine, theme: theme, into: &canvas, l.unitLine) }
        if session.rolled {
            RolledView.render(session.revealedTrace, theme: theme, into: &canvas, l.graph)
        } else {
            GraphView.render(session.revealedTrace, theme: theme, into: &canvas, l.graph)
        }
        let equationsShown =
            session.presenting ? session.presenterEquations : session.lesson.display.panels.contains(.equations)
        if !l.figures.isEmpty { FiguresView.render(session.revealedTrace, theme: theme, into: &canvas, l.figures) }
        if !l.inspector.isEmpty {
            InspectorView.render(
                session.revealedTrace, theme: theme, into: &canvas, l.inspector,
                withEquations: equationsShown && l.equations.isEmpty)
        }
        if !l.equations.isEmpty {
            EquationView.render(
                session.revealedTrace, theme: theme, into: &canvas, l.equations, draft: l.equationsDraft)
        }
        if !l.gradients.isEmpty { GradientView.render(session.gradientPanel, theme: theme, into: &canvas, l.gradients) }
        if !l.weights.isEmpty { WeightsView.render(session.revealedTrace, theme: theme, into: &canvas, l.weights) }
        // The colour legend sits in the bottom border of the panel beside the graph's colours: the inspector's, else the first.
        if let legendRect = [l.inspector, l.equations, l.gradients, l.weights].first(where: { !$0.isEmpty }) {
            LegendView.render(session.revealedTrace, theme: theme, into: &canvas, legendRect)
        }
        StatusView.render(session.statusLine, theme: theme, into: &canvas, l.status)
        if session.showingCaptionText { CaptionView.renderWhole(session.captionArea, theme: theme, into: &canvas) }
        if session.showingHelp { HelpView.render(theme: theme, into: &canvas, canvas.bounds) }
        if let picker = session.picker {
            LessonPickerView.render(picker, notice: session.notice, theme: theme, into: &canvas, canvas.bounds)
        }
        return theme.painted(theme.glyphs == .ascii ? canvas.foldedToASCII() : canvas)
    }

    /// The message for a terminal below 80×24.
    static func renderTooSmall(into canvas: inout Canvas, theme: Theme) {
        let lines = [
            "Unroll needs a terminal of at least \(minimumWidth)x\(minimumHeight).",
            "This one is \(canvas.width)x\(canvas.height): please enlarge it.",
            "(q quits)"
        ]
        let top = max(0, canvas.height / 2 - 1)
        for (i, line) in lines.enumerated() {
            let x = max(0, (canvas.width - line.count) / 2)
            canvas.put(line, x: x, y: top + i, style: i == 0 ? theme.warning : theme.text)
        }
    }
}
