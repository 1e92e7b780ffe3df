//! Lowers checked spec files into the IR: names fixed, types resolved, docs composed.
//!
//! Runs only on files that passed `check`, so it reports nothing; where the model could still
//! surprise it, it falls back to a harmless value rather than panicking.

use std::collections::{BTreeMap, BTreeSet};

use crate::check::{self, Catalog, ObjectView, TypeKind};
use crate::docs::{limit_words, paragraphs, show_yaml};
use crate::ir::*;
use crate::load::Loaded;
use crate::model::{Field, MethodName, ProtocolName, SeverityName, SpecFile};
use crate::naming;
use crate::typeexpr::{Prim, TypeExpr};

/// Lowers every file into the IR.
pub fn lower(files: &[Loaded], catalog: &Catalog) -> Ir {
    let mut ir = Ir::default();
    for (i, f) in files.iter().enumerate() {
        let vendor_mod = check::vendor_module_of(f);
        let vendor = ir
            .vendors
            .entry(vendor_mod.clone())
            .or_insert_with(|| VendorIr {
                name: vendor_mod.clone(),
                family: None,
                modules: BTreeMap::new(),
            });
        if let Some(p) = f.spec.protocol {
            vendor.family = Some(ClientFamily::of(p));
        }
        let module = lower_module(files, i, catalog);
        vendor.modules.insert(module.name.clone(), module);
    }
    for vendor in ir.vendors.values_mut() {
        mark_usage(vendor);
    }
    ir
}

struct Scope<'a> {
    files: &'a [Loaded],
    catalog: &'a Catalog,
    vendor: &'a str,
    module: String,
}

impl Scope<'_> {
    fn path_to(&self, module: &str, name: &str) -> TypePath {
        TypePath {
            module: (module != self.module).then(|| module.to_owned()),
            name: name.to_owned(),
        }
    }

    fn ty(&self, t: &TypeExpr) -> TyIr {
        match t {
            TypeExpr::Prim(p) => TyIr::Prim(*p),
            TypeExpr::List(inner) => TyIr::List(Box::new(self.ty(inner))),
            TypeExpr::Named(n) => match self.catalog.get(self.vendor, n) {
                Some(e) => {
                    let path = self.path_to(&e.module, &e.rust);
                    match e.kind {
                        TypeKind::Object => TyIr::Struct(path),
                        TypeKind::Enum(repr) => TyIr::Enum(path, repr),
                    }
                }
                None => TyIr::Prim(Prim::String),
            },
        }
    }

    fn enum_values(&self, name: &str) -> Vec<(serde_yaml::Value, String)> {
        let Some(e) = self.catalog.get(self.vendor, name) else {
            return Vec::new();
        };
        let Some(values) = self.files[e.file]
            .spec
            .types
            .get(name)
            .and_then(|d| d.values.as_ref())
        else {
            return Vec::new();
        };
        values
            .iter()
            .map(|v| (v.value.clone(), variant_of(v)))
            .collect()
    }

    /// A spec value as a literal of field type `t`.
    fn literal(&self, t: &TypeExpr, v: &serde_yaml::Value) -> Literal {
        match t {
            TypeExpr::Named(n) => {
                let variant = self
                    .enum_values(n)
                    .into_iter()
                    .find(|(value, _)| value == v)
                    .map(|(_, variant)| variant)
                    .unwrap_or_else(|| naming::UNKNOWN_VARIANT.to_owned());
                let path = match self.catalog.get(self.vendor, n) {
                    Some(e) => self.path_to(&e.module, &e.rust),
                    None => self.path_to(&self.module, n),
                };
                Literal::Variant(path, variant)
            }
            TypeExpr::Prim(Prim::Bool) => Literal::Bool(v.as_bool().unwrap_or_default()),
            TypeExpr::Prim(Prim::Int32 | Prim::Int64) => {
                Literal::Int(v.as_i64().unwrap_or_default())
            }
            TypeExpr::Prim(Prim::Number) => Literal::Float(v.as_f64().unwrap_or_default()),
            _ => Literal::Str(match v {
                serde_yaml::Value::String(s) => s.clone(),
                other => show_yaml(other),
            }),
        }
    }
}

