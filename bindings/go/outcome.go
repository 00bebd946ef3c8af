package verify

// #include <verify.h>
import "C"

import (
	"encoding/json"
	"fmt"
	"unsafe"
)

// Verdict is the overall decision of a verification.
type Verdict string

// Verdicts.
const (
	// VerdictVerified: every enforced check passed.
	VerdictVerified Verdict = "verified"
	// VerdictRejected: an enforced check failed, or the input or policy was unusable.
	VerdictRejected Verdict = "rejected"
	// VerdictSkipped: the trust policy says skip; nothing was verified.
	VerdictSkipped Verdict = "skipped"
)

// ValidationType is one of the five validations of the Notary Project, named as
// in notation-go and in trust policies.
type ValidationType string

// Validation types, in the order they run.
const (
	TypeIntegrity          ValidationType = "integrity"
	TypeAuthenticity       ValidationType = "authenticity"
	TypeAuthenticTimestamp ValidationType = "authenticTimestamp"
	TypeExpiry             ValidationType = "expiry"
	TypeRevocation         ValidationType = "revocation"
)

// ValidationAction is what the trust policy does with a failed validation, named
// as in notation-go.
type ValidationAction string

// Validation actions.
const (
	// ActionEnforce: a failure rejects the signature.
	ActionEnforce ValidationAction = "enforce"
	// ActionLog: a failure is recorded; verification continues.
	ActionLog ValidationAction = "log"
	// ActionSkip: the validation is not run.
	ActionSkip ValidationAction = "skip"
)

// ValidationStatus is what happened to a validation.
type ValidationStatus string

// Validation statuses.
const (
	// ValidationPassed: the validation ran and passed.
	ValidationPassed ValidationStatus = "passed"
	// ValidationFailed: the validation ran and failed (its Action says whether that mattered).
	ValidationFailed ValidationStatus = "failed"
	// ValidationSkipped: the policy skips this validation.
	ValidationSkipped ValidationStatus = "skipped"
	// ValidationUnavailable: the validation could not be decided offline
	// (revocation without evidence).
	ValidationUnavailable ValidationStatus = "unavailable"
	// ValidationNotRun: an earlier enforced failure ended verification first.
	ValidationNotRun ValidationStatus = "notRun"
)

// ValidationResult is the result of one validation, as in notation-go.
type ValidationResult struct {
	// Type is the validation.
	Type ValidationType
	// Action is what the policy does with a failure of it.
	Action ValidationAction
	// Status is what happened.
	Status ValidationStatus
	// Error is why it failed or was unavailable (an *Error), or nil.
	Error error
}

// Outcome is the result of a verification, as notation-go's
// VerificationOutcome, plus the outcome JSON every notary-verify binding returns.
type Outcome struct {
	// Verdict is the decision.
	Verdict Verdict
	// VerificationLevel is the level applied ("strict", "permissive", "audit",
	// "skip"), or "" if no policy statement applied.
	VerificationLevel string
	// Policy is the name of the trust policy statement applied, or "".
	Policy string
	// VerificationResults holds one result per validation type, in order.
	VerificationResults []*ValidationResult
	// Error is the failure that decided a rejection (an *Error), or nil.
	Error error
	// JSON is the outcome JSON, unchanged (schema: docs/outcome.md).
	JSON []byte
}

// String returns the outcome JSON.
func (o *Outcome) String() string {
	return string(o.JSON)
}

// Result returns the result of validation t, or nil if it is not reported.
func (o *Outcome) Result(t ValidationType) *ValidationResult {
	for _, r := range o.VerificationResults {
		if r.Type == t {
			return r
		}
	}
	return nil
}

// newOutcome copies a C result into Go memory.
func newOutcome(result *C.nv_result) (*Outcome, error) {
	var n C.size_t
	text := C.nv_result_json(result, &n)
	o := &Outcome{JSON: C.GoBytes(unsafe.Pointer(text), C.int(n))}
	var head struct {
		Verdict Verdict `json:"verdict"`
		Level   string  `json:"level"`
		Policy  string  `json:"policy"`
	}
	if err := json.Unmarshal(o.JSON, &head); err != nil {
		return nil, &Error{Status: StatusInternalError, Code: "internal", Message: fmt.Sprintf("the outcome JSON does not parse (%v); please report this", err)}
	}
	o.VerificationLevel, o.Policy = head.Level, head.Policy
	switch C.nv_result_verdict(result) {
	case C.NV_VERDICT_VERIFIED:
		o.Verdict = VerdictVerified
	case C.NV_VERDICT_SKIPPED:
		o.Verdict = VerdictSkipped
	default:
		o.Verdict = VerdictRejected
	}
	if o.Verdict != head.Verdict {
		return nil, &Error{Status: StatusInternalError, Code: "internal", Message: fmt.Sprintf("verdict %q differs from the outcome JSON's %q; please report this", o.Verdict, head.Verdict)}
	}
	o.Error = failure(C.nv_result_error_code(result), C.nv_result_error_rule(result), C.nv_result_error_message(result))

	count := C.nv_result_check_count(result)
	for i := C.size_t(0); i < count; i++ {
		var kind C.nv_check
		var action C.nv_action
		var status C.nv_check_status
		if C.nv_result_check_kind(result, i, &kind) != C.NV_STATUS_OK ||
			C.nv_result_check_action(result, i, &action) != C.NV_STATUS_OK ||
			C.nv_result_check_status(result, i, &status) != C.NV_STATUS_OK {
			return nil, &Error{Status: StatusInternalError, Code: "internal", Message: fmt.Sprintf("check %d of %d cannot be read; please report this", i, count)}
		}
		o.VerificationResults = append(o.VerificationResults, &ValidationResult{
			Type:   validationTypes[kind],
			Action: validationActions[action],
			Status: validationStatuses[status],
			Error:  failure(C.nv_result_check_code(result, i), C.nv_result_check_rule(result, i), C.nv_result_check_message(result, i)),
		})
	}
	return o, nil
}

var validationTypes = map[C.nv_check]ValidationType{
	C.NV_CHECK_INTEGRITY:           TypeIntegrity,
	C.NV_CHECK_AUTHENTICITY:        TypeAuthenticity,
	C.NV_CHECK_AUTHENTIC_TIMESTAMP: TypeAuthenticTimestamp,
	C.NV_CHECK_EXPIRY:              TypeExpiry,
	C.NV_CHECK_REVOCATION:          TypeRevocation,
}

var validationActions = map[C.nv_action]ValidationAction{
	C.NV_ACTION_ENFORCE: ActionEnforce,
	C.NV_ACTION_LOG:     ActionLog,
	C.NV_ACTION_SKIP:    ActionSkip,
}

var validationStatuses = map[C.nv_check_status]ValidationStatus{
	C.NV_CHECK_STATUS_PASSED:      ValidationPassed,
	C.NV_CHECK_STATUS_FAILED:      ValidationFailed,
	C.NV_CHECK_STATUS_SKIPPED:     ValidationSkipped,
	C.NV_CHECK_STATUS_UNAVAILABLE: ValidationUnavailable,
	C.NV_CHECK_STATUS_NOT_RUN:     ValidationNotRun,
}

// failure makes the *Error of a failed validation, or nil when code is NULL.
func failure(code, rule, message *C.char) error {
	if code == nil {
		return nil
	}
	return &Error{Status: StatusVerificationFailed, Code: goString(code), Rule: goString(rule), Message: goString(message)}
}
