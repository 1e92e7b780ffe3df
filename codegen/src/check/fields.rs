//! Objects and their fields: a Rust name for each, a type that resolves, limits that fit the
//! type and each other, a default of the right type inside the field's own limits, form
//! encodings and files only where the protocol sends them.

use std::collections::{BTreeMap, BTreeSet};

use super::enums::Enums;
use super::layout::Names;
use super::symbols::{Kind, Miss, Symbols};
use super::values;
use super::{name_hint, Ctx, Problem};
use crate::diagnostic::Code;
use crate::ir::Limits;
use crate::locate::DocPath;
use crate::model::{
    EncodingName, Field as FieldDef, GroupDef, ItemResultDef, Object as ObjectDef, OrderedMap,
    ProtocolName, RuleDef, TypeDef,
};
use crate::naming::{self, NameError};
use crate::resolved::{Field, Object, Role, Ty, TypeRef};
use crate::typeexpr::{Prim, TypeExpr};

/// Every object of every file, with what the later checks need to know about it.
pub(crate) struct Objects<'a> {
    pub(crate) list: Vec<Placed<'a>>,
    /// By vendor folder and type: index into `list`.
    index: BTreeMap<(String, TypeRef), usize>,
}

/// An object as written, wherever it was written (a request, a response or a named type).
pub(crate) struct Def<'a> {
    description: Option<&'a String>,
    fields: &'a OrderedMap<FieldDef>,
    rules: &'a [RuleDef],
    groups: &'a [GroupDef],
    item_result: Option<&'a ItemResultDef>,
}

impl<'a> Def<'a> {
    fn of_object(o: &'a ObjectDef) -> Self {
        Def {
            description: o.description.as_ref(),
            fields: &o.fields,
            rules: &o.rules,
            groups: &o.groups,
            item_result: o.item_result.as_ref(),
        }
    }

    fn of_type(t: &'a TypeDef) -> Option<Self> {
        Some(Def {
            description: t.description.as_ref(),
            fields: t.fields.as_ref()?,
            rules: &t.rules,
            groups: &t.groups,
            item_result: t.item_result.as_ref(),
        })
    }
}

/// One object and where it stands.
pub(crate) struct Placed<'a> {
    /// The defining file.
    pub(crate) file: usize,
    /// Where it stands in its file.
    pub(crate) path: DocPath,
    /// What messages call it (`request`, `type \`OpenPeriod\``).
    pub(crate) label: String,
    /// Its rules, groups and per-item result marker, as written.
    pub(crate) rules: &'a [RuleDef],
    pub(crate) groups: &'a [GroupDef],
    pub(crate) item_result: Option<&'a ItemResultDef>,
    /// Fields whose problems were reported (or taken out), by wire name: what names them says
    /// nothing more.
    pub(crate) broken: BTreeSet<String>,
    /// The resolved object.
    pub(crate) object: Object,
}

impl Placed<'_> {
    /// Whether a field of this object is missing only because of a problem already reported.
    pub(crate) fn is_broken(&self, cx: &Ctx<'_>, wire: &str) -> bool {
        self.broken.contains(wire)
            || cx.dropped(self.file, &self.path.key("fields").key(wire))
            || cx.dropped(self.file, &self.path.key("fields"))
    }
}

impl<'a> Objects<'a> {
    /// The object a type reference of vendor folder `folder` points at.
    pub(crate) fn find(&self, folder: &str, r: &TypeRef) -> Option<&Placed<'a>> {
        self.index
            .get(&(folder.to_owned(), r.clone()))
            .map(|&k| &self.list[k])
    }

    /// The position in `list` of the object a type reference points at.
    pub(crate) fn index_of(&self, folder: &str, r: &TypeRef) -> Option<usize> {
        self.index.get(&(folder.to_owned(), r.clone())).copied()
    }

    /// The objects of each file, in order, for the model.
    pub(crate) fn into_files(self) -> BTreeMap<usize, Vec<Object>> {
        let mut out: BTreeMap<usize, Vec<Object>> = BTreeMap::new();
        for p in self.list {
            out.entry(p.file).or_default().push(p.object);
        }
        out
    }
}

