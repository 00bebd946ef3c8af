//! Text output: the `notation inspect` tree (released 1.x layout, spec §12.2) and
//! verification results.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::Value;
use verify::outcome::CertificateFacts;
use verify::policy::Action;
use verify::{CheckResult, Failure, HeaderTime, Outcome, SignatureFacts, Status, Time};

use super::signatures::Attempt;

/// A tree node: its text and children, printed with notation's box-drawing
/// prefixes.
#[derive(Debug, Default)]
struct Node {
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            children: Vec::new(),
        }
    }

    fn add(&mut self, text: impl Into<String>) -> &mut Node {
        self.children.push(Node::new(text));
        let last = self.children.len() - 1;
        &mut self.children[last]
    }

    fn add_pair(&mut self, key: &str, value: &str) -> &mut Node {
        self.add(format!("{key}: {value}"))
    }

    fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(&self.text);
        out.push('\n');
        self.render_children("", &mut out);
        out
    }

    fn render_children(&self, prefix: &str, out: &mut String) {
        for (i, child) in self.children.iter().enumerate() {
            let last = i + 1 == self.children.len();
            let (item, indent) = if last {
                ("└── ", "    ")
            } else {
                ("├── ", "│   ")
            };
            out.push_str(prefix);
            out.push_str(item);
            out.push_str(&child.text);
            out.push('\n');
            child.render_children(&format!("{prefix}{indent}"), out);
        }
    }
}

/// The `notation inspect` tree of one signature, rooted at `label` (the envelope
/// file). Signed attributes are sorted by key so the output is stable.
pub fn inspect_tree(label: &str, facts: &SignatureFacts) -> String {
    let mut root = Node::new(label);
    root.add_pair("media type", &facts.media_type);
    root.add_pair("signature algorithm", &facts.signature_algorithm);

    let mut signed: BTreeMap<String, String> = BTreeMap::new();
    signed.insert("signingScheme".into(), facts.signing_scheme.clone());
    signed.insert("signingTime".into(), header_time(&facts.signing_time));
    if let Some(expiry) = &facts.expiry {
        signed.insert("expiry".into(), header_time(expiry));
    }
    for (key, value) in &facts.extended_attributes {
        signed.insert(key.clone(), go_sprint(value));
    }
    add_map(root.add("signed attributes"), &signed);

    let annotations = facts
        .signed_artifact
        .as_ref()
        .map(|d| d.annotations.clone())
        .unwrap_or_default();
    add_map(root.add("user defined attributes"), &annotations);

    let unsigned = root.add("unsigned attributes");
    if let Some(agent) = &facts.signing_agent {
        unsigned.add_pair("signingAgent", agent);
    }
    if facts.has_timestamp {
        let node = unsigned.add("timestamp signature");
        match &facts.timestamp {
            Some(stamp) => {
                node.add_pair(
                    "timestamp",
                    &format!("[{}, {}]", utc_time(&stamp.lower), utc_time(&stamp.upper)),
                );
                let certificates = node.add("certificates");
                for cert in &stamp.certificates {
                    add_certificate(certificates, cert);
                }
            }
            None => {
                node.add_pair("error", "failed to parse timestamp countersignature");
            }
        }
    }

    let certificates = root.add("certificates");
    for cert in &facts.certificates {
        add_certificate(certificates, cert);
    }

    let artifact = root.add("signed artifact");
    if let Some(target) = &facts.signed_artifact {
        artifact.add_pair("media type", &target.media_type);
        artifact.add_pair("digest", &target.digest);
        artifact.add_pair("size", &target.size.to_string());
    }
    root.render()
}

fn add_map(node: &mut Node, map: &BTreeMap<String, String>) {
    if map.is_empty() {
        node.add("(empty)");
    }
    for (key, value) in map {
        node.add_pair(key, value);
    }
}

fn add_certificate(node: &mut Node, cert: &CertificateFacts) {
    let entry = node.add_pair("SHA256 fingerprint", &cert.sha256_fingerprint);
    entry.add_pair("issued to", &cert.issued_to);
    entry.add_pair("issued by", &cert.issued_by);
    entry.add_pair("expiry", &utc_time(&cert.expiry));
}

