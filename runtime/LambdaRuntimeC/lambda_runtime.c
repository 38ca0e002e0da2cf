/* fnhost's C runtime: the Lambda Runtime API over libcurl. See include/lambda_runtime.h. */
#define _GNU_SOURCE
#include "lambda_runtime.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>

#define API_VERSION "2018-06-01"
/* fnhost answers `next` with 410 Gone when it stops a worker: exit quietly with 0. */
#define WORKER_STOPPED 410

typedef struct {
    char *data;
    size_t length;
    size_t capacity;
} buffer;

static int buffer_append(buffer *b, const char *bytes, size_t n) {
    if (b->length + n + 1 > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 4096;
        while (capacity < b->length + n + 1) capacity *= 2;
        char *grown = realloc(b->data, capacity);
        if (!grown) return -1;
        b->data = grown;
        b->capacity = capacity;
    }
    memcpy(b->data + b->length, bytes, n);
    b->length += n;
    b->data[b->length] = 0;
    return 0;
}

static size_t on_body(char *bytes, size_t size, size_t count, void *user) {
    return buffer_append(user, bytes, size * count) == 0 ? size * count : 0;
}

static size_t on_header(char *bytes, size_t size, size_t count, void *user) {
    /* A malformed header the runtime needs makes the transfer fail (returning less than given). */
    return lambda_parse_header_line(bytes, size * count, user) == 0 ? size * count : 0;
}

/* Copies a header value (trimmed) into `field` of `capacity`; -1 when too long or it holds a control character. */
static int copy_value(char *field, size_t capacity, const char *value, size_t length) {
    while (length > 0 && (*value == ' ' || *value == '\t')) { value++; length--; }
    while (length > 0 && (value[length - 1] == '\r' || value[length - 1] == '\n' || value[length - 1] == ' ' ||
                          value[length - 1] == '\t')) length--;
    if (length >= capacity) return -1;
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)value[i];
        if (c < 0x20 || c == 0x7f) return -1;
    }
    memcpy(field, value, length);
    field[length] = 0;
    return 0;
}

int lambda_parse_header_line(const char *line, size_t length, lambda_next_headers *headers) {
    const char *colon = memchr(line, ':', length);
    if (!colon) return 0; /* the status line, or the blank line that ends the headers */
    size_t name_length = (size_t)(colon - line);
    const char *value = colon + 1;
    size_t value_length = length - name_length - 1;
#define IS(name) (name_length == sizeof(name) - 1 && strncasecmp(line, name, name_length) == 0)
    if (IS("Lambda-Runtime-Aws-Request-Id")) {
        /* Parsed aside, so a bad or empty repeat of the header leaves the id already kept untouched. */
        char id[sizeof headers->request_id];
        if (copy_value(id, sizeof id, value, value_length) != 0 || id[0] == 0) return -1;
        memcpy(headers->request_id, id, sizeof id);
        headers->has_request_id = 1;
    } else if (IS("Lambda-Runtime-Deadline-Ms")) {
        char text[32];
        if (copy_value(text, sizeof text, value, value_length) != 0 || text[0] == 0) return -1;
        char *end = NULL;
        errno = 0;
        long long ms = strtoll(text, &end, 10);
        if (errno != 0 || *end != 0 || ms < 0) return -1;
        headers->deadline_ms = ms;
        headers->has_deadline = 1;
    } else if (IS("Lambda-Runtime-Invoked-Function-Arn")) {
        return copy_value(headers->function_arn, sizeof headers->function_arn, value, value_length);
    } else if (IS("Lambda-Runtime-Trace-Id")) {
        return copy_value(headers->trace_id, sizeof headers->trace_id, value, value_length);
    } else if (IS("Lambda-Runtime-Client-Context")) {
        return copy_value(headers->client_context, sizeof headers->client_context, value, value_length);
    } else if (IS("Lambda-Runtime-Cognito-Identity")) {
        return copy_value(headers->cognito_identity, sizeof headers->cognito_identity, value, value_length);
    }
#undef IS
    return 0;
}

char *lambda_json_quote(const char *text, size_t length) {
    buffer out = {0};
    if (buffer_append(&out, "\"", 1) != 0) return NULL;
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)text[i];
        char escaped[8];
        const char *piece = escaped;
        size_t n;
        switch (c) {
        case '"': piece = "\\\""; n = 2; break;
        case '\\': piece = "\\\\"; n = 2; break;
        case '\n': piece = "\\n"; n = 2; break;
        case '\r': piece = "\\r"; n = 2; break;
        case '\t': piece = "\\t"; n = 2; break;
        default:
            if (c < 0x20) {
                n = (size_t)snprintf(escaped, sizeof escaped, "\\u%04x", c);
            } else {
                escaped[0] = (char)c;
                n = 1;
            }
        }
        if (buffer_append(&out, piece, n) != 0) { free(out.data); return NULL; }
    }
    if (buffer_append(&out, "\"", 1) != 0) { free(out.data); return NULL; }
    return out.data;
}

lambda_outcome lambda_success_bytes(const char *bytes, size_t length) {
    lambda_outcome o = {0};
    o.payload = malloc(length + 1);
    if (o.payload) {
        memcpy(o.payload, bytes, length);
        o.payload[length] = 0;
        o.length = length;
    }
    return o;
}

lambda_outcome lambda_success(const char *json) { return lambda_success_bytes(json, strlen(json)); }

lambda_outcome lambda_failure(const char *type, const char *message) {
    lambda_outcome o = {0};
    o.error_type = strdup(type ? type : "Error");
    o.error_message = strdup(message ? message : "");
    return o;
}

