import Foundation
import OGIReaders

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The drafts a batch's pairing pass made (`Linter.readPairing`), kept until each input is checked, so a DOCX,
/// HTML page or PDF is parsed once, not once to pair it and again to check it.
///
/// Drafts are kept encoded (`LinedDraft.encoded()`): in memory up to `memoryLimit` bytes (a few MB: held drafts
/// cost their reader threads' heaps more than their size), then in an anonymous temporary file in `directory`
/// (unlinked at once, closed on exec so no pdftotext inherits it) up to `fileLimit` bytes. The file takes at most
/// a quarter of the file system's free space and half the process's file-size limit, and 64 MB on a tmpfs (which
/// is memory), so memory stays flat whatever the batch size and the outputs keep their room. A draft that fits in
/// neither, or that the file could not take, is not kept: its input is read again from its file, as it would be
/// without the store. Each draft is taken once (and once more for each `addUse`); it is dropped from memory at its
/// last use (the file only grows until the run ends).
///
/// The store also keeps the decoded texts of plain-text inputs (`putText`), so a text is read from its file and
/// decoded once: copied one after another into one buffer of `textMemory` bytes at most, made on the first text
/// kept and freed by `releaseTexts` at the end of a run. A text longer than the room left is not kept (its input
/// is read from its file again, which costs no more than a copy kept in a file would); a later, shorter one may
/// still be. A kept text stays until the end: it may be read again as last year's report of another input.
final class DraftStore: @unchecked Sendable {
    /// How much a store keeps, in bytes of encoded drafts, and in bytes of decoded texts.
    struct Limits: Sendable {
        var memory = 2 << 20
        var textMemory = 4 << 20
        var file = 1 << 30
        /// The folder of the temporary file; nil: `NSTemporaryDirectory()` (`$TMPDIR`, else /tmp).
        var directory: String?
    }

    /// What a store did over its life (for tests and measurements).
    struct Counts: Equatable {
        /// Drafts held now, and of those in the file.
        var kept = 0
        var inFile = 0
        /// Drafts ever written to the file, and takes that returned a draft.
        var written = 0
        var taken = 0
    }

    let limits: Limits
    private let lock = NSLock()
    private var inMemory: [Int: [UInt8]] = [:]
    private var memoryBytes = 0
    private var onDisk: [Int: (offset: Int, count: Int)] = [:]
    /// Uses a draft has beyond its first (as last year's report of other inputs).
    private var extraUses: [Int: Int] = [:]
    private var fileBytes = 0
    /// The file's limit once it is open: `limits.file` capped by the file system and the process.
    private var fileCap = 0
    private var fd: Int32 = -1
    /// True once the temporary file could not be made or written: nothing more is put there.
    private var fileFailed = false
    private var written = 0
    private var taken = 0
    /// The kept texts' UTF-8 bytes, one after another (`textBytes` of them written), and where each input's is.
    private var texts: UnsafeMutableRawBufferPointer?
    private var textBytes = 0
    private var textSpans: [Int: (offset: Int, count: Int)] = [:]
    private var textsReleased = false
    /// Texts ever kept, and texts handed out by `text(_:)` (for tests and measurements; `releaseTexts` keeps them).
    private var textsKept = 0
    private var textsRead = 0

    init(_ limits: Limits = Limits()) {
        self.limits = limits
    }

    deinit {
        if fd >= 0 { close(fd) }
        texts?.deallocate()
    }

    /// The bytes of text `putText` can still keep (none once the texts are released): a worker leaves a longer text
    /// out of its result, since kept bytes only grow and such a text could not be kept.
    var textRoom: Int {
        lock.lock()
        defer { lock.unlock() }
        return textsReleased ? 0 : limits.textMemory - textBytes
    }

    /// Keeps the decoded text of input `index` (valid UTF-8, as every `String`'s bytes are), or does not when the
    /// text buffer has no room left for it or the texts were released.
    func putText(_ text: String, at index: Int) {
        var text = text
        text.withUTF8 { bytes in
            lock.lock()
            defer { lock.unlock() }
            guard !textsReleased, !bytes.isEmpty, bytes.count <= limits.textMemory - textBytes else { return }
            if texts == nil { texts = .allocate(byteCount: limits.textMemory, alignment: 1) }
            if let base = texts!.baseAddress, let from = bytes.baseAddress {
                (base + textBytes).copyMemory(from: from, byteCount: bytes.count)
            }
            textSpans[index] = (textBytes, bytes.count)
            textBytes += bytes.count
            textsKept += 1
        }
    }

    /// The decoded text kept for input `index`, or nil when none was kept (or the texts were released).
    func text(_ index: Int) -> String? {
        lock.lock()
        let span = textSpans[index]
        let base = texts.flatMap { UnsafeRawPointer($0.baseAddress) }
        if span != nil { textsRead += 1 }
        lock.unlock()
        // A text's bytes are written once, before its span is recorded under the lock, and not changed until
        // `releaseTexts`, which a run calls once no worker reads them.
        guard let span, let base else { return nil }
        return String(
            knownValidUTF8: UnsafeBufferPointer(start: (base + span.offset).assumingMemoryBound(to: UInt8.self), count: span.count))
    }

    /// Frees the text buffer at the end of a run: no text is kept or handed out after it; the counts stay.
    func releaseTexts() {
        lock.lock()
        defer { lock.unlock() }
        texts?.deallocate()
        texts = nil
        textSpans = [:]
        textsReleased = true
    }

