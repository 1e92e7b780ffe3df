//! Lowers the resolved model into the IR: paths made relative to the module that uses them,
//! documentation composed from the spec's words and limits, and which way each type travels.
//!
//! Everything was checked and resolved before; nothing here can fail or fall back.

use std::collections::{BTreeMap, BTreeSet};

use crate::docs::{limit_words, paragraphs};
use crate::ir::*;
use crate::model::{EncodingName, SeverityName};
use crate::naming;
use crate::resolved::{
    self, About, Check, Enum, EnumValues, Field, FieldPath, Group, Model, Module, Object,
    PageField, PageStyle, Pagination, Role, Rule, Test, Ty, TypeRef, Value,
};
use crate::typeexpr::Prim;

/// Lowers the resolved model into the IR.
pub fn lower(model: &Model) -> Ir {
    let mut ir = Ir::default();
    for vendor in model.vendors.values() {
        let enums: BTreeMap<TypeRef, &Enum> = vendor
            .modules
            .values()
            .flat_map(|m| {
                m.enums.iter().map(|e| {
                    let at = TypeRef {
                        module: m.name.clone(),
                        rust: e.rust.clone(),
                    };
                    (at, e)
                })
            })
            .collect();
        let mut out = VendorIr {
            name: vendor.name.clone(),
            family: vendor.family,
            modules: BTreeMap::new(),
        };
        let objects: BTreeMap<TypeRef, &Object> = vendor
            .modules
            .values()
            .flat_map(|m| {
                m.objects.iter().map(|o| {
                    let at = TypeRef {
                        module: m.name.clone(),
                        rust: o.rust.clone(),
                    };
                    (at, o)
                })
            })
            .collect();
        // Modules are lowered independently, on every core; the map orders them.
        let modules: Vec<_> = vendor.modules.values().collect();
        let lowered = crate::parallel::map_chunks(&modules, |chunk| {
            chunk
                .iter()
                .map(|m| {
                    let scope = Scope {
                        module: &m.name,
                        enums: &enums,
                        objects: &objects,
                    };
                    (m.name.clone(), scope.module(m))
                })
                .collect()
        });
        out.modules.extend(lowered);
        mark_usage(&mut out);
        ir.vendors.insert(vendor.name.clone(), out);
    }
    ir
}

/// What lowering one module needs: its name, and every enum and object of its vendor.
struct Scope<'a> {
    module: &'a str,
    enums: &'a BTreeMap<TypeRef, &'a Enum>,
    objects: &'a BTreeMap<TypeRef, &'a Object>,
}

