import Foundation
import UnrollUI

/// Records frames as an asciicast v2 file (https://docs.asciinema.org/manual/asciicast/v2/), which
/// `asciinema play` replays: a JSON header line, then one `[seconds, "o", data]` line per frame.
///
/// Frames are written as they are drawn, each a full repaint from `Canvas.ansi()`, so a recording
/// cut short still plays up to its last frame.
public final class AsciicastRecorder {
    private let handle: FileHandle
    private let start: ContinuousClock.Instant
    private var last: Canvas?

    /// Creates `path` (which must not exist unless `force`) and writes the header.
    /// - Throws: an error naming the path when it exists or cannot be written.
    public init(path: String, width: Int, height: Int, title: String, force: Bool) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: path) && !force {
            throw RecordingError(message: "\(path): already exists; use --force to overwrite it")
        }
        guard fm.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw RecordingError(message: "\(path): cannot create the recording")
        }
        handle = h
        start = ContinuousClock.now
        let header: [String: Any] = [
            "version": 2, "width": width, "height": height,
            "timestamp": Int(Date().timeIntervalSince1970), "title": title,
            "env": ["TERM": "xterm-256color"]
        ]
        let data = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        handle.write(data + Data("\n".utf8))
    }

    /// Appends a frame, unless it is identical to the previous one.
    public func record(_ canvas: Canvas) {
        guard canvas != last else { return }
        let clear = last.map { $0.width != canvas.width || $0.height != canvas.height } ?? true
        last = canvas
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        let text = (clear ? "\u{1B}[2J" : "") + canvas.ansi()
        guard let event = try? JSONSerialization.data(withJSONObject: [seconds, "o", text], options: []) else { return }
        handle.write(event + Data("\n".utf8))
    }

    /// Closes the file.
    public func finish() {
        try? handle.close()
    }
}

/// Why a recording could not start.
public struct RecordingError: Error, CustomStringConvertible {
    /// What went wrong, naming the path.
    public var message: String
    /// The message.
    public var description: String { message }
}
