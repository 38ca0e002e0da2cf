import ArgumentParser
import FnhostWire
import Foundation
import WorkerCache

/// `fnhost request-log`: what the `request-log` function has recorded, from its file in the state folder or from
/// its Redis stream.
struct RequestLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request-log",
        abstract: "List the eligibility requests the request-log function recorded, with their offsets.",
        discussion: """
            Without --redis it reads STATE/request-log.jsonl (one JSON object per line: requestId, orgId, memberId, \
            date, atMs; the offset is the line's byte offset) and says how many lines are unreadable and whether the \
            last one was cut short by a writer that was killed. With --redis it reads the stream \
            fnhost:request-log:requests (XRANGE). Exit 3 when there is no log to read.
            """)

    @OptionGroup var state: StateDirectoryOption
    @Option(help: ArgumentHelp("Read the Redis stream instead: redis://HOST:PORT[/DB].", valueName: "url"))
    var redis: String?
    @Flag(help: "Print only the counts.") var count = false
    @Flag(help: "One JSON object per entry (with its offset) instead of columns.") var json = false

    func run() throws {
        if let redis {
            try readStream(redis)
            return
        }
        let folder = state.directory
        let path = folder + "/request-log.jsonl"
        guard let data = FileManager.default.contents(atPath: path) else {
            printError("fnhost: no request log at \(path) (has request-log run with this state folder?)")
            throw Exit.configurationError
        }
        let contents = RequestLogRecord.readFile(Array(data))
        if !count {
            for entry in contents.entries { show(offset: String(entry.offset), entry.record) }
        }
        let torn = contents.truncatedTail ? ", last line cut short" : ""
        printError(
            "fnhost: \(contents.entries.count) entries, \(contents.unreadable.count) unreadable lines\(torn) in \(path)"
        )
        if count { print(contents.entries.count) }
    }

    private func readStream(_ text: String) throws {
        let url: RedisURL
        do { url = try RedisURL(text) } catch { throw ValidationError("\(error)") }
        let tier = RedisTier(url: url, keyPrefix: "request-log", timeoutMs: 2_000)
        let entries: [(id: String, fields: [(String, String)])]
        do { entries = try tier.streamEntries("requests") } catch {
            printError("fnhost: cannot read \(tier.keyPrefix)requests at \(text): \(error)")
            throw Exit.configurationError
        }
        var readable = 0
        for entry in entries {
            let f = Dictionary(entry.fields, uniquingKeysWith: { first, _ in first })
            guard let id = f[RequestLogRecord.Field.requestID], let org = f[RequestLogRecord.Field.orgID],
                let member = f[RequestLogRecord.Field.memberID], let date = f[RequestLogRecord.Field.date],
                let at = f[RequestLogRecord.Field.atMs].flatMap({ Int64($0) })
            else { continue }
            readable += 1
            if !count {
                show(
                    offset: entry.id,
                    RequestLogRecord(requestID: id, orgID: org, memberID: member, date: date, atMs: at))
            }
        }
        printError("fnhost: \(readable) entries (\(entries.count - readable) unreadable) in \(tier.keyPrefix)requests")
        if count { print(readable) }
    }

    private func show(offset: String, _ r: RequestLogRecord) {
        if json {
            print(
                "{\"offset\":\(JSONText.quote(offset)),\(String(decoding: r.line.dropFirst().dropLast(), as: UTF8.self))"
            )
        } else {
            print("\(offset)\t\(r.requestID)\t\(r.orgID)\t\(r.memberID)\t\(r.date)")
        }
    }
}
