import UnrollEngine
import UnrollLessons

/// The rolled (folded) view, as drawn in the lecture notes: one cell with its loop, the input
/// below, the output above, and the current step's state inside. Eight lines tall. A bidirectional model is two
/// cells side by side, h looping forward and g backward (Goodfellow fig. 10.11); an encoder–decoder is the encoder's
/// cell, the context C, and the decoder's cell (fig. 10.12).
public enum RolledView {
    /// Lines the view needs.
    public static let height = 8

    /// Renders the rolled view centred in `rect`.
    public static func render(_ s: RevealedTrace, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        let spec = s.trace.spec
        if spec.bidirectional || spec.configuration == .encoderDecoder {
            renderPair(s, theme: theme, into: &canvas, rect)
            return
        }
        let name = Session.name(of: spec.cell) + (spec.cell == .rnn ? " (\(spec.activation.rawValue))" : "")
        let boxW = 28
        let cx = rect.x + rect.width / 2
        let top = rect.y + max(0, (rect.height - height) / 2)
        let box = Rect(x: cx - boxW / 2, y: top + 2, width: boxW, height: 3)
        let c = s.step
        let target = c < s.targetLabels.count ? (s.targetLabels[c] ?? "") : ""
        func put(_ text: String, _ x: Int, _ y: Int, _ style: Style) {
            canvas.put(text, x: x, y: y, style: style, clip: rect)
        }

        put("y_t" + (target.isEmpty ? "" : "   target '\(target)'"), cx - 1, top, theme.text)
        put(String(theme.glyphs.arrowUp) + "  W_hy", cx, top + 1, theme.muted)
        let layer = s.trace.layers.last(where: { !$0.reverse })
        drawCell(s, theme: theme, box: box, title: name, layer: layer, rect: rect, into: &canvas)
        let mid = box.y + 1
        let right = box.maxX + 2, left = box.x - 3, bottom = box.maxY
        put("W_hh: h_t-1 → h_t" + (spec.skip.map { ", h_t-\($0) → h_t" } ?? ""), right + 2, mid + 1, theme.muted)
        put("u unfolds it in time", rect.x + 1, bottom, theme.muted)
        drawFeedbackLoop(s, theme: theme, box: box, top: top, cx: cx, rect: rect, into: &canvas)
        // The conditioning vector v (vector-to-sequence): into h_0, and/or beside x_t at every step.
        let mode = GraphView.conditioning(s.trace)
        if mode?.initial == true {
            // Left of the loop, the longest wording that fits whole (the feedback loop, when drawn, is further left).
            let room = left - 1 - (rect.x + 1) - (spec.feedback != .none ? 9 : 0)
            if let text = ["h_0 = tanh(W_init v)", "h_0 from v"].first(where: { $0.count <= room }) {
                put(text, left - 1 - text.count, box.y, theme.title)
            }
        }
        let conditioned = mode?.input == true
        put(
            String(theme.glyphs.arrowUp) + "  W_ih" + (conditioned ? " x_t + W_cond v" : ""), cx, bottom + 1,
            theme.muted)
        put(inputText(s, column: c) + "   step \(c + 1) of \(s.columns)", cx - 1, bottom + 2, theme.text)
    }

    /// `x_t = 'word'`; `x_t = 0` where the step reads zeros (after a one-to-many's first step); `no x_t` where it
    /// reads no input.
    static func inputText(_ s: RevealedTrace, column c: Int) -> String {
        let token = c < s.inputLabels.count ? s.inputLabels[c] : ""
        if !token.isEmpty { return "x_t = '\(token)'" }
        return c < s.trace.inputs.count && s.trace.inputs.has(c) ? "x_t = 0" : "no x_t"
    }

    /// One cell: its box with `title`, the state's name (`h_t`, or `g_t` for a backward layer) and the layer's
    /// values at the current step, and its loop: out of the right side, down, back under the box and into the left
    /// side (mirrored for a backward layer, whose state comes from the next step).
    static func drawCell(
        _ s: RevealedTrace, theme: Theme, box: Rect, title: String, layer: LayerTrace<Double>?, rect: Rect,
        active: Bool = true, into canvas: inout Canvas
    ) {
        let uni = theme.glyphs == .unicode
        func put(_ text: String, _ x: Int, _ y: Int, _ style: Style) {
            canvas.put(text, x: x, y: y, style: style, clip: rect)
        }
        let reverse = layer?.reverse ?? false
        if rect.contains(x: box.x, y: box.maxY - 1) && rect.contains(x: box.maxX - 1, y: box.y) {
            canvas.drawBox(box, glyphs: theme.glyphs, style: active ? theme.title : theme.muted, title: title)
        }
        let mid = box.y + 1
        put(reverse ? "g_t" : "h_t", box.x + 2, mid, active ? theme.text : theme.muted)
        // An LSTM's cell state beside h_t when the box has room for both: `h_t ▓▓▓ c_t ▓▓▓`.
        let width = box.width - 8
        let cellWidth = layer?.steps.cell != nil && width >= 15 ? (width - 5) / 2 : 0
        if cellWidth > 0 { put("c_t", box.x + 6 + (width - cellWidth) - 4, mid, active ? theme.text : theme.muted) }
        if let layer, let step = layer.step(at: s.step), s.isRevealed(layer: layer, column: s.step),
            rect.contains(x: box.x, y: mid)
        {
            let hw = cellWidth > 0 ? width - cellWidth - 5 : width
            for (j, v) in GraphView.cells(step.hidden.row(0), width: hw, magnitude: false).enumerated() {
                canvas.set(theme.style(forSigned: v), x: box.x + 6 + j, y: mid)
            }
            if cellWidth > 0, let c = step.cell?.row(0) {
                for (j, v) in GraphView.cells(c, width: cellWidth, magnitude: false).enumerated() {
                    canvas.set(theme.style(forSigned: v), x: box.x + 6 + width - cellWidth + j, y: mid)
                }
            }
        }
        let right = box.maxX + 2, left = box.x - 3, bottom = box.maxY
        let line = String(repeating: uni ? "─" : "-", count: right - left - 1)
        put(uni ? "│" : "|", right, mid + 1, theme.text)
        put((uni ? "╰" : "+") + line + (uni ? "╯" : "+"), left, bottom, theme.text)
        put(uni ? "│" : "|", left, mid + 1, theme.text)
        if reverse {
            // Out of the left side, down, under the box, and into the right side.
            put(uni ? "╭──" : "+--", left, mid, theme.text)
            put(String(theme.glyphs.arrowLeft) + (uni ? "─╮" : "-+"), box.maxX, mid, theme.text)
        } else {
            put(uni ? "──╮" : "--+", box.maxX, mid, theme.text)
            put((uni ? "╭─" : "+-") + String(theme.glyphs.arrowRight), left, mid, theme.text)
        }
    }

