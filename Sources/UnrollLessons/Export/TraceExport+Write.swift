#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension TraceExport {
    /// Throws what writing `path` would throw before anything is written: a missing directory,
    /// a directory in the way, or an existing file without `force`. Lets a long job fail at its start.
    public static func checkWritable(_ path: String, force: Bool) throws(TraceExportError) {
        let directory = Self.directory(of: path)
        var info = stat()
        if stat(directory, &info) != 0 || (info.st_mode & S_IFMT) != S_IFDIR {
            throw .missingDirectory(path: path, directory: directory)
        }
        if stat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw .isDirectory(path: path) }
            if !force { throw .fileExists(path: path) }
        }
    }

    /// Writes `text` (UTF-8) to `path` atomically: into a temporary file in the same
    /// directory, flushed to disk, then renamed over `path`, so a reader never sees half a file.
    ///
    /// Without `force` an existing file is never replaced, even one created while
    /// writing (the temporary file is hard-linked into place, which fails if the name exists;
    /// where the file system has no hard links, it checks and renames). The temporary
    /// file is removed on every failure.
    /// - Parameters:
    ///   - text: the contents.
    ///   - path: the file, relative to the working directory or absolute.
    ///   - force: replace an existing file.
    /// - Throws: `TraceExportError` naming `path`: it exists (without `force`), its directory
    ///   is missing, it is a directory, or a system call failed.
    public static func write(_ text: String, to path: String, force: Bool) throws(TraceExportError) {
        try write(bytes: Array(text.utf8), to: path, force: force)
    }

    /// Writes `bytes` to `stem + suffix` or, when that file exists, to `stem-2 + suffix`, `stem-3 + suffix`, … up
    /// to `stem-99 + suffix`, never replacing a file (the `F` key's figures, a class's answers).
    /// - Returns: the stem written (`stem` or `stem-N`), or nil when all 99 names are taken.
    /// - Throws: `TraceExportError` as `write(bytes:to:force:)` does, for anything but an existing file.
    public static func writeNew(bytes: [UInt8], stem: String, suffix: String) throws(TraceExportError) -> String? {
        for n in 1...99 {
            let name = n == 1 ? stem : "\(stem)-\(n)"
            do {
                try write(bytes: bytes, to: name + suffix, force: false)
                return name
            } catch .fileExists {
                continue
            }
        }
        return nil
    }

    /// Writes `bytes` to `path` atomically, as `write(_:to:force:)` writes text.
    /// - Throws: `TraceExportError` as `write(_:to:force:)` does.
    public static func write(bytes: [UInt8], to path: String, force: Bool) throws(TraceExportError) {
        try checkWritable(path, force: force)

        let slash = path.lastIndex(of: "/")
        let prefix = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = prefix + ".\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw .io(path: path, operation: "creating \(temporary)", message: Self.errorMessage()) }

        var failure: TraceExportError?
        var bytes = bytes
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let n = systemWrite(fd, base + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = .io(path: path, operation: "writing \(temporary)", message: Self.errorMessage())
                    return
                }
                offset += n
            }
        }
        if failure == nil && fsync(fd) != 0 {
            failure = .io(path: path, operation: "flushing \(temporary)", message: Self.errorMessage())
        }
        if close(fd) != 0 && failure == nil {
            failure = .io(path: path, operation: "closing \(temporary)", message: Self.errorMessage())
        }
        if let failure {
            unlink(temporary)
            throw failure
        }

        if force {
            if rename(temporary, path) != 0 {
                let message = Self.errorMessage()
                unlink(temporary)
                throw .io(path: path, operation: "renaming \(temporary)", message: message)
            }
            return
        }
        if link(temporary, path) == 0 {
            unlink(temporary)
            return
        }
        let linkError = errno
        if linkError == EEXIST {
            unlink(temporary)
            throw .fileExists(path: path)
        }
        // No hard links here (some network and FUSE file systems): check, then rename.
        var info = stat()
        if stat(path, &info) == 0 {
            unlink(temporary)
            throw .fileExists(path: path)
        }
        if rename(temporary, path) != 0 {
            let message = Self.errorMessage()
            unlink(temporary)
            throw .io(path: path, operation: "renaming \(temporary)", message: message)
        }
    }

    /// The directory part of a path: `.` for a bare name, `/` for a file at the root.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let d = String(path[..<slash])
        return d.isEmpty ? "/" : d
    }

    /// POSIX `write`, which `TraceExport.write` hides inside this type.
    private static func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
            return Glibc.write(fd, bytes, count)
        #elseif canImport(Musl)
            return Musl.write(fd, bytes, count)
        #else
            return Darwin.write(fd, bytes, count)
        #endif
    }

    /// `strerror(errno)`.
    private static func errorMessage() -> String {
        let code = errno
        guard let s = strerror(code) else { return "error \(code)" }
        return String(cString: s)
    }
}