/// An RFC 3339 UTC time in Go's `time.ANSIC` layout.
fn utc_time(text: &str) -> String {
    Time::parse_rfc3339(text).map_or_else(|| text.to_owned(), Time::to_ansic)
}

/// A header time in Go's `time.ANSIC` layout, in the offset it was written with.
fn header_time(text: &str) -> String {
    HeaderTime::parse(text).map_or_else(|| text.to_owned(), |t| t.to_ansic())
}

/// A JSON value as Go's `fmt.Sprint` prints what `encoding/json` decoded it to.
fn go_sprint(value: &Value) -> String {
    match value {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), go_float),
        Value::String(s) => s.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(go_sprint).collect::<Vec<_>>().join(" ")
        ),
        Value::Object(members) => {
            let sorted: BTreeMap<&String, &Value> = members.iter().collect();
            let parts: Vec<String> = sorted
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_sprint(v)))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
    }
}

/// Go's `%v` of a float64 (strconv `'g'`, shortest): the shortest round-trip
/// digits, in exponent form when the decimal exponent is below -4 or at least 6.
fn go_float(f: f64) -> String {
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let sci = format!("{:e}", f.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if f < 0.0 { "-" } else { "" };
    if !(-4..6).contains(&exponent) {
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        return format!("{sign}{first}{fraction}e{exp_sign}{:02}", exponent.abs());
    }
    let point = exponent + 1;
    let text = if point <= 0 {
        format!(
            "0.{}{digits}",
            "0".repeat(usize::try_from(-point).unwrap_or(0))
        )
    } else {
        let point = usize::try_from(point).unwrap_or(0);
        if digits.len() <= point {
            format!("{digits}{}", "0".repeat(point - digits.len()))
        } else {
            format!("{}.{}", &digits[..point], &digits[point..])
        }
    };
    format!("{sign}{text}")
}

fn action_name(action: Action) -> &'static str {
    match action {
        Action::Enforce => "enforced",
        Action::Log => "logged",
        Action::Skip => "skipped",
    }
}

/// ` [RULE code]` for a failure.
pub fn failure_tag(failure: &Failure) -> String {
    match failure.rule {
        Some(rule) => format!(" [{rule} {}]", failure.code),
        None => format!(" [{}]", failure.code),
    }
}

fn check_line(check: &CheckResult) -> String {
    let status = match check.status {
        Status::Passed => "passed",
        Status::Failed => "failed",
        Status::Skipped => "skipped",
        Status::Unavailable => "unavailable",
        Status::NotRun => "not run",
    };
    let mut line = format!("{:<19}{status}", check.check.as_str());
    if !(check.status == Status::Skipped && check.action == Action::Skip) {
        let _ = write!(line, " ({})", action_name(check.action));
    } else {
        line.push_str(" (by policy)");
    }
    if let Some(failure) = &check.error {
        let _ = write!(line, ": {}{}", failure.message, failure_tag(failure));
    }
    line
}

/// One line per check, indented by `indent`.
pub fn checks(outcome: &Outcome, indent: &str) -> String {
    let mut out = String::new();
    for check in &outcome.checks {
        let _ = writeln!(out, "{indent}{}", check_line(check));
    }
    out
}

/// The verdict line for `subject` (`REF`, or a blob path).
pub fn verdict_line(subject: &str, outcome: &Outcome) -> String {
    match (outcome.verdict, &outcome.error) {
        (verify::Verdict::Verified, _) => format!("✓ Successfully verified signature for {subject}"),
        (verify::Verdict::Skipped, _) => format!(
            "✓ Signature verification skipped for {subject}: trust policy statement \"{}\" has level skip",
            outcome.policy.as_deref().unwrap_or("?")
        ),
        (verify::Verdict::Rejected, Some(failure)) => {
            format!("✗ Signature verification failed for {subject}: {}{}", failure.message, failure_tag(failure))
        }
        (verify::Verdict::Rejected, None) => format!("✗ Signature verification failed for {subject}"),
    }
}

