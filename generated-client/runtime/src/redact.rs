//! Scrubbing credentials out of text that came from a server before it is kept in an error or a
//! log line.
//!
//! A server may echo anything it was sent: a 403 page quoting the URL with `access_token=...`,
//! an `errmsg` repeating the `safeKey`, a `gettoken` answer with the token under a key the
//! client does not expect. Two passes make such text safe:
//!
//! - **by value**: every secret the client knows for the call (app secret, access token, TOP
//!   session and secret, ClassIn `SECRET`, each computed `safeKey` and `sign`) is replaced by
//!   `***` wherever it occurs, as written or percent-encoded;
//! - **by key**: the value of any parameter named like a credential (`access_token`,
//!   `accessToken`, `appsecret`, `app_secret`, `session`, `sign`, `safeKey`, `secret`,
//!   `password`, in `key=value` or `"key": "value"` form, any case) is replaced by `***`, whatever
//!   the value is.

use std::borrow::Cow;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use crate::error::SNIPPET_CHARS;

/// What a scrubbed value is replaced by.
pub const REDACTED: &str = "***";

/// The most characters an error keeps of one text a server sent (`errmsg`, `sub_msg`, a decode
/// message).
pub const MAX_TEXT_CHARS: usize = 1024;

/// Secrets shorter than this are scrubbed by key only: replacing every occurrence of a one- or
/// two-character value would destroy the text and protect nothing.
pub const MIN_SECRET_CHARS: usize = 4;

/// Credential-like parameter names, matched whole and in any case.
const KEYS: &str = "access_?token|accesstoken|app_?secret|appsecret|session|sign|safe_?key|secret|password|md5pass";

fn by_key() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // `"key": "value"` (JSON), then `key=value` / `key: value` (query strings, prose). Word
        // boundaries are ASCII (`(?-u:\b)`): the keys are, and it keeps the search on the
        // regex crate's fast engines.
        let pattern = format!(
            r#"(?i)(?P<json>"(?:{KEYS})"\s*:\s*")(?:[^"\\]|\\.)*"|(?P<plain>(?-u:\b)(?:{KEYS})(?-u:\b)["']?\s*[=:]\s*["']?)[^\s&"'<>,;}}\])]*"#
        );
        Regex::new(&pattern).expect("the credential key pattern is valid")
    })
}

/// Whether `text` may hold a credential-named key at all: the keys' stems, searched for in any
/// ASCII case by one automaton built once. Server texts are mostly short (a header value, a
/// request id), where this answers in a few nanoseconds and a regex search costs its setup;
/// most texts then skip the capturing pass.
fn may_name_a_credential(text: &str) -> bool {
    static STEMS: OnceLock<AhoCorasick> = OnceLock::new();
    STEMS
        .get_or_init(|| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build([
                    "token", "secret", "session", "sign", "safekey", "safe_key", "password",
                    "md5pass",
                ])
                .expect("the credential stems build an automaton")
        })
        .is_match(text)
}

/// The secrets of one call, to scrub from whatever the server answered.
#[derive(Clone, Copy, Default)]
pub struct Redactor<'a> {
    secrets: &'a [&'a str],
    more: &'a [&'a str],
}

impl std::fmt::Debug for Redactor<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactor")
            .field("secrets", &(self.secrets.len() + self.more.len()))
            .finish()
    }
}

