import UnrollUI

/// A trainer running off the UI thread, as the training view sees it.
public protocol TrainingDriver: AnyObject, Sendable {
    /// The latest state of training. Cheap: called once per frame.
    func snapshot() -> TrainingSnapshot
    /// What the user asks for next; the trainer reads it before every iteration.
    func apply(_ control: TrainingControl)
    /// Stops the trainer's threads and waits for them.
    func stop()
}

extension TerminalApp {
    /// Runs the training view on `driver` until the user quits; stops the trainer and restores the terminal on return.
    ///
    /// The loop draws the latest snapshot, then waits in `poll()` for a key or for the trainer's
    /// ``TerminalSession/requestRedraw()`` (at most about ten a second, and on every change of state),
    /// so a paused or finished view uses no CPU.
    /// - Throws: `TerminalError` when the terminal cannot be used.
    public static func runTraining(_ driver: any TrainingDriver, control: TrainingControl, colorMode: ColorMode? = nil,
                                   glyphs: GlyphSet? = nil, contrast: Theme.Contrast = .standard,
                                   record: ((Int, Int) throws -> AsciicastRecorder)? = nil) throws {
        defer { driver.stop() }
        let terminal = try TerminalSession(colorMode: colorMode, glyphs: glyphs, mouse: false)
        defer { terminal.end() }
        let recorder = try record?(terminal.width, terminal.height)
        defer { recorder?.finish() }
        var board = TrainingBoard(snapshot: driver.snapshot(), control: control)
        driver.apply(board.control)
        while !board.wantsQuit {
            board.update(driver.snapshot())
            let frame = TrainingScreen.render(board, theme: terminal.theme(contrast: contrast),
                                              width: terminal.width, height: terminal.height)
            terminal.draw(frame)
            recorder?.record(frame)
            guard let key = terminal.readKey(timeout: nil) else { continue }
            if let action = TrainingKeyMap.action(for: key) {
                board.handle(action)
                driver.apply(board.control)
            }
        }
    }
}
