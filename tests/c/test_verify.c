/*
 * Exercises every function of include/verify.h over the committed fixtures
 * (tests/fixtures): valid and invalid signatures, every nv_status a caller can
 * provoke, NULL and non-UTF-8 arguments, verifiers with and without a chain
 * cache giving identical results, and one verifier shared by 4 threads (with
 * and without a cache).
 * NV_STATUS_INTERNAL_ERROR needs a panic, which no input reaches; the Rust unit
 * tests of src/ffi/panic.rs cover it.
 *
 * Plain C11 + POSIX threads. Built and run by scripts/test-ffi.sh, linked
 * statically and dynamically, under ASan/UBSan and under valgrind:
 *
 *     test_verify tests/fixtures
 *
 * Prints "N passed, N failed" and exits non-zero on any failure.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify.h"

static int passed, failed;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (cond) {                                                                \
      passed++;                                                                \
    } else {                                                                   \
      failed++;                                                                \
      fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__,     \
              __func__, #cond);                                                \
    }                                                                          \
  } while (0)

#define CHECK_STATUS(call, expected)                                           \
  do {                                                                         \
    nv_status got_ = (call);                                                   \
    if (got_ == (expected)) {                                                  \
      passed++;                                                                \
    } else {                                                                   \
      failed++;                                                                \
      fprintf(stderr, "%s:%d: %s: %s returned %u (%s), expected %s\n",         \
              __FILE__, __LINE__, __func__, #call, (unsigned)got_,             \
              nv_status_description(got_), #expected);                         \
    }                                                                          \
  } while (0)

/* strcmp that treats NULL as a distinct value. */
static int same(const char *a, const char *b) {
  if (a == NULL || b == NULL) return a == b;
  return strcmp(a, b) == 0;
}

#define CHECK_STR(actual, expected)                                            \
  do {                                                                         \
    const char *a_ = (actual);                                                 \
    const char *e_ = (expected);                                               \
    if (same(a_, e_)) {                                                        \
      passed++;                                                                \
    } else {                                                                   \
      failed++;                                                                \
      fprintf(stderr, "%s:%d: %s: %s is \"%s\", expected \"%s\"\n", __FILE__,  \
              __LINE__, __func__, #actual, a_ ? a_ : "(null)",                 \
              e_ ? e_ : "(null)");                                             \
    }                                                                          \
  } while (0)

/* ------------------------------------------------------------------ fixtures */

static const char *fixtures;

typedef struct {
  uint8_t *data;
  size_t len;
} buffer;

static buffer load(const char *rel) {
  char path[4096];
  buffer b = {NULL, 0};
  snprintf(path, sizeof path, "%s/%s", fixtures, rel);
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "cannot open fixture %s\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  b.len = (size_t)n;
  b.data = malloc(b.len + 1);
  if (b.data == NULL || fread(b.data, 1, b.len, f) != b.len) {
    fprintf(stderr, "cannot read fixture %s\n", path);
    exit(2);
  }
  b.data[b.len] = 0;
  fclose(f);
  return b;
}

static void unload(buffer *b) {
  free(b->data);
  b->data = NULL;
  b->len = 0;
}

/* 2026-11-24T00:00:00Z, the fixtures' verification time. */
#define AT INT64_C(1795478400)
/* 2025-06-01T00:00:00Z, before the fixture leaf certificates are valid. */
#define BEFORE_LEAVES INT64_C(1748736000)

#define JWS "application/jose+json"
#define MANIFEST_TYPE "application/vnd.oci.image.manifest.v1+json"
#define ARTIFACT_DIGEST                                                        \
  "sha256:f217ca031bf4404ff02307c375f45a007d5ed21b739905776eeb56843fd903fb"
#define ARTIFACT_SIZE 551
#define NET_MONITOR "registry.example/net-monitor@" ARTIFACT_DIGEST
#define AWS_APP "registry.example/aws-app@" ARTIFACT_DIGEST
#define AWS_JOB                                                                \
  "arn:aws:signer:us-west-2:111122223333:/signing-jobs/"                       \
  "2e8a6f5c-0c8e-4d55-9f0e-6a4b7b1a8c01"

static void add_store(nv_verifier_builder *b, const char *store,
                      const char *rel) {
  buffer certs = load(rel);
  size_t added = 0;
  CHECK_STATUS(nv_verifier_builder_add_trust_store(b, store, certs.data,
                                                   certs.len, &added, NULL),
               NV_STATUS_OK);
  CHECK(added >= 1);
  unload(&certs);
}

/* The committed notation configuration: config/trustpolicy.json,
 * config/trustpolicy.blob.json and the stores under config/truststore; with a
 * verified-chain cache of `chain_cache` chains (0: none). */
static nv_verifier *committed_verifier(size_t chain_cache) {
  buffer oci = load("config/trustpolicy.json");
  buffer blob = load("config/trustpolicy.blob.json");
  nv_verifier_builder *b = NULL;
  nv_verifier *v = NULL;
  CHECK_STATUS(nv_verifier_builder_new(oci.data, oci.len, blob.data, blob.len,
                                       &b, NULL),
               NV_STATUS_OK);
  add_store(b, "ca:test-rsa", "config/truststore/x509/ca/test-rsa/test-rsa-root.pem");
  add_store(b, "ca:test-ec", "config/truststore/x509/ca/test-ec/test-ec-roots.pem");
  add_store(b, "signingAuthority:test-signer",
            "config/truststore/x509/signingAuthority/test-signer/test-signer-root.pem");
  CHECK_STATUS(nv_verifier_builder_set_chain_cache(b, chain_cache, NULL),
               NV_STATUS_OK);
  CHECK_STATUS(nv_verifier_builder_build(b, &v, NULL), NV_STATUS_OK);
  nv_verifier_builder_free(b);
  unload(&oci);
  unload(&blob);
  return v;
}

static nv_status verify_envelope(const nv_verifier *v, const char *rel,
                                 const char *reference, int64_t at,
                                 const nv_verify_options *options,
                                 nv_result **result) {
  buffer env = load(rel);
  nv_status s = nv_verify(v, env.data, env.len, JWS, reference, MANIFEST_TYPE,
                          ARTIFACT_DIGEST, ARTIFACT_SIZE, at, options, result,
                          NULL);
  unload(&env);
  return s;
}

/* Checks the kind, action and status of check `i` of `r`. */
static void expect_check(const nv_result *r, size_t i, nv_check kind,
                         nv_action action, nv_check_status status) {
  nv_check k = 99;
  nv_action a = 99;
  nv_check_status s = 99;
  CHECK_STATUS(nv_result_check_kind(r, i, &k), NV_STATUS_OK);
  CHECK_STATUS(nv_result_check_action(r, i, &a), NV_STATUS_OK);
  CHECK_STATUS(nv_result_check_status(r, i, &s), NV_STATUS_OK);
  if (k != kind || a != action || s != status) {
    failed++;
    fprintf(stderr, "check %zu: kind %u action %u status %u, expected %u %u %u\n",
            i, (unsigned)k, (unsigned)a, (unsigned)s, (unsigned)kind,
            (unsigned)action, (unsigned)status);
  } else {
    passed++;
  }
}

