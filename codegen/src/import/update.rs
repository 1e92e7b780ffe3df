//! `--update`: merges a fresh import of a page into the spec written from it before, keeping
//! the spec's hand edits and listing what the page changed.
//!
//! The page decides which fields exist, their types, required flags, the limits it states,
//! examples and error codes. The spec keeps its Rust names, type names, enum variant names,
//! rules, groups, per-item result markers, descriptions, error names and kinds, `docs`,
//! `name`, `notes`, its own header comment, and every limit or key the page does not state.
//! `# review:` comments are written only for what the page adds or changes: what the spec
//! already had was reviewed when it was written.

use serde_json::Value;
use serde_yaml::{Mapping, Value as Yaml};

use super::draft::{Endpoint, Field, Object, Ty, TypeBody};
use super::write::{self, json_flow};

/// The merged spec and what the page changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Updated {
    /// The spec text.
    pub text: String,
    /// What the page changed, one line each, in spec order.
    pub changes: Vec<String>,
}

/// Why an existing spec cannot be updated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpdateError {
    /// The spec is not YAML of the expected shape.
    #[error("the existing spec does not read: {0}")]
    Unreadable(String),
    /// The spec documents another endpoint.
    #[error("the existing spec documents `{old}`, the page `{new}`")]
    OtherApi {
        /// The spec's API name.
        old: String,
        /// The page's.
        new: String,
    },
}

/// Merges `fresh` (an import of the page) into the spec text `old`.
pub fn update(fresh: &Endpoint, old: &str) -> Result<Updated, UpdateError> {
    let doc: Yaml =
        serde_yaml::from_str(old).map_err(|e| UpdateError::Unreadable(e.to_string()))?;
    let Some(root) = doc.as_mapping() else {
        return Err(UpdateError::Unreadable("not a mapping".to_owned()));
    };
    let old_api = text(root, "api").unwrap_or_default();
    if old_api != fresh.api {
        return Err(UpdateError::OtherApi {
            old: old_api,
            new: fresh.api.clone(),
        });
    }
    let mut e = fresh.clone();
    let mut changes = Vec::new();
    let header: Vec<String> = old
        .lines()
        .take_while(|l| l.starts_with('#'))
        .map(str::to_owned)
        .collect();
    if header.first().is_some_and(|l| l != write::HEADER) {
        e.header = header;
        e.page_notes.clear();
    }
    e.reviews.clear();
    e.docs = text(root, "docs");
    e.name = text(root, "name");
    e.notes = text(root, "notes");
    if let Some(d) = text(root, "description") {
        e.description = Some(d);
    }
    if let Some(t) = text(root, "title") {
        if t != e.title {
            changes.push(format!(
                "title: the page says `{}`; the spec's `{t}` is kept",
                e.title
            ));
            e.title = t;
        }
    }
    let old_types = root
        .get("types")
        .and_then(Yaml::as_mapping)
        .cloned()
        .unwrap_or_default();
    let mut m = Merge {
        e: &mut e,
        old_types: &old_types,
        changes: &mut changes,
        done: Vec::new(),
    };
    let (mut request, mut response) = (m.e.request.clone(), m.e.response.clone());
    m.object(&mut request, root.get("request"), "request");
    m.object(&mut response, root.get("response"), "response");
    m.e.request = request;
    m.e.response = response;
    errors(m.e, root.get("errors"), m.changes);
    super::order_types(&mut e);
    Ok(Updated {
        text: write::spec_text(&e),
        changes,
    })
}

fn text(m: &Mapping, key: &str) -> Option<String> {
    m.get(key).and_then(Yaml::as_str).map(str::to_owned)
}

fn to_json(y: &Yaml) -> Value {
    serde_json::to_value(y).unwrap_or(Value::Null)
}

struct Merge<'a> {
    e: &'a mut Endpoint,
    old_types: &'a Mapping,
    changes: &'a mut Vec<String>,
    /// Types already merged (a type used twice is merged once).
    done: Vec<String>,
}