impl Scope<'_> {
    fn path_to(&self, r: &TypeRef) -> TypePath {
        TypePath {
            module: (r.module != self.module).then(|| r.module.clone()),
            name: r.rust.clone(),
        }
    }

    fn ty(&self, t: &Ty) -> TyIr {
        match t {
            Ty::Prim(p) => TyIr::Prim(*p),
            Ty::File => TyIr::File,
            Ty::List(inner) => TyIr::List(Box::new(self.ty(inner))),
            Ty::Object(r) => TyIr::Struct(self.path_to(r)),
            Ty::Enum(r, repr) => TyIr::Enum(self.path_to(r), *repr),
        }
    }

    /// An object as the spec's examples describe it, as JSON: each field's example; a
    /// required field without one gets its default, or a plain value of its type, so the whole
    /// decodes as the type.
    fn example(&self, o: &Object) -> serde_json::Value {
        let mut map = serde_json::Map::new();
        for f in &o.fields {
            let value = match (&f.example, &f.default) {
                (Some(ex), _) => Some(ex.json.clone()),
                (None, Some(d)) => Some(json_of(d.wire())),
                (None, None) => match &f.ty {
                    // An optional object appears when its own fields give examples.
                    Ty::Object(r) if f.optional() => Some(self.object_example(r))
                        .filter(|v| v.as_object().is_some_and(|m| !m.is_empty())),
                    _ if f.optional() => None,
                    ty => Some(self.plain(ty)),
                },
            };
            if let Some(value) = value {
                map.insert(f.wire.clone(), value);
            }
        }
        serde_json::Value::Object(map)
    }

    /// A request object built from its fields' examples: every required field (its example,
    /// or a plain value of its type) and every optional one with an example; defaulted fields
    /// only when their example differs from the default; an optional object (or list of them)
    /// when it has any field to show. `within` holds the types being built, so that a type
    /// holding itself through a list shows that list empty.
    fn example_value(&self, o: &Object, path: TypePath, within: &mut Vec<TypeRef>) -> ExampleIr {
        let fields = o
            .fields
            .iter()
            .filter_map(|f| {
                let value = match (f.ty.leaf(), &f.example) {
                    // Objects are built from their own fields' examples.
                    (Ty::Object(_), _) => {
                        let nested = self.plain_value(&f.ty, within);
                        (!f.optional() || shows_something(&nested)).then_some(nested)?
                    }
                    (_, Some(ex)) => {
                        if f.default
                            .as_ref()
                            .is_some_and(|d| json_of(d.wire()) == ex.json)
                        {
                            return None;
                        }
                        self.example_of(&f.ty, &ex.json, within)
                    }
                    (_, None) if f.optional() || f.default.is_some() => return None,
                    (_, None) => self.plain_value(&f.ty, within),
                };
                Some((f.rust.clone(), value))
            })
            .collect();
        ExampleIr::Object(path, fields)
    }

    fn object_example_value(&self, r: &TypeRef, within: &mut Vec<TypeRef>) -> ExampleIr {
        let o = self
            .objects
            .get(r)
            .expect("every object a field names is resolved with its vendor");
        within.push(r.clone());
        let value = self.example_value(o, self.path_to(r), within);
        within.pop();
        value
    }

    /// The example `json` (checked against the type when the specs were read) as a value of `ty`.
    fn example_of(
        &self,
        ty: &Ty,
        json: &serde_json::Value,
        within: &mut Vec<TypeRef>,
    ) -> ExampleIr {
        if let Some(empty) = self_holding_list(ty, within) {
            return empty;
        }
        use serde_json::Value as J;
        let literal = match (ty, json) {
            (Ty::List(inner), J::Array(items)) => {
                return ExampleIr::List(
                    items
                        .iter()
                        .map(|i| self.example_of(inner, i, within))
                        .collect(),
                )
            }
            (Ty::List(_), _) => return ExampleIr::List(vec![]),
            (Ty::File, _) => return self.plain_value(ty, within),
            (Ty::Prim(Prim::String), J::String(s)) => Literal::Str(s.clone()),
            (Ty::Prim(Prim::String), other) => Literal::Str(other.to_string()),
            (Ty::Prim(Prim::Int32 | Prim::Int64), J::Number(n)) if n.is_i64() => {
                Literal::Int(n.as_i64().unwrap_or_default())
            }
            (Ty::Prim(Prim::Number), J::Number(n)) => {
                Literal::Float(n.as_f64().unwrap_or_default())
            }
            (Ty::Prim(Prim::Bool), J::Bool(b)) => Literal::Bool(*b),
            (Ty::Enum(r, _), value) => {
                let e = self
                    .enums
                    .get(r)
                    .expect("every enum a field names is resolved with its vendor");
                let values = e.values.each();
                let (variant, _) = values
                    .iter()
                    .find(|(_, v)| json_of(v) == *value)
                    .or(values.first())
                    .expect("an enum has at least one value");
                Literal::Variant(self.path_to(r), (*variant).to_owned())
            }
            _ => return self.plain_value(ty, within),
        };
        ExampleIr::Value(literal)
    }

    /// A plain value of a type, for a required request field the spec gives no example of.
    fn plain_value(&self, ty: &Ty, within: &mut Vec<TypeRef>) -> ExampleIr {
        if let Some(empty) = self_holding_list(ty, within) {
            return empty;
        }
        match ty {
            Ty::Prim(Prim::String) => ExampleIr::Value(Literal::Str(String::new())),
            Ty::Prim(Prim::Bool) => ExampleIr::Value(Literal::Bool(false)),
            Ty::Prim(Prim::Int32 | Prim::Int64) => ExampleIr::Value(Literal::Int(0)),
            Ty::Prim(Prim::Number) => ExampleIr::Value(Literal::Float(0.0)),
            // One item shows a list of objects; a list of anything else starts empty.
            Ty::List(inner) if matches!(**inner, Ty::Object(_)) => {
                ExampleIr::List(vec![self.plain_value(inner, within)])
            }
            Ty::List(_) => ExampleIr::List(vec![]),
            Ty::File => ExampleIr::File("file.bin".to_owned()),
            Ty::Object(r) => self.object_example_value(r, within),
            Ty::Enum(..) => self.example_of(ty, &serde_json::Value::Null, within),
        }
    }

    fn object_example(&self, r: &TypeRef) -> serde_json::Value {
        let o = self
            .objects
            .get(r)
            .expect("every object a field names is resolved with its vendor");
        self.example(o)
    }

    /// A plain value of a type, for a required field the spec gives no example of.
    fn plain(&self, ty: &Ty) -> serde_json::Value {
        use serde_json::json;
        match ty {
            Ty::Prim(Prim::String) => json!(""),
            Ty::Prim(Prim::Bool) => json!(false),
            Ty::Prim(Prim::Int32 | Prim::Int64) => json!(0),
            Ty::Prim(Prim::Number) => json!(0.0),
            Ty::List(_) | Ty::File => json!([]),
            Ty::Object(r) => self.object_example(r),
            Ty::Enum(r, _) => {
                let e = self
                    .enums
                    .get(r)
                    .expect("every enum a field names is resolved with its vendor");
                match e.values.each().first() {
                    Some((_, v)) => json_of(v),
                    None => unreachable!("an enum has at least one value"),
                }
            }
        }
    }

    fn pagination(&self, p: &Pagination, method: &str) -> PaginationIr {
        let steps = |path: &FieldPath| -> Vec<PathStep> {
            path.steps
                .iter()
                .map(|(rust, optional)| PathStep {
                    rust: rust.clone(),
                    optional: *optional,
                })
                .collect()
        };
        let field = |f: &PageField| PageFieldIr {
            rust: f.rust.clone(),
            prim: f.prim,
            optional: f.optional,
        };
        let style = match &p.style {
            PageStyle::Cursor {
                cursor,
                next_cursor,
            } => PageStyleIr::Cursor {
                cursor: field(cursor),
                next_cursor: steps(next_cursor),
                next_prim: match next_cursor.ty {
                    Ty::Prim(prim) => prim,
                    _ => unreachable!("a next cursor is checked to be a scalar"),
                },
            },
            PageStyle::Offset { offset, size } => PageStyleIr::Offset {
                offset: field(offset),
                size: size.as_ref().map(field),
            },
        };
        let item = match &p.items.ty {
            Ty::List(inner) => self.ty(inner),
            _ => unreachable!("items are checked to be a list"),
        };
        PaginationIr {
            style,
            items: steps(&p.items),
            item,
            has_more: p.has_more.as_ref().map(steps),
            pages_method: naming::pages_method(method),
            items_method: naming::items_method(method),
        }
    }

    fn literal(&self, v: &Value) -> Literal {
        match v {
            Value::Str(s) => Literal::Str(s.clone()),
            Value::Int(i) => Literal::Int(*i),
            Value::Float(f) => Literal::Float(*f),
            Value::Bool(b) => Literal::Bool(*b),
            Value::Variant(r, variant, _) => Literal::Variant(self.path_to(r), variant.clone()),
        }
    }

    fn value(&self, v: &Value) -> ValueIr {
        ValueIr {
            rust: self.literal(v),
            wire: self.literal(v.wire()),
        }
    }

    fn module(&self, m: &Module) -> ModuleIr {
        let api = m.endpoint.as_ref().map(|e| e.api.as_str());
        let error_codes = m.errors.as_ref().map(|t| ErrorCodesIr {
            name: t.rust.clone(),
            codes: t
                .codes
                .iter()
                .map(|c| ErrorCodeIr {
                    code: c.code,
                    variant: c.variant.clone(),
                    meaning: c.meaning.clone(),
                    kind: c.kind,
                })
                .collect(),
        });
        let endpoint = m.endpoint.as_ref().map(|e| {
            let request = m
                .objects
                .iter()
                .find(|o| o.role == Role::Request)
                .expect("an endpoint's request is resolved with it");
            let fields = &request.fields;
            EndpointIr {
                api: e.api.clone(),
                title: e.title.clone(),
                protocol: e.protocol,
                method: e.method,
                route: e.route.clone(),
                request: e.request.clone(),
                response: e.response.clone(),
                method_name: e.method_name.clone(),
                encodings: fields
                    .iter()
                    .filter_map(|f| f.encoding.map(|enc| (f.wire.clone(), enc)))
                    .collect(),
                files: fields
                    .iter()
                    .filter(|f| f.ty == Ty::File)
                    .map(Field::reference)
                    .collect(),
                example_response: self
                    .example(
                        m.objects
                            .iter()
                            .find(|o| o.role == Role::Response)
                            .expect("an endpoint's response is resolved with it"),
                    )
                    .to_string(),
                example_request: self.example_value(
                    request,
                    TypePath {
                        module: None,
                        name: e.request.clone(),
                    },
                    &mut Vec::new(),
                ),
                pagination: e
                    .pagination
                    .as_ref()
                    .map(|p| self.pagination(p, &e.method_name)),
            }
        });
        ModuleIr {
            name: m.name.clone(),
            source: m.source.clone(),
            doc: module_doc(&m.about, m.endpoint.as_ref(), &m.name),
            endpoint,
            structs: m.objects.iter().map(|o| self.object(o, api)).collect(),
            enums: m.enums.iter().map(enum_ir).collect(),
            error_codes,
            provided_by: None,
        }
    }

    fn object(&self, o: &Object, api: Option<&str>) -> StructIr {
        let default = match (&o.role, api) {
            (Role::Request, Some(api)) => format!(
                "Request of `{api}`. Credentials of the protocol family are added by the client."
            ),
            (Role::Response, Some(api)) => {
                format!("Response of `{api}`, inside the protocol family's envelope.")
            }
            (Role::Named(name), _) => format!("The spec's type `{name}`."),
            _ => String::new(),
        };
        let mut doc = match (&o.description, &o.role) {
            (Some(d), Role::Named(_)) => d.clone(),
            (d, _) => paragraphs([d.clone().unwrap_or_default(), default]),
        };
        let rules: Vec<RuleIr> = o.rules.iter().map(|r| self.rule(r)).collect();
        let groups: Vec<GroupIr> = o.groups.iter().map(group).collect();
        if !rules.is_empty() || !groups.is_empty() {
            let listed: Vec<String> = o
                .rules
                .iter()
                .zip(&rules)
                .map(|(r, ir)| (r.description.as_deref(), &ir.text, r.severity))
                .chain(
                    o.groups
                        .iter()
                        .zip(&groups)
                        .map(|(g, ir)| (g.description.as_deref(), &ir.text, g.severity)),
                )
                .map(|(description, text, severity)| {
                    let sev = match severity {
                        SeverityName::Error => "error",
                        SeverityName::Warning => "warning",
                    };
                    format!("- {} ({sev})", description.map(str::trim).unwrap_or(text))
                })
                .collect();
            doc = paragraphs([
                doc,
                format!("Rules checked by `validate()`:\n\n{}", listed.join("\n")),
            ]);
        }
        StructIr {
            name: o.rust.clone(),
            doc,
            fields: o.fields.iter().map(|f| self.field(f)).collect(),
            rules,
            groups,
            item_result: o.item_result.as_ref().map(|r| ItemResultIr {
                code_field: r.code.rust.clone(),
                code_optional: r.code.optional,
                code_i32: r.code_i32,
                message_field: r.message.rust.clone(),
                message_optional: r.message.optional,
                code_type: TypePath {
                    module: None,
                    name: r.code_type.clone(),
                },
            }),
            usage: Usage::default(),
        }
    }

    fn rule(&self, r: &Rule) -> RuleIr {
        let field = &r.when.wire;
        let cond = match &r.test {
            Test::Equals(v) => format!("when `{field}` is {}", shown(v)),
            Test::NotEquals(v) => format!("when `{field}` is not {}", shown(v)),
            Test::In(vs) => {
                let vs: Vec<String> = vs.iter().map(shown).collect();
                format!("when `{field}` is one of {}", vs.join(", "))
            }
            Test::Present => format!("when `{field}` is set"),
            Test::Absent => format!("when `{field}` is not set"),
        };
        let (what, check) = match &r.check {
            Check::MaxItems { field, max } => (
                format!("at most {max} items"),
                RuleCheckIr::MaxItems {
                    field: field.clone(),
                    max: *max,
                },
            ),
            Check::Presence {
                list,
                field,
                absent,
            } => (
                if *absent {
                    "should be absent"
                } else {
                    "must be present"
                }
                .to_owned(),
                RuleCheckIr::Presence {
                    list: list.clone(),
                    field: field.clone(),
                    absent: *absent,
                },
            ),
        };
        let text = match &r.description {
            Some(d) => format!("{what} {cond} ({})", d.trim()),
            None => format!("`{}` {what} {cond}", check_field(&check)),
        };
        RuleIr {
            when: r.when.clone(),
            test: match &r.test {
                Test::Equals(v) => TestIr::Equals(self.value(v)),
                Test::NotEquals(v) => TestIr::NotEquals(self.value(v)),
                Test::In(vs) => TestIr::In(vs.iter().map(|v| self.value(v)).collect()),
                Test::Present => TestIr::Present,
                Test::Absent => TestIr::Absent,
            },
            check,
            severity: r.severity,
            text,
        }
    }

    fn field(&self, f: &Field) -> FieldIr {
        let ty = self.ty(&f.ty);
        let mut facts = Vec::new();
        if f.rust != f.wire {
            facts.push(format!("Wire name: `{}`.", f.wire));
        }
        facts.push(match (&f.default, f.required) {
            (Some(d), _) => format!("Defaults to `{}`.", shown_bare(d)),
            (None, true) => "Required.".to_owned(),
            (None, false) => "Optional.".to_owned(),
        });
        facts.extend(limit_words(&f.limits));
        if let (TyIr::Enum(p, _), Ty::Enum(r, _)) = (ty.leaf(), f.ty.leaf()) {
            let e = self
                .enums
                .get(r)
                .expect("every enum a field names is resolved with its vendor");
            let values: Vec<String> = e
                .values
                .each()
                .into_iter()
                .map(|(variant, value)| format!("`{}` ({variant})", shown_bare(&value)))
                .collect();
            let link = naming::doc_link(p.module.as_deref(), &p.name);
            facts.push(format!("One of {} ({link}).", values.join(", ")));
        }
        if f.ty == Ty::File {
            facts.push("Sent as a file part of a `multipart/form-data` body.".to_owned());
        }
        if let Some(e) = f.encoding {
            facts.push(
                match e {
                    EncodingName::Json => "Sent as a JSON string inside its form field.",
                    EncodingName::Comma => "Sent as a comma-joined list.",
                    EncodingName::Plain => "Sent as plain text.",
                }
                .to_owned(),
            );
        }
        if let Some(ex) = &f.example {
            facts.push(format!("Example: `{}`.", ex.text));
        }
        let l = &f.limits;
        FieldIr {
            optional: f.optional(),
            in_constructor: f.required && f.default.is_none(),
            non_empty: f.non_empty(),
            rust: f.rust.clone(),
            wire: f.wire.clone(),
            default: f.default.as_ref().map(|d| self.literal(d)),
            doc: paragraphs([f.description.clone().unwrap_or_default(), facts.join(" ")]),
            limits: l.clone(),
            ty,
        }
    }
}