impl<'a> Redactor<'a> {
    /// A redactor for `secrets` (empty ones are ignored).
    pub fn new(secrets: &'a [&'a str]) -> Self {
        Redactor { secrets, more: &[] }
    }

    /// This redactor, also scrubbing `more` (for example a token just read from an answer).
    pub fn with(self, more: &'a [&'a str]) -> Self {
        Redactor { more, ..self }
    }

    fn all(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.secrets.iter().chain(self.more).copied()
    }

    /// `text` with every known secret and every credential-named parameter's value replaced by
    /// [`REDACTED`], cut to at most [`MAX_TEXT_CHARS`] characters (`…` appended when cut): what
    /// an error keeps of a server's `errmsg`, `sub_msg` or decode message.
    pub fn text(&self, text: &str) -> String {
        self.excerpt(text, false, MAX_TEXT_CHARS, |c| c)
    }

    /// `text` scrubbed whole.
    fn scrub(&self, text: &str) -> String {
        let text = unescape_json(text);
        let mut out: Cow<'_, str> = if may_name_a_credential(&text) {
            by_key().replace_all(&text, |c: &regex::Captures<'_>| match c.name("json") {
                Some(head) => format!("{}{REDACTED}\"", head.as_str()),
                None => format!("{}{REDACTED}", &c["plain"]),
            })
        } else {
            Cow::Borrowed(&text)
        };
        for secret in self.scrubbed_by_value() {
            for form in forms(secret) {
                if out.contains(&*form) {
                    out = Cow::Owned(out.replace(&*form, REDACTED));
                }
            }
        }
        out.into_owned()
    }

    /// The secrets scrubbed by value: those of at least [`MIN_SECRET_CHARS`] characters.
    fn scrubbed_by_value(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.all()
            .filter(|secret| secret.chars().nth(MIN_SECRET_CHARS - 1).is_some())
    }

    /// Whether scrubbing would replace anything in `text`: a known secret in any of its written
    /// forms, or the value of a credential-named parameter. For a text with no JSON escapes it
    /// allocates nothing when every secret is written as it is (letters, digits, `-._*`, as
    /// tokens and keys are); a secret that percent-encoding or JSON would change has its written
    /// forms computed on each call.
    pub fn finds_secret(&self, text: &str) -> bool {
        let text = unescape_json(text);
        if may_name_a_credential(&text) && by_key().is_match(&text) {
            return true;
        }
        // Every written form of a secret is at least as long as the secret: a shorter text (a
        // request id beside a token, the usual case) holds none, and is not searched.
        self.scrubbed_by_value()
            .filter(|secret| secret.len() <= text.len())
            .any(|secret| forms(secret).any(|form| text.contains(&*form)))
    }

    /// [`Redactor::text`] of an optional server string, kept as it is when there is nothing to
    /// scrub or cut.
    pub fn opt(&self, text: Option<String>) -> Option<String> {
        text.map(|t| {
            if t.len() <= MAX_TEXT_CHARS && !t.contains('\\') && !self.finds_secret(&t) {
                t
            } else {
                self.text(&t)
            }
        })
    }

    /// A bounded, printable, scrubbed excerpt of a response body: at most [`SNIPPET_CHARS`]
    /// characters, cut on a character boundary after scrubbing (so a secret at the edge cannot
    /// leave a prefix behind), invalid UTF-8 replaced, line breaks and tabs written as spaces,
    /// and `…` appended when something was cut.
    pub fn snippet(&self, body: &[u8]) -> String {
        let head = &body[..body.len().min(self.window(SNIPPET_CHARS))];
        let text = String::from_utf8_lossy(head);
        self.excerpt(&text, head.len() < body.len(), SNIPPET_CHARS, |c| {
            if c.is_control() {
                ' '
            } else {
                c
            }
        })
    }

    /// How many bytes of input are read for an excerpt of `chars` characters: at most four bytes
    /// each, plus room for the longest secret (percent-encoded) or parameter that may straddle
    /// the edge.
    fn window(&self, chars: usize) -> usize {
        let longest = self.all().map(|s| s.len() * 3).max().unwrap_or(0);
        chars * 4 + 4 + longest.max(512)
    }

    /// At most `max_chars` characters of `text` (which `more` says was itself cut from a longer
    /// input), scrubbed before they are cut, each passed through `show`; `…` appended when
    /// something was cut. Only a window of `text` is read, so a huge text costs no more than a
    /// short one.
    fn excerpt(
        &self,
        text: &str,
        more: bool,
        max_chars: usize,
        show: impl Fn(char) -> char,
    ) -> String {
        let mut end = text.len().min(self.window(max_chars));
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let head = &text[..end];
        let cut = more || head.len() < text.len();
        let mut scrubbed = self.scrub(head);
        if cut {
            // Scrubbing may have shrunk the text so far that the kept characters reach the
            // window's end, where a secret the window cut is only partly there.
            self.cut_partial_secret(&mut scrubbed);
        }
        let mut out = String::with_capacity(scrubbed.len().min(max_chars * 4));
        let mut chars = scrubbed.chars();
        out.extend(chars.by_ref().take(max_chars).map(show));
        if chars.next().is_some() || cut {
            out.push('…');
        }
        out
    }
}

impl Redactor<'_> {
    /// Replace the end of `text` when it is the beginning of a known secret (as written or
    /// percent-encoded), cut off by the end of the input.
    fn cut_partial_secret(&self, text: &mut String) {
        // An escape cut in two (`\`, `\u00`) is no part of any secret's written form: drop it,
        // so that what precedes it is compared.
        if let Some(at) = text.rfind('\\') {
            let tail = &text[at + 1..];
            if tail.is_empty()
                || (tail.len() < 5
                    && tail.starts_with('u')
                    && tail[1..].chars().all(|c| c.is_ascii_hexdigit()))
            {
                text.truncate(at);
            }
        }
        for secret in self.scrubbed_by_value() {
            for form in forms(secret) {
                let cut = (1..form.len())
                    .rev()
                    .filter(|&k| form.is_char_boundary(k))
                    .find(|&k| text.ends_with(&form[..k]));
                if let Some(k) = cut {
                    text.truncate(text.len() - k);
                    text.push_str(REDACTED);
                }
            }
        }
    }
}