int64_t lambda_remaining_ms(const lambda_invocation *invocation) {
    struct timeval now;
    gettimeofday(&now, NULL);
    int64_t ms = (int64_t)now.tv_sec * 1000 + now.tv_usec / 1000;
    return invocation->deadline_ms > ms ? invocation->deadline_ms - ms : 0;
}

/* The Runtime API's base URL, from AWS_LAMBDA_RUNTIME_API (host:port). */
static const char *api_host(void) {
    const char *host = getenv("AWS_LAMBDA_RUNTIME_API");
    if (!host || !*host) {
        fprintf(stderr, "lambda-runtime-c: AWS_LAMBDA_RUNTIME_API is not set: run this under fnhost or AWS Lambda\n");
        exit(1);
    }
    return host;
}

/* POSTs `body` to `path`; returns the HTTP status, or -1 when the request did not complete. */
static long post(CURL *curl, const char *path, const char *body, size_t length, const char *error_type) {
    char url[1024];
    snprintf(url, sizeof url, "http://%s/" API_VERSION "%s", api_host(), path);
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    char type_header[600];
    if (error_type) {
        snprintf(type_header, sizeof type_header, "Lambda-Runtime-Function-Error-Type: %.500s", error_type);
        headers = curl_slist_append(headers, type_header);
    }
    buffer ignored = {0};
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)length);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &ignored);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    CURLcode code = curl_easy_perform(curl);
    long status = -1;
    if (code == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    else fprintf(stderr, "lambda-runtime-c: POST %s failed: %s\n", path, curl_easy_strerror(code));
    curl_slist_free_all(headers);
    free(ignored.data);
    return status;
}

/* {"errorMessage": …, "errorType": …, "stackTrace": []} */
static char *error_body(const char *type, const char *message) {
    char *t = lambda_json_quote(type, strlen(type));
    char *m = lambda_json_quote(message, strlen(message));
    char *body = NULL;
    if (t && m && asprintf(&body, "{\"errorMessage\":%s,\"errorType\":%s,\"stackTrace\":[]}", m, t) < 0) body = NULL;
    free(t);
    free(m);
    return body;
}

void lambda_init_error(const char *type, const char *message) {
    CURL *curl = curl_easy_init();
    if (!curl) return;
    char *body = error_body(type ? type : "Runtime.InitError", message ? message : "");
    if (body) post(curl, "/runtime/init/error", body, strlen(body), type ? type : "Runtime.InitError");
    free(body);
    curl_easy_cleanup(curl);
}

static void free_outcome(lambda_outcome *o) {
    free(o->payload);
    free(o->error_type);
    free(o->error_message);
}

int lambda_run(lambda_handler handler, void *user) {
    if (curl_global_init(CURL_GLOBAL_NOTHING) != CURLE_OK) return 1;
    CURL *curl = curl_easy_init();
    if (!curl) return 1;
    char next_url[1024];
    snprintf(next_url, sizeof next_url, "http://%s/" API_VERSION "/runtime/invocation/next", api_host());
    int status_code = 0;
    for (;;) {
        buffer event = {0};
        lambda_next_headers headers;
        memset(&headers, 0, sizeof headers);
        curl_easy_reset(curl);
        curl_easy_setopt(curl, CURLOPT_URL, next_url);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &event);
        curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(curl, CURLOPT_HEADERDATA, &headers);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        /* `next` blocks for as long as the worker is idle: no timeout. */
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, 0L);
        CURLcode code = curl_easy_perform(curl);
        long http = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &http);
        if (code == CURLE_OK && http == WORKER_STOPPED) { free(event.data); break; }
        if (code != CURLE_OK || http != 200 || !headers.has_request_id) {
            fprintf(stderr, "lambda-runtime-c: GET next failed (%s, status %ld%s)\n", curl_easy_strerror(code), http,
                    headers.has_request_id ? "" : ", no request id");
            free(event.data);
            status_code = 1;
            break;
        }
        if (headers.trace_id[0]) setenv("_X_AMZN_TRACE_ID", headers.trace_id, 1);
        else unsetenv("_X_AMZN_TRACE_ID");
        lambda_invocation invocation = {
            .request_id = headers.request_id,
            .payload = event.data ? event.data : "",
            .payload_length = event.length,
            .deadline_ms = headers.deadline_ms,
            .function_arn = headers.function_arn,
            .trace_id = headers.trace_id,
            .client_context = headers.client_context,
            .cognito_identity = headers.cognito_identity,
        };
        lambda_outcome outcome = handler(&invocation, user);
        char path[256];
        long answered;
        if (outcome.error_type) {
            char *body = error_body(outcome.error_type, outcome.error_message ? outcome.error_message : "");
            snprintf(path, sizeof path, "/runtime/invocation/%s/error", headers.request_id);
            answered = body ? post(curl, path, body, strlen(body), outcome.error_type) : -1;
            free(body);
        } else if (outcome.payload) {
            snprintf(path, sizeof path, "/runtime/invocation/%s/response", headers.request_id);
            answered = post(curl, path, outcome.payload, outcome.length, NULL);
        } else {
            char *body = error_body("Runtime.OutOfMemory", "the handler's answer could not be allocated");
            snprintf(path, sizeof path, "/runtime/invocation/%s/error", headers.request_id);
            answered = body ? post(curl, path, body, strlen(body), "Runtime.OutOfMemory") : -1;
            free(body);
        }
        free_outcome(&outcome);
        free(event.data);
        if (answered == WORKER_STOPPED) break;
        if (answered != 202) {
            fprintf(stderr, "lambda-runtime-c: the host answered %ld to %s\n", answered, path);
            status_code = 1;
            break;
        }
    }
    curl_easy_cleanup(curl);
    curl_global_cleanup();
    return status_code;
}
