//! Reading spec files from disk (or memory) into the plain model, with positions.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::locate::{DocPath, Locator, Pos, Seg};
use crate::model::SpecFile;
use crate::typeexpr::BAD_TYPE;

/// A spec file's text and where it came from.
#[derive(Debug, Clone)]
pub struct Source {
    /// The name shown in diagnostics and in generated headers, for example
    /// `spec/dingtalk/edu_period_create.yaml`.
    pub display: String,
    /// The vendor: the folder the file is in.
    pub vendor: String,
    /// The module: the file name without `.yaml`.
    pub module: String,
    /// The file's text.
    pub text: String,
}

/// A spec file that deserialized into the model.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Where it came from.
    pub source: Source,
    /// Positions of its keys and values.
    pub locator: Locator,
    /// Its content; for a file with structural problems, what is left once the entries they
    /// are in are taken out.
    pub spec: SpecFile,
    /// The entries taken out because of structural problems (already reported): the semantic
    /// checks say nothing about them or about what refers to them, so no problem is reported
    /// twice or as a consequence of another.
    pub dropped: Vec<DocPath>,
}

impl Loaded {
    /// Whether `path` was taken out with a structural problem, itself or inside an entry that
    /// was.
    pub fn dropped(&self, path: &DocPath) -> bool {
        self.dropped.iter().any(|d| path.0.starts_with(&d.0))
    }

    /// The keys taken out with a structural problem directly below `path` (a misspelt key of
    /// the mapping at `path`, for example).
    pub fn dropped_keys<'a>(&'a self, path: &'a DocPath) -> impl Iterator<Item = &'a str> + 'a {
        self.dropped
            .iter()
            .filter_map(move |d| match d.0.split_last() {
                Some((Seg::Key(k), parent)) if parent == path.0.as_slice() => Some(k.as_str()),
                _ => None,
            })
    }
}

/// Largest spec file read, in bytes: far beyond any real endpoint, small enough that a stray
/// file cannot exhaust memory.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Deepest nesting of collections a spec file may have. A spec's own structure is six levels
/// deep and examples add a few; the bound keeps both YAML readers well within their limits.
pub const MAX_NESTING: usize = 100;

/// Lists the spec files under `dir` (`<dir>/<vendor>/<module>.yaml`), sorted, reading each.
/// Files of other kinds (a README) are passed over; misplaced YAML files are reported.
pub fn read_dir(dir: &Path, diags: &mut Diagnostics) -> Vec<Source> {
    read_dir_as(dir, &dir_label(dir), diags)
}

/// How [`read_dir`] names a spec folder in the paths it displays: its last component
/// (`spec/dingtalk/x.yaml`), as a user sees it from beside the folder.
fn dir_label(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| dir.display().to_string())
}

/// [`read_dir`], displaying the files as under `label` (`../types/spec/dingtalk/common.yaml`,
/// where two folders would both show as `spec`).
pub fn read_dir_as(dir: &Path, label: &str, diags: &mut Diagnostics) -> Vec<Source> {
    let mut out = Vec::new();
    let entries = match sorted_entries(dir) {
        Ok(e) => e,
        Err(e) => {
            diags.push(
                Diagnostic::new(
                    label,
                    "",
                    Pos::START,
                    Code::Io,
                    format!("cannot read the spec folder: {e}"),
                )
                .hint("pass the folder that holds one sub-folder per vendor"),
            );
            return out;
        }
    };
    for vendor_dir in entries {
        let vendor_name = file_name(&vendor_dir);
        if vendor_dir.is_file() {
            if is_yaml(&vendor_dir) {
                diags.push(
                    Diagnostic::new(
                        &format!("{label}/{vendor_name}"),
                        "",
                        Pos::START,
                        Code::Layout,
                        "a spec file must be inside a vendor folder",
                    )
                    .hint(format!("move it to {label}/<vendor>/{vendor_name}, for example {label}/dingtalk/{vendor_name}")),
                );
            }
            continue;
        }
        let files = match sorted_entries(&vendor_dir) {
            Ok(f) => f,
            Err(e) => {
                diags.push(Diagnostic::new(
                    &format!("{label}/{vendor_name}"),
                    "",
                    Pos::START,
                    Code::Io,
                    format!("cannot read the folder: {e}"),
                ));
                continue;
            }
        };
        for file in files.into_iter().filter(|f| f.is_file() && is_yaml(f)) {
            let display = format!("{label}/{vendor_name}/{}", file_name(&file));
            let module = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            match read_text(&file) {
                Ok(text) => out.push(Source {
                    display,
                    vendor: vendor_name.clone(),
                    module,
                    text,
                }),
                Err(message) => {
                    diags.push(Diagnostic::new(&display, "", Pos::START, Code::Io, message))
                }
            }
        }
    }
    out
}

