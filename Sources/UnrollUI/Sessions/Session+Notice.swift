import UnrollLessons

extension Session {
    /// The status line's words for what a key did (the session decides when; the words live here).
    enum Notice {
        /// A question held the timeline twice: the answer, revealed; over another model than the lesson's own,
        /// the answer of the lesson's own model, said to be so.
        static func revealed(_ q: Question, holds: Bool) -> String {
            holds
                ? "the answer: \(q.answer + 1)) \(q.choices[q.answer]); → goes on"
                : "for the lesson's own model (0) the answer is \(q.answer + 1)) \(q.choices[q.answer]); → goes on"
        }
        /// A question held the timeline: answer first.
        static func answerFirst(_ q: Question) -> String {
            "answer with 1–\(q.choices.count) (or press space/→ again to reveal without answering)"
        }
        /// Play stopped at a caption.
        static let pausedAtNarration = "paused at the narration: space plays on"
        /// The play speed changed.
        static func speed(_ text: String) -> String { "speed \(text)" }
        /// No caption later (or earlier) than the position, or no narration at all.
        static func noCaption(later: Bool, narration: Bool) -> String {
            guard narration else { return "this lesson has no narration" }
            return later ? "no later caption: this is the last" : "no earlier caption: this is the first"
        }
        /// The equations' unit changed.
        static func unit(_ u: Int, of size: Int) -> String { "equations: unit \(u + 1) of \(size)" }
        /// Enter in the lesson picker on the lesson on screen.
        static func alreadyThisLesson(_ name: String) -> String { "'\(name)' is the lesson on screen" }
        /// `o` side by side or in a class, where the lesson is fixed.
        static let lessonFixed = "the lesson picker (o) opens one lesson on its own: not side by side or in a class"
        /// `0` on the lesson's own model.
        static let alreadyOwnModel = "already the lesson's own model"
        /// Presenter mode on or off.
        static func presenter(_ on: Bool) -> String {
            on ? "presenter mode: I inspector, E equations, P leaves" : "presenter mode off"
        }
        /// `I` or `E` outside presenter mode.
        static let presenterPanelsNeedP = "I and E choose the panels of presenter mode: press P first"
        /// A presenter panel shown or hidden.
        static func panel(_ name: String, shown: Bool) -> String { "\(name) \(shown ? "shown" : "hidden")" }
        /// `1`–`4` with no question here.
        static let noQuestionHere = "1–4 answer a question of the narration: there is none at this step"
        /// `1`–`4` at a question answered already.
        static let alreadyAnswered = "already answered: → goes on"
        /// A choice the question does not have.
        static func choices(_ q: Question) -> String {
            "this question has \(q.choices.count) choices: answer with 1–\(q.choices.count)"
        }
        /// The answer given, right or not; over another model than the lesson's own, neither: the key was written
        /// for the lesson's own model.
        static func answered(_ choice: Int, _ q: Question, holds: Bool) -> String {
            guard holds else {
                return "answer \(choice + 1) noted; the key is for the lesson's own model (press 0); → goes on"
            }
            return choice == q.answer
                ? "right: \(choice + 1)) \(q.choices[choice]); → goes on"
                : "not quite: the answer is \(q.answer + 1)) \(q.choices[q.answer]); → goes on"
        }
        /// `f` outside a class.
        static let followOutsideClass = "f follows the presenter of a class: only after unroll join CODE"
        /// `S` or `d` outside a presenter's class.
        static let seatsOutsideClass = "S lists the seats of a class, d drops one: only in unroll present"
        /// `R` outside a presenter's class.
        static let resultsOutsideClass = "R saves answers: presenter only"
        /// `w` on a lesson without trained weights.
        static func noTrainedWeights(seed: UInt64) -> String {
            "no trained weights in this lesson: its model is the initial one (seed \(seed))"
        }
        /// `i` on a lesson without held-out inputs.
        static let noHeldOutInput = "no held-out input in this lesson (input.held_out in its scenario)"

        /// The input `i` went to, its words quoted (cut to a status line's width).
        static func input(_ lab: Lab) -> String {
            let k = lab.settings.input, n = lab.lesson.heldOut.count + 1
            guard k > 0 else { return "input 1 of \(n): the lesson's own sentence; i: the held-out ones" }
            return "input \(k + 1) of \(n), never trained on: \(sentence(lab.current))"
        }

        /// What the caption area says on a held-out input between its captions.
        static func heldOutSummary(_ lab: Lab) -> String {
            let k = lab.settings.input
            return "Held-out input \(k + 1) of \(lab.lesson.heldOut.count + 1): \(sentence(lab.current)). "
                + "The model was never trained on it; i: the next input."
        }

        /// A lesson's sentence in quotes, cut to 60 characters.
        private static func sentence(_ l: Lesson) -> String {
            "'" + Format.fitted(l.tokens.joined(separator: " "), width: 60) + "'"
        }
    }
}
