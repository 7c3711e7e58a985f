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
                for effect in board.handle(.action(action)) {
                    switch effect {
                    case .control(let control): worker.apply(control)
                    case .stepThrough(let run, let text):
                        let said = try stepThrough(worker, run: run, text: text, board: board, front: front)
                        _ = board.handle(.steppedThrough(notice: said))
                    }
                }
            }
        }
    }

    /// How long `o` waits for the trainer to finish the iteration under way before it gives up.
    static let stepThroughWait: Duration = .seconds(30)

    /// The training view's `o`: pauses `worker`, takes run `run`'s weights once it has stopped between two
    /// iterations (the example it published then was computed with them), and runs the step-through of those weights
    /// reading `text` on `front` until its `q`; then hands `worker` the board's control again, so training goes on
    /// running or stays paused as it was.
    /// - Returns: the notice the training view shows on return (or why the step-through could not open).
    static func stepThrough(
        _ worker: TrainingWorker, run: Int, text: String, board: TrainingBoard, front: FrontEnd
    ) throws -> String {
        var paused = board.control
        paused.paused = true
        worker.apply(paused)
        defer { worker.apply(board.control) }
        let back = board.control.paused ? "back to training, paused" : "back to training, running"
        guard let settled = worker.settled(before: .now + stepThroughWait), settled.runs.indices.contains(run),
            let example = settled.runs[run].example, settled.runs[run].exampleIteration == settled.runs[run].points.count
        else {
            return "the step-through cannot open: the trainer has no weights to show yet"
        }
        let session: Session
        do {
            let lesson = try example.stepThrough(reading: text, iteration: settled.runs[run].exampleIteration)
            let problems = lesson.problems
            guard problems.isEmpty else {
                return "the step-through cannot open: " + problems.joined(separator: "; ")
            }
            session = try Session(lesson: lesson, asksQuestions: false)
        } catch {
            return "the step-through cannot open: \(error)"
        }
        var opened = session
        // Its lesson is these weights: the picker would leave them, so `o` says so; `q` comes back here.
        opened.opensLessons = false
        opened.lessonsClosedNotice = "the lesson picker is closed here: q returns to training, whose q quits"
        opened.quitsTo = "training"
        opened.say("the weights of iteration \(settled.runs[run].exampleIteration) reading your text; q returns to training")
        let lab = LabWorker(wake: TerminalSession.requestRedraw, hold: debugHold())
        defer { lab.stop() }
        try loop(opened, workers: [lab], display: DisplaySettings(), front: front)
        return back
    }
}