/// One signature's result: its verdict line and checks.
pub fn single(subject: &str, outcome: &Outcome) -> String {
    format!(
        "{}\n{}",
        verdict_line(subject, outcome),
        checks(outcome, "  ")
    )
}

/// The result of trying several signatures of `subject`.
pub fn attempts(subject: &str, attempts: &[Attempt], found: usize) -> String {
    let mut out = String::new();
    match attempts.iter().find(|a| a.accepted()) {
        Some(Attempt {
            result: Ok(outcome),
            ..
        }) => out.push_str(&verdict_line(subject, outcome)),
        _ => {
            let _ = write!(
                out,
                "✗ Signature verification failed for {subject}: none of its {found} signature(s) verified"
            );
        }
    }
    out.push('\n');
    for (i, attempt) in attempts.iter().enumerate() {
        let _ = write!(
            out,
            "  signature {} ({} of {found}): ",
            attempt.label,
            i + 1
        );
        match &attempt.result {
            Ok(outcome) => {
                let verdict = match outcome.verdict {
                    verify::Verdict::Verified => "verified".to_owned(),
                    verify::Verdict::Skipped => "skipped".to_owned(),
                    verify::Verdict::Rejected => match &outcome.error {
                        Some(f) => format!("rejected: {}{}", f.message, failure_tag(f)),
                        None => "rejected".to_owned(),
                    },
                };
                let policy = match (&outcome.policy, outcome.level) {
                    (Some(p), Some(l)) => format!(" (policy \"{p}\", level {l})"),
                    _ => String::new(),
                };
                let _ = writeln!(out, "{verdict}{policy}");
                out.push_str(&checks(outcome, "    "));
            }
            Err(why) => {
                let _ = writeln!(out, "not usable: {why}");
            }
        }
    }
    if attempts.len() < found && !attempts.iter().any(Attempt::accepted) {
        let _ = writeln!(
            out,
            "  {} more signature(s) not tried (limit {})",
            found - attempts.len(),
            attempts.len()
        );
    }
    out
}

/// The attempts as JSON: `{"reference", "verdict", "signatures": [{"digest", "outcome" | "error"}]}`,
/// each outcome the core's unchanged.
pub fn attempts_json(subject: &str, attempts: &[Attempt]) -> String {
    let verdict = attempts
        .iter()
        .find(|a| a.accepted())
        .and_then(|a| a.result.as_ref().ok())
        .map_or("rejected", |o| match o.verdict {
            verify::Verdict::Verified => "verified",
            verify::Verdict::Skipped => "skipped",
            verify::Verdict::Rejected => "rejected",
        });
    let signatures: Vec<Value> = attempts
        .iter()
        .map(|a| match &a.result {
            Ok(outcome) => serde_json::json!({
                "digest": a.label,
                "outcome": serde_json::from_str::<Value>(&outcome.to_json()).unwrap_or(Value::Null),
            }),
            Err(why) => serde_json::json!({ "digest": a.label, "error": why }),
        })
        .collect();
    serde_json::json!({ "reference": subject, "verdict": verdict, "signatures": signatures })
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_float_matches_fmt_sprint() {
        for (f, want) in [
            (3.0, "3"),
            (123456.0, "123456"),
            (1_000_000.0, "1e+06"),
            (1_234_567.0, "1.234567e+06"),
            (0.5, "0.5"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.25, "-2.25"),
            (1e100, "1e+100"),
        ] {
            assert_eq!(go_float(f), want, "{f}");
        }
    }

    #[test]
    fn go_sprint_composites() {
        let v: Value = serde_json::from_str(r#"{"b":[1,"x",true],"a":null}"#).unwrap();
        assert_eq!(go_sprint(&v), "map[a:<nil> b:[1 x true]]");
    }

    #[test]
    fn tree_prefixes() {
        let mut root = Node::new("root");
        root.add("a").add("a1");
        root.add("b").add("b1");
        assert_eq!(
            root.render(),
            "root\n├── a\n│   └── a1\n└── b\n    └── b1\n"
        );
    }
}