/// The field a rule's check names, as its message shows it.
fn check_field(c: &RuleCheckIr) -> String {
    match c {
        RuleCheckIr::MaxItems { field, .. } => field.wire.clone(),
        RuleCheckIr::Presence {
            list: Some(list),
            field,
            ..
        } => format!("{}[].{}", list.wire, field.wire),
        RuleCheckIr::Presence { field, .. } => field.wire.clone(),
    }
}

fn group(g: &Group) -> GroupIr {
    let names: Vec<String> = g.fields.iter().map(|f| format!("`{}`", f.wire)).collect();
    let what = match g.kind {
        resolved::GroupKind::AtMostOne => "at most one of",
        resolved::GroupKind::AtLeastOne => "at least one of",
        resolved::GroupKind::ExactlyOne => "exactly one of",
    };
    let own = format!("{what} {} must be set", names.join(", "));
    GroupIr {
        kind: g.kind,
        fields: g.fields.clone(),
        severity: g.severity,
        text: match &g.description {
            Some(d) => format!("{own} ({})", d.trim()),
            None => own,
        },
    }
}

/// A typed spec value as JSON (an enum's wire value).
fn json_of(v: &Value) -> serde_json::Value {
    match v {
        Value::Str(s) => serde_json::json!(s),
        Value::Int(i) => serde_json::json!(i),
        Value::Float(f) => serde_json::json!(f),
        Value::Bool(b) => serde_json::json!(b),
        Value::Variant(_, _, wire) => json_of(wire),
    }
}

