// CCurl: libcurl for Swift. Swift cannot call C variadic functions, so the few variadic
// calls Hone needs (curl_easy_setopt, curl_easy_getinfo, curl_multi_setopt) are wrapped
// here in typed, non-variadic static inline helpers.
#ifndef HONE_CCURL_SHIM_H
#define HONE_CCURL_SHIM_H

// The helpers below pass typed values, so curl's GCC type-check macros add nothing.
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

/// The type of CURLOPT_WRITEFUNCTION / CURLOPT_HEADERFUNCTION callbacks.
typedef size_t (*hone_curl_write_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode hone_curl_easy_setopt_long(CURL *easy, CURLoption option, long value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode hone_curl_easy_setopt_string(CURL *easy, CURLoption option, const char *value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode hone_curl_easy_setopt_pointer(CURL *easy, CURLoption option, void *value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode hone_curl_easy_setopt_slist(CURL *easy, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode hone_curl_easy_setopt_offset(CURL *easy, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode hone_curl_easy_setopt_write_callback(CURL *easy, CURLoption option, hone_curl_write_callback callback) {
    return curl_easy_setopt(easy, option, callback);
}

static inline CURLcode hone_curl_easy_getinfo_long(CURL *easy, CURLINFO info, long *value) {
    return curl_easy_getinfo(easy, info, value);
}

static inline CURLcode hone_curl_easy_getinfo_offset(CURL *easy, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(easy, info, value);
}

static inline CURLcode hone_curl_easy_getinfo_double(CURL *easy, CURLINFO info, double *value) {
    return curl_easy_getinfo(easy, info, value);
}

static inline CURLMcode hone_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

#endif
