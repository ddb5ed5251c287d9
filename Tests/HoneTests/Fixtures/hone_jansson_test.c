/*
 * hone_jansson_test.c — checks of the C helpers in SDK/c/hone_jansson.{h,c}.
 *
 * Built and run by HoneJanssonTests.swift with -Werror and the address and
 * undefined-behaviour sanitizers. Prints one line per failed check and
 * "hone_jansson: N checks passed" at the end; exits non-zero on any failure.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "hone.h"
#include "hone_jansson.h"

static int checks = 0;
static int failures = 0;

#define CHECK(condition)                                                        \
    do {                                                                        \
        checks++;                                                               \
        if (!(condition)) {                                                     \
            failures++;                                                         \
            printf("%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
        }                                                                       \
    } while (0)

#define CHECK_STR(actual, expected)                                                                  \
    do {                                                                                             \
        checks++;                                                                                    \
        const char *a_ = (actual), *e_ = (expected);                                                 \
        if (a_ == NULL || strcmp(a_, e_) != 0) {                                                     \
            failures++;                                                                              \
            printf("%s:%d: expected \"%s\", got \"%s\"\n", __FILE__, __LINE__, e_, a_ ? a_ : "(null)"); \
        }                                                                                            \
    } while (0)

/* ---- a fake host: answers evaluate by mode, records log messages ---- */

enum { ANSWER_OK, ANSWER_BUDGET, ANSWER_GARBAGE };
static int answer_mode = ANSWER_OK;
static char last_request[512];
static char last_log[512];
static int32_t last_level = -1;

static hone_status fake_evaluate(const hone_host *host, const char *request, hone_sink *result) {
    (void)host;
    snprintf(last_request, sizeof last_request, "%s", request);
    switch (answer_mode) {
    case ANSWER_OK:
        /* Written in two pieces, as a host may. */
        hone_sink_write_str(result, "{\"results\":[{\"score\":0.75}],");
        hone_sink_write_str(result, "\"budget\":{\"used_calls\":4}}");
        return HONE_OK;
    case ANSWER_BUDGET:
        hone_sink_write_str(result, "the request needs 8 calls but only 3 remain");
        return HONE_ERR_BUDGET_EXHAUSTED;
    default:
        hone_sink_write_str(result, "{not json");
        return HONE_OK;
    }
}

static void fake_log(const hone_host *host, int32_t level, const char *message) {
    (void)host;
    last_level = level;
    snprintf(last_log, sizeof last_log, "%s", message);
}

static hone_host make_host(void) {
    hone_host host;
    memset(&host, 0, sizeof host);
    host.struct_size = sizeof host;
    host.abi_major = HONE_ABI_VERSION_MAJOR;
    host.evaluate = fake_evaluate;
    host.log = fake_log;
    return host;
}

static void test_buffer(void) {
    hone_buffer buffer;
    hone_buffer_init(&buffer);
    CHECK_STR(hone_buffer_cstr(&buffer), "");
    hone_sink sink = hone_buffer_sink(&buffer);
    sink.write(sink.context, "abc", 3);
    sink.write(sink.context, "defgh", 2);
    CHECK_STR(hone_buffer_cstr(&buffer), "abcde");
    CHECK(buffer.length == 5);
    char block[1000];
    memset(block, 'x', sizeof block);
    for (int i = 0; i < 20; i++) sink.write(sink.context, block, sizeof block);
    CHECK(buffer.length == 20005);
    CHECK(strlen(hone_buffer_cstr(&buffer)) == 20005);
    CHECK(!buffer.failed);
    hone_buffer_clear(&buffer);
    CHECK_STR(hone_buffer_cstr(&buffer), "");
    hone_sink_printf(&sink, "%d-%s", 7, "seven");
    CHECK_STR(hone_buffer_cstr(&buffer), "7-seven");
    hone_buffer_free(&buffer);
    CHECK(buffer.data == NULL && buffer.length == 0);
}

