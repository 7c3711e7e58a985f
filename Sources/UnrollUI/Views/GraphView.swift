import UnrollEngine
import UnrollLessons

/// The unrolled graph: one column per time step; rows for the target and output, every hidden
/// layer (both directions), and the input; arrows between them; skip arcs; the current step
/// highlighted and steps not yet reached dimmed.
///
/// Forward, nodes show their values on the diverging map (outputs: the class probabilities the trace records
/// on the sequential map). Backward, nodes show |∂L/∂·| per unit and edges the size of the
/// gradient flowing through them, on the log scale of `GradientScale`.
public enum GraphView {
    /// Columns of the gutter that holds the row labels.
    public static let gutter = 8

    /// One visual row of hidden nodes: a layer in one direction, over every segment.
    struct Row {
        var label: String
        var layer: Int
        var reverse: Bool
        /// Indices into `trace.layers` (encoder and decoder share a row).
        var traces: [Int]
        /// The LSTM's cell-state row c_t of the layer, drawn just below its h_t row (c_t feeds h_t), rather than h_t.
        var cell = false
    }

    /// The horizontal geometry: column width, node width and the first visible column.
    public struct Geometry: Sendable, Equatable {
        /// Width of one time step.
        public var columnWidth: Int
        /// Width of a node's heatmap.
        public var nodeWidth: Int
        /// The leftmost visible column.
        public var first: Int
        /// How many columns are visible.
        public var visible: Int
        /// Columns between the gutter and the first step: the lead column of v and h0 (0 when the graph has none).
        public var lead = 0
        /// The x of column `c`'s left edge.
        public func x(_ c: Int, in rect: Rect) -> Int { rect.x + GraphView.gutter + lead + (c - first) * columnWidth }
        /// The column under screen x, if any.
        public func column(atX x: Int, in rect: Rect) -> Int? {
            let dx = x - rect.x - GraphView.gutter - lead
            guard dx >= 0 else { return nil }
            let c = first + dx / columnWidth
            return c < first + visible ? c : nil
        }
    }

    /// The geometry for a session in `rect`: as wide as fits, scrolled to keep the inspected column in view.
    public static func geometry(_ s: RevealedTrace, _ rect: Rect) -> Geometry {
        let t = max(1, s.columns)
        // The lead column when the graph has v or h0 nodes and room for it beside one step at least.
        let lead = rect.width - gutter - 1 - leadWidth >= 6 && hasLead(s.trace) ? leadWidth : 0
        let avail = max(6, rect.width - gutter - lead - 1)
        let cw = max(6, min(30, avail / t))
        let visible = max(1, min(t, avail / cw))
        let focus = s.inspectedColumn
        let first = max(0, min(t - visible, focus - visible / 2))
        return Geometry(columnWidth: cw, nodeWidth: cw - 3, first: first, visible: visible, lead: lead)
    }

    static func rows(_ trace: Trace<Double>) -> [Row] {
        var rows: [Row] = []
        for (i, l) in trace.layers.enumerated() {
            if let r = rows.firstIndex(where: { $0.layer == l.layer && $0.reverse == l.reverse }) {
                rows[r].traces.append(i)
            } else {
                rows.append(
                    Row(
                        label: "h l\(l.layer)" + (l.reverse ? "←" : ""), layer: l.layer, reverse: l.reverse, traces: [i]
                    ))
            }
        }
        // An LSTM layer's cell state c_t gets its own row, the highway the LSTM lesson is about.
        if trace.spec.cell == .lstm {
            rows += rows.map { r in
                var c = r
                // `f⊙`: the path along the row, c_t−1 scaled by the forget gate (left out where it would not fit).
                c.label = "c l\(r.layer)" + (r.reverse ? "←" : " f⊙")
                c.cell = true
                return c
            }
        }
        // Top layer first; within a layer the forward direction above the reverse one, h_t above its c_t.
        return rows.sorted {
            ($0.layer, $0.reverse ? 0 : 1, $0.cell ? 0 : 1) > ($1.layer, $1.reverse ? 0 : 1, $1.cell ? 0 : 1)
        }
    }

