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

use super::builder::builder_items;
use super::doc::{braced, doc_attrs};
use super::ty::{ident, rust_type, type_path};
use crate::ir::{FieldIr, Literal, StructIr, Usage};

/// The Cargo feature that makes every generated type both `Serialize` and `Deserialize`.
pub const SERDE_BOTH_FEATURE: &str = "serde-both";

/// A struct and its constructor.
pub fn struct_item(s: &StructIr) -> TokenStream {
    let name = ident(&s.name);
    let doc = doc_attrs(&s.doc);
    // Field attributes belong to serde's derives: behind the feature when only it derives any.
    let attrs_gated = !s.usage.request && s.usage.response;
    let fields = s.fields.iter().map(|f| field(f, attrs_gated));
    let ctor = constructor(s);
    let derives = derives(s.usage);
    let builder = s.usage.request.then(|| builder_items(s));
    let fields = braced(fields.collect());
    let mut out = doc;
    out.extend(
        std::iter::once(quote! {
            #derives
            pub struct #name #fields
        })
        .chain(ctor)
        .chain(builder),
    );
    out
}

/// `Debug, Clone, PartialEq`, `Serialize` when the type is sent, and the serde derives it does
/// not need behind [`SERDE_BOTH_FEATURE`]: `Serialize` when it is only received, `Deserialize`
/// when it is never received (received types have their own `Deserialize` impl).
fn derives(usage: Usage) -> TokenStream {
    let ser = usage.request.then(|| quote!(, ::serde::Serialize));
    let gated = match (usage.request, usage.response) {
        (true, false) => Some(quote!(::serde::Deserialize)),
        (false, true) => Some(quote!(::serde::Serialize)),
        _ => None,
    };
    let gated = gated.map(|d| {
        let feature = SERDE_BOTH_FEATURE;
        quote!(#[cfg_attr(feature = #feature, derive(#d))])
    });
    quote! {
        #[derive(Debug, Clone, PartialEq #ser)]
        #gated
    }
}

fn field(f: &FieldIr, attrs_gated: bool) -> TokenStream {
    let doc = doc_attrs(&f.doc);
    let name = ident(&f.rust);
    let ty = rust_type(&f.ty);
    let mut serde = Vec::new();
    if f.rust != f.wire {
        let wire = &f.wire;
        serde.push(quote!(rename = #wire));
    }
    if f.optional {
        serde.push(quote!(default, skip_serializing_if = "Option::is_none"));
    }
    let attr = (!serde.is_empty()).then(|| {
        if attrs_gated {
            let feature = SERDE_BOTH_FEATURE;
            quote!(#[cfg_attr(feature = #feature, serde(#(#serde),*))])
        } else {
            quote!(#[serde(#(#serde),*)])
        }
    });
    let ty = if f.optional { quote!(Option<#ty>) } else { ty };
    let mut out = doc;
    out.extend(quote! {
        #attr
        pub #name: #ty,
    });
    out
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
fn constructor(s: &StructIr) -> Option<TokenStream> {
    let name = ident(&s.name);
    let params: Vec<_> = s
        .fields
        .iter()
        .filter(|f| f.in_constructor)
        .map(|f| {
            let n = ident(&f.rust);
            let t = rust_type(&f.ty);
            quote!(#n: #t)
        })
        .collect();
    let inits = s.fields.iter().map(|f| {
        let n = ident(&f.rust);
        if f.in_constructor {
            quote!(#n)
        } else if let Some(d) = &f.default {
            let v = literal(d);
            quote!(#n: #v)
        } else {
            quote!(#n: None)
        }
    });
    if params.len() > 1 {
        return None;
    }
    let default_impl = params.is_empty().then(|| {
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    let doc = if params.is_empty() {
        "Creates a value with every optional field absent and defaulted fields at their default."
    } else {
        "Creates a value from its one required field; optional fields start absent and \
         defaulted fields at their default."
    };
    let doc = doc_attrs(doc);
    Some(quote! {
        impl #name {
            #doc
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
        }
        #default_impl
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn derives_of(request: bool, response: bool) -> String {
        derives(Usage { request, response }).to_string()
    }

    #[test]
    fn a_sent_type_derives_serialize_and_gates_deserialize() {
        let sent = derives_of(true, false);
        assert!(sent.contains("derive (Debug , Clone , PartialEq , :: serde :: Serialize)"));
        assert!(
            sent.contains("cfg_attr (feature = \"serde-both\" , derive (:: serde :: Deserialize))")
        );
    }

    #[test]
    fn a_received_type_derives_no_serde_and_gates_serialize() {
        let received = derives_of(false, true);
        assert!(
            received.contains("derive (Debug , Clone , PartialEq)"),
            "{received}"
        );
        assert!(received
            .contains("cfg_attr (feature = \"serde-both\" , derive (:: serde :: Serialize))"));
    }

    #[test]
    fn a_type_on_both_sides_derives_serialize_without_a_feature() {
        let both = derives_of(true, true);
        assert!(both.contains(":: serde :: Serialize"));
        assert!(!both.contains("Deserialize"), "{both}");
        assert!(!both.contains("cfg_attr"), "{both}");
    }
}
