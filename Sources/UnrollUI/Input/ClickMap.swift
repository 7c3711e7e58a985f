/// What a mouse click does in the step-through, the mouse's counterpart of ``KeyMap``.
public enum ClickMap {
    /// The action for `event` on a screen of `width × height` showing `session`: a left click on a node of the
    /// unrolled graph selects it for the inspector, one on a unit's row of the inspector chooses the unit the
    /// equations show; nil for anything else (other buttons and the wheel, the rolled view, a screen too small to
    /// draw, a cell off the screen: a report from before a resize).
    public static func action(for event: MouseEvent, session: Session, width: Int, height: Int) -> Action? {
        guard event.button == .left, !session.rolled, width >= Screen.minimumWidth, height >= Screen.minimumHeight,
            (0..<width).contains(event.x), (0..<height).contains(event.y)
        else { return nil }
        let layout = Screen.layout(width: width, height: height, session: session)
        if let hit = GraphView.hit(session.revealedTrace, layout.graph, x: event.x, y: event.y) {
            return .select(layer: hit.layer, column: hit.column)
        }
        return InspectorView.unit(at: event.x, event.y, session: session, layout: layout).map { .selectUnit($0) }
    }
}
