import UnrollEngine
import UnrollLessons

/// The rolled (folded) view, as drawn in the lecture notes: one cell with its loop, the input
/// below, the output above, and the current step's state inside. Eight lines tall.
public enum RolledView {
    /// Lines the view needs.
    public static let height = 8

    /// Renders the rolled view centred in `rect`.
    public static func render(_ s: RevealedTrace, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        let uni = theme.glyphs == .unicode
        let spec = s.trace.spec
        let name = Session.name(of: spec.cell) + (spec.cell == .rnn ? " (\(spec.activation.rawValue))" : "")
        let boxW = 28
        let cx = rect.x + rect.width / 2
        let top = rect.y + max(0, (rect.height - height) / 2)
        let box = Rect(x: cx - boxW / 2, y: top + 2, width: boxW, height: 3)
        let c = s.step
        let token = c < s.inputLabels.count ? s.inputLabels[c] : ""
        let target = c < s.targetLabels.count ? (s.targetLabels[c] ?? "") : ""
        func put(_ text: String, _ x: Int, _ y: Int, _ style: Style) {
            canvas.put(text, x: x, y: y, style: style, clip: rect)
        }

        put("y_t" + (target.isEmpty ? "" : "   target '\(target)'"), cx - 1, top, theme.text)
        put(String(theme.glyphs.arrowUp) + "  W_hy", cx, top + 1, theme.muted)
        if rect.contains(x: box.x, y: box.maxY - 1) {
            canvas.drawBox(box, glyphs: theme.glyphs, style: theme.title, title: name)
        }
        let mid = box.y + 1
        put("h_t", box.x + 2, mid, theme.text)
        if let layer = s.trace.layers.last(where: { !$0.reverse }), let step = layer.step(at: c),
            s.isRevealed(layer: layer, column: c), rect.contains(x: box.x, y: mid)
        {
            for (j, v) in GraphView.cells(step.hidden.row(0), width: boxW - 8, magnitude: false).enumerated() {
                canvas.set(theme.style(forSigned: v), x: box.x + 6 + j, y: mid)
            }
        }
        // The loop: out of the right side, down, back under the box, and into the left side.
        let right = box.maxX + 2, left = box.x - 3, bottom = box.maxY
        put(uni ? "──╮" : "--+", box.maxX, mid, theme.text)
        put(uni ? "│" : "|", right, mid + 1, theme.text)
        put(
            (uni ? "╰" : "+") + String(repeating: uni ? "─" : "-", count: right - left - 1) + (uni ? "╯" : "+"), left,
            bottom, theme.text)
        put(uni ? "│" : "|", left, mid + 1, theme.text)
        put((uni ? "╭─" : "+-") + String(theme.glyphs.arrowRight), left, mid, theme.text)
        put("W_hh: h_t-1 → h_t" + (spec.skip.map { ", h_t-\($0) → h_t" } ?? ""), right + 2, mid + 1, theme.muted)
        put("u unfolds it in time", rect.x + 1, bottom, theme.muted)
        drawFeedbackLoop(s, theme: theme, box: box, top: top, cx: cx, rect: rect, into: &canvas)
        put(String(theme.glyphs.arrowUp) + "  W_ih", cx, bottom + 1, theme.muted)
        put("x_t = '\(token)'   step \(c + 1) of \(s.columns)", cx - 1, bottom + 2, theme.text)
    }
}