/// Limit keys of the format, for keeping those the page does not state.
const LIMIT_KEYS: &[&str] = &[
    "min_items",
    "max_items",
    "recommended_max_items",
    "min_length",
    "max_length",
    "length",
    "truncated_beyond",
    "min",
    "max",
    "pattern",
    "max_bytes",
    "extensions",
    "media_types",
];

impl Merge<'_> {
    fn object(&mut self, fresh: &mut Object, old: Option<&Yaml>, at: &str) {
        let Some(old) = old.and_then(Yaml::as_mapping) else {
            return;
        };
        if let Some(d) = text(old, "description") {
            fresh.description = Some(d);
        }
        let old_fields = old
            .get("fields")
            .and_then(Yaml::as_mapping)
            .cloned()
            .unwrap_or_default();
        for f in &mut fresh.fields {
            let path = format!("{at}.{}", f.wire);
            match old_fields.get(f.wire.as_str()).and_then(Yaml::as_mapping) {
                Some(of) => self.field(f, of, &path),
                None => self
                    .changes
                    .push(format!("{path}: added ({})", f.ty.expr())),
            }
        }
        for (k, _) in &old_fields {
            if let Some(k) = k.as_str() {
                if fresh.field(k).is_none() {
                    self.changes
                        .push(format!("{at}.{k}: removed (the page no longer lists it)"));
                }
            }
        }
        if let Some(ir) = old.get("item_result").and_then(Yaml::as_mapping) {
            if let (Some(c), Some(m)) = (text(ir, "code"), text(ir, "message")) {
                fresh.item_result = Some((c, m));
            }
        }
        if old.contains_key("groups") {
            // The spec's groups replace what the page's words suggest.
            fresh.groups.clear();
        }
        for key in ["rules", "groups"] {
            if let Some(v) = old.get(key) {
                let body = serde_yaml::to_string(v).unwrap_or_default();
                fresh.kept.push(format!("{key}:"));
                for line in body.lines() {
                    fresh.kept.push(format!("  {line}"));
                }
            }
        }
    }

    fn field(&mut self, f: &mut Field, old: &Mapping, path: &str) {
        let before = self.changes.len();
        self.field_keys(f, old, path);
        if self.changes.len() == before {
            f.reviews.clear();
        }
    }

    fn field_keys(&mut self, f: &mut Field, old: &Mapping, path: &str) {
        if let Some(r) = text(old, "rust_name") {
            f.rust_name = Some(r);
        }
        if let Some(d) = text(old, "description") {
            f.description = Some(d);
        }
        let old_required = old.get("required").and_then(Yaml::as_bool).unwrap_or(false);
        if !f.required_stated {
            // The page has no required cell here (a response table): the spec's word stands.
            f.required = old_required;
        } else if old_required != f.required {
            self.changes.push(format!(
                "{path}: now {}",
                if f.required { "required" } else { "optional" }
            ));
        }
        // Limits: the page's win; the spec's others are kept.
        let stated: Vec<&str> = f.limits.entries().iter().map(|(k, _)| *k).collect();
        for (k, v) in f.limits.entries() {
            match old.get(k) {
                Some(o) if to_json(o) != v => self
                    .changes
                    .push(format!("{path}: {k} {} → {v}", to_json(o))),
                None => self.changes.push(format!("{path}: {k} {v} added")),
                _ => {}
            }
        }
        for k in LIMIT_KEYS {
            if let Some(v) = old.get(*k).filter(|_| !stated.contains(k)) {
                f.kept.push(format!("{k}: {}", json_flow(&to_json(v))));
            }
        }
        if f.encoding.is_none() {
            f.encoding = match text(old, "encoding").as_deref() {
                Some("json") => Some("json"),
                Some("comma") => Some("comma"),
                Some("plain") => Some("plain"),
                _ => None,
            };
        }
        match (&f.default, old.get("default")) {
            (None, Some(d)) => f.default = Some(to_json(d)),
            (Some(new), Some(d)) if *new != to_json(d) => self
                .changes
                .push(format!("{path}: default {} → {new}", to_json(d))),
            _ => {}
        }
        // Types: the spec's names for the page's shapes.
        let Some(old_ty) = text(old, "type") else {
            return;
        };
        let fresh_expr = f.ty.expr();
        if old_ty == fresh_expr {
            if let Ty::Named(n) = f.ty.leaf().clone() {
                self.named(&n, &n);
            }
            return;
        }
        let old_leaf = leaf_name(&old_ty);
        match (f.ty.leaf().clone(), old_leaf) {
            (Ty::Named(fresh_name), Some(old_name)) if same_shape(&f.ty, &old_ty) => {
                self.rename(&fresh_name, &old_name);
                *f.ty.leaf_mut() = Ty::Named(old_name.clone());
                self.named(&old_name, &old_name);
            }
            (Ty::Prim(_), Some(old_name))
                if same_shape(&f.ty, &old_ty) && self.old_enum(&old_name) =>
            {
                // A field the spec made an enum of: kept.
                self.copy_old_type(&old_name);
                *f.ty.leaf_mut() = Ty::Named(old_name);
            }
            _ => self
                .changes
                .push(format!("{path}: type {old_ty} → {fresh_expr}")),
        }
    }

    /// Merges the spec's type `old_name` into the fresh type now called `name`.
    fn named(&mut self, name: &str, old_name: &str) {
        if self.done.iter().any(|d| d == name) {
            return;
        }
        self.done.push(name.to_owned());
        let Some(old) = self
            .old_types
            .get(old_name)
            .and_then(Yaml::as_mapping)
            .cloned()
        else {
            return;
        };
        let Some(pos) = self.e.types.iter().position(|t| t.name == name) else {
            return;
        };
        if let Some(d) = text(&old, "description") {
            self.e.types[pos].description = Some(d);
        }
        self.e.types[pos].reviews.clear();
        match self.e.types[pos].body.clone() {
            TypeBody::Object(mut o) => {
                let as_object: Yaml = Yaml::Mapping(old.clone());
                self.object(&mut o, Some(&as_object), name);
                self.e.types[pos].body = TypeBody::Object(o);
            }
            TypeBody::Enum(mut values) => {
                let old_values = old
                    .get("enum")
                    .and_then(Yaml::as_sequence)
                    .cloned()
                    .unwrap_or_default();
                for v in &mut values {
                    let same = old_values
                        .iter()
                        .filter_map(Yaml::as_mapping)
                        .find(|ov| ov.get("value").map(to_json).as_ref() == Some(&v.value));
                    match same {
                        Some(ov) => {
                            if let Some(n) = text(ov, "name") {
                                v.name = Some(n);
                            }
                            if let Some(d) = text(ov, "description") {
                                v.description = Some(d);
                            }
                        }
                        None => self
                            .changes
                            .push(format!("{name}: value {} added", v.value)),
                    }
                }
                for ov in old_values.iter().filter_map(Yaml::as_mapping) {
                    let val = ov.get("value").map(to_json).unwrap_or(Value::Null);
                    if !values.iter().any(|v| v.value == val) {
                        self.changes.push(format!("{name}: value {val} removed"));
                    }
                }
                self.e.types[pos].body = TypeBody::Enum(values);
            }
        }
    }

    /// Renames the fresh type `from` to `to` everywhere.
    fn rename(&mut self, from: &str, to: &str) {
        if from == to || self.e.types.iter().any(|t| t.name == to) {
            return;
        }
        for t in &mut self.e.types {
            if t.name == from {
                t.name = to.to_owned();
            }
        }
        let fix = |o: &mut Object| {
            for f in &mut o.fields {
                if matches!(f.ty.leaf(), Ty::Named(n) if n == from) {
                    *f.ty.leaf_mut() = Ty::Named(to.to_owned());
                }
            }
        };
        fix(&mut self.e.request);
        fix(&mut self.e.response);
        for t in &mut self.e.types {
            if let TypeBody::Object(o) = &mut t.body {
                fix(o);
            }
        }
    }

    fn old_enum(&self, name: &str) -> bool {
        self.old_types
            .get(name)
            .and_then(Yaml::as_mapping)
            .is_some_and(|t| t.contains_key("enum"))
    }

    /// Copies an enum the spec defines and the page does not.
    fn copy_old_type(&mut self, name: &str) {
        if self.e.types.iter().any(|t| t.name == name) {
            return;
        }
        let Some(old) = self.old_types.get(name).and_then(Yaml::as_mapping) else {
            return;
        };
        let values = old
            .get("enum")
            .and_then(Yaml::as_sequence)
            .map(|vs| {
                vs.iter()
                    .filter_map(Yaml::as_mapping)
                    .map(|v| super::draft::Variant {
                        value: v.get("value").map(to_json).unwrap_or(Value::Null),
                        name: text(v, "name"),
                        description: text(v, "description"),
                    })
                    .collect()
            })
            .unwrap_or_default();
        self.e.types.push(super::draft::TypeDef {
            name: name.to_owned(),
            description: text(old, "description"),
            body: TypeBody::Enum(values),
            reviews: Vec::new(),
        });
        self.done.push(name.to_owned());
    }
}

