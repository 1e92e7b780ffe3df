//! Object types: structs with serde wire names, a builder for the types that are sent, and a
//! `new` where it cannot be misused (at most one required field).
//!
//! The builder ([`builder`](super::builder)) is a typestate in which leaving out a required field
//! or giving one twice is a compile error. It adds code rustc checks per type, so types only
//! received, which users build only in tests, have none: a struct literal names every field as
//! well, and `..Default::default()` fills the rest of one without required fields.
//!
//! Serde follows the direction a type travels. A request type derives `Serialize`; a response
//! type gets the compact, tolerant `Deserialize` impl of [`decode`](super::decode) instead of a
//! derived one. The other direction is derived only with the [`SERDE_BOTH_FEATURE`] feature of
//! the crate holding the generated code (for tests and logging that round-trip values): serde
//! code is most of what rustc compiles in the generated crate, and half of it is never used.

use proc_macro2::TokenStream;
use quote::quote;

use super::text::{Code, List, RustType, Value};
use super::ty::{ident, type_path};
use crate::ir::{FieldIr, Literal, StructIr, Usage};

/// The Cargo feature that makes every generated type both `Serialize` and `Deserialize`.
pub const SERDE_BOTH_FEATURE: &str = "serde-both";

/// A struct and its constructor, written to `code` (its builder, for a type that is sent, is
/// [`builder_items`](super::builder::builder_items)); `runtime` is the runtime's path.
pub fn struct_item(s: &StructIr, runtime: &str, code: &mut Code) {
    code.doc(&s.doc);
    derives(s.usage, code);
    // Field attributes belong to serde's derives: behind the feature when only it derives any.
    let attrs_gated = !s.usage.request && s.usage.response;
    if s.fields.is_empty() {
        code.line(format_args!("pub struct {} {{}}", s.name));
    } else {
        code.open(format_args!("pub struct {} {{", s.name));
        for f in &s.fields {
            field(f, attrs_gated, runtime, code);
        }
        code.close("}");
    }
    constructor(s, runtime, code);
}

/// `Debug, Clone, PartialEq`, `Serialize` when the type is sent, and the serde derives it does
/// not need behind [`SERDE_BOTH_FEATURE`]: `Serialize` when it is only received, `Deserialize`
/// when it is never received (received types have their own `Deserialize` impl).
fn derives(usage: Usage, code: &mut Code) {
    let ser = if usage.request {
        ", ::serde::Serialize"
    } else {
        ""
    };
    code.line(format_args!("#[derive(Debug, Clone, PartialEq{ser})]"));
    let gated = match (usage.request, usage.response) {
        (true, false) => Some("::serde::Deserialize"),
        (false, true) => Some("::serde::Serialize"),
        _ => None,
    };
    if let Some(d) = gated {
        code.line(format_args!(
            "#[cfg_attr(feature = \"{SERDE_BOTH_FEATURE}\", derive({d}))]"
        ));
    }
}

fn field(f: &FieldIr, attrs_gated: bool, runtime: &str, code: &mut Code) {
    code.doc(&f.doc);
    let mut serde = Vec::new();
    if f.rust != f.wire {
        serde.push(format!(
            "rename = {}",
            proc_macro2::Literal::string(&f.wire)
        ));
    }
    if f.optional {
        serde.push("default, skip_serializing_if = \"Option::is_none\"".to_owned());
    }
    if !serde.is_empty() {
        let serde = List(serde.iter());
        if attrs_gated {
            code.line(format_args!(
                "#[cfg_attr(feature = \"{SERDE_BOTH_FEATURE}\", serde({serde}))]"
            ));
        } else {
            code.line(format_args!("#[serde({serde})]"));
        }
    }
    let ty = RustType { ty: &f.ty, runtime };
    if f.optional {
        code.line(format_args!("pub {}: Option<{ty}>,", f.rust));
    } else {
        code.line(format_args!("pub {}: {ty},", f.rust));
    }
}

/// A literal as a Rust expression of the field's type.
pub fn literal(l: &Literal) -> TokenStream {
    match l {
        Literal::Str(s) => quote!(#s.to_owned()),
        Literal::Int(i) => {
            let lit = proc_macro2::Literal::i64_unsuffixed(*i);
            quote!(#lit)
        }
        Literal::Float(f) => {
            let lit = proc_macro2::Literal::f64_unsuffixed(*f);
            quote!(#lit)
        }
        Literal::Bool(b) => quote!(#b),
        Literal::Variant(p, v) => {
            let ty = type_path(p);
            let v = ident(v);
            quote!(#ty::#v)
        }
    }
}

/// `new` taking the one required field, or none; a type with more has only its builder, where
/// every argument is named.
fn constructor(s: &StructIr, runtime: &str, code: &mut Code) {
    let params: Vec<&FieldIr> = s.fields.iter().filter(|f| f.in_constructor).collect();
    if params.len() > 1 {
        return;
    }
    let name = &s.name;
    let no_params = params.is_empty();
    code.open(format_args!("impl {name} {{"));
    code.doc(if no_params {
        "Creates a value with every optional field absent and defaulted fields at their default."
    } else {
        "Creates a value from its one required field; optional fields start absent and \
         defaulted fields at their default."
    });
    let params = params
        .iter()
        .map(|f| format!("{}: {}", f.rust, RustType { ty: &f.ty, runtime }));
    code.line("#[inline]");
    code.open(format_args!("pub fn new({}) -> Self {{", List(params)));
    if s.fields.is_empty() {
        code.line("Self {}");
    } else {
        code.open("Self {");
        for f in &s.fields {
            if f.in_constructor {
                code.line(format_args!("{},", f.rust));
            } else if let Some(d) = &f.default {
                code.line(format_args!("{}: {},", f.rust, Value(d)));
            } else {
                code.line(format_args!("{}: None,", f.rust));
            }
        }
        code.close("}");
    }
    code.close("}");
    code.close("}");
    if no_params {
        code.open(format_args!("impl Default for {name} {{"));
        code.line("#[inline]");
        code.open("fn default() -> Self {");
        code.line("Self::new()");
        code.close("}");
        code.close("}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn derives_of(request: bool, response: bool) -> String {
        let mut code = Code::new();
        derives(Usage { request, response }, &mut code);
        code.finish()
    }

    #[test]
    fn a_sent_type_derives_serialize_and_gates_deserialize() {
        let sent = derives_of(true, false);
        assert!(sent.contains("derive(Debug, Clone, PartialEq, ::serde::Serialize)"));
        assert!(sent.contains("cfg_attr(feature = \"serde-both\", derive(::serde::Deserialize))"));
    }

    #[test]
    fn a_received_type_derives_no_serde_and_gates_serialize() {
        let received = derives_of(false, true);
        assert!(
            received.contains("derive(Debug, Clone, PartialEq)"),
            "{received}"
        );
        assert!(received.contains("cfg_attr(feature = \"serde-both\", derive(::serde::Serialize))"));
    }

    #[test]
    fn a_type_on_both_sides_derives_serialize_without_a_feature() {
        let both = derives_of(true, true);
        assert!(both.contains("::serde::Serialize"));
        assert!(!both.contains("Deserialize"), "{both}");
        assert!(!both.contains("cfg_attr"), "{both}");
    }
}
