//! Every semantic check of the specs, in one place. Each problem becomes a diagnostic with its
//! file, line and column; all are collected before anything is generated.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::{ClientFamily, EnumRepr};
use crate::load::Loaded;
use crate::locate::DocPath;
use crate::model::{
    EncodingName, Field, ItemResultDef, MethodName, OrderedMap, ProtocolName, RuleDef, SpecFile,
};
use crate::naming::{self, NameError};
use crate::typeexpr::{Prim, TypeExpr};

/// The named types of every vendor, and the module each lives in: what lowering resolves type
/// references against.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// By vendor folder, then by the type's spec name.
    pub vendors: BTreeMap<String, BTreeMap<String, TypeEntry>>,
}

/// One named type.
#[derive(Debug, Clone)]
pub struct TypeEntry {
    /// Index of the defining file.
    pub file: usize,
    /// Module name of the defining file.
    pub module: String,
    /// The Rust type name.
    pub rust: String,
    /// Object or enum.
    pub kind: TypeKind,
}

/// What a named type is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeKind {
    /// An object.
    Object,
    /// An enum of this representation.
    Enum(EnumRepr),
}

impl Catalog {
    /// Looks a type name up in a vendor.
    pub fn get(&self, vendor: &str, name: &str) -> Option<&TypeEntry> {
        self.vendors.get(vendor).and_then(|v| v.get(name))
    }
}

/// The module name of a file (its stem, converted).
pub fn module_of(file: &Loaded) -> String {
    naming::module_name(&file.source.module).unwrap_or_else(|_| file.source.module.clone())
}

/// The vendor module name of a file (its folder, converted).
pub fn vendor_module_of(file: &Loaded) -> String {
    naming::module_name(&file.source.vendor).unwrap_or_else(|_| file.source.vendor.clone())
}

/// The base of an endpoint's generated names: `name`, or the file stem in UpperCamelCase.
pub fn base_name_of(file: &Loaded) -> String {
    let raw = file.spec.name.as_deref().unwrap_or(&file.source.module);
    naming::type_name(raw).unwrap_or_else(|_| "Endpoint".to_owned())
}

/// The Rust name of a field: its `rust_name`, or one derived from its wire name.
pub fn field_rust_name(wire: &str, field: &Field) -> Result<String, NameError> {
    match &field.rust_name {
        Some(name) => {
            if !name.chars().any(|c| c.is_ascii_alphanumeric()) {
                Err(NameError::Empty)
            } else if !naming::is_ascii_ident(name) {
                Err(NameError::NotAscii)
            } else if !naming::is_snake_case(name) {
                Err(NameError::NotSnakeCase)
            } else {
                Ok(naming::escape_snake(name.clone()))
            }
        }
        None => naming::field_name(wire),
    }
}

/// An object as the checks see it, wherever it was written.
pub struct ObjectView<'a> {
    /// Where it stands in its file.
    pub path: DocPath,
    /// What it is called in messages (`request`, `type OpenPeriod`).
    pub label: String,
    /// Its fields.
    pub fields: &'a OrderedMap<Field>,
    /// Its rules.
    pub rules: &'a [RuleDef],
    /// Its per-item result marker.
    pub item_result: Option<&'a ItemResultDef>,
    /// Whether it is the endpoint's request (form encodings apply to its fields).
    pub is_request: bool,
}

/// The objects a file defines, in order: request, response, then object types.
pub fn objects_of(spec: &SpecFile) -> Vec<ObjectView<'_>> {
    let mut out = Vec::new();
    if let Some(r) = &spec.request {
        out.push(ObjectView {
            path: DocPath::root().key("request"),
            label: "request".into(),
            fields: &r.fields,
            rules: &r.rules,
            item_result: r.item_result.as_ref(),
            is_request: true,
        });
    }
    if let Some(r) = &spec.response {
        out.push(ObjectView {
            path: DocPath::root().key("response"),
            label: "response".into(),
            fields: &r.fields,
            rules: &r.rules,
            item_result: r.item_result.as_ref(),
            is_request: false,
        });
    }
    for (name, def) in spec.types.iter() {
        if let Some(fields) = &def.fields {
            out.push(ObjectView {
                path: DocPath::root().key("types").key(name.as_str()),
                label: format!("type `{name}`"),
                fields,
                rules: &def.rules,
                item_result: def.item_result.as_ref(),
                is_request: false,
            });
        }
    }
    out
}

struct Ctx<'a> {
    files: &'a [Loaded],
    diags: Diagnostics,
    catalog: Catalog,
}

impl Ctx<'_> {
    fn at(
        &mut self,
        file: usize,
        pos: crate::locate::Pos,
        rule: &'static str,
        msg: String,
        hint: Option<String>,
    ) {
        let f = &self.files[file];
        let mut d = Diagnostic::new(&f.source.display, &f.source.text, pos, rule, msg);
        if let Some(h) = hint {
            d = d.hint(h);
        }
        self.diags.push(d);
    }

    /// A problem with the value at `path`.
    fn value(
        &mut self,
        file: usize,
        path: &DocPath,
        rule: &'static str,
        msg: String,
        hint: Option<String>,
    ) {
        let pos = self.files[file].locator.value(path);
        self.at(file, pos, rule, msg, hint);
    }

    /// A problem with the key at `path`.
    fn key(
        &mut self,
        file: usize,
        path: &DocPath,
        rule: &'static str,
        msg: String,
        hint: Option<String>,
    ) {
        let pos = self.files[file].locator.key(path);
        self.at(file, pos, rule, msg, hint);
    }
}

/// Checks every loaded file; returns the type catalog and every problem found.
pub fn check(files: &[Loaded]) -> (Catalog, Diagnostics) {
    let mut cx = Ctx {
        files,
        diags: Diagnostics::default(),
        catalog: Catalog::default(),
    };
    check_layout(&mut cx);
    build_catalog(&mut cx);
    for (i, file) in files.iter().enumerate() {
        check_endpoint(&mut cx, i);
        check_enums(&mut cx, i);
        check_errors(&mut cx, i);
        for obj in objects_of(&file.spec) {
            check_object(&mut cx, i, &obj);
        }
    }
    check_api_names(&mut cx);
    check_families(&mut cx);
    check_recursion(&mut cx);
    let Ctx { diags, catalog, .. } = cx;
    (catalog, diags)
}