/// A YAML scalar as a wire literal.
fn wire_literal(v: &serde_yaml::Value) -> Literal {
    match v {
        serde_yaml::Value::Bool(b) => Literal::Bool(*b),
        serde_yaml::Value::Number(n) => match n.as_i64() {
            Some(i) => Literal::Int(i),
            None => Literal::Float(n.as_f64().unwrap_or_default()),
        },
        serde_yaml::Value::String(s) => Literal::Str(s.clone()),
        other => Literal::Str(show_yaml(other)),
    }
}

fn variant_of(v: &crate::model::EnumValue) -> String {
    let raw = match (&v.name, &v.value) {
        (Some(n), _) => n.clone(),
        (None, serde_yaml::Value::String(s)) => s.clone(),
        (None, other) => show_yaml(other),
    };
    naming::variant_name(&raw).unwrap_or(raw)
}

fn lower_module(files: &[Loaded], i: usize, catalog: &Catalog) -> ModuleIr {
    let f = &files[i];
    let spec = &f.spec;
    let scope = Scope {
        files,
        catalog,
        vendor: &f.source.vendor,
        module: check::module_of(f),
    };
    let base = check::base_name_of(f);
    let names = naming::endpoint_names(&base);
    let error_codes = (!spec.errors.is_empty()).then(|| ErrorCodesIr {
        name: names.error_code.clone(),
        codes: spec
            .errors
            .iter()
            .map(|e| ErrorCodeIr {
                code: e.code,
                variant: e
                    .name
                    .as_deref()
                    .and_then(|n| naming::variant_name(n).ok())
                    .unwrap_or_else(|| check::code_variant(e.code)),
                meaning: e.meaning.clone(),
                kind: e.kind,
            })
            .collect(),
    });
    let mut structs = Vec::new();
    for obj in check::objects_of(spec) {
        let name = match obj.path.0.first() {
            Some(crate::locate::Seg::Key(k)) if k == "request" => names.request.clone(),
            Some(crate::locate::Seg::Key(k)) if k == "response" => names.response.clone(),
            _ => match obj.path.0.get(1) {
                Some(crate::locate::Seg::Key(k)) => {
                    naming::type_name(k).unwrap_or_else(|_| k.clone())
                }
                _ => continue,
            },
        };
        let doc = object_doc(spec, &obj);
        structs.push(lower_struct(&scope, &obj, name, doc, error_codes.as_ref()));
    }
    let enums = spec
        .types
        .iter()
        .filter_map(|(name, def)| {
            let values = def.values.as_ref()?;
            let repr = if values.iter().all(|v| v.value.is_i64()) {
                EnumRepr::Int
            } else {
                EnumRepr::Str
            };
            let variants = values
                .iter()
                .map(|v| VariantIr {
                    name: variant_of(v),
                    value: match repr {
                        EnumRepr::Int => Literal::Int(v.value.as_i64().unwrap_or_default()),
                        EnumRepr::Str => {
                            Literal::Str(v.value.as_str().unwrap_or_default().to_owned())
                        }
                    },
                    doc: paragraphs([
                        format!("`{}`", show_yaml(&v.value)),
                        v.description.clone().unwrap_or_default(),
                    ]),
                })
                .collect();
            Some(EnumIr {
                name: naming::type_name(name).unwrap_or_else(|_| name.clone()),
                doc: paragraphs([
                    def.description.clone().unwrap_or_else(|| name.clone()),
                    "Values the spec does not list are kept as `Unknown` when reading a response; \
                     `validate()` refuses them in a request."
                        .to_owned(),
                ]),
                repr,
                variants,
            })
        })
        .collect();
    let endpoint = spec
        .api
        .as_ref()
        .map(|api| lower_endpoint(spec, api, &names, &scope));
    ModuleIr {
        name: scope.module.clone(),
        source: f.source.display.clone(),
        doc: module_doc(spec, &f.source.vendor),
        endpoint,
        structs,
        enums,
        error_codes,
    }
}

