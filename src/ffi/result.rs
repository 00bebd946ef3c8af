//! `nv_result`: the outcome of one verification — verdict, the five checks, the
//! decisive failure, and the outcome JSON (the schema of `docs/outcome.md`).

use std::ffi::{c_char, CString};

use super::error::{nv_status, FfiError};
use super::panic::guard_value;
use super::slice::c_string;
use super::{free_box, set_out, try_ref};
use crate::outcome::{Check, CheckResult, Failure, Outcome, Status, Verdict};
use crate::policy::Action;

/// The overall decision of a verification.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum nv_verdict {
    /// Every enforced check passed.
    Verified = 0,
    /// An enforced check failed, or the input or policy was unusable.
    Rejected = 1,
    /// The trust policy says `skip`: nothing was verified.
    Skipped = 2,
}

/// The five verification checks of the Notary Project.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum nv_check {
    /// Envelope, signature, header, chain and target (always enforced).
    Integrity = 0,
    /// Trust store and trusted identity.
    Authenticity = 1,
    /// Certificate validity at the verification time, timestamp or authentic
    /// signing time.
    AuthenticTimestamp = 2,
    /// The signature's expiry.
    Expiry = 3,
    /// Revocation of the signing chain.
    Revocation = 4,
}

/// What the trust policy does with a failure of a check.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum nv_action {
    /// The failure ends verification.
    Enforce = 0,
    /// The failure is recorded; verification continues.
    Log = 1,
    /// The check is not run.
    Skip = 2,
}

/// What happened to one check.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum nv_check_status {
    /// The check ran and passed.
    Passed = 0,
    /// The check ran and failed (its action says whether that mattered).
    Failed = 1,
    /// The policy skips this check.
    Skipped = 2,
    /// The check could not be decided offline (revocation without evidence).
    Unavailable = 3,
    /// An earlier enforced failure ended verification before this check.
    NotRun = 4,
}

/// A failure's strings, kept as C strings for the life of the result.
struct FailureText {
    code: CString,
    rule: Option<CString>,
    message: CString,
}

impl FailureText {
    fn new(f: &Failure) -> Self {
        Self {
            code: c_string(f.code.as_str()),
            rule: f.rule.map(c_string),
            message: c_string(&f.message),
        }
    }
}

/// The result of `nv_verify` / `nv_verify_blob`.
///
/// Owned by the caller, released with `nv_result_free`. Immutable: it may be read
/// from any thread, and outlives the verifier that produced it. Every string an
/// accessor returns is borrowed from it and valid until `nv_result_free`.
pub struct nv_result {
    outcome: Outcome,
    json: CString,
    checks: Vec<Option<FailureText>>,
    error: Option<FailureText>,
}

impl nv_result {
    pub(crate) fn new(outcome: Outcome) -> Self {
        Self {
            json: c_string(&outcome.to_json()),
            checks: outcome
                .checks
                .iter()
                .map(|c| c.error.as_ref().map(FailureText::new))
                .collect(),
            error: outcome.error.as_ref().map(FailureText::new),
            outcome,
        }
    }

    fn check(&self, index: usize) -> Result<&CheckResult, FfiError> {
        self.outcome.checks.get(index).ok_or_else(|| {
            FfiError::invalid(format!(
                "check index {index} is out of range; the result has {} checks",
                self.outcome.checks.len()
            ))
        })
    }
}

/// The verdict; `NV_VERDICT_REJECTED` if `result` is NULL.
///
/// # Safety
/// `result` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn nv_result_verdict(result: *const nv_result) -> nv_verdict {
    guard_value(nv_verdict::Rejected, || {
        // SAFETY: the caller passes NULL or a live handle.
        match unsafe { result.as_ref() }.map(|r| r.outcome.verdict) {
            Some(Verdict::Verified) => nv_verdict::Verified,
            Some(Verdict::Skipped) => nv_verdict::Skipped,
            Some(Verdict::Rejected) | None => nv_verdict::Rejected,
        }
    })
}

