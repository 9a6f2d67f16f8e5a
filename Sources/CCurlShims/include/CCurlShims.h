// Typed, non-variadic wrappers for libcurl's variadic functions, which Swift cannot call.
// Each wrapper passes exactly one argument of the type its name says; pick the one that
// matches the option's CURLOPTTYPE_* / CURLINFO_* type.
#ifndef C_CURL_SHIMS_H
#define C_CURL_SHIMS_H

#include <curl/curl.h>

CURLcode otel_curl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode otel_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode otel_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode otel_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode otel_curl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
/// For CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION, which share this signature.
CURLcode otel_curl_easy_setopt_write_function(CURL *handle, CURLoption option, curl_write_callback value);

CURLcode otel_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode otel_curl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);
CURLcode otel_curl_easy_getinfo_string(CURL *handle, CURLINFO info, char **value);

#endif
