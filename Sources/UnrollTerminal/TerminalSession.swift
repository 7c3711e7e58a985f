import CNcursesw
import Synchronization
import UnrollUI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Owns the terminal for the life of the interactive UI: locale, curses
/// initialisation, colours, diffed drawing of a ``Canvas``, input, resize,
/// suspend/resume, and restoring the terminal on every exit path.
///
/// Create one on the main thread, draw with ``draw(_:)``, read input with
/// ``readKey(timeout:)``, and call ``end()`` (also called by `deinit` and,
/// as a last resort, at process exit). Signals are handled as follows:
/// - SIGWINCH: ``readKey(timeout:)`` returns ``Key/resize`` at once.
/// - SIGINT (Ctrl-C): returns ``Key/interrupt``; a second Ctrl-C before the
///   first is read restores the terminal and ends the process.
/// - SIGTERM, SIGHUP, SIGQUIT: restore the terminal, then die by the signal.
/// - SIGTSTP (Ctrl-Z): restore the terminal, stop; after `fg` the screen is
///   re-initialised and repainted, and ``readKey(timeout:)`` returns ``Key/resize``.
/// - SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP (crashes and Swift
///   runtime traps): restore the terminal, replay captured stderr, print a
///   short crash report, then re-raise.
///
/// Not thread-safe: use from one thread (normally the main thread).
public final class TerminalSession {
    /// The colour mode chosen at start (see ``init(colorMode:glyphs:mouse:captureStandardError:)``).
    public let colorMode: ColorMode
    /// The glyph set chosen at start from the locale.
    public let glyphs: GlyphSet

    let screen: OpaquePointer
    var pairs: ColorPairCache
    var previous: Canvas?
    var ended = false
    let mouseEnabled: Bool
    let capturesStandardError: Bool

    /// True when `fd` refers to a terminal.
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// True when both stdin and stdout are terminals, so an interactive
    /// session can start. Check this before offering the interactive view.
    public static var isInteractive: Bool { isTerminal(STDIN_FILENO) && isTerminal(STDOUT_FILENO) }

    /// Takes over the terminal.
    ///
    /// Sets the locale from the environment, installs signal handlers, starts
    /// curses (cbreak, no echo, keypad, hidden cursor, mouse presses), and
    /// starts colour.
    ///
    /// - Parameters:
    ///   - colorMode: force a colour mode; nil detects it from `NO_COLOR` and
    ///     the terminal (a forced mode is never richer than the terminal).
    ///   - glyphs: force a glyph set; nil uses Unicode in a UTF-8 locale, else ASCII.
    ///   - mouse: report mouse presses as ``Key/mouse(_:)``.
    ///   - captureStandardError: while the session runs, send stderr to a
    ///     temporary file and replay it after the terminal is restored, so
    ///     stray messages neither corrupt the screen nor get lost.
    /// - Throws: ``TerminalError`` when stdin/stdout is not a terminal,
    ///   another session is active, `TERM` is unknown or cannot move the cursor (`dumb`),
    ///   or curses cannot start.
    public init(
        colorMode: ColorMode? = nil, glyphs: GlyphSet? = nil, mouse: Bool = true,
        captureStandardError: Bool = true
    ) throws {
        guard Self.isInteractive else { throw TerminalError.notATerminal }
        guard !TerminalSignals.active.load(ordering: .acquiring) else { throw TerminalError.alreadyActive }

        let term = getenv("TERM").map { String(cString: $0) }
        switch unroll_term_addressable() {
        case 0: throw TerminalError.cannotAddressCursor(term: term ?? "")
        case 1: break
        default: throw TerminalError.cannotInitialize(term: term)
        }

        setlocale(LC_ALL, "")
        let codeset = unroll_codeset().map { String(cString: $0) } ?? ""
        self.glyphs = glyphs ?? GlyphSet.detect(codeset: codeset)

        if tcgetattr(STDIN_FILENO, &TerminalSignals.shellModes) == 0 {
            TerminalSignals.haveShellModes.store(true, ordering: .releasing)
        }
        TerminalSignals.openWakeupPipe()
        TerminalSignals.install()
        Self.registerExitHook()

        guard let screen = unroll_newterm() else {
            TerminalSignals.uninstall()
            throw TerminalError.cannotInitialize(term: term)
        }
        self.screen = screen
        self.mouseEnabled = mouse
        self.capturesStandardError = captureStandardError
        TerminalSignals.active.store(true, ordering: .releasing)
        if captureStandardError { TerminalSignals.beginStderrCapture() }

        // Colour: COLORS is only known after start_color(), so start colour
        // unless it is refused (NO_COLOR or a forced monochrome mode), then
        // never promise more than the terminal has.
        let noColor = getenv("NO_COLOR").map { String(cString: $0) }
        let hasColors = has_colors()
        let refused = colorMode.map { $0 == .monochrome } ?? !(noColor ?? "").isEmpty
        var defaultColors = false
        if hasColors && !refused {
            start_color()
            defaultColors = use_default_colors() == unroll_ok()
        }
        let colorCount = hasColors && !refused ? Int(unroll_colors()) : 0
        let detected = ColorMode.detect(noColor: noColor, hasColors: hasColors, colorCount: colorCount)
        let available = ColorMode.detect(noColor: nil, hasColors: hasColors, colorCount: colorCount)
        self.colorMode = colorMode.map { Self.poorer($0, available) } ?? detected
        self.pairs = ColorPairCache(defaultColors: defaultColors)

        configureModes()
    }