    /// The rows drawn in `rect`: every row, or, when they do not all fit one line each with the output and input lines
    /// (a training view's small example), the h_t rows alone (``omitsCellRows(_:_:)``: the caller says so).
    static func shownRows(_ trace: Trace<Double>, _ rect: Rect) -> [Row] {
        let all = rows(trace)
        return omitsCellRows(all, rect) ? all.filter { !$0.cell } : all
    }

    /// Whether `rect` is too short for the LSTM's c_t rows, which ``shownRows(_:_:)`` then leaves out. (Their label
    /// used to carry "c…", which read as a word cut short.)
    public static func omitsCellRows(_ trace: Trace<Double>, _ rect: Rect) -> Bool { omitsCellRows(rows(trace), rect) }

    /// Whether `rect` is too short for every row of `all` with the output and input lines, and some are c_t rows.
    private static func omitsCellRows(_ all: [Row], _ rect: Rect) -> Bool {
        rect.height < 2 + all.count && all.contains(where: \.cell)
    }

    /// The y of each visual element, top to bottom, for mouse mapping and drawing.
    struct VerticalLayout {
        var target: Int?
        var output: Int
        var outputArrow: Int?
        var nodes: [Int] // per row of `rows`
        var skipArcs: [Int?] // per row
        var betweenArrows: [Int?] // arrow line below each row
        var input: Int
        /// Lines per hidden node: more than one when there is room.
        var nodeHeight = 1
        /// Lines per output node: up to 4.
        var outputHeight = 1
    }

    static func verticalLayout(_ rowCount: Int, skip: Bool, _ rect: Rect) -> VerticalLayout {
        // Essential lines: output, nodes, input. Then, as room allows: arrows, skip arcs, target.
        let essential = 2 + rowCount
        var spare = rect.height - essential
        func take() -> Bool {
            if spare > 0 {
                spare -= 1
                return true
            }
            return false
        }
        let skipLines = (0..<rowCount).map { _ in skip && take() }
        let inputArrow = take()
        let outputArrow = take()
        let between = (0..<rowCount).map { i in i < rowCount - 1 ? take() : false }
        let target = take()
        // Taller nodes with every line left, so heatmaps read from the back of a room and the graph uses its rows;
        // the output row (often empty: one output for a whole sequence) at most 4 lines, the hidden rows the rest.
        let oh = max(1, min(4, 1 + spare / (rowCount + 1)))
        let nh = max(1, 1 + (spare - (oh - 1)) / max(1, rowCount))
        var y = rect.y
        var layout = VerticalLayout(
            target: nil, output: 0, outputArrow: nil, nodes: [], skipArcs: [], betweenArrows: [], input: 0)
        if target {
            layout.target = y
            y += 1
        }
        layout.nodeHeight = nh
        layout.outputHeight = oh
        layout.output = y
        y += oh
        if outputArrow {
            layout.outputArrow = y
            y += 1
        }
        for i in 0..<rowCount {
            if skipLines[i] {
                layout.skipArcs.append(y)
                y += 1
            } else {
                layout.skipArcs.append(nil)
            }
            layout.nodes.append(y)
            y += nh
            if between[i] || (i == rowCount - 1 && inputArrow) {
                layout.betweenArrows.append(y)
                y += 1
            } else {
                layout.betweenArrows.append(nil)
            }
        }
        layout.input = y
        return layout
    }

    /// Lines the graph uses with every arrow and label and hidden nodes of `nodeHeight` lines (the output row at most 4).
    public static func height(_ trace: Trace<Double>, nodeHeight: Int) -> Int {
        let r = rows(trace).count
        return min(4, nodeHeight) + r * nodeHeight + 1 + (trace.spec.skip != nil ? r : 0) + 2 + (r - 1) + 1
    }

    /// Lines the graph uses when it has room for every arrow and label and 4-line nodes.
    public static func preferredHeight(_ trace: Trace<Double>) -> Int { height(trace, nodeHeight: 4) }

    /// Lines the graph needs at least: one line per node, no arrows, no labels but the input.
    public static func compactHeight(_ trace: Trace<Double>) -> Int {
        2 + rows(trace).count
    }

