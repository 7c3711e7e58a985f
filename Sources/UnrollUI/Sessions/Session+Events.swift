import Foundation
import UnrollEngine
import UnrollLessons

extension Session {
    /// What comes into a session (the Elm / bubbletea shape): the event loop turns keys, clicks, the play timer,
    /// the workers' results and a class's messages into events, and carries out the ``Effect``s they return.
    public enum Event: Sendable {
        /// A key's or click's action.
        case action(Action)
        /// A lab worker's outcome; `model` is 0, or 1 for the second model side by side (``PairSession``).
        case labResult(LabWorker.Outcome, model: Int = 0)
        /// The presenter's newest state, decoded and validated (``ClassState/decode(_:for:limit:)``), on a follower.
        case classState(ClassState)
        /// The room's counts, once per turn of a presenter's loop.
        case roomCounts(PresenterSession.Counts)
        /// The play timer: one step on (``Action/tick``).
        case playTick
        /// The change being computed has taken the event loop's notice delay (50 ms): the status line says so.
        case computingDue
        /// The terminal's new size (no session keeps it: each frame is laid out at the size it is drawn at).
        case resize(width: Int, height: Int)
        /// What the loop did for an effect, for the status line (``Effect/saveFigure(name:title:)``: where it wrote).
        case notice(String)
    }

    /// What a session asks the event loop to do; the loop owns every worker, socket and file and feeds the results
    /// back as ``Event``s.
    public enum Effect: Sendable, Equatable {
        /// Compute this lab (off the UI thread) and send back its outcome as ``Event/labResult(_:model:)``.
        case compute(LabJob)
        /// Open a question in the room: its caption index and number of choices.
        case openQuestion(id: Int, choices: Int)
        /// Close the room's open question.
        case closeQuestion
        /// Publish these bytes (an encoded ``ClassState``) to the room's followers.
        case publish(Data)
        /// Send this answer to the presenter's room.
        case answer(question: Int, choice: Int)
        /// Drop the follower of this seat from the presenter's room (`ClassRoom.drop(seat:)`).
        case dropSeat(id: Int)
        /// Write every question's answers so far to the class's results file; the loop says where with
        /// ``Event/notice(_:)``.
        case writeResults
        /// Write the frame on screen as a figure, `name.svg` and `name.txt` in the current folder (another name
        /// when one is taken), with `title`; the loop says where with ``Event/notice(_:)``.
        case saveFigure(name: String, title: String)
    }

    /// A lab to compute: the work behind ``Effect/compute(_:)``.
    public struct LabJob: Sendable, Equatable {
        /// The model to compute.
        public var lab: Lab
        /// The results on screen when it was asked for, whose spectra it may reuse.
        public var previous: LabResults?
        /// The session's number for this change; its outcome must carry it back.
        public var generation: Int
        /// Which model of a pair: 0, or 1 for the second.
        public var model: Int

        /// A job: `lab`, reusing what it can of `previous`, numbered `generation`, for model `model`.
        public init(lab: Lab, previous: LabResults?, generation: Int, model: Int = 0) {
            self.lab = lab
            self.previous = previous
            self.generation = generation
            self.model = model
        }

        /// Jobs are the same when they ask for the same lab under the same number for the same model.
        public static func == (a: LabJob, b: LabJob) -> Bool {
            a.generation == b.generation && a.model == b.model && a.lab == b.lab
        }
    }
}

/// A reducer over ``Session/Event``s: ``Session``, ``PairSession``, ``PresenterSession`` and ``FollowerSession``.
public protocol EventHandling {
    /// Applies an event and returns what the event loop must do.
    mutating func handle(_ event: Session.Event) -> [Session.Effect]
}

extension EventHandling {
    /// Applies `event` headlessly (tests, renders, benchmarks): every ``Session/Effect/compute(_:)`` it leads to is
    /// computed at once on the caller's thread and fed back; the other effects are returned.
    /// - Complexity: one `Lab.compute` per model change.
    @discardableResult
    public mutating func handleAtOnce(_ event: Session.Event) -> [Session.Effect] {
        var queue = handle(event)
        var rest: [Session.Effect] = []
        while !queue.isEmpty {
            let effect = queue.removeFirst()
            guard case .compute(let job) = effect else {
                rest.append(effect)
                continue
            }
            let result = Result { try job.lab.compute(reusing: job.previous) }
                .mapError { $0 as? EngineError ?? EngineError(problems: ["\($0)"]) }
            queue += handle(.labResult(LabWorker.Outcome(generation: job.generation, result: result), model: job.model))
        }
        return rest
    }
}

extension Session {
    /// What a class shares of the screen besides the model: the position, the selection and the view toggles.
    /// The session keeps them in this one value; ``ClassState`` carries it as it is (its fields are the class
    /// protocol's names), so nothing is copied field by field between the two.
    public struct View: Codable, Sendable, Equatable {
        /// The timeline position (``Session/position``).
        public var position = 0
        /// The selected layer (``Session/selectedLayer``).
        public var layer = 0
        /// The column chosen by click (``Session/selectedColumn``).
        public var column: Int?
        /// The unit chosen for the equations (``Session/selectedUnit``).
        public var unit: Int?
        /// Whether the rolled view is shown.
        public var rolled = false
        /// Presenter mode.
        public var presenting = false
        /// Presenter mode's inspector.
        public var presenterInspector = false
        /// Presenter mode's equations.
        public var presenterEquations = false

        /// The view of a session just opened: position 0, the first layer, nothing chosen, every toggle off.
        public init() {}
    }
}
