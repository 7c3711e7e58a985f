#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import UnrollUI

/// The interactive loop: draw the session, wait for a key (or the play timer), apply it, repeat.
///
/// Waiting blocks in `poll()`, so a paused session uses no CPU; while
/// playing, the wait times out once per step.
public enum TerminalApp {
    /// Runs `session` on the terminal until the user quits; the terminal is restored on return.
    /// - Throws: `TerminalError` when the terminal cannot be used.
    /// - Parameter record: a recorder that receives every frame drawn (`--record`).
    public static func run(_ session: Session, colorMode: ColorMode? = nil, glyphs: GlyphSet? = nil,
                           contrast: Theme.Contrast = .standard,
                           record: ((Int, Int) throws -> AsciicastRecorder)? = nil) throws {
        let terminal = try TerminalSession(colorMode: colorMode, glyphs: glyphs, mouse: true)
        defer { terminal.end() }
        let recorder = try record?(terminal.width, terminal.height)
        defer { recorder?.finish() }
        var session = session
        let crashAfterFirstFrame = getenv(debugCrashVariable).map { $0.pointee != 0 } ?? false
        while !session.wantsQuit {
            let theme = terminal.theme(contrast: contrast)
            let (w, h) = (terminal.width, terminal.height)
            let frame = Screen.render(session, theme: theme, width: w, height: h)
            terminal.draw(frame)
            recorder?.record(frame)
            if crashAfterFirstFrame {
                fatalError("\(debugCrashVariable) is set: a deliberate runtime trap after the first frame")
            }
            guard let key = terminal.readKey(timeout: session.playing ? session.tickInterval : nil) else {
                if session.playing { session.handle(.tick) }
                continue
            }
            if let action = action(for: key, session: session, width: w, height: h) { session.handle(action) }
        }
    }

    /// A hidden debugging hook: when this environment variable is set (to anything not empty),
    /// ``run(_:colorMode:glyphs:contrast:record:)`` traps right after drawing the first frame,
    /// so tests can check that a Swift runtime trap restores the terminal and prints a report.
    public static let debugCrashVariable = "UNROLL_DEBUG_CRASH"

    /// The action for a key or click at a given screen size.
    public static func action(for key: Key, session: Session, width: Int, height: Int) -> Action? {
        if case .mouse(let event) = key {
            guard event.button == .left, !session.rolled, width >= Screen.minimumWidth, height >= Screen.minimumHeight else { return nil }
            let layout = Screen.layout(width: width, height: height, session: session)
            guard let hit = GraphView.hit(session, layout.graph, x: event.x, y: event.y) else { return nil }
            return .select(layer: hit.layer, column: hit.column)
        }
        return KeyMap.action(for: key)
    }
}
