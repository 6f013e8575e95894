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
            var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("ogilint-spool-XXXXXX").utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard fd >= 0 else { throw OutputError.spool(reason: String(cString: strerror(errno))) }
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
            file = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        }
        do { try file!.write(contentsOf: Data(buffer.utf8)) } catch { throw OutputError.spool(reason: "\(error)") }
        buffer = ""
    }

    /// Writes everything spooled to `out`, in order, and empties the spool.
    func copy(to out: OutputSink) throws {
        if let file {
            do {
                try file.seek(toOffset: 0)
                while let chunk = try file.read(upToCount: 1 << 20), !chunk.isEmpty {
                    try out.write(chunk)
                }
            } catch let e as OutputError { throw e } catch { throw OutputError.spool(reason: "\(error)") }
            try? file.close()
            self.file = nil
        }
        try out.write(buffer)
        buffer = ""
    }
}
