/* hello-c: a C function on fnhost's libcurl runtime (runtime/LambdaRuntimeC). It answers with the size of the event,
 * the request id and the time left; an event containing "fail" makes it report a function error. Built as the
 * `hello-c` product; on AWS Lambda the same binary, named bootstrap, runs on provided.al2023. */
#define _GNU_SOURCE
#include <lambda_runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static lambda_outcome handle(const lambda_invocation *invocation, void *user) {
    (void)user;
    if (memmem(invocation->payload, invocation->payload_length, "\"fail\"", 6)) {
        return lambda_failure("HelloFailure", "the event asked hello-c to fail");
    }
    char *id = lambda_json_quote(invocation->request_id, strlen(invocation->request_id));
    char *answer = NULL;
    int n = asprintf(&answer, "{\"language\":\"c\",\"eventBytes\":%zu,\"requestId\":%s,\"remainingMs\":%lld}",
                     invocation->payload_length, id ? id : "null", (long long)lambda_remaining_ms(invocation));
    free(id);
    if (n < 0) return lambda_failure("Runtime.OutOfMemory", "no memory for the answer");
    lambda_outcome outcome = lambda_success_bytes(answer, (size_t)n);
    free(answer);
    return outcome;
}

int main(void) { return lambda_run(handle, NULL); }
