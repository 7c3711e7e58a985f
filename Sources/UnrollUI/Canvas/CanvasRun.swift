/// A horizontal run of cells that share one style: the unit the terminal
/// backend writes with a single attribute change and a single string write.
public struct CanvasRun: Hashable, Sendable {
    /// Column of the first cell.
    public var x: Int
    /// Row of the run.
    public var y: Int
    /// Style shared by every cell of the run.
    public var style: Style
    /// The glyphs, one per column.
    public var text: String

    /// Creates a run.
    public init(x: Int, y: Int, style: Style, text: String) {
        self.x = x
        self.y = y
        self.style = style
        self.text = text
    }
}
