//! Builders of the types that are sent: `Type::builder()`, one setter per field, `.build()`.
//!
//! The builder has one type parameter per required field, `Unset` until its setter is
//! called and the field's value after (`client_runtime::builder`). A required setter asks its
//! parameter to be unset, so a field cannot be given twice, and `build()` asks every parameter
//! to be set, so leaving a required field out does not compile; the parameters are named after
//! their fields (`__StartYear`), so the error names the one missing. The bounds are on the
//! methods, not on their impl, so that rustc reports the runtime traits' messages.
//! Optional fields are `Option`s of the builder with a setter taking the value and a `maybe_`
//! setter taking the `Option`; defaulted fields start at their default and have the same two
//! setters (`None` keeps the default). `String` setters take `impl Into<String>`.
//!
//! Written here instead of derived: a builder derive (bon's) writes a state type and trait impls
//! per field and doubled what rustc expanded for a crate of sent types; these builders are the
//! struct and one impl of its setters and `build()` (BENCHMARKS.md).

use super::text::{Code, List, RustType, Value};
use crate::ir::{FieldIr, StructIr, TyIr};
use crate::naming;
use crate::typeexpr::Prim;

/// `builder()` on the type, the builder struct, its setters and its `build()`, written to
/// `code`; `runtime` is the path the runtime is named by.
pub fn builder_items(s: &StructIr, runtime: &str, code: &mut Code) {
    let name = &s.name;
    let builder = naming::builder_name(name);
    let required: Vec<&FieldIr> = s.fields.iter().filter(|f| is_required(f)).collect();
    let names: Vec<&str> = required.iter().map(|f| f.rust.as_str()).collect();
    let params = naming::builder_params(&names);
    let generics = angle(params.iter());
    let unset = format!("{runtime}::builder::Unset");
    let unsets = angle(required.iter().map(|_| &unset));

    let mut param_of: Vec<Option<&str>> = Vec::new();
    let mut next = params.iter();
    for f in &s.fields {
        param_of.push(if is_required(f) {
            next.next().map(String::as_str)
        } else {
            None
        });
    }
    let fields = || s.fields.iter().zip(param_of.iter().copied());
    fn ty<'a>(f: &'a FieldIr, runtime: &'a str) -> RustType<'a> {
        RustType { ty: &f.ty, runtime }
    }

    code.open(format_args!("impl {name} {{"));
    code.doc(&format!(
        "A builder of `{name}` with no field set yet and defaulted fields at their default."
    ));
    code.line("#[inline]");
    code.open(format_args!("pub fn builder() -> {builder}{unsets} {{"));
    fields_block(code, &builder, fields(), |code, f, p| {
        match (p, &f.default) {
            (Some(_), _) => code.line(format_args!("{}: {unset},", f.rust)),
            (None, Some(d)) => code.line(format_args!("{}: {},", f.rust, Value(d))),
            (None, None) => code.line(format_args!("{}: None,", f.rust)),
        }
    });
    code.close("}");
    code.close("}");

    code.doc(&format!(
        "The builder of [`{name}`]: one setter per field; `build()` compiles once every required field is set."
    ));
    code.line("#[must_use = \"a builder does nothing until `build()` is called\"]");
    let head = format!("pub struct {builder}{generics}");
    fields_block(code, &head, fields(), |code, f, p| match p {
        Some(p) => code.line(format_args!("{}: {p},", f.rust)),
        None if f.optional => code.line(format_args!("{}: Option<{}>,", f.rust, ty(f, runtime))),
        None => code.line(format_args!("{}: {},", f.rust, ty(f, runtime))),
    });

    code.open(format_args!("impl{generics} {builder}{generics} {{"));
    for (f, p) in fields() {
        match p {
            Some(p) => required_setter(code, s, f, p, &builder, &params, runtime),
            None => optional_setters(code, s, f, runtime),
        }
    }
    code.doc(&format!("The `{name}` of the fields set."));
    code.line("#[inline]");
    code.open_where(
        format_args!("pub fn build(self) -> {name}"),
        required
            .iter()
            .zip(&params)
            .map(|(f, p)| format!("{p}: {runtime}::builder::IsSet<{}>", ty(f, runtime))),
    );
    fields_block(code, name, fields(), |code, f, p| match p {
        Some(_) => code.line(format_args!(
            "{0}: {runtime}::builder::IsSet::into_value(self.{0}),",
            f.rust
        )),
        None => code.line(format_args!("{0}: self.{0},", f.rust)),
    });
    code.close("}");
    code.close("}");
}

