//! Base64 of public data: the envelope's `x5c` certificates, its three base64url
//! members and the timestamp token.
//!
//! Nothing decoded here is secret, so it needs no constant-time decoder:
//! `base64-simd` decodes with the CPU's vector instructions (chosen at run time;
//! a scalar table on WebAssembly), about four times faster than the `base64`
//! crate's table decoder it replaced (0.25 µs against 1.0 µs for a 2,192-character
//! timestamp token), which was itself several times faster than base64ct (which
//! still decodes the trust stores' PEM). Both decoders accept exactly the same
//! strings, which the test below checks: canonical encodings only (no non-zero
//! trailing bits), padding exactly where the variant wants it, no whitespace, and
//! no character of the other alphabet.

use base64_simd::{STANDARD, URL_SAFE_NO_PAD};

/// Standard alphabet with canonical `=` padding (`x5c`, the timestamp token).
pub(crate) fn standard(text: &str) -> Option<Vec<u8>> {
    STANDARD.decode_to_vec(text).ok()
}

/// URL alphabet without padding (the JWS `protected`, `payload` and `signature`).
pub(crate) fn url(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode_to_vec(text).ok()
}

#[cfg(test)]
mod tests {
    use base64ct::{Base64, Base64UrlUnpadded, Encoding};

    use super::*;

    fn same(text: &str) {
        assert_eq!(
            standard(text),
            Base64::decode_vec(text).ok(),
            "standard {text:?}"
        );
        assert_eq!(
            url(text),
            Base64UrlUnpadded::decode_vec(text).ok(),
            "url {text:?}"
        );
    }

    /// Every string the two decoders see differently would be an envelope one
    /// accepts and the other rejects: compare them on every short string over an
    /// alphabet with both alphabets' special characters, padding, whitespace and
    /// NUL, then on random strings and on encodings with a changed last character.
    #[test]
    fn accepts_exactly_what_base64ct_accepts() {
        const CHARS: &[u8] = b"AQgwB/+-_=Z\n \0";
        let mut checked = 0;
        for len in 0..=5u32 {
            for mut n in 0..(CHARS.len() as u64).pow(len) {
                let mut text = String::new();
                for _ in 0..len {
                    text.push(CHARS[(n % CHARS.len() as u64) as usize] as char);
                    n /= CHARS.len() as u64;
                }
                same(&text);
                checked += 1;
            }
        }
        let mut next = crate::test_rng::xorshift(0x9E37_79B9_7F4A_7C15_u64);
        for _ in 0..20_000 {
            let len = (next() % 40) as usize;
            let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            for encoded in [
                Base64::encode_string(&bytes),
                Base64UrlUnpadded::encode_string(&bytes),
            ] {
                same(&encoded);
                if let Some(last) = encoded.trim_end_matches('=').len().checked_sub(1) {
                    let mut changed = encoded.into_bytes();
                    changed[last] = CHARS[(next() % 11) as usize];
                    same(std::str::from_utf8(&changed).unwrap());
                }
            }
            checked += 4;
        }
        assert!(checked > 600_000);
    }
}
