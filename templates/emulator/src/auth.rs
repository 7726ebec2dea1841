//! Verifies a request's credentials as the API gateway does: an `SDK-HMAC-SHA256` signature
//! computed again from what arrived, or the presence of an IAM token.

use std::time::{SystemTime, UNIX_EPOCH};

use huaweicloud_bss::signer::{SignableRequest, sign};

use crate::api::AuthFailures;

/// What the emulator accepts.
#[derive(Clone)]
pub(crate) struct Accepted {
    /// Access key → secret key.
    pub keys: Vec<(String, String)>,
    /// Tokens accepted in `X-Auth-Token`; `None` accepts any non-empty token.
    pub tokens: Option<Vec<String>>,
    /// Whether `X-Sdk-Date` must be within the documented skew of the clock.
    pub check_clock: bool,
}

impl std::fmt::Debug for Accepted {
    // Secret keys and tokens are credentials: only the access keys are shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Accepted")
            .field("access_keys", &self.keys.iter().map(|(ak, _)| ak.as_str()).collect::<Vec<_>>())
            .field("tokens", &self.tokens.as_ref().map(|t| format!("<{} redacted>", t.len())))
            .field("check_clock", &self.check_clock)
            .finish()
    }
}

/// The request as it arrived, for verification.
pub(crate) struct Arrived<'a> {
    pub method: &'a str,
    /// The raw path, still percent-encoded.
    pub path: &'a str,
    /// Decoded query pairs.
    pub query: &'a [(String, String)],
    /// Header (name, value) pairs as received.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

/// Why credentials were refused: the documented message, and the emulator's reason.
#[derive(Debug)]
pub(crate) struct Refused {
    pub message: String,
    pub reason: String,
}

fn header<'a>(arrived: &'a Arrived<'_>, name: &str) -> Option<&'a str> {
    arrived.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// Checks the credentials of `arrived`.
pub(crate) fn verify(accepted: &Accepted, docs: &AuthFailures, arrived: &Arrived<'_>) -> Result<(), Refused> {
    let refuse = |message: &str, reason: String| Refused { message: message.to_string(), reason };
    if let Some(auth) = header(arrived, "authorization") {
        return verify_signature(accepted, docs, arrived, auth);
    }
    match header(arrived, "x-auth-token").map(str::trim) {
        Some(token) if !token.is_empty() => match &accepted.tokens {
            Some(tokens) if !tokens.iter().any(|t| t == token) => {
                Err(refuse(&docs.invalid_token, "the X-Auth-Token is not one the emulator was given".into()))
            }
            _ => Ok(()),
        },
        Some(_) => Err(refuse(&docs.invalid_token, "the X-Auth-Token header is empty".into())),
        None => Err(refuse(&docs.signature_mismatch, "the request carries neither an Authorization nor an X-Auth-Token header".into())),
    }
}

fn verify_signature(accepted: &Accepted, docs: &AuthFailures, arrived: &Arrived<'_>, auth: &str) -> Result<(), Refused> {
    let mismatch = |reason: &str| Refused { message: docs.signature_mismatch.clone(), reason: reason.to_string() };
    let fields = auth.strip_prefix("SDK-HMAC-SHA256 ").ok_or_else(|| mismatch("the Authorization header is not SDK-HMAC-SHA256"))?;
    let mut access = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in fields.split(',') {
        match part.trim().split_once('=') {
            Some(("Access", v)) => access = Some(v),
            Some(("SignedHeaders", v)) => signed_headers = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => {}
        }
    }
    let (Some(access), Some(signed_headers), Some(signature)) = (access, signed_headers, signature) else {
        return Err(mismatch("the Authorization header lacks Access, SignedHeaders or Signature"));
    };
    let Some((_, secret)) = accepted.keys.iter().find(|(ak, _)| ak == access) else {
        return Err(Refused { message: docs.unknown_access_key.clone(), reason: "the access key is not one the emulator was given".into() });
    };
    let date = header(arrived, "x-sdk-date").ok_or_else(|| mismatch("the X-Sdk-Date header is missing"))?;
    let Some(signed_at) = parse_sdk_date(date.trim()) else {
        return Err(mismatch("the X-Sdk-Date header is not of the form 20240129T101530Z"));
    };
    if accepted.check_clock {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
        if now.abs_diff(signed_at) > docs.max_clock_skew_seconds {
            return Err(mismatch("X-Sdk-Date is too far from the emulator's clock"));
        }
    }
    let host = header(arrived, "host").unwrap_or_default();
    // Only the headers the client says it signed take part, exactly as the gateway does.
    let names: Vec<&str> = signed_headers.split(';').collect();
    let headers: Vec<(String, String)> = arrived
        .headers
        .iter()
        .filter(|(n, _)| names.iter().any(|s| s.eq_ignore_ascii_case(n)))
        .cloned()
        .collect();
    let request = SignableRequest { method: arrived.method, host, path: arrived.path, query: arrived.query, headers: &headers, body: arrived.body };
    let expected = sign(&request, access, secret, date);
    if expected.signed_headers != signed_headers {
        return Err(mismatch("SignedHeaders does not list exactly the signed headers (host and x-sdk-date included)"));
    }
    if !constant_time_eq(expected.signature.as_bytes(), signature.as_bytes()) {
        return Err(mismatch("the signature does not match the request"));
    }
    Ok(())
}

/// Compares without an early exit, so the time taken does not tell how much matched.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Seconds since the Unix epoch of an `X-Sdk-Date` (`%Y%m%dT%H%M%SZ`).
fn parse_sdk_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (h, mi, se) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    // Days from civil (proleptic Gregorian), as in Howard Hinnant's date algorithms.
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if mo > 2 { mo - 3 } else { mo + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3_600 + mi * 60 + se)
}

#[cfg(test)]
mod tests {
    use super::parse_sdk_date;

    #[test]
    fn sdk_dates_parse_to_unix_seconds() {
        assert_eq!(parse_sdk_date("19700101T000000Z"), Some(0));
        assert_eq!(parse_sdk_date("20240129T101530Z"), Some(1_706_523_330));
        assert_eq!(parse_sdk_date("20240229T000000Z"), Some(1_709_164_800));
        assert_eq!(parse_sdk_date("2024-01-29T10:15:30Z"), None);
        assert_eq!(parse_sdk_date("20241329T101530Z"), None);
    }
}
