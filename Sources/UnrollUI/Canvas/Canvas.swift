/// A width × height grid of cells that views draw into.
///
/// A canvas knows nothing about terminals: views render into it, tests read
/// it back as text (``lines()``, ``styledLines()``), and the terminal backend
/// draws only what changed between two canvases (``diff(from:)``).
/// Coordinates outside the grid are ignored by every drawing call, so drawing
/// never traps on a terminal that is too small.
public struct Canvas: Hashable, Sendable {
    /// Number of columns.
    public let width: Int
    /// Number of rows.
    public let height: Int
    /// The cells in row-major order: cell `(x, y)` is at `y * width + x`.
    public internal(set) var cells: [Cell]

    /// Creates a canvas filled with `cell`.
    ///
    /// Negative sizes are treated as zero.
    /// - Complexity: O(width × height).
    public init(width: Int, height: Int, filledWith cell: Cell = .blank) {
        self.width = Swift.max(0, width)
        self.height = Swift.max(0, height)
        self.cells = Array(repeating: cell, count: self.width * self.height)
    }

    /// The whole canvas as a rectangle at the origin.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at `(x, y)`, or nil outside the canvas.
    public func cell(x: Int, y: Int) -> Cell? {
        guard bounds.contains(x: x, y: y) else { return nil }
        return cells[y * width + x]
    }

    /// Replaces the cell at `(x, y)`; does nothing outside the canvas.
    public mutating func set(_ cell: Cell, x: Int, y: Int) {
        guard bounds.contains(x: x, y: y) else { return }
        cells[y * width + x] = cell
    }
}

extension Canvas {
    /// The part of the canvas inside `rect` (clipped to the canvas), as a canvas of its own.
    public func cropped(to rect: Rect) -> Canvas {
        let r = rect.intersection(bounds)
        var out = Canvas(width: r.width, height: r.height)
        for y in 0..<r.height {
            let from = (r.y + y) * width + r.x
            out.cells.replaceSubrange((y * r.width)..<((y + 1) * r.width), with: cells[from..<(from + r.width)])
        }
        return out
    }
}