fn lower_endpoint(
    spec: &SpecFile,
    api: &str,
    names: &naming::EndpointNames,
    scope: &Scope<'_>,
) -> EndpointIr {
    let protocol = spec.protocol.unwrap_or(ProtocolName::DingTalkOapi);
    let http = spec.http.as_ref();
    let route = match protocol {
        ProtocolName::DingTalkOapi => {
            RouteIr::Path(http.and_then(|h| h.path.clone()).unwrap_or_default())
        }
        ProtocolName::DingTalkTop => RouteIr::TopMethod(api.to_owned()),
        ProtocolName::ClassInV1 => RouteIr::Action {
            path: http.and_then(|h| h.path.clone()).unwrap_or_default(),
            action: http.and_then(|h| h.action.clone()).unwrap_or_default(),
        },
    };
    let encodings = spec
        .request
        .as_ref()
        .map(|r| {
            r.fields
                .iter()
                .filter_map(|(w, f)| f.encoding.map(|e| (w.clone(), e)))
                .collect()
        })
        .unwrap_or_default();
    EndpointIr {
        api: api.to_owned(),
        title: spec.title.clone().unwrap_or_default(),
        protocol,
        method: http.map(|h| h.method).unwrap_or(MethodName::Post),
        route,
        request: names.request.clone(),
        response: names.response.clone(),
        method_name: naming::method_name(&scope.module),
        encodings,
    }
}

fn module_doc(spec: &SpecFile, vendor: &str) -> String {
    match &spec.api {
        Some(api) => paragraphs([
            format!("{} (`{api}`)", spec.title.clone().unwrap_or_default()),
            spec.description.clone().unwrap_or_default(),
            spec.docs
                .as_ref()
                .map(|d| format!("Vendor documentation: <{d}>"))
                .unwrap_or_default(),
            spec.notes.clone().unwrap_or_default(),
        ]),
        None => paragraphs([
            spec.description
                .clone()
                .unwrap_or_else(|| format!("Types shared by the `{vendor}` specs.")),
            spec.notes.clone().unwrap_or_default(),
        ]),
    }
}

fn object_doc(spec: &SpecFile, obj: &ObjectView<'_>) -> String {
    let own = match obj.path.0.first() {
        Some(crate::locate::Seg::Key(k)) if k == "request" => {
            spec.request.as_ref().and_then(|o| o.description.clone())
        }
        Some(crate::locate::Seg::Key(k)) if k == "response" => {
            spec.response.as_ref().and_then(|o| o.description.clone())
        }
        _ => match obj.path.0.get(1) {
            Some(crate::locate::Seg::Key(k)) => {
                spec.types.get(k).and_then(|d| d.description.clone())
            }
            _ => None,
        },
    };
    let default = match (&spec.api, obj.label.as_str()) {
        (Some(api), "request") => format!(
            "Request of `{api}`. Credentials of the protocol family are added by the client."
        ),
        (Some(api), "response") => {
            format!("Response of `{api}`, inside the protocol family's envelope.")
        }
        _ => String::new(),
    };
    paragraphs([own.unwrap_or_default(), default])
}

