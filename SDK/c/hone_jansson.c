/*
 * hone_jansson.c — the helpers declared in hone_jansson.h.
 *
 * C99; depends on hone.h and libjansson only. Compile it into the plugin.
 */
#include "hone_jansson.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------- */
/* hone_buffer                                                               */
/* ------------------------------------------------------------------------- */

void hone_buffer_init(hone_buffer *buffer) {
    buffer->data = NULL;
    buffer->length = 0;
    buffer->capacity = 0;
    buffer->failed = 0;
}

void hone_buffer_free(hone_buffer *buffer) {
    free(buffer->data);
    hone_buffer_init(buffer);
}

void hone_buffer_clear(hone_buffer *buffer) {
    buffer->length = 0;
    buffer->failed = 0;
    if (buffer->data != NULL) buffer->data[0] = '\0';
}

const char *hone_buffer_cstr(const hone_buffer *buffer) {
    return buffer->data != NULL ? buffer->data : "";
}

/* Appends bytes, growing geometrically; keeps the content NUL-terminated. */
static void buffer_append(hone_buffer *buffer, const char *bytes, size_t length) {
    if (length == 0 || buffer->failed) return;
    size_t needed = buffer->length + length + 1;
    if (needed < buffer->length) { /* overflow */
        buffer->failed = 1;
        return;
    }
    if (needed > buffer->capacity) {
        size_t capacity = buffer->capacity > 0 ? buffer->capacity : 256;
        while (capacity < needed) {
            if (capacity > ((size_t)-1) / 2) {
                capacity = needed;
                break;
            }
            capacity *= 2;
        }
        char *grown = realloc(buffer->data, capacity);
        if (grown == NULL) {
            buffer->failed = 1;
            return;
        }
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->length, bytes, length);
    buffer->length += length;
    buffer->data[buffer->length] = '\0';
}

/* The `write` of a buffer's sink. */
static void buffer_sink_write(void *context, const char *bytes, size_t length) {
    if (context == NULL || bytes == NULL) return;
    buffer_append((hone_buffer *)context, bytes, length);
}

hone_sink hone_buffer_sink(hone_buffer *buffer) {
    hone_sink sink;
    sink.context = buffer;
    sink.write = buffer_sink_write;
    return sink;
}

/* ------------------------------------------------------------------------- */
/* Writing into sinks                                                        */
/* ------------------------------------------------------------------------- */

void hone_sink_write_str(hone_sink *sink, const char *text) {
    if (sink == NULL || sink->write == NULL || text == NULL) return;
    sink->write(sink->context, text, strlen(text));
}

void hone_sink_vprintf(hone_sink *sink, const char *format, va_list args) {
    if (sink == NULL || sink->write == NULL || format == NULL) return;
    char small[512];
    va_list copy;
    va_copy(copy, args);
    int needed = vsnprintf(small, sizeof small, format, copy);
    va_end(copy);
    if (needed < 0) return;
    if ((size_t)needed < sizeof small) {
        sink->write(sink->context, small, (size_t)needed);
        return;
    }
    char *large = malloc((size_t)needed + 1);
    if (large == NULL) {
        /* Out of memory: the truncated message is better than none. */
        sink->write(sink->context, small, sizeof small - 1);
        return;
    }
    vsnprintf(large, (size_t)needed + 1, format, args);
    sink->write(sink->context, large, (size_t)needed);
    free(large);
}

void hone_sink_printf(hone_sink *sink, const char *format, ...) {
    va_list args;
    va_start(args, format);
    hone_sink_vprintf(sink, format, args);
    va_end(args);
}

hone_status hone_fail(hone_sink *sink, hone_status status, const char *format, ...) {
    va_list args;
    va_start(args, format);
    hone_sink_vprintf(sink, format, args);
    va_end(args);
    return status;
}

hone_status hone_sink_write_json(hone_sink *sink, const json_t *value) {
    if (sink == NULL || sink->write == NULL) return HONE_ERR_INVALID_ARGUMENT;
    if (value == NULL) {
        hone_sink_write_str(sink, "hone_sink_write_json: no value to write (NULL json_t)");
        return HONE_ERR_INTERNAL;
    }
    /* Serialise into memory first so a failure never leaves half a document in the sink. */
    char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));
    if (text == NULL) {
        hone_sink_write_str(sink, "hone_sink_write_json: jansson could not serialise the result (out of memory?)");
        return HONE_ERR_INTERNAL;
    }
    sink->write(sink->context, text, strlen(text));
    free(text);
    return HONE_OK;
}

/* ------------------------------------------------------------------------- */
/* Reading JSON                                                              */
/* ------------------------------------------------------------------------- */

const char *hone_json_type_name(const json_t *value) {
    if (value == NULL) return "nothing";
    switch (json_typeof(value)) {
    case JSON_OBJECT: return "object";
    case JSON_ARRAY: return "array";
    case JSON_STRING: return "string";
    case JSON_INTEGER: return "integer";
    case JSON_REAL: return "number";
    case JSON_TRUE:
    case JSON_FALSE: return "boolean";
    case JSON_NULL: return "null";
    }
    return "unknown";
}

