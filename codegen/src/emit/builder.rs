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

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::doc::{braced, doc_attrs};
use super::ty::{ident, rust_type};
use super::types::literal;
use crate::ir::{FieldIr, StructIr, TyIr};
use crate::naming;
use crate::typeexpr::Prim;

/// `builder()` on the type, the builder struct, its setters and its `build()`.
pub fn builder_items(s: &StructIr) -> TokenStream {
    let name = ident(&s.name);
    let builder = ident(&naming::builder_name(&s.name));
    let required: Vec<&FieldIr> = s.fields.iter().filter(|f| is_required(f)).collect();
    let names: Vec<&str> = required.iter().map(|f| f.rust.as_str()).collect();
    let params: Vec<Ident> = naming::builder_params(&names)
        .iter()
        .map(|p| ident(p))
        .collect();
    let generics = angle(params.iter().map(|p| quote!(#p)));
    let unset = angle(
        required
            .iter()
            .map(|_| quote!(::client_runtime::builder::Unset)),
    );

    let mut param_of = Vec::new();
    let mut next = params.iter();
    for f in &s.fields {
        param_of.push(if is_required(f) { next.next() } else { None });
    }

    let fields = s.fields.iter().zip(&param_of).map(|(f, p)| {
        let n = ident(&f.rust);
        let ty = match p {
            Some(p) => quote!(#p),
            None => stored_type(f),
        };
        quote!(#n: #ty,)
    });
    let starts = s.fields.iter().zip(&param_of).map(|(f, p)| {
        let n = ident(&f.rust);
        let v = match (p, &f.default) {
            (Some(_), _) => quote!(::client_runtime::builder::Unset),
            (None, Some(d)) => literal(d),
            (None, None) => quote!(None),
        };
        quote!(#n: #v,)
    });
    let setters: TokenStream = s
        .fields
        .iter()
        .zip(&param_of)
        .map(|(f, p)| match p {
            Some(p) => required_setter(s, f, p, &builder, &params, &param_of),
            None => optional_setters(s, f),
        })
        .collect();
    let builds = s.fields.iter().zip(&param_of).map(|(f, p)| {
        let n = ident(&f.rust);
        match p {
            Some(_) => quote!(#n: ::client_runtime::builder::IsSet::into_value(self.#n),),
            None => quote!(#n: self.#n,),
        }
    });
    let bounds: Vec<TokenStream> = required
        .iter()
        .zip(&params)
        .map(|(f, p)| {
            let ty = rust_type(&f.ty);
            quote!(#p: ::client_runtime::builder::IsSet<#ty>,)
        })
        .collect();
    let bounds = (!bounds.is_empty()).then(|| quote!(where #(#bounds)*));
    let type_doc = format!(
        "The builder of [`{}`]: one setter per field; `build()` compiles once every required field is set.",
        s.name
    );
    let start_doc = format!(
        "A builder of `{}` with no field set yet and defaulted fields at their default.",
        s.name
    );
    let build_doc = format!("The `{}` of the fields set.", s.name);
    let (type_doc, start_doc, build_doc) = (
        doc_attrs(&type_doc),
        doc_attrs(&start_doc),
        doc_attrs(&build_doc),
    );
    let mut methods = setters;
    methods.extend(quote! {
        #build_doc
        pub fn build(self) -> #name #bounds {
            #name { #(#builds)* }
        }
    });
    let methods = braced(methods);
    quote! {
        impl #name {
            #start_doc
            pub fn builder() -> #builder #unset {
                #builder { #(#starts)* }
            }
        }
        #type_doc
        #[must_use = "a builder does nothing until `build()` is called"]
        pub struct #builder #generics {
            #(#fields)*
        }
        impl #generics #builder #generics #methods
    }
}

/// A field that must be given: not optional and without a default.
fn is_required(f: &FieldIr) -> bool {
    !f.optional && f.default.is_none()
}

/// `<A, B>`, or nothing for no parameters.
fn angle(items: impl Iterator<Item = TokenStream>) -> Option<TokenStream> {
    let items: Vec<TokenStream> = items.collect();
    (!items.is_empty()).then(|| quote!(<#(#items),*>))
}

/// The type the builder holds for a field that is not required.
fn stored_type(f: &FieldIr) -> TokenStream {
    let ty = rust_type(&f.ty);
    if f.optional {
        quote!(Option<#ty>)
    } else {
        ty
    }
}

/// The setter's parameter type and the expression turning the parameter `value` into the
/// field's type: `impl Into<String>` and `value.into()` for text.
fn takes(f: &FieldIr) -> (TokenStream, TokenStream) {
    if f.ty == TyIr::Prim(Prim::String) {
        (quote!(impl Into<String>), quote!(value.into()))
    } else {
        (rust_type(&f.ty), quote!(value))
    }
}

/// The setter of a required field: the builder's parameter for it goes from unset to set.
fn required_setter(
    s: &StructIr,
    f: &FieldIr,
    p: &Ident,
    builder: &Ident,
    params: &[Ident],
    param_of: &[Option<&Ident>],
) -> TokenStream {
    let n = ident(&f.rust);
    let ty = rust_type(&f.ty);
    let (arg, conv) = takes(f);
    let after = params
        .iter()
        .map(|q| if q == p { quote!(#ty) } else { quote!(#q) });
    let moves: TokenStream = s
        .fields
        .iter()
        .zip(param_of)
        .map(|(g, q)| {
            let m = ident(&g.rust);
            if *q == Some(p) {
                quote!(#m: #conv,)
            } else {
                quote!(#m: self.#m,)
            }
        })
        .collect();
    let moves = braced(moves);
    let mut out = doc_attrs(&format!("Sets [`{}::{}`] (required).", s.name, f.rust));
    out.extend(quote! {
        pub fn #n(self, value: #arg) -> #builder<#(#after),*>
        where
            #p: ::client_runtime::builder::IsUnset,
        {
            #builder #moves
        }
    });
    out
}

/// The two setters of an optional or defaulted field: `x(value)` and `maybe_x(option)`.
fn optional_setters(s: &StructIr, f: &FieldIr) -> TokenStream {
    let n = ident(&f.rust);
    let maybe = ident(&format!("maybe_{}", f.rust));
    let (arg, conv) = takes(f);
    let (set, set_maybe, doc, maybe_doc) = match &f.default {
        None => (
            quote!(Some(#conv)),
            if f.ty == TyIr::Prim(Prim::String) {
                quote!(value.map(Into::into))
            } else {
                quote!(value)
            },
            format!("Sets [`{}::{}`].", s.name, f.rust),
            format!(
                "Sets [`{}::{}`], or leaves it absent with `None`.",
                s.name, f.rust
            ),
        ),
        Some(d) => {
            let d = literal(d);
            (
                conv,
                if f.ty == TyIr::Prim(Prim::String) {
                    quote!(value.map_or_else(|| #d, Into::into))
                } else {
                    quote!(value.unwrap_or(#d))
                },
                format!("Sets [`{}::{}`] instead of its default.", s.name, f.rust),
                format!(
                    "Sets [`{}::{}`], or leaves it at its default with `None`.",
                    s.name, f.rust
                ),
            )
        }
    };
    let mut out = doc_attrs(&doc);
    out.extend(quote! {
        pub fn #n(mut self, value: #arg) -> Self {
            self.#n = #set;
            self
        }
    });
    out.extend(doc_attrs(&maybe_doc));
    out.extend(quote! {
        pub fn #maybe(mut self, value: Option<#arg>) -> Self {
            self.#n = #set_maybe;
            self
        }
    });
    out
}
