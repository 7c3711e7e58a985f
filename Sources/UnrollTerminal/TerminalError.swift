/// Why a terminal session could not start.
public enum TerminalError: Error, Equatable, CustomStringConvertible {
    /// stdin or stdout is not a terminal (piped, redirected, or run by a script).
    case notATerminal
    /// Another ``TerminalSession`` already owns the terminal.
    case alreadyActive
    /// ncurses could not initialise the terminal, usually because `TERM` is
    /// unset or unknown; carries the value of `TERM`.
    case cannotInitialize(term: String?)

    /// A message suitable for the user.
    public var description: String {
        switch self {
        case .notATerminal:
            return "the interactive view needs a terminal on stdin and stdout; use a headless command instead"
        case .alreadyActive:
            return "a terminal session is already active"
        case .cannotInitialize(let term):
            return "cannot initialise the terminal (TERM=\(term ?? "unset")); try TERM=xterm-256color"
        }
    }
}
