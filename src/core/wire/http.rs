//! The request CPython 3.13's `logging.handlers.HTTPHandler.emit` makes `http.client` send,
//! byte for byte, and the `urllib.parse` pieces it uses.
//!
//! ```
//! use wasm_logging::core::wire::http::urlencode;
//! use wasm_logging::{Text, Value};
//!
//! let q = urlencode(&[(Text::from("msg"), Value::from("a b/é")), (Text::from("n"), Value::Int(1))]);
//! assert_eq!(q.unwrap(), "msg=a+b%2F%C3%A9&n=1");
//! ```

use super::WireError;
use crate::core::pyfmt::write_str_repr;
use crate::core::record::LogRecord;
use crate::core::value::{Text, Value};

/// `urllib.parse.quote_plus(s)` with `safe=''`: ASCII letters, digits and `_.-~` as they
/// are, a space as `+`, every other UTF-8 byte as `%XX` (upper-case hex).
pub fn quote_plus(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
        }
    }
    out
}

/// `urllib.parse.urlencode(d)` of a dict with these items: `quote_plus(str(k)) + '=' +
/// quote_plus(str(v))`, joined with `&`. Fails only where `str(v)` does (an object's
/// `__str__`).
pub fn urlencode(items: &[(Text, Value)]) -> Result<String, WireError> {
    let mut out = String::new();
    for (i, (k, v)) in items.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&quote_plus(k));
        out.push('=');
        out.push_str(&quote_plus(&v.to_py_str()?));
    }
    Ok(out)
}

/// `urlencode` of a dict value's entries (keys through `str()` too).
fn urlencode_dict(d: &Value) -> Result<String, WireError> {
    let Value::Dict(items) = d else {
        return Err(WireError::new(
            "TypeError: not a valid non-string sequence or mapping object",
        ));
    };
    let mut out = String::new();
    for (i, (k, v)) in items.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&quote_plus(&k.to_py_str()?));
        out.push('=');
        out.push_str(&quote_plus(&v.to_py_str()?));
    }
    Ok(out)
}

/// `HTTPConnection._get_hostport(host, None)` (HTTPS when `secure`): the host and port of
/// `host[:port]` or `[v6]:port`; an empty port is the default (80, or 443 when secure), a
/// bracketed host loses its brackets, and the port is read as Python's `int()` reads it
/// (surrounding whitespace, a sign, `_` between digits; only ASCII digits here). Errors are
/// `InvalidURL: nonnumeric port`, a port outside 0–65535 (which the connection would refuse)
/// and control characters or spaces in the host (`HTTPConnection._validate_host`).
pub fn parse_host(host: &str, secure: bool) -> Result<(String, u16), WireError> {
    let (name, port) = host_port(host, secure)?;
    Ok((name, port_number(port)?))
}

/// A port the connection can use (CPython fails only when connecting, after the request
/// is built).
fn port_number(port: i64) -> Result<u16, WireError> {
    u16::try_from(port)
        .map_err(|_| WireError::new(format!("OverflowError: port {port} out of range 0-65535")))
}

/// [`parse_host`] without the port range check.
fn host_port(host: &str, secure: bool) -> Result<(String, i64), WireError> {
    let default = if secure { 443 } else { 80 };
    let colon = host.rfind(':');
    let bracket = host.rfind(']');
    let (name, port) = match colon {
        Some(i) if bracket.is_none_or(|j| i > j) => {
            let text = &host[i + 1..];
            let port = if text.is_empty() {
                i64::from(default)
            } else {
                py_decimal(text).ok_or_else(|| {
                    WireError::new(format!("InvalidURL: nonnumeric port: '{text}'"))
                })?
            };
            (&host[..i], port)
        }
        _ => (host, i64::from(default)),
    };
    let name = match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(inner) if name.len() >= 2 => inner,
        _ => name,
    };
    validate_no_controls(name)?;
    Ok((name.to_owned(), port))
}

/// Python's `int(text)` in base 10 for ASCII digits: `None` where it raises (or the value
/// does not fit an `i64`).
fn py_decimal(text: &str) -> Option<i64> {
    // `str.strip()` whitespace: Unicode White_Space plus the C0 separators 0x1c–0x1f.
    let space = |c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c);
    let t = text.trim_matches(space);
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let mut v: i64 = 0;
    for b in digits.bytes() {
        if b == b'_' {
            continue;
        }
        if !b.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
    }
    Some(if negative { -v } else { v })
}

