//! Enum types and error-code tables: values all of one kind, each listed once, each with a
//! variant name of its own that no other value shares.

use std::collections::{BTreeMap, BTreeSet};

use super::layout::Names;
use super::symbols::{Kind, Symbols};
use super::{name_hint, show_value, Ctx, Problem};
use crate::diagnostic::Code;
use crate::ir::EnumRepr;
use crate::locate::DocPath;
use crate::naming::{self, NameError};
use crate::resolved::{Enum, EnumValues, ErrorCode, ErrorTable, TypeRef, Value, Variant};

/// Every enum and error table, by defining file.
#[derive(Default)]
pub(crate) struct Enums {
    enums: BTreeMap<(usize, String), Enum>,
    /// The enums in the order the files define them.
    order: Vec<(usize, String)>,
    tables: BTreeMap<usize, ErrorTable>,
    /// By vendor folder and type: the defining file and spec name.
    by_ref: BTreeMap<(String, TypeRef), (usize, String)>,
    /// Enums with a problem of their own, by vendor folder and type: a value compared with
    /// them says nothing more.
    broken: BTreeSet<(String, TypeRef)>,
}

impl Enums {
    /// The enum a type reference of vendor folder `folder` points at, or `Err(())` when the
    /// enum has problems of its own (reported with it).
    pub(crate) fn find(&self, folder: &str, r: &TypeRef) -> Result<&Enum, ()> {
        let key = (folder.to_owned(), r.clone());
        if self.broken.contains(&key) {
            return Err(());
        }
        let (file, name) = self.by_ref.get(&key).ok_or(())?;
        self.get(*file, name).ok_or(())
    }

    /// The enum a file defines under its spec name.
    pub(crate) fn get(&self, file: usize, name: &str) -> Option<&Enum> {
        self.enums.get(&(file, name.to_owned()))
    }

    /// The error table of a file.
    pub(crate) fn table(&self, file: usize) -> Option<&ErrorTable> {
        self.tables.get(&file)
    }

    /// The enums and error table of each file, for the model.
    pub(crate) fn into_files(self) -> BTreeMap<usize, (Vec<Enum>, Option<ErrorTable>)> {
        let mut out: BTreeMap<usize, (Vec<Enum>, Option<ErrorTable>)> = BTreeMap::new();
        let mut enums = self.enums;
        for key in self.order {
            if let Some(e) = enums.remove(&key) {
                out.entry(key.0).or_default().0.push(e);
            }
        }
        for (file, t) in self.tables {
            out.entry(file).or_default().1 = Some(t);
        }
        out
    }
}

impl Enum {
    /// The variant whose wire value is `v`, as written in a spec, with that value typed.
    pub(crate) fn variant_of(&self, v: &serde_yaml::Value) -> Option<(&str, Value)> {
        self.values.each().into_iter().find(|(_, x)| match (x, v) {
            (Value::Str(s), serde_yaml::Value::String(w)) => s == w,
            (Value::Int(i), w) => w.as_i64() == Some(*i),
            _ => false,
        })
    }

    /// The documented values, as messages show them.
    pub(crate) fn shown_values(&self) -> String {
        match &self.values {
            EnumValues::Str(vs) => vs
                .iter()
                .map(|v| format!("\"{}\"", v.value))
                .collect::<Vec<_>>(),
            EnumValues::Int(vs) => vs.iter().map(|v| v.value.to_string()).collect(),
        }
        .join(", ")
    }
}

pub(crate) fn check(cx: &mut Ctx<'_>, names: &Names, symbols: &Symbols) -> Enums {
    let mut out = Enums::default();
    for i in 0..cx.files.len() {
        let spec = &cx.files[i].spec;
        let defs = spec
            .types
            .iter()
            .filter_map(|(n, d)| Some((n.clone(), d.description.clone(), d.values.as_ref()?)));
        for (name, description, values) in defs {
            // A type with both `fields` and `enum` is reported with the symbols.
            let Some(entry) = symbols.own(i, &name) else {
                continue;
            };
            let Kind::Enum(repr) = entry.kind else {
                continue;
            };
            let rust = entry.rust.clone();
            let at = TypeRef {
                module: names.files[i].module.clone(),
                rust: rust.clone(),
            };
            let key = (names.files[i].folder.clone(), at);
            out.by_ref.insert(key.clone(), (i, name.clone()));
            let before = cx.diags.len();
            let variants = variants(cx, i, &name, repr, values);
            if cx.diags.len() > before {
                out.broken.insert(key);
            }
            if let Some(values) = variants {
                out.order.push((i, name.clone()));
                out.enums.insert(
                    (i, name.clone()),
                    Enum {
                        at: cx.loc(i, &DocPath::root().key("types").key(name.as_str())),
                        rust,
                        spec_name: name,
                        description,
                        values,
                    },
                );
            }
        }
        if let Some(ep) = &names.files[i].endpoint {
            if let Some(t) = error_table(cx, i, &ep.types.error_code) {
                out.tables.insert(i, t);
            }
        }
    }
    out
}

