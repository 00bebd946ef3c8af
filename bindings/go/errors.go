package verify

// #include <verify.h>
import "C"

import "fmt"

// Status is the C ABI's nv_status: the class of a failure. It is an error
// itself, so callers can test for a class with errors.Is:
//
//	if errors.Is(err, verify.StatusPolicyError) { ... }
type Status uint32

// The statuses of include/verify.h. Values are stable.
const (
	StatusOK                 Status = C.NV_STATUS_OK
	StatusInvalidArgument    Status = C.NV_STATUS_INVALID_ARGUMENT
	StatusMalformedInput     Status = C.NV_STATUS_MALFORMED_INPUT
	StatusPolicyError        Status = C.NV_STATUS_POLICY_ERROR
	StatusTrustStoreError    Status = C.NV_STATUS_TRUST_STORE_ERROR
	StatusVerificationFailed Status = C.NV_STATUS_VERIFICATION_FAILED
	StatusLimitExceeded      Status = C.NV_STATUS_LIMIT_EXCEEDED
	StatusInternalError      Status = C.NV_STATUS_INTERNAL_ERROR
)

// Error returns the status's description, for example "invalid trust policy".
func (s Status) Error() string {
	return C.GoString(C.nv_status_description(C.uint32_t(s)))
}

// Error is a failure reported by libverify: its status, the stable error code
// shared with the outcome JSON, the rejection-catalogue rule (if any) and one
// sentence saying what to fix. It wraps its Status.
type Error struct {
	// Status is the class of the failure.
	Status Status
	// Code is the stable snake_case code, for example "chain_not_trusted".
	Code string
	// Rule is the rejection-catalogue ID, for example "STORE-09", or "".
	Rule string
	// Message says what is wrong and what to do.
	Message string
}

// Error formats the error as "code [rule]: message".
func (e *Error) Error() string {
	if e.Rule != "" {
		return fmt.Sprintf("%s [%s]: %s", e.Code, e.Rule, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the error's Status.
func (e *Error) Unwrap() error {
	return e.Status
}

// takeError converts a C error handle into an *Error and frees it. A failed
// call always yields an error, even if the handle is missing.
func takeError(status C.nv_status, handle *C.nv_error) error {
	defer C.nv_error_free(handle)
	e := &Error{Status: Status(status)}
	if handle == nil {
		e.Code = "internal"
		e.Message = Status(status).Error()
		return e
	}
	e.Code = goString(C.nv_error_code(handle))
	e.Rule = goString(C.nv_error_rule(handle))
	e.Message = goString(C.nv_error_message(handle))
	return e
}

// goString copies a C string, mapping NULL to "".
func goString(s *C.char) string {
	if s == nil {
		return ""
	}
	return C.GoString(s)
}