fn read_text(file: &Path) -> Result<String, String> {
    let len = fs::metadata(file)
        .map_err(|e| format!("cannot read the file: {e}"))?
        .len();
    if len > MAX_FILE_BYTES {
        return Err(format!(
            "the file is {len} bytes, more than the {MAX_FILE_BYTES} a spec file may have"
        ));
    }
    let bytes = fs::read(file).map_err(|e| format!("cannot read the file: {e}"))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "the file is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

fn sorted_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut v = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()?;
    v.retain(|p| !file_name(p).starts_with('.'));
    v.sort();
    Ok(v)
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn is_yaml(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("yaml") | Some("yml")
    )
}

/// Deserializes one file into the model. A file serde cannot read is reported with every
/// structural problem serde finds; what is left without the entries holding them goes on to
/// the semantic checks, so one run reports both kinds. A file that cannot be read at all (empty,
/// too deep, not YAML) is reported and kept as an empty spec taken out whole: the checks know
/// it is there, and say nothing about what other files expect from it.
pub fn parse(source: Source, diags: &mut Diagnostics) -> Loaded {
    if source.text.trim().is_empty() {
        diags.push(
            Diagnostic::new(
                &source.display,
                &source.text,
                Pos::START,
                Code::EmptyFile,
                "the spec file is empty",
            )
            .hint(
                "an endpoint spec starts with `api:`, `title:` and `protocol:`; see spec/README.md",
            ),
        );
        return Loaded::unreadable(source, Locator::default());
    }
    // Indexing positions also measures the nesting, so a document too deep for the readers is
    // refused before either reads it whole.
    let locator = match Locator::bounded(&source.text, MAX_NESTING) {
        Ok(l) => l,
        Err(pos) => {
            diags.push(
                Diagnostic::new(
                    &source.display,
                    &source.text,
                    pos,
                    Code::TooDeep,
                    format!("lists and mappings are nested more than {MAX_NESTING} levels deep"),
                )
                .hint("a spec needs a few levels; shorten the example or the structure here"),
            );
            return Loaded::unreadable(source, Locator::default());
        }
    };
    match serde_yaml::from_str::<SpecFile>(&source.text) {
        Ok(spec) => Loaded {
            source,
            locator,
            spec,
            dropped: Vec::new(),
        },
        Err(first) => match structural_problems(&source, &first, &locator, diags) {
            Some((spec, dropped)) => Loaded {
                source,
                locator,
                spec,
                dropped,
            },
            None => Loaded::unreadable(source, locator),
        },
    }
}

impl Loaded {
    /// A file whose problems leave nothing to check: an empty spec, taken out whole.
    fn unreadable(source: Source, locator: Locator) -> Loaded {
        Loaded {
            source,
            locator,
            spec: SpecFile::default(),
            dropped: vec![DocPath::root()],
        }
    }
}

/// Most problems serde reports to report in one run before giving up on a file.
const MAX_STRUCTURAL_PROBLEMS: usize = 64;

