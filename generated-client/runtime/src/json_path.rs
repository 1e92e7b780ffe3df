//! Where in a JSON body a read stopped: the path of the value at the position serde_json reports
//! with an error, written as `result.grades[1].name`.
//!
//! Decode errors name the path of the value that did not fit. Tracking the path while reading
//! (as `serde_path_to_error` does) wraps every deserializer and visitor the response type uses:
//! a second copy of each response type's decoder, compiled in every crate that awaits a call.
//! The path is found instead from the body's bytes, after the read failed: serde_json stops at
//! the value it could not read and reports where.

use std::fmt::Write;

use serde_json::error::Category;

/// How many containers deep the path is followed; deeper ones are written `…`. A body may nest
/// millions of levels inside a value the payload skips: the path costs this much at most.
const MAX_DEPTH: usize = 32;

/// The most characters of one key kept in the path; a longer key ends in `…`.
const MAX_KEY_CHARS: usize = 64;

/// The path of the value being read where `error` was raised in `body`; `None` at the root or
/// when the error has no position (line 0: it was not raised while reading `body`).
pub(crate) fn of_error(body: &[u8], error: &serde_json::Error) -> Option<String> {
    let mut offset = offset(body, error.line(), error.column())?;
    // A syntax error is reported just past the byte serde_json looked at and refused; a closing
    // bracket or a comma there has not been read, so it must not close a container or move on
    // to the next key or element (`{"n":}` is an error in `n`).
    if error.classify() == Category::Syntax
        && offset
            .checked_sub(1)
            .and_then(|last| body.get(last))
            .is_some_and(|b| matches!(b, b'}' | b']' | b','))
    {
        offset -= 1;
    }
    at(body, offset)
}

/// The byte offset of `line` (from 1) and `column` (bytes from the start of that line), as
/// serde_json counts them.
fn offset(body: &[u8], line: usize, column: usize) -> Option<usize> {
    let start = match line {
        0 => return None,
        1 => 0,
        _ => {
            body.iter()
                .enumerate()
                .filter(|&(_, &b)| b == b'\n')
                .nth(line - 2)?
                .0
                + 1
        }
    };
    start.checked_add(column)
}

/// One open container on the way to the offset.
enum Frame {
    /// An object: its current key (a byte range of the body, the text between the quotes) once
    /// the colon after it is read, the key read before that colon, and whether the next string
    /// is a key.
    Object {
        key: Option<(usize, usize)>,
        read: Option<(usize, usize)>,
        expecting_key: bool,
    },
    /// An array and the index of its current element.
    Array { index: usize },
}

