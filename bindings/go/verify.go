// Package verify verifies Notary Project (notation) JWS signatures, AWS Signer
// included, offline, through libverify (the notary-verify C ABI).
//
// The vocabulary follows notation-go: a Verifier is made from trust policy
// documents and trust stores (NewVerifier), Verify returns an Outcome with one
// ValidationResult per validation type and the action the policy takes on it.
// Nothing is read from disk or the network: policies, certificates, envelopes,
// revocation evidence and the verification time are inputs.
//
// Building needs libverify and its header; see docs/c-and-go.md.
package verify

// #cgo CFLAGS: -I${SRCDIR}/../../include
// #include <stdlib.h>
//
// // <verify.h>, not "verify.h": cgo has gcc read this preamble from a file in
// // $TMPDIR, and a quoted include searches that file's directory before -I, so
// // a stray $TMPDIR/verify.h would shadow the repository's header.
// #include <verify.h>
import "C"

import (
	"runtime"
	"sort"
	"time"
	"unsafe"
)

// TrustPolicy holds the trust policy documents, as JSON: OCI is
// trustpolicy.oci.json (or notation's older trustpolicy.json), Blob is
// trustpolicy.blob.json. At least one is required.
type TrustPolicy struct {
	OCI  []byte
	Blob []byte
}

// TrustStores maps a trust store name, "type:name" with type ca,
// signingAuthority or tsa, to the contents of its certificate files (PEM or
// DER), as notation's truststore/x509/{type}/{name}/ directories hold them; a
// name without files is an empty store directory. The
// AWS Signer roots are built in (signingAuthority:aws-signer-ts and
// signingAuthority:aws-us-gov-signer-ts).
type TrustStores map[string][][]byte

// Descriptor describes the artifact being verified, as an OCI descriptor does.
type Descriptor struct {
	MediaType string
	Digest    string
	Size      int64
}

// Verifier verifies signatures against trust policies and trust stores. It is
// immutable and safe for concurrent use. Close releases it; a Verifier that is
// garbage collected is released too.
type Verifier struct {
	handle *C.nv_verifier
}

// VerifierOption configures a Verifier made by NewVerifier.
type VerifierOption func(*verifierSettings)

type verifierSettings struct {
	chainCache int
}

// WithChainCache gives the Verifier a verified-chain cache of at most capacity
// signing chains (least recently used evicted first); 0, the default, means no
// cache. A signature whose certificate chain (its x5c) was verified before then
// costs one signature verification: the chain is neither parsed nor its links
// verified again. Validity periods, expiry, trusted identities, revocation and
// the envelope signature are evaluated on every call, so outcomes are identical
// with and without the cache. Worth it for a long-lived Verifier that sees the
// same signers repeatedly (admission hooks, registry scanners). The cache belongs
// to the Verifier, is safe for concurrent use, and holds at most capacity chains
// of a few KB each.
func WithChainCache(capacity int) VerifierOption {
	return func(s *verifierSettings) { s.chainCache = capacity }
}

// NewVerifier makes a Verifier from trust policies and trust stores, configured
// by opts (WithChainCache).
//
// It fails for invalid policies (errors.Is(err, StatusPolicyError)), malformed
// store names and a negative cache capacity (StatusInvalidArgument). A store file
// whose certificates cannot be used does not fail it: as in notation, that store
// is marked broken and every verification that consults it fails authenticity
// with the store's error.
func NewVerifier(policy TrustPolicy, stores TrustStores, opts ...VerifierOption) (*Verifier, error) {
	var settings verifierSettings
	for _, opt := range opts {
		opt(&settings)
	}
	if settings.chainCache < 0 {
		return nil, &Error{Status: StatusInvalidArgument, Code: "invalid_argument", Message: "the chain cache capacity is negative; pass 0 for no cache"}
	}

	var builder *C.nv_verifier_builder
	var cerr *C.nv_error
	oci, ociLen := documentArg(policy.OCI)
	blob, blobLen := documentArg(policy.Blob)
	status := C.nv_verifier_builder_new(oci, ociLen, blob, blobLen, &builder, &cerr)
	runtime.KeepAlive(policy)
	if status != C.NV_STATUS_OK {
		return nil, takeError(status, cerr)
	}
	defer C.nv_verifier_builder_free(builder)

	names := make([]string, 0, len(stores))
	for name := range stores {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := addStore(builder, name, stores[name]); err != nil {
			return nil, err
		}
	}

	if status := C.nv_verifier_builder_set_chain_cache(builder, C.size_t(settings.chainCache), &cerr); status != C.NV_STATUS_OK {
		return nil, takeError(status, cerr)
	}

	v := &Verifier{}
	if status := C.nv_verifier_builder_build(builder, &v.handle, &cerr); status != C.NV_STATUS_OK {
		return nil, takeError(status, cerr)
	}
	runtime.SetFinalizer(v, (*Verifier).Close)
	return v, nil
}

