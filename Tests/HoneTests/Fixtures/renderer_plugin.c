/*
 * A test fixture, not a product: an ABI 1.1 optimizer whose best prompt is a `rendered`
 * artifact, with the artifact renderer extension ("hone.artifact.renderer/1") that renders it.
 * Built with the SDK's jansson helpers:
 *
 *   cc -shared -fPIC -fvisibility=hidden -I SDK/include -I SDK/c \
 *      Tests/HoneTests/Fixtures/renderer_plugin.c SDK/c/hone_jansson.c -ljansson -o librenderer.so
 *
 * (Tests/HoneTests/Support/RendererFixture.swift does exactly this.)
 *
 * The library holds two plugins sharing one vtable, to show the descriptor-aware lookup:
 * - "org.hone.test.renderer": `run` returns {"kind": "rendered", "text": PREFIX, "method",
 *   "method_version", "data": {"prefix": PREFIX, "words": N, "hints": [...]}} from its config
 *   ({"prefix": "Review:", "words": 2, "hints": []} by default). Its renderer writes, for each
 *   input, PREFIX followed by the input's first N words in capitals ("Review: GREAT FILM") and,
 *   when "hints" is not empty, the hint the backend scores best for that input
 *   ("Review: GREAT FILM (upbeat)"): one `score` backend call per render, one item per input.
 * - "org.hone.test.plain": the same optimizer returning a plain text prompt, no renderer.
 *
 * Compile-time switches for the failure tests:
 *   RENDERER_VIA_DESCRIPTOR  offer the renderer only through the 1.0 descriptor get_extension;
 *   RENDERER_DROP_ONE        render returns one prompt fewer than asked (a broken renderer).
 * Artifact "data" switches: "fail_open": true makes open refuse the artifact; "try_evaluate":
 * true makes open call host->evaluate and refuse unless the host answers HONE_ERR_UNSUPPORTED.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "hone.h"
#include "hone_jansson.h"

#define RENDERER_ID "org.hone.test.renderer"
#define PLAIN_ID "org.hone.test.plain"
#define FIXTURE_VERSION "0.1.0"

extern const hone_plugin_descriptor renderer_descriptor, plain_descriptor;

/* ---- the optimizer ---- */

typedef struct { const hone_plugin_descriptor *descriptor; json_t *config; } fixture;

static hone_status fixture_create(const hone_plugin_descriptor *d, const hone_host *host, const char *config_json,
                                  void **out, hone_sink *error) {
    (void)host;
    json_t *config = hone_json_parse(config_json, "config", error);
    if (!config) return HONE_ERR_CONFIG;
    fixture *f = calloc(1, sizeof *f);
    if (!f) { json_decref(config); return hone_fail(error, HONE_ERR_INTERNAL, "out of memory"); }
    f->descriptor = d;
    f->config = config;
    *out = f;
    return HONE_OK;
}

static hone_status fixture_run(void *instance, const char *run_json, hone_sink *result) {
    (void)run_json;
    fixture *f = instance;
    const char *prefix = "Review:";
    json_int_t words = 2;
    const json_t *hints = NULL;
    hone_status status;
    if ((status = hone_config_string(f->config, "prefix", prefix, &prefix, result)) != HONE_OK) return status;
    if ((status = hone_config_int(f->config, "words", words, &words, result)) != HONE_OK) return status;
    if ((status = hone_config_array(f->config, "hints", &hints, result)) != HONE_OK) return status;
    json_t *doc;
    if (f->descriptor == &renderer_descriptor) {
        json_t *hint_list = hints ? json_deep_copy(hints) : json_array();
        doc = json_pack("{s:{s:s, s:s, s:s, s:s, s:{s:s, s:I, s:o}}, s:{s:b}}",
                        "best_prompt", "kind", "rendered", "text", prefix, "method", RENDERER_ID,
                        "method_version", FIXTURE_VERSION, "data", "prefix", prefix, "words", words,
                        "hints", hint_list, "summary", "rendered", 1);
    } else {
        doc = json_pack("{s:{s:s, s:s}, s:{s:b}}", "best_prompt", "text", prefix, "method", PLAIN_ID,
                        "summary", "rendered", 0);
    }
    status = hone_sink_write_json(result, doc);
    json_decref(doc);
    return status;
}