/// A value as documentation shows it: `2`, `"小学"`.
fn shown(v: &Value) -> String {
    shown_bare(v.wire())
}

fn shown_bare(v: &Value) -> String {
    json_of(v).to_string()
}

fn enum_ir(e: &Enum) -> EnumIr {
    fn variants<T: Clone>(
        vs: &[resolved::Variant<T>],
        shown: impl Fn(&T) -> String,
    ) -> Vec<VariantIr<T>> {
        vs.iter()
            .map(|v| VariantIr {
                name: v.rust.clone(),
                value: v.value.clone(),
                doc: paragraphs([
                    format!("`{}`", shown(&v.value)),
                    v.description.clone().unwrap_or_default(),
                ]),
            })
            .collect()
    }
    EnumIr {
        name: e.rust.clone(),
        doc: paragraphs([
            e.description.clone().unwrap_or_else(|| e.spec_name.clone()),
            "Values the spec does not list are kept as `Unknown` when reading a response; \
             `validate()` refuses them in a request. The spec may list more values later: match \
             with a wildcard arm; `TryFrom` accepts only the values listed here."
                .to_owned(),
        ]),
        values: match &e.values {
            EnumValues::Str(vs) => {
                EnumValuesIr::Str(variants(vs, |s| shown_bare(&Value::Str(s.clone()))))
            }
            EnumValues::Int(vs) => EnumValuesIr::Int(variants(vs, |i| i.to_string())),
        },
    }
}

