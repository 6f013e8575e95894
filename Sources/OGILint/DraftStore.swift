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
/// cost their reader threads' heaps more than their size), then in an anonymous
/// temporary file (unlinked at once) up to `fileLimit` bytes, so memory stays flat whatever the batch size. A
/// draft that fits in neither, or that the file could not take, is not kept: its input is read again from its
/// file, as it would be without the store. Each draft is taken once (and once more for each `addUse`), and freed
/// at its last use.
final class DraftStore: @unchecked Sendable {
    let memoryLimit: Int
    let fileLimit: Int
    private let lock = NSLock()
    private var inMemory: [Int: [UInt8]] = [:]
    private var memoryBytes = 0
    private var onDisk: [Int: (offset: Int, count: Int)] = [:]
    /// Uses a draft has beyond its first (as last year's report of other inputs).
    private var extraUses: [Int: Int] = [:]
    private var fileBytes = 0
    private var fd: Int32 = -1
    /// True once the temporary file could not be made or written: nothing more is put there.
    private var fileFailed = false

    init(memoryLimit: Int = 2 << 20, fileLimit: Int = 1 << 30) {
        self.memoryLimit = memoryLimit
        self.fileLimit = fileLimit
    }

    deinit { if fd >= 0 { close(fd) } }

    /// How many drafts are kept, and how many of those are in the temporary file.
    var counts: (kept: Int, inFile: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (inMemory.count + onDisk.count, onDisk.count)
    }

    /// Keeps the encoded draft of input `index`, or does not when it fits nowhere.
    func put(_ bytes: [UInt8], at index: Int) {
        lock.lock()
        defer { lock.unlock() }
        if memoryBytes + bytes.count <= memoryLimit {
            inMemory[index] = bytes
            memoryBytes += bytes.count
            return
        }
        guard !fileFailed, fileBytes + bytes.count <= fileLimit, openFile() else { return }
        if writeAll(bytes, at: fileBytes) {
            onDisk[index] = (fileBytes, bytes.count)
            fileBytes += bytes.count
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
            return bytes.withUnsafeBytes { LinedDraft(encoded: $0) }
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
        return bytes.withUnsafeBytes { LinedDraft(encoded: $0) }
    }

    /// Opens the temporary file on first need (unlinked at once, so nothing is left behind); false when it cannot be.
    private func openFile() -> Bool {
        if fd >= 0 { return true }
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("ogilint-drafts-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard made >= 0 else {
            fileFailed = true
            return false
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        fd = made
        return true
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