/// The number of checks reported (five, in the order integrity, authenticity,
/// authenticTimestamp, expiry, revocation, unless the policy could not be
/// applied); 0 if `result` is NULL. Valid indexes for the `nv_result_check_*`
/// accessors are 0 to this number minus one.
///
/// # Safety
/// `result` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn nv_result_check_count(result: *const nv_result) -> usize {
    // SAFETY: the caller passes NULL or a live handle.
    guard_value(0, || {
        unsafe { result.as_ref() }.map_or(0, |r| r.outcome.checks.len())
    })
}

/// Stores which check the `index`th one is in `*check_out`.
/// `NV_STATUS_INVALID_ARGUMENT` for a NULL pointer or an index out of range.
///
/// # Safety
/// `result` is NULL or a live handle; `check_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nv_result_check_kind(
    result: *const nv_result,
    index: usize,
    check_out: *mut nv_check,
) -> nv_status {
    // SAFETY: the caller's contract covers every pointer.
    unsafe {
        accessor(result, index, check_out, "check_out", |c| match c.check {
            Check::Integrity => nv_check::Integrity,
            Check::Authenticity => nv_check::Authenticity,
            Check::AuthenticTimestamp => nv_check::AuthenticTimestamp,
            Check::Expiry => nv_check::Expiry,
            Check::Revocation => nv_check::Revocation,
        })
    }
}

/// Stores the policy's action for the `index`th check in `*action_out`.
/// `NV_STATUS_INVALID_ARGUMENT` for a NULL pointer or an index out of range.
///
/// # Safety
/// `result` is NULL or a live handle; `action_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nv_result_check_action(
    result: *const nv_result,
    index: usize,
    action_out: *mut nv_action,
) -> nv_status {
    // SAFETY: the caller's contract covers every pointer.
    unsafe {
        accessor(result, index, action_out, "action_out", |c| {
            match c.action {
                Action::Enforce => nv_action::Enforce,
                Action::Log => nv_action::Log,
                Action::Skip => nv_action::Skip,
            }
        })
    }
}

/// Stores what happened to the `index`th check in `*status_out`.
/// `NV_STATUS_INVALID_ARGUMENT` for a NULL pointer or an index out of range.
///
/// # Safety
/// `result` is NULL or a live handle; `status_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nv_result_check_status(
    result: *const nv_result,
    index: usize,
    status_out: *mut nv_check_status,
) -> nv_status {
    // SAFETY: the caller's contract covers every pointer.
    unsafe {
        accessor(result, index, status_out, "status_out", |c| {
            match c.status {
                Status::Passed => nv_check_status::Passed,
                Status::Failed => nv_check_status::Failed,
                Status::Skipped => nv_check_status::Skipped,
                Status::Unavailable => nv_check_status::Unavailable,
                Status::NotRun => nv_check_status::NotRun,
            }
        })
    }
}

/// The stable error code of the `index`th check's failure (for example
/// `"certificate_expired"`), or NULL if it did not fail or was not decided, or for
/// a NULL `result` or an index out of range. Borrowed from `result`.
///
/// # Safety
/// `result` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn nv_result_check_code(
    result: *const nv_result,
    index: usize,
) -> *const c_char {
    // SAFETY: the caller passes NULL or a live handle.
    unsafe { check_text(result, index, |f| Some(&f.code)) }
}

/// The rejection-catalogue ID of the `index`th check's failure (for example
/// `"TIME-02"`), or NULL as for `nv_result_check_code` or if the failure has no
/// catalogue ID. Borrowed from `result`.
///
/// # Safety
/// `result` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn nv_result_check_rule(
    result: *const nv_result,
    index: usize,
) -> *const c_char {
    // SAFETY: the caller passes NULL or a live handle.
    unsafe { check_text(result, index, |f| f.rule.as_ref()) }
}

/// The message of the `index`th check's failure (one sentence saying what to
/// fix), or NULL as for `nv_result_check_code`. Borrowed from `result`.
///
/// # Safety
/// `result` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn nv_result_check_message(
    result: *const nv_result,
    index: usize,
) -> *const c_char {
    // SAFETY: the caller passes NULL or a live handle.
    unsafe { check_text(result, index, |f| Some(&f.message)) }
}

