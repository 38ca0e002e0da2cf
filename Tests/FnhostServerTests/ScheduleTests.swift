import FnhostServer
import FnhostTemplate
import FnhostWire
import Foundation
import TestSupport
import Testing

extension ServeSuite {
    /// A template's Schedule events fire in `fnhost serve` on the time-scaled clock, as EventBridge's scheduled
    /// events sent asynchronously, and count in `/metrics`.
    @Suite("Schedules", .serialized)
    struct Schedules {
        static let template = """
            AWSTemplateFormatVersion: '2010-09-09'
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Ticker:
                Type: AWS::Serverless::Function
                Properties:
                  FunctionName: ticker
                  Runtime: provided.al2023
                  Handler: bootstrap
                  CodeUri: functions/ticker
                  Environment:
                    Variables:
                      RECORD_DIR: '@RECORD@'
                  Events:
                    EveryMinute:
                      Type: Schedule
                      Properties:
                        Schedule: rate(1 minute)
                    Hourly:
                      Type: Schedule
                      Properties:
                        Schedule: cron(0 * * * ? *)
                        Input: '{"report": "hourly"}'
                    Disabled:
                      Type: Schedule
                      Properties:
                        Schedule: rate(1 minute)
                        Enabled: false
            """

        /// Writes every event it gets to RECORD_DIR, one file per request.
        static let bootstrap = """
            #!/bin/sh
            . "$(dirname "$0")/../_lib/runtime.sh"
            while :; do
                next
                printf '%s' "$EVENT" > "$RECORD_DIR/$REQUEST_ID.part" && mv "$RECORD_DIR/$REQUEST_ID.part" "$RECORD_DIR/$REQUEST_ID.json"
                respond '{}'
            done
            """

        @Test func scheduleEventsFireOnTheScaledClockWithEventBridgesScheduledEvent() async throws {
            try await withTemporaryDirectory("schedules") { folder in
                _ = try Fixtures.install(["echo"], into: folder)
                let code = folder + "/functions/ticker"
                let record = folder + "/record"
                try FileManager.default.createDirectory(atPath: code, withIntermediateDirectories: true)
                try FileManager.default.createDirectory(atPath: record, withIntermediateDirectories: true)
                try Self.bootstrap.write(toFile: code + "/bootstrap", atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: code + "/bootstrap")
                let template = folder + "/template.yaml"
                try Self.template.replacingOccurrences(of: "@RECORD@", with: record).write(
                    toFile: template, atomically: true, encoding: .utf8)
                // A simulated minute every 0.6 s (and an hour every 36 s).
                try await withServer(ServeOptions(template: template, timeScale: "0.01")) { server in
                    let events = { () -> [[String: Any]] in
                        let files = (try? FileManager.default.contentsOfDirectory(atPath: record)) ?? []
                        return files.filter { $0.hasSuffix(".json") }.compactMap {
                            try? jsonObject(Array(Data(contentsOf: URL(fileURLWithPath: record + "/" + $0))))
                        }
                    }
                    // The hourly cron (with its Input) may fire too, when the top of a simulated hour comes by.
                    let fired = await eventually(within: .seconds(20)) {
                        events().filter { $0["detail-type"] as? String == "Scheduled Event" }.count >= 3
                    }
                    #expect(fired, "3 firings of rate(1 minute) at time scale 0.01 within 20 s: \(events().count)")
                    let all = events()
                    let scheduled = all.filter { $0["detail-type"] as? String == "Scheduled Event" }
                    #expect(scheduled.count >= 3)
                    for other in all where other["detail-type"] == nil {
                        #expect(other["report"] as? String == "hourly", "only the hourly rule's Input: \(other)")
                    }
                    for event in scheduled {
                        #expect(event["source"] as? String == "aws.events")
                        #expect(event["account"] as? String == "000000000000")
                        #expect(event["region"] as? String == "us-east-1")
                        #expect(
                            event["resources"] as? [String] == [
                                "arn:aws:events:us-east-1:000000000000:rule/TickerEveryMinute"
                            ])
                        #expect((event["detail"] as? [String: Any])?.isEmpty == true)
                    }
                    let times = Set(scheduled.compactMap { $0["time"] as? String }).sorted()
                    #expect(times.count == scheduled.count, "each firing has its own time: \(times)")
                    let seconds = times.compactMap(Self.epochSeconds)
                    for (a, b) in zip(seconds, seconds.dropFirst()) { #expect(b - a == 60, "\(times)") }
                    let metrics = try await server.metrics()
                    let accepted = metrics.value(
                        "fnhost_scheduled_events_total",
                        ["function": "ticker", "rule": "TickerEveryMinute", "outcome": "accepted"])
                    #expect((accepted ?? 0) >= 3, "\(String(describing: accepted))")
                    #expect(
                        metrics.value("fnhost_scheduled_events_total", ["rule": "TickerDisabled"]) == nil,
                        "a disabled schedule never fires")
                    #expect(server.capture.output.contains("schedule     rate(1 minute)  →  ticker"))
                }
            }
        }

        /// `2026-11-30T20:05:00Z` as epoch seconds.
        static func epochSeconds(_ text: String) -> Int64? {
            guard text.count == 20, let day = CalendarDate(iso: text.prefix(10)) else { return nil }
            let parts = text.dropFirst(11).prefix(8).split(separator: ":").compactMap { Int64($0) }
            guard parts.count == 3 else { return nil }
            return Int64(day.daysSinceEpoch) * 86_400 + parts[0] * 3_600 + parts[1] * 60 + parts[2]
        }

        @Test func theClockFiresARateEveryPeriodAndACronOnItsMinutesScaled() throws {
            // 2026-11-30T20:00:30Z, at a time scale of 0.01.
            let clock = ScheduleClock(origin: 1_796_068_830, factor: 0.01)
            let rate = ScheduledRule(function: "f", name: "r", expression: try ScheduleExpression("rate(5 minutes)"))
            #expect(clock.firings(of: rate, withinRealSeconds: 9.1) == [1_796_069_130, 1_796_069_430, 1_796_069_730])
            let cron = ScheduledRule(
                function: "f", name: "c", expression: try ScheduleExpression("cron(0/15 * * * ? *)"))
            // The next quarter hours: 20:15 (8.7 s real) and 20:30 (17.7 s).
            #expect(clock.firings(of: cron, withinRealSeconds: 18) == [1_796_069_700, 1_796_070_600])
            #expect(abs(clock.realSeconds(until: 1_796_069_700) - 8.7) < 1e-9)
        }

        @Test func theScheduledEventIsEventBridgesShapeUnlessTheRuleHasInput() throws {
            let rule = ScheduledRule(
                function: "f", name: "FEvery", expression: try ScheduleExpression("rate(1 minute)"))
            let event = try JSONValue.parse(rule.event(at: 1_796_068_800, id: "abc", region: "eu-west-1"))
            #expect(
                event
                    == .object([
                        "version": .string("0"), "id": .string("abc"), "detail-type": .string("Scheduled Event"),
                        "source": .string("aws.events"), "account": .string("000000000000"),
                        "time": .string("2026-11-30T20:00:00Z"), "region": .string("eu-west-1"),
                        "resources": .array([.string("arn:aws:events:eu-west-1:000000000000:rule/FEvery")]),
                        "detail": .object([:]),
                    ]))
            var withInput = rule
            withInput.input = #"{"report":"hourly"}"#
            #expect(withInput.event(at: 0, id: "x", region: "us-east-1") == #"{"report":"hourly"}"#)
        }
    }
}