    /// How many texts were kept, their bytes, and how many times one was handed out (for tests and measurements).
    var keptTexts: (count: Int, bytes: Int, read: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (textsKept, textBytes, textsRead)
    }

    var counts: Counts {
        lock.lock()
        defer { lock.unlock() }
        return Counts(kept: inMemory.count + onDisk.count, inFile: onDisk.count, written: written, taken: taken)
    }

    /// Keeps the encoded draft of input `index`, or does not when it fits nowhere.
    func put(_ bytes: [UInt8], at index: Int) {
        lock.lock()
        defer { lock.unlock() }
        if memoryBytes + bytes.count <= limits.memory {
            inMemory[index] = bytes
            memoryBytes += bytes.count
            return
        }
        guard !fileFailed, fileBytes + bytes.count <= limits.file, openFile(), fileBytes + bytes.count <= fileCap else { return }
        if writeAll(bytes, at: fileBytes) {
            onDisk[index] = (fileBytes, bytes.count)
            fileBytes += bytes.count
            written += 1
        } else {
            fileFailed = true
        }
    }

    /// Keeps the draft of input `index` for one more `take` (it is also last year's report of another input).
    func addUse(_ index: Int) {
        lock.lock()
        extraUses[index, default: 0] += 1
        lock.unlock()
    }

    /// The draft of input `index`, removed from the store at its last use; nil when none was kept (or it cannot be
    /// read back).
    func take(_ index: Int) -> LinedDraft? {
        lock.lock()
        let last = (extraUses[index] ?? 0) == 0
        if !last { extraUses[index]! -= 1 }
        if let bytes = last ? inMemory.removeValue(forKey: index) : inMemory[index] {
            if last { memoryBytes -= bytes.count }
            lock.unlock()
            return counted(bytes.withUnsafeBytes { LinedDraft(encoded: $0) })
        }
        let place = last ? onDisk.removeValue(forKey: index) : onDisk[index]
        let file = fd
        lock.unlock()
        guard let place, file >= 0 else { return nil }
        // pread takes its own offset, so workers read the file at once without a shared position.
        let bytes = [UInt8](unsafeUninitializedCapacity: place.count) { buffer, initialized in
            var done = 0
            while done < place.count {
                let n = pread(file, buffer.baseAddress! + done, place.count - done, off_t(place.offset + done))
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                done += n
            }
            initialized = done
        }
        guard bytes.count == place.count else { return nil }
        return counted(bytes.withUnsafeBytes { LinedDraft(encoded: $0) })
    }

    private func counted(_ draft: LinedDraft?) -> LinedDraft? {
        guard let draft else { return nil }
        lock.lock()
        taken += 1
        lock.unlock()
        return draft
    }

    /// Opens the temporary file on first need, and sets how much it may take; false when it cannot be opened.
    private func openFile() -> Bool {
        if fd >= 0 { return true }
        let dir = limits.directory ?? NSTemporaryDirectory()
        let path = (dir as NSString).appendingPathComponent("ogilint-drafts-\(UUID().uuidString)")
        // O_CLOEXEC in the open itself: workers may be starting pdftotext at this moment.
        let made = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard made >= 0 else {
            fileFailed = true
            return false
        }
        unlink(path)
        fd = made
        var cap = limits.file
        var space = statvfs()
        if fstatvfs(made, &space) == 0 {
            cap = min(cap, Int(clamping: UInt64(space.f_bavail) &* UInt64(space.f_frsize)) / 4)
        }
        if let rlimit = Self.fileSizeLimit() { cap = min(cap, rlimit / 2) }
        if Self.isMemoryFileSystem(dir) { cap = min(cap, 64 << 20) }
        fileCap = cap
        return true
    }

    /// The process's file-size limit in bytes (`ulimit -f`): a write past it would end the process with SIGXFSZ.
    static func fileSizeLimit() -> Int? {
        var limit = rlimit()
        #if os(Linux)
            guard getrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit) == 0 else { return nil }
        #else
            guard getrlimit(RLIMIT_FSIZE, &limit) == 0 else { return nil }
        #endif
        return limit.rlim_cur == rlim_t.max ? nil : Int(clamping: limit.rlim_cur)
    }

    /// True when `dir` lies on a tmpfs (its files are memory), from the longest mount point above it in
    /// /proc/self/mounts (Linux; elsewhere false).
    static func isMemoryFileSystem(_ dir: String) -> Bool {
        guard let mounts = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8) else { return false }
        let target = ((dir as NSString).resolvingSymlinksInPath as NSString).standardizingPath
        var best: (length: Int, type: Substring)?
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            // Mount points escape spaces as \040.
            let point = fields[1].replacingOccurrences(of: "\\040", with: " ")
            let covers = point == "/" || target == point || target.hasPrefix(point + "/")
            if covers, point.count > (best?.length ?? -1) { best = (point.count, fields[2]) }
        }
        return best?.type == "tmpfs"
    }

    private func writeAll(_ bytes: [UInt8], at offset: Int) -> Bool {
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = pwrite(fd, raw.baseAddress! + done, raw.count - done, off_t(offset + done))
                if n < 0, errno == EINTR { continue }
                if n <= 0 { return false }
                done += n
            }
            return true
        }
    }
}
