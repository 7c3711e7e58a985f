import UnrollLessons
import UnrollUI

extension TerminalApp {
    /// Runs the training view on `worker` until the user quits: starts the worker, and on return stops it
    /// (waiting for its thread) and restores the terminal.
    ///
    /// The board is a reducer (``TrainingBoard/handle(_:)-(Event)``): the loop feeds it the worker's snapshots and
    /// the keys' actions and hands the control it returns to the worker.
    /// The loop draws the latest snapshot, then waits in `poll()` for a key or for the worker's
    /// `onChange`, which must be ``TerminalSession/requestRedraw()`` (at most about ten a second,
    /// and on every change of state), so a paused or finished view uses no CPU.
    /// - Throws: `TerminalError` when the terminal cannot be used.
    public static func runTraining(_ worker: TrainingWorker, display: DisplaySettings = DisplaySettings()) throws {
        let front = try FrontEnd(display, mouse: false)
        defer { front.end() }
        try runTraining(worker, front: front)
    }

    /// The training view's loop on a terminal already open (the picker's lesson: ``run(_:versus:display:opening:)``),
    /// left open on return; the worker is stopped on return.
    static func runTraining(_ worker: TrainingWorker, front: FrontEnd) throws {
        defer { worker.stop() }
        let terminal = front.terminal
        worker.start()
        var board = TrainingBoard(snapshot: worker.snapshot(), control: worker.control)
        while !board.wantsQuit {
            _ = board.handle(.snapshot(worker.snapshot()))
            front.show(
                TrainingScreen.render(board, theme: front.theme, width: terminal.width, height: terminal.height))
            guard let key = terminal.readKey(timeout: nil) else { continue }
            if let action = TrainingKeyMap.action(for: key, typingPrime: board.primeDraft != nil) {
                for case .control(let control) in board.handle(.action(action)) { worker.apply(control) }
            }
        }
    }
}