pub(crate) fn check<'a>(
    cx: &mut Ctx<'a>,
    names: &Names,
    symbols: &Symbols,
    enums: &Enums,
) -> Objects<'a> {
    let mut objects = Objects {
        list: Vec::new(),
        index: BTreeMap::new(),
    };
    // The files outlive the checks: their definitions are borrowed, not copied.
    let files = cx.files;
    for (i, file) in files.iter().enumerate() {
        let spec = &file.spec;
        let n = &names.files[i];
        let mut found: Vec<(DocPath, String, Role, String, Def<'a>)> = Vec::new();
        if let (Some(r), Some(ep)) = (&spec.request, &n.endpoint) {
            found.push((
                DocPath::root().key("request"),
                "request".into(),
                Role::Request,
                ep.types.request.clone(),
                Def::of_object(r),
            ));
        }
        if let (Some(r), Some(ep)) = (&spec.response, &n.endpoint) {
            found.push((
                DocPath::root().key("response"),
                "response".into(),
                Role::Response,
                ep.types.response.clone(),
                Def::of_object(r),
            ));
        }
        for (name, def) in spec.types.iter() {
            let Some(def) = Def::of_type(def) else {
                continue;
            };
            // A type with both `fields` and `enum` was reported with the symbols.
            let Some(entry) = symbols.own(i, name).filter(|e| e.kind == Kind::Object) else {
                continue;
            };
            found.push((
                DocPath::root().key("types").key(name.as_str()),
                format!("type `{name}`"),
                Role::Named(name.clone()),
                entry.rust.clone(),
                def,
            ));
        }
        for (path, label, role, rust, def) in found {
            let placed = object(cx, i, symbols, enums, path, label, role, rust, def);
            let key = (
                file.source.vendor.clone(),
                TypeRef {
                    module: n.module.clone(),
                    rust: placed.object.rust.clone(),
                },
            );
            objects.index.insert(key, objects.list.len());
            objects.list.push(placed);
        }
    }
    objects
}

#[allow(clippy::too_many_arguments)]
fn object<'a>(
    cx: &mut Ctx<'_>,
    i: usize,
    symbols: &Symbols,
    enums: &Enums,
    path: DocPath,
    label: String,
    role: Role,
    rust: String,
    def: Def<'a>,
) -> Placed<'a> {
    let mut rust_names: BTreeMap<String, String> = BTreeMap::new();
    let mut fields = Vec::new();
    let mut broken = BTreeSet::new();
    for (wire, f) in def.fields.iter() {
        let fp = path.key("fields").key(wire.as_str());
        let at = FieldAt {
            file: i,
            path: &fp,
            wire,
            def: f,
        };
        let rust = match naming::field_name_for(wire, f.rust_name.as_deref()) {
            Ok(rust) => {
                if let Some(other) = rust_names.insert(rust.clone(), wire.clone()) {
                    cx.at_key(
                        i,
                        &fp,
                        Problem::new(
                            Code::NameCollision,
                            format!("in {label}, fields `{other}` and `{wire}` both become Rust field `{rust}`"),
                        )
                        .hint(format!(
                            "give one of them a `rust_name`, for example `rust_name: {}_2`",
                            rust.trim_end_matches('_')
                        )),
                    );
                }
                rust
            }
            Err(e) => {
                let p = if f.rust_name.is_some() {
                    fp.key("rust_name")
                } else {
                    fp.clone()
                };
                // For a given name that is not snake_case, suggest it in snake_case.
                let example = match (&e, &f.rust_name) {
                    (NameError::NotSnakeCase | NameError::LeadingUnderscore, Some(given)) => {
                        naming::field_name(given.trim_start_matches('_'))
                            .map(|n| format!("rust_name: {n}"))
                            .unwrap_or_else(|_| "rust_name: student_name".to_owned())
                    }
                    _ => "rust_name: student_name".to_owned(),
                };
                cx.at_key(
                    i,
                    &p,
                    Problem::new(
                        Code::BadName,
                        format!("in {label}, field `{wire}` has no usable Rust name"),
                    )
                    .hint(name_hint(&e, "field", &example)),
                );
                wire.clone()
            }
        };
        let ty = match resolve(cx, i, symbols, &f.ty) {
            Ok(ty) => ty,
            Err(Miss::Unknown(problem)) => {
                cx.at_value(i, &fp.key("type"), problem);
                broken.insert(wire.clone());
                continue;
            }
            Err(Miss::Dropped) => {
                broken.insert(wire.clone());
                continue;
            }
        };
        let is_request = role == Role::Request;
        let protocol = cx.files[i].spec.protocol;
        let ok_file = files(cx, &at, &ty, is_request, protocol);
        let ok_limits = limits(cx, &at, &ty);
        let default = values::default(cx, &at, &ty, enums);
        let example = values::example(cx, &at, &ty, enums);
        let ok_encoding = encoding(cx, &at, &ty, is_request, protocol);
        if !(ok_file && ok_limits && ok_encoding) {
            broken.insert(wire.clone());
        }
        fields.push(Field {
            at: cx.loc(i, &fp),
            wire: wire.clone(),
            rust,
            ty,
            required: f.required,
            default,
            example,
            description: f.description.clone(),
            limits: Limits {
                min_items: f.min_items,
                max_items: f.max_items,
                recommended_max_items: f.recommended_max_items,
                min_length: f.min_length,
                max_length: f.max_length,
                length: f.length,
                truncated_beyond: f.truncated_beyond,
                min: f.min,
                max: f.max,
                pattern: f.pattern.clone(),
                max_bytes: f.max_bytes,
                extensions: f.extensions.clone().unwrap_or_default(),
                media_types: f.media_types.clone().unwrap_or_default(),
            },
            encoding: f.encoding,
        });
    }
    let at = cx.loc(i, &path);
    Placed {
        file: i,
        path,
        label,
        rules: def.rules,
        groups: def.groups,
        item_result: def.item_result,
        broken,
        object: Object {
            at,
            role,
            rust,
            description: def.description.cloned(),
            fields,
            rules: Vec::new(),
            groups: Vec::new(),
            item_result: None,
        },
    }
}

