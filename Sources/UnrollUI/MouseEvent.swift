/// A mouse button press reported by the terminal, in cell coordinates.
public struct MouseEvent: Hashable, Sendable {
    /// Which button, or a wheel direction.
    public enum Button: Hashable, Sendable {
        /// Primary button.
        case left
        /// Middle button or wheel click.
        case middle
        /// Secondary button.
        case right
        /// Wheel scrolled up (away from the user).
        case wheelUp
        /// Wheel scrolled down (towards the user).
        case wheelDown
    }

    /// Column, 0 at the left edge.
    public var x: Int
    /// Row, 0 at the top edge.
    public var y: Int
    /// The button pressed.
    public var button: Button

    /// Creates a mouse event.
    public init(x: Int, y: Int, button: Button) {
        self.x = x
        self.y = y
        self.button = button
    }
}