    deinit { end() }

    /// Restores the terminal to the shell: ends curses, puts back the
    /// previous signal handlers, and replays captured stderr. Idempotent.
    public func end() {
        guard !ended else { return }
        ended = true
        endwin()
        TerminalSignals.active.store(false, ordering: .releasing)
        if TerminalSignals.haveShellModes.load(ordering: .acquiring) {
            tcsetattr(STDIN_FILENO, TCSADRAIN, &TerminalSignals.shellModes)
        }
        TerminalSignals.uninstall()
        TerminalSignals.endStderrCapture()
        delscreen(screen)
    }

    /// Current terminal width in columns.
    public var width: Int { Int(unroll_getmaxx(unroll_stdscr())) }
    /// Current terminal height in rows.
    public var height: Int { Int(unroll_getmaxy(unroll_stdscr())) }

    /// A blank canvas the size of the terminal.
    public func makeCanvas() -> Canvas { Canvas(width: width, height: height) }

    /// A theme for this terminal's colour mode and glyph set.
    public func theme(contrast: Theme.Contrast = .standard) -> Theme {
        Theme(colorMode: colorMode, glyphs: glyphs, contrast: contrast)
    }

    /// Forgets what is on screen so the next ``draw(_:)`` repaints everything.
    public func invalidate() {
        previous = nil
        clearok(unroll_curscr(), true)
    }

    // MARK: Internals

    /// Curses input and output modes; run at start and after a resume.
    func configureModes() {
        let window = unroll_stdscr()
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        curs_set(0)
        set_escdelay(25)
        if mouseEnabled {
            let mask =
                unroll_button1_pressed() | unroll_button2_pressed() | unroll_button3_pressed()
                | unroll_button4_pressed() | unroll_button5_pressed()
            mousemask(mmask_t(mask), nil)
            mouseinterval(0)
        }
    }

    /// The less capable of two colour modes.
    static func poorer(_ a: ColorMode, _ b: ColorMode) -> ColorMode {
        let rank: (ColorMode) -> Int = { $0 == .color256 ? 2 : $0 == .color8 ? 1 : 0 }
        return rank(a) <= rank(b) ? a : b
    }

    private static let exitHookRegistered = Atomic<Bool>(false)

    /// Restores the terminal if the process exits (e.g. `exit()` from an
    /// argument parser) while a session is active.
    private static func registerExitHook() {
        guard !exitHookRegistered.exchange(true, ordering: .acquiringAndReleasing) else { return }
        atexit { TerminalSignals.restoreTerminal() }
    }
}