/// A field being checked: its file, place, wire name and definition.
pub(crate) struct FieldAt<'a> {
    pub(crate) file: usize,
    pub(crate) path: &'a DocPath,
    pub(crate) wire: &'a str,
    pub(crate) def: &'a FieldDef,
}

/// A type expression resolved from file `from`.
fn resolve(cx: &Ctx<'_>, from: usize, symbols: &Symbols, t: &TypeExpr) -> Result<Ty, Miss> {
    Ok(match t {
        TypeExpr::Prim(p) => Ty::Prim(*p),
        TypeExpr::File => Ty::File,
        TypeExpr::List(inner) => Ty::List(Box::new(resolve(cx, from, symbols, inner)?)),
        TypeExpr::Named(name) => {
            let e = symbols.lookup(cx, from, name)?;
            let r = TypeRef {
                module: e.module.clone(),
                rust: e.rust.clone(),
            };
            match e.kind {
                Kind::Object => Ty::Object(r),
                Kind::Enum(repr) => Ty::Enum(r, repr),
            }
        }
    })
}

/// A file field stands at the top of a request sent as a form; only ClassIn sends forms with
/// files (`multipart/form-data`).
fn files(
    cx: &mut Ctx<'_>,
    at: &FieldAt<'_>,
    ty: &Ty,
    is_request: bool,
    protocol: Option<ProtocolName>,
) -> bool {
    let tp = at.path.key("type");
    let wire = at.wire;
    match ty {
        Ty::File if !is_request => {
            cx.at_value(
                at.file,
                &tp,
                Problem::new(Code::BadFile, format!("field `{wire}`: a file can only be sent, as a field of an endpoint's `request`"))
                    .hint("a file in an answer arrives as a link or an ID; describe it as a `string`"),
            );
            false
        }
        Ty::File if protocol != Some(ProtocolName::ClassInV1) => {
            let p = protocol.map(|p| p.as_str()).unwrap_or("this");
            cx.at_value(
                at.file,
                &tp,
                Problem::new(
                    Code::BadFile,
                    format!("field `{wire}`: the `{p}` protocol family sends no files"),
                )
                .hint("file uploads are sent as `multipart/form-data` by `classin-v1` endpoints"),
            );
            false
        }
        Ty::List(inner) if *inner.leaf() == Ty::File => {
            cx.at_value(
                at.file,
                &tp,
                Problem::new(
                    Code::BadFile,
                    format!("field `{wire}`: a list of files cannot be sent"),
                )
                .hint("give each file a field of its own, as the vendor's form names them"),
            );
            false
        }
        _ => true,
    }
}

