//! Turns the fields a layout reader found (a tree of nodes with page types and page text) into
//! the endpoint's objects, named types, enums, typed examples and defaults.

use serde_json::Value;

use super::draft::{Endpoint, Field, Limits, Object, Ty, TypeBody, TypeDef};
use super::enums::{self, Glossary, Reading};
use super::page::quote;
use crate::naming;

/// A field as a layout reader found it.
#[derive(Debug, Clone, Default)]
pub struct Node {
    /// Wire name.
    pub wire: String,
    /// The page line it is documented on.
    pub line: usize,
    /// Its type; `None` when the page gives none.
    pub ty: Option<Ty>,
    /// Whether the page marks it required.
    pub required: bool,
    /// Whether the page has a required cell for it.
    pub required_stated: bool,
    /// The example cell, as written.
    pub example: Option<String>,
    /// The description cell.
    pub description: Option<String>,
    /// Limits the page states.
    pub limits: Limits,
    /// A default the page states, as written.
    pub default: Option<String>,
    /// Nested fields (for an object or a list of objects).
    pub children: Vec<Node>,
    /// Guesses already made about it.
    pub reviews: Vec<String>,
}

/// What building needs besides the nodes.
pub struct Build<'a> {
    /// The endpoint whose `types` receive every named type.
    pub endpoint: &'a mut Endpoint,
    /// Names for enum variants.
    pub glossary: &'a Glossary<'a>,
    /// Whether the nodes are request fields (form encodings apply).
    pub request: bool,
}