json_t *hone_json_parse(const char *text, const char *what, hone_sink *error) {
    const char *name = what != NULL ? what : "JSON document";
    if (text == NULL) {
        hone_sink_printf(error, "%s: no text (NULL pointer)", name);
        return NULL;
    }
    json_error_t parse_error;
    json_t *value = json_loads(text, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &parse_error);
    if (value == NULL) {
        hone_sink_printf(error, "%s: invalid JSON at line %d, column %d: %s", name, parse_error.line,
                         parse_error.column, parse_error.text);
    }
    return value;
}

hone_status hone_unpack(json_t *value, hone_sink *error, const char *what, const char *format, ...) {
    json_error_t unpack_error;
    va_list args;
    va_start(args, format);
    int failed = json_vunpack_ex(value, &unpack_error, 0, format, args);
    va_end(args);
    if (failed == 0) return HONE_OK;
    return hone_fail(error, HONE_ERR_INVALID_ARGUMENT, "%s: %s (at %s)", what != NULL ? what : "JSON document",
                     unpack_error.text, unpack_error.source);
}

/* ------------------------------------------------------------------------- */
/* Calling the host                                                          */
/* ------------------------------------------------------------------------- */

typedef hone_status (*host_json_call)(const hone_host *, const char *, hone_sink *);

/* Serialises `request`, calls `function`, and parses its answer into *response. */
static hone_status call_host(const hone_host *host, host_json_call function, const char *name,
                             const json_t *request, json_t **response, hone_buffer *message) {
    hone_buffer scratch;
    hone_buffer_init(&scratch);
    hone_buffer *answer = message != NULL ? message : &scratch;
    hone_buffer_clear(answer);
    if (response != NULL) *response = NULL;

    hone_sink answer_sink = hone_buffer_sink(answer);
    if (function == NULL) {
        hone_sink_printf(&answer_sink, "the host does not offer %s", name);
        hone_buffer_free(&scratch);
        return HONE_ERR_UNSUPPORTED;
    }
    if (request == NULL || response == NULL) {
        hone_sink_printf(&answer_sink, "%s: request and response must not be NULL", name);
        hone_buffer_free(&scratch);
        return HONE_ERR_INVALID_ARGUMENT;
    }
    char *text = json_dumps(request, JSON_COMPACT | JSON_REAL_PRECISION(17));
    if (text == NULL) {
        hone_sink_printf(&answer_sink, "%s: the request could not be serialised (it must be an object)", name);
        hone_buffer_free(&scratch);
        return HONE_ERR_INVALID_ARGUMENT;
    }
    hone_status status = function(host, text, &answer_sink);
    free(text);
    if (status != HONE_OK) {
        hone_buffer_free(&scratch);
        return status;
    }
    if (answer->failed) {
        hone_buffer_clear(answer);
        hone_sink_printf(&answer_sink, "%s: out of memory while receiving the host's answer", name);
        hone_buffer_free(&scratch);
        return HONE_ERR_INTERNAL;
    }
    json_error_t parse_error;
    json_t *parsed = json_loadb(hone_buffer_cstr(answer), answer->length, 0, &parse_error);
    if (parsed == NULL) {
        hone_buffer_clear(answer);
        hone_sink_printf(&answer_sink, "%s: the host answered with invalid JSON at line %d, column %d: %s", name,
                         parse_error.line, parse_error.column, parse_error.text);
        hone_buffer_free(&scratch);
        return HONE_ERR_INTERNAL;
    }
    hone_buffer_clear(answer);
    hone_buffer_free(&scratch);
    *response = parsed;
    return HONE_OK;
}

hone_status hone_evaluate(const hone_host *host, const json_t *request, json_t **response, hone_buffer *message) {
    host_json_call function = HONE_HOST_HAS(host, evaluate) ? host->evaluate : NULL;
    return call_host(host, function, "host->evaluate", request, response, message);
}

hone_status hone_backend_call(const hone_host *host, const json_t *request, json_t **response,
                              hone_buffer *message) {
    host_json_call function = HONE_HOST_HAS(host, backend_call) ? host->backend_call : NULL;
    return call_host(host, function, "host->backend_call", request, response, message);
}

void hone_logf(const hone_host *host, int32_t level, const char *format, ...) {
    if (!HONE_HOST_HAS(host, log) || format == NULL) return;
    hone_buffer text;
    hone_buffer_init(&text);
    hone_sink sink = hone_buffer_sink(&text);
    va_list args;
    va_start(args, format);
    hone_sink_vprintf(&sink, format, args);
    va_end(args);
    host->log(host, level, hone_buffer_cstr(&text));
    hone_buffer_free(&text);
}

/* ------------------------------------------------------------------------- */
/* Config getters                                                            */
/* ------------------------------------------------------------------------- */

/* Looks up `key`; returns 1 with *member set (NULL when absent or null), or 0 after reporting a bad config. */
static int config_member(const json_t *config, const char *key, const json_t **member, hone_sink *error) {
    *member = NULL;
    if (config == NULL || !json_is_object(config)) {
        hone_sink_printf(error, "config: expected an object, got %s", hone_json_type_name(config));
        return 0;
    }
    const json_t *value = json_object_get(config, key);
    if (value != NULL && !json_is_null(value)) *member = value;
    return 1;
}