/// Limits fit the type and each other. Returns whether all is well.
fn limits(cx: &mut Ctx<'_>, at: &FieldAt<'_>, ty: &Ty) -> bool {
    let f = at.def;
    let (file, wire, fp) = (at.file, at.wire, at.path);
    let before = cx.diags.len();
    let is_list = matches!(ty, Ty::List(_));
    let scalar = match ty {
        Ty::List(inner) => inner.as_ref(),
        other => other,
    };
    let is_string = *scalar == Ty::Prim(Prim::String);
    let is_number = matches!(scalar, Ty::Prim(p) if p.is_numeric());
    let is_file = *ty == Ty::File;
    let written = &f.ty;
    let wrong = |cx: &mut Ctx<'_>, key: &str, applies: &str| {
        cx.at_key(
            file,
            &fp.key(key),
            Problem::new(
                Code::LimitType,
                format!("field `{wire}` is `{written}`, but `{key}` applies only to {applies}"),
            )
            .hint("remove the limit or change the type"),
        );
    };
    for (key, set) in [
        ("min_items", f.min_items.is_some()),
        ("max_items", f.max_items.is_some()),
        ("recommended_max_items", f.recommended_max_items.is_some()),
    ] {
        if set && !is_list {
            wrong(cx, key, "lists");
        }
    }
    for (key, set) in [
        ("min_length", f.min_length.is_some()),
        ("max_length", f.max_length.is_some()),
        ("length", f.length.is_some()),
        ("truncated_beyond", f.truncated_beyond.is_some()),
        ("pattern", f.pattern.is_some()),
    ] {
        if set && !is_string {
            wrong(cx, key, "strings (or lists of strings, item by item)");
        }
    }
    for (key, set) in [("min", f.min.is_some()), ("max", f.max.is_some())] {
        if set && !is_number {
            wrong(cx, key, "numbers (or lists of numbers, item by item)");
        }
    }
    for (key, set) in [
        ("max_bytes", f.max_bytes.is_some()),
        ("extensions", f.extensions.is_some()),
        ("media_types", f.media_types.is_some()),
    ] {
        if set && !is_file {
            wrong(cx, key, "files");
        }
    }
    for (key, list) in [
        ("extensions", &f.extensions),
        ("media_types", &f.media_types),
    ] {
        let Some(list) = list else { continue };
        let media = key == "media_types";
        let bad = list.iter().find(|v| {
            v.is_empty()
                || v.chars().any(char::is_whitespace)
                || if media {
                    !v.contains('/')
                } else {
                    v.starts_with('.')
                }
        });
        let message = match (bad, media) {
            (None, _) if list.is_empty() => format!("field `{wire}`: `{key}` lists nothing"),
            (None, _) => continue,
            (Some(v), false) => format!("field `{wire}`: `{v}` is not a file name extension"),
            (Some(v), true) => format!("field `{wire}`: `{v}` is not a media type"),
        };
        let example = if media {
            "media types are `type/subtype`: `media_types: [image/png, image/jpeg]`"
        } else {
            "extensions are written without the dot: `extensions: [jpg, jpeg, png]`"
        };
        cx.at_value(
            file,
            &fp.key(key),
            Problem::new(Code::BadLimit, message).hint(example),
        );
    }
    for (key, bound) in [("min", f.min), ("max", f.max)] {
        if bound.is_some_and(|b| !b.is_finite()) {
            cx.at_value(
                file,
                &fp.key(key),
                Problem::new(
                    Code::BadLimit,
                    format!("field `{wire}`: `{key}` must be a finite number"),
                )
                .hint("write the bound as a number, for example `0` or `99.5`"),
            );
        }
    }
    let pairs: [(&str, Option<f64>, &str, Option<f64>); 3] = [
        (
            "min_items",
            f.min_items.map(|v| v as f64),
            "max_items",
            f.max_items.map(|v| v as f64),
        ),
        (
            "min_length",
            f.min_length.map(|v| v as f64),
            "max_length",
            f.max_length.map(|v| v as f64),
        ),
        ("min", f.min, "max", f.max),
    ];
    for (lo_key, lo, hi_key, hi) in pairs {
        if let (Some(lo), Some(hi)) = (lo, hi) {
            if lo > hi {
                cx.at_value(
                    file,
                    &fp.key(lo_key),
                    Problem::new(
                        Code::MinAboveMax,
                        format!("field `{wire}`: `{lo_key}` ({lo}) is above `{hi_key}` ({hi})"),
                    )
                    .hint(
                        "no value can satisfy both; check the documentation and swap or fix them",
                    ),
                );
            }
        }
    }
    if let (Some(len), true) = (f.length, f.min_length.is_some() || f.max_length.is_some()) {
        cx.at_key(
            file,
            &fp.key("length"),
            Problem::new(
                Code::LimitConflict,
                format!("field `{wire}`: `length` ({len}) is exact; `min_length`/`max_length` beside it say nothing more"),
            )
            .hint("keep `length` alone, or use only min and max"),
        );
    }
    if let (Some(rec), Some(max)) = (f.recommended_max_items, f.max_items) {
        if rec > max {
            cx.at_value(
                file,
                &fp.key("recommended_max_items"),
                Problem::new(Code::MinAboveMax, format!("field `{wire}`: `recommended_max_items` ({rec}) is above `max_items` ({max})"))
                    .hint("a recommendation beyond the hard limit never applies; fix one of them"),
            );
        }
    }
    if let Some(p) = &f.pattern {
        if let Some(e) = cx.pattern(p).err().map(ToString::to_string) {
            let first = e
                .lines()
                .last()
                .unwrap_or_default()
                .trim()
                .trim_start_matches("error: ")
                .to_owned();
            cx.at_value(
                file,
                &fp.key("pattern"),
                Problem::new(
                    Code::BadPattern,
                    format!("field `{wire}`: pattern does not compile: {first}"),
                )
                .hint("patterns use the `regex` crate's syntax and must match the whole text"),
            );
        }
    }
    if f.required && f.min_items == Some(0) && f.max_items == Some(0) {
        cx.at_key(
            file,
            &fp.key("max_items"),
            Problem::new(
                Code::LimitConflict,
                format!("field `{wire}` is required but may hold no items"),
            ),
        );
    }
    cx.diags.len() == before
}

