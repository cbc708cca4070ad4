import Foundation
import Glibc
import Synchronization
import Testing
import TwloadSystem
import TwloadTestSupport

/// `OutputFile`: a record that does not fit is taken back whole, and a FIFO is opened without waiting.
struct OutputFileTests {
    /// A fresh directory for FIFOs.
    func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twload-output-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }

    /// The file's size and last byte.
    func sizeAndLastByte(_ fd: Int32) -> (size: Int, last: UInt8?) {
        var status = stat()
        fstat(fd, &status)
        var byte: UInt8 = 0
        let n = pread(fd, &byte, 1, status.st_size - 1)
        return (Int(status.st_size), n == 1 ? byte : nil)
    }

    /// A file that cannot grow past 4096 bytes takes 40 records of 100 bytes; the 41st crosses the page
    /// boundary, so the kernel takes its first 96 bytes and refuses the rest, as a full disk does. The file
    /// must end on the 40th record, not on 96 bytes of the 41st.
    @Test func aRecordThatDoesNotFitIsTakenBackSoTheFileEndsOnAWholeRecord() throws {
        let fd = try SealedMemoryFile.make(size: 4096)
        let file = OutputFile(adopting: fd)
        let record = String(repeating: "x", count: 99) + "\n"
        var written = 0
        var failure: SystemError?
        while failure == nil && written < 100 {
            do {
                try file.writeRecord(record)
                written += 1
            } catch {
                failure = error
            }
        }
        #expect(failure?.errno == Errno(rawValue: EPERM))
        #expect(written == 40)
        let (size, last) = sizeAndLastByte(fd)
        #expect(size == 4000)
        #expect(last == UInt8(ascii: "\n"))
        #expect(lseek(fd, 0, SEEK_CUR) == 4000, "the next record starts behind the last whole one")
    }

    /// A FIFO that no process reads fails at once with ENXIO instead of waiting for a reader. (A blocking
    /// open would wait: a helper thread then opens the FIFO for reading after 2 s, so that this test fails
    /// rather than hangs.)
    @Test func openingAFIFOThatNobodyReadsFailsAtOnceWithENXIO() throws {
        let path = try scratch() + "/fifo"
        #expect(mkfifo(path, 0o600) == 0)
        #expect(OutputFile.isFIFO(path))
        let finished = Atomic<Bool>(false)
        let rescuer = try OSThread(name: "fifo-rescuer") {
            for _ in 0..<200 where !finished.load(ordering: .acquiring) { usleep(10_000) }
            if !finished.load(ordering: .acquiring) { close(open(path, O_RDONLY | O_NONBLOCK)) }
        }
        let start = MonotonicClock.now()
        #expect(throws: SystemError(errno: .noSuchDeviceOrAddress, call: "open")) {
            _ = try OutputFile(creating: path)
        }
        #expect(MonotonicClock.now() - start < 500_000_000)
        finished.store(true, ordering: .releasing)
        rescuer.join()
    }

    /// With a reader there, the FIFO opens, and its writes block again (a slow reader slows twload down
    /// rather than failing a row with EAGAIN).
    @Test func aFIFOWithAReaderOpensForBlockingWrites() throws {
        let path = try scratch() + "/fifo"
        #expect(mkfifo(path, 0o600) == 0)
        let reader = open(path, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        let file = try OutputFile(creating: path)
        #expect(fcntl(file.fd, F_GETFL) & O_NONBLOCK == 0)
        try file.writeRecord("a,b\n")
        var buffer = [UInt8](repeating: 0, count: 16)
        let n = read(reader, &buffer, buffer.count)
        #expect(n == 4)
        #expect(Array(buffer.prefix(4)) == Array("a,b\n".utf8))
    }

    @Test func aRegularFileIsNotAFIFO() throws {
        let path = try scratch() + "/file"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        #expect(!OutputFile.isFIFO(path))
        #expect(!OutputFile.isFIFO(path + ".missing"))
    }
}