/// `http.client`'s CVE-2019-9740 check: no control characters or spaces (`[\x00-\x20\x7f]`).
fn validate_no_controls(s: &str) -> Result<(), WireError> {
    if let Some(c) = s.chars().find(|&c| c <= ' ' || c == '\x7f') {
        let mut msg = String::from("InvalidURL: URL can't contain control characters. ");
        write_str_repr(s, &mut msg);
        msg.push_str(" (found at least ");
        write_str_repr(c.encode_utf8(&mut [0; 4]), &mut msg);
        msg.push(')');
        return Err(WireError::new(msg));
    }
    Ok(())
}

/// The bytes `HTTPHandler(host, url, method, secure, credentials).emit(record)` makes
/// `http.client` send (for `secure`, the plaintext inside TLS):
///
/// ```text
/// GET /log?name=app&msg=... HTTP/1.1        (POST: the url alone; '' becomes '/')
/// Host: example.com:8080                    (no port when it is the default)
/// Accept-Encoding: identity
/// Content-type: application/x-www-form-urlencoded    (POST only)
/// Content-length: 123                                (POST only)
/// Authorization: Basic dXNlcjpwYXNz                  (with credentials)
///
/// name=app&msg=...                                   (POST only)
/// ```
///
/// The data is `urlencode(record.__dict__)` (`mapLogRecord`); for GET it follows the url
/// after `?`, or `&` when the url already has a `?`. The `Host` header is the netloc of a
/// url that starts with `http` and has one (as for a proxy), else the host from
/// [`parse_host`], bracketed when it holds a `:`, without an IPv6 zone.
///
/// Errors are what CPython raises before sending: a method other than GET or POST (any case),
/// a malformed host or port, control characters, spaces or non-ASCII in the url (non-ASCII
/// host names need IDNA, which is not implemented: pass the `xn--` form), a bad bracketed
/// netloc, and an unprintable record value.
pub fn request(
    method: &str,
    host: &str,
    url: &str,
    secure: bool,
    credentials: Option<(&str, &str)>,
    record: &LogRecord,
) -> Result<Vec<u8>, WireError> {
    let method = method.to_uppercase();
    if method != "GET" && method != "POST" {
        return Err(WireError::new("ValueError: method must be GET or POST"));
    }
    let (name, port) = host_port(host, secure)?;
    let default_port = if secure { 443 } else { 80 };
    let data = urlencode_dict(&record.to_dict())?;
    let mut url = url.to_owned();
    if method == "GET" {
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&data);
    }
    if url.is_empty() {
        url.push('/');
    }
    validate_no_controls(&url)?;
    if let Some(c) = url.chars().find(|c| !c.is_ascii()) {
        return Err(WireError::new(format!(
            "UnicodeEncodeError: 'ascii' codec can't encode character '\\u{{{:04x}}}' in the url",
            c as u32
        )));
    }
    let host_header = host_header(&url, &name, port, default_port)?;
    let mut out =
        format!("{method} {url} HTTP/1.1\r\nHost: {host_header}\r\nAccept-Encoding: identity\r\n");
    if method == "POST" {
        out.push_str("Content-type: application/x-www-form-urlencoded\r\n");
        out.push_str(&format!("Content-length: {}\r\n", data.len()));
    }
    if let Some((user, password)) = credentials {
        out.push_str("Authorization: Basic ");
        out.push_str(&base64(format!("{user}:{password}").as_bytes()));
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    if method == "POST" {
        out.push_str(&data);
    }
    // Connecting comes last in CPython, so a bad port is reported after everything else.
    port_number(port)?;
    Ok(out.into_bytes())
}

/// `putrequest`'s `Host` value.
fn host_header(url: &str, host: &str, port: i64, default_port: i64) -> Result<String, WireError> {
    if url.starts_with("http") {
        let netloc = url_netloc(url)?;
        if !netloc.is_empty() {
            // `_strip_ipv6_iface`, which asserts the zone is inside brackets.
            return match netloc.split_once('%') {
                None => Ok(netloc.to_owned()),
                Some((head, _)) if head.starts_with('[') => Ok(format!("{head}]")),
                Some(_) => Err(WireError::new(format!(
                    "AssertionError: b'{}'",
                    netloc.split('%').next().unwrap_or_default()
                ))),
            };
        }
    }
    if !host.is_ascii() {
        return Err(WireError::new(format!(
            "UnicodeError: host {host:?} needs IDNA encoding, which is not supported; pass its \
             ASCII (xn--) form"
        )));
    }
    let mut enc = if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_owned()
    };
    if host.contains(':') {
        if let Some((head, _)) = enc.split_once('%') {
            enc = format!("{head}]");
        }
    }
    Ok(if port == default_port {
        enc
    } else {
        format!("{enc}:{port}")
    })
}