    /// The node (index into `trace.layers`) and column under a screen point, if any.
    public static func hit(_ s: RevealedTrace, _ rect: Rect, x: Int, y: Int) -> (layer: Int, column: Int)? {
        let g = geometry(s, rect)
        guard let c = g.column(atX: x, in: rect) else { return nil }
        let rows = shownRows(s.trace, rect)
        let v = verticalLayout(rows.count, skip: s.trace.spec.skip != nil, rect)
        guard let r = v.nodes.firstIndex(where: { y >= $0 && y < $0 + v.nodeHeight }) else { return nil }
        let idx = rows[r].traces.first { s.trace.layers[$0].columns.contains(c) } ?? rows[r].traces[0]
        return (idx, c)
    }

    /// What every part of one render shares: the model, where things go, and the scale of the gradients.
    struct Drawing {
        let s: RevealedTrace
        let theme: Theme
        let rect: Rect
        let g: Geometry
        let rows: [Row]
        let v: VerticalLayout
        let scale: GradientScale
        let visibleColumns: Range<Int>
        /// The selected layer, or the first when the selection is not one of the trace's.
        let selected: Int
        /// The visible columns' input words and target words as placed (``placeLabels(_:anchors:shift:lower:upper:)``),
        /// indexed from the first visible column.
        let inputs: [PlacedLabel]
        let targets: [PlacedLabel]
    }

    /// A column's word as drawn: its text (cut with "…" only when even moving it did not make room) and where it
    /// starts.
    struct PlacedLabel: Equatable {
        var text: String
        var x: Int
    }

    /// Where each word of a row of column words goes, one blank between words. A word starts under its column
    /// (`anchors`) when it fits before the next word; a longer one moves left into the room the word before left
    /// free, and pushes the next word right, each by at most `shift` cells, so 'France' in a column of six cells
    /// is whole. A word that still does not fit is cut at a word's end with "…". Empty words take no room.
    static func placeLabels(_ labels: [String], anchors: [Int], shift: Int, lower: Int, upper: Int) -> [PlacedLabel] {
        var placed: [PlacedLabel] = []
        var free = lower
        for (i, text) in labels.enumerated() {
            guard !text.isEmpty, i < anchors.count else {
                placed.append(PlacedLabel(text: "", x: i < anchors.count ? anchors[i] : lower))
                continue
            }
            let anchor = anchors[i]
            let next = labels.indices.dropFirst(i + 1).first { !labels[$0].isEmpty && $0 < anchors.count }
            let length = text.count
            // The start that ends one blank before the next word's own place, not left of `shift`, not over the last.
            let wanted = next.map { min(anchor, anchors[$0] - 1 - length) } ?? anchor
            let start = max(wanted, anchor - shift, free)
            let end = next.map { anchors[$0] + shift - 1 } ?? upper
            let width = min(length, max(0, end - start))
            placed.append(PlacedLabel(text: Format.fitted(text, width: width), x: start))
            free = start + width + 1
        }
        return placed
    }

    /// Renders the graph into `rect`: the row labels, then column by column the input and output ends and each
    /// hidden row's node with its edges, then the chunk cuts and the feedback edges over them.
    public static func render(_ s: RevealedTrace, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        let trace = s.trace
        let g = geometry(s, rect)
        let rows = shownRows(trace, rect)
        let visible = g.first..<min(s.columns, g.first + g.visible)
        // The words under and over the columns: "N▶" (columns off to the right) keeps its cells on the input row.
        let anchors = visible.map { g.x($0, in: rect) + 1 }
        let hidden = s.columns - visible.upperBound
        let lower = g.x(g.first, in: rect)
        let inputs = visible.map { c -> String in
            let token = c < s.inputLabels.count ? s.inputLabels[c] : ""
            return token.isEmpty ? (trace.inputs.has(c) ? "0" : "") : token
        }
        let targets = visible.map { c in c < s.targetLabels.count ? s.targetLabels[c] ?? "" : "" }
        let shift = g.columnWidth / 2
        let d = Drawing(
            s: s, theme: theme, rect: rect, g: g, rows: rows,
            v: verticalLayout(rows.count, skip: trace.spec.skip != nil, rect), scale: GradientScale(trace: trace),
            visibleColumns: visible,
            selected: trace.layers.indices.contains(s.selectedLayer) ? s.selectedLayer : 0,
            inputs: placeLabels(
                inputs, anchors: anchors, shift: shift, lower: lower,
                upper: hidden > 0 ? rect.maxX - String(hidden).count - 2 : rect.maxX),
            targets: placeLabels(targets, anchors: anchors, shift: shift, lower: lower, upper: rect.maxX))
        drawRowLabels(d, into: &canvas)
        for c in d.visibleColumns {
            drawEnds(d, column: c, into: &canvas)
            for r in rows.indices { drawHidden(d, row: r, column: c, into: &canvas) }
        }
        drawChunkCuts(s, theme: theme, geometry: g, layout: d.v, rows: rows, rect: rect, into: &canvas)
        drawParts(d, into: &canvas)
        drawFeedbackEdges(
            s, theme: theme, geometry: g, rect: rect, rows: rows, layout: d.v, columns: d.visibleColumns, into: &canvas)
    }