/// The stable code of the failure that decided a rejection, or NULL if the
/// verdict is not rejected or `result` is NULL. Borrowed from `result`.
///
/// # Safety
/// `result` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn nv_result_error_code(result: *const nv_result) -> *const c_char {
    // SAFETY: the caller passes NULL or a live handle.
    unsafe { error_text(result, |f| Some(&f.code)) }
}

/// The catalogue ID of the failure that decided a rejection, or NULL (no
/// rejection, no catalogue ID, or NULL `result`). Borrowed from `result`.
///
/// # Safety
/// `result` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn nv_result_error_rule(result: *const nv_result) -> *const c_char {
    // SAFETY: the caller passes NULL or a live handle.
    unsafe { error_text(result, |f| f.rule.as_ref()) }
}

/// The message of the failure that decided a rejection, or NULL if the verdict
/// is not rejected or `result` is NULL. Borrowed from `result`.
///
/// # Safety
/// `result` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn nv_result_error_message(result: *const nv_result) -> *const c_char {
    // SAFETY: the caller passes NULL or a live handle.
    unsafe { error_text(result, |f| Some(&f.message)) }
}

/// The whole outcome as JSON (NUL-terminated UTF-8, the schema shared by every
/// binding: `docs/outcome.md`), or NULL if `result` is NULL. Stores its length in
/// bytes, without the NUL, in `*len_out` if `len_out` is not NULL. Borrowed from
/// `result`: valid until `nv_result_free(result)`; never freed by the caller.
///
/// # Safety
/// `result` is NULL or a live handle; `len_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nv_result_json(
    result: *const nv_result,
    len_out: *mut usize,
) -> *const c_char {
    guard_value(std::ptr::null(), || {
        // SAFETY: the caller passes NULL or a live handle.
        let json = unsafe { result.as_ref() }.map(|r| &r.json);
        // SAFETY: the caller passes NULL or a writable `len_out`.
        if let Some(len) = unsafe { len_out.as_mut() } {
            *len = json.map_or(0, |j| j.as_bytes().len());
        }
        json.map_or(std::ptr::null(), |j| j.as_ptr())
    })
}

/// Releases a result and every string borrowed from it. NULL is ignored.
///
/// # Safety
/// `result` is NULL or a handle from `nv_verify` / `nv_verify_blob` not yet
/// freed; it must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn nv_result_free(result: *mut nv_result) {
    // SAFETY: the caller passes NULL or an owning handle.
    guard_value((), || unsafe { free_box(result) });
}

/// Reads one field of one check into `out`.
///
/// # Safety
/// `result` is NULL or a live handle; `out` is NULL or writable.
unsafe fn accessor<T>(
    result: *const nv_result,
    index: usize,
    out: *mut T,
    what: &str,
    field: impl FnOnce(&CheckResult) -> T,
) -> nv_status {
    let body = || {
        // SAFETY: forwarded from the caller.
        let check = unsafe { try_ref(result, "result") }?.check(index)?;
        // SAFETY: forwarded from the caller.
        unsafe { set_out(out, field(check), what) }
    };
    guard_value(nv_status::InternalError, || match body() {
        Ok(()) => nv_status::Ok,
        Err(e) => e.status,
    })
}

/// A string of one check's failure, or NULL.
///
/// # Safety
/// `result` is NULL or a live handle.
unsafe fn check_text(
    result: *const nv_result,
    index: usize,
    pick: impl FnOnce(&FailureText) -> Option<&CString>,
) -> *const c_char {
    guard_value(std::ptr::null(), || {
        // SAFETY: forwarded from the caller.
        unsafe { result.as_ref() }
            .and_then(|r| r.checks.get(index))
            .and_then(Option::as_ref)
            .and_then(pick)
            .map_or(std::ptr::null(), |s| s.as_ptr())
    })
}

/// A string of the decisive failure, or NULL.
///
/// # Safety
/// `result` is NULL or a live handle.
unsafe fn error_text(
    result: *const nv_result,
    pick: impl FnOnce(&FailureText) -> Option<&CString>,
) -> *const c_char {
    guard_value(std::ptr::null(), || {
        // SAFETY: forwarded from the caller.
        unsafe { result.as_ref() }
            .and_then(|r| r.error.as_ref())
            .and_then(pick)
            .map_or(std::ptr::null(), |s| s.as_ptr())
    })
}