fn lower_struct(
    scope: &Scope<'_>,
    obj: &ObjectView<'_>,
    name: String,
    doc: String,
    codes: Option<&ErrorCodesIr>,
) -> StructIr {
    let mut fields = Vec::new();
    let mut types: BTreeMap<&str, TypeExpr> = BTreeMap::new();
    for (wire, f) in obj.fields.iter() {
        let expr = TypeExpr::parse(&f.ty).unwrap_or(TypeExpr::Prim(Prim::String));
        types.insert(wire.as_str(), expr.clone());
        fields.push(lower_field(scope, wire, f, &expr));
    }
    let find = |wire: &str| fields.iter().find(|x: &&FieldIr| x.wire == wire);
    let field_ref = |x: &FieldIr| FieldRef {
        rust: x.rust.clone(),
        wire: x.wire.clone(),
        optional: x.optional,
    };
    let rules = obj
        .rules
        .iter()
        .filter_map(|r| {
            let when = find(&r.when.field)?;
            let (equals, value) = match (&r.when.equals, &r.when.not_equals) {
                (Some(v), _) => (true, v),
                (None, Some(v)) => (false, v),
                (None, None) => return None,
            };
            let check = if let Some((list, inner)) = r.check.field.split_once("[].") {
                let list_field = find(list)?;
                let item_ty = match types.get(list)? {
                    TypeExpr::List(t) => t.as_ref().clone(),
                    _ => return None,
                };
                let TypeExpr::Named(item_name) = item_ty else {
                    return None;
                };
                let e = scope.catalog.get(scope.vendor, &item_name)?;
                let def = scope.files[e.file].spec.types.get(&item_name)?;
                let fd = def.fields.as_ref()?.get(inner)?;
                RuleCheckIr::Presence {
                    list: Some(field_ref(list_field)),
                    field: FieldRef {
                        rust: check::field_rust_name(inner, fd).ok()?,
                        wire: inner.to_owned(),
                        optional: !fd.required && fd.default.is_none(),
                    },
                    absent: r.check.absent,
                }
            } else {
                let target = find(&r.check.field)?;
                match r.check.max_items {
                    Some(max) => RuleCheckIr::MaxItems {
                        field: field_ref(target),
                        max,
                    },
                    None => RuleCheckIr::Presence {
                        list: None,
                        field: field_ref(target),
                        absent: r.check.absent,
                    },
                }
            };
            let shown = show_yaml(value);
            let cond = format!(
                "when `{}` {} {shown}",
                r.when.field,
                if equals { "is" } else { "is not" }
            );
            let what = match (&check, r.check.absent) {
                (RuleCheckIr::MaxItems { max, .. }, _) => format!("at most {max} items"),
                (_, true) => "should be absent".to_owned(),
                (_, false) => "must be present".to_owned(),
            };
            Some(RuleIr {
                when_field: when.rust.clone(),
                when_wire: when.wire.clone(),
                when_optional: when.optional,
                equals,
                value: scope.literal(types.get(r.when.field.as_str())?, value),
                wire_value: wire_literal(value),
                check,
                severity: r.severity,
                text: format!("{what} {cond} ({})", r.description.trim()),
            })
        })
        .collect();
    let item_result = obj.item_result.and_then(|ir| {
        let code = find(&ir.code)?;
        let message = find(&ir.message)?;
        Some(ItemResultIr {
            code_field: code.rust.clone(),
            code_optional: code.optional,
            code_i32: code.ty == TyIr::Prim(Prim::Int32),
            message_field: message.rust.clone(),
            message_optional: message.optional,
            code_type: TypePath {
                module: None,
                name: codes?.name.clone(),
            },
        })
    });
    let mut doc = doc;
    if !obj.rules.is_empty() {
        let rules: Vec<String> = obj
            .rules
            .iter()
            .map(|r| {
                let sev = match r.severity {
                    SeverityName::Error => "error",
                    SeverityName::Warning => "warning",
                };
                format!("- {} ({sev})", r.description.trim())
            })
            .collect();
        doc = paragraphs([
            doc,
            format!("Rules checked by `validate()`:\n\n{}", rules.join("\n")),
        ]);
    }
    StructIr {
        name,
        doc,
        fields,
        rules,
        item_result,
        usage: Usage::default(),
    }
}

