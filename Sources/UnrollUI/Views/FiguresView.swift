import UnrollEngine
import UnrollLessons

/// The presenter's figures: the numbers under discussion at the inspected step, each labelled in normal text
/// and drawn in ``BlockDigits`` below: ‖∂L/∂h_t‖ of the selected layer (backward phase, once the gradient has
/// arrived), σmax of that layer's W_hh (the trace's spectra, as the header shows them), and the loss taken at the
/// step. Every number is read from the trace and written by ``Format/number(_:digits:)``.
public enum FiguresView {
    /// One figure: its label, and the number as text (nil: `note` says why there is none).
    struct Figure: Equatable {
        var label: String
        var value: String?
        var note: String = ""
    }

    /// The figures for the session's phase and inspected step, most important first: backward the gradient
    /// first, forward the loss first.
    static func figures(_ s: RevealedTrace, ascii: Bool) -> [Figure] {
        let column = s.inspectedColumn
        let t = column + 1
        var out: [Figure] = []
        let layer = s.trace.layers.indices.contains(s.selectedLayer) ? s.trace.layers[s.selectedLayer] : nil
        let rowName = layer.map { " (h l\($0.layer)" + ($0.reverse ? (ascii ? " reverse)" : "←)") : ")") } ?? ""
        if s.phase == .backward, let layer {
            let label = (ascii ? "|dL/dh_\(t)|" : "‖∂L/∂h_\(t)‖") + rowName
            if let step = layer.step(at: column), s.gradientArrived(column: column) {
                out.append(Figure(label: label, value: Format.number(step.hiddenGradientNorm)))
            } else {
                let note =
                    s.reveal.hidesGradients
                    ? Reveal.mask : layer.columns.contains(column) ? "not arrived yet" : "no step here"
                out.append(Figure(label: label, value: nil, note: note))
            }
        }
        var loss: Figure
        let lossLabel = "loss at step \(t)"
        if s.trace.losses.indices.contains(column), let l = s.trace.losses[column] {
            loss =
                s.isRevealed(column: column)
                ? Figure(label: lossLabel, value: Format.number(Double(l)))
                : Figure(label: lossLabel, value: nil, note: "not reached yet")
        } else {
            loss = Figure(label: lossLabel, value: nil, note: "no loss taken here")
        }
        if s.phase == .forward { out.append(loss) }
        if let layer, let (name, r) = HeaderView.spectrum(of: layer, in: s.trace) {
            out.append(
                Figure(
                    label: (ascii ? "sigma_max " : "σmax ") + name + rowName,
                    value: Format.number(r.largestSingularValue)))
        }
        if s.phase == .backward { out.append(loss) }
        return out
    }

    /// Rows the strip takes with digits of `size`: the labels' line and the digits.
    public static func height(_ size: BlockDigits.Size) -> Int { 1 + size.rows }

    /// Renders the strip into `rect`: large digits when the rect has room for them, else small; figures side by side
    /// from the left, as many whole figures as fit the width.
    public static func render(_ s: RevealedTrace, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        guard rect.height >= height(.small) else { return }
        let size: BlockDigits.Size = rect.height >= height(.large) ? .large : .small
        let gap = 4
        var x = rect.x + 1
        for figure in figures(s, ascii: theme.glyphs == .ascii) {
            let digits = figure.value.map { BlockDigits.rows($0, size: size, glyphs: theme.glyphs) } ?? []
            let width = max(figure.label.count, digits.first?.count ?? figure.note.count)
            guard x + width <= rect.maxX - 1 else { break }
            canvas.put(figure.label, x: x, y: rect.y, style: theme.title)
            if digits.isEmpty {
                canvas.put(figure.note, x: x, y: rect.y + 1 + size.rows / 2, style: theme.muted)
            }
            for (i, row) in digits.enumerated() {
                canvas.put(row, x: x, y: rect.y + 1 + i, style: theme.text)
            }
            x += width + gap
        }
    }
}