static void fixture_destroy(void *instance) {
    fixture *f = instance;
    json_decref(f->config);
    free(f);
}

/* ---- the renderer ---- */

typedef struct {
    const hone_host *host;
    char *prefix;
    json_int_t words;
    json_t *hints; /* array of strings, may be empty */
} renderer;

static hone_status renderer_open(const hone_plugin_descriptor *d, const hone_host *host, const char *artifact_json,
                                 void **out, hone_sink *error) {
    if (d != &renderer_descriptor) return hone_fail(error, HONE_ERR_UNSUPPORTED, "%s has no renderer", d->id);
    json_t *artifact = hone_json_parse(artifact_json, "artifact", error);
    if (!artifact) return HONE_ERR_INVALID_ARGUMENT;
    const char *prefix = NULL;
    json_int_t words = 0;
    json_t *hints = NULL;
    int fail_open = 0, try_evaluate = 0;
    hone_status status = hone_unpack(artifact, error, "artifact", "{s:{s:s, s:I, s?o, s?b, s?b}}", "data", "prefix",
                                     &prefix, "words", &words, "hints", &hints, "fail_open", &fail_open,
                                     "try_evaluate", &try_evaluate);
    if (status == HONE_OK && fail_open) status = hone_fail(error, HONE_ERR_INVALID_ARGUMENT, "artifact.data.fail_open is set");
    if (status == HONE_OK && try_evaluate) {
        hone_buffer answer = {0};
        hone_sink sink = hone_buffer_sink(&answer);
        hone_status evaluated = host->evaluate(host, "{\"prompts\":[\"x\"],\"split\":\"train\"}", &sink);
        if (evaluated != HONE_ERR_UNSUPPORTED)
            status = hone_fail(error, HONE_ERR_INTERNAL, "the host let a renderer evaluate (status %d)", evaluated);
        hone_buffer_free(&answer);
    }
    renderer *r = NULL;
    if (status == HONE_OK && !(r = calloc(1, sizeof *r))) status = hone_fail(error, HONE_ERR_INTERNAL, "out of memory");
    if (status == HONE_OK) {
        r->host = host;
        r->prefix = strdup(prefix);
        r->words = words;
        r->hints = hints ? json_incref(hints) : json_array();
        *out = r;
    }
    json_decref(artifact);
    return status;
}

/* PREFIX + the first `words` words of `input` in capitals. */
static json_t *render_one(const renderer *r, const char *input) {
    hone_buffer text = {0};
    hone_sink sink = hone_buffer_sink(&text);
    hone_sink_write_str(&sink, r->prefix);
    const char *p = input;
    for (json_int_t w = 0; w < r->words; w++) {
        while (*p == ' ') p++;
        if (!*p) break;
        hone_sink_write_str(&sink, " ");
        for (; *p && *p != ' '; p++) {
            char c = (char)toupper((unsigned char)*p);
            sink.write(sink.context, &c, 1);
        }
    }
    json_t *value = json_string(hone_buffer_cstr(&text));
    hone_buffer_free(&text);
    return value;
}