    /// The labels left of the rows (`y_t` or `∂L/∂y`, each layer's, `x_t`), the skip rows', and the marks of
    /// columns scrolled out of view.
    static func drawRowLabels(_ d: Drawing, into canvas: inout Canvas) {
        let (s, theme, rect, v) = (d.s, d.theme, d.rect, d.v)
        if let y = v.target { canvas.put("target", x: rect.x, y: y, style: theme.muted) }
        canvas.put(s.phase == .forward ? "y_t" : "∂L/∂y", x: rect.x, y: v.output, style: theme.muted)
        for (r, row) in d.rows.enumerated() {
            let isSel = row.traces.contains(d.selected)
            canvas.put(
                s.phase == .forward ? row.label : "∂" + row.label, x: rect.x, y: v.nodes[r],
                style: isSel ? theme.title : theme.muted)
            if let y = v.skipArcs[r], let k = s.trace.spec.skip {
                canvas.put("skip \(k)", x: rect.x, y: y, style: theme.muted)
            }
        }
        canvas.put("x_t", x: rect.x, y: v.input, style: theme.muted)
        if d.g.first > 0 { canvas.put("◀\(d.g.first)", x: rect.x + gutter - 4, y: v.input, style: theme.warning) }
        let hidden = s.columns - d.visibleColumns.upperBound
        if hidden > 0 {
            canvas.put("\(hidden)▶", x: rect.maxX - String(hidden).count - 1, y: v.input, style: theme.warning)
        }
    }

    /// A column's ends: its input word, target word, the mark where NaN or Inf began, and its output node with the
    /// arrow from it.
    static func drawEnds(_ d: Drawing, column c: Int, into canvas: inout Canvas) {
        let (s, theme, g, v, trace) = (d.s, d.theme, d.g, d.v, d.s.trace)
        let x0 = g.x(c, in: d.rect)
        let isCurrent = c == s.step
        // Input word, and target word (placed for the whole row at once; a column without a target leaves its
        // room to its neighbours, so many-to-one's 'Spanish' is whole).
        let tokenStyle = isCurrent ? theme.highlight : (s.isRevealed(column: c) ? theme.text : theme.muted)
        let i = c - d.visibleColumns.lowerBound
        if d.inputs.indices.contains(i) {
            canvas.put(d.inputs[i].text, x: d.inputs[i].x, y: v.input, style: tokenStyle)
        }
        if let y = v.target, d.targets.indices.contains(i), !d.targets[i].text.isEmpty {
            canvas.put(d.targets[i].text, x: d.targets[i].x, y: y, style: isCurrent ? theme.title : theme.muted)
        }
        // Where NaN or Inf began: a mark beside the column's label, which stays readable.
        if c == trace.nonFiniteForwardColumn || (s.phase == .backward && c == trace.nonFiniteBackwardColumn) {
            // In the blank before the target word, which a long word may have moved left.
            let word = v.target != nil && d.targets.indices.contains(i) && !d.targets[i].text.isEmpty ? d.targets[i].x : x0 + 1
            canvas.put("!", x: min(x0, word - 1), y: v.target ?? v.output, style: theme.warning)
        }
        // Output node.
        for dy in 0..<v.outputHeight {
            drawOutput(
                s, theme: theme, column: c, x: x0 + 1, y: v.output + dy, width: g.nodeWidth, scale: d.scale,
                into: &canvas)
        }
        if let y = v.outputArrow, trace.outputs.has(c), c < s.targetLabels.count, s.targetLabels[c] != nil {
            drawVertical(
                s, theme: theme, column: c, x: x0 + 1 + g.nodeWidth / 2, y: y, gradient: trace.outputGradientNorms[c],
                scale: d.scale, into: &canvas)
        }
    }

