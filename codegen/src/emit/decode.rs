//! `Deserialize` impls of response types: one `visit_map` over the object's keys, each key
//! matched by a `field_of` function (a `match` on the wire names, which compiles to a length
//! switch and word compares) and each value read tolerantly with the runtime's seeds
//! (`client_runtime::de`). An optional list or object that the vendor sends as `""` or `{}`
//! reads as absent.
//!
//! A derived impl would also write a field-name enum with its own `Deserialize` impl and visitor
//! (where `field_of` returns the field's index), a `visit_seq` that reads the object from an
//! array, and a wrapper type per field read with `deserialize_with`, twice over; responses need
//! none of that, and it was half of what rustc compiled in a generated crate. Unknown keys are
//! skipped, a repeated key keeps its last value, and a missing required field is serde's
//! "missing field" error naming its wire name.
//!
//! Generic parameters are `__D` and `__A` so that no generated type name can shadow them.

use proc_macro2::TokenStream;
use quote::quote;

use super::ty::ident;
use crate::ir::{FieldIr, StructIr, TyIr};
use crate::naming;

/// The `Deserialize` impl of a struct read from responses.
pub fn deserialize_impl(s: &StructIr) -> TokenStream {
    let name = ident(&s.name);
    let type_name = &s.name;
    let expecting = format!("an object `{}`", s.name);
    let visitor = ident(&naming::visitor_name(&s.name));
    let wires = s.fields.iter().map(|f| &f.wire);
    // A type without fields skips every key and needs no matching.
    let field_of = (!s.fields.is_empty()).then(|| {
        let arms = s.fields.iter().enumerate().map(|(i, f)| {
            let wire = &f.wire;
            let i = proc_macro2::Literal::usize_unsuffixed(i);
            quote!(#wire => Some(#i),)
        });
        quote! {
            #[inline]
            fn field_of(key: &str) -> Option<usize> {
                match key {
                    #(#arms)*
                    _ => None,
                }
            }
        }
    });
    let slots: Vec<_> = s.fields.iter().map(slot).collect();
    let reads = s
        .fields
        .iter()
        .zip(&slots)
        .enumerate()
        .map(|(i, (f, slot))| {
            let read = read(f);
            let i = proc_macro2::Literal::usize_unsuffixed(i);
            quote!(Some(#i) => #slot = #read,)
        });
    let inits = s.fields.iter().zip(&slots).map(|(f, slot)| {
        let field = ident(&f.rust);
        if f.optional {
            quote!(#field: #slot)
        } else {
            let wire = &f.wire;
            quote!(#field: ::client_runtime::de::required(#slot, #wire)?)
        }
    });
    let body = if s.fields.is_empty() {
        quote! {
            while let Some(::serde::de::IgnoredAny) = map.next_key()? {
                map.next_value::<::serde::de::IgnoredAny>()?;
            }
        }
    } else {
        quote! {
            #(let mut #slots = None;)*
            while let Some(field) = map.next_key_seed(::client_runtime::de::FieldIndex(field_of))? {
                match field {
                    #(#reads)*
                    _ => {
                        map.next_value::<::serde::de::IgnoredAny>()?;
                    }
                }
            }
        }
    };
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                const FIELDS: &[&str] = &[#(#wires),*];
                #field_of
                struct #visitor;
                impl<'de> ::serde::de::Visitor<'de> for #visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(self, mut map: __A) -> Result<#name, __A::Error> {
                        #body
                        Ok(#name { #(#inits),* })
                    }
                }
                deserializer.deserialize_struct(#type_name, FIELDS, #visitor)
            }
        }
    }
}

/// The local holding a field's value while the object is read (Rust names are unique in a
/// struct and never raw, so `f_<name>` is too).
fn slot(f: &FieldIr) -> proc_macro2::Ident {
    ident(&naming::slot_name(&f.rust))
}

/// Reading one field's value from `map`, as the slot's new value.
fn read(f: &FieldIr) -> TokenStream {
    let seed = match &f.ty {
        TyIr::Prim(_) if f.optional => Some(quote!(ScalarOpt)),
        TyIr::Prim(_) => Some(quote!(Scalar)),
        TyIr::List(_) if f.optional => Some(quote!(ListOpt)),
        TyIr::List(_) => Some(quote!(List)),
        TyIr::Struct(_) if f.optional => Some(quote!(ObjectOpt)),
        // A file is never received; its `Deserialize` refuses with a message that says so.
        TyIr::Struct(_) | TyIr::Enum(..) | TyIr::File => None,
    };
    let value = match seed {
        Some(seed) => quote!(map.next_value_seed(::client_runtime::de::#seed::new())?),
        None => quote!(map.next_value()?),
    };
    if f.optional {
        value
    } else {
        quote!(Some(#value))
    }
}
