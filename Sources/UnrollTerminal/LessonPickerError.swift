/// Why a lesson chosen in the picker did not open.
enum LessonPickerError: Error, CustomStringConvertible {
    /// No built-in lesson has that name.
    case noSuchLesson(String)

    var description: String {
        switch self {
        case .noSuchLesson(let name): "no built-in lesson is named '\(name)'"
        }
    }
}
