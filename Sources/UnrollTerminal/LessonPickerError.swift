/// Why a lesson chosen in the picker did not open.
enum LessonPickerError: Error, CustomStringConvertible {
    /// No built-in lesson has that name.
    case noSuchLesson(String)
    /// A training lesson, where the caller gave no way to open the training view.
    case trainingView(String)

    var description: String {
        switch self {
        case .noSuchLesson(let name): "no built-in lesson is named '\(name)'"
        case .trainingView(let name): "'\(name)' trains in a view of its own: q, then unroll lesson \(name)"
        }
    }
}