impl Build<'_> {
    /// The object made of `nodes`.
    pub fn object(&mut self, nodes: Vec<Node>, top: bool) -> Object {
        let mut o = Object::default();
        for n in nodes {
            let f = self.field(n, top);
            o.fields.push(f);
        }
        o
    }

    fn field(&mut self, n: Node, top: bool) -> Field {
        let mut reviews = n.reviews;
        let mut ty = match n.ty {
            Some(t) => t,
            None if !n.children.is_empty() => Ty::Named(String::new()),
            None => {
                let guessed = n
                    .example
                    .as_deref()
                    .map_or(Ty::Prim("string"), guess_from_example);
                reviews.push(format!(
                    "the page gives no type: `{}` guessed from {}",
                    guessed.expr(),
                    match &n.example {
                        Some(x) => format!("the example `{}`", quote(x)),
                        None => "nothing (no example either)".to_owned(),
                    }
                ));
                guessed
            }
        };
        let mut f = Field::new(&n.wire, Ty::Prim("string"), n.line);
        if naming::field_name(&n.wire).is_err() {
            let rust = format!("field_{}", n.line);
            reviews.push(format!(
                "the wire name `{}` is not ASCII: the Rust name `{rust}` is a placeholder",
                n.wire
            ));
            f.rust_name = Some(rust);
        }
        // Objects: a named type of their own, from their children.
        if let Ty::Named(name) = ty.leaf().clone() {
            let name = if name.is_empty() || naming::type_name(&name).is_err() {
                let base =
                    naming::type_name(&n.wire).unwrap_or_else(|_| format!("Field{}", n.line));
                if ty.is_list() {
                    format!("{base}Item")
                } else {
                    base
                }
            } else {
                name
            };
            if n.children.is_empty() {
                reviews.push(format!(
                    "the page lists no fields of `{name}`: check whether it has any"
                ));
            }
            let object = self.object(n.children, false);
            let name = self.define(name, n.description.clone(), object);
            *ty.leaf_mut() = Ty::Named(name);
            if top && self.request && self.endpoint.family.form_body() {
                f.encoding = Some("json");
            }
        } else if !n.children.is_empty() {
            // A scalar with nested rows: the rows say it is an object.
            let name = naming::type_name(&n.wire).unwrap_or_else(|_| format!("Field{}", n.line));
            reviews.push(format!(
                "the page types it `{}` but lists fields under it: made an object `{name}`",
                ty.expr()
            ));
            let object = self.object(n.children, false);
            let name = self.define(name, n.description.clone(), object);
            ty = Ty::Named(name);
            if top && self.request && self.endpoint.family.form_body() {
                f.encoding = Some("json");
            }
        }
        // DingTalk's `Number` is an integer unless the example has a fraction.
        if ty.leaf() == &Ty::Prim("int64") {
            if let Some(x) = n.example.as_deref().map(str::trim) {
                if x.parse::<i64>().is_err() && x.parse::<f64>().is_ok_and(f64::is_finite) {
                    *ty.leaf_mut() = Ty::Prim("number");
                    reviews.push(format!(
                        "the example `{x}` has a fraction: `number` rather than an integer"
                    ));
                }
            }
        }
        // Examples before enums: an enumeration must agree with its example.
        let example = match ty.leaf() {
            Ty::Named(_) => n
                .example
                .as_deref()
                .and_then(|x| serde_json::from_str::<Value>(x).ok())
                .filter(|v| !is_placeholder(v))
                .and_then(|v| coerce(&v, &ty, self.endpoint)),
            _ => n
                .example
                .as_deref()
                .and_then(|x| example_value(x, &ty, &mut reviews)),
        };
        if let (Ty::Prim(p @ ("string" | "int64")), Some(desc)) =
            (ty.leaf().clone(), &n.description)
        {
            let item_example = match &example {
                Some(Value::Array(items)) => items.first(),
                other => other.as_ref(),
            };
            match enums::read(desc, p == "int64", item_example, self.glossary) {
                Reading::Enum {
                    values,
                    reviews: more,
                } => {
                    let base =
                        naming::type_name(&n.wire).unwrap_or_else(|_| format!("Field{}", n.line));
                    let about = enum_about(desc);
                    let name = self.unique(&base);
                    self.endpoint.types.push(TypeDef {
                        name: name.clone(),
                        description: about,
                        body: TypeBody::Enum(values),
                        reviews: more,
                    });
                    *ty.leaf_mut() = Ty::Named(name);
                }
                Reading::Doubtful(why) => reviews.push(why),
                Reading::Plain => {}
            }
        }
        let default = n.default.as_deref().and_then(|d| {
            let v = scalar(d, &ty, self.endpoint);
            if v.is_none() {
                reviews.push(format!(
                    "the page's default `{d}` is not a value of `{}`: not written",
                    ty.expr()
                ));
            }
            v
        });
        if default.is_none() {
            if let Some(d) = n.description.as_deref().filter(|d| d.contains("默认")) {
                reviews.push(format!(
                    "the description speaks of a default (`{}`), which the page does not state \
                     as a limit: none written",
                    quote(d)
                ));
            }
        }
        f.ty = ty;
        f.required = n.required;
        f.required_stated = n.required_stated;
        f.default = default;
        f.example = example;
        f.description = n.description;
        f.limits = n.limits;
        f.reviews = reviews;
        f
    }

    /// Adds the object type `name` (or finds an identical one) and returns the name it got.
    fn define(&mut self, name: String, description: Option<String>, object: Object) -> String {
        if let Some(same) = self
            .endpoint
            .types
            .iter()
            .find(|t| t.name == name && matches!(&t.body, TypeBody::Object(o) if *o == object))
        {
            return same.name.clone();
        }
        let unique = self.unique(&name);
        let mut reviews = Vec::new();
        if unique != name {
            reviews.push(format!(
                "the page names two different shapes `{name}`: this one is `{unique}`"
            ));
        }
        self.endpoint.types.push(TypeDef {
            name: unique.clone(),
            description,
            body: TypeBody::Object(object),
            reviews,
        });
        unique
    }

    /// `base`, or `base2`, `base3`… when the endpoint already has a type of that name (or its
    /// request, response and error-code types would).
    fn unique(&self, base: &str) -> String {
        let taken = |n: &str| {
            let rust = naming::type_name(n).unwrap_or_default();
            let own = naming::type_name(
                self.endpoint
                    .name
                    .as_deref()
                    .unwrap_or(&self.endpoint.module),
            )
            .unwrap_or_default();
            let generated = naming::endpoint_names(&own);
            self.endpoint
                .types
                .iter()
                .any(|t| naming::type_name(&t.name).unwrap_or_default() == rust)
                || [generated.request, generated.response, generated.error_code].contains(&rust)
        };
        if !taken(base) {
            return base.to_owned();
        }
        (2..)
            .map(|i| format!("{base}{i}"))
            .find(|n| !taken(n))
            .unwrap_or_else(|| base.to_owned())
    }
}

/// The words of an enumerated field's description before the enumeration: the enum's own
/// description.
fn enum_about(desc: &str) -> Option<String> {
    let cut = desc
        .find(['.', '。', '(', '（'])
        .map_or(desc, |i| &desc[..i]);
    let cut = cut.trim();
    (super::page::has_cjk(cut) && cut != desc.trim() && !cut.contains([':', '：']))
        .then(|| cut.to_owned())
}

/// `{}`, `[]`, `[{}]`: a container's placeholder, not an example.
fn is_placeholder(v: &Value) -> bool {
    match v {
        Value::Object(o) => o.is_empty(),
        Value::Array(items) => items.iter().all(is_placeholder),
        _ => false,
    }
}