    /// Two cells side by side: a bidirectional model's forward h and backward g, both read x_t and both write y_t;
    /// or an encoder–decoder's encoder, the context C, and its decoder (x_t under the encoder while it reads, y_t
    /// over the decoder).
    static func renderPair(_ s: RevealedTrace, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        let trace = s.trace, spec = trace.spec
        let c = s.step
        let top = rect.y + max(0, (rect.height - height) / 2)
        let gap = 6
        // Each cell's box and its loops (3 columns a side), two of them and the gap, centred.
        let boxW = max(12, min(28, (rect.width - 2 - gap) / 2 - 6))
        let total = 2 * (boxW + 6) + gap
        let x0 = rect.x + max(0, (rect.width - total) / 2)
        let leftBox = Rect(x: x0 + 3, y: top + 2, width: boxW, height: 3)
        let rightBox = Rect(x: leftBox.maxX + 3 + gap + 3, y: top + 2, width: boxW, height: 3)
        func put(_ text: String, _ x: Int, _ y: Int, _ style: Style) {
            canvas.put(text, x: x, y: y, style: style, clip: rect)
        }
        let cell = Session.name(of: spec.cell)
        let target = c < s.targetLabels.count ? (s.targetLabels[c] ?? "") : ""
        let up = String(theme.glyphs.arrowUp)
        let stepText = "step \(c + 1) of \(s.columns)"
        let mid = leftBox.y + 1, bottom = leftBox.maxY
        if spec.configuration == .encoderDecoder {
            let start = trace.decoderStartColumn ?? 0
            let encoder = trace.layers.last { $0.segment == "encoder." && !$0.reverse }
            let decoder = trace.layers.last { $0.segment == "decoder." && !$0.reverse }
            let reading = c < start
            drawCell(
                s, theme: theme, box: leftBox, title: "encoder \(cell)", layer: encoder, rect: rect, active: reading,
                into: &canvas)
            drawCell(
                s, theme: theme, box: rightBox, title: "decoder \(cell)", layer: decoder, rect: rect,
                active: !reading, into: &canvas)
            // C: from the encoder's last state into the decoder, as its initial state and/or an input at every step.
            let mode = GraphView.conditioning(trace) ?? (true, false)
            let cx = leftBox.maxX + 3 + gap / 2
            put("C", cx, mid, reading ? theme.muted : theme.title)
            put(String(theme.glyphs.arrowRight), cx + 1, mid, reading ? theme.muted : theme.title)
            // Where C enters the decoder: its h_0, its every step, or both.
            let how = mode.initial ? (mode.input ? "h_0+steps" : "h_0") : "every step"
            if how.count <= gap + 4 { put(how, cx + 1 - how.count / 2, top + 1, theme.muted) }
            let dx = rightBox.x + rightBox.width / 2, ex = leftBox.x + leftBox.width / 2
            put("y_t" + (target.isEmpty ? "" : "   target '\(target)'"), dx - 1, top, theme.text)
            put(up + "  W_hy", dx, top + 1, theme.muted)
            put(up, reading ? ex : dx, bottom + 1, theme.muted)
            put(inputText(s, column: c), (reading ? ex : dx) - 1, bottom + 2, theme.text)
            let stepX = reading ? dx - 1 : ex - 1
            put(stepText, stepX, bottom + 2, theme.muted)
            return
        }
        // Bidirectional: h (the past) and g (the future) of the top layer, joined into y_t.
        let forward = trace.layers.last { !$0.reverse }
        let backward = trace.layers.last { $0.reverse }
        drawCell(s, theme: theme, box: leftBox, title: "h: forward \(cell)", layer: forward, rect: rect, into: &canvas)
        drawCell(
            s, theme: theme, box: rightBox, title: "g: backward \(cell)", layer: backward, rect: rect, into: &canvas)
        let cx = leftBox.maxX + 3 + gap / 2
        put("y_t" + (target.isEmpty ? "" : "   target '\(target)'"), cx - 1, top, theme.text)
        put(up + " [h_t; g_t]", cx, top + 1, theme.muted)
        put("h_t-1 → h_t", leftBox.x + 1, bottom + 1, theme.muted)
        put("g_t ← g_t+1", rightBox.maxX - 12, bottom + 1, theme.muted)
        put(up, cx, bottom + 1, theme.muted)
        put(inputText(s, column: c) + "   " + stepText, cx - 1, bottom + 2, theme.text)
    }
}
