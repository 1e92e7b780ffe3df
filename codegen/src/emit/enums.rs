//! Enums of documented values, and endpoints' error-code tables.
//!
//! Every enum is `#[non_exhaustive]`, so a value added to a spec does not break a user's `match`,
//! and keeps an `Unknown` variant so that reading a response never fails on a value the spec does
//! not list; `validate()` refuses `Unknown` in a request, so sending stays strict. `Unknown` holds
//! a `client_runtime::UnknownValue`, whose constructor is meant for generated code only: a documented value always
//! reads as its own variant. `from_wire` converts leniently (other values become `Unknown`),
//! `TryFrom` strictly (other values are a `client_runtime::UnknownEnumValue`).

use proc_macro2::TokenStream;
use quote::quote;

use super::doc::doc_attrs;
use super::ty::ident;
use crate::ir::{EnumIr, EnumValuesIr, ErrorCodesIr};
use crate::model::ErrorKindName;
use crate::naming;

/// An enum with its wire conversions, serde impls and validation.
pub fn enum_item(e: &EnumIr) -> TokenStream {
    let name = ident(&e.name);
    let name_text = &e.name;
    let doc = doc_attrs(&e.doc);
    let unknown = ident(naming::UNKNOWN_VARIANT);
    // Each variant's name, documentation and wire value as text (`VALUES`).
    let (variants, docs, shown): (Vec<_>, Vec<_>, Vec<String>) = match &e.values {
        EnumValuesIr::Str(vs) => vs
            .iter()
            .map(|v| (ident(&v.name), doc_attrs(&v.doc), v.value.clone()))
            .collect(),
        EnumValuesIr::Int(vs) => vs
            .iter()
            .map(|v| (ident(&v.name), doc_attrs(&v.doc), v.value.to_string()))
            .collect(),
    };
    let validate = quote! {
        impl ::client_runtime::Validate for #name {
            #[inline]
            fn validate_at(&self, path: &::client_runtime::Path<'_>, out: &mut ::client_runtime::Violations) {
                if let Self::#unknown(v) = self {
                    out.push(
                        path,
                        ::client_runtime::Rule::OneOf(Self::VALUES),
                        ::client_runtime::Found::Value(v.to_string()),
                        ::client_runtime::Severity::Error,
                    );
                }
            }
        }
    };
    match &e.values {
        EnumValuesIr::Str(_) => {
            let values: Vec<&String> = shown.iter().collect();
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, Eq, Hash)]
                #[non_exhaustive]
                pub enum #name {
                    #( #docs #variants, )*
                    /// A value the spec does not list, as a response held it; a documented value
                    /// never reads as `Unknown`.
                    #unknown(::client_runtime::UnknownValue),
                }

                impl #name {
                    /// Every documented value, in spec order.
                    pub const VALUES: &'static [&'static str] = &[#(#values),*];

                    /// The wire value.
                    #[inline]
                    pub fn as_str(&self) -> &str {
                        match self {
                            #( Self::#variants => #values, )*
                            Self::#unknown(v) => v.as_str(),
                        }
                    }

                    /// The variant for a wire value; a value the spec does not list becomes
                    /// `Unknown` (`TryFrom<&str>` refuses it instead).
                    #[inline]
                    pub fn from_wire(value: &str) -> Self {
                        match value {
                            #( #values => Self::#variants, )*
                            other => Self::#unknown(::client_runtime::UnknownValue::__new(other)),
                        }
                    }
                }

                impl ::core::convert::TryFrom<&str> for #name {
                    type Error = ::client_runtime::UnknownEnumValue;

                    /// The variant for a documented wire value; any other value is an error.
                    #[inline]
                    fn try_from(value: &str) -> Result<Self, ::client_runtime::UnknownEnumValue> {
                        match Self::from_wire(value) {
                            Self::#unknown(other) => Err(other.__refused(#name_text, Self::VALUES)),
                            documented => Ok(documented),
                        }
                    }
                }

                impl ::core::fmt::Display for #name {
                    #[inline]
                    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }

                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        serializer.serialize_str(self.as_str())
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        ::client_runtime::de::lenient::<D, String>(deserializer).map(|v| Self::from_wire(&v))
                    }
                }

                #validate
            }
        }
        EnumValuesIr::Int(vs) => {
            let ints: Vec<proc_macro2::Literal> = vs
                .iter()
                .map(|v| proc_macro2::Literal::i64_unsuffixed(v.value))
                .collect();
            let decl = int_enum(
                &name,
                &docs,
                &variants,
                "A value the spec does not list, as a response held it; a documented value \
                 never reads as `Unknown`.",
            );
            let from_wire = from_int(&ints, &variants);
            quote! {
                #doc
                #decl

                impl #name {
                    /// Every documented value, in spec order, as text.
                    pub const VALUES: &'static [&'static str] = &[#(#shown),*];

                    /// The wire value.
                    #[inline]
                    pub fn value(self) -> i64 {
                        match self {
                            #( Self::#variants => #ints, )*
                            Self::#unknown(v) => v.value(),
                        }
                    }

                    /// The variant for a wire value; a value the spec does not list becomes
                    /// `Unknown` (`TryFrom<i64>` refuses it instead).
                    #[inline]
                    pub fn from_wire(value: i64) -> Self {
                        #from_wire
                    }
                }

                impl ::core::convert::TryFrom<i64> for #name {
                    type Error = ::client_runtime::UnknownEnumValue;

                    /// The variant for a documented wire value; any other value is an error.
                    #[inline]
                    fn try_from(value: i64) -> Result<Self, ::client_runtime::UnknownEnumValue> {
                        match Self::from_wire(value) {
                            Self::#unknown(other) => Err(other.__refused(#name_text, Self::VALUES)),
                            documented => Ok(documented),
                        }
                    }
                }

                impl ::core::fmt::Display for #name {
                    #[inline]
                    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        write!(f, "{}", self.value())
                    }
                }

                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        serializer.serialize_i64(self.value())
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        ::client_runtime::de::lenient::<D, i64>(deserializer).map(Self::from_wire)
                    }
                }

                #validate
            }
        }
    }
}

