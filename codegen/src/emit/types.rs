//! Object types: structs with serde wire names, tolerant reading on the response side, and a
//! constructor that takes every required field.

use proc_macro2::TokenStream;
use quote::quote;

use super::doc::doc_attrs;
use super::ty::{ident, rust_type, type_path};
use crate::ir::{FieldIr, Literal, StructIr, TyIr};

/// A struct and its constructor.
pub fn struct_item(s: &StructIr) -> TokenStream {
    let name = ident(&s.name);
    let doc = doc_attrs(&s.doc);
    let fields = s.fields.iter().map(|f| field(f, s.usage.response));
    let ctor = constructor(s);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #(#fields)*
        }
        #ctor
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
