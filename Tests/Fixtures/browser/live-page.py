#!/usr/bin/env python3
"""Loads fnhost serve's live page in headless Chromium over the DevTools protocol (--remote-debugging-pipe, standard
library only) and reports what a user would see, as one JSON object on stdout:

- ready: whether the page showed FUNCTION's worker counts and a trace waterfall before the deadline;
- dom: the rendered document (document.documentElement.outerHTML) at that moment;
- keyboard: from the top of the page, Tab until a trace row has the focus, ArrowDown to a trace other than the open
  one, Enter: which rows were focused and which trace the waterfall showed before and after;
- consoleErrors: console.error/assert calls, uncaught exceptions and error log entries while the page ran;
- screenshot: the PNG written to --screenshot (1366x768).

Chromium's own command-line --dump-dom and --screenshot capture the page at its load event, before a fetch or an
event stream has delivered anything, and --virtual-time-budget never ends while an event stream is open: hence the
protocol, with real time and a deadline.
"""
import argparse
import base64
import json
import os
import select
import subprocess
import sys
import time


class Browser:
    def __init__(self, chromium, profile):
        # fd 3: what Chromium reads (our commands); fd 4: what it writes (answers and events).
        self.to_chrome_r, self.to_chrome_w = os.pipe()
        self.from_chrome_r, self.from_chrome_w = os.pipe()
        to_r, from_w = self.to_chrome_r, self.from_chrome_w

        def wire():
            os.dup2(to_r, 3)
            os.dup2(from_w, 4)

        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
             "--no-first-run", "--no-default-browser-check", "--user-data-dir=" + profile,
             "--window-size=1366,768", "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            preexec_fn=wire, pass_fds=(3, 4))
        os.close(self.to_chrome_r)
        os.close(self.from_chrome_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def send(self, method, params=None, timeout=30):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if self.session:
            message["sessionId"] = self.session
        os.write(self.to_chrome_w, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            for answer in self.read(deadline):
                if answer.get("id") == self.next_id:
                    if "error" in answer:
                        raise RuntimeError(f"{method}: {answer['error']}")
                    return answer.get("result", {})
                if "method" in answer:
                    self.events.append(answer)

    def read(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer in time")
            ready, _, _ = select.select([self.from_chrome_r], [], [], left)
            if ready:
                chunk = os.read(self.from_chrome_r, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the protocol pipe")
                self.buffer += chunk
        messages = []
        while b"\0" in self.buffer:
            raw, self.buffer = self.buffer.split(b"\0", 1)
            messages.append(json.loads(raw))
        return messages

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                 "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def key(self, key, code, keycode, text=None):
        for kind in ("keyDown", "keyUp"):
            params = {"type": kind, "key": key, "code": code, "windowsVirtualKeyCode": keycode,
                      "nativeVirtualKeyCode": keycode}
            if text and kind == "keyDown":
                params["text"] = text
            self.send("Input.dispatchKeyEvent", params)

    def close(self):
        try:
            self.session = None
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self.to_chrome_w, self.from_chrome_r):
            try:
                os.close(fd)
            except OSError:
                pass


STATE = """(() => {
  const f = %s;
  const counts = {};
  for (const s of ["starting", "busy", "idle", "waiting", "reaped"]) {
    const e = document.getElementById(`w-${f}-${s}`);
    counts[s] = e ? Number(e.getAttribute("data-count")) : null;
  }
  const wf = document.getElementById("waterfall");
  return JSON.stringify({counts, trace: wf && wf.getAttribute("data-trace-id"),
    bars: document.querySelectorAll("#waterfall .wf-bar").length,
    rows: document.querySelectorAll("#trace-rows tr").length,
    status: document.getElementById("status") && document.getElementById("status").getAttribute("data-state")});
})()"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--function", required=True, help="the function whose worker counts must show")
    parser.add_argument("--screenshot", required=True)
    parser.add_argument("--profile", required=True)
    parser.add_argument("--deadline", type=float, default=30)
    args = parser.parse_args()

    browser = Browser(args.chromium, args.profile)
    report = {"ready": False, "keyboard": None, "consoleErrors": []}
    try:
        targets = browser.send("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        browser.session = browser.send("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True})[
            "sessionId"]
        for domain in ("Runtime.enable", "Log.enable", "Page.enable"):
            browser.send(domain)
        browser.send("Emulation.setDeviceMetricsOverride",
                     {"width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": False})
        browser.send("Page.navigate", {"url": args.url})
        deadline = time.monotonic() + args.deadline
        state = None
        while time.monotonic() < deadline:
            state = json.loads(browser.evaluate(STATE % json.dumps(args.function)) or "{}")
            counts = state.get("counts", {})
            if all(v is not None for v in counts.values()) and sum(v for k, v in counts.items() if k != "reaped") > 0 \
                    and state.get("trace") and state.get("bars", 0) >= 2 and state.get("status") == "live":
                report["ready"] = True
                break
            time.sleep(0.25)
        report["state"] = state
        time.sleep(1.2)  # one more snapshot from the stream, so the screenshot shows the page live
        shot = browser.send("Page.captureScreenshot", {"format": "png"})
        with open(args.screenshot, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        report["screenshot"] = args.screenshot
        report["dom"] = browser.evaluate("document.documentElement.outerHTML")

        # The keyboard: Tab from the top of the page to the first trace row, down one row, Enter.
        browser.evaluate("document.activeElement && document.activeElement.blur(), window.scrollTo(0, 0), true")
        focused = None
        for _ in range(80):
            browser.key("Tab", "Tab", 9)
            focused = browser.evaluate(
                "document.activeElement && document.activeElement.closest('#trace-rows tr') ? "
                "document.activeElement.getAttribute('data-trace-id') : null")
            if focused:
                break
        keyboard = {"firstRowReachedByTab": focused}
        if focused:
            # Down to a row whose trace is not the one open (the newest opens by itself), so that Enter must change it.
            open_trace = browser.evaluate("document.getElementById('waterfall').getAttribute('data-trace-id')")
            keyboard["waterfallBeforeEnter"] = open_trace
            for _ in range(3):
                browser.key("ArrowDown", "ArrowDown", 40)
                keyboard["rowAfterArrowDown"] = browser.evaluate(
                    "document.activeElement.getAttribute('data-trace-id')")
                if keyboard["rowAfterArrowDown"] != open_trace:
                    break
            browser.key("Enter", "Enter", 13, "\r")
            time.sleep(0.2)
            keyboard["waterfallAfterEnter"] = browser.evaluate(
                "document.getElementById('waterfall').getAttribute('data-trace-id')")
            keyboard["focusVisible"] = browser.evaluate(
                "getComputedStyle(document.activeElement).outlineStyle !== 'none'")
        report["keyboard"] = keyboard
        browser.send("Runtime.evaluate", {"expression": "0"})  # collect the events still in the pipe
    except Exception as error:  # reported, so that the test shows it beside what did work
        report["failure"] = f"{type(error).__name__}: {error}"
    finally:
        browser.close()
    for event in browser.events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            report["consoleErrors"].append(details.get("exception", {}).get("description") or details.get("text"))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            report["consoleErrors"].append(" ".join(str(a.get("value", a.get("description"))) for a in
                                                    params.get("args", [])))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            report["consoleErrors"].append(f"{entry.get('text')} ({entry.get('url', '')})")
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
