//! Object types: structs with serde wire names, tolerant reading on the response side, and a
//! constructor that takes every required field.
//!
//! Serde derives follow the direction a type travels: a request type derives `Serialize`, a
//! response type `Deserialize`, a type on both sides both. The other direction is derived only
//! with the [`SERDE_BOTH_FEATURE`] feature of the crate holding the generated code (for tests and
//! logging that round-trip values); derives are most of what rustc expands in the generated crate,
//! and half of them are never used.

use proc_macro2::TokenStream;
use quote::quote;

use super::doc::doc_attrs;
use super::ty::{ident, rust_type, type_path};
use crate::ir::{FieldIr, Literal, StructIr, TyIr, Usage};

/// The Cargo feature that makes every generated type both `Serialize` and `Deserialize`.
pub const SERDE_BOTH_FEATURE: &str = "serde-both";

/// A struct and its constructor.
pub fn struct_item(s: &StructIr) -> TokenStream {
    let name = ident(&s.name);
    let doc = doc_attrs(&s.doc);
    let fields = s.fields.iter().map(|f| field(f, s.usage.response));
    let ctor = constructor(s);
    let derives = derives(s.usage);
    quote! {
        #doc
        #derives
        pub struct #name {
            #(#fields)*
        }
        #ctor
    }
}

/// `Debug, Clone, PartialEq` and the serde derives of the directions the type travels; the
/// others behind [`SERDE_BOTH_FEATURE`].
fn derives(usage: Usage) -> TokenStream {
    let ser = quote!(::serde::Serialize);
    let de = quote!(::serde::Deserialize);
    let (mut always, mut gated) = (Vec::new(), Vec::new());
    for (used, d) in [(usage.request, ser), (usage.response, de)] {
        if used {
            always.push(d);
        } else {
            gated.push(d);
        }
    }
    let gated = (!gated.is_empty()).then(|| {
        let feature = SERDE_BOTH_FEATURE;
        quote!(#[cfg_attr(feature = #feature, derive(#(#gated),*))])
    });
    quote! {
        #[derive(Debug, Clone, PartialEq, #(#always),*)]
        #gated
    }
}

fn field(f: &FieldIr, lenient: bool) -> TokenStream {
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
    if lenient {
        let reader = match (&f.ty, f.optional) {
            (TyIr::Prim(_), false) => Some("::client_runtime::de::lenient"),
            (TyIr::Prim(_), true) => Some("::client_runtime::de::lenient_opt"),
            (TyIr::List(_), false) => Some("::client_runtime::de::list"),
            (TyIr::List(_), true) => Some("::client_runtime::de::list_opt"),
            _ => None,
        };
        if let Some(r) = reader {
            serde.push(quote!(deserialize_with = #r));
        }
    }
    let attr = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
    let ty = if f.optional { quote!(Option<#ty>) } else { ty };
    quote! {
        #doc
        #attr
        pub #name: #ty,
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

fn constructor(s: &StructIr) -> TokenStream {
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
    let many = (params.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
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
        "Creates a value from its required fields; optional fields start absent and defaulted \
         fields at their default."
    };
    let doc = doc_attrs(doc);
    quote! {
        impl #name {
            #doc
            #many
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
        }
        #default_impl
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn derives_of(request: bool, response: bool) -> String {
        derives(Usage { request, response }).to_string()
    }

    #[test]
    fn each_direction_derives_its_own_trait_and_gates_the_other() {
        let sent = derives_of(true, false);
        assert!(sent.contains("derive (Debug , Clone , PartialEq , :: serde :: Serialize)"));
        assert!(
            sent.contains("cfg_attr (feature = \"serde-both\" , derive (:: serde :: Deserialize))")
        );

        let received = derives_of(false, true);
        assert!(received.contains("derive (Debug , Clone , PartialEq , :: serde :: Deserialize)"));
        assert!(received
            .contains("cfg_attr (feature = \"serde-both\" , derive (:: serde :: Serialize))"));
    }

    #[test]
    fn a_type_on_both_sides_derives_both_without_a_feature() {
        let both = derives_of(true, true);
        assert!(both.contains(":: serde :: Serialize , :: serde :: Deserialize"));
        assert!(!both.contains("cfg_attr"), "{both}");
    }
}