/// The path of the value open at byte `offset` of `body`: every container opened before it and
/// not closed, with its current key or index, the first [`MAX_DEPTH`] of them. `None` at the
/// root.
fn at(body: &[u8], offset: usize) -> Option<String> {
    let end = offset.min(body.len());
    let mut frames = Vec::new();
    // Containers open below the last frame kept.
    let mut deeper = 0usize;
    let mut i = 0;
    while i < end {
        match body[i] {
            b'"' => {
                let start = i + 1;
                i = start;
                while i < body.len() && body[i] != b'"' {
                    i += if body[i] == b'\\' { 2 } else { 1 };
                }
                if i < end && deeper == 0 {
                    if let Some(Frame::Object {
                        read,
                        expecting_key,
                        ..
                    }) = frames.last_mut()
                    {
                        if *expecting_key {
                            *read = Some((start, i));
                            *expecting_key = false;
                        }
                    }
                }
            }
            b'{' | b'[' if deeper > 0 || frames.len() == MAX_DEPTH => deeper += 1,
            b'{' => frames.push(Frame::Object {
                key: None,
                read: None,
                expecting_key: true,
            }),
            b'[' => frames.push(Frame::Array { index: 0 }),
            b'}' | b']' if deeper > 0 => deeper -= 1,
            b'}' | b']' => {
                frames.pop();
            }
            _ if deeper > 0 => {}
            b':' => {
                if let Some(Frame::Object { key, read, .. }) = frames.last_mut() {
                    *key = read.take();
                }
            }
            b',' => match frames.last_mut() {
                Some(Frame::Object {
                    key, expecting_key, ..
                }) => {
                    *key = None;
                    *expecting_key = true;
                }
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &frames {
        match frame {
            Frame::Object {
                key: Some((start, end)),
                ..
            } => {
                if !path.is_empty() {
                    path.push('.');
                }
                push_key(&mut path, &body[*start..*end]);
            }
            Frame::Object { key: None, .. } => {}
            Frame::Array { index } => {
                let _ = write!(path, "[{index}]");
            }
        }
    }
    if deeper > 0 {
        path.push_str(if path.is_empty() { "…" } else { ".…" });
    }
    (!path.is_empty()).then_some(path)
}

/// A key's text with its escapes read (as written when they do not read), at most
/// [`MAX_KEY_CHARS`] characters of it, control characters escaped: a key is the server's text
/// and goes into an error message.
fn push_key(path: &mut String, raw: &[u8]) {
    // No more of the key is read than the characters kept need (an escape is at most 12 bytes:
    // a surrogate pair); a cut through an escape is moved back before it.
    let limit = raw.len().min(12 * (MAX_KEY_CHARS + 1));
    let shortest = if limit < raw.len() { limit - 11 } else { limit };
    let text = (shortest..=limit)
        .rev()
        .find_map(|cut| {
            let mut quoted = Vec::with_capacity(cut + 2);
            quoted.push(b'"');
            quoted.extend_from_slice(&raw[..cut]);
            quoted.push(b'"');
            serde_json::from_slice::<String>(&quoted).ok()
        })
        .unwrap_or_else(|| String::from_utf8_lossy(&raw[..limit]).into_owned());
    for c in text.chars().take(MAX_KEY_CHARS) {
        if c.is_control() {
            path.extend(c.escape_default());
        } else {
            path.push(c);
        }
    }
    if limit < raw.len() || text.chars().nth(MAX_KEY_CHARS).is_some() {
        path.push('…');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The path at the first occurrence of `marker` in `body`.
    fn path_before(body: &str, marker: &str) -> Option<String> {
        at(body.as_bytes(), body.find(marker).expect("marker in body"))
    }

    #[test]
    fn keys_and_indices_on_the_way_make_the_path() {
        let body = r#"{"result":{"grades":[{"id":1},{"id":"x"}]}}"#;
        assert_eq!(
            path_before(body, r#""x""#).as_deref(),
            Some("result.grades[1].id")
        );
        assert_eq!(
            path_before(body, r#"{"id":1"#).as_deref(),
            Some("result.grades[0]")
        );
        assert_eq!(path_before(body, "[").as_deref(), Some("result.grades"));
        assert_eq!(path_before(body, r#""result""#), None);
        assert_eq!(
            path_before(r#"[1,[2,"x"]]"#, r#""x""#).as_deref(),
            Some("[1][1]")
        );
    }

    #[test]
    fn closed_containers_and_finished_keys_leave_the_path() {
        let body = r#"{"a":{"b":[1,2],"c":{"d":0}},"e":"x"}"#;
        assert_eq!(path_before(body, r#""x""#).as_deref(), Some("e"));
        // Right after a value ends, the path is still that value's.
        let after_b = body.find("],").unwrap() + 1;
        assert_eq!(at(body.as_bytes(), after_b).as_deref(), Some("a.b"));
        // After the comma, no key yet: the object itself.
        assert_eq!(at(body.as_bytes(), after_b + 1).as_deref(), Some("a"));
    }

    #[test]
    fn strings_with_escapes_and_brackets_do_not_open_anything() {
        let body = r#"{"a\"b":"[{,\\","k\u00e9y":{"z":"x"}}"#;
        assert_eq!(path_before(body, r#""x""#).as_deref(), Some("kéy.z"));
        let body = r#"{"a\"b":{"c":"x"}}"#;
        assert_eq!(path_before(body, r#""x""#).as_deref(), Some(r#"a"b.c"#));
    }

    #[test]
    fn the_offset_counts_lines_and_columns_as_serde_json_does() {
        let body = b"{\n  \"a\": [\n    1,\n    \"x\"\n  ]\n}";
        let error = serde_json::from_slice::<std::collections::BTreeMap<String, Vec<i64>>>(body)
            .unwrap_err();
        assert_eq!(of_error(body, &error).as_deref(), Some("a[1]"), "{error}");
        let error = serde_json::from_slice::<i64>(b"\"x\"").unwrap_err();
        assert_eq!(of_error(b"\"x\"", &error), None, "{error}");
        let custom: serde_json::Error = serde::de::Error::custom("no position");
        assert_eq!(of_error(body, &custom), None);
    }

    #[test]
    fn a_refused_closing_bracket_or_comma_is_not_read() {
        for (body, path) in [
            (r#"{"result":{"n":}}"#, "result.n"),
            (r#"{"result":[1,]}"#, "result[1]"),
            (r#"[1,,2]"#, "[1]"),
        ] {
            let error = serde_json::from_str::<serde_json::Value>(body).unwrap_err();
            assert_eq!(
                of_error(body.as_bytes(), &error).as_deref(),
                Some(path),
                "{body}: {error}"
            );
        }
    }

    #[test]
    fn deep_nesting_and_long_or_odd_keys_are_cut_short() {
        let deep = format!(r#"{{"x":{}"#, "[".repeat(1 << 20));
        let path = at(deep.as_bytes(), deep.len()).unwrap();
        assert!(path.starts_with("x[0][0]"), "{path}");
        assert!(path.ends_with("[0].…"), "{path}");
        assert_eq!(path.matches('[').count(), MAX_DEPTH - 1);
        // Closed again below the cut, the path is back to what is kept.
        let closed = format!(r#"{{"x":[{}{},"y""#, "[".repeat(100), "]".repeat(100));
        assert_eq!(at(closed.as_bytes(), closed.len()).as_deref(), Some("x[1]"));
        let long = format!(r#"{{"{}":"v""#, "k".repeat(1000));
        let path = at(long.as_bytes(), long.len()).unwrap();
        assert_eq!(path.chars().count(), MAX_KEY_CHARS + 1, "{path}");
        assert!(path.ends_with("k…"));
        // Surrogate pairs: the cut through the key's text falls inside an escape.
        let pairs = format!(r#"{{"a{}":1"#, r"\ud83d\ude00".repeat(100_000));
        let path = at(pairs.as_bytes(), pairs.len()).unwrap();
        assert_eq!(path, format!("a{}…", "😀".repeat(MAX_KEY_CHARS - 1)));
        let escaped = format!(r#"{{"{}":1"#, r"\u00e9".repeat(100_000));
        let path = at(escaped.as_bytes(), escaped.len()).unwrap();
        assert_eq!(path, format!("{}…", "é".repeat(MAX_KEY_CHARS)));
        let odd = "{\"a\\u001b[31mb\\n\":1";
        assert_eq!(
            at(odd.as_bytes(), odd.len()).as_deref(),
            Some("a\\u{1b}[31mb\\n")
        );
    }

    /// A response shape with nested objects, lists of objects, lists of lists and optional
    /// fields: every key of the bodies below is one it reads, so no value is skipped.
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Page {
        grades: Vec<Grade>,
        total: Option<i64>,
        meta: Meta,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Grade {
        id: i64,
        name: String,
        tags: Vec<String>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Meta {
        ok: bool,
        pages: Vec<Vec<u8>>,
        #[serde(rename = "k\"ey")]
        key: Option<String>,
    }

    fn valid(grades: usize, tags: usize) -> serde_json::Value {
        let grade = |i: usize| {
            serde_json::json!({
                "id": i,
                "name": format!("g{i}"),
                "tags": (0..tags).map(|t| format!("t{t}")).collect::<Vec<_>>(),
            })
        };
        serde_json::json!({
            "grades": (0..grades).map(grade).collect::<Vec<_>>(),
            "total": 3,
            "meta": {"ok": true, "pages": [[1, 2], [3]], "k\"ey": "v"},
        })
    }

    /// Every place of `v` (as a list of keys and indices) holding a value.
    fn places(
        v: &serde_json::Value,
        at: Vec<serde_json::Value>,
        out: &mut Vec<Vec<serde_json::Value>>,
    ) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, child) in map {
                    let mut p = at.clone();
                    p.push(k.as_str().into());
                    places(child, p, out);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let mut p = at.clone();
                    p.push(i.into());
                    places(child, p, out);
                }
            }
            _ => {}
        }
        out.push(at);
    }

    fn at_place<'v>(
        v: &'v mut serde_json::Value,
        place: &[serde_json::Value],
    ) -> &'v mut serde_json::Value {
        place.iter().fold(v, |v, step| match step {
            serde_json::Value::String(k) => &mut v[k.as_str()],
            n => &mut v[n.as_u64().unwrap() as usize],
        })
    }

    proptest::proptest! {
        /// Whatever the body gets wrong (a value of another type, a key left out, text cut
        /// short), the path found from where serde_json stopped is the one a tracking read
        /// (`serde_path_to_error`) gives.
        #[test]
        fn the_path_is_the_one_a_tracking_read_finds(
            grades in 0usize..4,
            tags in 0usize..3,
            pick in proptest::prelude::any::<proptest::sample::Index>(),
            change in 0u8..6,
            pretty in proptest::prelude::any::<bool>(),
            cut in proptest::prelude::any::<proptest::sample::Index>(),
        ) {
            let mut body = valid(grades, tags);
            let mut all = Vec::new();
            places(&body, Vec::new(), &mut all);
            let place = pick.get(&all).clone();
            let wrong = [
                serde_json::json!("text"),
                serde_json::json!(-1),
                serde_json::json!(1.5),
                serde_json::json!({"a": [1]}),
                serde_json::json!([{"b": 2}]),
            ];
            let mut cut_short = false;
            match (change, place.split_last()) {
                (5, Some((serde_json::Value::String(key), parent))) => {
                    at_place(&mut body, parent).as_object_mut().unwrap().remove(key);
                }
                (5, _) => cut_short = true,
                (n, _) => *at_place(&mut body, &place) = wrong[usize::from(n)].clone(),
            }
            let mut text = if pretty {
                serde_json::to_vec_pretty(&body).unwrap()
            } else {
                serde_json::to_vec(&body).unwrap()
            };
            if cut_short {
                text.truncate(cut.index(text.len()));
            }
            let Err(error) = serde_json::from_slice::<Page>(&text) else {
                return Ok(());
            };
            let tracked = serde_path_to_error::deserialize::<_, Page>(
                &mut serde_json::Deserializer::from_slice(&text),
            )
            .expect_err("the same body fails a tracking read");
            let ours = of_error(&text, &error).unwrap_or_else(|| ".".to_owned());
            let theirs = tracked.path().to_string();
            if cut_short {
                // Text cut short is a syntax error, not a value that does not fit: the path may
                // go one key or element further than the tracking read's (the value read last,
                // or `?` where it names a key it has not read), never elsewhere.
                let theirs = theirs.trim_end_matches('?').trim_end_matches('.');
                proptest::prop_assert!(
                    theirs.is_empty() || ours == theirs || ours.starts_with(&format!("{theirs}.")) || ours.starts_with(&format!("{theirs}[")),
                    "{} vs {} ({}) in {}",
                    ours,
                    theirs,
                    error,
                    String::from_utf8_lossy(&text)
                );
            } else {
                proptest::prop_assert_eq!(
                    ours,
                    theirs,
                    "{} in {}",
                    error,
                    String::from_utf8_lossy(&text)
                );
            }
        }
    }
}
