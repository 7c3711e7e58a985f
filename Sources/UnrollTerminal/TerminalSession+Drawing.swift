import CNcursesw
import UnrollUI

extension TerminalSession {
    /// Draws `canvas`, writing only the cells that changed since the last draw.
    ///
    /// The canvas is normally ``makeCanvas()``-sized; parts beyond the
    /// terminal are clipped, and a canvas of a new size repaints everything.
    /// Styles are approximated for ``colorMode``; with ASCII glyphs any
    /// non-ASCII character is drawn as `?`.
    /// - Complexity: O(width × height) to diff, plus output proportional to the
    ///   changed cells.
    public func draw(_ canvas: Canvas) {
        guard !ended else { return }
        let window = unroll_stdscr()
        let columns = Int(unroll_getmaxx(window)), rows = Int(unroll_getmaxy(window))
        if let old = previous, old.width != canvas.width || old.height != canvas.height { previous = nil }
        if previous == nil { werase(window) }
        var buffer: [wchar_t] = []
        for run in canvas.diff(from: previous) where run.y < rows && run.x < columns {
            buffer.removeAll(keepingCapacity: true)
            // A run that fits (no more scalars than columns left, so no more characters) needs no grapheme breaking.
            let scalars = run.text.unicodeScalars
            let text =
                scalars.count <= columns - run.x
                ? scalars[...] : Substring(run.text.prefix(columns - run.x)).unicodeScalars
            for scalar in text {
                let value = glyphs == .ascii && !scalar.isASCII ? UInt32(0x3F) : scalar.value
                buffer.append(wchar_t(bitPattern: value))
            }
            let (attributes, pair) = cursesAttributes(for: run.style)
            wattr_set(window, attributes, pair, nil)
            mvwaddnwstr(window, Int32(run.y), Int32(run.x), buffer, Int32(buffer.count))
        }
        wattr_set(window, unroll_a_normal(), 0, nil)
        wnoutrefresh(window)
        doupdate()
        previous = canvas
    }

    /// ncurses attributes and colour pair for a style in this colour mode.
    func cursesAttributes(for style: Style) -> (attr_t, Int16) {
        let style = style.approximated(for: colorMode)
        var attributes = unroll_a_normal()
        if style.attributes.contains(.bold) { attributes |= unroll_a_bold() }
        if style.attributes.contains(.dim) { attributes |= unroll_a_dim() }
        if style.attributes.contains(.reverse) { attributes |= unroll_a_reverse() }
        if style.attributes.contains(.underline) { attributes |= unroll_a_underline() }
        guard colorMode != .monochrome else { return (attributes, 0) }
        let pair = pairs.pair(foreground: style.foreground.paletteIndex, background: style.background.paletteIndex)
        return (attributes | unroll_color_pair(Int32(pair)), pair)
    }
}
