//! Enums of documented values, and endpoints' error-code tables.
//!
//! Every enum keeps an `Unknown` variant so that reading a response never fails on a value the
//! spec does not list; `validate()` refuses `Unknown` in a request, so sending stays strict.

use proc_macro2::TokenStream;
use quote::quote;

use super::doc::doc_attrs;
use super::ty::ident;
use crate::ir::{EnumIr, EnumRepr, ErrorCodesIr, Literal};
use crate::model::ErrorKindName;

/// An enum with its wire conversions, serde impls and validation.
pub fn enum_item(e: &EnumIr) -> TokenStream {
    let name = ident(&e.name);
    let doc = doc_attrs(&e.doc);
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let docs = e.variants.iter().map(|v| doc_attrs(&v.doc));
    let shown: Vec<String> = e
        .variants
        .iter()
        .map(|v| match &v.value {
            Literal::Str(s) => s.clone(),
            Literal::Int(i) => i.to_string(),
            _ => String::new(),
        })
        .collect();
    let validate = quote! {
        impl ::client_runtime::Validate for #name {
            fn validate_at(&self, path: &::client_runtime::Path<'_>, out: &mut ::client_runtime::Violations) {
                if let Self::Unknown(v) = self {
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
    match e.repr {
        EnumRepr::Str => {
            let values: Vec<&String> = shown.iter().collect();
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, Eq, Hash)]
                pub enum #name {
                    #( #docs #variants, )*
                    /// A value the spec does not list, kept as read.
                    Unknown(String),
                }

                impl #name {
                    /// Every documented value, in spec order.
                    pub const VALUES: &'static [&'static str] = &[#(#values),*];

                    /// The wire value.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #( Self::#variants => #values, )*
                            Self::Unknown(v) => v,
                        }
                    }

                    /// The variant for a wire value; values the spec does not list become `Unknown`.
                    pub fn from_wire(value: &str) -> Self {
                        match value {
                            #( #values => Self::#variants, )*
                            other => Self::Unknown(other.to_owned()),
                        }
                    }
                }

                impl ::core::fmt::Display for #name {
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
        EnumRepr::Int => {
            let ints: Vec<proc_macro2::Literal> = e
                .variants
                .iter()
                .map(|v| match v.value {
                    Literal::Int(i) => proc_macro2::Literal::i64_unsuffixed(i),
                    _ => proc_macro2::Literal::i64_unsuffixed(0),
                })
                .collect();
            quote! {
                #doc
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
                pub enum #name {
                    #( #docs #variants, )*
                    /// A value the spec does not list, kept as read.
                    Unknown(i64),
                }

                impl #name {
                    /// Every documented value, in spec order, as text.
                    pub const VALUES: &'static [&'static str] = &[#(#shown),*];

                    /// The wire value.
                    pub fn as_i64(self) -> i64 {
                        match self {
                            #( Self::#variants => #ints, )*
                            Self::Unknown(v) => v,
                        }
                    }

                    /// The variant for a wire value; values the spec does not list become `Unknown`.
                    pub fn from_wire(value: i64) -> Self {
                        match value {
                            #( #ints => Self::#variants, )*
                            other => Self::Unknown(other),
                        }
                    }
                }

                impl ::core::fmt::Display for #name {
                    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        write!(f, "{}", self.as_i64())
                    }
                }

                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        serializer.serialize_i64(self.as_i64())
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
    let doc = doc_attrs(&format!(
        "Error codes documented for `{api}`. Codes the spec does not list are kept as `Unknown`."
    ));
    let variants: Vec<_> = c.codes.iter().map(|x| ident(&x.variant)).collect();
    let codes: Vec<proc_macro2::Literal> = c
        .codes
        .iter()
        .map(|x| proc_macro2::Literal::i64_unsuffixed(x.code))
        .collect();
    let meanings: Vec<&String> = c.codes.iter().map(|x| &x.meaning).collect();
    let docs = c.codes.iter().map(|x| {
        let kind = match x.kind {
            ErrorKindName::Success => " Success.",
            ErrorKindName::Failure => "",
            ErrorKindName::Retryable => " Retryable: the same request may succeed later.",
            ErrorKindName::PartialSuccess => {
                " Partial success: done, but something secondary failed."
            }
        };
        doc_attrs(&format!("`{}`: {}{kind}", x.code, x.meaning))
    });
    let kinds = c.codes.iter().map(|x| match x.kind {
        ErrorKindName::Success => quote!(::client_runtime::CodeKind::Success),
        ErrorKindName::Failure => quote!(::client_runtime::CodeKind::Failure),
        ErrorKindName::Retryable => quote!(::client_runtime::CodeKind::Retryable),
        ErrorKindName::PartialSuccess => quote!(::client_runtime::CodeKind::PartialSuccess),
    });
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum #name {
            #( #docs #variants, )*
            /// A code the spec does not list.
            Unknown(i64),
        }

        impl ::client_runtime::ErrorCode for #name {
            fn from_code(code: i64) -> Self {
                match code {
                    #( #codes => Self::#variants, )*
                    other => Self::Unknown(other),
                }
            }

            fn code(&self) -> i64 {
                match self {
                    #( Self::#variants => #codes, )*
                    Self::Unknown(code) => *code,
                }
            }

            fn meaning(&self) -> Option<&'static str> {
                match self {
                    #( Self::#variants => Some(#meanings), )*
                    Self::Unknown(_) => None,
                }
            }

            fn kind(&self) -> ::client_runtime::CodeKind {
                match self {
                    #( Self::#variants => #kinds, )*
                    Self::Unknown(_) => ::client_runtime::CodeKind::Failure,
                }
            }
        }

        impl ::core::fmt::Display for #name {
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
