//! What the import tests share: the vendor pages, their imports as spec sources, and a
//! field-by-field comparison of two resolved models.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use codegen::import::{self, Options};
use codegen::resolved::{EnumValues, Model, Module, Object, Role, Ty};
use codegen::Source;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The vendor pages, sorted by file name.
pub fn pages() -> Vec<(String, String)> {
    let dir = root().join("tests/import-pages/vendor");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).expect("a page"))
        })
        .collect();
    out.sort();
    assert_eq!(out.len(), 4, "the four vendor pages");
    out
}

/// A spec text as a source at `spec/<path>`.
pub fn source(path: &str, text: String) -> Source {
    let (vendor, file) = path.split_once('/').expect("vendor/module.yaml");
    Source {
        display: format!("spec/{path}"),
        vendor: vendor.to_owned(),
        module: file.trim_end_matches(".yaml").to_owned(),
        text,
    }
}

/// Each page imported, as a spec source.
pub fn imported() -> Vec<Source> {
    pages()
        .iter()
        .map(|(name, text)| {
            let draft = import::import_page(text, &Options::default())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            source(&draft.path(), draft.text)
        })
        .collect()
}

/// Every difference between two models of the same endpoints, one line each.
struct Compare<'a> {
    hand: &'a Module,
    import: &'a Module,
    out: BTreeSet<String>,
    seen: BTreeSet<(String, String)>,
}

impl Compare<'_> {
    fn note(&mut self, at: &str, what: String) {
        self.out
            .insert(format!("{}: {at}: {what}", self.hand.source));
    }

    fn object(&mut self, at: &str, hand: &Object, import: &Object) {
        if !self.seen.insert((hand.rust.clone(), import.rust.clone())) {
            return;
        }
        if hand.rust != import.rust {
            self.note(
                at,
                format!("type name {} (import: {})", hand.rust, import.rust),
            );
        }
        let hand_fields: Vec<&str> = hand.fields.iter().map(|f| f.wire.as_str()).collect();
        let import_fields: Vec<&str> = import.fields.iter().map(|f| f.wire.as_str()).collect();
        if hand_fields != import_fields {
            self.note(
                at,
                format!("fields {hand_fields:?} (import: {import_fields:?})"),
            );
        }
        for h in &hand.fields {
            let Some(i) = import.fields.iter().find(|f| f.wire == h.wire) else {
                continue;
            };
            let at = format!("{at}.{}", h.wire);
            if h.rust != i.rust {
                self.note(&at, format!("rust name {} (import: {})", h.rust, i.rust));
            }
            if h.required != i.required {
                self.note(
                    &at,
                    format!("required {} (import: {})", h.required, i.required),
                );
            }
            if h.default.as_ref().map(|v| v.wire().clone())
                != i.default.as_ref().map(|v| v.wire().clone())
            {
                self.note(
                    &at,
                    format!(
                        "default {:?} (import: {:?})",
                        h.default.as_ref().map(|v| v.wire()),
                        i.default.as_ref().map(|v| v.wire())
                    ),
                );
            }
            if h.encoding != i.encoding {
                self.note(
                    &at,
                    format!("encoding {:?} (import: {:?})", h.encoding, i.encoding),
                );
            }
            if h.limits != i.limits {
                self.note(
                    &at,
                    format!(
                        "limits {} (import: {})",
                        limits(&h.limits),
                        limits(&i.limits)
                    ),
                );
            }
            self.ty(&at, &h.ty, &i.ty);
        }
        if hand.item_result.is_some() != import.item_result.is_some() {
            self.note(
                at,
                format!(
                    "item_result {} (import: {})",
                    hand.item_result.is_some(),
                    import.item_result.is_some()
                ),
            );
        }
        if hand.rules.len() != import.rules.len() {
            self.note(
                at,
                format!(
                    "{} rules (import: {})",
                    hand.rules.len(),
                    import.rules.len()
                ),
            );
        }
        if hand.groups.len() != import.groups.len() {
            self.note(
                at,
                format!(
                    "{} groups (import: {})",
                    hand.groups.len(),
                    import.groups.len()
                ),
            );
        }
    }

    fn ty(&mut self, at: &str, hand: &Ty, import: &Ty) {
        match (hand, import) {
            (Ty::List(h), Ty::List(i)) => self.ty(&format!("{at}[]"), h, i),
            (Ty::Prim(h), Ty::Prim(i)) if h == i => {}
            (Ty::Object(h), Ty::Object(i)) => {
                let (Some(ho), Some(io)) =
                    (object(self.hand, &h.rust), object(self.import, &i.rust))
                else {
                    self.note(at, format!("object {} (import: {})", h.rust, i.rust));
                    return;
                };
                self.object(at, ho, io);
            }
            (Ty::Enum(h, hr), Ty::Enum(i, ir)) => {
                if h.rust != i.rust {
                    self.note(at, format!("enum name {} (import: {})", h.rust, i.rust));
                }
                if hr != ir {
                    self.note(at, format!("enum repr {hr:?} (import: {ir:?})"));
                }
                let hv = enum_values(self.hand, &h.rust);
                let iv = enum_values(self.import, &i.rust);
                if hv != iv {
                    self.note(at, format!("enum values {hv:?} (import: {iv:?})"));
                }
            }
            (h, i) => self.note(at, format!("type {} (import: {})", show(h), show(i))),
        }
    }
}

