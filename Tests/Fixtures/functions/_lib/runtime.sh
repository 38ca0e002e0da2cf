# The classic custom-runtime loop's pieces, shared by every fixture bootstrap (the host's tests and fnhost serve's):
# POSIX sh and curl only, and no temporary files. A bootstrap sources this file, then loops on `next` and answers
# with `respond` or `fail`. This folder has no function.json, so fnhost does not take it for a function.

RUNTIME="http://${AWS_LAMBDA_RUNTIME_API:?not started as a Lambda worker}/2018-06-01/runtime"
# A fixture that crashes on purpose must not leave a core file in its folder.
ulimit -c 0 2>/dev/null

# Waits for the next event and sets REQUEST_ID and EVENT. When the host is gone, or stops this worker (410), the
# worker exits: a runtime must never outlive its Runtime API.
next() {
    _response=$(curl -sSf -D - "$RUNTIME/invocation/next") || exit 0
    REQUEST_ID=$(printf '%s\n' "$_response" | tr -d '\r' | tr 'A-Z' 'a-z' \
        | sed -n 's/^lambda-runtime-aws-request-id: *//p' | head -n 1)
    EVENT=$(printf '%s\n' "$_response" | tr -d '\r' | sed '1,/^$/d')
}

# respond BODY: the answer to the current event.
respond() {
    curl -sSf -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary "$1" \
        "$RUNTIME/invocation/$REQUEST_ID/response" || exit 0
}

# fail TYPE MESSAGE: a function error for the current event.
fail() {
    curl -sSf -o /dev/null -X POST -H "Lambda-Runtime-Function-Error-Type: $1" \
        --data-binary "{\"errorMessage\":\"$2\",\"errorType\":\"$1\"}" \
        "$RUNTIME/invocation/$REQUEST_ID/error" || exit 0
}

# http_status METHOD PATH [BODY]: sends a request to the Runtime API and prints only the HTTP status it got.
http_status() {
    curl -s -o /dev/null -w '%{http_code}' -X "$1" --data-binary "${3:-}" "$RUNTIME$2"
}

# has TEXT: whether the event, spaces aside, contains TEXT (the fixtures' events are tiny and written by the tests).
has() {
    case $(printf '%s' "$EVENT" | tr -d ' ') in *"$1"*) return 0 ;; esac
    return 1
}

# number KEY: the number the event gives for "KEY", spaces allowed around the colon (empty when it gives none).
number() {
    printf '%s' "$EVENT" | sed -n "s/.*\"$1\" *: *\([0-9.]*\).*/\1/p"
}

# record NAME PID: when FIXTURE_STATE_DIR is set, writes PID to NAME.pid there, atomically (the tests poll for it).
record() {
    [ -n "${FIXTURE_STATE_DIR:-}" ] || return 0
    printf '%s\n' "$2" > "$FIXTURE_STATE_DIR/$1.pid.part" && mv "$FIXTURE_STATE_DIR/$1.pid.part" "$FIXTURE_STATE_DIR/$1.pid"
}
