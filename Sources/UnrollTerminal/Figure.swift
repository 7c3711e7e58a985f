import UnrollLessons
import UnrollUI

/// The `F` key's figure: the frame on screen written as `NAME.svg` and `NAME.txt` in the current folder.
enum Figure {
    /// Writes `frame` as SVG and as text, under `name` or, when either file exists, `name-2`, `name-3`, … (never
    /// replacing a file), each file written whole or not at all.
    /// - Returns: what the status line says: where, or why not.
    static func write(_ frame: Canvas, name: String, title: String, palette: SVGPalette = .dark) -> String {
        let written: String?
        do {
            written = try TraceExport.writeNew(
                bytes: Array(frame.svg(title: title, palette: palette).utf8), stem: name, suffix: ".svg")
        } catch {
            return "figure not written: \(error)"
        }
        guard let stem = written else { return "figure not written: \(name).svg to \(name)-99.svg all exist" }
        do {
            try TraceExport.write(bytes: Array(frame.text().utf8), to: stem + ".txt", force: false)
        } catch {
            return "figure written: \(stem).svg (its text not: \(error))"
        }
        return "figure written: \(stem).svg and .txt"
    }
}