    /// One hidden row at a column: the node of the layer that has the column, its unit labels, the selection's
    /// brackets, and its edges (recurrent, encoder context, down to the row below, the skip arc).
    static func drawHidden(_ d: Drawing, row r: Int, column c: Int, into canvas: inout Canvas) {
        let (s, theme, g, v, trace) = (d.s, d.theme, d.g, d.v, d.s.trace)
        guard let idx = d.rows[r].traces.first(where: { trace.layers[$0].columns.contains(c) }) else { return }
        let layer = trace.layers[idx]
        let x0 = g.x(c, in: d.rect)
        let i = c - layer.startColumn
        let y = v.nodes[r]
        let revealed = s.isRevealed(layer: layer, column: c)
        let isCell = d.rows[r].cell
        // From three lines, the last names the units under their cells when every number fits (h_t rows only).
        let labels =
            v.nodeHeight >= 3 && !isCell
            ? unitLabels(units: layer.hiddenSize, width: g.nodeWidth, glyphs: theme.glyphs) : nil
        for dy in 0..<(v.nodeHeight - (labels == nil ? 0 : 1)) {
            drawNode(
                s, theme: theme, steps: layer.steps, at: i, revealed: revealed, x: x0 + 1, y: y + dy,
                width: g.nodeWidth, cell: isCell, scale: d.scale, into: &canvas)
        }
        if let labels {
            drawUnitLabels(d, labels, layer: layer, index: idx, x: x0 + 1, y: y + v.nodeHeight - 1, into: &canvas)
        }
        drawRecurrentEdge(d, layer: layer, column: c, y: y, cell: isCell, into: &canvas)
        if !isCell { drawTransitionEdges(d, layer: layer, column: c, y: y, into: &canvas) }
        if let start = trace.decoderStartColumn, c + 1 == start, layer.segment == "encoder.", !layer.reverse,
            !isCell, c + 1 < d.visibleColumns.upperBound
        {
            drawContextNode(d, x: x0 + 1 + g.nodeWidth, y: y, into: &canvas)
        }
        if idx == d.selected && c == s.inspectedColumn {
            for dy in 0..<v.nodeHeight {
                canvas.put("[", x: x0, y: y + dy, style: theme.title)
                canvas.put("]", x: x0 + 1 + g.nodeWidth, y: y + dy, style: theme.title)
            }
        }
        // Arrow from this row down to the one below (or the input).
        if let ay = v.betweenArrows[r] {
            let below: Double? = r + 1 < d.rows.count ? nil : trace.inputGradientNorms[c]
            drawVertical(
                s, theme: theme, column: c, x: x0 + 1 + g.nodeWidth / 2, y: ay,
                gradient: below ?? layer.steps.hiddenGradientNorm[i], scale: d.scale, into: &canvas)
        }
        // The skip arc into the inspected column.
        if let ay = v.skipArcs[r], let k = trace.spec.skip, c == s.inspectedColumn, revealed, !isCell {
            let src = layer.reverse ? c + k : c - k
            if layer.columns.contains(src) {
                drawSkipArc(
                    s, theme: theme, geometry: g, rect: d.rect, from: src, to: c, y: ay,
                    gradient: layer.steps.hiddenGradientNorm[i], scale: d.scale, into: &canvas)
            }
        }
    }

    /// The unit labels under a node, the selected unit's highlighted on the selected layer.
    static func drawUnitLabels(
        _ d: Drawing, _ labels: String, layer: LayerTrace<Double>, index: Int, x: Int, y: Int,
        into canvas: inout Canvas
    ) {
        let width = d.g.nodeWidth
        canvas.put(labels, x: x, y: y, style: index == d.selected ? d.theme.text : d.theme.muted)
        guard index == d.selected, let u = d.s.selectedUnit, u < layer.hiddenSize else { return }
        let a = (u * width + layer.hiddenSize - 1) / layer.hiddenSize
        let b = ((u + 1) * width + layer.hiddenSize - 1) / layer.hiddenSize
        canvas.put(String(labels.dropFirst(a).prefix(b - a)), x: x + a, y: y, style: d.theme.highlight)
    }

