# The custom-runtime loop's pieces shared by the fixture bootstraps: POSIX sh and curl only, no temporary files.
# A bootstrap sources this file, then loops on `next` and answers with `respond` or `fail`. This folder has no
# function.json, so fnhost does not take it for a function.

RUNTIME="http://${AWS_LAMBDA_RUNTIME_API:?not started as a Lambda worker}/2018-06-01/runtime"

# Waits for the next event; sets REQUEST_ID and EVENT. When the Runtime API is gone (the host stopped or is
# stopping this worker), the worker exits: a runtime never outlives its host.
next() {
    _response=$(curl -sS --fail -D - "$RUNTIME/invocation/next") || exit 0
    REQUEST_ID=$(printf '%s\n' "$_response" | tr -d '\r' | tr 'A-Z' 'a-z' \
        | sed -n 's/^lambda-runtime-aws-request-id: *//p' | head -n 1)
    EVENT=$(printf '%s\n' "$_response" | tr -d '\r' | sed '1,/^$/d')
}

# respond BODY: the answer to the current event.
respond() {
    curl -sS --fail -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary "$1" \
        "$RUNTIME/invocation/$REQUEST_ID/response" || exit 0
}

# fail TYPE MESSAGE: a function error for the current event.
fail() {
    curl -sS --fail -o /dev/null -X POST -H "Lambda-Runtime-Function-Error-Type: $1" \
        --data-binary "{\"errorMessage\":\"$2\",\"errorType\":\"$1\"}" \
        "$RUNTIME/invocation/$REQUEST_ID/error" || exit 0
}

# number KEY: the number the event gives for "KEY" (empty when it gives none).
number() {
    printf '%s' "$EVENT" | sed -n "s/.*\"$1\" *: *\([0-9.]*\).*/\1/p"
}
