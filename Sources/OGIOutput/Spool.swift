import Foundation

/// Text a format must write after something it only knows at the end (a header with totals): kept in
/// memory up to a limit, then in an anonymous temporary file (unlinked at once, so nothing is left behind),
/// so memory stays flat whatever the batch size.
final class Spool {
    private var buffer = ""
    private var file: FileHandle?
    private let limit: Int

    init(limit: Int = 1 << 20) { self.limit = limit }

    deinit { try? file?.close() }

    func write(_ text: String) throws {
        buffer += text
        if buffer.utf8.count >= limit { try spill() }
    }

    private func spill() throws {
        if file == nil {
            // Closed on exec in the open itself, so no pdftotext started meanwhile inherits it.
            let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("ogilint-spool-\(UUID().uuidString)")
            let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw OutputError.spool(reason: String(cString: strerror(errno))) }
            unlink(path)
            file = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        }
        do { try file!.write(contentsOf: Data(buffer.utf8)) } catch { throw OutputError.spool(reason: "\(error)") }
        buffer = ""
    }

    /// Calls `body` with every line spooled, in order (the text written must be whole lines, each ending in
    /// "\n"; the line is passed without it), and empties the spool.
    func forEachLine(_ body: (Substring) throws -> Void) throws {
        var pending = Data()
        try drain { chunk in
            pending.append(chunk)
            // Lines split at "\n" bytes only, so a chunk boundary inside a character never splits it.
            guard let lastNewline = pending.lastIndex(of: 0x0A) else { return }
            let whole = String(decoding: pending[pending.startIndex...lastNewline], as: UTF8.self)
            for line in whole.split(separator: "\n", omittingEmptySubsequences: false).dropLast() { try body(line) }
            pending = Data(pending[(lastNewline + 1)...])
        }
    }

    /// Writes everything spooled to `out`, in order, and empties the spool.
    func copy(to out: OutputSink) throws {
        try drain { try out.write($0) }
    }

    /// Passes the spooled text to `body` in order (the temporary file's bytes in chunks of up to 1 MB, then
    /// what is still in memory) and empties the spool.
    private func drain(_ body: (Data) throws -> Void) throws {
        if let file {
            do {
                try file.seek(toOffset: 0)
                while let chunk = try file.read(upToCount: 1 << 20), !chunk.isEmpty { try body(chunk) }
            } catch let e as OutputError { throw e } catch { throw OutputError.spool(reason: "\(error)") }
            try? file.close()
            self.file = nil
        }
        try body(Data(buffer.utf8))
        buffer = ""
    }
}