/// The named type at the heart of a type expression (`list<Foo>` gives `Foo`).
fn leaf_name(expr: &str) -> Option<String> {
    let mut s = expr.trim();
    while let Some(inner) = s.strip_prefix("list<").and_then(|r| r.strip_suffix('>')) {
        s = inner.trim();
    }
    (!matches!(s, "string" | "bool" | "int32" | "int64" | "number" | "file")).then(|| s.to_owned())
}

/// Whether the fresh type and the spec's expression are lists to the same depth.
fn same_shape(ty: &Ty, expr: &str) -> bool {
    let mut depth = 0;
    let mut t = ty;
    while let Ty::List(inner) = t {
        depth += 1;
        t = inner;
    }
    expr.matches("list<").count() == depth
}

/// Error codes: the page's set; the spec's names, kinds and meanings; codes only the spec
/// lists are kept.
fn errors(e: &mut Endpoint, old: Option<&Yaml>, changes: &mut Vec<String>) {
    let old: Vec<Mapping> = old
        .and_then(Yaml::as_sequence)
        .map(|s| s.iter().filter_map(Yaml::as_mapping).cloned().collect())
        .unwrap_or_default();
    let code_of = |m: &Mapping| m.get("code").and_then(Yaml::as_i64);
    for c in &mut e.errors {
        match old.iter().find(|m| code_of(m) == Some(c.code)) {
            Some(m) => {
                c.name = text(m, "name");
                if let Some(k) = text(m, "kind") {
                    c.kind = match k.as_str() {
                        "success" => Some("success"),
                        "retryable" => Some("retryable"),
                        "partial_success" => Some("partial_success"),
                        _ => None,
                    };
                }
                if let Some(meaning) = text(m, "meaning") {
                    c.meaning = Some(meaning);
                }
            }
            None => changes.push(format!("errors: code {} added", c.code)),
        }
    }
    for m in &old {
        let Some(code) = code_of(m) else { continue };
        if !e.errors.iter().any(|c| c.code == code) {
            changes.push(format!("errors: code {code} is not on the page; kept"));
            e.errors.push(super::draft::ErrorCode {
                code,
                name: text(m, "name"),
                kind: match text(m, "kind").as_deref() {
                    Some("success") => Some("success"),
                    Some("retryable") => Some("retryable"),
                    Some("partial_success") => Some("partial_success"),
                    _ => None,
                },
                meaning: text(m, "meaning"),
            });
        }
    }
}