/* Reports a member of the wrong type. */
static hone_status wrong_type(const char *key, const char *expected, const json_t *value, hone_sink *error) {
    return hone_fail(error, HONE_ERR_CONFIG, "config.%s: expected %s, got %s", key, expected,
                     hone_json_type_name(value));
}

hone_status hone_config_int(const json_t *config, const char *key, json_int_t fallback, json_int_t *out,
                            hone_sink *error) {
    const json_t *value;
    if (!config_member(config, key, &value, error)) return HONE_ERR_CONFIG;
    if (value == NULL) {
        *out = fallback;
        return HONE_OK;
    }
    if (json_is_integer(value)) {
        *out = json_integer_value(value);
        return HONE_OK;
    }
    if (json_is_real(value)) {
        double number = json_real_value(value);
        if (number > -9.0e15 && number < 9.0e15 && (double)(json_int_t)number == number) {
            *out = (json_int_t)number;
            return HONE_OK;
        }
        return hone_fail(error, HONE_ERR_CONFIG, "config.%s: expected an integer, got %g", key, number);
    }
    return wrong_type(key, "an integer", value, error);
}

hone_status hone_config_double(const json_t *config, const char *key, double fallback, double *out,
                               hone_sink *error) {
    const json_t *value;
    if (!config_member(config, key, &value, error)) return HONE_ERR_CONFIG;
    if (value == NULL) {
        *out = fallback;
        return HONE_OK;
    }
    if (json_is_number(value)) {
        *out = json_number_value(value);
        return HONE_OK;
    }
    return wrong_type(key, "a number", value, error);
}

hone_status hone_config_bool(const json_t *config, const char *key, int fallback, int *out, hone_sink *error) {
    const json_t *value;
    if (!config_member(config, key, &value, error)) return HONE_ERR_CONFIG;
    if (value == NULL) {
        *out = fallback;
        return HONE_OK;
    }
    if (json_is_boolean(value)) {
        *out = json_is_true(value) ? 1 : 0;
        return HONE_OK;
    }
    return wrong_type(key, "a boolean (true or false)", value, error);
}

hone_status hone_config_string(const json_t *config, const char *key, const char *fallback, const char **out,
                               hone_sink *error) {
    const json_t *value;
    if (!config_member(config, key, &value, error)) return HONE_ERR_CONFIG;
    if (value == NULL) {
        *out = fallback;
        return HONE_OK;
    }
    if (json_is_string(value)) {
        *out = json_string_value(value);
        return HONE_OK;
    }
    return wrong_type(key, "a string", value, error);
}

hone_status hone_config_array(const json_t *config, const char *key, const json_t **out, hone_sink *error) {
    const json_t *value;
    if (!config_member(config, key, &value, error)) return HONE_ERR_CONFIG;
    if (value == NULL || json_is_array(value)) {
        *out = value;
        return HONE_OK;
    }
    return wrong_type(key, "an array", value, error);
}

/* ------------------------------------------------------------------------- */
/* Artifact renderers                                                        */
/* ------------------------------------------------------------------------- */

json_t *hone_render_inputs(const char *request_json, hone_sink *error) {
    json_t *request = hone_json_parse(request_json, "render request", error);
    if (request == NULL) return NULL;
    json_t *inputs = json_object_get(request, "inputs"); /* borrowed */
    if (!json_is_array(inputs)) {
        hone_sink_printf(error, "render request: \"inputs\" is %s, expected an array of strings",
                         hone_json_type_name(inputs));
        json_decref(request);
        return NULL;
    }
    for (size_t i = 0; i < json_array_size(inputs); i++) {
        json_t *input = json_array_get(inputs, i);
        if (!json_is_string(input)) {
            hone_sink_printf(error, "render request: inputs[%zu] is %s, expected a string", i,
                             hone_json_type_name(input));
            json_decref(request);
            return NULL;
        }
    }
    json_incref(inputs);
    json_decref(request);
    return inputs;
}

hone_status hone_render_write_prompts(hone_sink *result, const json_t *prompts, size_t input_count) {
    if (!json_is_array(prompts) || json_array_size(prompts) != input_count) {
        return hone_fail(result, HONE_ERR_INTERNAL, "render: %zu prompts for %zu inputs; return exactly one per input",
                         json_is_array(prompts) ? json_array_size(prompts) : 0, input_count);
    }
    for (size_t i = 0; i < input_count; i++) {
        if (!json_is_string(json_array_get(prompts, i))) {
            return hone_fail(result, HONE_ERR_INTERNAL, "render: prompts[%zu] is %s, expected a string", i,
                             hone_json_type_name(json_array_get(prompts, i)));
        }
    }
    json_t *answer = json_pack("{s:O}", "prompts", (json_t *)prompts);
    hone_status status = hone_sink_write_json(result, answer);
    json_decref(answer);
    return status;
}