/* -------------------------------------------------------------------- tests */

static void test_version_and_statuses(void) {
  CHECK_STR(nv_version(), "0.1.0");
  for (uint32_t s = NV_STATUS_OK; s <= NV_STATUS_INTERNAL_ERROR; s++) {
    const char *d = nv_status_description(s);
    CHECK(d != NULL && strcmp(d, "unknown status") != 0);
    for (uint32_t t = NV_STATUS_OK; t < s; t++) {
      CHECK(strcmp(d, nv_status_description(t)) != 0);
    }
  }
  CHECK_STR(nv_status_description(NV_STATUS_POLICY_ERROR), "invalid trust policy");
  CHECK_STR(nv_status_description(1000), "unknown status");
}

static void test_builder_errors(void) {
  static const uint8_t bad_json[] = "{\"version\": ";
  static const uint8_t bad_version[] =
      "{\"version\": \"2.0\", \"trustPolicies\": []}";
  nv_verifier_builder *b = (nv_verifier_builder *)&b; /* garbage on purpose */
  nv_error *e = NULL;

  /* Neither policy. */
  CHECK_STATUS(nv_verifier_builder_new(NULL, 0, NULL, 0, &b, &e),
               NV_STATUS_INVALID_ARGUMENT);
  CHECK(b == NULL);
  CHECK_STATUS(nv_error_status(e), NV_STATUS_INVALID_ARGUMENT);
  CHECK_STR(nv_error_code(e), "invalid_argument");
  CHECK_STR(nv_error_rule(e), NULL);
  CHECK(strstr(nv_error_message(e), "at least one trust policy") != NULL);
  nv_error_free(e);

  /* NULL with a length. */
  CHECK_STATUS(nv_verifier_builder_new(NULL, 5, NULL, 0, &b, &e),
               NV_STATUS_INVALID_ARGUMENT);
  CHECK(strstr(nv_error_message(e), "oci_policy is NULL") != NULL);
  nv_error_free(e);

  /* No out-pointer: a status, no crash, no leak. */
  CHECK_STATUS(nv_verifier_builder_new(bad_version, sizeof bad_version - 1,
                                       NULL, 0, NULL, NULL),
               NV_STATUS_POLICY_ERROR);
  CHECK_STATUS(nv_verifier_builder_new(bad_json, 2, NULL, 0, NULL, NULL),
               NV_STATUS_POLICY_ERROR);

  /* Not JSON. */
  CHECK_STATUS(nv_verifier_builder_new(bad_json, sizeof bad_json - 1, NULL, 0,
                                       &b, &e),
               NV_STATUS_POLICY_ERROR);
  CHECK_STR(nv_error_code(e), "policy_malformed");
  nv_error_free(e);

  /* Empty policy bytes (a pointer with length 0). */
  CHECK_STATUS(nv_verifier_builder_new(bad_json, 0, NULL, 0, &b, &e),
               NV_STATUS_POLICY_ERROR);
  nv_error_free(e);

  /* Wrong version: the catalogue rule comes through. */
  CHECK_STATUS(nv_verifier_builder_new(NULL, 0, bad_version,
                                       sizeof bad_version - 1, &b, &e),
               NV_STATUS_POLICY_ERROR);
  CHECK_STR(nv_error_code(e), "policy_version_invalid");
  CHECK_STR(nv_error_rule(e), "POLICY-01");
  nv_error_free(e);

  /* Over the 1 MiB policy limit. */
  size_t big_len = 2u << 20;
  uint8_t *big = malloc(big_len);
  memset(big, ' ', big_len);
  big[0] = '{';
  big[big_len - 1] = '}';
  CHECK_STATUS(nv_verifier_builder_new(big, big_len, NULL, 0, &b, &e),
               NV_STATUS_LIMIT_EXCEEDED);
  CHECK_STR(nv_error_code(e), "limit_exceeded");
  nv_error_free(e);
  free(big);

  /* A chain cache without a builder. */
  CHECK_STATUS(nv_verifier_builder_set_chain_cache(NULL, 8, &e),
               NV_STATUS_INVALID_ARGUMENT);
  CHECK_STR(nv_error_code(e), "invalid_argument");
  CHECK(strstr(nv_error_message(e), "builder is NULL") != NULL);
  nv_error_free(e);

  /* Build without a builder. */
  nv_verifier *v = (nv_verifier *)&v;
  CHECK_STATUS(nv_verifier_builder_build(NULL, &v, &e),
               NV_STATUS_INVALID_ARGUMENT);
  CHECK(v == NULL);
  nv_error_free(e);
}