static hone_status renderer_render(void *instance, const char *request_json, hone_sink *result) {
    renderer *r = instance;
    json_t *inputs = hone_render_inputs(request_json, result);
    if (!inputs) return HONE_ERR_INVALID_ARGUMENT;
    size_t count = json_array_size(inputs);
    json_t *scores = NULL;
    hone_status status = HONE_OK;
    if (json_array_size(r->hints) > 0) {
        json_t *items = json_array();
        for (size_t i = 0; i < count; i++)
            json_array_append_new(items, json_pack("{s:O, s:O}", "context", json_array_get(inputs, i), "candidates", r->hints));
        json_t *request = json_pack("{s:s, s:o}", "op", "score", "items", items);
        json_t *response = NULL;
        hone_buffer message = {0};
        status = hone_backend_call(r->host, request, &response, &message);
        json_decref(request);
        if (status != HONE_OK) {
            hone_sink_printf(result, "scoring the hints: %s", hone_buffer_cstr(&message));
        } else {
            scores = json_incref(json_object_get(response, "scores"));
            json_decref(response);
        }
        hone_buffer_free(&message);
    }
    json_t *prompts = json_array();
    for (size_t i = 0; status == HONE_OK && i < count; i++) {
        json_t *prompt = render_one(r, json_string_value(json_array_get(inputs, i)));
        if (scores) {
            json_t *row = json_array_get(scores, i);
            size_t best = 0;
            for (size_t c = 1; c < json_array_size(row); c++)
                if (json_number_value(json_array_get(row, c)) > json_number_value(json_array_get(row, best))) best = c;
            char *joined = NULL;
            const char *hint = json_string_value(json_array_get(r->hints, best));
            size_t length = strlen(json_string_value(prompt)) + strlen(hint) + 4;
            if ((joined = malloc(length))) {
                strcpy(joined, json_string_value(prompt));
                strcat(joined, " (");
                strcat(joined, hint);
                strcat(joined, ")");
                json_string_set(prompt, joined);
                free(joined);
            }
        }
        json_array_append_new(prompts, prompt);
    }
#ifdef RENDERER_DROP_ONE
    if (json_array_size(prompts) > 0) json_array_remove(prompts, json_array_size(prompts) - 1);
#endif
    if (status == HONE_OK) {
        /* hone_render_write_prompts would refuse a short list; a broken renderer writes it anyway. */
#ifdef RENDERER_DROP_ONE
        json_t *answer = json_pack("{s:O}", "prompts", prompts);
        status = hone_sink_write_json(result, answer);
        json_decref(answer);
#else
        status = hone_render_write_prompts(result, prompts, count);
#endif
    }
    json_decref(prompts);
    json_decref(scores);
    json_decref(inputs);
    return status;
}

static void renderer_close(void *instance) {
    renderer *r = instance;
    free(r->prefix);
    json_decref(r->hints);
    free(r);
}

static const hone_artifact_renderer renderer_table = {
    sizeof(hone_artifact_renderer), renderer_open, renderer_render, renderer_close};

/* ---- extension lookup, descriptors, library ---- */

#ifdef RENDERER_VIA_DESCRIPTOR
static const void *fixture_descriptor_extension(const char *id) {
    return strcmp(id, HONE_EXT_ARTIFACT_RENDERER) == 0 ? &renderer_table : NULL;
}
#define VTABLE_EXTENSION NULL
#define DESCRIPTOR_EXTENSION fixture_descriptor_extension
#else
/* ABI 1.1: answers per descriptor, so the two plugins sharing this vtable differ. */
static const void *fixture_vtable_extension(const hone_plugin_descriptor *d, const char *id) {
    if (d == &renderer_descriptor && strcmp(id, HONE_EXT_ARTIFACT_RENDERER) == 0) return &renderer_table;
    return NULL;
}
#define VTABLE_EXTENSION fixture_vtable_extension
#define DESCRIPTOR_EXTENSION NULL
#endif

static const hone_optimizer_vtable vtable = {
    sizeof(hone_optimizer_vtable), fixture_create, fixture_run, fixture_destroy, VTABLE_EXTENSION};

#define CONFIG_SCHEMA                                                                                   \
    "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"prefix\":{\"type\":\"string\"}," \
    "\"words\":{\"type\":\"integer\",\"minimum\":0},\"hints\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}"

const hone_plugin_descriptor renderer_descriptor = {
    sizeof(hone_plugin_descriptor), HONE_KIND_OPTIMIZER, RENDERER_ID, "Renderer fixture", FIXTURE_VERSION,
    "Returns a rendered artifact and renders it per input.", CONFIG_SCHEMA, "[\"score\"]", "c", &vtable,
    DESCRIPTOR_EXTENSION};

const hone_plugin_descriptor plain_descriptor = {
    sizeof(hone_plugin_descriptor), HONE_KIND_OPTIMIZER, PLAIN_ID, "Plain fixture", FIXTURE_VERSION,
    "Returns a plain text prompt; offers no renderer.", CONFIG_SCHEMA, "[\"score\"]", "c", &vtable, NULL};

static const hone_plugin_descriptor *const plugins[] = {&renderer_descriptor, &plain_descriptor};

static const hone_plugin_library library = {
    HONE_PLUGIN_MAGIC, sizeof(hone_plugin_library), HONE_ABI_VERSION_MAJOR, HONE_ABI_VERSION_MINOR, 2, plugins};

HONE_EXPORT const hone_plugin_library *hone_plugin_entry_v1(void) { return &library; }
