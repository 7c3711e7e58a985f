import UnrollEngine
import UnrollLessons

/// The rolled (folded) view, as drawn in the lecture notes: one cell with its loop, the input
/// below, the output above, and the current step's state inside.
public enum RolledView {
    /// Renders the rolled view centred in `rect`.
    public static func render(_ s: Session, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        let uni = theme.glyphs == .unicode
        let spec = s.trace.spec
        let name = Session.name(of: spec.cell) + (spec.cell == .rnn ? " (\(spec.activation.rawValue))" : "")
        let boxW = 26, boxH = 5
        let cx = rect.x + rect.width / 2
        let top = rect.y + max(0, (rect.height - boxH - 4) / 2)
        let box = Rect(x: cx - boxW / 2, y: top + 2, width: boxW, height: boxH)
        let c = s.step
        let token = c < s.run.inputLabels.count ? s.run.inputLabels[c] : ""
        let target = c < s.run.targetLabels.count ? (s.run.targetLabels[c] ?? "") : ""
        canvas.put("y_t" + (target.isEmpty ? "" : "  → '\(target)'"), x: cx - 1, y: top, style: theme.text)
        canvas.put(String(theme.glyphs.arrowUp) + "  W_hy", x: cx, y: top + 1, style: theme.muted)
        canvas.drawBox(box, glyphs: theme.glyphs, style: theme.title, title: name)
        if let layer = s.trace.layers.last(where: { !$0.reverse }), c >= layer.startColumn, c < layer.startColumn + layer.steps.count {
            let step = layer.steps[c - layer.startColumn]
            canvas.put("h_t", x: box.x + 2, y: box.y + 2, style: theme.text)
            for (j, v) in GraphView.cells(step.hidden.row(0), width: boxW - 9, magnitude: false).enumerated() {
                canvas.set(theme.style(forSigned: v), x: box.x + 6 + j, y: box.y + 2)
            }
        }
        // The loop: out of the right side, around, and back into the left side.
        let loopY = box.maxY
        let right = box.maxX + 3, left = box.x - 4
        canvas.put(uni ? "──╮" : "--+", x: box.maxX, y: box.y + 2, style: theme.text)
        for y in (box.y + 3)...loopY { canvas.put(uni ? "│" : "|", x: right - 1, y: y, style: theme.text) }
        canvas.put(uni ? "╯" : "+", x: right - 1, y: loopY + 1, style: theme.text)
        for x in (left + 1)..<(right - 1) { canvas.put(uni ? "─" : "-", x: x, y: loopY + 1, style: theme.text) }
        canvas.put(uni ? "╰" : "+", x: left, y: loopY + 1, style: theme.text)
        for y in (box.y + 3)...loopY { canvas.put(uni ? "│" : "|", x: left, y: y, style: theme.text) }
        canvas.put(uni ? "╭──" : "+--", x: left, y: box.y + 2, style: theme.text)
        canvas.put(String(theme.glyphs.arrowRight), x: box.x - 1, y: box.y + 2, style: theme.text)
        canvas.put("W_hh: h_t-1 → h_t" + (spec.skip.map { ", h_t-\($0) → h_t" } ?? ""), x: right + 1, y: loopY, style: theme.muted)
        canvas.put(String(theme.glyphs.arrowUp) + "  W_ih", x: cx, y: loopY + 2, style: theme.muted)
        canvas.put("x_t = '\(token)'  (step \(c + 1) of \(s.columns))", x: cx - 1, y: loopY + 3, style: theme.text)
        canvas.put("u unfolds it in time", x: rect.x + 1, y: rect.maxY - 1, style: theme.muted)
    }
}