/// An object example with each member as its field's type says (the sample's `123` for a
/// string field is `"123"`); members the type does not have are left out. `None` when a
/// member cannot be a value of its field.
fn coerce(v: &Value, ty: &Ty, e: &Endpoint) -> Option<Value> {
    match (ty, v) {
        (Ty::List(inner), Value::Array(items)) => items
            .iter()
            .map(|i| coerce(i, inner, e))
            .collect::<Option<Vec<_>>>()
            .map(Value::Array),
        (Ty::Named(n), Value::Object(members)) => {
            let TypeBody::Object(o) = &e.type_def(n)?.body else {
                return None;
            };
            let mut out = serde_json::Map::new();
            for f in &o.fields {
                if let Some(m) = members.get(&f.wire) {
                    out.insert(f.wire.clone(), coerce(m, &f.ty, e)?);
                }
            }
            Some(Value::Object(out))
        }
        (Ty::Named(n), scalar) => match &e.type_def(n)?.body {
            TypeBody::Enum(values) => values
                .iter()
                .any(|x| x.value == *scalar)
                .then(|| scalar.clone()),
            TypeBody::Object(_) => None,
        },
        (Ty::Prim("string"), Value::String(_)) => Some(v.clone()),
        (Ty::Prim("string"), Value::Number(n)) => Some(Value::String(n.to_string())),
        (Ty::Prim("int64"), Value::Number(n)) if n.is_i64() => Some(v.clone()),
        (Ty::Prim("int64"), Value::String(s)) => s.parse::<i64>().ok().map(Value::from),
        (Ty::Prim("number"), Value::Number(_)) => Some(v.clone()),
        (Ty::Prim("bool"), Value::Bool(_)) => Some(v.clone()),
        _ => None,
    }
}

/// The type an example suggests.
pub fn guess_from_example(x: &str) -> Ty {
    match serde_json::from_str::<Value>(x.trim()) {
        Ok(Value::Bool(_)) => Ty::Prim("bool"),
        Ok(Value::Number(n)) if n.is_i64() => Ty::Prim("int64"),
        Ok(Value::Number(_)) => Ty::Prim("number"),
        Ok(Value::Array(items)) => {
            Ty::List(Box::new(items.first().map_or(Ty::Prim("string"), |i| {
                guess_from_example(&i.to_string())
            })))
        }
        _ => Ty::Prim("string"),
    }
}

/// A scalar page value typed as `ty` (enums by their values).
fn scalar(text: &str, ty: &Ty, e: &Endpoint) -> Option<Value> {
    let text = text.trim();
    let unquoted = serde_json::from_str::<String>(text).unwrap_or_else(|_| text.to_owned());
    match ty {
        Ty::Prim("string") => Some(Value::String(unquoted)),
        Ty::Prim("int64") => text.parse::<i64>().ok().map(Value::from),
        Ty::Prim("number") => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number),
        Ty::Prim("bool") => match text {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        Ty::Named(n) => match &e.type_def(n)?.body {
            TypeBody::Enum(values) => values
                .iter()
                .find(|v| match &v.value {
                    Value::String(s) => *s == unquoted,
                    other => other.as_i64().is_some_and(|n| text.parse() == Ok(n)),
                })
                .map(|v| v.value.clone()),
            TypeBody::Object(_) => None,
        },
        _ => None,
    }
}

/// The page's example typed as `ty`; `None` (with a comment) when it is not a value of it.
/// Placeholders of containers (`{}`, `[]`) are not examples.
pub fn example_value(text: &str, ty: &Ty, reviews: &mut Vec<String>) -> Option<Value> {
    let text = text.trim();
    if text.is_empty() || text == "{}" || text == "[]" || text.chars().all(|c| c == '·' || c == '.')
    {
        return None;
    }
    let refuse = |reviews: &mut Vec<String>| {
        reviews.push(format!(
            "the page's example `{}` is not a `{}`: not written",
            quote(text),
            ty.expr()
        ));
        None
    };
    match ty {
        Ty::Named(_) => None,
        Ty::List(inner) => {
            if matches!(inner.leaf(), Ty::Named(_)) {
                return None;
            }
            let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) else {
                return refuse(reviews);
            };
            let mut out = Vec::new();
            for i in items {
                let shown = match &i {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                match example_value(&shown, inner, reviews) {
                    Some(v) => out.push(v),
                    None => return None,
                }
            }
            Some(Value::Array(out))
        }
        Ty::Prim("string") => Some(Value::String(
            serde_json::from_str::<String>(text).unwrap_or_else(|_| text.to_owned()),
        )),
        Ty::Prim("int64") => match text.parse::<i64>() {
            Ok(v) => Some(Value::from(v)),
            Err(_) => refuse(reviews),
        },
        Ty::Prim("number") => match text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
        {
            Some(n) => Some(Value::Number(n)),
            None => refuse(reviews),
        },
        Ty::Prim("bool") => match text {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            "1" | "0" => {
                reviews.push(format!(
                    "the page writes the boolean example as `{text}`: written as {}",
                    text == "1"
                ));
                Some(Value::Bool(text == "1"))
            }
            _ => refuse(reviews),
        },
        _ => None,
    }
}
