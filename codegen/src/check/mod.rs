//! Every semantic check of the specs, by subject, resolving the specs into the typed
//! [`resolved`](crate::resolved) model as it goes. Each problem becomes a diagnostic with its
//! file, line and column; the model is handed on only when there are none.
//!
//! The order: `layout` names every file and vendor, `symbols` tables the named types each
//! file can see, `enums` resolves enums and error codes, `endpoint` the routes, `fields`
//! every object's fields with their limits, `values` defaults and compared values, `rules`
//! the rules, groups and per-item results between fields, and `graph` finds types that
//! contain themselves.

mod endpoint;
mod enums;
mod fields;
mod graph;
mod layout;
mod paging;
mod rules;
mod symbols;
mod values;

use std::collections::{BTreeMap, HashMap};

use regex::Regex;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::load::Loaded;
use crate::locate::{DocPath, Pos};
use crate::naming::NameError;
use crate::resolved::{Model, Module, Object, Vendor};

/// One problem, before it is placed in a file.
pub(crate) struct Problem {
    code: Code,
    message: String,
    hint: Option<String>,
}

impl Problem {
    /// A problem breaking rule `code`.
    pub(crate) fn new(code: Code, message: impl Into<String>) -> Self {
        Problem {
            code,
            message: message.into(),
            hint: None,
        }
    }

    /// With a hint on how to fix it.
    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// The files being checked and the problems found so far.
pub(crate) struct Ctx<'a> {
    pub(crate) files: &'a [Loaded],
    diags: Diagnostics,
    /// Each distinct `pattern` limit, compiled once.
    patterns: HashMap<String, Result<Regex, regex::Error>>,
}

impl<'a> Ctx<'a> {
    /// `pattern` compiled to match a whole text, once per distinct pattern in a run: specs
    /// repeat the same few patterns over many fields, and compiling one costs more than the
    /// rest of checking its field.
    pub(crate) fn pattern(&mut self, pattern: &str) -> Result<&Regex, &regex::Error> {
        if !self.patterns.contains_key(pattern) {
            let compiled = Regex::new(&format!("^(?:{pattern})$"));
            self.patterns.insert(pattern.to_owned(), compiled);
        }
        self.patterns[pattern].as_ref()
    }

    fn push(&mut self, file: usize, pos: Pos, p: Problem) {
        let f = &self.files[file];
        let mut d = Diagnostic::new(&f.source.display, &f.source.text, pos, p.code, p.message);
        if let Some(h) = p.hint {
            d = d.hint(h);
        }
        self.diags.push(d);
    }

    /// A problem with the file as a whole, shown at its start.
    pub(crate) fn at_start(&mut self, file: usize, p: Problem) {
        self.push(file, Pos::START, p);
    }

    /// A problem with the key at `path`.
    pub(crate) fn at_key(&mut self, file: usize, path: &DocPath, p: Problem) {
        let pos = self.files[file].locator.key(path);
        self.push(file, pos, p);
    }

    /// A problem with the value at `path`.
    pub(crate) fn at_value(&mut self, file: usize, path: &DocPath, p: Problem) {
        let pos = self.files[file].locator.value(path);
        self.push(file, pos, p);
    }

    /// Where the key at `path` of `file` stands, for the resolved model.
    pub(crate) fn loc(&self, file: usize, path: &DocPath) -> crate::resolved::Loc {
        let f = &self.files[file];
        let p = f.locator.key(path);
        crate::resolved::Loc {
            file: f.source.display.clone(),
            line: p.line,
            col: p.col,
        }
    }

    /// `file:line:col` of the key at `path`, for messages that point at a second place.
    pub(crate) fn place(&self, file: usize, path: &DocPath) -> String {
        self.loc(file, path).to_string()
    }

    /// Whether `path` of `file` was taken out with a structural problem already reported.
    pub(crate) fn dropped(&self, file: usize, path: &DocPath) -> bool {
        self.files[file].dropped(path)
    }