/// `head { ... }` (a struct or a struct literal) with a line per field written by `field`, or
/// `head {}` without fields.
fn fields_block<'f>(
    code: &mut Code,
    head: &str,
    fields: impl Iterator<Item = (&'f FieldIr, Option<&'f str>)>,
    field: impl Fn(&mut Code, &FieldIr, Option<&str>),
) {
    let mut fields = fields.peekable();
    if fields.peek().is_none() {
        code.line(format_args!("{head} {{}}"));
        return;
    }
    code.open(format_args!("{head} {{"));
    for (f, p) in fields {
        field(code, f, p);
    }
    code.close("}");
}

/// A field that must be given: not optional and without a default.
fn is_required(f: &FieldIr) -> bool {
    !f.optional && f.default.is_none()
}

/// `<A, B>`, or nothing for no parameters.
fn angle<T: std::fmt::Display>(items: impl Iterator<Item = T> + Clone) -> String {
    if items.clone().next().is_none() {
        return String::new();
    }
    format!("<{}>", List(items))
}

/// The setter's parameter type and the expression turning the parameter `value` into the
/// field's type: `impl Into<String>` and `value.into()` for text.
fn takes(f: &FieldIr, runtime: &str) -> (String, &'static str) {
    if f.ty == TyIr::Prim(Prim::String) {
        ("impl Into<String>".to_owned(), "value.into()")
    } else {
        (RustType { ty: &f.ty, runtime }.to_string(), "value")
    }
}

/// The setter of a required field: the builder's parameter for it goes from unset to set.
fn required_setter(
    code: &mut Code,
    s: &StructIr,
    f: &FieldIr,
    p: &str,
    builder: &str,
    params: &[String],
    runtime: &str,
) {
    let ty = RustType { ty: &f.ty, runtime }.to_string();
    let (arg, conv) = takes(f, runtime);
    let after = params
        .iter()
        .map(|q| if q == p { ty.as_str() } else { q.as_str() });
    code.doc(&format!("Sets [`{}::{}`] (required).", s.name, f.rust));
    code.line("#[inline]");
    code.open_where(
        format_args!(
            "pub fn {}(self, value: {arg}) -> {builder}<{}>",
            f.rust,
            List(after)
        ),
        [format_args!("{p}: {runtime}::builder::IsUnset")],
    );
    code.open(format_args!("{builder} {{"));
    for g in &s.fields {
        if std::ptr::eq(g, f) {
            code.line(format_args!("{}: {conv},", g.rust));
        } else {
            code.line(format_args!("{0}: self.{0},", g.rust));
        }
    }
    code.close("}");
    code.close("}");
}

/// The two setters of an optional or defaulted field: `x(value)` and `maybe_x(option)`.
fn optional_setters(code: &mut Code, s: &StructIr, f: &FieldIr, runtime: &str) {
    let n = &f.rust;
    let (arg, conv) = takes(f, runtime);
    let text = f.ty == TyIr::Prim(Prim::String);
    let (set, set_maybe, doc, maybe_doc) = match &f.default {
        None => (
            format!("Some({conv})"),
            if text {
                "value.map(Into::into)".to_owned()
            } else {
                "value".to_owned()
            },
            format!("Sets [`{}::{n}`].", s.name),
            format!("Sets [`{}::{n}`], or leaves it absent with `None`.", s.name),
        ),
        Some(d) => {
            let d = Value(d);
            (
                conv.to_owned(),
                if text {
                    format!("value.map_or_else(|| {d}, Into::into)")
                } else {
                    format!("value.unwrap_or({d})")
                },
                format!("Sets [`{}::{n}`] instead of its default.", s.name),
                format!(
                    "Sets [`{}::{n}`], or leaves it at its default with `None`.",
                    s.name
                ),
            )
        }
    };
    let field = &f.rust;
    setter(code, &doc, field, field, &arg, &set);
    let arg = format!("Option<{arg}>");
    setter(
        code,
        &maybe_doc,
        &format!("maybe_{field}"),
        field,
        &arg,
        &set_maybe,
    );
}

/// `fn name(mut self, value: arg) -> Self` setting `field` to `value`, documented.
fn setter(code: &mut Code, doc: &str, name: &str, field: &str, arg: &str, value: &str) {
    code.doc(doc);
    code.line("#[inline]");
    code.open(format_args!(
        "pub fn {name}(mut self, value: {arg}) -> Self {{"
    ));
    code.line(format_args!("self.{field} = {value};"));
    code.line("self");
    code.close("}");
}