fn variants(
    cx: &mut Ctx<'_>,
    i: usize,
    name: &str,
    repr: EnumRepr,
    values: &[crate::model::EnumValue],
) -> Option<EnumValues> {
    let base = DocPath::root().key("types").key(name).key("enum");
    if values.is_empty() {
        cx.at_key(
            i,
            &base,
            Problem::new(Code::EmptyEnum, format!("enum `{name}` has no values"))
                .hint("list each documented value under `enum:`"),
        );
        return None;
    }
    let ints = repr == EnumRepr::Int;
    if !ints && !values.iter().all(|v| v.value.is_string()) {
        cx.at_key(
            i,
            &base,
            Problem::new(
                Code::EnumValues,
                format!("the values of enum `{name}` are not all strings or all integers"),
            )
            .hint("quote the values to make them strings"),
        );
        return None;
    }
    let mut seen_values: BTreeMap<String, usize> = BTreeMap::new();
    let mut seen_names: BTreeMap<String, usize> = BTreeMap::new();
    let (mut strs, mut ints_found) = (Vec::new(), Vec::new());
    for (k, v) in values.iter().enumerate() {
        let vpath = base.index(k);
        let shown = show_value(&v.value);
        if let Some(first) = seen_values.insert(shown.clone(), k) {
            cx.at_value(
                i,
                &vpath.key("value"),
                Problem::new(
                    Code::DuplicateValue,
                    format!("enum `{name}` lists {shown} twice (first as `enum[{first}]`)"),
                ),
            );
        }
        let derived = match (&v.name, v.value.as_str()) {
            (Some(n), _) => naming::variant_name(n).map_err(|e| (e, vpath.key("name"))),
            (None, Some(s)) => naming::variant_from_value(s).map_err(|e| (e, vpath.key("value"))),
            (None, None) => Err((NameError::NotAWord, vpath.key("value"))),
        };
        let rust = match derived {
            Ok(rust) => rust,
            Err((e, p)) => {
                let hint = if ints {
                    "an integer value needs a `name` for its variant, for example `name: Student`"
                        .to_owned()
                } else {
                    name_hint(&e, "value", "name: Kindergarten")
                };
                cx.at_value(
                    i,
                    &p,
                    Problem::new(
                        Code::EnumNameNeeded,
                        format!("enum `{name}`: value {shown} cannot be turned into a Rust variant name"),
                    )
                    .hint(hint),
                );
                continue;
            }
        };
        if rust == naming::UNKNOWN_VARIANT {
            cx.at_value(
                i,
                &vpath,
                Problem::new(
                    Code::NameCollision,
                    format!(
                        "enum `{name}` value {shown} would be variant `Unknown`, which every \
                         generated enum keeps for values the spec does not list"
                    ),
                )
                .hint("give the value another `name`"),
            );
        } else if let Some(first) = seen_names.insert(rust.clone(), k) {
            cx.at_value(
                i,
                &vpath,
                Problem::new(
                    Code::NameCollision,
                    format!(
                        "enum `{name}`: values {} and {shown} both become variant `{rust}`",
                        show_value(&values[first].value)
                    ),
                )
                .hint("give one of them an explicit `name`"),
            );
        }
        let description = v.description.clone();
        match (v.value.as_i64(), v.value.as_str()) {
            (Some(value), _) if ints => ints_found.push(Variant {
                at: cx.loc(i, &vpath),
                rust,
                value,
                description,
            }),
            (_, Some(value)) => strs.push(Variant {
                at: cx.loc(i, &vpath),
                rust,
                value: value.to_owned(),
                description,
            }),
            // Neither: refused above as values not all of one kind.
            _ => {}
        }
    }
    Some(if ints {
        EnumValues::Int(ints_found)
    } else {
        EnumValues::Str(strs)
    })
}

fn error_table(cx: &mut Ctx<'_>, i: usize, rust: &str) -> Option<ErrorTable> {
    let files = cx.files;
    let errors = &files[i].spec.errors;
    if errors.is_empty() {
        return None;
    }
    let mut codes_seen: BTreeMap<i64, usize> = BTreeMap::new();
    let mut names: BTreeMap<String, i64> = BTreeMap::new();
    let mut codes = Vec::new();
    for (k, e) in errors.iter().enumerate() {
        let p = DocPath::root().key("errors").index(k);
        if let Some(first) = codes_seen.insert(e.code, k) {
            cx.at_value(
                i,
                &p.key("code"),
                Problem::new(
                    Code::DuplicateCode,
                    format!(
                        "error code {} is listed twice (first as `errors[{first}]`)",
                        e.code
                    ),
                ),
            );
        }
        let variant = match &e.name {
            Some(n) => match naming::variant_name(n) {
                Ok(v) => v,
                Err(err) => {
                    cx.at_value(
                        i,
                        &p.key("name"),
                        Problem::new(
                            Code::BadName,
                            format!("`{n}` cannot be a Rust variant name"),
                        )
                        .hint(name_hint(&err, "code", "ParamsInvalid")),
                    );
                    continue;
                }
            },
            None => naming::code_variant(e.code),
        };
        if variant == naming::UNKNOWN_VARIANT {
            cx.at_value(
                i,
                &p.key("name"),
                Problem::new(
                    Code::NameCollision,
                    "`Unknown` is kept for codes the spec does not list",
                )
                .hint("choose another name"),
            );
        } else if let Some(first) = names.insert(variant.clone(), e.code) {
            cx.at_value(
                i,
                &p,
                Problem::new(
                    Code::NameCollision,
                    format!(
                        "codes {first} and {} both become variant `{variant}`",
                        e.code
                    ),
                )
                .hint("give one of them another `name`"),
            );
        }
        codes.push(ErrorCode {
            at: cx.loc(i, &p),
            code: e.code,
            variant,
            meaning: e.meaning.clone(),
            kind: e.kind,
        });
    }
    Some(ErrorTable {
        rust: rust.to_owned(),
        codes,
    })
}