/// Form encodings only on top-level request fields of form protocols; `comma` only for lists of
/// scalars.
fn encoding(
    cx: &mut Ctx<'_>,
    at: &FieldAt<'_>,
    ty: &Ty,
    is_request: bool,
    protocol: Option<ProtocolName>,
) -> bool {
    let Some(enc) = at.def.encoding else {
        return true;
    };
    let (file, wire) = (at.file, at.wire);
    let form = matches!(
        protocol,
        Some(ProtocolName::DingTalkTop | ProtocolName::ClassInV1)
    );
    if !is_request || !form || *ty == Ty::File {
        cx.at_key(
            file,
            &at.path.key("encoding"),
            Problem::new(
                Code::BadEncoding,
                format!(
                    "field `{wire}`: `encoding` applies only to top-level request fields of form-body \
                     protocols (dingtalk-top, classin-v1), and not to files"
                ),
            )
            .hint("remove it"),
        );
        return false;
    }
    let scalars = matches!(ty, Ty::List(inner) if matches!(**inner, Ty::Prim(_) | Ty::Enum(..)));
    if enc == EncodingName::Comma && !scalars {
        cx.at_value(
            file,
            &at.path.key("encoding"),
            Problem::new(
                Code::BadEncoding,
                format!(
                    "field `{wire}`: `comma` joins a list of scalars, but the field is not one"
                ),
            )
            .hint("use `json` for objects and lists of objects"),
        );
        return false;
    }
    true
}
