extension Screen {
    /// The presenter's layout: header, caption, the figures strip in block digits (large from 40 rows, small below),
    /// the graph as tall as it can use, and below it the gradient panel with the width and rows left, beside the
    /// inspector and the equations when they are toggled on (`I`, `E`).
    static func presenterLayout(width: Int, height: Int, session: Session) -> Layout {
        let header = Rect(x: 0, y: 0, width: width, height: 2)
        let caption = Rect(
            x: 0, y: 2, width: width,
            height: CaptionView.height(
                session.captionArea, width: width, normal: height >= 40 ? 3 : 2, limit: height >= 40 ? 10 : 5))
        let status = Rect(x: 0, y: height - 1, width: width, height: 1)
        let figures = Rect(
            x: 0, y: caption.maxY, width: width,
            height: FiguresView.height(height >= 40 ? .large : .small))
        let room = status.y - figures.maxY
        // The gradient panel keeps at least 10 rows (a chart of 5); the graph takes up to what its tallest nodes use.
        let graphNeeds = session.rolled ? RolledView.height : GraphView.compactHeight(session.trace)
        let graphHeight = max(min(GraphView.preferredHeight(session.trace), room - 10), graphNeeds)
        let graph = Rect(x: 0, y: figures.maxY, width: width, height: graphHeight)
        let bottom = Rect(x: 0, y: graph.maxY, width: width, height: room - graphHeight)
        // Narrower than 120 columns the equations share the inspector's panel, as in the usual layout.
        let inspectorW = session.presenterInspector ? (width >= 120 ? 48 : width * 3 / 5) : 0
        let ownEquations = session.presenterEquations && (width >= 120 || !session.presenterInspector)
        let equationsW = ownEquations ? (session.presenterInspector ? width / 3 : width / 2) : 0
        let gradientX = inspectorW + equationsW
        return Layout(
            header: header, caption: caption, graph: graph,
            inspector: Rect(x: 0, y: bottom.y, width: inspectorW, height: inspectorW > 0 ? bottom.height : 0),
            equations: Rect(x: inspectorW, y: bottom.y, width: equationsW, height: equationsW > 0 ? bottom.height : 0),
            gradients: Rect(x: gradientX, y: bottom.y, width: width - gradientX, height: bottom.height),
            status: status, figures: figures)
    }
}
