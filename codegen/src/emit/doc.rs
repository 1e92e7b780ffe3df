//! Doc attributes from documentation text.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = " line"]` attributes, one per line, rendered by prettyplease as `///` comments.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}