fn name_hint(err: &NameError, what: &str, example: &str) -> String {
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
    }
}

fn check_layout(cx: &mut Ctx<'_>) {
    let mut modules: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut methods: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut vendors: BTreeMap<String, String> = BTreeMap::new();
    for (i, f) in cx.files.iter().enumerate() {
        let vendor = &f.source.vendor;
        match naming::module_name(vendor) {
            Ok(m) => {
                if let Some(other) = vendors.insert(m.clone(), vendor.clone()) {
                    if &other != vendor {
                        cx.at(
                            i,
                            crate::locate::Pos::START,
                            "module-collision",
                            format!(
                                "vendor folders `{other}` and `{vendor}` both become module `{m}`"
                            ),
                            Some("rename one folder".into()),
                        );
                    }
                }
            }
            Err(e) => cx.at(
                i,
                crate::locate::Pos::START,
                "bad-name",
                format!("vendor folder `{vendor}` cannot be a Rust module name"),
                Some(name_hint(&e, "folder", "dingtalk")),
            ),
        }
        match naming::module_name(&f.source.module) {
            Ok(m) => {
                if let Some(first) = modules.insert((vendor.clone(), m.clone()), i) {
                    let other = cx.files[first].source.display.clone();
                    cx.at(
                        i,
                        crate::locate::Pos::START,
                        "module-collision",
                        format!("this file and {other} both become module `{m}`"),
                        Some("rename one file".into()),
                    );
                } else if f.spec.api.is_some() {
                    // `new.yaml` gives method `new_endpoint`, as does `new_endpoint.yaml`.
                    let method = naming::method_name(&m);
                    if let Some(first) = methods.insert((vendor.clone(), method.clone()), i) {
                        let other = cx.files[first].source.display.clone();
                        cx.key(
                            i,
                            &DocPath::root().key("api"),
                            "name-collision",
                            format!(
                                "this endpoint and the one in {other} both become client method `{method}`"
                            ),
                            Some("rename one file".into()),
                        );
                    }
                }
            }
            Err(e) => cx.at(
                i,
                crate::locate::Pos::START,
                "bad-name",
                format!(
                    "file name `{}` cannot be a Rust module name",
                    f.source.module
                ),
                Some(name_hint(&e, "file", "edu_period_create.yaml")),
            ),
        }
        if let Some(name) = &f.spec.name {
            if let Err(e) = naming::type_name(name) {
                cx.value(
                    i,
                    &DocPath::root().key("name"),
                    "bad-name",
                    format!("`{name}` cannot be a Rust type name"),
                    Some(name_hint(&e, "endpoint", "EduPeriodCreate")),
                );
            }
        }
    }
}

fn build_catalog(cx: &mut Ctx<'_>) {
    // Rust type names taken per vendor module, with where they were first taken.
    let mut taken: BTreeMap<(String, String), (usize, DocPath)> = BTreeMap::new();
    let mut catalog = Catalog::default();
    let mut found = Vec::new();
    for (i, f) in cx.files.iter().enumerate() {
        let vendor = f.source.vendor.clone();
        let module = module_of(f);
        if f.spec.api.is_some() {
            let names = naming::endpoint_names(&base_name_of(f));
            for n in [names.request, names.response, names.error_code] {
                found.push((i, vendor.clone(), n, DocPath::root().key("api"), None));
            }
        }
        for (name, def) in f.spec.types.iter() {
            let path = DocPath::root().key("types").key(name.as_str());
            let kind = match (&def.fields, &def.values) {
                (Some(_), None) => TypeKind::Object,
                (None, Some(values)) => {
                    let ints = values.iter().all(|v| v.value.is_i64());
                    TypeKind::Enum(if ints && !values.is_empty() {
                        EnumRepr::Int
                    } else {
                        EnumRepr::Str
                    })
                }
                (Some(_), Some(_)) => {
                    cx.key(i, &path, "type-shape", format!("type `{name}` has both `fields` and `enum`"), Some("a type is either an object (`fields`) or an enum (`enum`); split it in two".into()));
                    continue;
                }
                (None, None) => {
                    cx.key(
                        i,
                        &path,
                        "type-shape",
                        format!("type `{name}` has neither `fields` nor `enum`"),
                        Some("add `fields:` for an object or `enum:` for a list of values".into()),
                    );
                    continue;
                }
            };
            match naming::type_name(name) {
                Ok(rust) => {
                    found.push((i, vendor.clone(), rust.clone(), path, Some(name.clone())));
                    catalog.vendors.entry(vendor.clone()).or_default().insert(
                        name.clone(),
                        TypeEntry {
                            file: i,
                            module: module.clone(),
                            rust,
                            kind,
                        },
                    );
                }
                Err(e) => cx.key(
                    i,
                    &path,
                    "bad-name",
                    format!("type name `{name}` cannot be a Rust type name"),
                    Some(name_hint(&e, "type", "OpenPeriod")),
                ),
            }
        }
    }
    for (i, vendor, rust, path, spec_name) in found {
        // Within one module, every type name must be distinct; across modules of a vendor, the
        // spec names must be (references resolve by spec name).
        let module = module_of(&cx.files[i]);
        if let Some((first, first_path)) = taken
            .get(&(vendor.clone(), format!("{module}::{rust}")))
            .cloned()
        {
            let where_ = describe(cx, first, &first_path);
            cx.key(
                i,
                &path,
                "name-collision",
                format!("type name `{rust}` is already used in this module ({where_})"),
                Some("rename one of them, or set the endpoint's `name`".into()),
            );
            continue;
        }
        taken.insert(
            (vendor.clone(), format!("{module}::{rust}")),
            (i, path.clone()),
        );
        if let Some(spec_name) = spec_name {
            if let Some((first, first_path)) = taken
                .get(&(vendor.clone(), format!("spec::{spec_name}")))
                .cloned()
            {
                let where_ = describe(cx, first, &first_path);
                cx.key(i, &path, "duplicate-type", format!("type `{spec_name}` is already defined for vendor `{vendor}` ({where_})"), Some("types are shared by every spec of a vendor; define it once and refer to it by name".into()));
                if let Some(v) = catalog.vendors.get_mut(&vendor) {
                    // Keep the first definition as the one references resolve to.
                    if let Some(e) = v.get_mut(&spec_name) {
                        if e.file == i {
                            e.file = first;
                            e.module = module_of(&cx.files[first]);
                        }
                    }
                }
                continue;
            }
            taken.insert((vendor, format!("spec::{spec_name}")), (i, path));
        }
    }
    cx.catalog = catalog;
}

