import UnrollEngine

/// The live settings a key changes on top of a lesson: what makes "the model as it is now".
public struct LabSettings: Sendable, Equatable {
    /// The recurrent cell.
    public var cell: CellKind
    /// Skip connection length k, or nil.
    public var skip: Int?
    /// Fixes the initial weights.
    public var seed: UInt64
    /// The factor W_hh is multiplied by, relative to its initialisation.
    public var recurrentScale: Double
    /// Whether gradient clipping at global norm 1 is on, beyond the lesson's own clipping.
    public var clipping: Bool
    /// Whether the same model with skip connections toggled is computed too, for the gradient panel.
    public var comparesSkip: Bool
    /// Which loss the gradient panel shows the gradient of.
    public var gradient: GradientMode
    /// Whether the lesson's trained `weights` are set aside for the initial weights training started from (its
    /// seed and scheme): the `w` key.
    public var untrained = false
    /// The input read: 0, the lesson's own sentence; k, its held-out input k (``Lesson/input(_:)``): the `i` key.
    public var input = 0

    /// A lesson's own settings: its cell, skip, seed and comparison choice, W_hh as drawn, no extra clipping.
    public init(lesson: Lesson) {
        cell = lesson.cell
        skip = lesson.skip
        seed = lesson.seed
        recurrentScale = 1
        clipping = false
        comparesSkip = lesson.display.comparesSkip
        gradient = lesson.display.gradient
    }
}
