import FnhostStore

/// The durable store (issue 14): messages per second sent (one committed INSERT each) and received + deleted
/// (ReceiveMessage's UPDATE … RETURNING for 10 at a time, then one committed DELETE each, or one DELETE for the
/// 10 as DeleteMessageBatch does), in both durability
/// modes, each beside SQLite's C API making the same commits in the same run (`StoreFloor`). The goal, at least
/// 2,000 messages per second each way, is held in the default mode (`normal`: safe against SIGKILL); `full` (an
/// fsync per commit, safe against power loss) is reported for the record.
extension Runner {
    func store() async throws {
        let section = "durable store (SQLite, WAL, one commit per message)"
        let bodyBytes = 256
        for durability in StoreDurability.allCases {
            let count = quick ? 100 : (durability == .normal ? 20_000 : 1_000)
            let folder = scratch + "/store-\(durability.rawValue)"
            try makeDirectory(folder)
            progress.begin("store (\(durability.rawValue)): C API floor, \(count) inserts and deletes")
            let floor = try StoreFloor.measure(
                path: folder + "/floor.sqlite", count: count, bodyBytes: bodyBytes, durability: durability)

            progress.begin("store (\(durability.rawValue)): \(count) sends, then receive 10 + delete each")
            let store = try await Store.open(stateDirectory: folder, durability: durability)
            let body = [UInt8](repeating: 0x61, count: bodyBytes)
            var started = Monotonic.now()
            for i in 0..<count {
                try await store.sendMessage(
                    StoredMessage(queue: "bench", messageID: "m\(i)", body: body, sentAt: 0, visibleAt: 0))
            }
            let sendRate = Double(count) / (Monotonic.microseconds(since: started) / 1e6)
            started = Monotonic.now()
            var received = 0
            while true {
                let batch = try await store.receiveMessages(queue: "bench", limit: 10, visibilityMs: 30_000, now: 1)
                if batch.isEmpty { break }
                for message in batch { try await store.deleteMessage(queue: "bench", receipt: message.receipt ?? "") }
                received += batch.count
            }
            let receiveRate = Double(received) / (Monotonic.microseconds(since: started) / 1e6)
            // The same again, each batch deleted as DeleteMessageBatch (and a poller) does: one commit per batch.
            for i in 0..<count {
                try await store.sendMessage(
                    StoredMessage(queue: "bench-batch", messageID: "m\(i)", body: body, sentAt: 0, visibleAt: 0))
            }
            started = Monotonic.now()
            var batchReceived = 0
            while true {
                let batch = try await store.receiveMessages(
                    queue: "bench-batch", limit: 10, visibilityMs: 30_000, now: 1)
                if batch.isEmpty { break }
                let deleted = try await store.deleteMessages(
                    queue: "bench-batch", receipts: batch.compactMap(\.receipt))
                batchReceived += deleted.count
            }
            let batchRate = Double(batchReceived) / (Monotonic.microseconds(since: started) / 1e6)
            await store.close()
            if received != count || batchReceived != count {
                problem("store (\(durability.rawValue)): sent \(count) twice, deleted \(received) and \(batchReceived)")
            }

            let mode = durability.rawValue
            let goal: Goal? = durability == .normal ? .atLeast(2000) : nil
            let insertFloor = Figure(
                id: "store.floor.insert.\(mode)", section: section, label: "C API: committed INSERT (\(mode))",
                unit: "msg/s", value: floor.insertsPerSecond, count: count)
            let deleteFloor = Figure(
                id: "store.floor.delete.\(mode)", section: section, label: "C API: committed DELETE (\(mode))",
                unit: "msg/s", value: floor.deletesPerSecond, count: count)
            report.add(insertFloor)
            report.add(deleteFloor)
            report.add(
                Figure(
                    id: "store.send.\(mode)", section: section, label: "store: send (\(mode))", unit: "msg/s",
                    value: sendRate, count: count
                ).against(insertFloor, goal: goal))
            report.add(
                Figure(
                    id: "store.receive-delete.\(mode)", section: section,
                    label: "store: receive 10 + delete each (\(mode))", unit: "msg/s", value: receiveRate,
                    count: received
                ).against(deleteFloor, goal: goal))
            report.add(
                Figure(
                    id: "store.receive-delete-batch.\(mode)", section: section,
                    label: "store: receive 10 + batch delete (\(mode))", unit: "msg/s", value: batchRate,
                    count: batchReceived
                ).against(deleteFloor))
        }
    }
}