fn lower_field(scope: &Scope<'_>, wire: &str, f: &Field, expr: &TypeExpr) -> FieldIr {
    let rust = check::field_rust_name(wire, f).unwrap_or_else(|_| format!("field_{}", wire.len()));
    let ty = scope.ty(expr);
    let default = f.default.as_ref().map(|d| scope.literal(expr, d));
    let limits = Limits {
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
    };
    let mut facts = Vec::new();
    if rust != wire {
        facts.push(format!("Wire name: `{wire}`."));
    }
    facts.push(match (&f.default, f.required) {
        (Some(d), _) => format!("Defaults to `{}`.", show_yaml(d)),
        (None, true) => "Required.".to_owned(),
        (None, false) => "Optional.".to_owned(),
    });
    facts.extend(limit_words(&limits));
    if let TyIr::Enum(p, _) = &ty {
        let values: Vec<String> = scope
            .enum_values(expr.leaf().to_string().as_str())
            .into_iter()
            .map(|(v, variant)| format!("`{}` ({variant})", show_yaml(&v)))
            .collect();
        if !values.is_empty() {
            // A type of another module is linked through its path, or rustdoc cannot find it.
            let link = match &p.module {
                Some(m) => format!("[`{}`](super::{m}::{})", p.name, p.name),
                None => format!("[`{}`]", p.name),
            };
            facts.push(format!("One of {} ({link}).", values.join(", ")));
        }
    }
    if let Some(e) = f.encoding {
        facts.push(match e {
            crate::model::EncodingName::Json => {
                "Sent as a JSON string inside its form field.".to_owned()
            }
            crate::model::EncodingName::Comma => "Sent as a comma-joined list.".to_owned(),
            crate::model::EncodingName::Plain => "Sent as plain text.".to_owned(),
        });
    }
    if let Some(ex) = &f.example {
        facts.push(format!("Example: `{}`.", show_yaml(ex)));
    }
    let is_string = matches!(ty, TyIr::Prim(Prim::String));
    FieldIr {
        optional: !f.required && f.default.is_none(),
        in_constructor: f.required && f.default.is_none(),
        non_empty: f.required && is_string && f.min_length.is_none() && f.length.is_none(),
        rust,
        wire: wire.to_owned(),
        ty,
        default,
        doc: paragraphs([f.description.clone().unwrap_or_default(), facts.join(" ")]),
        limits,
    }
}

/// Marks which structs are reachable from requests and from responses.
fn mark_usage(vendor: &mut VendorIr) {
    let mut edges: BTreeMap<(String, String), Vec<(String, String)>> = BTreeMap::new();
    let mut roots_req = Vec::new();
    let mut roots_resp = Vec::new();
    for (mname, m) in &vendor.modules {
        for s in &m.structs {
            let mut out = Vec::new();
            for f in &s.fields {
                collect_structs(&f.ty, mname, &mut out);
            }
            edges.insert((mname.clone(), s.name.clone()), out);
        }
        if let Some(e) = &m.endpoint {
            roots_req.push((mname.clone(), e.request.clone()));
            roots_resp.push((mname.clone(), e.response.clone()));
        }
    }
    let reach = |roots: Vec<(String, String)>| {
        let mut seen = BTreeSet::new();
        let mut stack = roots;
        while let Some(n) = stack.pop() {
            if seen.insert(n.clone()) {
                stack.extend(edges.get(&n).cloned().unwrap_or_default());
            }
        }
        seen
    };
    let req = reach(roots_req);
    let resp = reach(roots_resp);
    for (mname, m) in vendor.modules.iter_mut() {
        for s in m.structs.iter_mut() {
            let key = (mname.clone(), s.name.clone());
            s.usage = Usage {
                request: req.contains(&key),
                response: resp.contains(&key),
            };
            if !s.usage.request && !s.usage.response {
                // A shared type no endpoint uses yet: give it both sides.
                s.usage = Usage {
                    request: true,
                    response: true,
                };
            }
        }
    }
}

fn collect_structs(t: &TyIr, here: &str, out: &mut Vec<(String, String)>) {
    match t {
        TyIr::List(inner) => collect_structs(inner, here, out),
        TyIr::Struct(p) => out.push((
            p.module.clone().unwrap_or_else(|| here.to_owned()),
            p.name.clone(),
        )),
        _ => {}
    }
}
