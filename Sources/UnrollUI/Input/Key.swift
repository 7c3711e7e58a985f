/// One input event: a key press, a mouse press, or a terminal event.
public enum Key: Hashable, Sendable {
    /// A printable character (including space).
    case character(Character)
    /// Control plus a letter or symbol, named by its lowercase character
    /// (`.control("l")` for Ctrl-L). Ctrl-C is reported as ``interrupt``;
    /// Tab, Enter, Escape and Backspace have their own cases.
    case control(Character)
    /// Arrow up.
    case up
    /// Arrow down.
    case down
    /// Arrow left.
    case left
    /// Arrow right.
    case right
    /// Home.
    case home
    /// End.
    case end
    /// Page Up.
    case pageUp
    /// Page Down.
    case pageDown
    /// Insert.
    case insert
    /// Delete (forward).
    case delete
    /// Enter or Return.
    case enter
    /// Escape on its own.
    case escape
    /// Tab.
    case tab
    /// Shift-Tab.
    case backTab
    /// Backspace.
    case backspace
    /// Function key F*n*, n ≥ 1.
    case function(Int)
    /// A mouse press at a cell.
    case mouse(MouseEvent)
    /// The terminal changed size; redraw at the new size.
    case resize
    /// Ctrl-C (SIGINT): the user wants to stop.
    case interrupt

    /// Decodes a single character code as typed on a terminal in cbreak mode.
    ///
    /// CR and LF become ``enter``, ESC ``escape``, HT ``tab``, DEL and BS
    /// ``backspace``, ETX (Ctrl-C) ``interrupt``; other C0 control codes
    /// become ``control(_:)`` with the matching lowercase letter or symbol
    /// (0x00 is `@`). Other C1/DEL-range controls return nil.
    public init?(scalar: Unicode.Scalar) {
        switch scalar.value {
        case 0x0D, 0x0A: self = .enter
        case 0x1B: self = .escape
        case 0x09: self = .tab
        case 0x7F, 0x08: self = .backspace
        case 0x03: self = .interrupt
        case 0x00..<0x20:
            // Ctrl-A is 0x01 → "a"; 0x00 → "@"; 0x1C… → "\\", "]", "^", "_".
            let base: UInt32 = scalar.value == 0 || scalar.value >= 0x1C ? 0x40 : 0x60
            guard let mapped = Unicode.Scalar(scalar.value + base) else { return nil }
            self = .control(Character(mapped))
        case 0x80..<0xA0:
            return nil
        default:
            self = .character(Character(scalar))
        }
    }
}