    /// The recurrent edge from a node to the next column's (or from it, for a reverse layer): forward, the arrow
    /// follows the computation; backward, the gradient (the other way), coloured by the gradient it carries. On an
    /// LSTM's c_t row (`cell`) the edge is the cell-state path `⊙→` (c_t−1 scaled by the forget gate; the row's label
    /// says `f⊙`), backward `←⊙` (∂L/∂c_t−1 = f_t ⊙ ∂L/∂c_t), coloured by the cell gradient's largest unit.
    static func drawRecurrentEdge(
        _ d: Drawing, layer: LayerTrace<Double>, column c: Int, y: Int, cell: Bool = false,
        into canvas: inout Canvas
    ) {
        let (s, theme, glyphs) = (d.s, d.theme, d.theme.glyphs)
        guard layer.columns.contains(c + 1) && c + 1 < d.visibleColumns.upperBound else { return }
        let (from, to) = layer.reverse ? (c + 1, c) : (c, c + 1)
        var style = s.isRevealed(layer: layer, column: to) ? theme.text : theme.muted
        if s.phase == .backward {
            let dest =
                cell
                ? (layer.steps.cellGradient?.row(to - layer.startColumn, 0).map(abs).max() ?? 0)
                : layer.steps.hiddenGradientNorm[to - layer.startColumn]
            style =
                s.gradientArrived(column: layer.reverse ? from : to) || layer.reverse
                ? theme.foreground(forMagnitude: d.scale.fraction(dest)) : theme.muted
        }
        let pointsLeft = layer.reverse != (s.phase == .backward)
        let line = cell ? "⊙" : String(glyphs.horizontal)
        let arrow = pointsLeft ? "\(glyphs.arrowLeft)\(line)" : "\(line)\(glyphs.arrowRight)"
        canvas.put(arrow, x: d.g.x(c, in: d.rect) + 1 + d.g.nodeWidth, y: y, style: style)
    }

    /// The values of a vector fitted to `width` cells: each unit spread over one or more cells
    /// when there is room, else groups of units averaged (signed) or their largest magnitude.
    static func cells(_ values: [Double], width: Int, magnitude: Bool) -> [Double] {
        guard !values.isEmpty, width > 0 else { return [] }
        if values.count <= width {
            return (0..<width).map { values[$0 * values.count / width] }
        }
        return (0..<width).map { j in
            let lo = j * values.count / width, hi = max(lo + 1, (j + 1) * values.count / width)
            let slice = values[lo..<hi]
            if slice.contains(where: \.isNaN) { return .nan }
            return magnitude ? slice.map(abs).max() ?? 0 : slice.reduce(0, +) / Double(slice.count)
        }
    }

    /// The line under a node's cells that names its units: each unit's span (the cells `cells(_:width:magnitude:)`
    /// gives it) opens with a boundary tick `╵` (`'` in ASCII) and its 1-based number; nil unless every unit has room
    /// for both, so numbers never run together.
    static func unitLabels(units: Int, width: Int, glyphs: GlyphSet) -> String? {
        guard units > 0, width >= units else { return nil }
        var line = ""
        for u in 0..<units {
            let a = (u * width + units - 1) / units, b = ((u + 1) * width + units - 1) / units
            let number = String(u + 1)
            guard number.count < b - a else { return nil }
            line += (glyphs == .unicode ? "╵" : "'") + number + String(repeating: " ", count: b - a - 1 - number.count)
        }
        return line
    }

