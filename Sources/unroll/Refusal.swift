/// Bad input a command refuses (a file, a flag, a lesson that cannot run, a terminal that cannot be used): its
/// message goes to standard error and the process exits 2, in one place, `Unroll.main`.
///
/// Commands throw it instead of printing and exiting themselves, so every refusal leaves the same way (the
/// command's `defer`s, such as leaving a joined class, run before the message is printed).
struct Refusal: Error {
    /// The lines printed to standard error (without the final newline), or nil when the command has already
    /// printed them as it went (`unroll check` reports each bad file as it reads it).
    let message: String?

    /// A refusal that prints `message`.
    init(_ message: String) { self.message = message }

    private init(message: String?) { self.message = message }

    /// A refusal whose reasons were already printed.
    static let alreadyPrinted = Refusal(message: nil)
}