/// Reports `first`, then keeps looking: the offending entry is removed from a copy of the
/// document and the copy read again, until it reads cleanly. Each later error's path is mapped
/// back to its place in the original text. Returns the copy that reads cleanly and the paths
/// removed from it, when there is one.
fn structural_problems(
    source: &Source,
    first: &serde_yaml::Error,
    locator: &Locator,
    diags: &mut Diagnostics,
) -> Option<(SpecFile, Vec<DocPath>)> {
    let raw = first.to_string();
    let mut pos = first
        .location()
        .map(|l| Pos {
            line: l.line(),
            col: l.column(),
        })
        .unwrap_or(Pos::START);
    if let Some(second) = duplicate_key_position(&raw, locator) {
        pos = second;
    }
    // A type expression is read inside its field, whose path serde reports: point at the value.
    let raw = match split_path(&raw) {
        Some((path, message)) if message.contains(BAD_TYPE) => {
            let at = parse_path(path).key("type");
            pos = locator.value(&at);
            format!("{}: {message}", at.display())
        }
        _ => raw,
    };
    diags.push(diagnostic(source, pos, &raw));
    // Only a document that parses as YAML can be repaired and read again.
    let mut value = serde_yaml::from_str::<serde_yaml::Value>(&source.text).ok()?;
    let mut removed: Vec<(Vec<Seg>, usize)> = Vec::new();
    let mut dropped: Vec<DocPath> = Vec::new();
    let mut error = raw;
    for _ in 0..MAX_STRUCTURAL_PROBLEMS {
        let (path, message) = split_path(&error)?;
        let current = parse_path(path);
        let target = match unknown_key(message) {
            Some(key) => current.key(key),
            None => current,
        };
        // The original path is taken before the removal, which may shift the indexes after it.
        let at = original(&target, &removed);
        if !remove(&mut value, &target.0, &mut removed) {
            return None;
        }
        dropped.push(at);
        let text = serde_yaml::to_string(&value).ok()?;
        match serde_yaml::from_str::<SpecFile>(&text) {
            Ok(spec) => return Some((spec, dropped)),
            Err(e) => {
                error = e.to_string();
                let (path, message) = split_path(&error)?;
                let at = original(&parse_path(path), &removed);
                if message.starts_with("missing field `") {
                    // A required key that is missing because an earlier repair removed it, or
                    // beside a key taken out as unknown (most often the same key misspelt):
                    // the problem is reported already.
                    let beside =
                        |d: &DocPath| d.0.len() == at.0.len() + 1 && d.0.starts_with(&at.0);
                    if dropped.iter().any(beside) {
                        continue;
                    }
                }
                let (at, pos) = match unknown_key(message) {
                    _ if message.contains(BAD_TYPE) => {
                        let at = at.key("type");
                        let pos = locator.value(&at);
                        (at, pos)
                    }
                    Some(key) => (at.clone(), locator.key(&at.key(key))),
                    None if message.starts_with("missing field") => (at.clone(), locator.key(&at)),
                    None => (at.clone(), locator.value(&at)),
                };
                // Name the place as the user wrote it, not as it stands in the repaired copy.
                let shown = format!("{}: {message}", at.display());
                diags.push(diagnostic(source, pos, &shown));
            }
        }
    }
    None
}

fn diagnostic(source: &Source, pos: Pos, raw: &str) -> Diagnostic {
    let (rule, message, mut hint) = explain_serde_error(raw);
    let d = Diagnostic::new(&source.display, &source.text, pos, rule, message);
    // `{code: 1, meaning: 成功, 无错误}`: the comma ends the value inside braces, and the rest
    // reads as a key of its own.
    // The format's own keys are ASCII words, so another "key" there is such a rest.
    let in_braces = d.source_line.as_deref().is_some_and(|l| l.contains('{'));
    let not_a_key = unknown_key(&d.message).is_some_and(|k| !crate::naming::is_ascii_ident(k));
    if rule == Code::UnknownKey && in_braces && not_a_key {
        hint = Some(
            "inside `{...}` a comma ends a value, and what follows reads as a key; quote the \
             value that holds the comma, for example `meaning: \"成功, 无错误\"`"
                .to_owned(),
        );
    }
    match hint {
        Some(h) => d.hint(h),
        None => d,
    }
}

/// serde_yaml's `path: message`, without the trailing position.
/// An error about the document's own keys has no path (serde_yaml writes none for the root):
/// its path is then empty.
fn split_path(raw: &str) -> Option<(&str, &str)> {
    let raw = raw.split(" at line ").next().unwrap_or(raw);
    if let Some((path, rest)) = raw.split_once(": ") {
        let is_path = !path.is_empty()
            && path
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '-'));
        if is_path {
            return Some((path, rest));
        }
    }
    const AT_ROOT: &[&str] = &[
        "unknown field",
        "missing field",
        "invalid type",
        "invalid value",
        "unknown variant",
    ];
    AT_ROOT
        .iter()
        .any(|m| raw.starts_with(m))
        .then_some(("", raw))
}

fn unknown_key(message: &str) -> Option<&str> {
    message.strip_prefix("unknown field `")?.split('`').next()
}

/// `request.fields.name` or `errors[27]` as a document path.
fn parse_path(path: &str) -> DocPath {
    let mut doc = DocPath::root();
    for part in path.split('.') {
        let mut pieces = part.split('[');
        if let Some(name) = pieces.next().filter(|n| !n.is_empty()) {
            doc = doc.key(name);
        }
        for index in pieces {
            if let Ok(i) = index.trim_end_matches(']').parse::<usize>() {
                doc = doc.index(i);
            }
        }
    }
    doc
}

/// Maps a path in the repaired copy back to the original document, undoing the index shifts
/// that removing sequence items caused.
fn original(path: &DocPath, removed: &[(Vec<Seg>, usize)]) -> DocPath {
    let mut out: Vec<Seg> = Vec::new();
    for seg in &path.0 {
        match seg {
            Seg::Index(i) => {
                let mut gone: Vec<usize> = removed
                    .iter()
                    .filter(|(p, _)| *p == out)
                    .map(|(_, r)| *r)
                    .collect();
                gone.sort_unstable();
                let mut index = *i;
                for r in gone {
                    if r <= index {
                        index += 1;
                    }
                }
                out.push(Seg::Index(index));
            }
            other => out.push(other.clone()),
        }
    }
    DocPath(out)
}