fn module_doc(about: &About, endpoint: Option<&resolved::Endpoint>, module: &str) -> String {
    let notes = about.notes.clone().unwrap_or_default();
    match endpoint {
        Some(e) => paragraphs([
            format!("{} (`{}`)", e.title, e.api),
            about.description.clone().unwrap_or_default(),
            about
                .docs
                .as_ref()
                .map(|d| format!("Vendor documentation: <{d}>"))
                .unwrap_or_default(),
            notes,
        ]),
        None => paragraphs([
            about.description.clone().unwrap_or_else(|| {
                format!("Types shared by the specs of this vendor (`{module}`).")
            }),
            notes,
        ]),
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

/// Whether an example value shows any field: an object with one, or a list of such.
fn shows_something(e: &ExampleIr) -> bool {
    match e {
        ExampleIr::Object(_, fields) => !fields.is_empty(),
        ExampleIr::List(items) => items.iter().any(shows_something),
        ExampleIr::Value(_) | ExampleIr::File(_) => true,
    }
}

/// An empty list for a list (of lists) of an object being built already: a type that holds
/// itself through a list shows the list empty at the second level.
fn self_holding_list(ty: &Ty, within: &[TypeRef]) -> Option<ExampleIr> {
    match (ty, ty.leaf()) {
        (Ty::List(_), Ty::Object(r)) if within.contains(r) => Some(ExampleIr::List(vec![])),
        _ => None,
    }
}
