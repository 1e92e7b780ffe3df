//! What makes a request type an endpoint: its `Endpoint` impl, the vendor client's method that
//! calls it, and `ItemResult` impls of per-item results.

use proc_macro2::TokenStream;
use quote::quote;

use super::doc::doc_attrs;
use super::ty::{ident, type_path};
use crate::ir::{ClientFamily, EndpointIr, RouteIr, StructIr};
use crate::model::{EncodingName, MethodName, ProtocolName};

/// The `Endpoint` impl and the client method.
pub fn endpoint_items(
    e: &EndpointIr,
    family: ClientFamily,
    error_code: Option<&str>,
    doc_example: Option<&str>,
) -> TokenStream {
    let request = ident(&e.request);
    let response = ident(&e.response);
    let api = &e.api;
    let protocol = match e.protocol {
        ProtocolName::DingTalkOapi => quote!(DingTalkOapi),
        ProtocolName::DingTalkTop => quote!(DingTalkTop),
        ProtocolName::ClassInV1 => quote!(ClassInV1),
    };
    let method = match e.method {
        MethodName::Get => quote!(Get),
        MethodName::Post => quote!(Post),
    };
    let route = match &e.route {
        RouteIr::Path(p) => quote!(::client_runtime::Route::Path(#p)),
        RouteIr::TopMethod(m) => quote!(::client_runtime::Route::TopMethod(#m)),
        RouteIr::Action { path, action } => {
            quote!(::client_runtime::Route::Action { path: #path, action: #action })
        }
    };
    let encodings = e.encodings.iter().map(|(wire, enc)| {
        let enc = match enc {
            EncodingName::Plain => quote!(Plain),
            EncodingName::Json => quote!(Json),
            EncodingName::Comma => quote!(CommaJoined),
        };
        quote!((#wire, ::client_runtime::FieldEncoding::#enc))
    });
    let code = match error_code {
        Some(c) => {
            let c = ident(c);
            quote!(#c)
        }
        None => quote!(::client_runtime::UndocumentedCode),
    };
    let files = (!e.files.is_empty()).then(|| {
        let (required, optional): (Vec<_>, Vec<_>) = e.files.iter().partition(|f| !f.optional);
        let required = required.iter().map(|f| {
            let (name, wire) = (ident(&f.rust), &f.wire);
            quote!((#wire, &self.#name))
        });
        let optional: Vec<_> = optional
            .iter()
            .map(|f| {
                let (name, wire) = (ident(&f.rust), &f.wire);
                quote!(if let Some(file) = &self.#name { files.push((#wire, file)); })
            })
            .collect();
        let body = if optional.is_empty() {
            quote!(vec![#(#required),*])
        } else {
            quote! {
                let mut files = vec![#(#required),*];
                #(#optional)*
                files
            }
        };
        quote! {
            #[inline]
            fn files(&self) -> Vec<(&'static str, &::client_runtime::File)> {
                #body
            }
        }
    });
    let example = &e.example_response;
    let client = ident(family.client_type());
    let runtime_module = ident(family.runtime_module());
    let method_name = ident(&e.method_name);
    let code_doc = match error_code {
        Some(c) => format!("[`{c}`]"),
        None => "`client_runtime::UndocumentedCode`".to_owned(),
    };
    let mut method_doc = format!(
        "{} (`{api}`).\n\nAwaiting the returned call gives the response, [`{}`], or an \
         `Error` whose vendor codes are {code_doc}. Set options for this call first (`.timeout(..)`, `.retry(..)`, \
         `.header(..)`, `.request_id(..)`) and await `.detailed()` for the status, headers, \
         request id, warnings and attempts as well. The request is validated first: a request \
         that breaks a documented limit is refused with `Error::Validation` and nothing is sent.",
        e.title, e.response
    );
    if let Some(doc_example) = doc_example {
        method_doc.push_str("\n\n");
        method_doc.push_str(doc_example);
    }
    let method_doc = doc_attrs(&method_doc);
    quote! {
        impl ::client_runtime::Endpoint for #request {
            const API_NAME: &'static str = #api;
            const PROTOCOL: ::client_runtime::Protocol = ::client_runtime::Protocol::#protocol;
            const METHOD: ::client_runtime::HttpMethod = ::client_runtime::HttpMethod::#method;
            const ROUTE: ::client_runtime::Route = #route;
            const FIELD_ENCODINGS: &'static [(&'static str, ::client_runtime::FieldEncoding)] = &[#(#encodings),*];
            const EXAMPLE_RESPONSE: &'static str = #example;
            type Response = #response;
            type ErrorCode = #code;
            #files
        }

        impl super::#client {
            #method_doc
            #[inline]
            pub fn #method_name<'a>(&'a self, request: &'a #request) -> ::client_runtime::Call<'a, ::client_runtime::#runtime_module::#client, #request> {
                self.inner.call(request)
            }
        }
    }
}

/// The `ItemResult` impl of a per-item result type.
pub fn item_result_impl(s: &StructIr) -> Option<TokenStream> {
    let ir = s.item_result.as_ref()?;
    let name = ident(&s.name);
    let code_ty = type_path(&ir.code_type);
    let code = ident(&ir.code_field);
    let message = ident(&ir.message_field);
    let code_expr = match (ir.code_optional, ir.code_i32) {
        (true, true) => quote!(self.#code.map_or(i64::MIN, i64::from)),
        (true, false) => quote!(self.#code.unwrap_or(i64::MIN)),
        (false, true) => quote!(i64::from(self.#code)),
        (false, false) => quote!(self.#code),
    };
    let message_expr = if ir.message_optional {
        quote!(self.#message.as_deref().unwrap_or_default())
    } else {
        quote!(&self.#message)
    };
    Some(quote! {
        impl ::client_runtime::ItemResult for #name {
            type Code = #code_ty;
            #[inline]
            fn raw_code(&self) -> i64 {
                #code_expr
            }
            #[inline]
            fn message(&self) -> &str {
                #message_expr
            }
        }
    })
}