/// An endpoint's error-code enum and its `ErrorCode` impl.
pub fn error_codes_item(c: &ErrorCodesIr, api: &str) -> TokenStream {
    let name = ident(&c.name);
    let unknown = ident(naming::UNKNOWN_VARIANT);
    let doc = doc_attrs(&format!(
        "Error codes documented for `{api}`. Codes the spec does not list are kept as `Unknown`."
    ));
    let variants: Vec<_> = c.codes.iter().map(|x| ident(&x.variant)).collect();
    let codes: Vec<proc_macro2::Literal> = c
        .codes
        .iter()
        .map(|x| proc_macro2::Literal::i64_unsuffixed(x.code))
        .collect();
    let meanings: Vec<TokenStream> = c
        .codes
        .iter()
        .map(|x| match &x.meaning {
            Some(m) => quote!(Some(#m)),
            None => quote!(None),
        })
        .collect();
    let docs = c.codes.iter().map(|x| {
        let kind = match x.kind {
            ErrorKindName::Success => " Success.",
            ErrorKindName::Failure => "",
            ErrorKindName::Retryable => " Retryable: the same request may succeed later.",
            ErrorKindName::PartialSuccess => {
                " Partial success: done, but something secondary failed."
            }
        };
        match &x.meaning {
            Some(meaning) => doc_attrs(&format!("`{}`: {meaning}{kind}", x.code)),
            None => doc_attrs(&format!("`{}`{kind}", x.code)),
        }
    });
    let kinds = c.codes.iter().map(|x| match x.kind {
        ErrorKindName::Success => quote!(::client_runtime::CodeKind::Success),
        ErrorKindName::Failure => quote!(::client_runtime::CodeKind::Failure),
        ErrorKindName::Retryable => quote!(::client_runtime::CodeKind::Retryable),
        ErrorKindName::PartialSuccess => quote!(::client_runtime::CodeKind::PartialSuccess),
    });
    let docs: Vec<TokenStream> = docs.collect();
    let decl = int_enum(
        &name,
        &docs,
        &variants,
        "A code the spec does not list, as the server sent it; a documented code never reads \
         as `Unknown`.",
    );
    let from_code = from_int(&codes, &variants);
    quote! {
        #doc
        #decl

        impl ::client_runtime::ErrorCode for #name {
            #[inline]
            fn from_code(value: i64) -> Self {
                #from_code
            }

            #[inline]
            fn code(&self) -> i64 {
                match self {
                    #( Self::#variants => #codes, )*
                    Self::#unknown(code) => code.value(),
                }
            }

            #[inline]
            fn meaning(&self) -> Option<&'static str> {
                match self {
                    #( Self::#variants => #meanings, )*
                    Self::#unknown(_) => None,
                }
            }

            #[inline]
            fn kind(&self) -> ::client_runtime::CodeKind {
                match self {
                    #( Self::#variants => #kinds, )*
                    Self::#unknown(_) => ::client_runtime::CodeKind::Failure,
                }
            }
        }

        impl ::core::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                use ::client_runtime::ErrorCode as _;
                match self.meaning() {
                    Some(m) => write!(f, "{} ({m})", self.code()),
                    None => write!(f, "{}", self.code()),
                }
            }
        }
    }
}

/// A `#[non_exhaustive]` enum of integer wire values with its `Unknown` variant (an enum of
/// values or an error-code table).
fn int_enum(
    name: &proc_macro2::Ident,
    docs: &[TokenStream],
    variants: &[proc_macro2::Ident],
    unknown_doc: &str,
) -> TokenStream {
    let unknown = ident(naming::UNKNOWN_VARIANT);
    let unknown_doc = doc_attrs(unknown_doc);
    quote! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #docs #variants, )*
            #unknown_doc
            #unknown(::client_runtime::UnknownValue<i64>),
        }
    }
}

/// The variant for the integer `value`: its documented variant, or `Unknown` holding it.
fn from_int(values: &[proc_macro2::Literal], variants: &[proc_macro2::Ident]) -> TokenStream {
    let unknown = ident(naming::UNKNOWN_VARIANT);
    quote! {
        match value {
            #( #values => Self::#variants, )*
            other => Self::#unknown(::client_runtime::UnknownValue::__new(other)),
        }
    }
}