static void test_sink_writers(void) {
    hone_buffer buffer = {0};
    hone_sink sink = hone_buffer_sink(&buffer);
    char long_word[2000];
    memset(long_word, 'y', sizeof long_word - 1);
    long_word[sizeof long_word - 1] = '\0';
    hone_sink_printf(&sink, "<%s>", long_word); /* longer than the 512-byte fast path */
    CHECK(buffer.length == 2001);
    CHECK(buffer.data[0] == '<' && buffer.data[2000] == '>');
    hone_buffer_clear(&buffer);

    CHECK(hone_fail(&sink, HONE_ERR_CONFIG, "config.%s: bad", "rounds") == HONE_ERR_CONFIG);
    CHECK_STR(hone_buffer_cstr(&buffer), "config.rounds: bad");
    CHECK(hone_fail(NULL, HONE_ERR_INTERNAL, "ignored") == HONE_ERR_INTERNAL);
    hone_sink_write_str(NULL, "ignored");
    hone_buffer_clear(&buffer);

    json_t *document = json_pack("{s:s, s:[i, f]}", "text", "caf\xc3\xa9", "values", 1, 0.5);
    CHECK(hone_sink_write_json(&sink, document) == HONE_OK);
    CHECK_STR(hone_buffer_cstr(&buffer), "{\"text\":\"caf\xc3\xa9\",\"values\":[1,0.5]}");
    json_decref(document);
    hone_buffer_clear(&buffer);
    CHECK(hone_sink_write_json(&sink, NULL) == HONE_ERR_INTERNAL);
    CHECK(strstr(hone_buffer_cstr(&buffer), "NULL") != NULL);
    hone_buffer_free(&buffer);
}

static void test_parse_and_unpack(void) {
    hone_buffer error = {0};
    hone_sink sink = hone_buffer_sink(&error);
    json_t *value = hone_json_parse("{\"a\": [1, 2]}", "run request", &sink);
    CHECK(value != NULL && json_array_size(json_object_get(value, "a")) == 2);
    CHECK_STR(hone_buffer_cstr(&error), "");

    json_t *a = NULL;
    const char *missing = NULL;
    CHECK(hone_unpack(value, &sink, "run request", "{s:o}", "a", &a) == HONE_OK);
    CHECK(json_is_array(a));
    CHECK(hone_unpack(value, &sink, "run request", "{s:s}", "b", &missing) == HONE_ERR_INVALID_ARGUMENT);
    CHECK(strncmp(hone_buffer_cstr(&error), "run request: ", 13) == 0);
    CHECK(strstr(hone_buffer_cstr(&error), "(at ") != NULL);
    json_decref(value);

    hone_buffer_clear(&error);
    CHECK(hone_json_parse("{\"a\": }", "run request", &sink) == NULL);
    CHECK(strncmp(hone_buffer_cstr(&error), "run request: invalid JSON at line 1, column ", 44) == 0);
    hone_buffer_clear(&error);
    CHECK(hone_json_parse("{\"a\": 1, \"a\": 2}", "config", &sink) == NULL); /* duplicate keys are refused */
    CHECK(strstr(hone_buffer_cstr(&error), "duplicate") != NULL);
    CHECK(hone_json_parse(NULL, "config", NULL) == NULL);
    hone_buffer_free(&error);

    CHECK_STR(hone_json_type_name(NULL), "nothing");
    json_t *real = json_real(1.5);
    CHECK_STR(hone_json_type_name(real), "number");
    json_decref(real);
}

