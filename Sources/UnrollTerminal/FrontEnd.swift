import UnrollUI

/// What every loop draws to: the terminal, and the recording of every frame it shows (`--record`).
///
/// The step-through's loop (``TerminalApp/loop(_:workers:link:display:)``) and the training view's
/// (``TerminalApp/runTraining(_:display:)``) open one each; ``show(_:)`` is the one place a frame reaches the screen
/// and the recording.
final class FrontEnd {
    let terminal: TerminalSession
    private let recorder: AsciicastRecorder?
    private let contrast: Theme.Contrast

    /// Opens the terminal (with mouse reporting when `mouse`) and starts the recording `display` asks for.
    /// - Throws: `TerminalError` when the terminal cannot be used, `RecordingError` when the recording cannot start
    ///   (the terminal is restored first).
    init(_ display: DisplaySettings, mouse: Bool) throws {
        terminal = try TerminalSession(colorMode: display.colorMode, glyphs: display.glyphs, mouse: mouse)
        do {
            recorder = try display.record?(terminal.width, terminal.height)
        } catch {
            terminal.end()
            throw error
        }
        contrast = display.contrast
    }

    /// The theme for the terminal's colours at the chosen contrast.
    var theme: Theme { terminal.theme(contrast: contrast) }

    /// Draws `frame` and appends it to the recording.
    func show(_ frame: Canvas) {
        terminal.draw(frame)
        recorder?.record(frame)
    }

    /// Finishes the recording, then restores the terminal.
    func end() {
        recorder?.finish()
        terminal.end()
    }
}
