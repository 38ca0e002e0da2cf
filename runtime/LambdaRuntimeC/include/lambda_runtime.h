/*
 * fnhost's runtime for C and C++ functions: the Lambda Runtime API (2018-06-01) over libcurl, as AWS's
 * aws-lambda-cpp builds its client. A function links this library and calls lambda_run() with its handler; the same
 * binary, named bootstrap, runs on AWS Lambda's provided.al2023 runtime.
 *
 *   static lambda_outcome handle(const lambda_invocation *inv, void *user) {
 *       return lambda_success("{\"ok\":true}");
 *   }
 *   int main(void) { return lambda_run(handle, NULL); }
 */
#ifndef FNHOST_LAMBDA_RUNTIME_H
#define FNHOST_LAMBDA_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One invocation, as the Runtime API's `next` answer gives it. Valid only during the handler's call. */
typedef struct {
    const char *request_id;
    const char *payload;
    size_t payload_length;
    /* Unix epoch milliseconds by which the invocation must end. */
    int64_t deadline_ms;
    const char *function_arn;
    const char *trace_id;       /* "" when absent */
    const char *client_context; /* "" when absent */
    const char *cognito_identity;
} lambda_invocation;

/* What a handler returns: a JSON payload, or a function error (error_type set). Owned by the runtime after return. */
typedef struct {
    char *payload;
    size_t length;
    char *error_type;
    char *error_message;
} lambda_outcome;

typedef lambda_outcome (*lambda_handler)(const lambda_invocation *invocation, void *user);

/* A success: `json` is copied. */
lambda_outcome lambda_success(const char *json);
/* A success of `length` bytes (not necessarily NUL-terminated), copied. */
lambda_outcome lambda_success_bytes(const char *bytes, size_t length);
/* A function error, reported with errorType `type` and errorMessage `message` (both copied). */
lambda_outcome lambda_failure(const char *type, const char *message);

/* Milliseconds left before the invocation's deadline. */
int64_t lambda_remaining_ms(const lambda_invocation *invocation);

/* Reports a failed Init to the Runtime API (POST /runtime/init/error) and returns; the caller should then exit. */
void lambda_init_error(const char *type, const char *message);

/* Serves invocations until the host stops the worker; returns the process exit status (0 when stopped cleanly). */
int lambda_run(lambda_handler handler, void *user);

/* --- Exposed for fuzzing: the parser of the host's response header lines. --- */

/* Headers of a `next` answer that the runtime keeps. Fixed-size fields; over-long values are refused. */
typedef struct {
    char request_id[128];
    char function_arn[512];
    char trace_id[512];
    char client_context[4096];
    char cognito_identity[4096];
    int64_t deadline_ms;
    int has_request_id;
    int has_deadline;
} lambda_next_headers;

/* Parses one raw header line ("Name: value\r\n") into `headers`; returns 0 when used or ignored, -1 when the line
 * names a header the runtime needs but its value is malformed or too long. */
int lambda_parse_header_line(const char *line, size_t length, lambda_next_headers *headers);

/* Writes `text` JSON-quoted (with the quotes) into a new malloc'd string; NULL when out of memory. */
char *lambda_json_quote(const char *text, size_t length);

#ifdef __cplusplus
}
#endif

#endif
