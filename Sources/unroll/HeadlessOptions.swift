import ArgumentParser

/// What a headless command says of the flags of ``HeadlessOptions``: which files `--force` overwrites and
/// what `--seed` seeds differ from command to command.
protocol HeadlessHelp {
    /// The help of `--force`.
    static var forceHelp: String { get }
    /// The help of `--seed`.
    static var seedHelp: String { get }
}

/// `--force`, `--seed` and `--memory-limit`: the flags of the headless commands that run a lesson and write files
/// (`trace`, `train`), with each command's own help (`Help`).
struct HeadlessOptions<Help: HeadlessHelp>: ParsableArguments {
    @Flag(help: ArgumentHelp(Help.forceHelp))
    var force = false

    @Option(help: ArgumentHelp(Help.seedHelp))
    var seed: UInt64?

    @OptionGroup var limits: LimitOptions

    func validate() throws {
        try Unroll.validate(seed: seed)
    }
}