func addStore(builder *C.nv_verifier_builder, name string, files [][]byte) error {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	if len(files) == 0 {
		// A store without files, like an empty store directory.
		var cerr *C.nv_error
		if status := C.nv_verifier_builder_add_trust_store(builder, cname, nil, 0, nil, &cerr); status != C.NV_STATUS_OK {
			return takeError(status, cerr)
		}
		return nil
	}
	for _, file := range files {
		var cerr *C.nv_error
		data, n := documentArg(file)
		status := C.nv_verifier_builder_add_trust_store(builder, cname, data, n, nil, &cerr)
		runtime.KeepAlive(file)
		switch status {
		case C.NV_STATUS_OK:
		case C.NV_STATUS_TRUST_STORE_ERROR, C.NV_STATUS_LIMIT_EXCEEDED:
			// The store is now broken; verification reports it.
			C.nv_error_free(cerr)
		default:
			return takeError(status, cerr)
		}
	}
	return nil
}

// Close releases the Verifier. It must not be called while a Verify is running
// on it; calling it again does nothing.
func (v *Verifier) Close() {
	if v.handle != nil {
		C.nv_verifier_free(v.handle)
		v.handle = nil
	}
	runtime.SetFinalizer(v, nil)
}

// Option adds an optional input to a verification.
type Option func(*options)

type options struct {
	userMetadata  map[string]string
	awsRevocation []byte
	crls          [][]byte
	ocsp          [][]byte
}

// WithUserMetadata requires the signature's signed annotations to hold every
// key with exactly its value (notation's --user-metadata).
func WithUserMetadata(metadata map[string]string) Option {
	return func(o *options) { o.userMetadata = metadata }
}

// WithAWSRevocation supplies the JSON answer of AWS's
// signer:GetRevocationStatus for an AWS Signer signature. The request inputs
// are in the outcome JSON at signature.aws.revocationRequest.
func WithAWSRevocation(answerJSON []byte) Option {
	return func(o *options) { o.awsRevocation = answerJSON }
}

// WithCRL supplies a DER CRL fetched from a CRL distribution point of the
// signature's certificates.
func WithCRL(der []byte) Option {
	return func(o *options) { o.crls = append(o.crls, der) }
}

// WithOCSP supplies a DER OCSP response fetched from an OCSP responder of the
// signature's certificates.
func WithOCSP(der []byte) Option {
	return func(o *options) { o.ocsp = append(o.ocsp, der) }
}

// Verify verifies the signature envelope of the OCI artifact reference
// (registry/repository@digest, which selects the trust policy statement) whose
// descriptor is desc. mediaType is the envelope's media type
// ("application/jose+json"). at is the verification time; the zero time means
// now.
//
// A rejected signature returns the Outcome and an *Error with
// StatusVerificationFailed (the decisive failure, also in Outcome.Error). Any
// other error means nothing was verified and the Outcome is nil. A verdict of
// VerdictSkipped (the policy says skip) is not an error.
func (v *Verifier) Verify(envelope []byte, mediaType, reference string, desc Descriptor, at time.Time, opts ...Option) (*Outcome, error) {
	cref := C.CString(reference)
	defer C.free(unsafe.Pointer(cref))
	cmt := C.CString(desc.MediaType)
	defer C.free(unsafe.Pointer(cmt))
	cdigest := C.CString(desc.Digest)
	defer C.free(unsafe.Pointer(cdigest))
	if desc.Size < 0 {
		return nil, &Error{Status: StatusInvalidArgument, Code: "invalid_argument", Message: "the descriptor size is negative"}
	}
	return v.run(envelope, mediaType, opts, func(env *C.uint8_t, envLen C.size_t, envType *C.char, copts *C.nv_verify_options, result **C.nv_result, cerr **C.nv_error) C.nv_status {
		return C.nv_verify(v.handle, env, envLen, envType, cref, cmt, cdigest, C.uint64_t(desc.Size), unixTime(at), copts, result, cerr)
	})
}

// VerifyBlob verifies the detached signature envelope of blob. policyName
// selects the blob trust policy statement ("" for the global one); blobMediaType
// is the media type the signature must name ("" for any). The rest is as for
// Verify.
func (v *Verifier) VerifyBlob(envelope []byte, mediaType string, blob []byte, policyName, blobMediaType string, at time.Time, opts ...Option) (*Outcome, error) {
	cpolicy := optionalCString(policyName)
	defer C.free(unsafe.Pointer(cpolicy))
	cblobType := optionalCString(blobMediaType)
	defer C.free(unsafe.Pointer(cblobType))
	data, n := bytesArg(blob)
	defer runtime.KeepAlive(blob)
	return v.run(envelope, mediaType, opts, func(env *C.uint8_t, envLen C.size_t, envType *C.char, copts *C.nv_verify_options, result **C.nv_result, cerr **C.nv_error) C.nv_status {
		return C.nv_verify_blob(v.handle, env, envLen, envType, data, n, cpolicy, cblobType, unixTime(at), copts, result, cerr)
	})
}

type verifyCall func(env *C.uint8_t, envLen C.size_t, envType *C.char, opts *C.nv_verify_options, result **C.nv_result, cerr **C.nv_error) C.nv_status

