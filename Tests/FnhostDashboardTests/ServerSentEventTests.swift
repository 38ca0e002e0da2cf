import FnhostDashboard
import Testing

@Suite("Server-sent events")
struct ServerSentEventTests {
    @Test("An event is its fields, one data line per line of data, and a blank line")
    func framing() {
        let e = ServerSentEvent(id: "7", event: "snapshot", data: "{\"a\":1}", retryMilliseconds: 2000)
        #expect(e.encoded == "retry: 2000\nid: 7\nevent: snapshot\ndata: {\"a\":1}\n\n")
    }

    @Test("Line breaks of every kind in the data become separate data lines, so no line ends the event early")
    func multilineData() {
        let e = ServerSentEvent(data: "one\ntwo\r\nthree\rfour\n")
        #expect(e.encoded == "data: one\ndata: two\ndata: three\ndata: four\ndata: \n\n")
    }

    @Test("A line break in the id or the event name is cut off rather than injected as a field")
    func fieldsStayOnOneLine() {
        let e = ServerSentEvent(id: "1\ndata: evil", event: "x\r\nretry: 1", data: "")
        #expect(e.encoded == "id: 1\nevent: x\ndata: \n\n")
    }
}
