//! Rust type expressions for IR types and paths.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{TyIr, TypePath};
use crate::typeexpr::Prim;

/// An identifier; raw names never reach here (naming escapes keywords).
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// A path to a generated type from the module that uses it.
pub fn type_path(p: &TypePath) -> TokenStream {
    let name = ident(&p.name);
    match &p.module {
        Some(m) => {
            let m = ident(m);
            quote!(super::#m::#name)
        }
        None => quote!(#name),
    }
}

/// The Rust type of a scalar.
pub fn prim(p: Prim) -> TokenStream {
    match p {
        Prim::String => quote!(String),
        Prim::Bool => quote!(bool),
        Prim::Int32 => quote!(i32),
        Prim::Int64 => quote!(i64),
        Prim::Number => quote!(f64),
    }
}

/// The Rust type of a field's value (without the `Option` of optional fields).
pub fn rust_type(t: &TyIr) -> TokenStream {
    match t {
        TyIr::Prim(p) => prim(*p),
        TyIr::File => quote!(::client_runtime::File),
        TyIr::List(inner) => {
            let inner = rust_type(inner);
            quote!(Vec<#inner>)
        }
        TyIr::Struct(p) | TyIr::Enum(p, _) => type_path(p),
    }
}