static void test_host_calls(void) {
    hone_host host = make_host();
    hone_buffer message = {0};
    json_t *request = json_pack("{s:[s], s:s, s:b}", "prompts", "great", "split", "train", "details", 0);
    json_t *response = NULL;

    answer_mode = ANSWER_OK;
    CHECK(hone_evaluate(&host, request, &response, &message) == HONE_OK);
    CHECK_STR(last_request, "{\"prompts\":[\"great\"],\"split\":\"train\",\"details\":false}");
    CHECK(json_number_value(json_object_get(json_array_get(json_object_get(response, "results"), 0), "score")) == 0.75);
    CHECK_STR(hone_buffer_cstr(&message), "");
    CHECK(request->refcount == 1); /* not stolen */
    json_decref(response);

    answer_mode = ANSWER_BUDGET;
    response = (json_t *)&host; /* must be reset to NULL */
    CHECK(hone_evaluate(&host, request, &response, &message) == HONE_ERR_BUDGET_EXHAUSTED);
    CHECK(response == NULL);
    CHECK_STR(hone_buffer_cstr(&message), "the request needs 8 calls but only 3 remain");

    answer_mode = ANSWER_GARBAGE;
    CHECK(hone_evaluate(&host, request, &response, NULL) == HONE_ERR_INTERNAL); /* no message buffer is fine */
    CHECK(hone_evaluate(&host, request, &response, &message) == HONE_ERR_INTERNAL);
    CHECK(strstr(hone_buffer_cstr(&message), "host->evaluate: the host answered with invalid JSON") != NULL);

    CHECK(hone_backend_call(&host, request, &response, &message) == HONE_ERR_UNSUPPORTED);
    CHECK_STR(hone_buffer_cstr(&message), "the host does not offer host->backend_call");

    /* A host compiled before `evaluate` existed (struct_size too small) has no evaluate. */
    hone_host old = make_host();
    old.struct_size = (uint32_t)offsetof(hone_host, evaluate);
    CHECK(!HONE_HOST_HAS(&old, evaluate));
    CHECK(HONE_HOST_HAS(&host, evaluate));
    CHECK(hone_evaluate(&old, request, &response, &message) == HONE_ERR_UNSUPPORTED);
    json_decref(request);
    hone_buffer_free(&message);

    hone_logf(&host, HONE_LOG_WARNING, "round %d of %d", 3, 5);
    CHECK_STR(last_log, "round 3 of 5");
    CHECK(last_level == HONE_LOG_WARNING);
}

static void test_config_getters(void) {
    hone_buffer error = {0};
    hone_sink sink = hone_buffer_sink(&error);
    json_t *config = json_loads(
        "{\"rounds\": 4, \"whole\": 5.0, \"half\": 5.5, \"rate\": 2, \"name\": \"x\", \"flag\": true,"
        " \"words\": [\"a\"], \"none\": null, \"text\": \"4\"}",
        0, NULL);
    json_int_t i = 0;
    double d = 0;
    int b = 0;
    const char *s = NULL;
    const json_t *array = NULL;

    CHECK(hone_config_int(config, "rounds", 1, &i, &sink) == HONE_OK && i == 4);
    CHECK(hone_config_int(config, "absent", 9, &i, &sink) == HONE_OK && i == 9);
    CHECK(hone_config_int(config, "none", 8, &i, &sink) == HONE_OK && i == 8);
    CHECK(hone_config_int(config, "whole", 1, &i, &sink) == HONE_OK && i == 5);
    CHECK_STR(hone_buffer_cstr(&error), "");
    i = 42;
    CHECK(hone_config_int(config, "half", 1, &i, &sink) == HONE_ERR_CONFIG && i == 42);
    CHECK_STR(hone_buffer_cstr(&error), "config.half: expected an integer, got 5.5");
    hone_buffer_clear(&error);
    CHECK(hone_config_int(config, "text", 1, &i, &sink) == HONE_ERR_CONFIG);
    CHECK_STR(hone_buffer_cstr(&error), "config.text: expected an integer, got string");
    hone_buffer_clear(&error);

    CHECK(hone_config_double(config, "rate", 0.1, &d, &sink) == HONE_OK && d == 2.0);
    CHECK(hone_config_double(config, "absent", 0.1, &d, &sink) == HONE_OK && d == 0.1);
    CHECK(hone_config_double(config, "flag", 0.1, &d, &sink) == HONE_ERR_CONFIG);
    CHECK_STR(hone_buffer_cstr(&error), "config.flag: expected a number, got boolean");
    hone_buffer_clear(&error);

    CHECK(hone_config_bool(config, "flag", 0, &b, &sink) == HONE_OK && b == 1);
    CHECK(hone_config_bool(config, "absent", 0, &b, &sink) == HONE_OK && b == 0);
    CHECK(hone_config_bool(config, "rounds", 0, &b, &sink) == HONE_ERR_CONFIG);
    CHECK_STR(hone_buffer_cstr(&error), "config.rounds: expected a boolean (true or false), got integer");
    hone_buffer_clear(&error);

    CHECK(hone_config_string(config, "name", "d", &s, &sink) == HONE_OK && strcmp(s, "x") == 0);
    CHECK(hone_config_string(config, "absent", "d", &s, &sink) == HONE_OK && strcmp(s, "d") == 0);
    CHECK(hone_config_string(config, "words", "d", &s, &sink) == HONE_ERR_CONFIG);
    CHECK_STR(hone_buffer_cstr(&error), "config.words: expected a string, got array");
    hone_buffer_clear(&error);

    CHECK(hone_config_array(config, "words", &array, &sink) == HONE_OK && json_array_size(array) == 1);
    CHECK(hone_config_array(config, "absent", &array, &sink) == HONE_OK && array == NULL);
    CHECK(hone_config_array(config, "name", &array, &sink) == HONE_ERR_CONFIG);
    CHECK_STR(hone_buffer_cstr(&error), "config.name: expected an array, got string");
    hone_buffer_clear(&error);

    json_t *not_object = json_array();
    CHECK(hone_config_int(not_object, "rounds", 1, &i, &sink) == HONE_ERR_CONFIG);
    CHECK_STR(hone_buffer_cstr(&error), "config: expected an object, got array");
    hone_buffer_clear(&error);
    CHECK(hone_config_int(NULL, "rounds", 1, &i, &sink) == HONE_ERR_CONFIG);
    CHECK_STR(hone_buffer_cstr(&error), "config: expected an object, got nothing");

    json_decref(not_object);
    json_decref(config);
    hone_buffer_free(&error);
}

