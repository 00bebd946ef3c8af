//! Time is an input: the verifier never reads a clock. [`Time`] is an instant the
//! caller supplies (or that a signature or certificate carries).

use core::fmt;

use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

/// An instant, with nanosecond precision, as seconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time {
    secs: i64,
    nanos: u32,
}

impl Time {
    /// The instant `secs` seconds after 1970-01-01T00:00:00Z.
    pub const fn from_unix(secs: i64) -> Self {
        Self { secs, nanos: 0 }
    }

    /// Seconds since the Unix epoch (rounded down).
    pub const fn unix_seconds(self) -> i64 {
        self.secs
    }

    /// Parses an RFC 3339 date-time such as `2026-11-24T00:00:00Z`, fractional
    /// seconds and numeric offsets included.
    pub fn parse_rfc3339(text: &str) -> Option<Self> {
        HeaderTime::parse(text).map(|t| t.instant)
    }

    /// RFC 3339 in UTC, e.g. `2026-11-24T00:00:00Z`.
    pub fn to_rfc3339(self) -> String {
        self.in_offset(0)
            .and_then(|t| t.format(&Rfc3339).ok())
            .unwrap_or_else(|| format!("@{}", self.secs))
    }

    /// `t` as an instant when its year is 0 to 9999, the years RFC 3339 can
    /// write (every time the verifier reports is written so); `None` otherwise.
    pub(crate) fn from_datetime(t: OffsetDateTime) -> Option<Self> {
        (0..=9999).contains(&t.year()).then(|| Self {
            secs: t.unix_timestamp(),
            nanos: t.nanosecond(),
        })
    }

    pub(crate) fn from_der(t: &x509_cert::time::Time) -> Self {
        let d = t.to_unix_duration();
        Self {
            secs: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            nanos: d.subsec_nanos(),
        }
    }

    fn in_offset(self, offset_secs: i32) -> Option<OffsetDateTime> {
        let nanos = i128::from(self.secs) * 1_000_000_000 + i128::from(self.nanos);
        let utc = OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()?;
        Some(utc.to_offset(UtcOffset::from_whole_seconds(offset_secs).ok()?))
    }

    /// Go's `time.ANSIC` layout (`Mon Jan _2 15:04:05 2006`) in UTC, as `notation
    /// inspect` prints certificate times.
    pub fn to_ansic(self) -> String {
        ansic(self.in_offset(0))
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

/// A time read from a signature header: the instant plus the text and offset it was
/// written with (displays keep the signer's offset, as notation does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderTime {
    /// The instant.
    pub instant: Time,
    /// The RFC 3339 text as it appears in the header.
    pub text: String,
    offset_secs: i32,
}

impl HeaderTime {
    /// Parses an RFC 3339 date-time.
    pub fn parse(text: &str) -> Option<Self> {
        // RFC 3339 requires the `T`/`Z` separators; the `time` crate also accepts
        // lower-case ones and leap seconds, which Go rejects.
        let bytes = text.as_bytes();
        if bytes.len() < 20 || bytes.get(10) != Some(&b'T') || text.contains('z') {
            return None;
        }
        let t = OffsetDateTime::parse(text, &Rfc3339).ok()?;
        if t.second() == 59 && text.get(17..19) == Some("60") {
            return None;
        }
        Some(Self {
            instant: Time {
                secs: t.unix_timestamp(),
                nanos: t.nanosecond(),
            },
            text: text.to_owned(),
            offset_secs: t.offset().whole_seconds(),
        })
    }

    /// Go's `time.ANSIC` layout in the offset the header was written with.
    pub fn to_ansic(&self) -> String {
        ansic(self.instant.in_offset(self.offset_secs))
    }
}

fn ansic(t: Option<OffsetDateTime>) -> String {
    const FORMAT: &[time::format_description::FormatItem<'static>] = time::macros::format_description!(
        "[weekday repr:short] [month repr:short] [day padding:space] [hour]:[minute]:[second] [year]"
    );
    t.and_then(|t| t.format(FORMAT).ok())
        .unwrap_or_else(|| "(out of range)".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `from_datetime` (how a timestamp token's times are taken) is writing the
    /// time in RFC 3339 and reading it back, without the text: the same instant,
    /// and `None` for the same times.
    #[test]
    fn from_datetime_is_an_rfc3339_round_trip() {
        use time::{Date, Duration, PrimitiveDateTime};
        let round_trip = |t: OffsetDateTime| Time::parse_rfc3339(&t.format(&Rfc3339).ok()?);
        let mut times = Vec::new();
        // The `time` crate holds years -9999 to 9999.
        for year in [-9999, -1, 0, 1, 1969, 1970, 2026, 9999] {
            for (ordinal, h, m, s, nanos) in [
                (1, 0, 0, 0, 0),
                (59, 12, 30, 1, 1),
                (365, 23, 59, 59, 999_999_999),
                (200, 7, 0, 59, 500_000_000),
            ] {
                let date = Date::from_ordinal_date(year, ordinal).unwrap();
                let time = time::Time::from_hms_nano(h, m, s, nanos).unwrap();
                times.push(PrimitiveDateTime::new(date, time).assume_utc());
            }
        }
        times.extend([
            OffsetDateTime::UNIX_EPOCH,
            OffsetDateTime::UNIX_EPOCH - Duration::nanoseconds(1),
        ]);
        let mut some = 0;
        for t in times {
            assert_eq!(Time::from_datetime(t), round_trip(t), "{t}");
            some += usize::from(Time::from_datetime(t).is_some());
        }
        assert!(some > 20, "{some}");
    }

    #[test]
    fn parses_rfc3339_forms() {
        let z = Time::parse_rfc3339("2026-11-24T00:00:00Z").unwrap();
        assert_eq!(z.unix_seconds(), 1_795_478_400);
        let off = HeaderTime::parse("2026-11-24T08:00:00+08:00").unwrap();
        assert_eq!(off.instant, z);
        assert_eq!(off.to_ansic(), "Tue Nov 24 08:00:00 2026");
        assert!(Time::parse_rfc3339("2026-11-24T00:00:00.5Z").unwrap() > z);
        assert_eq!(z.to_rfc3339(), "2026-11-24T00:00:00Z");
    }

    #[test]
    fn rejects_non_rfc3339() {
        for bad in [
            "2026-11-24 00:00:00Z",
            "2026-11-24t00:00:00z",
            "2026-11-24T00:00:00",
            "1795478400",
            "",
            "2026-13-01T00:00:00Z",
        ] {
            assert!(Time::parse_rfc3339(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn ansic_pads_day_with_space() {
        let t = Time::parse_rfc3339("2023-12-06T01:20:03Z").unwrap();
        assert_eq!(t.to_ansic(), "Wed Dec  6 01:20:03 2023");
    }
}
