import UnrollEngine
import UnrollTraining

extension Lesson {
    /// A trainer for a training lesson: its model (the named weights, or drawn from the seed),
    /// task and settings; nil for a lesson without `training`.
    /// - Precondition: `problems` is empty.
    public func trainer<T: EngineScalar>(as _: T.Type = T.self) -> Trainer<T>? {
        guard let training else { return nil }
        return Trainer(model: model(as: T.self), task: training.task, settings: training.settings, seed: training.seed)
    }
}