fn describe(cx: &Ctx<'_>, file: usize, path: &DocPath) -> String {
    let f = &cx.files[file];
    let p = f.locator.key(path);
    format!("{}:{}:{}", f.source.display, p.line, p.col)
}

fn check_endpoint(cx: &mut Ctx<'_>, i: usize) {
    let spec = &cx.files[i].spec;
    let root = DocPath::root();
    let Some(api) = spec.api.clone() else {
        for (key, present) in [
            ("title", spec.title.is_some()),
            ("protocol", spec.protocol.is_some()),
            ("http", spec.http.is_some()),
            ("request", spec.request.is_some()),
            ("response", spec.response.is_some()),
            ("errors", !spec.errors.is_empty()),
        ] {
            if present {
                cx.key(i, &root.key(key), "missing-api", format!("`{key}` describes an endpoint, but the file has no `api`"), Some("add `api: <documented API name>`, or remove the key from this types-only file".into()));
            }
        }
        if spec.types.is_empty() {
            cx.at(
                i,
                crate::locate::Pos::START,
                "missing-api",
                "the file defines neither an endpoint (`api`) nor any `types`".into(),
                Some("see spec/README.md for the layout of a spec file".into()),
            );
        }
        return;
    };
    let valid = !api.is_empty()
        && api.split('.').all(|part| !part.is_empty())
        && api
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !valid {
        cx.value(
            i,
            &root.key("api"),
            "bad-api-name",
            format!("`{api}` is not an API name"),
            Some(
                "API names are dotted ASCII words, for example `dingtalk.oapi.edu.period.create`"
                    .into(),
            ),
        );
    }
    let missing: Vec<&str> = [
        ("title", spec.title.is_none()),
        ("protocol", spec.protocol.is_none()),
        ("http", spec.http.is_none()),
        ("request", spec.request.is_none()),
        ("response", spec.response.is_none()),
    ]
    .iter()
    .filter(|(_, m)| *m)
    .map(|(k, _)| *k)
    .collect();
    if !missing.is_empty() {
        cx.key(i, &root.key("api"), "missing-key", format!("endpoint `{api}` lacks {}", missing.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")), Some("an endpoint needs `title`, `protocol`, `http`, `request` and `response` (an empty object is `fields: {}`)".into()));
    }
    if let (Some(protocol), Some(http)) = (spec.protocol, &spec.http) {
        let hp = root.key("http");
        match protocol {
            ProtocolName::DingTalkOapi => {
                match &http.path {
                    Some(p) if p.starts_with('/') => {}
                    Some(p) => cx.value(i, &hp.key("path"), "bad-route", format!("path `{p}` does not start with `/`"), Some("write the path under the base URL, for example `/topapi/edu/period/create`".into())),
                    None => cx.key(i, &hp, "bad-route", "a `dingtalk-oapi` endpoint needs `http.path`".into(), Some("for example `path: /topapi/edu/period/create`".into())),
                }
                if http.action.is_some() {
                    cx.key(
                        i,
                        &hp.key("action"),
                        "bad-route",
                        "`action` is only for `classin-v1` endpoints".into(),
                        None,
                    );
                }
            }
            ProtocolName::DingTalkTop => {
                for key in ["path", "action"] {
                    let present = if key == "path" {
                        http.path.is_some()
                    } else {
                        http.action.is_some()
                    };
                    if present {
                        cx.key(i, &hp.key(key), "bad-route", format!("a `dingtalk-top` endpoint has no `{key}`: the router takes the API name as `method`"), Some("remove the key".into()));
                    }
                }
                if http.method != MethodName::Post {
                    cx.value(
                        i,
                        &hp.key("method"),
                        "bad-route",
                        "the TOP router is called with POST".into(),
                        Some("write `method: POST`".into()),
                    );
                }
            }
            ProtocolName::ClassInV1 => {
                if http.path.as_deref().is_none_or(|p| !p.starts_with('/')) {
                    cx.key(
                        i,
                        &hp.key("path"),
                        "bad-route",
                        "a `classin-v1` endpoint needs `http.path` starting with `/`".into(),
                        Some("for example `path: /partner/api/course.api.php`".into()),
                    );
                }
                if http.action.as_deref().is_none_or(str::is_empty) {
                    cx.key(
                        i,
                        &hp.key("action"),
                        "bad-route",
                        "a `classin-v1` endpoint needs `http.action`".into(),
                        Some("for example `action: addCourseStudentMultiple`".into()),
                    );
                }
                if http.method != MethodName::Post {
                    cx.value(
                        i,
                        &hp.key("method"),
                        "bad-route",
                        "ClassIn v1 endpoints are called with POST".into(),
                        Some("write `method: POST`".into()),
                    );
                }
            }
        }
    }
}

fn check_api_names(cx: &mut Ctx<'_>) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for i in 0..cx.files.len() {
        if let Some(api) = cx.files[i].spec.api.clone() {
            if let Some(&first) = seen.get(&api) {
                let where_ = describe(cx, first, &DocPath::root().key("api"));
                cx.value(
                    i,
                    &DocPath::root().key("api"),
                    "duplicate-api",
                    format!("API `{api}` is already specified at {where_}"),
                    Some("each API has one spec file; merge the two".into()),
                );
            } else {
                seen.insert(api, i);
            }
        }
    }
}

fn check_families(cx: &mut Ctx<'_>) {
    let mut family: BTreeMap<String, (ClientFamily, usize)> = BTreeMap::new();
    for i in 0..cx.files.len() {
        let Some(p) = cx.files[i].spec.protocol else {
            continue;
        };
        let vendor = cx.files[i].source.vendor.clone();
        let fam = ClientFamily::of(p);
        match family.get(&vendor) {
            Some((f, first)) if *f != fam => {
                let where_ = describe(cx, *first, &DocPath::root().key("protocol"));
                cx.value(i, &DocPath::root().key("protocol"), "mixed-vendor", format!("protocol `{}` needs the {} but vendor `{vendor}` already uses the {} ({where_})", p.as_str(), fam.client_type(), f.client_type()), Some("put the spec under a vendor folder of its own".into()));
            }
            Some(_) => {}
            None => {
                family.insert(vendor, (fam, i));
            }
        }
    }
}

fn check_enums(cx: &mut Ctx<'_>, i: usize) {
    let spec = &cx.files[i].spec;
    for (name, def) in spec.types.iter() {
        let Some(values) = &def.values else { continue };
        let base = DocPath::root().key("types").key(name.as_str()).key("enum");
        if values.is_empty() {
            cx.key(
                i,
                &base,
                "empty-enum",
                format!("enum `{name}` has no values"),
                Some("list each documented value under `enum:`".into()),
            );
            continue;
        }
        let ints = values.iter().all(|v| v.value.is_i64());
        let strs = values.iter().all(|v| v.value.is_string());
        if !ints && !strs {
            cx.key(
                i,
                &base,
                "enum-values",
                format!("the values of enum `{name}` are not all strings or all integers"),
                Some("quote the values to make them strings".into()),
            );
            continue;
        }
        let mut seen_values = BTreeMap::new();
        let mut seen_names: BTreeMap<String, usize> = BTreeMap::new();
        for (k, v) in values.iter().enumerate() {
            let vpath = base.index(k);
            let shown = show_value(&v.value);
            if let Some(first) = seen_values.insert(shown.clone(), k) {
                cx.value(
                    i,
                    &vpath.key("value"),
                    "duplicate-value",
                    format!(
                        "enum `{name}` lists {shown} twice (first as item {})",
                        first + 1
                    ),
                    None,
                );
            }
            let derived = match (&v.name, v.value.as_str()) {
                (Some(n), _) => naming::variant_name(n).map_err(|e| (e, vpath.key("name"))),
                (None, Some(s)) => naming::variant_name(s).map_err(|e| (e, vpath.key("value"))),
                (None, None) => Err((NameError::NotAscii, vpath.key("value"))),
            };
            match derived {
                Ok(variant) => {
                    if variant == naming::UNKNOWN_VARIANT {
                        cx.value(i, &vpath, "name-collision", format!("enum `{name}` value {shown} would be variant `Unknown`, which every generated enum keeps for values the spec does not list"), Some("give the value another `name`".into()));
                    } else if let Some(first) = seen_names.insert(variant.clone(), k) {
                        cx.value(i, &vpath, "name-collision", format!("enum `{name}`: values {} and {shown} both become variant `{variant}`", show_value(&values[first].value)), Some("give one of them an explicit `name`".into()));
                    }
                }
                Err((e, p)) => {
                    let why = if v.value.is_i64() {
                        "an integer value".to_owned()
                    } else {
                        shown.clone()
                    };
                    let example = if v.value.is_i64() {
                        "name: Student"
                    } else {
                        "name: Kindergarten"
                    };
                    cx.value(
                        i,
                        &p,
                        "enum-name-needed",
                        format!("enum `{name}`: {why} cannot be turned into a Rust variant name"),
                        Some(name_hint(&e, "value", example)),
                    );
                }
            }
        }
    }
}

/// Whether a number is finite (`.nan` and `.inf` are numbers in YAML, but no Rust literal).
fn is_finite(v: &serde_yaml::Value) -> bool {
    v.as_f64().is_some_and(f64::is_finite)
}

fn show_value(v: &serde_yaml::Value) -> String {
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

fn check_errors(cx: &mut Ctx<'_>, i: usize) {
    let errors = cx.files[i].spec.errors.clone();
    let mut codes = BTreeMap::new();
    let mut names: BTreeMap<String, i64> = BTreeMap::new();
    for (k, e) in errors.iter().enumerate() {
        let p = DocPath::root().key("errors").index(k);
        if let Some(first) = codes.insert(e.code, k) {
            cx.value(
                i,
                &p.key("code"),
                "duplicate-code",
                format!(
                    "error code {} is listed twice (first as item {})",
                    e.code,
                    first + 1
                ),
                None,
            );
        }
        let variant = match &e.name {
            Some(n) => match naming::variant_name(n) {
                Ok(v) => v,
                Err(err) => {
                    cx.value(
                        i,
                        &p.key("name"),
                        "bad-name",
                        format!("`{n}` cannot be a Rust variant name"),
                        Some(name_hint(&err, "code", "ParamsInvalid")),
                    );
                    continue;
                }
            },
            None => code_variant(e.code),
        };
        if variant == naming::UNKNOWN_VARIANT {
            cx.value(
                i,
                &p.key("name"),
                "name-collision",
                "`Unknown` is kept for codes the spec does not list".into(),
                Some("choose another name".into()),
            );
        } else if let Some(first) = names.insert(variant.clone(), e.code) {
            cx.value(
                i,
                &p,
                "name-collision",
                format!(
                    "codes {first} and {} both become variant `{variant}`",
                    e.code
                ),
                Some("give one of them another `name`".into()),
            );
        }
    }
}

/// The variant name of an error code without an explicit name.
pub fn code_variant(code: i64) -> String {
    if code < 0 {
        format!("CodeMinus{}", code.unsigned_abs())
    } else {
        format!("Code{code}")
    }
}

/// A field type after resolution, for checks.
enum Resolved {
    Prim(Prim),
    Enum(String),
    Object(String),
    List(Box<Resolved>),
}

fn resolve(cx: &Ctx<'_>, vendor: &str, t: &TypeExpr) -> Result<Resolved, String> {
    Ok(match t {
        TypeExpr::Prim(p) => Resolved::Prim(*p),
        TypeExpr::List(inner) => Resolved::List(Box::new(resolve(cx, vendor, inner)?)),
        TypeExpr::Named(n) => match cx.catalog.get(vendor, n) {
            Some(e) => match e.kind {
                TypeKind::Object => Resolved::Object(n.clone()),
                TypeKind::Enum(_) => Resolved::Enum(n.clone()),
            },
            None => return Err(n.clone()),
        },
    })
}

/// Most type names an unknown-type hint lists: a vendor with hundreds of endpoints has thousands.
const KNOWN_SHOWN: usize = 24;

fn check_object(cx: &mut Ctx<'_>, i: usize, obj: &ObjectView<'_>) {
    let vendor = cx.files[i].source.vendor.clone();
    let protocol = cx.files[i].spec.protocol;
    let mut rust_names: BTreeMap<String, String> = BTreeMap::new();
    let mut resolved: BTreeMap<String, Resolved> = BTreeMap::new();
    for (wire, field) in obj.fields.iter() {
        let fp = obj.path.key("fields").key(wire.as_str());
        match field_rust_name(wire, field) {
            Ok(rust) => {
                if let Some(other) = rust_names.insert(rust.clone(), wire.clone()) {
                    cx.key(
                        i,
                        &fp,
                        "name-collision",
                        format!(
                            "in {}, fields `{other}` and `{wire}` both become Rust field `{rust}`",
                            obj.label
                        ),
                        Some(format!(
                            "give one of them a `rust_name`, for example `rust_name: {}_2`",
                            rust.trim_end_matches('_')
                        )),
                    );
                }
            }
            Err(e) => {
                let p = if field.rust_name.is_some() {
                    fp.key("rust_name")
                } else {
                    fp.clone()
                };
                // For a given name that is not snake_case, suggest it in snake_case.
                let example = match (&e, &field.rust_name) {
                    (NameError::NotSnakeCase, Some(given)) => naming::field_name(given)
                        .map(|n| format!("rust_name: {n}"))
                        .unwrap_or_else(|_| "rust_name: student_name".to_owned()),
                    _ => "rust_name: student_name".to_owned(),
                };
                cx.key(
                    i,
                    &p,
                    "bad-name",
                    format!("in {}, field `{wire}` has no usable Rust name", obj.label),
                    Some(name_hint(&e, "field", &example)),
                );
            }
        }
        let ty = match TypeExpr::parse(&field.ty) {
            Ok(t) => t,
            Err(msg) => {
                cx.value(i, &fp.key("type"), "bad-type", format!("field `{wire}`: {msg}"), Some("types are string, bool, int32, int64, number, list<T>, or the name of a type".into()));
                continue;
            }
        };
        let r = match resolve(cx, &vendor, &ty) {
            Ok(r) => r,
            Err(name) => {
                let known: Vec<String> = cx
                    .catalog
                    .vendors
                    .get(&vendor)
                    .map(|v| v.keys().cloned().collect())
                    .unwrap_or_default();
                let hint = if known.is_empty() {
                    format!("vendor `{vendor}` defines no types; add `{name}` under `types:`")
                } else if known.len() > KNOWN_SHOWN {
                    format!(
                        "types of vendor `{vendor}`: {}, and {} more",
                        known[..KNOWN_SHOWN].join(", "),
                        known.len() - KNOWN_SHOWN
                    )
                } else {
                    format!("types of vendor `{vendor}`: {}", known.join(", "))
                };
                cx.value(
                    i,
                    &fp.key("type"),
                    "unknown-type",
                    format!("field `{wire}` refers to unknown type `{name}`"),
                    Some(hint),
                );
                continue;
            }
        };
        check_limits(cx, i, &fp, wire, field, &r);
        check_default(cx, i, &fp, wire, field, &r);
        if let Some(enc) = field.encoding {
            let form = matches!(
                protocol,
                Some(ProtocolName::DingTalkTop | ProtocolName::ClassInV1)
            );
            if !obj.is_request || !form {
                cx.key(i, &fp.key("encoding"), "bad-encoding", format!("field `{wire}`: `encoding` applies only to top-level request fields of form-body protocols (dingtalk-top, classin-v1)"), Some("remove it".into()));
            } else if enc == EncodingName::Comma
                && !matches!(&r, Resolved::List(inner) if matches!(**inner, Resolved::Prim(_) | Resolved::Enum(_)))
            {
                cx.value(
                    i,
                    &fp.key("encoding"),
                    "bad-encoding",
                    format!(
                        "field `{wire}`: `comma` joins a list of scalars, but the field is not one"
                    ),
                    Some("use `json` for objects and lists of objects".into()),
                );
            }
        }
        resolved.insert(wire.clone(), r);
    }
    check_item_result(cx, i, obj, &resolved);
    for (k, rule) in obj.rules.iter().enumerate() {
        check_rule(cx, i, obj, k, rule, &resolved, &vendor);
    }
}

fn kind_of(r: &Resolved) -> String {
    match r {
        Resolved::Prim(p) => p.as_str().to_owned(),
        Resolved::Enum(n) | Resolved::Object(n) => n.clone(),
        Resolved::List(inner) => format!("list<{}>", kind_of(inner)),
    }
}

fn check_limits(cx: &mut Ctx<'_>, i: usize, fp: &DocPath, wire: &str, f: &Field, r: &Resolved) {
    let is_list = matches!(r, Resolved::List(_));
    let scalar = match r {
        Resolved::List(inner) => inner.as_ref(),
        other => other,
    };
    let is_string = matches!(scalar, Resolved::Prim(Prim::String));
    let is_number = matches!(scalar, Resolved::Prim(p) if p.is_numeric());
    let ty = kind_of(r);
    let wrong = |cx: &mut Ctx<'_>, key: &str, applies: &str| {
        cx.key(
            i,
            &fp.key(key),
            "limit-type",
            format!("field `{wire}` is `{ty}`, but `{key}` applies only to {applies}"),
            Some("remove the limit or change the type".into()),
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
    for (key, bound) in [("min", f.min), ("max", f.max)] {
        if bound.is_some_and(|b| !b.is_finite()) {
            cx.value(
                i,
                &fp.key(key),
                "bad-limit",
                format!("field `{wire}`: `{key}` must be a finite number"),
                Some("write the bound as a number, for example `0` or `99.5`".into()),
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
                cx.value(
                    i,
                    &fp.key(lo_key),
                    "min-above-max",
                    format!("field `{wire}`: `{lo_key}` ({lo}) is above `{hi_key}` ({hi})"),
                    Some(
                        "no value can satisfy both; check the documentation and swap or fix them"
                            .to_owned(),
                    ),
                );
            }
        }
    }
    if let (Some(len), true) = (f.length, f.min_length.is_some() || f.max_length.is_some()) {
        cx.key(i, &fp.key("length"), "limit-conflict", format!("field `{wire}`: `length` ({len}) is exact; `min_length`/`max_length` beside it say nothing more"), Some("keep `length` alone, or use only min and max".into()));
    }
    if let (Some(rec), Some(max)) = (f.recommended_max_items, f.max_items) {
        if rec > max {
            cx.value(
                i,
                &fp.key("recommended_max_items"),
                "min-above-max",
                format!(
                    "field `{wire}`: `recommended_max_items` ({rec}) is above `max_items` ({max})"
                ),
                Some(
                    "a recommendation beyond the hard limit never applies; fix one of them".into(),
                ),
            );
        }
    }
    if let Some(p) = &f.pattern {
        if let Err(e) = regex::Regex::new(&format!("^(?:{p})$")) {
            let first = e
                .to_string()
                .lines()
                .last()
                .unwrap_or_default()
                .trim()
                .trim_start_matches("error: ")
                .to_owned();
            cx.value(
                i,
                &fp.key("pattern"),
                "bad-pattern",
                format!("field `{wire}`: pattern does not compile: {first}"),
                Some(
                    "patterns use the `regex` crate's syntax and must match the whole text".into(),
                ),
            );
        }
    }
    if f.required && (f.min_items == Some(0)) && f.max_items == Some(0) {
        cx.key(
            i,
            &fp.key("max_items"),
            "limit-conflict",
            format!("field `{wire}` is required but may hold no items"),
            None,
        );
    }
}

fn check_default(cx: &mut Ctx<'_>, i: usize, fp: &DocPath, wire: &str, f: &Field, r: &Resolved) {
    let Some(d) = &f.default else { return };
    let ok = match r {
        Resolved::Prim(Prim::String) => d.is_string(),
        Resolved::Prim(Prim::Bool) => d.is_bool(),
        Resolved::Prim(Prim::Int32) => d.as_i64().is_some_and(|v| i32::try_from(v).is_ok()),
        Resolved::Prim(Prim::Int64) => d.is_i64(),
        Resolved::Prim(Prim::Number) => (d.is_f64() || d.is_i64()) && is_finite(d),
        Resolved::Enum(name) => {
            let name = name.clone();
            let values = enum_values(cx, &cx.files[i].source.vendor, &name);
            if !values.iter().any(|v| v == d) {
                let listed: Vec<String> = values.iter().map(show_value).collect();
                cx.value(
                    i,
                    &fp.key("default"),
                    "bad-default",
                    format!(
                        "field `{wire}`: default {} is not a value of enum `{name}`",
                        show_value(d)
                    ),
                    Some(format!("the values are {}", listed.join(", "))),
                );
            }
            return;
        }
        Resolved::Object(_) | Resolved::List(_) => {
            cx.key(
                i,
                &fp.key("default"),
                "bad-default",
                format!("field `{wire}`: defaults are supported for scalars and enums only"),
                Some("describe the default in `description` instead".into()),
            );
            return;
        }
    };
    if !ok {
        cx.value(
            i,
            &fp.key("default"),
            "bad-default",
            format!(
                "field `{wire}`: default {} is not a `{}`",
                show_value(d),
                kind_of(r)
            ),
            None,
        );
    }
}

// The wire values of an enum type.
fn enum_values(cx_files: &Ctx<'_>, vendor: &str, name: &str) -> Vec<serde_yaml::Value> {
    cx_files
        .catalog
        .get(vendor, name)
        .and_then(|e| cx_files.files[e.file].spec.types.get(name))
        .and_then(|d| d.values.as_ref())
        .map(|v| v.iter().map(|x| x.value.clone()).collect())
        .unwrap_or_default()
}

fn check_item_result(
    cx: &mut Ctx<'_>,
    i: usize,
    obj: &ObjectView<'_>,
    resolved: &BTreeMap<String, Resolved>,
) {
    let Some(ir) = obj.item_result else { return };
    let p = obj.path.key("item_result");
    if cx.files[i].spec.errors.is_empty() {
        cx.key(i, &p, "item-result", format!("{} is marked as a per-item result, but the file lists no `errors` to type its codes with", obj.label), Some("add the endpoint's `errors` table to this file".into()));
    }
    match resolved.get(&ir.code) {
        Some(Resolved::Prim(p2)) if p2.is_integer() => {}
        Some(_) => cx.value(
            i,
            &p.key("code"),
            "item-result",
            format!("per-item code field `{}` must be an integer", ir.code),
            None,
        ),
        None => cx.value(
            i,
            &p.key("code"),
            "item-result",
            format!("{} has no field `{}`", obj.label, ir.code),
            None,
        ),
    }
    match resolved.get(&ir.message) {
        Some(Resolved::Prim(Prim::String)) => {}
        Some(_) => cx.value(
            i,
            &p.key("message"),
            "item-result",
            format!("per-item message field `{}` must be a string", ir.message),
            None,
        ),
        None => cx.value(
            i,
            &p.key("message"),
            "item-result",
            format!("{} has no field `{}`", obj.label, ir.message),
            None,
        ),
    }
}

fn check_rule(
    cx: &mut Ctx<'_>,
    i: usize,
    obj: &ObjectView<'_>,
    k: usize,
    rule: &RuleDef,
    resolved: &BTreeMap<String, Resolved>,
    vendor: &str,
) {
    let rp = obj.path.key("rules").index(k);
    let when = &rule.when;
    match resolved.get(&when.field) {
        None => cx.value(
            i,
            &rp.key("when").key("field"),
            "bad-rule",
            format!(
                "rule {}: {} has no field `{}`",
                k + 1,
                obj.label,
                when.field
            ),
            Some(format!(
                "fields: {}",
                obj.fields
                    .iter()
                    .map(|(w, _)| w.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        ),
        Some(r) => {
            let (value, key) = match (&when.equals, &when.not_equals) {
                (Some(v), None) => (v, "equals"),
                (None, Some(v)) => (v, "not_equals"),
                _ => {
                    cx.key(
                        i,
                        &rp.key("when"),
                        "bad-rule",
                        format!(
                            "rule {}: `when` needs exactly one of `equals` and `not_equals`",
                            k + 1
                        ),
                        None,
                    );
                    return;
                }
            };
            let fits = match r {
                Resolved::Enum(name) => enum_values(cx, vendor, name).contains(value),
                Resolved::Prim(Prim::String) => value.is_string(),
                Resolved::Prim(Prim::Bool) => value.is_bool(),
                Resolved::Prim(p) if p.is_integer() => value.is_i64(),
                Resolved::Prim(_) => (value.is_f64() || value.is_i64()) && is_finite(value),
                _ => false,
            };
            if !fits {
                cx.value(
                    i,
                    &rp.key("when").key(key),
                    "bad-rule",
                    format!(
                        "rule {}: {} cannot be compared with field `{}` of type `{}`",
                        k + 1,
                        show_value(value),
                        when.field,
                        kind_of(r)
                    ),
                    None,
                );
            }
        }
    }
    let check = &rule.check;
    let kinds = [check.max_items.is_some(), check.absent, check.present]
        .iter()
        .filter(|b| **b)
        .count();
    if kinds != 1 {
        cx.key(i, &rp.key("check"), "bad-rule", format!("rule {}: `check` needs exactly one of `max_items`, `absent: true`, `present: true`", k + 1), None);
        return;
    }
    let cf = rp.key("check").key("field");
    if let Some((list, inner)) = check.field.split_once("[].") {
        if check.max_items.is_some() {
            cx.value(
                i,
                &cf,
                "bad-rule",
                format!(
                    "rule {}: `max_items` checks a list field, not a field of its items",
                    k + 1
                ),
                None,
            );
            return;
        }
        let item_fields = match resolved.get(list) {
            Some(Resolved::List(inner)) => match inner.as_ref() {
                Resolved::Object(name) => object_fields(cx, vendor, name),
                _ => None,
            },
            _ => None,
        };
        match item_fields {
            None => cx.value(
                i,
                &cf,
                "bad-rule",
                format!(
                    "rule {}: `{list}` is not a list of objects in {}",
                    k + 1,
                    obj.label
                ),
                Some("write `list_field[].item_field`".into()),
            ),
            Some(names) if !names.contains(&inner.to_owned()) => cx.value(
                i,
                &cf,
                "bad-rule",
                format!(
                    "rule {}: the items of `{list}` have no field `{inner}`",
                    k + 1
                ),
                Some(format!("their fields: {}", names.join(", "))),
            ),
            Some(_) => {}
        }
    } else {
        match resolved.get(&check.field) {
            None => cx.value(
                i,
                &cf,
                "bad-rule",
                format!(
                    "rule {}: {} has no field `{}`",
                    k + 1,
                    obj.label,
                    check.field
                ),
                None,
            ),
            Some(r) if check.max_items.is_some() && !matches!(r, Resolved::List(_)) => cx.value(
                i,
                &cf,
                "bad-rule",
                format!(
                    "rule {}: `max_items` needs a list, and `{}` is `{}`",
                    k + 1,
                    check.field,
                    kind_of(r)
                ),
                None,
            ),
            Some(_) => {}
        }
    }
}

fn object_fields(cx: &Ctx<'_>, vendor: &str, name: &str) -> Option<Vec<String>> {
    let e = cx.catalog.get(vendor, name)?;
    let def = cx.files[e.file].spec.types.get(name)?;
    Some(
        def.fields
            .as_ref()?
            .iter()
            .map(|(w, _)| w.clone())
            .collect(),
    )
}

/// An object type that holds itself other than through a list would have infinite size.
fn check_recursion(cx: &mut Ctx<'_>) {
    let mut edges: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for f in cx.files.iter() {
        for (name, def) in f.spec.types.iter() {
            let Some(fields) = &def.fields else { continue };
            let direct = fields
                .iter()
                .filter_map(|(_, fd)| match TypeExpr::parse(&fd.ty) {
                    Ok(TypeExpr::Named(n)) => Some(n),
                    _ => None,
                })
                .collect();
            edges.insert((f.source.vendor.clone(), name.clone()), direct);
        }
    }
    // Types that hold each other directly form a strongly connected group; each group with a
    // cycle is reported once, at its first type, with one cycle through it. Linear in the number
    // of types and references, however long the chains.
    let mut vendors: BTreeMap<&str, Vec<(&str, &[String])>> = BTreeMap::new();
    for ((vendor, name), next) in &edges {
        vendors
            .entry(vendor.as_str())
            .or_default()
            .push((name.as_str(), next.as_slice()));
    }
    let mut found = Vec::new();
    for (vendor, types) in vendors {
        let index: BTreeMap<&str, usize> = types
            .iter()
            .enumerate()
            .map(|(i, (n, _))| (*n, i))
            .collect();
        let succ: Vec<Vec<usize>> = types
            .iter()
            .map(|(_, next)| {
                next.iter()
                    .filter_map(|n| index.get(n.as_str()).copied())
                    .collect()
            })
            .collect();
        for group in strongly_connected(&succ) {
            let Some(&start) = group.iter().min() else {
                continue;
            };
            let Some(cycle) = shortest_cycle(&succ, &group, start) else {
                continue;
            };
            let names: Vec<&str> = cycle.iter().map(|&i| types[i].0).collect();
            let shown = if names.len() > CYCLE_SHOWN {
                let half = CYCLE_SHOWN / 2;
                format!(
                    "{} -> … -> {}, a cycle of {} types",
                    names[..half].join(" -> "),
                    names[names.len() - half..].join(" -> "),
                    names.len() - 1
                )
            } else {
                names.join(" -> ")
            };
            found.push((vendor.to_owned(), types[start].0.to_owned(), shown));
        }
    }
    for (vendor, start, cycle) in found {
        if let Some(e) = cx.catalog.get(&vendor, &start).cloned() {
            cx.key(
                e.file,
                &DocPath::root().key("types").key(start.as_str()),
                "recursive-type",
                format!("type `{start}` contains itself ({cycle}) and would have infinite size"),
                Some("make one of the fields a `list<...>`".into()),
            );
        }
    }
}

/// Strongly connected components of a graph given by successor lists (Tarjan's algorithm,
/// iterative, so deep chains cannot exhaust the stack).
fn strongly_connected(succ: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = succ.len();
    let (mut index, mut low, mut on_stack) = (vec![UNSEEN; n], vec![0; n], vec![false; n]);
    let (mut stack, mut next, mut out) = (Vec::new(), 0, Vec::new());
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, position of the next successor to visit)
        let mut calls = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(v, pos)) = calls.last() {
            if let Some(&w) = succ[v].get(pos) {
                if let Some(top) = calls.last_mut() {
                    top.1 += 1;
                }
                if index[w] == UNSEEN {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(u, _)) = calls.last() {
                low[u] = low[u].min(low[v]);
            }
            if low[v] == index[v] {
                let mut group = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    group.push(w);
                    if w == v {
                        break;
                    }
                }
                out.push(group);
            }
        }
    }
    out
}

/// Most types a reported cycle names; longer cycles are shortened in the middle.
const CYCLE_SHOWN: usize = 12;

/// The shortest cycle from `start` back to itself within `group`, as the nodes it passes
/// (`start` first and last), or `None` when `start` is on no cycle.
fn shortest_cycle(succ: &[Vec<usize>], group: &[usize], start: usize) -> Option<Vec<usize>> {
    let members: BTreeSet<usize> = group.iter().copied().collect();
    let mut parent: BTreeMap<usize, usize> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    let mut last = None;
    'search: while let Some(v) = queue.pop_front() {
        for &w in &succ[v] {
            if w == start {
                last = Some(v);
                break 'search;
            }
            if members.contains(&w) && !parent.contains_key(&w) {
                parent.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    let mut path = vec![last?];
    while let Some(&p) = path.last().and_then(|v| parent.get(v)) {
        path.push(p);
    }
    if path.last() != Some(&start) {
        path.push(start);
    }
    path.reverse();
    path.push(start);
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_cycles_are_found_without_recursion() {
        // 0 -> 1 -> 2 -> 0, 3 -> 3, 4 -> 0 (on no cycle).
        let succ = vec![vec![1], vec![2], vec![0], vec![3], vec![0]];
        let mut groups: Vec<Vec<usize>> = strongly_connected(&succ)
            .into_iter()
            .map(|mut g| {
                g.sort();
                g
            })
            .collect();
        groups.sort();
        assert_eq!(groups, [vec![0, 1, 2], vec![3], vec![4]]);
        assert_eq!(shortest_cycle(&succ, &[0, 1, 2], 0), Some(vec![0, 1, 2, 0]));
        assert_eq!(shortest_cycle(&succ, &[3], 3), Some(vec![3, 3]));
        assert_eq!(shortest_cycle(&succ, &[4], 4), None);
        // A chain of 100,000 types, closed into one cycle.
        let n = 100_000;
        let succ: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        let groups = strongly_connected(&succ);
        assert_eq!(groups.len(), 1);
        assert_eq!(
            shortest_cycle(&succ, &groups[0], 0).map(|c| c.len()),
            Some(n + 1)
        );
    }

    #[test]
    fn given_field_names_must_be_snake_case() {
        let field = |rust: &str| Field {
            rust_name: Some(rust.to_owned()),
            ..serde_yaml::from_str("type: string").expect("a field")
        };
        assert_eq!(
            field_rust_name("x", &field("dept_id")),
            Ok("dept_id".to_owned())
        );
        assert_eq!(field_rust_name("x", &field("type")), Ok("type_".to_owned()));
        assert_eq!(field_rust_name("x", &field("_2fa")), Ok("_2fa".to_owned()));
        assert_eq!(
            field_rust_name("x", &field("deptId")),
            Err(NameError::NotSnakeCase)
        );
        assert_eq!(
            field_rust_name("x", &field("Self")),
            Err(NameError::NotSnakeCase)
        );
        assert_eq!(
            field_rust_name("x", &field("a__b")),
            Err(NameError::NotSnakeCase)
        );
        assert_eq!(field_rust_name("x", &field("_")), Err(NameError::Empty));
        assert_eq!(
            field_rust_name("x", &field("a-b")),
            Err(NameError::NotAscii)
        );
    }
}
