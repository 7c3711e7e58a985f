/// Everything a teacher or student can do in the training view.
public enum TrainingAction: Hashable, Sendable {
    /// Pause or resume training.
    case togglePause
    /// Run one iteration (pauses first).
    case stepOnce
    /// The next learning rate up the 1-2-5 ladder.
    case learningRateUp
    /// The next learning rate down the 1-2-5 ladder.
    case learningRateDown
    /// The next clipping setting: off, global norm 10, 1, 0.1, value 0.1.
    case cycleClipping
    /// Show the other model's example and gradients.
    case nextRun
    /// Inspect the example's next step.
    case exampleRight
    /// Inspect the example's previous step.
    case exampleLeft
    /// Start again from fresh weights.
    case restart
    /// Fewer iterations a second (a speed limit), down to 1.
    case slower
    /// More iterations a second, up to no limit.
    case faster
    /// The next sample temperature up the ladder (``TrainingBoard/temperatures``).
    case temperatureUp
    /// The next sample temperature down the ladder, to 0 (the most likely character).
    case temperatureDown
    /// Start typing the prime the samples start from.
    case editPrime
    /// Start typing the text the step-through of the current weights reads (the prime offered); Enter opens it.
    case openStepThrough
    /// While typing the prime: add a character (refused when the text has no such character).
    case primeCharacter(Character)
    /// While typing the prime: erase its last character.
    case primeBackspace
    /// While typing the prime: keep it; the next samples start from it (after `o`: open the step-through on it).
    case primeAccept
    /// While typing the prime: leave the prime as it was.
    case primeCancel
    /// The help overlay.
    case toggleHelp
    /// Close the help overlay.
    case dismiss
    /// Leave the training view.
    case quit
}