static void test_trust_store_errors(void) {
  buffer policy = load("config/trustpolicy.json");
  buffer pem = load("config/truststore/x509/ca/test-ec/test-ec-roots.pem");
  buffer der = load("stores/test-ec-der/ec256-root.der");
  buffer junk = load("stores/unparsable/not-a-certificate.pem");
  static const char not_utf8[] = {'c', 'a', ':', (char)0xff, 0};
  nv_verifier_builder *b = NULL;
  nv_error *e = NULL;
  size_t added = 0;

  CHECK_STATUS(nv_verifier_builder_new(policy.data, policy.len, NULL, 0, &b,
                                       NULL),
               NV_STATUS_OK);

  CHECK_STATUS(nv_verifier_builder_add_trust_store(b, "ca:test-ec", pem.data,
                                                   pem.len, &added, &e),
               NV_STATUS_OK);
  CHECK(e == NULL);
  CHECK(added == 3);
  CHECK_STATUS(nv_verifier_builder_add_trust_store(b, "ca:der", der.data,
                                                   der.len, &added, NULL),
               NV_STATUS_OK);
  CHECK(added == 1);
  /* added_out is optional. */
  CHECK_STATUS(nv_verifier_builder_add_trust_store(b, "tsa:der", der.data,
                                                   der.len, NULL, NULL),
               NV_STATUS_OK);

  CHECK_STATUS(nv_verifier_builder_add_trust_store(b, "ca:junk", junk.data,
                                                   junk.len, &added, &e),
               NV_STATUS_TRUST_STORE_ERROR);
  CHECK_STR(nv_error_code(e), "store_file_invalid");
  CHECK_STR(nv_error_rule(e), "STORE-04");
  nv_error_free(e);

  /* An empty file is a bad file; NULL declares a store without files. */
  CHECK_STATUS(nv_verifier_builder_add_trust_store(b, "ca:empty-file", pem.data,
                                                   0, &added, &e),
               NV_STATUS_TRUST_STORE_ERROR);
  CHECK_STR(nv_error_rule(e), "STORE-04");
  nv_error_free(e);
  added = 9;
  CHECK_STATUS(nv_verifier_builder_add_trust_store(b, "ca:no-files", NULL, 0,
                                                   &added, NULL),
               NV_STATUS_OK);
  CHECK(added == 0);
  CHECK_STATUS(nv_verifier_builder_add_trust_store(b, "bad", NULL, 0, NULL, NULL),
               NV_STATUS_INVALID_ARGUMENT);

  CHECK_STATUS(nv_verifier_builder_add_trust_store(b, "no-type", pem.data,
                                                   pem.len, &added, &e),
               NV_STATUS_INVALID_ARGUMENT);
  CHECK_STR(nv_error_rule(e), "STORE-01");
  nv_error_free(e);

  CHECK_STATUS(nv_verifier_builder_add_trust_store(b, not_utf8, pem.data,
                                                   pem.len, &added, &e),
               NV_STATUS_INVALID_ARGUMENT);
  CHECK(strstr(nv_error_message(e), "UTF-8") != NULL);
  nv_error_free(e);

  CHECK_STATUS(nv_verifier_builder_add_trust_store(b, NULL, pem.data, pem.len,
                                                   &added, NULL),
               NV_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(nv_verifier_builder_add_trust_store(b, "ca:x", NULL, 10, &added,
                                                   NULL),
               NV_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(nv_verifier_builder_add_trust_store(NULL, "ca:x", pem.data,
                                                   pem.len, &added, NULL),
               NV_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(nv_verifier_builder_add_trust_store(b, "ca:x", (const uint8_t *)"x",
                                                   SIZE_MAX, &added, NULL),
               NV_STATUS_INVALID_ARGUMENT);

  /* The builder is not consumed: build twice. */
  nv_verifier *v1 = NULL, *v2 = NULL;
  CHECK_STATUS(nv_verifier_builder_build(b, &v1, NULL), NV_STATUS_OK);
  CHECK_STATUS(nv_verifier_builder_build(b, &v2, NULL), NV_STATUS_OK);
  CHECK_STATUS(nv_verifier_builder_build(b, NULL, NULL),
               NV_STATUS_INVALID_ARGUMENT);
  nv_verifier_builder_free(b);
  CHECK(v1 != NULL && v2 != NULL && v1 != v2);
  nv_verifier_free(v1);
  nv_verifier_free(v2);

  unload(&policy);
  unload(&pem);
  unload(&der);
  unload(&junk);
}

/* A store declared without files is empty at verification (STORE-05), unless
 * certificates were added to it after all. */
static void test_empty_store(void) {
  buffer policy = load("config/trustpolicy.json");
  buffer rsa = load("config/truststore/x509/ca/test-rsa/test-rsa-root.pem");
  buffer ec = load("config/truststore/x509/ca/test-ec/test-ec-roots.pem");
  nv_verifier_builder *b = NULL;
  nv_verifier *v = NULL;
  nv_result *r = NULL;
  CHECK_STATUS(nv_verifier_builder_new(policy.data, policy.len, NULL, 0, &b,
                                       NULL),
               NV_STATUS_OK);
  CHECK_STATUS(nv_verifier_builder_add_trust_store(b, "ca:test-rsa", rsa.data,
                                                   rsa.len, NULL, NULL),
               NV_STATUS_OK);
  CHECK_STATUS(nv_verifier_builder_add_trust_store(b, "ca:test-ec", NULL, 0,
                                                   NULL, NULL),
               NV_STATUS_OK);
  CHECK_STATUS(nv_verifier_builder_build(b, &v, NULL), NV_STATUS_OK);
  CHECK_STATUS(verify_envelope(v, "envelopes/valid/x509-es256.jws", NET_MONITOR,
                               AT, NULL, &r),
               NV_STATUS_VERIFICATION_FAILED);
  CHECK_STR(nv_result_error_rule(r), "STORE-05");
  nv_result_free(r);
  nv_verifier_free(v);

  CHECK_STATUS(nv_verifier_builder_add_trust_store(b, "ca:test-ec", ec.data,
                                                   ec.len, NULL, NULL),
               NV_STATUS_OK);
  CHECK_STATUS(nv_verifier_builder_build(b, &v, NULL), NV_STATUS_OK);
  CHECK_STATUS(verify_envelope(v, "envelopes/valid/x509-es256.jws", NET_MONITOR,
                               AT, NULL, &r),
               NV_STATUS_OK);
  nv_result_free(r);
  nv_verifier_free(v);
  nv_verifier_builder_free(b);
  unload(&policy);
  unload(&rsa);
  unload(&ec);
}

static void test_verified(const nv_verifier *v) {
  nv_result *r = NULL;
  nv_error *e = (nv_error *)&e;
  buffer env = load("envelopes/valid/x509-es256.jws");
  CHECK_STATUS(nv_verify(v, env.data, env.len, JWS, NET_MONITOR, MANIFEST_TYPE,
                         ARTIFACT_DIGEST, ARTIFACT_SIZE, AT, NULL, &r, &e),
               NV_STATUS_OK);
  unload(&env);
  CHECK(e == NULL);
  CHECK(nv_result_verdict(r) == NV_VERDICT_VERIFIED);
  CHECK(nv_result_check_count(r) == 5);
  expect_check(r, 0, NV_CHECK_INTEGRITY, NV_ACTION_ENFORCE, NV_CHECK_STATUS_PASSED);
  expect_check(r, 1, NV_CHECK_AUTHENTICITY, NV_ACTION_ENFORCE, NV_CHECK_STATUS_PASSED);
  expect_check(r, 2, NV_CHECK_AUTHENTIC_TIMESTAMP, NV_ACTION_ENFORCE, NV_CHECK_STATUS_PASSED);
  expect_check(r, 3, NV_CHECK_EXPIRY, NV_ACTION_ENFORCE, NV_CHECK_STATUS_PASSED);
  expect_check(r, 4, NV_CHECK_REVOCATION, NV_ACTION_SKIP, NV_CHECK_STATUS_SKIPPED);
  for (size_t i = 0; i < 5; i++) {
    CHECK_STR(nv_result_check_code(r, i), NULL);
    CHECK_STR(nv_result_check_rule(r, i), NULL);
    CHECK_STR(nv_result_check_message(r, i), NULL);
  }
  CHECK_STR(nv_result_error_code(r), NULL);
  CHECK_STR(nv_result_error_rule(r), NULL);
  CHECK_STR(nv_result_error_message(r), NULL);
  size_t len = 0;
  const char *json = nv_result_json(r, &len);
  CHECK(json != NULL && strlen(json) == len);
  CHECK(json && strstr(json, "\"verdict\":\"verified\"") != NULL);
  CHECK(json && strstr(json, "\"policy\":\"net-monitor\"") != NULL);
  CHECK(json && strstr(json, "\"verificationTime\":\"2026-11-24T00:00:00Z\"") != NULL);
  CHECK(nv_result_json(r, NULL) == json);

  /* Out of range and NULL out-pointers. */
  nv_check k;
  CHECK_STATUS(nv_result_check_kind(r, 5, &k), NV_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(nv_result_check_action(r, 5, NULL), NV_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(nv_result_check_status(r, 0, NULL), NV_STATUS_INVALID_ARGUMENT);
  CHECK_STR(nv_result_check_code(r, 99), NULL);
  nv_result_free(r);
}

static void test_rejected(const nv_verifier *v) {
  nv_result *r = NULL;
  nv_error *e = NULL;

  /* Not JSON: a verdict (JWS-01), not a call failure. */
  CHECK_STATUS(verify_envelope(v, "envelopes/invalid/jws-01-not-json.jws",
                               NET_MONITOR, AT, NULL, &r),
               NV_STATUS_VERIFICATION_FAILED);
  CHECK(nv_result_verdict(r) == NV_VERDICT_REJECTED);
  CHECK_STR(nv_result_error_code(r), "envelope_not_json");
  CHECK_STR(nv_result_error_rule(r), "JWS-01");
  CHECK(nv_result_error_message(r) != NULL);
  CHECK_STR(nv_result_check_code(r, 0), "envelope_not_json");
  expect_check(r, 0, NV_CHECK_INTEGRITY, NV_ACTION_ENFORCE, NV_CHECK_STATUS_FAILED);
  expect_check(r, 1, NV_CHECK_AUTHENTICITY, NV_ACTION_ENFORCE, NV_CHECK_STATUS_NOT_RUN);
  nv_result_free(r);

  /* The error handle carries the same decisive failure. */
  buffer env = load("envelopes/valid/x509-es256.jws");
  CHECK_STATUS(nv_verify(v, env.data, env.len, JWS, NET_MONITOR, MANIFEST_TYPE,
                         "sha256:0000000000000000000000000000000000000000000000000000000000000000",
                         ARTIFACT_SIZE, AT, NULL, &r, &e),
               NV_STATUS_VERIFICATION_FAILED);
  CHECK_STATUS(nv_error_status(e), NV_STATUS_VERIFICATION_FAILED);
  CHECK_STR(nv_error_code(e), "target_mismatch");
  CHECK_STR(nv_error_rule(e), "PAY-03");
  CHECK_STR(nv_error_message(e), nv_result_error_message(r));
  nv_error_free(e);
  nv_result_free(r);

  /* Before the leaf is valid: authenticTimestamp fails (TIME-01). */
  CHECK_STATUS(nv_verify(v, env.data, env.len, JWS, NET_MONITOR, MANIFEST_TYPE,
                         ARTIFACT_DIGEST, ARTIFACT_SIZE, BEFORE_LEAVES, NULL,
                         &r, NULL),
               NV_STATUS_VERIFICATION_FAILED);
  expect_check(r, 2, NV_CHECK_AUTHENTIC_TIMESTAMP, NV_ACTION_ENFORCE,
               NV_CHECK_STATUS_FAILED);
  CHECK_STR(nv_result_check_rule(r, 2), "TIME-01");
  CHECK_STR(nv_result_check_code(r, 2), "certificate_not_yet_valid");
  CHECK(nv_result_check_message(r, 2) != NULL);
  nv_result_free(r);

  /* "Now": the system clock; any verdict, but a result. */
  nv_status now = nv_verify(v, env.data, env.len, JWS, NET_MONITOR,
                            MANIFEST_TYPE, ARTIFACT_DIGEST, ARTIFACT_SIZE,
                            NV_TIME_NOW, NULL, &r, NULL);
  CHECK(now == NV_STATUS_OK || now == NV_STATUS_VERIFICATION_FAILED);
  CHECK(r != NULL);
  CHECK(nv_result_json(r, NULL) != NULL &&
        strstr(nv_result_json(r, NULL),
               "\"verificationTime\":\"2026-11-24T00:00:00Z\"") == NULL);
  nv_result_free(r);

  /* Unsupported envelope media type (JWS-12). */
  CHECK_STATUS(nv_verify(v, env.data, env.len, "application/cose", NET_MONITOR,
                         MANIFEST_TYPE, ARTIFACT_DIGEST, ARTIFACT_SIZE, AT,
                         NULL, &r, NULL),
               NV_STATUS_VERIFICATION_FAILED);
  CHECK_STR(nv_result_error_rule(r), "JWS-12");
  nv_result_free(r);

  /* No policy statement for the repository (POLICY-18), no checks. */
  CHECK_STATUS(nv_verify(v, env.data, env.len, JWS,
                         "registry.example/other@" ARTIFACT_DIGEST,
                         MANIFEST_TYPE, ARTIFACT_DIGEST, ARTIFACT_SIZE, AT,
                         NULL, &r, NULL),
               NV_STATUS_VERIFICATION_FAILED);
  CHECK_STR(nv_result_error_rule(r), "POLICY-18");
  nv_result_free(r);

  /* Empty envelope (NULL with length 0): judged by the core. */
  CHECK_STATUS(nv_verify(v, NULL, 0, JWS, NET_MONITOR, MANIFEST_TYPE,
                         ARTIFACT_DIGEST, ARTIFACT_SIZE, AT, NULL, &r, NULL),
               NV_STATUS_VERIFICATION_FAILED);
  CHECK_STR(nv_result_error_rule(r), "JWS-01");
  nv_result_free(r);

  /* Oversize envelope: limit_exceeded in the verdict. */
  size_t big_len = 5u << 20;
  uint8_t *big = calloc(big_len, 1);
  CHECK_STATUS(nv_verify(v, big, big_len, JWS, NET_MONITOR, MANIFEST_TYPE,
                         ARTIFACT_DIGEST, ARTIFACT_SIZE, AT, NULL, &r, &e),
               NV_STATUS_VERIFICATION_FAILED);
  CHECK_STR(nv_result_error_code(r), "limit_exceeded");
  CHECK_STR(nv_error_code(e), "limit_exceeded");
  nv_error_free(e);
  nv_result_free(r);
  free(big);
  unload(&env);
}

static void test_verify_arguments(const nv_verifier *v) {
  static const char not_utf8[] = {'r', (char)0xc3, 0};
  buffer env = load("envelopes/valid/x509-es256.jws");
  nv_result *r = (nv_result *)&r;
  nv_error *e = NULL;

#define VERIFY_ARGS(verifier, data, len, mt, ref, amt, digest, out)           \
  nv_verify(verifier, data, len, mt, ref, amt, digest, ARTIFACT_SIZE, AT, NULL, \
            out, &e)
  CHECK_STATUS(VERIFY_ARGS(NULL, env.data, env.len, JWS, NET_MONITOR,
                           MANIFEST_TYPE, ARTIFACT_DIGEST, &r),
               NV_STATUS_INVALID_ARGUMENT);
  CHECK(r == NULL);
  CHECK(strstr(nv_error_message(e), "verifier is NULL") != NULL);
  nv_error_free(e);
  CHECK_STATUS(VERIFY_ARGS(v, NULL, env.len, JWS, NET_MONITOR, MANIFEST_TYPE,
                           ARTIFACT_DIGEST, &r),
               NV_STATUS_INVALID_ARGUMENT);
  nv_error_free(e);
  CHECK_STATUS(VERIFY_ARGS(v, env.data, env.len, NULL, NET_MONITOR,
                           MANIFEST_TYPE, ARTIFACT_DIGEST, &r),
               NV_STATUS_INVALID_ARGUMENT);
  nv_error_free(e);
  CHECK_STATUS(VERIFY_ARGS(v, env.data, env.len, JWS, NULL, MANIFEST_TYPE,
                           ARTIFACT_DIGEST, &r),
               NV_STATUS_INVALID_ARGUMENT);
  nv_error_free(e);
  CHECK_STATUS(VERIFY_ARGS(v, env.data, env.len, JWS, not_utf8, MANIFEST_TYPE,
                           ARTIFACT_DIGEST, &r),
               NV_STATUS_INVALID_ARGUMENT);
  CHECK(strstr(nv_error_message(e), "reference is not UTF-8") != NULL);
  nv_error_free(e);
  CHECK_STATUS(VERIFY_ARGS(v, env.data, env.len, JWS, NET_MONITOR, NULL,
                           ARTIFACT_DIGEST, &r),
               NV_STATUS_INVALID_ARGUMENT);
  nv_error_free(e);
  CHECK_STATUS(VERIFY_ARGS(v, env.data, env.len, JWS, NET_MONITOR,
                           MANIFEST_TYPE, NULL, &r),
               NV_STATUS_INVALID_ARGUMENT);
  nv_error_free(e);
  CHECK_STATUS(VERIFY_ARGS(v, env.data, env.len, JWS, NET_MONITOR,
                           MANIFEST_TYPE, ARTIFACT_DIGEST, NULL),
               NV_STATUS_INVALID_ARGUMENT);
  nv_error_free(e);
  CHECK_STATUS(VERIFY_ARGS(v, env.data, SIZE_MAX, JWS, NET_MONITOR,
                           MANIFEST_TYPE, ARTIFACT_DIGEST, &r),
               NV_STATUS_INVALID_ARGUMENT);
  nv_error_free(e);
#undef VERIFY_ARGS
  CHECK(r == NULL);

  /* Blob arguments. */
  CHECK_STATUS(nv_verify_blob(v, env.data, env.len, JWS, NULL, 3, NULL, NULL,
                              AT, NULL, &r, NULL),
               NV_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(nv_verify_blob(v, env.data, env.len, JWS, NULL, 0, not_utf8,
                              NULL, AT, NULL, &r, NULL),
               NV_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(nv_verify_blob(v, env.data, env.len, JWS, NULL, 0, NULL,
                              not_utf8, AT, NULL, &r, NULL),
               NV_STATUS_INVALID_ARGUMENT);
  CHECK(r == NULL);
  unload(&env);
}

static void test_null_handles(void) {
  nv_check k;
  CHECK(nv_result_verdict(NULL) == NV_VERDICT_REJECTED);
  CHECK(nv_result_check_count(NULL) == 0);
  CHECK_STATUS(nv_result_check_kind(NULL, 0, &k), NV_STATUS_INVALID_ARGUMENT);
  CHECK_STR(nv_result_check_code(NULL, 0), NULL);
  CHECK_STR(nv_result_check_rule(NULL, 0), NULL);
  CHECK_STR(nv_result_check_message(NULL, 0), NULL);
  CHECK_STR(nv_result_error_code(NULL), NULL);
  CHECK_STR(nv_result_error_rule(NULL), NULL);
  CHECK_STR(nv_result_error_message(NULL), NULL);
  size_t len = 7;
  CHECK(nv_result_json(NULL, &len) == NULL && len == 0);
  CHECK_STATUS(nv_error_status(NULL), NV_STATUS_INVALID_ARGUMENT);
  CHECK_STR(nv_error_code(NULL), NULL);
  CHECK_STR(nv_error_rule(NULL), NULL);
  CHECK_STR(nv_error_message(NULL), NULL);
  nv_result_free(NULL);
  nv_error_free(NULL);
  nv_verifier_free(NULL);
  nv_verifier_builder_free(NULL);
  nv_verify_options_free(NULL);
  nv_string_free(NULL);
  passed++;
}

static void test_skipped(void) {
  static const uint8_t policy[] =
      "{\"version\": \"1.0\", \"trustPolicies\": [{\"name\": \"skip-it\", "
      "\"registryScopes\": [\"registry.example/net-monitor\"], "
      "\"signatureVerification\": {\"level\": \"skip\"}, \"trustStores\": [], "
      "\"trustedIdentities\": []}]}";
  nv_verifier_builder *b = NULL;
  nv_verifier *v = NULL;
  nv_result *r = NULL;
  CHECK_STATUS(nv_verifier_builder_new(policy, sizeof policy - 1, NULL, 0, &b,
                                       NULL),
               NV_STATUS_OK);
  CHECK_STATUS(nv_verifier_builder_build(b, &v, NULL), NV_STATUS_OK);
  nv_verifier_builder_free(b);
  CHECK_STATUS(verify_envelope(v, "envelopes/invalid/jws-01-not-json.jws",
                               NET_MONITOR, AT, NULL, &r),
               NV_STATUS_OK);
  CHECK(nv_result_verdict(r) == NV_VERDICT_SKIPPED);
  CHECK_STR(nv_result_error_code(r), NULL);
  nv_result_free(r);
  nv_verifier_free(v);
}

static void test_user_metadata(const nv_verifier *v) {
  nv_verify_options *o = NULL;
  nv_result *r = NULL;
  nv_error *e = NULL;
  static const char not_utf8[] = {(char)0x80, 0};

  CHECK_STATUS(nv_verify_options_new(&o, NULL), NV_STATUS_OK);
  CHECK_STATUS(nv_verify_options_new(NULL, &e), NV_STATUS_INVALID_ARGUMENT);
  nv_error_free(e);

  CHECK_STATUS(nv_verify_options_add_user_metadata(o, "io.example.buildId",
                                                   "123", NULL),
               NV_STATUS_OK);
  CHECK_STATUS(verify_envelope(v, "envelopes/valid/x509-annotations.jws",
                               NET_MONITOR, AT, o, &r),
               NV_STATUS_OK);
  nv_result_free(r);

  /* Replacing the value makes it mismatch (PAY-06). */
  CHECK_STATUS(nv_verify_options_add_user_metadata(o, "io.example.buildId",
                                                   "456", NULL),
               NV_STATUS_OK);
  CHECK_STATUS(verify_envelope(v, "envelopes/valid/x509-annotations.jws",
                               NET_MONITOR, AT, o, &r),
               NV_STATUS_VERIFICATION_FAILED);
  CHECK_STR(nv_result_error_rule(r), "PAY-06");
  nv_result_free(r);

  CHECK_STATUS(nv_verify_options_add_user_metadata(o, NULL, "x", NULL),
               NV_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(nv_verify_options_add_user_metadata(o, "k", not_utf8, NULL),
               NV_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(nv_verify_options_add_user_metadata(NULL, "k", "v", NULL),
               NV_STATUS_INVALID_ARGUMENT);
  nv_verify_options_free(o);
}

static void test_aws_revocation(const nv_verifier *v) {
  static const uint8_t not_revoked[] = "{\"revokedEntities\": []}";
  static const uint8_t revoked[] = "{\"revokedEntities\": [\"" AWS_JOB "\"]}";
  static const uint8_t malformed[] = "{\"revokedEntities\": 3}";
  nv_verify_options *o = NULL;
  nv_result *r = NULL;
  nv_error *e = NULL;

  /* The committed policy logs revocation; without an answer it is unavailable. */
  CHECK_STATUS(verify_envelope(v, "envelopes/valid/sa-aws-es384.jws", AWS_APP,
                               AT, NULL, &r),
               NV_STATUS_OK);
  expect_check(r, 4, NV_CHECK_REVOCATION, NV_ACTION_LOG, NV_CHECK_STATUS_UNAVAILABLE);
  CHECK_STR(nv_result_check_rule(r, 4), "AWS-09");
  nv_result_free(r);

  CHECK_STATUS(nv_verify_options_new(&o, NULL), NV_STATUS_OK);
  CHECK_STATUS(nv_verify_options_set_aws_revocation(o, not_revoked,
                                                    sizeof not_revoked - 1, NULL),
               NV_STATUS_OK);
  CHECK_STATUS(verify_envelope(v, "envelopes/valid/sa-aws-es384.jws", AWS_APP,
                               AT, o, &r),
               NV_STATUS_OK);
  expect_check(r, 4, NV_CHECK_REVOCATION, NV_ACTION_LOG, NV_CHECK_STATUS_PASSED);
  nv_result_free(r);

  /* A revoked job: failed, logged, still verified. */
  CHECK_STATUS(nv_verify_options_set_aws_revocation(o, revoked,
                                                    sizeof revoked - 1, NULL),
               NV_STATUS_OK);
  CHECK_STATUS(verify_envelope(v, "envelopes/valid/sa-aws-es384.jws", AWS_APP,
                               AT, o, &r),
               NV_STATUS_OK);
  expect_check(r, 4, NV_CHECK_REVOCATION, NV_ACTION_LOG, NV_CHECK_STATUS_FAILED);
  CHECK_STR(nv_result_check_code(r, 4), "aws_revoked");
  CHECK(nv_result_verdict(r) == NV_VERDICT_VERIFIED);
  nv_result_free(r);

  CHECK_STATUS(nv_verify_options_set_aws_revocation(o, malformed,
                                                    sizeof malformed - 1, &e),
               NV_STATUS_MALFORMED_INPUT);
  CHECK_STR(nv_error_code(e), "revocation_check_failed");
  nv_error_free(e);
  CHECK_STATUS(nv_verify_options_set_aws_revocation(o, NULL, 0, NULL),
               NV_STATUS_MALFORMED_INPUT);
  CHECK_STATUS(nv_verify_options_set_aws_revocation(o, NULL, 1, NULL),
               NV_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(nv_verify_options_set_aws_revocation(NULL, not_revoked, 3, NULL),
               NV_STATUS_INVALID_ARGUMENT);
  nv_verify_options_free(o);
}

#define REV_DIGEST                                                             \
  "sha256:ef7284ef2669581e556d09fb7876095832e7bdc786e4fde600847d5f170807c7"

/* Verifies a revocation fixture (revocation/envelopes/NAME) with revocation
 * enforced and the given options. */
static nv_status verify_revocation(const char *name,
                                   const nv_verify_options *o, nv_result **r) {
  static const uint8_t policy[] =
      "{\"version\": \"1.0\", \"trustPolicies\": [{\"name\": \"rev\", "
      "\"registryScopes\": [\"*\"], \"signatureVerification\": {\"level\": "
      "\"strict\"}, \"trustStores\": [\"ca:rev\"], \"trustedIdentities\": "
      "[\"*\"]}]}";
  char rel[256];
  nv_verifier_builder *b = NULL;
  nv_verifier *v = NULL;
  CHECK_STATUS(nv_verifier_builder_new(policy, sizeof policy - 1, NULL, 0, &b,
                                       NULL),
               NV_STATUS_OK);
  add_store(b, "ca:rev", "revocation/certs/root.pem");
  CHECK_STATUS(nv_verifier_builder_build(b, &v, NULL), NV_STATUS_OK);
  nv_verifier_builder_free(b);
  snprintf(rel, sizeof rel, "revocation/envelopes/%s", name);
  buffer env = load(rel);
  nv_status s = nv_verify(v, env.data, env.len, JWS,
                          "registry.example/fixtures@" REV_DIGEST,
                          MANIFEST_TYPE, REV_DIGEST, 28, AT, o, r, NULL);
  unload(&env);
  nv_verifier_free(v);
  return s;
}

static void test_crl_and_ocsp(void) {
  buffer crl = load("revocation/crl/int.crl");
  buffer root_crl = load("revocation/crl/root.crl");
  buffer good = load("revocation/ocsp/leaf-good.der");
  nv_verify_options *o = NULL;
  nv_result *r = NULL;
  nv_error *e = NULL;

  /* No evidence: unknown (REV-02). */
  CHECK_STATUS(verify_revocation("leaf.jws", NULL, &r),
               NV_STATUS_VERIFICATION_FAILED);
  CHECK_STR(nv_result_error_rule(r), "REV-02");
  nv_result_free(r);

  /* A good OCSP response for the leaf, the root's CRL for the intermediate. */
  CHECK_STATUS(nv_verify_options_new(&o, NULL), NV_STATUS_OK);
  CHECK_STATUS(nv_verify_options_add_crl(o, root_crl.data, root_crl.len, NULL),
               NV_STATUS_OK);
  CHECK_STATUS(nv_verify_options_add_ocsp(o, good.data, good.len, NULL),
               NV_STATUS_OK);
  CHECK_STATUS(verify_revocation("leaf.jws", o, &r), NV_STATUS_OK);
  expect_check(r, 4, NV_CHECK_REVOCATION, NV_ACTION_ENFORCE, NV_CHECK_STATUS_PASSED);
  nv_result_free(r);
  nv_verify_options_free(o);

  /* A CRL listing the leaf (REV-01). */
  CHECK_STATUS(nv_verify_options_new(&o, NULL), NV_STATUS_OK);
  CHECK_STATUS(nv_verify_options_add_crl(o, root_crl.data, root_crl.len, NULL),
               NV_STATUS_OK);
  CHECK_STATUS(nv_verify_options_add_crl(o, crl.data, crl.len, NULL),
               NV_STATUS_OK);
  CHECK_STATUS(verify_revocation("revoked-leaf.jws", o, &r),
               NV_STATUS_VERIFICATION_FAILED);
  CHECK_STR(nv_result_error_code(r), "certificate_revoked");
  CHECK_STR(nv_result_error_rule(r), "REV-01");
  nv_result_free(r);

  /* At most NV_MAX_EVIDENCE_ITEMS of each (two CRLs are in already). */
  for (int i = 2; i < NV_MAX_EVIDENCE_ITEMS; i++) {
    CHECK_STATUS(nv_verify_options_add_crl(o, crl.data, crl.len, NULL),
                 NV_STATUS_OK);
  }
  for (int i = 0; i < NV_MAX_EVIDENCE_ITEMS; i++) {
    CHECK_STATUS(nv_verify_options_add_ocsp(o, good.data, good.len, NULL),
                 NV_STATUS_OK);
  }
  CHECK_STATUS(nv_verify_options_add_crl(o, crl.data, crl.len, &e),
               NV_STATUS_LIMIT_EXCEEDED);
  CHECK_STR(nv_error_code(e), "limit_exceeded");
  nv_error_free(e);
  CHECK_STATUS(nv_verify_options_add_ocsp(o, good.data, good.len, NULL),
               NV_STATUS_LIMIT_EXCEEDED);
  CHECK_STATUS(nv_verify_options_add_crl(NULL, crl.data, crl.len, NULL),
               NV_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(nv_verify_options_add_ocsp(o, NULL, 1, NULL),
               NV_STATUS_INVALID_ARGUMENT);
  nv_verify_options_free(o);

  /* Garbage evidence fails the revocation check (REV-03). */
  CHECK_STATUS(nv_verify_options_new(&o, NULL), NV_STATUS_OK);
  CHECK_STATUS(nv_verify_options_add_crl(o, (const uint8_t *)"junk", 4, NULL),
               NV_STATUS_OK);
  CHECK_STATUS(verify_revocation("leaf.jws", o, &r),
               NV_STATUS_VERIFICATION_FAILED);
  CHECK_STR(nv_result_error_rule(r), "REV-03");
  nv_result_free(r);
  nv_verify_options_free(o);

  unload(&crl);
  unload(&root_crl);
  unload(&good);
}

static void test_blob(const nv_verifier *v) {
  buffer env = load("blob/hello.txt.jws.sig");
  buffer ps256 = load("blob/hello.txt.ps256.jws.sig");
  buffer blob = load("blob/hello.txt");
  buffer modified = load("blob/hello-modified.txt");
  nv_result *r = NULL;
  nv_error *e = NULL;

  CHECK_STATUS(nv_verify_blob(v, env.data, env.len, JWS, blob.data, blob.len,
                              NULL, NULL, AT, NULL, &r, &e),
               NV_STATUS_OK);
  CHECK(e == NULL);
  CHECK(nv_result_verdict(r) == NV_VERDICT_VERIFIED);
  CHECK(strstr(nv_result_json(r, NULL), "\"policy\":\"blob-global\"") != NULL);
  nv_result_free(r);

  CHECK_STATUS(nv_verify_blob(v, ps256.data, ps256.len, JWS, blob.data,
                              blob.len, "blob-rsa", NULL, AT, NULL, &r, NULL),
               NV_STATUS_OK);
  CHECK(strstr(nv_result_json(r, NULL), "\"policy\":\"blob-rsa\"") != NULL);
  nv_result_free(r);

  CHECK_STATUS(nv_verify_blob(v, env.data, env.len, JWS, modified.data,
                              modified.len, NULL, NULL, AT, NULL, &r, &e),
               NV_STATUS_VERIFICATION_FAILED);
  CHECK_STR(nv_error_rule(e), "PAY-04");
  CHECK_STR(nv_result_error_rule(r), "PAY-04");
  nv_error_free(e);
  nv_result_free(r);

  CHECK_STATUS(nv_verify_blob(v, env.data, env.len, JWS, blob.data, blob.len,
                              NULL, "application/x-other", AT, NULL, &r, NULL),
               NV_STATUS_VERIFICATION_FAILED);
  CHECK_STR(nv_result_error_rule(r), "PAY-05");
  nv_result_free(r);

  CHECK_STATUS(nv_verify_blob(v, env.data, env.len, JWS, blob.data, blob.len,
                              "blob-missing", NULL, AT, NULL, &r, NULL),
               NV_STATUS_VERIFICATION_FAILED);
  CHECK_STR(nv_result_error_rule(r), "POLICY-18");
  nv_result_free(r);

  unload(&env);
  unload(&ps256);
  unload(&blob);
  unload(&modified);
}

static void test_inspect(void) {
  buffer env = load("envelopes/valid/sa-aws-es384.jws");
  buffer bad = load("envelopes/invalid/jws-02-compact.jws");
  char *json = (char *)&json;
  nv_error *e = NULL;

  CHECK_STATUS(nv_inspect(env.data, env.len, &json, &e), NV_STATUS_OK);
  CHECK(e == NULL);
  CHECK(json != NULL && strstr(json, "\"algorithm\":\"ES384\"") != NULL);
  CHECK(json != NULL && strstr(json, "\"signingJob\":\"" AWS_JOB "\"") != NULL);
  nv_string_free(json);

  CHECK_STATUS(nv_inspect(bad.data, bad.len, &json, &e),
               NV_STATUS_MALFORMED_INPUT);
  CHECK(json == NULL);
  CHECK_STR(nv_error_rule(e), "JWS-02");
  nv_error_free(e);

  CHECK_STATUS(nv_inspect(NULL, 0, &json, &e), NV_STATUS_MALFORMED_INPUT);
  CHECK_STR(nv_error_rule(e), "JWS-01");
  nv_error_free(e);

  CHECK_STATUS(nv_inspect(env.data, env.len, NULL, &e),
               NV_STATUS_INVALID_ARGUMENT);
  nv_error_free(e);
  CHECK_STATUS(nv_inspect(NULL, 10, &json, NULL), NV_STATUS_INVALID_ARGUMENT);

  size_t big_len = 5u << 20;
  uint8_t *big = calloc(big_len, 1);
  CHECK_STATUS(nv_inspect(big, big_len, &json, &e), NV_STATUS_LIMIT_EXCEEDED);
  CHECK_STR(nv_error_code(e), "limit_exceeded");
  nv_error_free(e);
  free(big);

  unload(&env);
  unload(&bad);
}

/* -------------------------------------------------------------- chain cache */

#define OTHER_DIGEST                                                           \
  "sha256:0000000000000000000000000000000000000000000000000000000000000000"

/* One verification with the committed configuration. Envelopes share chains:
 * each valid one puts its chain in a cache, and the invalid ones after it (a bad
 * signature, an expired signature, the wrong time or artifact, the
 * signing-authority scheme where the policy trusts CAs only) find that chain
 * cached and must still fail. */
typedef struct {
  const char *envelope;
  const char *reference;
  const char *digest;
  int64_t at;
  const char *rule; /* the decisive failure's rule; NULL: verified */
} cache_case;

static const cache_case cache_cases[] = {
    {"envelopes/valid/x509-es256-no-expiry.jws", NET_MONITOR, ARTIFACT_DIGEST, AT, NULL},
    {"envelopes/invalid/alg-04-signature-bit-flip.jws", NET_MONITOR, ARTIFACT_DIGEST, AT, "ALG-04"},
    {"envelopes/invalid/time-06-expired.jws", NET_MONITOR, ARTIFACT_DIGEST, AT, "TIME-06"},
    {"envelopes/valid/x509-es256-no-expiry.jws", NET_MONITOR, ARTIFACT_DIGEST, BEFORE_LEAVES, "TIME-01"},
    {"envelopes/valid/x509-es256-no-expiry.jws", NET_MONITOR, OTHER_DIGEST, AT, "PAY-03"},
    {"envelopes/valid/x509-ps256.jws", NET_MONITOR, ARTIFACT_DIGEST, AT, NULL},
    {"envelopes/invalid/store-09-sa-scheme-with-ca-chain.jws", NET_MONITOR, ARTIFACT_DIGEST, AT, "STORE-08"},
    {"envelopes/valid/sa-aws-es384.jws", AWS_APP, ARTIFACT_DIGEST, AT, NULL},
    {"envelopes/invalid/jws-01-not-json.jws", NET_MONITOR, ARTIFACT_DIGEST, AT, "JWS-01"},
};
#define CACHE_CASES (sizeof cache_cases / sizeof cache_cases[0])

/* Verifies `c` with `v` and checks its verdict; the caller frees the result. */
static nv_result *verify_cache_case(const nv_verifier *v, const cache_case *c) {
  nv_result *r = NULL;
  buffer env = load(c->envelope);
  nv_status s = nv_verify(v, env.data, env.len, JWS, c->reference,
                          MANIFEST_TYPE, c->digest, ARTIFACT_SIZE, c->at, NULL,
                          &r, NULL);
  unload(&env);
  if (s != (c->rule ? NV_STATUS_VERIFICATION_FAILED : NV_STATUS_OK) ||
      !same(nv_result_error_rule(r), c->rule)) {
    failed++;
    fprintf(stderr, "%s at %lld: status %u rule %s, expected rule %s\n",
            c->envelope, (long long)c->at, (unsigned)s,
            nv_result_error_rule(r) ? nv_result_error_rule(r) : "(none)",
            c->rule ? c->rule : "(none)");
  } else {
    passed++;
  }
  return r;
}

/* A chain cache never changes an outcome: a verifier without one verifies each
 * case once, verifiers with one (room for every chain, and for one chain only, so
 * chains evict each other) verify every case twice, cold then warm; the outcome
 * JSON is the same every time. */
static void test_chain_cache(void) {
  nv_result *expected[CACHE_CASES];
  nv_verifier *plain = committed_verifier(0);
  for (size_t i = 0; i < CACHE_CASES; i++) {
    expected[i] = verify_cache_case(plain, &cache_cases[i]);
  }
  nv_verifier_free(plain);

  const size_t capacities[] = {16, 1};
  for (size_t k = 0; k < sizeof capacities / sizeof capacities[0]; k++) {
    nv_verifier *cached = committed_verifier(capacities[k]);
    for (int pass = 0; pass < 2; pass++) {
      for (size_t i = 0; i < CACHE_CASES; i++) {
        nv_result *r = verify_cache_case(cached, &cache_cases[i]);
        if (!same(nv_result_json(r, NULL), nv_result_json(expected[i], NULL))) {
          failed++;
          fprintf(stderr, "%s (capacity %zu, pass %d): outcome differs without "
                          "a cache:\n  %s\n  %s\n",
                  cache_cases[i].envelope, capacities[k], pass,
                  nv_result_json(r, NULL), nv_result_json(expected[i], NULL));
        } else {
          passed++;
        }
        nv_result_free(r);
      }
    }
    nv_verifier_free(cached);
  }
  for (size_t i = 0; i < CACHE_CASES; i++) {
    nv_result_free(expected[i]);
  }
}

/* ------------------------------------------------------------------ threads */

#define THREADS 4
#define ROUNDS 8

typedef struct {
  const nv_verifier *verifier;
  buffer valid, invalid, aws;
  int failures;
} shared_input;

static void *worker(void *arg) {
  shared_input *in = arg;
  int failures = 0;
  for (int i = 0; i < ROUNDS; i++) {
    nv_result *r = NULL;
    nv_error *e = NULL;
    nv_status s = nv_verify(in->verifier, in->valid.data, in->valid.len, JWS,
                            NET_MONITOR, MANIFEST_TYPE, ARTIFACT_DIGEST,
                            ARTIFACT_SIZE, AT, NULL, &r, &e);
    failures += s != NV_STATUS_OK || nv_result_verdict(r) != NV_VERDICT_VERIFIED;
    nv_result_free(r);
    nv_error_free(e);

    s = nv_verify(in->verifier, in->invalid.data, in->invalid.len, JWS,
                  NET_MONITOR, MANIFEST_TYPE, ARTIFACT_DIGEST, ARTIFACT_SIZE,
                  AT, NULL, &r, &e);
    failures += s != NV_STATUS_VERIFICATION_FAILED ||
                !same(nv_error_rule(e), "JWS-01") ||
                !same(nv_result_error_rule(r), "JWS-01");
    nv_result_free(r);
    nv_error_free(e);

    s = nv_verify(in->verifier, in->aws.data, in->aws.len, JWS, AWS_APP,
                  MANIFEST_TYPE, ARTIFACT_DIGEST, ARTIFACT_SIZE, AT, NULL, &r,
                  NULL);
    failures += s != NV_STATUS_OK;
    nv_result_free(r);
  }
  in->failures = failures;
  return NULL;
}

static void test_threads(const nv_verifier *v) {
  pthread_t threads[THREADS];
  shared_input inputs[THREADS];
  buffer valid = load("envelopes/valid/x509-es256.jws");
  buffer invalid = load("envelopes/invalid/jws-01-not-json.jws");
  buffer aws = load("envelopes/valid/sa-aws-es384.jws");
  for (int i = 0; i < THREADS; i++) {
    inputs[i] = (shared_input){v, valid, invalid, aws, -1};
    CHECK(pthread_create(&threads[i], NULL, worker, &inputs[i]) == 0);
  }
  for (int i = 0; i < THREADS; i++) {
    CHECK(pthread_join(threads[i], NULL) == 0);
    CHECK(inputs[i].failures == 0);
  }
  unload(&valid);
  unload(&invalid);
  unload(&aws);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s FIXTURES_DIR\n", argv[0]);
    return 2;
  }
  fixtures = argv[1];

  test_version_and_statuses();
  test_builder_errors();
  test_trust_store_errors();
  test_empty_store();
  test_null_handles();
  test_skipped();
  test_inspect();
  test_crl_and_ocsp();
  test_chain_cache();

  nv_verifier *v = committed_verifier(0);
  test_verified(v);
  test_rejected(v);
  test_verify_arguments(v);
  test_user_metadata(v);
  test_aws_revocation(v);
  test_blob(v);
  test_threads(v);
  nv_verifier_free(v);

  /* The cache is shared by the threads using one verifier. */
  nv_verifier *cached = committed_verifier(4);
  test_threads(cached);
  nv_verifier_free(cached);

  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