fn show(t: &Ty) -> String {
    match t {
        Ty::Prim(p) => p.as_str().to_owned(),
        Ty::File => "file".to_owned(),
        Ty::List(i) => format!("list<{}>", show(i)),
        Ty::Object(r) => r.rust.clone(),
        Ty::Enum(r, _) => format!("enum {}", r.rust),
    }
}

fn limits(l: &codegen::ir::Limits) -> String {
    let mut parts = Vec::new();
    let ints = [
        ("min_items", l.min_items),
        ("max_items", l.max_items),
        ("recommended_max_items", l.recommended_max_items),
        ("min_length", l.min_length),
        ("max_length", l.max_length),
        ("length", l.length),
        ("truncated_beyond", l.truncated_beyond),
    ];
    for (k, v) in ints {
        if let Some(v) = v {
            parts.push(format!("{k}={v}"));
        }
    }
    for (k, v) in [("min", l.min), ("max", l.max)] {
        if let Some(v) = v {
            parts.push(format!("{k}={v}"));
        }
    }
    if let Some(p) = &l.pattern {
        parts.push(format!("pattern={p}"));
    }
    format!("{{{}}}", parts.join(", "))
}

fn object<'m>(m: &'m Module, rust: &str) -> Option<&'m Object> {
    m.objects.iter().find(|o| o.rust == rust)
}

/// Wire values and variant names of an enum.
fn enum_values(m: &Module, rust: &str) -> Vec<(String, String)> {
    let Some(e) = m.enums.iter().find(|e| e.rust == rust) else {
        return Vec::new();
    };
    match &e.values {
        EnumValues::Str(vs) => vs
            .iter()
            .map(|v| (v.value.clone(), v.rust.clone()))
            .collect(),
        EnumValues::Int(vs) => vs
            .iter()
            .map(|v| (v.value.to_string(), v.rust.clone()))
            .collect(),
    }
}

pub fn differences(hand: &Model, import: &Model) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let modules = |m: &Model| -> BTreeMap<String, Module> {
        m.vendors
            .values()
            .flat_map(|v| {
                v.modules
                    .values()
                    .map(|m| (format!("{}/{}", v.name, m.name), m.clone()))
            })
            .collect()
    };
    let (hand_modules, import_modules) = (modules(hand), modules(import));
    assert_eq!(
        hand_modules.keys().collect::<Vec<_>>(),
        import_modules.keys().collect::<Vec<_>>(),
        "the same endpoint modules"
    );
    for (key, h) in &hand_modules {
        let i = &import_modules[key];
        let mut c = Compare {
            hand: h,
            import: i,
            out: BTreeSet::new(),
            seen: BTreeSet::new(),
        };
        let (he, ie) = (h.endpoint.as_ref().unwrap(), i.endpoint.as_ref().unwrap());
        if (he.api.as_str(), he.protocol, he.method) != (ie.api.as_str(), ie.protocol, ie.method) {
            c.note(
                "endpoint",
                format!(
                    "{} {:?} (import: {} {:?})",
                    he.api, he.protocol, ie.api, ie.protocol
                ),
            );
        }
        if format!("{:?}", he.route) != format!("{:?}", ie.route) {
            c.note(
                "endpoint",
                format!("route {:?} (import: {:?})", he.route, ie.route),
            );
        }
        for role in [Role::Request, Role::Response] {
            let ho = h.objects.iter().find(|o| o.role == role).unwrap();
            let io = i.objects.iter().find(|o| o.role == role).unwrap();
            let at = if role == Role::Request {
                "request"
            } else {
                "response"
            };
            c.object(at, ho, io);
        }
        let codes = |m: &Module| -> Vec<(i64, String)> {
            m.errors
                .iter()
                .flat_map(|t| t.codes.iter().map(|c| (c.code, format!("{:?}", c.kind))))
                .collect()
        };
        if codes(h) != codes(i) {
            c.note("errors", format!("{:?} (import: {:?})", codes(h), codes(i)));
        }
        let names = |m: &Module| -> Vec<String> {
            m.errors
                .iter()
                .flat_map(|t| t.codes.iter().map(|c| c.variant.clone()))
                .collect()
        };
        if names(h) != names(i) {
            c.note("errors", "error-code variant names differ".to_owned());
        }
        out.extend(c.out);
    }
    out
}
