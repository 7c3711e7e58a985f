import UnrollLessons

extension Session {
    /// A key while the lesson picker is open: ↑ ↓ (k j) choose, ← → a topic, Home End the first or last lesson,
    /// Page Up / Down (p n) ten rows, Enter opens, Esc or `o` closes, `q` quits; every other key does nothing.
    mutating func pick(_ action: Action) {
        guard var p = picker else { return }
        switch action {
        case .selectUp: p.move(by: -1)
        case .selectDown: p.move(by: 1)
        case .stepForward: p.moveTopic(forward: true)
        case .stepBack: p.moveTopic(forward: false)
        case .first: p.move(by: -p.entries.count)
        case .last: p.move(by: p.entries.count)
        case .nextCaption: p.move(by: 10)
        case .previousCaption: p.move(by: -10)
        case .dismiss, .openLessons:
            picker = nil
            return
        case .quit:
            wantsQuit = true
            return
        case .confirm:
            guard let e = p.chosen else { return }
            if e.name == lesson.name && lesson == Lesson.builtin(named: e.name) {
                picker = nil
                notice = Notice.alreadyThisLesson(e.name)
            } else {
                wantsLesson = e.name
            }
            return
        default: break
        }
        picker = p
    }
}

extension Session {
    /// The lesson chosen in the picker could not open: this session goes on, its picker closed, saying `why`.
    public mutating func stayed(_ why: String) {
        wantsLesson = nil
        picker = nil
        notice = why
    }
}