// run does what Verify and VerifyBlob share: options, envelope, the call, and
// turning its result into an Outcome.
func (v *Verifier) run(envelope []byte, mediaType string, opts []Option, call verifyCall) (*Outcome, error) {
	if v == nil || v.handle == nil {
		return nil, &Error{Status: StatusInvalidArgument, Code: "invalid_argument", Message: "the verifier is closed"}
	}
	copts, err := buildOptions(opts)
	if err != nil {
		return nil, err
	}
	defer C.nv_verify_options_free(copts)
	ctype := C.CString(mediaType)
	defer C.free(unsafe.Pointer(ctype))
	env, envLen := bytesArg(envelope)

	var result *C.nv_result
	var cerr *C.nv_error
	status := call(env, envLen, ctype, copts, &result, &cerr)
	runtime.KeepAlive(envelope)
	runtime.KeepAlive(v)
	if result == nil {
		return nil, takeError(status, cerr)
	}
	defer C.nv_result_free(result)
	outcome, convErr := newOutcome(result)
	if convErr != nil {
		C.nv_error_free(cerr)
		return nil, convErr
	}
	if status != C.NV_STATUS_OK {
		return outcome, takeError(status, cerr)
	}
	return outcome, nil
}

// buildOptions makes the C options handle (NULL when there are none).
func buildOptions(opts []Option) (*C.nv_verify_options, error) {
	if len(opts) == 0 {
		return nil, nil
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	var copts *C.nv_verify_options
	var cerr *C.nv_error
	if status := C.nv_verify_options_new(&copts, &cerr); status != C.NV_STATUS_OK {
		return nil, takeError(status, cerr)
	}
	fail := func(status C.nv_status) (*C.nv_verify_options, error) {
		C.nv_verify_options_free(copts)
		return nil, takeError(status, cerr)
	}
	keys := make([]string, 0, len(o.userMetadata))
	for k := range o.userMetadata {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ck, cv := C.CString(k), C.CString(o.userMetadata[k])
		status := C.nv_verify_options_add_user_metadata(copts, ck, cv, &cerr)
		C.free(unsafe.Pointer(ck))
		C.free(unsafe.Pointer(cv))
		if status != C.NV_STATUS_OK {
			return fail(status)
		}
	}
	if o.awsRevocation != nil {
		data, n := bytesArg(o.awsRevocation)
		status := C.nv_verify_options_set_aws_revocation(copts, data, n, &cerr)
		runtime.KeepAlive(o.awsRevocation)
		if status != C.NV_STATUS_OK {
			return fail(status)
		}
	}
	for _, crl := range o.crls {
		data, n := bytesArg(crl)
		status := C.nv_verify_options_add_crl(copts, data, n, &cerr)
		runtime.KeepAlive(crl)
		if status != C.NV_STATUS_OK {
			return fail(status)
		}
	}
	for _, resp := range o.ocsp {
		data, n := bytesArg(resp)
		status := C.nv_verify_options_add_ocsp(copts, data, n, &cerr)
		runtime.KeepAlive(resp)
		if status != C.NV_STATUS_OK {
			return fail(status)
		}
	}
	return copts, nil
}

// Inspect reads a signature envelope without verifying it and returns its facts
// as JSON (the "signature" member of the outcome JSON): algorithm, signing
// scheme and time, expiry, extended attributes, certificate chain, signed
// artifact, AWS Signer details.
func Inspect(envelope []byte) ([]byte, error) {
	var json *C.char
	var cerr *C.nv_error
	data, n := bytesArg(envelope)
	status := C.nv_inspect(data, n, &json, &cerr)
	runtime.KeepAlive(envelope)
	if status != C.NV_STATUS_OK {
		return nil, takeError(status, cerr)
	}
	defer C.nv_string_free(json)
	return []byte(C.GoString(json)), nil
}

// bytesArg passes a Go byte slice to C for the duration of a call (cgo pins
// it); an empty slice is NULL with length 0.
func bytesArg(b []byte) (*C.uint8_t, C.size_t) {
	if len(b) == 0 {
		return nil, 0
	}
	return (*C.uint8_t)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

// emptyDocument backs a present but empty document: a non-NULL pointer with
// length 0, which libverify distinguishes from an absent one (NULL).
var emptyDocument [1]byte

// documentArg is bytesArg, except that a non-nil empty slice is passed as
// present (and so rejected as an empty document) rather than absent.
func documentArg(b []byte) (*C.uint8_t, C.size_t) {
	if b != nil && len(b) == 0 {
		return (*C.uint8_t)(unsafe.Pointer(&emptyDocument[0])), 0
	}
	return bytesArg(b)
}

// optionalCString is NULL for "" and a C copy otherwise (free it with C.free,
// which accepts NULL).
func optionalCString(s string) *C.char {
	if s == "" {
		return nil
	}
	return C.CString(s)
}

// unixTime converts the verification time; the zero time means now.
func unixTime(at time.Time) C.int64_t {
	if at.IsZero() {
		return C.NV_TIME_NOW
	}
	return C.int64_t(at.Unix())
}
