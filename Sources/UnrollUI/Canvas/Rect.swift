/// An axis-aligned rectangle of terminal cells.
///
/// `x` grows to the right and `y` grows downwards; `(x, y)` is the top-left
/// cell. A rectangle with a non-positive width or height is empty.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    /// Column of the left edge.
    public var x: Int
    /// Row of the top edge.
    public var y: Int
    /// Number of columns (empty when `<= 0`).
    public var width: Int
    /// Number of rows (empty when `<= 0`).
    public var height: Int

    /// Creates a rectangle from its top-left corner and size.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The empty rectangle at the origin.
    public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)

    /// One past the rightmost column.
    public var maxX: Int { x + width }
    /// One past the bottom row.
    public var maxY: Int { y + height }
    /// True when the rectangle covers no cell.
    public var isEmpty: Bool { width <= 0 || height <= 0 }
    /// Number of cells covered (0 when empty).
    public var area: Int { isEmpty ? 0 : width * height }

    /// True when the cell `(column, row)` lies inside the rectangle.
    public func contains(x column: Int, y row: Int) -> Bool {
        column >= x && column < maxX && row >= y && row < maxY
    }

    /// The overlap of two rectangles, or an empty rectangle (width or height 0) when they do not overlap.
    public func intersection(_ other: Rect) -> Rect {
        let left = Swift.max(x, other.x)
        let top = Swift.max(y, other.y)
        let right = Swift.min(maxX, other.maxX)
        let bottom = Swift.min(maxY, other.maxY)
        return Rect(x: left, y: top, width: Swift.max(0, right - left), height: Swift.max(0, bottom - top))
    }

    /// The rectangle shrunk by `dx` columns on the left and right and `dy` rows on the top and bottom.
    ///
    /// The size never goes below zero.
    public func insetBy(dx: Int, dy: Int) -> Rect {
        Rect(x: x + dx, y: y + dy, width: Swift.max(0, width - 2 * dx), height: Swift.max(0, height - 2 * dy))
    }

    /// `"(x,y) w×h"`, for test failure messages.
    public var description: String { "(\(x),\(y)) \(width)x\(height)" }
}
