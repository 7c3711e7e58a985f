import CNcursesw
import UnrollUI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension TerminalSession {
    /// Waits for the next input event.
    ///
    /// Blocks in `poll()` on stdin (no busy waiting: an idle UI uses no CPU)
    /// until a key, a mouse press or a signal arrives, or the timeout passes.
    /// Signals are reported first: a resize or a resume after Ctrl-Z as
    /// ``Key/resize`` (the screen has already been repainted from the last
    /// frame; draw again at the new size), Ctrl-C as ``Key/interrupt``.
    /// When stdin is closed (terminal hung up) it returns ``Key/interrupt``.
    ///
    /// - Parameter milliseconds: how long to wait; nil waits indefinitely, 0 polls.
    /// - Returns: the event, or nil when the timeout passed first or another thread called ``requestRedraw()``.
    public func readKey(timeout milliseconds: Int?) -> Key? {
        guard !ended else { return nil }
        let deadline = milliseconds.map { ContinuousClock.now.advanced(by: .milliseconds($0)) }
        while true {
            if let key = pendingSignalKey() { return key }
            if let key = readBufferedKey() { return key }
            if TerminalSignals.redrawPending.exchange(false, ordering: .acquiringAndReleasing) { return nil }
            var waitMilliseconds: Int32 = -1
            if let deadline {
                let ms = (ContinuousClock.now.duration(to: deadline) / .milliseconds(1)).rounded(.down)
                waitMilliseconds = Int32(clamping: max(0, Int(ms.isFinite ? ms : 0)))
            }
            var fds = [
                pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                pollfd(fd: TerminalSignals.wakeRead.load(ordering: .acquiring), events: Int16(POLLIN), revents: 0)
            ]
            let result = poll(&fds, nfds_t(fds.count), waitMilliseconds)
            if result < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if result == 0 { return nil }
            let hangUp = Int16(POLLHUP | POLLERR | POLLNVAL)
            if fds[0].revents & hangUp != 0 && fds[0].revents & Int16(POLLIN) == 0 { return .interrupt }
        }
    }

    /// Makes a `readKey` waiting on the UI thread return nil at once, so the loop redraws.
    /// Safe to call from any thread (a trainer publishing new figures).
    public static func requestRedraw() {
        TerminalSignals.redrawPending.store(true, ordering: .releasing)
        TerminalSignals.wake()
    }

    /// Turns flags set by signal handlers into keys, doing the curses work
    /// (resize, re-initialisation) that handlers cannot do.
    func pendingSignalKey() -> Key? {
        TerminalSignals.drainWakeupPipe()
        if TerminalSignals.resumePending.exchange(false, ordering: .acquiringAndReleasing) {
            resume()
            return .resize
        }
        if TerminalSignals.resizePending.exchange(false, ordering: .acquiringAndReleasing) {
            applyResize()
            return .resize
        }
        if TerminalSignals.interruptCount.exchange(0, ordering: .acquiringAndReleasing) > 0 {
            return .interrupt
        }
        return nil
    }

    /// Re-enters curses mode after a stop (Ctrl-Z then `fg`) and repaints.
    ///
    /// When our SIGTSTP handler reset the terminal behind ncurses' back,
    /// ncurses still believes it is in curses mode, so each piece is forced
    /// again: program termios, alternate screen, keypad, hidden cursor, mouse.
    /// (Calling `endwin` here would leave the alternate screen a second time
    /// and move the shell's cursor.) After a plain SIGSTOP/SIGCONT the
    /// terminal was never reset and a repaint is enough.
    func resume() {
        if TerminalSignals.suspendedByHandler.exchange(false, ordering: .acquiringAndReleasing) {
            let window = unroll_stdscr()
            reset_prog_mode()
            unroll_enter_ca_mode()
            keypad(window, false)
            keypad(window, true)
            curs_set(1)
            curs_set(0)
            if mouseEnabled { mousemask(0, nil) }
            configureModes()
            TerminalSignals.active.store(true, ordering: .releasing)
            if capturesStandardError { TerminalSignals.beginStderrCapture() }
        }
        updateSizeFromTerminal()
        clearok(unroll_curscr(), true)
        wrefresh(unroll_stdscr())
    }

    /// Resizes curses to the terminal's current size and schedules a full repaint.
    func applyResize() {
        updateSizeFromTerminal()
        invalidate()
    }

    func updateSizeFromTerminal() {
        var rows: Int32 = 0, columns: Int32 = 0
        if unroll_window_size(STDOUT_FILENO, &rows, &columns) == 0,
            rows != unroll_getmaxy(unroll_stdscr()) || columns != unroll_getmaxx(unroll_stdscr())
        {
            resize_term(rows, columns)
            previous = nil
        }
    }

    /// Reads one already-available event without blocking, or nil.
    func readBufferedKey() -> Key? {
        let window = unroll_stdscr()
        nodelay(window, true)
        while true {
            var character: wint_t = 0
            let status = wget_wch(window, &character)
            if status == unroll_err() { return nil }
            if status == unroll_key_code_yes() {
                if let key = mapKeyCode(Int32(bitPattern: character)) { return key }
                continue
            }
            if let scalar = Unicode.Scalar(UInt32(character)), let key = Key(scalar: scalar) {
                if key == .interrupt {
                    // A literal ETX (raw mode or paste): same meaning as SIGINT.
                    return .interrupt
                }
                return key
            }
        }
    }

    /// Maps an ncurses key code; nil for codes the UI ignores.
    func mapKeyCode(_ code: Int32) -> Key? {
        switch code {
        case unroll_key_up(): return .up
        case unroll_key_down(): return .down
        case unroll_key_left(): return .left
        case unroll_key_right(): return .right
        case unroll_key_home(): return .home
        case unroll_key_end(): return .end
        case unroll_key_ppage(): return .pageUp
        case unroll_key_npage(): return .pageDown
        case unroll_key_ic(): return .insert
        case unroll_key_dc(): return .delete
        case unroll_key_enter(): return .enter
        case unroll_key_backspace(): return .backspace
        case unroll_key_btab(): return .backTab
        case unroll_key_resize():
            applyResize()
            return .resize
        case unroll_key_mouse(): return readMouse()
        default:
            for n in 1...24 where code == unroll_key_f(Int32(n)) { return .function(n) }
            return nil
        }
    }

    /// The pending mouse event as a key, or nil for events the UI ignores (`MouseEvent.decode`).
    func readMouse() -> Key? {
        var event = MEVENT()
        guard getmouse(&event) == unroll_ok() else { return nil }
        return MouseEvent.decode(state: UInt64(event.bstate), x: Int(event.x), y: Int(event.y), masks: Self.mouseMasks)
            .map { .mouse($0) }
    }

    /// ncurses's button bits, as `MouseEvent.decode` reads them.
    static let mouseMasks = MouseMasks(
        left: UInt64(unroll_button1_pressed() | unroll_button1_clicked()),
        middle: UInt64(unroll_button2_pressed() | unroll_button2_clicked()),
        right: UInt64(unroll_button3_pressed() | unroll_button3_clicked()),
        wheelUp: UInt64(unroll_button4_pressed()), wheelDown: UInt64(unroll_button5_pressed()))
}