/// `text` with the JSON escapes that hide a value without changing the text's structure
/// resolved: `\/` as `/` and `\uXXXX` (surrogate pairs too) as its character, unless that is a
/// quote, a backslash or a control character. A server that writes `access\u005ftoken` or
/// `tok\/en` (PHP's `json_encode` does by default) is scrubbed like one that does not, and
/// escaped Chinese text becomes readable.
fn unescape_json(text: &str) -> Cow<'_, str> {
    // A backslash is looked for first (one `memchr`): most texts have none.
    let escapes =
        text.as_bytes().contains(&b'\\') && (text.contains("\\/") || text.contains("\\u"));
    if !escapes {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("\\/") {
            out.push('/');
            rest = after;
            continue;
        }
        if let Some(after) = tail.strip_prefix("\\\\") {
            // An escaped backslash: keep both, so that `\\u0041` stays as written.
            out.push_str("\\\\");
            rest = after;
            continue;
        }
        match unicode_escape(tail) {
            Some((c, used)) if !c.is_control() && c != '"' && c != '\\' => {
                out.push(c);
                rest = &tail[used..];
            }
            _ => {
                out.push('\\');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The character of a `\uXXXX` escape (or a `\uD8XX\uDCXX` pair) at the start of `s`, and how
/// many bytes it took.
fn unicode_escape(s: &str) -> Option<(char, usize)> {
    let unit = |s: &str| -> Option<u32> {
        let hex = s.strip_prefix("\\u")?.get(..4)?;
        u32::from_str_radix(hex, 16).ok()
    };
    let first = unit(s)?;
    if (0xD800..0xDC00).contains(&first) {
        let second = unit(s.get(6..)?)?;
        let c = char::decode_utf16([first as u16, second as u16])
            .next()?
            .ok()?;
        return Some((c, 12));
    }
    Some((char::from_u32(first)?, 6))
}

/// The [`written_forms`] of `secret`, computed only when there is more than one: a secret of
/// letters, digits and `-._*` (tokens and keys are) is written as it is whether percent-encoded
/// or in a JSON string, and is then its one form, with nothing allocated.
fn forms(secret: &str) -> impl Iterator<Item = Cow<'_, str>> {
    let written_as_is = secret
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_'));
    let more = if written_as_is {
        Vec::new()
    } else {
        written_forms(secret)
    };
    let as_is = written_as_is.then_some(Cow::Borrowed(secret));
    as_is.into_iter().chain(more.into_iter().map(Cow::Owned))
}

/// The ways `secret` may be written in a server's answer, besides the JSON escapes that
/// [`unescape_json`] resolves: as it is, percent-encoded (a URL or a form body), and inside a JSON
/// string (`"` and `\` escaped).
fn written_forms(secret: &str) -> Vec<String> {
    let json = serde_json::to_string(secret)
        .map(|quoted| quoted[1..quoted.len() - 1].to_owned())
        .unwrap_or_default();
    let mut forms = vec![secret.to_owned(), percent_encoded(secret), json];
    forms.sort();
    forms.dedup();
    forms.retain(|f| !f.is_empty());
    // Longest first: a form that contains another is replaced whole.
    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    forms
}

/// `s` as it appears in a URL query or a form body.
fn percent_encoded(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|pair| pair[1..].to_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_secrets_are_scrubbed_as_written_and_percent_encoded() {
        let r = Redactor::new(&["tok/en+1=", "SECRET-abc"]);
        let t = r.text("a tok/en+1= b tok%2Fen%2B1%3D c SECRET-abc");
        assert_eq!(t, "a *** b *** c ***");
        // Short secrets are left to the key patterns.
        assert_eq!(Redactor::new(&["ab"]).text("ab cab"), "ab cab");
        // A text that is the secret and nothing else, as written or escaped.
        assert!(r.finds_secret("SECRET-abc"));
        assert!(r.finds_secret("tok/en+1="));
        assert!(r.finds_secret(r"tok\/en+1="));
        assert!(!r.finds_secret("SECRET-ab"));
        assert_eq!(r.opt(Some("SECRET-abc".into())).as_deref(), Some("***"));
        // Lengths are compared in bytes on both sides: a secret beyond ASCII is found as
        // written, JSON-escaped and percent-encoded.
        let wide = Redactor::new(&["密钥abcd"]);
        assert!(wide.finds_secret("密钥abcd"));
        assert!(wide.finds_secret(r"\u5bc6\u94a5abcd"));
        assert!(wide.finds_secret("%E5%AF%86%E9%92%A5abcd"));
        assert!(!wide.finds_secret("密钥abc"));
    }

    #[test]
    fn json_escapes_do_not_hide_a_secret_or_a_key() {
        let r = Redactor::new(&["tok/en+1=SECRET"]);
        assert_eq!(
            r.text(r#"{"errmsg":"bad tok\/en+1=SECRET"}"#),
            r#"{"errmsg":"bad ***"}"#
        );
        assert_eq!(
            Redactor::default().text(r#"{"access\u005ftoken":"T\/1","msg":"\u65e0\u6548"}"#),
            r#"{"access_token":"***","msg":"无效"}"#
        );
        // Escapes that carry structure, and broken ones, stay as written.
        assert_eq!(
            Redactor::default().text(r#"a\u0022b \\u0041 \u12 \ud83d\ude00 \n"#),
            r#"a\u0022b \\u0041 \u12 😀 \n"#
        );
    }

    #[test]
    fn credential_keys_are_scrubbed_whatever_the_value() {
        let r = Redactor::default();
        assert_eq!(
            r.text("/x?access_token=T&appsecret=S&keep=1"),
            "/x?access_token=***&appsecret=***&keep=1"
        );
        assert_eq!(
            r.text(r#"{"accessToken":"T\"x","errmsg":"ok","Session": "abc"}"#),
            r#"{"accessToken":"***","errmsg":"ok","Session": "***"}"#
        );
        assert_eq!(
            r.text("sign=ABC123 sign_method=md5"),
            "sign=*** sign_method=md5"
        );
        assert_eq!(
            r.text("safeKey: 2a8abf11, design=1"),
            "safeKey: ***, design=1"
        );
        assert_eq!(r.text("nothing to hide"), "nothing to hide");
    }

    #[test]
    fn server_texts_are_bounded() {
        let long = format!("{} access_token=T {}", "甲".repeat(10), "x".repeat(100_000));
        let kept = Redactor::default().text(&long);
        assert_eq!(kept.chars().count(), MAX_TEXT_CHARS + 1);
        assert!(
            kept.ends_with('…') && kept.contains("access_token=***"),
            "{kept}"
        );
        assert_eq!(Redactor::default().text("short"), "short");
    }

    #[test]
    fn snippets_are_bounded_scrubbed_and_cut_on_char_boundaries() {
        let body = "丁".repeat(1000);
        let s = Redactor::default().snippet(body.as_bytes());
        assert_eq!(s.chars().count(), SNIPPET_CHARS + 1);
        assert!(s.ends_with('…'));
        assert_eq!(
            Redactor::default().snippet(b"<html>\n<body>blocked</body></html>"),
            "<html> <body>blocked</body></html>"
        );
        let mut bytes = vec![b'a'; SNIPPET_CHARS * 4 + 3];
        bytes.extend_from_slice("丁丁".as_bytes());
        assert!(Redactor::default().snippet(&bytes).chars().count() <= SNIPPET_CHARS + 1);
        assert_eq!(
            Redactor::default().snippet(&[0xff, 0xfe, b'x']),
            "\u{fffd}\u{fffd}x"
        );
        assert_eq!(Redactor::default().snippet(b""), "");
        // A secret straddling the cut leaves nothing of itself behind.
        let secret = "S".repeat(40) + "-TAIL";
        let body = format!("{}{secret}", "x".repeat(SNIPPET_CHARS - 10));
        let s = Redactor::new(&[&secret]).snippet(body.as_bytes());
        assert!(!s.contains("SSSS"), "{s}");
    }

    proptest::proptest! {
        /// The fast paths miss nothing the full scrub finds: `finds_secret` whenever scrubbing
        /// replaces something, and `opt` returns what `text` would.
        #[test]
        fn fast_paths_agree_with_the_full_scrub(
            text in r#"([a-z0-9 =:&"/\\%+._-]|tok/en|tok%2Fen|Sec\\"ret|access_token|sign|\\u0041){0,12}"#,
        ) {
            let r = Redactor::new(&["tok/en", "Sec\"ret", "plain-Secret_1", "ab"]);
            let unescaped = unescape_json(&text);
            if r.scrub(&text) != unescaped {
                proptest::prop_assert!(r.finds_secret(&text));
            }
            proptest::prop_assert_eq!(r.opt(Some(text.clone())), Some(r.text(&text)));
        }
    }
}
