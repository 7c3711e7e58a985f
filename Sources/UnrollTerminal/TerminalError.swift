/// Why a terminal session could not start.
public enum TerminalError: Error, Equatable, CustomStringConvertible {
    /// stdin or stdout is not a terminal (piped, redirected, or run by a script).
    case notATerminal
    /// Another ``TerminalSession`` already owns the terminal.
    case alreadyActive
    /// ncurses could not initialise the terminal, usually because `TERM` is
    /// unset or unknown; carries the value of `TERM`.
    case cannotInitialize(term: String?)
    /// The terminal `TERM` names cannot move the cursor (such as `dumb`), so a full-screen view cannot be drawn.
    case cannotAddressCursor(term: String)

    /// A message suitable for the user.
    public var description: String {
        switch self {
        case .notATerminal:
            return "the interactive view needs a terminal on stdin and stdout; use a headless command instead"
        case .alreadyActive:
            return "a terminal session is already active"
        case .cannotInitialize(let term):
            guard let term, !term.isEmpty else {
                return "cannot initialise the terminal: TERM is not set; try TERM=xterm-256color"
            }
            return
                "cannot initialise the terminal: TERM=\(term) is not a terminal this system knows (no terminfo entry); try TERM=xterm-256color"
        case .cannotAddressCursor(let term):
            return "TERM=\(term) cannot move the cursor, which the interactive view needs; "
                + "use a terminal such as TERM=xterm-256color, or the headless commands (unroll check, unroll trace)"
        }
    }
}