    /// Whether a key of the mapping at `path` was taken out with a structural problem already
    /// reported: what the mapping then lacks is most likely that key, misspelt.
    pub(crate) fn lost_a_key(&self, file: usize, path: &DocPath) -> bool {
        self.files[file].dropped_keys(path).next().is_some()
    }

    /// Whether key `key` of the mapping at `path` is missing because a misspelling of it was
    /// taken out with a structural problem already reported (`titel` for `title`).
    pub(crate) fn misspelt(&self, file: usize, path: &DocPath, key: &str) -> bool {
        self.files[file]
            .dropped_keys(path)
            .any(|k| strsim::damerau_levenshtein(k, key) <= 2)
    }
}

/// What to say about a name that cannot become a Rust name.
pub(crate) fn name_hint(err: &NameError, what: &str, example: &str) -> String {
    match err {
        NameError::NotAscii => {
            format!("Rust names are ASCII; give the {what} one explicitly, for example `{example}`")
        }
        NameError::Empty => {
            format!("nothing usable is left of it; give the {what} a name, for example `{example}`")
        }
        NameError::NotSnakeCase => format!(
            "Rust field names are snake_case (lowercase words joined by single `_`); give the \
             {what} one, for example `{example}`"
        ),
        NameError::NotAWord => format!(
            "only a value that starts with a letter names its own variant; give the {what} a \
             `name`, for example `{example}`"
        ),
        NameError::LeadingUnderscore => format!(
            "a leading `_` marks a Rust name as unused, which a field and its setter are not; \
             give the {what} a name that starts with a letter, for example `{example}`"
        ),
    }
}

/// A YAML value as messages show it.
pub(crate) fn show_value(v: &serde_yaml::Value) -> String {
    match v {
        serde_yaml::Value::String(s) => format!("\"{s}\""),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::Bool(b) => b.to_string(),
        serde_yaml::Value::Null => "null".into(),
        serde_yaml::Value::Sequence(_) => "a list".into(),
        serde_yaml::Value::Mapping(_) => "a mapping".into(),
        serde_yaml::Value::Tagged(_) => "a tagged value".into(),
    }
}

/// Checks every loaded file. Returns the resolved model when no problem was found, and every
/// problem found.
pub fn check(files: &[Loaded]) -> (Option<Model>, Diagnostics) {
    let mut cx = Ctx {
        files,
        diags: Diagnostics::default(),
        patterns: HashMap::new(),
    };
    let names = layout::check(&mut cx);
    let symbols = symbols::build(&mut cx, &names);
    let enums = enums::check(&mut cx, &names, &symbols);
    let mut endpoints = endpoint::check(&mut cx, &names);
    let mut objects = fields::check(&mut cx, &names, &symbols, &enums);
    rules::check(&mut cx, &enums, &mut objects);
    graph::check(&mut cx, &objects);
    paging::check(&mut cx, &objects, &mut endpoints);
    let Ctx { diags, .. } = cx;
    if !diags.is_empty() {
        return (None, diags);
    }
    let mut model = Model::default();
    let mut objects: BTreeMap<usize, Vec<Object>> = objects.into_files();
    let mut enums = enums.into_files();
    for (i, f) in files.iter().enumerate() {
        let n = &names.files[i];
        let vendor = model
            .vendors
            .entry(n.vendor.clone())
            .or_insert_with(|| Vendor {
                name: n.vendor.clone(),
                family: None,
                modules: BTreeMap::new(),
            });
        if let Some(p) = f.spec.protocol {
            vendor.family = Some(crate::ir::ClientFamily::of(p));
        }
        let (values, errors) = enums.remove(&i).unwrap_or_default();
        vendor.modules.insert(
            n.module.clone(),
            Module {
                name: n.module.clone(),
                source: f.source.display.clone(),
                about: crate::resolved::About {
                    title: f.spec.title.clone(),
                    description: f.spec.description.clone(),
                    docs: f.spec.docs.clone(),
                    notes: f.spec.notes.clone(),
                },
                endpoint: endpoints.get(&i).cloned(),
                objects: objects.remove(&i).unwrap_or_default(),
                enums: values,
                errors,
            },
        );
    }
    (Some(model), diags)
}
