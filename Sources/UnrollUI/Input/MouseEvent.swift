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

/// Which bits of the terminal library's button state mean which button: ncurses's `BUTTONn_PRESSED` and
/// `BUTTONn_CLICKED` masks, passed in by the terminal (UnrollTerminal), so the mapping itself is plain code
/// tested without a terminal (Tests/UnrollUITests/MouseTests.swift).
public struct MouseMasks: Sendable {
    /// Bits meaning the primary button went down (pressed or clicked).
    public var left: UInt64
    /// Bits meaning the middle button went down.
    public var middle: UInt64
    /// Bits meaning the secondary button went down.
    public var right: UInt64
    /// Bits meaning the wheel turned up (button 4).
    public var wheelUp: UInt64
    /// Bits meaning the wheel turned down (button 5; 0 when the library has no fifth button).
    public var wheelDown: UInt64

    /// Masks from the library's values.
    public init(left: UInt64, middle: UInt64, right: UInt64, wheelUp: UInt64, wheelDown: UInt64) {
        self.left = left
        self.middle = middle
        self.right = right
        self.wheelUp = wheelUp
        self.wheelDown = wheelDown
    }
}

extension MouseEvent {
    /// The event a terminal's mouse report stands for: the first of left, middle, right, wheel up, wheel down
    /// whose bits are in `state`, at cell (`x`, `y`); nil for a report with none of them (a release, a motion,
    /// a button the UI does not know) or with a cell off the screen's top or left edge (negative coordinates).
    public static func decode(state: UInt64, x: Int, y: Int, masks: MouseMasks) -> MouseEvent? {
        guard x >= 0, y >= 0 else { return nil }
        let buttons: [(UInt64, Button)] = [
            (masks.left, .left), (masks.middle, .middle), (masks.right, .right),
            (masks.wheelUp, .wheelUp), (masks.wheelDown, .wheelDown)
        ]
        guard let button = buttons.first(where: { state & $0.0 != 0 })?.1 else { return nil }
        return MouseEvent(x: x, y: y, button: button)
    }
}