    /// One line of a node: h_t (or, with `cell`, the LSTM's c_t) on the diverging map, backward its gradient's
    /// magnitude per unit; dots where not revealed or not arrived.
    static func drawNode(
        _ s: RevealedTrace, theme: Theme, steps: StepColumns<Double>, at i: Int, revealed: Bool, x: Int, y: Int,
        width: Int, cell: Bool = false,
        scale: GradientScale, into canvas: inout Canvas
    ) {
        if s.phase == .backward {
            guard s.gradientArrived(column: steps.firstColumn + i) else {
                canvas.put(repeating: "·", count: width, x: x, y: y, style: theme.muted)
                return
            }
            let gradient = cell ? steps.cellGradient?.row(i, 0) ?? [] : steps.hiddenGradient.row(i, 0)
            for (j, m) in cells(gradient, width: width, magnitude: true).enumerated() {
                canvas.set(theme.style(forMagnitude: scale.fraction(m)), x: x + j, y: y)
            }
            return
        }
        guard revealed else {
            canvas.put(repeating: "·", count: width, x: x, y: y, style: theme.muted)
            return
        }
        let values = cell ? steps.cell?.row(i, 0) ?? [] : steps.hidden.row(i, 0)
        for (j, v) in cells(values, width: width, magnitude: false).enumerated() {
            canvas.set(theme.style(forSigned: v), x: x + j, y: y)
        }
    }

    static func drawOutput(
        _ s: RevealedTrace, theme: Theme, column c: Int, x: Int, y: Int, width: Int,
        scale: GradientScale, into canvas: inout Canvas
    ) {
        guard let out = s.trace.outputs[c], c < s.targetLabels.count, s.targetLabels[c] != nil else { return }
        if s.phase == .backward {
            guard s.gradientArrived(column: c), let g = s.trace.outputGradients[c] else {
                canvas.put(repeating: "·", count: width, x: x, y: y, style: theme.muted)
                return
            }
            for (j, m) in cells(g.row(0), width: width, magnitude: true).enumerated() {
                canvas.set(theme.style(forMagnitude: scale.fraction(m)), x: x + j, y: y)
            }
            return
        }
        guard s.isOutputRevealed(column: c) else {
            canvas.put(repeating: "·", count: width, x: x, y: y, style: theme.muted)
            return
        }
        let row = out.row(0)
        if let p = s.trace.probabilities[c] {
            for (j, v) in cells(p.row(0), width: width, magnitude: true).enumerated() {
                canvas.set(theme.style(forMagnitude: v), x: x + j, y: y)
            }
        } else {
            for (j, v) in cells(row, width: width, magnitude: false).enumerated() {
                canvas.set(theme.style(forSigned: v), x: x + j, y: y)
            }
        }
    }

    static func drawVertical(
        _ s: RevealedTrace, theme: Theme, column c: Int, x: Int, y: Int, gradient: Double?,
        scale: GradientScale, into canvas: inout Canvas
    ) {
        if s.phase == .forward {
            canvas.put(
                String(theme.glyphs.arrowUp), x: x, y: y, style: s.isRevealed(column: c) ? theme.text : theme.muted)
        } else if s.gradientArrived(column: c), let g = gradient {
            canvas.put(
                String(theme.glyphs.arrowDown), x: x, y: y, style: theme.foreground(forMagnitude: scale.fraction(g)))
        } else {
            canvas.put(String(theme.glyphs.arrowDown), x: x, y: y, style: theme.muted)
        }
    }

    static func drawSkipArc(
        _ s: RevealedTrace, theme: Theme, geometry g: Geometry, rect: Rect, from: Int, to: Int, y: Int,
        gradient: Double, scale: GradientScale, into canvas: inout Canvas
    ) {
        let a = g.x(max(from, g.first), in: rect) + 1 + g.nodeWidth / 2
        let b = g.x(to, in: rect) + 1 + g.nodeWidth / 2
        let (lo, hi) = (min(a, b), max(a, b))
        let style =
            s.phase == .backward
            ? theme.foreground(forMagnitude: scale.fraction(gradient))
            : Style(foreground: .magenta, attributes: .bold).approximated(for: theme.colorMode)
        let unicode = theme.glyphs == .unicode
        for x in lo...hi { canvas.put(unicode ? "─" : "-", x: x, y: y, style: style) }
        canvas.put(unicode ? "╭" : "+", x: lo, y: y, style: style)
        canvas.put(unicode ? "╮" : "+", x: hi, y: y, style: style)
        let head = to > from ? (unicode ? "▾" : "v") : (unicode ? "▾" : "v")
        canvas.put(head, x: b, y: y, style: style)
    }
}
