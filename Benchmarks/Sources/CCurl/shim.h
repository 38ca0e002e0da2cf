// Typed wrappers over libcurl's variadic calls, which Swift cannot call directly.
#ifndef FNHOST_CCURL_SHIM_H
#define FNHOST_CCURL_SHIM_H
#include <curl/curl.h>

typedef size_t (*fnhost_curl_write_fn)(char *, size_t, size_t, void *);

static inline CURLcode fnhost_curl_set_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode fnhost_curl_set_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode fnhost_curl_set_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode fnhost_curl_set_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode fnhost_curl_set_write_function(CURL *h, fnhost_curl_write_fn f) {
    return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, f);
}
static inline CURLcode fnhost_curl_get_long(CURL *h, CURLINFO i, long *out) { return curl_easy_getinfo(h, i, out); }

/// The value of a response header (case-insensitive), or NULL.
static inline const char *fnhost_curl_header(CURL *h, const char *name) {
    struct curl_header *hdr = NULL;
    if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hdr) == CURLHE_OK && hdr) { return hdr->value; }
    return NULL;
}

#endif