/// Removes the entry at `path` (in the repaired copy's terms); records removed sequence items
/// by their original position.
fn remove(
    value: &mut serde_yaml::Value,
    path: &[Seg],
    removed: &mut Vec<(Vec<Seg>, usize)>,
) -> bool {
    let Some((last, parent_path)) = path.split_last() else {
        return false;
    };
    let mut node = &mut *value;
    for seg in parent_path {
        node = match (seg, node) {
            (Seg::Key(k), serde_yaml::Value::Mapping(m)) => match m.get_mut(k.as_str()) {
                Some(v) => v,
                None => return false,
            },
            (Seg::Index(i), serde_yaml::Value::Sequence(s)) => match s.get_mut(*i) {
                Some(v) => v,
                None => return false,
            },
            _ => return false,
        };
    }
    match (last, node) {
        (Seg::Key(k), serde_yaml::Value::Mapping(m)) => m.remove(k.as_str()).is_some(),
        (Seg::Index(i), serde_yaml::Value::Sequence(s)) if *i < s.len() => {
            s.remove(*i);
            let parent = original(&DocPath(parent_path.to_vec()), removed);
            let at = original(&DocPath([parent_path, &[Seg::Index(*i)]].concat()), removed);
            if let Some(Seg::Index(orig)) = at.0.last() {
                removed.push((parent.0, *orig));
            }
            true
        }
        _ => false,
    }
}

/// serde reports a key written twice where its mapping starts; the locator knows where the
/// second one stands (it keeps the last position of each path).
fn duplicate_key_position(raw: &str, locator: &Locator) -> Option<Pos> {
    let (path, rest) = raw.split_once(": `")?;
    let key = rest
        .strip_suffix("` is defined twice")
        .or_else(|| rest.split_once("` is defined twice").map(|(k, _)| k))?;
    let mut doc = DocPath::root();
    for part in path.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((n, i)) => (n, i.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        doc = doc.key(name);
        if let Some(i) = index {
            doc = doc.index(i);
        }
    }
    Some(locator.key(&doc.key(key)))
}

/// Turns serde_yaml's message into a rule name, a message without the duplicated position, and
/// a hint.
fn explain_serde_error(raw: &str) -> (Code, String, Option<String>) {
    // serde_yaml puts the path first (`errors[27]: unknown field ...`) and the position last;
    // the diagnostic shows the position itself, and the path goes at the end.
    let (message, place) = match split_path(raw) {
        Some(("", rest)) => (rest.to_owned(), String::new()),
        Some((path, rest)) => (rest.to_owned(), format!(" (in `{path}`)")),
        None => (
            raw.split(" at line ").next().unwrap_or(raw).to_owned(),
            String::new(),
        ),
    };
    if let Some(at) = message.find(BAD_TYPE) {
        let what = message[at + BAD_TYPE.len()..].to_owned();
        return (
            Code::BadType,
            format!("{what}{place}"),
            Some(
                "types are string, bool, int32, int64, number, file, list<T>, a type's name, \
                 or `file.Type` for a type of a shared file"
                    .into(),
            ),
        );
    }
    if message.starts_with("unknown field") {
        let hint = message
            .find(", expected ")
            .map(|i| format!("allowed keys here: {}", &message[i + ", expected ".len()..]));
        let short = message
            .split(", expected")
            .next()
            .unwrap_or(&message)
            .to_owned();
        (Code::UnknownKey, format!("{short}{place}"), hint)
    } else if message.starts_with("unknown variant") {
        let hint = message
            .find(", expected ")
            .map(|i| format!("allowed values: {}", &message[i + ", expected ".len()..]));
        let short = message
            .split(", expected")
            .next()
            .unwrap_or(&message)
            .to_owned();
        (Code::UnknownValue, format!("{short}{place}"), hint)
    } else if message.starts_with("missing field") {
        (
            Code::MissingKey,
            format!("{message}{place}"),
            Some("add the key; see spec/README.md for what each section needs".into()),
        )
    } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
        (Code::WrongType, format!("{message}{place}"), None)
    } else if message.contains("defined twice") || message.contains("duplicate") {
        (
            Code::DuplicateKey,
            format!("{message}{place}"),
            Some("each name may be defined once; remove or rename one".into()),
        )
    } else {
        (
            Code::YamlSyntax,
            format!("{message}{place}"),
            Some("check indentation and quoting near this position".into()),
        )
    }
}
