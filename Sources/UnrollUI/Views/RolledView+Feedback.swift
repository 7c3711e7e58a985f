extension RolledView {
    /// The dashed output→hidden loop of a model with feedback: out of y_t, down the left side and into h_t beside
    /// the recurrent loop's entry, with the word it feeds at this step. Dim in the backward phase (no gradient
    /// flows along it). ASCII: `+- - -` and `:`.
    /// - Parameters:
    ///   - box: the cell's box; `top`: the y_t line; `cx`: the centre x (where y_t is written).
    static func drawFeedbackLoop(
        _ s: RevealedTrace, theme: Theme, box: Rect, top: Int, cx: Int, rect: Rect,
        into canvas: inout Canvas
    ) {
        guard s.trace.spec.feedback != .none else { return }
        let unicode = theme.glyphs == .unicode
        let style = s.phase == .forward ? theme.text : theme.muted
        let x = box.x - 8, mid = box.y + 1
        func put(_ text: String, _ px: Int, _ py: Int) { canvas.put(text, x: px, y: py, style: style, clip: rect) }
        func dashes(_ n: Int) -> String {
            String((0..<max(0, n)).map { unicode ? "╌" : ($0 % 2 == 0 ? "-" : " ") })
        }
        put((unicode ? "╭" : "+") + dashes(cx - 3 - x), x, top)
        for y in (top + 1)..<mid { put(unicode ? "╎" : ":", x, y) }
        put((unicode ? "╰" : "+") + dashes(4), x, mid)
        let c = s.step
        let word = c < s.fedLabels.count ? s.fedLabels[c] : nil
        let what = s.trace.spec.feedback == .teacherForcing ? "target" : "own guess"
        // The longest label that fits whole beside the dashed line (never cut mid-word).
        if let word,
            let text = ["W_fb: \(what) '\(word)'", "\(what) '\(word)'", "'\(word)'"].first(where: {
                $0.count <= cx - x - 4
            })
        {
            put(text, x + 2, top + 1)
        }
    }
}
