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
        /// The presenter's figures in block digits (empty outside presenter mode).
        public var figures: Rect = .zero
        /// The selected layer's weights (only when the lesson lists the panel).
        public var weights: Rect = .zero
    }

    /// The layout for a terminal of `width × height` and the session's trace.
    public static func layout(width: Int, height: Int, session: Session) -> Layout {
        if session.presenting { return presenterLayout(width: width, height: height, session: session) }
        let header = Rect(x: 0, y: 0, width: width, height: 2)
        // A question of the narration takes more lines, from the panels below (never the graph's compact lines).
        let graphFloor = session.rolled ? RolledView.height : GraphView.compactHeight(session.trace)
        let captionHeight = CaptionView.height(session, width: width, normal: height >= 40 ? 3 : 2,
                                               limit: max(2, min(height >= 40 ? 10 : 8, height - 2 - 1 - graphFloor - 4)))
        let caption = Rect(x: 0, y: 2, width: width, height: captionHeight)
        let status = Rect(x: 0, y: height - 1, width: width, height: 1)
        let graphTop = caption.maxY
        let room = height - graphTop - 1
        // The panels below get at least 12 lines (a header, 8 units, the equations), the graph the rest up
        // to what it can use; but never fewer lines than it needs with one-line nodes.
        let bottomWanted = max(12, room - GraphView.preferredHeight(session.trace))
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
            return Layout(header: header, caption: caption, graph: graph, inspector: rects[.inspector] ?? .zero,
                          equations: rects[.equations] ?? .zero, gradients: rects[.gradients] ?? .zero, status: status,
                          weights: rects[.weights] ?? .zero)
        }
        if width >= 120 {
            let inspectorW = 48
            let gradientW = max(30, width / 4)
            let equationsW = width - inspectorW - gradientW
            return Layout(
                header: header, caption: caption, graph: graph,
                inspector: Rect(x: 0, y: bottomY, width: inspectorW, height: bottomHeight),
                equations: Rect(x: inspectorW, y: bottomY, width: equationsW, height: bottomHeight),
                gradients: Rect(x: inspectorW + equationsW, y: bottomY, width: gradientW, height: bottomHeight),
                status: status)
        }
        let inspectorW = width * 3 / 5
        return Layout(
            header: header, caption: caption, graph: graph,
            inspector: Rect(x: 0, y: bottomY, width: inspectorW, height: bottomHeight),
            equations: .zero,
            gradients: Rect(x: inspectorW, y: bottomY, width: width - inspectorW, height: bottomHeight),
            status: status)
    }

    /// Renders the session into a canvas of `width × height`.
    public static func render(_ session: Session, theme: Theme, width: Int, height: Int) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        guard width >= minimumWidth, height >= minimumHeight else {
            renderTooSmall(into: &canvas, theme: theme)
            return theme.glyphs == .ascii ? canvas.foldedToASCII() : canvas
        }
        let l = layout(width: width, height: height, session: session)
        HeaderView.render(session, theme: theme, into: &canvas, l.header)
        CaptionView.render(session, theme: theme, into: &canvas, l.caption)
        if session.rolled {
            RolledView.render(session, theme: theme, into: &canvas, l.graph)
        } else {
            GraphView.render(session, theme: theme, into: &canvas, l.graph)
        }
        let equationsShown = session.presenting ? session.presenterEquations : session.lesson.display.panels.contains(.equations)
        if !l.figures.isEmpty { FiguresView.render(session, theme: theme, into: &canvas, l.figures) }
        if !l.inspector.isEmpty {
            InspectorView.render(session, theme: theme, into: &canvas, l.inspector, withEquations: equationsShown && l.equations.isEmpty)
        }
        if !l.equations.isEmpty { EquationView.render(session, theme: theme, into: &canvas, l.equations) }
        if !l.gradients.isEmpty { GradientView.render(session, theme: theme, into: &canvas, l.gradients) }
        if !l.weights.isEmpty { WeightsView.render(session, theme: theme, into: &canvas, l.weights) }
        // The colour legend sits in the bottom border of the panel beside the graph's colours: the inspector's, else the first.
        if let legendRect = [l.inspector, l.equations, l.gradients, l.weights].first(where: { !$0.isEmpty }) {
            LegendView.render(session, theme: theme, into: &canvas, legendRect)
        }
        StatusView.render(session, theme: theme, into: &canvas, l.status)
        if session.showingHelp { HelpView.render(theme: theme, into: &canvas, canvas.bounds) }
        return theme.glyphs == .ascii ? canvas.foldedToASCII() : canvas
    }

    /// The message for a terminal below 80×24.
    static func renderTooSmall(into canvas: inout Canvas, theme: Theme) {
        let lines = [
            "Unroll needs a terminal of at least \(minimumWidth)x\(minimumHeight).",
            "This one is \(canvas.width)x\(canvas.height): please enlarge it.",
            "(q quits)",
        ]
        let top = max(0, canvas.height / 2 - 1)
        for (i, line) in lines.enumerated() {
            let x = max(0, (canvas.width - line.count) / 2)
            canvas.put(line, x: x, y: top + i, style: i == 0 ? theme.warning : theme.text)
        }
    }
}
