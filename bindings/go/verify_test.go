package verify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fixtures is the repository's shared test input directory.
var fixtures = filepath.Join("..", "..", "tests", "fixtures")

// at is the fixtures' verification time.
var at = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

const (
	jws          = "application/jose+json"
	manifestType = "application/vnd.oci.image.manifest.v1+json"
	digest       = "sha256:f217ca031bf4404ff02307c375f45a007d5ed21b739905776eeb56843fd903fb"
	netMonitor   = "registry.example/net-monitor@" + digest
	awsApp       = "registry.example/aws-app@" + digest
	awsJob       = "arn:aws:signer:us-west-2:111122223333:/signing-jobs/2e8a6f5c-0c8e-4d55-9f0e-6a4b7b1a8c01"
)

var artifact = Descriptor{MediaType: manifestType, Digest: digest, Size: 551}

func read(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures, rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// manifestCase is one case of tests/fixtures/manifest.json.
type manifestCase struct {
	ID                 string              `json:"id"`
	Envelope           string              `json:"envelope"`
	TrustPolicy        json.RawMessage     `json:"trust_policy"`
	TrustStores        map[string][]string `json:"trust_stores"`
	Reference          string              `json:"reference"`
	Artifact           *manifestArtifact   `json:"artifact"`
	At                 string              `json:"at"`
	Blob               string              `json:"blob"`
	PolicyName         string              `json:"policy_name"`
	BlobMediaType      string              `json:"blob_media_type"`
	SignatureMediaType string              `json:"signature_media_type"`
	UserMetadata       map[string]string   `json:"user_metadata"`
	Expected           string              `json:"expected"`
	Issue              json.RawMessage     `json:"issue"`
}

// manifestArtifact is a case's artifact descriptor.
type manifestArtifact struct {
	MediaType string `json:"mediaType"`
	Digest    string `json:"digest"`
	Size      int64  `json:"size"`
}

func manifestCases(t *testing.T) []manifestCase {
	var manifest map[string]json.RawMessage
	if err := json.Unmarshal(read(t, "manifest.json"), &manifest); err != nil {
		t.Fatal(err)
	}
	var all []manifestCase
	for _, section := range []string{"cases", "cases_needing_user_metadata"} {
		var cases []manifestCase
		if raw, ok := manifest[section]; ok {
			if err := json.Unmarshal(raw, &cases); err != nil {
				t.Fatalf("%s: %v", section, err)
			}
		}
		all = append(all, cases...)
	}
	if len(all) == 0 {
		t.Fatal("tests/fixtures/manifest.json has no cases")
	}
	return all
}

// run verifies one manifest case through the Go API, as tests/support/mod.rs
// does through the Rust API.
func (c manifestCase) run(t *testing.T) *Outcome {
	v := c.verifier(t)
	defer v.Close()
	return c.verify(t, v)
}

// verifier makes the Verifier of the case's policy and stores.
func (c manifestCase) verifier(t *testing.T, opts ...VerifierOption) *Verifier {
	stores := TrustStores{}
	for name, files := range c.TrustStores {
		stores[name] = [][]byte{}
		for _, f := range files {
			stores[name] = append(stores[name], read(t, f))
		}
	}
	policy := TrustPolicy{OCI: c.TrustPolicy}
	if c.Blob != "" {
		policy = TrustPolicy{Blob: c.TrustPolicy}
	}
	v, err := NewVerifier(policy, stores, opts...)
	if err != nil {
		t.Fatalf("%s: NewVerifier: %v", c.ID, err)
	}
	return v
}

// verify verifies the case's envelope with v.
func (c manifestCase) verify(t *testing.T, v *Verifier) *Outcome {
	when, err := time.Parse(time.RFC3339, c.At)
	if err != nil {
		t.Fatalf("%s: at: %v", c.ID, err)
	}
	mediaType := jws
	if c.SignatureMediaType != "" {
		mediaType = c.SignatureMediaType
	}
	var opts []Option
	if c.UserMetadata != nil {
		opts = append(opts, WithUserMetadata(c.UserMetadata))
	}
	var outcome *Outcome
	if c.Blob != "" {
		outcome, err = v.VerifyBlob(read(t, c.Envelope), mediaType, read(t, c.Blob), c.PolicyName, c.BlobMediaType, when, opts...)
	} else {
		outcome, err = v.Verify(read(t, c.Envelope), mediaType, c.Reference, Descriptor(*c.Artifact), when, opts...)
	}
	if outcome == nil {
		t.Fatalf("%s: no outcome: %v", c.ID, err)
	}
	if (outcome.Verdict == VerdictRejected) != (err != nil) {
		t.Errorf("%s: verdict %s with error %v", c.ID, outcome.Verdict, err)
	}
	if err != nil && !errors.Is(err, StatusVerificationFailed) {
		t.Errorf("%s: error %v does not wrap StatusVerificationFailed", c.ID, err)
	}
	return outcome
}

// rustOutcomes loads the Rust API's outcome JSON per case id from the file
// named by NV_OUTCOMES (written by `cargo run --example outcome_json`), if set.
func rustOutcomes(t *testing.T) map[string]string {
	path := os.Getenv("NV_OUTCOMES")
	if path == "" {
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var outcomes map[string]string
	if err := json.Unmarshal(b, &outcomes); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return outcomes
}

// TestManifestCases runs every fixture case. With NV_OUTCOMES the outcome JSON
// must equal the Rust API's byte for byte; without it, the verdict must be the
// manifest's (cases tied to an open issue excepted).
func TestManifestCases(t *testing.T) {
	rust := rustOutcomes(t)
	if rust == nil {
		t.Log("NV_OUTCOMES is not set: comparing verdicts with the manifest only (scripts/test-ffi.sh sets it)")
	}
	compared := 0
	for _, c := range manifestCases(t) {
		outcome := c.run(t)
		checkConsistent(t, c.ID, outcome)
		if rust != nil {
			want, ok := rust[c.ID]
			if !ok {
				t.Errorf("%s: no Rust outcome", c.ID)
			} else if string(outcome.JSON) != want {
				t.Errorf("%s: outcome differs from the Rust API's\n go:   %s\n rust: %s", c.ID, outcome.JSON, want)
			}
			compared++
			continue
		}
		if len(c.Issue) == 0 && string(outcome.Verdict) != c.Expected {
			t.Errorf("%s: verdict %s, manifest expects %s: %s", c.ID, outcome.Verdict, c.Expected, outcome.JSON)
		}
		compared++
	}
	t.Logf("%d cases compared", compared)
}

// TestChainCache runs every fixture case with a verified-chain cache, cold and
// then warm: both outcomes must equal the one without a cache, byte for byte.
func TestChainCache(t *testing.T) {
	cases := manifestCases(t)
	for _, c := range cases {
		plain := c.run(t)
		v := c.verifier(t, WithChainCache(4))
		cold := c.verify(t, v)
		warm := c.verify(t, v)
		v.Close()
		for pass, o := range []*Outcome{cold, warm} {
			if !bytes.Equal(o.JSON, plain.JSON) {
				t.Errorf("%s: outcome with a cache (pass %d) differs from the one without\n cached: %s\n plain:  %s", c.ID, pass, o.JSON, plain.JSON)
			}
		}
	}
	t.Logf("%d cases compared, cold and warm", len(cases))
}

// checkConsistent checks the typed Outcome against its own JSON.
func checkConsistent(t *testing.T, id string, o *Outcome) {
	var doc struct {
		Checks []struct {
			Check  string `json:"check"`
			Status string `json:"status"`
			Error  *struct {
				Code string `json:"code"`
				Rule string `json:"rule"`
			} `json:"error"`
		} `json:"checks"`
		Error *struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal(o.JSON, &doc); err != nil {
		t.Fatalf("%s: %v", id, err)
	}
	if len(doc.Checks) != len(o.VerificationResults) {
		t.Fatalf("%s: %d results, JSON has %d checks", id, len(o.VerificationResults), len(doc.Checks))
	}
	for i, r := range o.VerificationResults {
		j := doc.Checks[i]
		if string(r.Type) != j.Check || string(r.Status) != j.Status || (r.Error == nil) != (j.Error == nil) {
			t.Errorf("%s: result %d is %+v, JSON says %+v", id, i, r, j)
		}
		var e *Error
		if errors.As(r.Error, &e) && (e.Code != j.Error.Code || e.Rule != j.Error.Rule) {
			t.Errorf("%s: result %d error %v, JSON says %+v", id, i, e, j.Error)
		}
	}
	var e *Error
	if (o.Error == nil) != (doc.Error == nil) || (errors.As(o.Error, &e) && e.Code != doc.Error.Code) {
		t.Errorf("%s: error %v, JSON says %+v", id, o.Error, doc.Error)
	}
}

// committed is the committed notation configuration under tests/fixtures/config.
func committed(t testing.TB, opts ...VerifierOption) *Verifier {
	v, err := NewVerifier(TrustPolicy{
		OCI:  read(t, "config/trustpolicy.json"),
		Blob: read(t, "config/trustpolicy.blob.json"),
	}, TrustStores{
		"ca:test-rsa":                  {read(t, "config/truststore/x509/ca/test-rsa/test-rsa-root.pem")},
		"ca:test-ec":                   {read(t, "config/truststore/x509/ca/test-ec/test-ec-roots.pem")},
		"signingAuthority:test-signer": {read(t, "config/truststore/x509/signingAuthority/test-signer/test-signer-root.pem")},
	}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestVerified(t *testing.T) {
	v := committed(t)
	defer v.Close()
	o, err := v.Verify(read(t, "envelopes/valid/x509-es256.jws"), jws, netMonitor, artifact, at)
	if err != nil {
		t.Fatal(err)
	}
	if o.Verdict != VerdictVerified || o.Policy != "net-monitor" || o.Error != nil {
		t.Fatalf("outcome %s", o.JSON)
	}
	want := []ValidationResult{
		{TypeIntegrity, ActionEnforce, ValidationPassed, nil},
		{TypeAuthenticity, ActionEnforce, ValidationPassed, nil},
		{TypeAuthenticTimestamp, ActionEnforce, ValidationPassed, nil},
		{TypeExpiry, ActionEnforce, ValidationPassed, nil},
		{TypeRevocation, ActionSkip, ValidationSkipped, nil},
	}
	for i, w := range want {
		if *o.VerificationResults[i] != w {
			t.Errorf("result %d: %+v, want %+v", i, *o.VerificationResults[i], w)
		}
	}
	if r := o.Result(TypeRevocation); r == nil || r.Action != ActionSkip {
		t.Errorf("revocation result %+v", r)
	}
}

func TestRejected(t *testing.T) {
	v := committed(t)
	defer v.Close()
	o, err := v.Verify(read(t, "envelopes/valid/x509-es256.jws"), jws, netMonitor, artifact, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	var e *Error
	if !errors.As(err, &e) || e.Status != StatusVerificationFailed || e.Rule != "TIME-01" || e.Code != "certificate_not_yet_valid" {
		t.Fatalf("error %#v", err)
	}
	if o == nil || o.Verdict != VerdictRejected || o.Error.Error() != err.Error() {
		t.Fatalf("outcome %v", o)
	}
	r := o.Result(TypeAuthenticTimestamp)
	if r.Status != ValidationFailed || !strings.Contains(r.Error.Error(), "TIME-01") {
		t.Errorf("authenticTimestamp %+v", r)
	}
	if o.Result(TypeRevocation).Status != ValidationNotRun {
		t.Errorf("revocation %+v", o.Result(TypeRevocation))
	}

	o, err = v.Verify(read(t, "envelopes/invalid/jws-01-not-json.jws"), jws, netMonitor, artifact, at)
	if !errors.As(err, &e) || e.Rule != "JWS-01" || o.Result(TypeIntegrity).Status != ValidationFailed {
		t.Fatalf("not JSON: %v %v", err, o)
	}
}

func TestVerifyNow(t *testing.T) {
	v := committed(t)
	defer v.Close()
	o, _ := v.Verify(read(t, "envelopes/valid/x509-es256.jws"), jws, netMonitor, artifact, time.Time{})
	if o == nil || bytes.Contains(o.JSON, []byte(`"verificationTime":"2026-11-24T00:00:00Z"`)) {
		t.Fatalf("the zero time is not now: %v", o)
	}
}

func TestUserMetadata(t *testing.T) {
	v := committed(t)
	defer v.Close()
	env := read(t, "envelopes/valid/x509-annotations.jws")
	if _, err := v.Verify(env, jws, netMonitor, artifact, at, WithUserMetadata(map[string]string{"io.example.buildId": "123"})); err != nil {
		t.Fatal(err)
	}
	_, err := v.Verify(env, jws, netMonitor, artifact, at, WithUserMetadata(map[string]string{"io.example.buildId": "456"}))
	var e *Error
	if !errors.As(err, &e) || e.Rule != "PAY-06" {
		t.Fatalf("error %v", err)
	}
}

func TestAWSRevocation(t *testing.T) {
	v := committed(t)
	defer v.Close()
	env := read(t, "envelopes/valid/sa-aws-es384.jws")
	o, err := v.Verify(env, jws, awsApp, artifact, at)
	if err != nil {
		t.Fatal(err)
	}
	if r := o.Result(TypeRevocation); r.Action != ActionLog || r.Status != ValidationUnavailable {
		t.Errorf("no answer: %+v", r)
	}
	o, err = v.Verify(env, jws, awsApp, artifact, at, WithAWSRevocation([]byte(`{"revokedEntities": ["`+awsJob+`"]}`)))
	if err != nil {
		t.Fatal(err)
	}
	if r := o.Result(TypeRevocation); r.Status != ValidationFailed || !strings.Contains(r.Error.Error(), "aws_revoked") {
		t.Errorf("revoked job: %+v", r)
	}
	_, err = v.Verify(env, jws, awsApp, artifact, at, WithAWSRevocation([]byte(`[]`)))
	if !errors.Is(err, StatusMalformedInput) {
		t.Errorf("malformed answer: %v", err)
	}
}

func TestCRLAndOCSP(t *testing.T) {
	const revDigest = "sha256:ef7284ef2669581e556d09fb7876095832e7bdc786e4fde600847d5f170807c7"
	policy := `{"version": "1.0", "trustPolicies": [{"name": "rev", "registryScopes": ["*"],
		"signatureVerification": {"level": "strict"}, "trustStores": ["ca:rev"], "trustedIdentities": ["*"]}]}`
	v, err := NewVerifier(TrustPolicy{OCI: []byte(policy)}, TrustStores{"ca:rev": {read(t, "revocation/certs/root.pem")}})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	desc := Descriptor{MediaType: manifestType, Digest: revDigest, Size: 28}
	ref := "registry.example/fixtures@" + revDigest
	rootCRL := WithCRL(read(t, "revocation/crl/root.crl"))

	o, err := v.Verify(read(t, "revocation/envelopes/leaf.jws"), jws, ref, desc, at, rootCRL, WithOCSP(read(t, "revocation/ocsp/leaf-good.der")))
	if err != nil || o.Result(TypeRevocation).Status != ValidationPassed {
		t.Fatalf("good OCSP: %v", err)
	}
	_, err = v.Verify(read(t, "revocation/envelopes/revoked-leaf.jws"), jws, ref, desc, at, rootCRL, WithCRL(read(t, "revocation/crl/int.crl")))
	var e *Error
	if !errors.As(err, &e) || e.Rule != "REV-01" {
		t.Fatalf("revoked by CRL: %v", err)
	}
	many := []Option{}
	for i := 0; i < 65; i++ {
		many = append(many, rootCRL)
	}
	if _, err := v.Verify(read(t, "revocation/envelopes/leaf.jws"), jws, ref, desc, at, many...); !errors.Is(err, StatusLimitExceeded) {
		t.Fatalf("65 CRLs: %v", err)
	}
}

func TestBlob(t *testing.T) {
	v := committed(t)
	defer v.Close()
	blob := read(t, "blob/hello.txt")
	o, err := v.VerifyBlob(read(t, "blob/hello.txt.jws.sig"), jws, blob, "", "", at)
	if err != nil || o.Policy != "blob-global" {
		t.Fatalf("%v %v", err, o)
	}
	o, err = v.VerifyBlob(read(t, "blob/hello.txt.ps256.jws.sig"), jws, blob, "blob-rsa", "", at)
	if err != nil || o.Policy != "blob-rsa" {
		t.Fatalf("%v %v", err, o)
	}
	_, err = v.VerifyBlob(read(t, "blob/hello.txt.jws.sig"), jws, read(t, "blob/hello-modified.txt"), "", "", at)
	var e *Error
	if !errors.As(err, &e) || e.Rule != "PAY-04" {
		t.Fatalf("modified blob: %v", err)
	}
}

func TestSkipped(t *testing.T) {
	policy := `{"version": "1.0", "trustPolicies": [{"name": "skip-it", "registryScopes": ["registry.example/net-monitor"],
		"signatureVerification": {"level": "skip"}, "trustStores": [], "trustedIdentities": []}]}`
	v, err := NewVerifier(TrustPolicy{OCI: []byte(policy)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	o, err := v.Verify([]byte("not even JSON"), jws, netMonitor, artifact, at)
	if err != nil || o.Verdict != VerdictSkipped || o.VerificationLevel != "skip" {
		t.Fatalf("%v %v", err, o)
	}
}

func TestNewVerifierErrors(t *testing.T) {
	var e *Error
	_, err := NewVerifier(TrustPolicy{}, nil)
	if !errors.Is(err, StatusInvalidArgument) {
		t.Errorf("no policy: %v", err)
	}
	_, err = NewVerifier(TrustPolicy{OCI: []byte{}}, nil)
	if !errors.Is(err, StatusPolicyError) {
		t.Errorf("empty policy: %v", err)
	}
	_, err = NewVerifier(TrustPolicy{OCI: []byte(`{"version": "2.0", "trustPolicies": []}`)}, nil)
	if !errors.As(err, &e) || e.Status != StatusPolicyError || e.Rule != "POLICY-01" || e.Code != "policy_version_invalid" {
		t.Errorf("bad version: %#v", err)
	}
	if !strings.HasPrefix(err.Error(), "policy_version_invalid [POLICY-01]: ") {
		t.Errorf("message %q", err.Error())
	}
	_, err = NewVerifier(TrustPolicy{OCI: bytes.Repeat([]byte(" "), 2<<20)}, nil)
	if !errors.Is(err, StatusLimitExceeded) {
		t.Errorf("huge policy: %v", err)
	}
	_, err = NewVerifier(TrustPolicy{OCI: read(t, "config/trustpolicy.json")}, TrustStores{"no-type": {read(t, "stores/test-ec-der/ec256-root.der")}})
	if !errors.As(err, &e) || e.Status != StatusInvalidArgument || e.Rule != "STORE-01" {
		t.Errorf("bad store name: %v", err)
	}
	_, err = NewVerifier(TrustPolicy{OCI: read(t, "config/trustpolicy.json")}, nil, WithChainCache(-1))
	if !errors.As(err, &e) || e.Status != StatusInvalidArgument || e.Code != "invalid_argument" {
		t.Errorf("negative cache capacity: %v", err)
	}
	if StatusPolicyError.Error() != "invalid trust policy" {
		t.Errorf("status text %q", StatusPolicyError.Error())
	}
}

// A store with an unusable file is broken, and verification that consults it
// says why, as notation does.
func TestBrokenStore(t *testing.T) {
	v, err := NewVerifier(TrustPolicy{OCI: read(t, "config/trustpolicy.json")}, TrustStores{
		"ca:test-rsa": {read(t, "config/truststore/x509/ca/test-rsa/test-rsa-root.pem")},
		"ca:test-ec":  {read(t, "stores/unparsable/not-a-certificate.pem")},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	_, err = v.Verify(read(t, "envelopes/valid/x509-es256.jws"), jws, netMonitor, artifact, at)
	var e *Error
	if !errors.As(err, &e) || e.Rule != "STORE-04" {
		t.Fatalf("error %v", err)
	}
}

func TestInspect(t *testing.T) {
	facts, err := Inspect(read(t, "envelopes/valid/sa-aws-es384.jws"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Algorithm string `json:"algorithm"`
		AWS       struct {
			SigningJob string `json:"signingJob"`
		} `json:"aws"`
	}
	if err := json.Unmarshal(facts, &doc); err != nil || doc.Algorithm != "ES384" || doc.AWS.SigningJob != awsJob {
		t.Fatalf("%v %s", err, facts)
	}
	_, err = Inspect(read(t, "envelopes/invalid/jws-02-compact.jws"))
	var e *Error
	if !errors.As(err, &e) || e.Status != StatusMalformedInput || e.Rule != "JWS-02" {
		t.Fatalf("compact: %v", err)
	}
	if _, err := Inspect(nil); !errors.Is(err, StatusMalformedInput) {
		t.Fatalf("empty: %v", err)
	}
}

func TestClosed(t *testing.T) {
	v := committed(t)
	v.Close()
	v.Close()
	if _, err := v.Verify(nil, jws, netMonitor, artifact, at); !errors.Is(err, StatusInvalidArgument) {
		t.Fatalf("closed: %v", err)
	}
	if _, err := v.Verify(nil, jws, netMonitor, Descriptor{Size: -1}, at); !errors.Is(err, StatusInvalidArgument) {
		t.Fatalf("negative size: %v", err)
	}
}

// TestConcurrentVerify shares one Verifier between goroutines over the same
// fixtures, without and with a chain cache (which the goroutines then share);
// every outcome must equal the one computed alone without a cache.
func TestConcurrentVerify(t *testing.T) {
	alone := committed(t)
	defer alone.Close()
	cached := committed(t, WithChainCache(2))
	defer cached.Close()
	type input struct {
		envelope  []byte
		reference string
	}
	inputs := []input{
		{read(t, "envelopes/valid/x509-es256.jws"), netMonitor},
		{read(t, "envelopes/valid/sa-aws-es384.jws"), awsApp},
		{read(t, "envelopes/invalid/jws-01-not-json.jws"), netMonitor},
		{read(t, "envelopes/valid/x509-ps256.jws"), netMonitor},
	}
	expected := make([][]byte, len(inputs))
	for i, in := range inputs {
		o, _ := alone.Verify(in.envelope, jws, in.reference, artifact, at)
		expected[i] = o.JSON
	}
	for name, v := range map[string]*Verifier{"no cache": alone, "cache": cached} {
		const goroutines, rounds = 8, 10
		var wg sync.WaitGroup
		errs := make(chan error, goroutines*rounds*len(inputs))
		for g := 0; g < goroutines; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for r := 0; r < rounds; r++ {
					i := (g + r) % len(inputs)
					o, _ := v.Verify(inputs[i].envelope, jws, inputs[i].reference, artifact, at)
					if o == nil || !bytes.Equal(o.JSON, expected[i]) {
						errs <- fmt.Errorf("%s: goroutine %d round %d input %d: outcome differs", name, g, r, i)
					}
				}
			}(g)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	}
}