static void test_render_helpers(void) {
    hone_buffer message = {0};
    hone_sink sink = hone_buffer_sink(&message);

    json_t *inputs = hone_render_inputs("{\"inputs\":[\"a film\",\"\"]}", &sink);
    CHECK(json_array_size(inputs) == 2);
    CHECK_STR(json_string_value(json_array_get(inputs, 0)), "a film");
    CHECK(hone_buffer_cstr(&message)[0] == 0);

    CHECK(hone_render_inputs("{\"inputs\":[\"a\",3]}", &sink) == NULL);
    CHECK_STR(hone_buffer_cstr(&message), "render request: inputs[1] is integer, expected a string");
    hone_buffer_clear(&message);
    CHECK(hone_render_inputs("{\"texts\":[]}", &sink) == NULL);
    CHECK_STR(hone_buffer_cstr(&message), "render request: \"inputs\" is nothing, expected an array of strings");
    hone_buffer_clear(&message);
    CHECK(hone_render_inputs("[", NULL) == NULL); /* no error sink is fine */

    json_t *prompts = json_pack("[s, s]", "P: A", "P: B");
    CHECK(hone_render_write_prompts(&sink, prompts, 2) == HONE_OK);
    CHECK_STR(hone_buffer_cstr(&message), "{\"prompts\":[\"P: A\",\"P: B\"]}");
    hone_buffer_clear(&message);
    CHECK(hone_render_write_prompts(&sink, prompts, 3) == HONE_ERR_INTERNAL);
    CHECK_STR(hone_buffer_cstr(&message), "render: 2 prompts for 3 inputs; return exactly one per input");
    hone_buffer_clear(&message);
    json_array_set_new(prompts, 1, json_integer(7));
    CHECK(hone_render_write_prompts(&sink, prompts, 2) == HONE_ERR_INTERNAL);
    CHECK_STR(hone_buffer_cstr(&message), "render: prompts[1] is integer, expected a string");

    json_decref(prompts);
    json_decref(inputs);
    hone_buffer_free(&message);
}

int main(void) {
    test_buffer();
    test_sink_writers();
    test_parse_and_unpack();
    test_host_calls();
    test_config_getters();
    test_render_helpers();
    if (failures > 0) {
        printf("hone_jansson: %d of %d checks failed\n", failures, checks);
        return 1;
    }
    printf("hone_jansson: %d checks passed\n", checks);
    return 0;
}