/// `urlsplit(url).netloc` for an ASCII url without controls, with `urlsplit`'s checks of a
/// bracketed host.
fn url_netloc(url: &str) -> Result<&str, WireError> {
    let mut rest = url;
    if let Some(i) = url.find(':') {
        let scheme = &url[..i];
        if i > 0
            && scheme.as_bytes()[0].is_ascii_alphabetic()
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        {
            rest = &url[i + 1..];
        }
    }
    let Some(after) = rest.strip_prefix("//") else {
        return Ok("");
    };
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let netloc = &after[..end];
    let (open, close) = (netloc.contains('['), netloc.contains(']'));
    if open != close {
        return Err(WireError::new("ValueError: Invalid IPv6 URL"));
    }
    if open {
        let inner = netloc
            .split_once('[')
            .map_or("", |(_, r)| r.split_once(']').map_or(r, |(h, _)| h));
        check_bracketed_host(inner)?;
    }
    Ok(netloc)
}

/// `urllib.parse._check_bracketed_host`: an IPvFuture (`v1.x`) or an IPv6 address.
fn check_bracketed_host(h: &str) -> Result<(), WireError> {
    if let Some(rest) = h.strip_prefix('v') {
        let hex = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
        let ok =
            hex > 0 && rest[hex..].starts_with('.') && rest.len() > hex + 1 && !rest.contains('\n');
        return if ok {
            Ok(())
        } else {
            Err(WireError::new("ValueError: IPvFuture address is invalid"))
        };
    }
    if is_ipv4(h) {
        return Err(WireError::new(
            "ValueError: An IPv4 address cannot be in brackets",
        ));
    }
    if is_ipv6(h) {
        Ok(())
    } else {
        let mut msg = String::from("ValueError: ");
        write_str_repr(h, &mut msg);
        msg.push_str(" does not appear to be an IPv4 or IPv6 address");
        Err(WireError::new(msg))
    }
}

/// `ipaddress.IPv4Address(s)` succeeds: four decimal octets, no leading zeros.
fn is_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && (*p == "0" || !p.starts_with('0'))
                && p.parse::<u16>().is_ok_and(|v| v <= 255)
        })
}

