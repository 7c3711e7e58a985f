import UnrollEngine
import UnrollLessons

/// The selected layer's weights as small matrices with their numbers: W_ih, W_hh, the biases and, for the top
/// layer, W_hy and its bias, titled with the lecture notes' names beside PyTorch's (W_x = W_ih, W_h = W_hh,
/// W_y = W_hy). The numbers are the trace's parameters as the pass used them (W_hh scaled by `]` `[`); the view
/// only formats them. A layer too large to read as numbers gets a one-line note instead.
public enum WeightsView {
    /// The largest hidden size shown as numbers.
    public static let maximumHidden = 4
    /// The largest input (and output) size shown as numbers.
    public static let maximumInput = 8

    /// One matrix: its title and its rows of values.
    struct Block: Equatable {
        var title: String
        var rows: [[Double]]
    }

    /// The selected layer's matrices, in the notes' order, or the reason they are not shown.
    static func blocks(_ s: RevealedTrace) -> Result<[Block], Refusal> {
        let t = s.trace
        guard t.layers.indices.contains(s.selectedLayer) else {
            return .failure(Refusal(text: "no layer selected", detail: ""))
        }
        let layer = t.layers[s.selectedLayer]
        func matrix(_ name: String) -> Matrix<Double>? {
            t.parameterNames.firstIndex(of: name).flatMap { t.parameters.indices.contains($0) ? t.parameters[$0] : nil }
        }
        func rows(_ m: Matrix<Double>) -> [[Double]] { (0..<m.rows).map { m.row($0) } }
        /// A bias (stored 1 × n) as a column.
        func column(_ m: Matrix<Double>) -> [[Double]] { m.storage.map { [$0] } }
        let gates = t.spec.cell.gateCount
        let gateNote = gates > 1 ? " (rows " + t.spec.cell.gateNames.joined(separator: " ") + ")" : ""
        let input = matrix(layer.parameterName("weight_ih"))
        let top = !layer.reverse && layer.layer == t.spec.layerCount - 1
        let output = top ? matrix("output.weight").flatMap { $0.cols == layer.hiddenSize ? $0 : nil } : nil
        let h = layer.hiddenSize, i = input?.cols ?? 0, o = output?.rows ?? 0
        guard h <= maximumHidden, i <= maximumInput, o <= maximumInput else {
            return .failure(
                Refusal(
                    text: "W_ih \(gates * h)×\(i), W_hh \(gates * h)×\(h): too large to show",
                    detail: "(the panel shows H ≤ \(maximumHidden), inputs and outputs ≤ \(maximumInput))"))
        }
        var out: [Block] = []
        if let input { out.append(Block(title: "W_x = W_ih" + gateNote, rows: rows(input))) }
        if let w = matrix(layer.parameterName("weight_hh")) { out.append(Block(title: "W_h = W_hh", rows: rows(w))) }
        if let b = matrix(layer.parameterName("bias_ih")) { out.append(Block(title: "b_ih", rows: column(b))) }
        if let b = matrix(layer.parameterName("bias_hh")) { out.append(Block(title: "b_hh", rows: column(b))) }
        if let output {
            out.append(Block(title: "W_y = W_hy", rows: rows(output)))
            if let b = matrix("output.bias") { out.append(Block(title: "b_y", rows: column(b))) }
        }
        return .success(out)
    }

    /// Why the weights are not shown: a line, and a second one for when there is room.
    struct Refusal: Error, Equatable {
        var text: String
        var detail: String
    }

    /// A weight in at most two significant digits: `0.25`, `-1`, `0.5`, `-0.012`.
    static func number(_ x: Double) -> String { Format.number(x, digits: 2) }

    /// The block's lines: the title, then one `[ … ]` row per matrix row, the numbers right-aligned per column.
    static func lines(_ b: Block) -> [String] {
        let cols = b.rows.first?.count ?? 0
        let texts = b.rows.map { $0.map(number) }
        let widths = (0..<cols).map { c in texts.map { $0.indices.contains(c) ? $0[c].count : 0 }.max() ?? 0 }
        let body = texts.map { row in
            "[" + row.enumerated().map { c, x in String(repeating: " ", count: widths[c] - x.count + 1) + x }.joined()
                + " ]"
        }
        return [b.title] + body
    }

    /// Lines a weights panel `width` columns wide needs to show every block, packed as `render` packs them,
    /// with its borders and the note; 4 for a refusal.
    static func neededHeight(_ s: RevealedTrace, width: Int) -> Int {
        guard case .success(let blocks) = blocks(s) else { return 4 }
        let gap = 2, innerWidth = width - 2
        var x = 1, above = 0, band = 0
        for block in blocks {
            let text = lines(block)
            let w = text.map(\.count).max() ?? 0
            if x > 1 && x + w > innerWidth {
                x = 1
                above += band + 1
                band = 0
            }
            x += w + gap
            band = max(band, text.count)
        }
        return 2 + above + band + 1
    }

    /// Renders the weights panel into `rect`: the blocks left to right, a new band of blocks below when the
    /// width runs out; a block that does not fit whole is left out and the last line says so.
    public static func render(_ s: RevealedTrace, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        guard rect.height >= 3 else { return }
        let label =
            s.trace.layers.indices.contains(s.selectedLayer) ? " · " + s.trace.layers[s.selectedLayer].label : ""
        canvas.drawBox(rect, glyphs: theme.glyphs, style: theme.border, title: "Weights" + label)
        let inner = rect.insetBy(dx: 1, dy: 1)
        let blocks: [Block]
        switch self.blocks(s) {
        case .failure(let refusal):
            for (k, line) in [refusal.text, refusal.detail].enumerated() where inner.y + k < inner.maxY {
                canvas.put(
                    Format.fitted(line, width: inner.width - 1), x: inner.x + 1, y: inner.y + k, style: theme.muted,
                    clip: inner)
            }
            return
        case .success(let b): blocks = b
        }
        // The last line is kept for the note, so a block left out is always said.
        let gap = 2, bottom = inner.maxY - 1
        var x = inner.x + 1, y = inner.y, band = 0, used = inner.y, left = 0
        for (n, block) in blocks.enumerated() {
            let text = lines(block)
            let w = text.map(\.count).max() ?? 0
            if x > inner.x + 1 && x + w > inner.maxX {
                x = inner.x + 1
                y += band + 1
                band = 0
            }
            guard x + w <= inner.maxX, y + text.count <= bottom else {
                left = blocks.count - n
                break
            }
            for (k, line) in text.enumerated() {
                canvas.put(line, x: x, y: y + k, style: k == 0 ? theme.title : theme.text, clip: inner)
            }
            x += w + gap
            band = max(band, text.count)
            used = max(used, y + text.count)
        }
        let note = left > 0 ? "… \(left) more: enlarge the terminal" : "b = b_ih + b_hh (PyTorch keeps two)"
        canvas.put(
            Format.fitted(note, width: inner.width - 1), x: inner.x + 1, y: min(used, bottom),
            style: theme.muted, clip: inner)
    }
}