/// `ipaddress.IPv6Address(s)` succeeds (with an optional non-empty `%zone`).
fn is_ipv6(s: &str) -> bool {
    let addr = match s.split_once('%') {
        Some((addr, zone)) => {
            if zone.is_empty() || zone.contains('%') {
                return false;
            }
            addr
        }
        None => s,
    };
    let mut parts: Vec<String> = addr.split(':').map(str::to_owned).collect();
    if parts.len() < 3 {
        return false;
    }
    if parts.last().is_some_and(|p| p.contains('.')) {
        let v4 = parts.pop().unwrap_or_default();
        if !is_ipv4(&v4) {
            return false;
        }
        let o: Vec<u32> = v4.split('.').filter_map(|p| p.parse().ok()).collect();
        if o.len() != 4 {
            return false;
        }
        parts.push(format!("{:x}", (o[0] << 8) | o[1]));
        parts.push(format!("{:x}", (o[2] << 8) | o[3]));
    }
    if parts.len() > 9 {
        return false;
    }
    let n = parts.len();
    let mut skip = None;
    for (i, p) in parts.iter().enumerate().take(n - 1).skip(1) {
        if p.is_empty() {
            if skip.is_some() {
                return false;
            }
            skip = Some(i);
        }
    }
    let (first_empty, last_empty) = (parts[0].is_empty(), parts[n - 1].is_empty());
    let (lo, hi) = match skip {
        Some(k) => {
            let (mut hi, mut lo) = (k, n - k - 1);
            if first_empty {
                if hi != 1 {
                    return false;
                }
                hi -= 1;
            }
            if last_empty {
                if lo != 1 {
                    return false;
                }
                lo -= 1;
            }
            if 8 < hi + lo + 1 {
                return false;
            }
            (n - lo, hi)
        }
        None => {
            if n != 8 || first_empty || last_empty {
                return false;
            }
            (n, n)
        }
    };
    parts[..hi]
        .iter()
        .chain(parts[lo..].iter())
        .all(|p| (1..=4).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `base64.b64encode` (standard alphabet, padded).
fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(A[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A request with a body of its own (recipe 29's batches), written the way `http.client`
/// writes [`request`]'s: request line, `Host`, `Accept-Encoding: identity`,
/// `Content-type`, `Content-length` (in bytes), `Authorization` with credentials, then the
/// body. `url` is used as given (`''` becomes `/`).
pub fn body_request(
    method: &str,
    host: &str,
    url: &str,
    secure: bool,
    credentials: Option<(&str, &str)>,
    content_type: &str,
    body: &[u8],
) -> Result<Vec<u8>, WireError> {
    body_request_with_headers(
        method,
        host,
        url,
        secure,
        credentials,
        content_type,
        &[],
        body,
    )
}

/// [`body_request`] with `headers` written after the others (an `Idempotency-Key`). A
/// header name or value with a control character is refused, as `http.client` refuses it.
#[allow(clippy::too_many_arguments)]
pub fn body_request_with_headers(
    method: &str,
    host: &str,
    url: &str,
    secure: bool,
    credentials: Option<(&str, &str)>,
    content_type: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Vec<u8>, WireError> {
    for (name, value) in headers {
        if name.is_empty()
            || !name.bytes().all(|b| b.is_ascii_graphic() && b != b':')
            || value.contains(['\r', '\n', '\0'])
        {
            return Err(WireError::new(format!(
                "ValueError: Invalid header {name:?}: {value:?}"
            )));
        }
    }
    let method = method.to_uppercase();
    let (name, port) = host_port(host, secure)?;
    let default_port = if secure { 443 } else { 80 };
    let url = if url.is_empty() { "/" } else { url };
    validate_no_controls(url)?;
    if content_type.contains(['\r', '\n', '\0']) {
        return Err(WireError::new(format!(
            "ValueError: Invalid header value {content_type:?}"
        )));
    }
    if !url.is_ascii() {
        return Err(WireError::new("UnicodeEncodeError: the url must be ASCII"));
    }
    let host_header = host_header(url, &name, port, default_port)?;
    let mut out = format!(
        "{method} {url} HTTP/1.1\r\nHost: {host_header}\r\nAccept-Encoding: identity\r\n\
         Content-type: {content_type}\r\nContent-length: {}\r\n",
        body.len()
    );
    if let Some((user, password)) = credentials {
        out.push_str("Authorization: Basic ");
        out.push_str(&base64(format!("{user}:{password}").as_bytes()));
        out.push_str("\r\n");
    }
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    port_number(port)?;
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, enc) in cases {
            assert_eq!(base64(plain.as_bytes()), enc);
        }
    }

    #[test]
    fn hosts_parse_as_http_client() {
        let p = |h: &str, s| parse_host(h, s).map_err(|e| e.to_string());
        assert_eq!(p("example.com", false), Ok(("example.com".into(), 80)));
        assert_eq!(p("example.com:", true), Ok(("example.com".into(), 443)));
        assert_eq!(p("[::1]:8080", false), Ok(("::1".into(), 8080)));
        assert_eq!(p("h: +8_0 ", false), Ok(("h".into(), 80)));
        assert_eq!(p("[::1]", false), Ok(("::1".into(), 80)));
        assert!(p("h:x", false)
            .unwrap_err()
            .contains("nonnumeric port: 'x'"));
        assert!(p("h:70000", false).is_err());
        assert!(p("a b:80", false)
            .unwrap_err()
            .contains("control characters"));
    }

    #[test]
    fn ipv6_follows_ipaddress() {
        for ok in [
            "::1",
            "1:2:3:4:5:6:7:8",
            "::",
            "1::",
            "::ffff:1.2.3.4",
            "fe80::1%eth0",
        ] {
            assert!(is_ipv6(ok), "{ok}");
        }
        for bad in [
            ":1",
            "1:2:3:4:5:6:7:8:9",
            "1::2::3",
            "12345::",
            "::1%",
            "1:2:3:4:5:6:7::8:9",
        ] {
            assert!(!is_ipv6(bad), "{bad}");
        }
        assert!(is_ipv4("1.2.3.4") && !is_ipv4("01.2.3.4") && !is_ipv4("256.1.1.1"));
    }
}
