//! A paged endpoint's `Paginated` impl (where its items, flag, cursor or offset are) and the
//! client methods that return its stream of pages and its stream of items. The paging itself
//! is the runtime's.

use proc_macro2::TokenStream;
use quote::quote;

use super::doc::doc_attrs;
use super::ty::{ident, rust_type};
use crate::ir::{ClientFamily, EndpointIr, PageFieldIr, PageStyleIr, PaginationIr, PathStep};
use crate::typeexpr::Prim;

/// The impl and the two methods, for an endpoint that pages.
pub fn paginate_items(e: &EndpointIr, p: &PaginationIr, family: ClientFamily) -> TokenStream {
    let request = ident(&e.request);
    let item = rust_type(&p.item);
    // The list itself is borrowed as a slice: `as_deref` when it is an `Option`.
    let (list, within) = p.items.split_last().expect("a path has a field");
    let list_name = ident(&list.rust);
    let items_ref = match (by_ref(within), list.optional) {
        (Chain::Plain(place), true) => quote!(#place.#list_name.as_deref().unwrap_or_default()),
        (Chain::Plain(place), false) => quote!(#place.#list_name.as_slice()),
        (Chain::Optional(chain), true) => {
            quote!(#chain.and_then(|v| v.#list_name.as_deref()).unwrap_or_default())
        }
        (Chain::Optional(chain), false) => {
            quote!(#chain.map(|v| v.#list_name.as_slice()).unwrap_or_default())
        }
    };
    let items_owned = match by_value(&p.items) {
        Chain::Plain(place) => place,
        Chain::Optional(chain) => quote!(#chain.unwrap_or_default()),
    };
    let has_more = p.has_more.as_ref().map(|path| {
        let flag = match leaf(path, false) {
            Leaf::Always(value) => quote!(Some(#value)),
            Leaf::Maybe(option) => option,
        };
        quote! {
            #[inline]
            fn has_more(response: &Self::Response) -> Option<bool> {
                #flag
            }
        }
    });
    let (style, position) = match &p.style {
        PageStyleIr::Cursor {
            cursor,
            next_cursor,
            next_prim,
        } => (quote!(Cursor), cursor_fns(cursor, next_cursor, *next_prim)),
        PageStyleIr::Offset { offset, size } => (quote!(Offset), offset_fns(offset, size.as_ref())),
    };
    let client = ident(family.client_type());
    let runtime_module = ident(family.runtime_module());
    let runtime_client = quote!(::client_runtime::#runtime_module::#client);
    let pages = ident(&p.pages_method);
    let items = ident(&p.items_method);
    let method = &e.method_name;
    let pages_doc = doc_attrs(&format!(
        "Every page of `{api}`, from `request`'s position to the last page: a stream of \
         responses that asks for each page as it is polled.\n\nPaging ends on every end signal \
         the spec declares; a server that repeats a cursor or a page ends it with an \
         `Error::Page`. Per-call options set on the stream apply to every page. See \
         [`Self::{method}`] for one page and [`Self::{items_method}`] for the items.",
        api = e.api,
        items_method = p.items_method,
    ));
    let items_doc = doc_attrs(&format!(
        "Every item of `{api}`, page after page: a stream that asks for the next page only \
         when the items read so far are used up, so `.take(n)` reads only the pages `n` items \
         need.\n\nAn error (a failed call, or a server repeating a cursor or a page) comes \
         after the items read before it, and ends the stream.",
        api = e.api,
    ));
    quote! {
        impl ::client_runtime::Paginated for #request {
            type Item = #item;
            const STYLE: ::client_runtime::PageStyle = ::client_runtime::PageStyle::#style;
            #[inline]
            fn items(response: &Self::Response) -> &[Self::Item] {
                #items_ref
            }
            #[inline]
            fn take_items(response: Self::Response) -> Vec<Self::Item> {
                #items_owned
            }
            #has_more
            #position
        }

        impl super::#client {
            #pages_doc
            #[inline]
            pub fn #pages(&self, request: #request) -> ::client_runtime::Pages<'_, #runtime_client, #request> {
                ::client_runtime::Pages::new(&self.inner, request)
            }
            #items_doc
            #[inline]
            pub fn #items(&self, request: #request) -> ::client_runtime::Items<'_, #runtime_client, #request> {
                ::client_runtime::Items::new(&self.inner, request)
            }
        }
    }
}

/// The cursor functions: the next cursor from a response, the request's own, and setting it.
fn cursor_fns(cursor: &PageFieldIr, next: &[PathStep], next_prim: Prim) -> TokenStream {
    let next = match leaf(next, next_prim == Prim::String) {
        Leaf::Always(value) => quote!(Some(::client_runtime::Cursor::from(#value))),
        Leaf::Maybe(option) => quote!(#option.map(::client_runtime::Cursor::from)),
    };
    let name = ident(&cursor.rust);
    let own = match (cursor.optional, cursor.prim) {
        (true, Prim::String) => quote!(self.#name.clone().map(::client_runtime::Cursor::from)),
        (true, _) => quote!(self.#name.map(::client_runtime::Cursor::from)),
        (false, Prim::String) => quote!(Some(::client_runtime::Cursor::from(self.#name.clone()))),
        (false, _) => quote!(Some(::client_runtime::Cursor::from(self.#name))),
    };
    let not_a_number =
        quote!(.ok_or_else(|| "the request's cursor field takes a number".to_owned())?);
    let value = match cursor.prim {
        Prim::String => quote!(cursor.into_text()),
        Prim::Int32 => quote! {
            i32::try_from(cursor.to_i64() #not_a_number)
                .map_err(|_| "the request's cursor field takes a 32-bit number".to_owned())?
        },
        _ => quote!(cursor.to_i64() #not_a_number),
    };
    let set = if cursor.optional {
        quote!(self.#name = Some(value);)
    } else {
        quote!(self.#name = value;)
    };
    quote! {
        #[inline]
        fn next_cursor(response: &Self::Response) -> Option<::client_runtime::Cursor> {
            #next
        }
        #[inline]
        fn cursor(&self) -> Option<::client_runtime::Cursor> {
            #own
        }
        #[inline]
        fn set_cursor(&mut self, cursor: ::client_runtime::Cursor) -> Result<(), String> {
            let value = #value;
            #set
            Ok(())
        }
    }
}

/// The offset functions: the request's offset, setting it, and its page size.
fn offset_fns(offset: &PageFieldIr, size: Option<&PageFieldIr>) -> TokenStream {
    let name = ident(&offset.rust);
    let get = match (offset.optional, offset.prim) {
        (true, Prim::Int32) => quote!(self.#name.map(i64::from).unwrap_or(0)),
        (true, _) => quote!(self.#name.unwrap_or(0)),
        (false, Prim::Int32) => quote!(i64::from(self.#name)),
        (false, _) => quote!(self.#name),
    };
    let value = match offset.prim {
        Prim::Int32 => quote!(i32::try_from(offset).unwrap_or(i32::MAX)),
        _ => quote!(offset),
    };
    let set = if offset.optional {
        quote!(self.#name = Some(#value);)
    } else {
        quote!(self.#name = #value;)
    };
    let size = size.map(|s| {
        let name = ident(&s.rust);
        let get = match (s.optional, s.prim) {
            (true, Prim::Int32) => quote!(self.#name.map(i64::from)),
            (true, _) => quote!(self.#name),
            (false, Prim::Int32) => quote!(Some(i64::from(self.#name))),
            (false, _) => quote!(Some(self.#name)),
        };
        quote! {
            #[inline]
            fn page_size(&self) -> Option<i64> {
                #get
            }
        }
    });
    quote! {
        #[inline]
        fn offset(&self) -> i64 {
            #get
        }
        #[inline]
        fn set_offset(&mut self, offset: i64) {
            #set
        }
        #size
    }
}

/// A scalar at the end of a path: always there, or an `Option`.
enum Leaf {
    /// The value.
    Always(TokenStream),
    /// An `Option` of the value.
    Maybe(TokenStream),
}

/// The scalar at the end of `steps` from `response` (a reference): copied, or cloned when
/// `clone` (text).
fn leaf(steps: &[PathStep], clone: bool) -> Leaf {
    let (last, within) = steps.split_last().expect("a path has a field");
    let name = ident(&last.rust);
    let take = |owner: TokenStream| {
        if clone {
            quote!(#owner.#name.clone())
        } else {
            quote!(#owner.#name)
        }
    };
    match (by_ref(within), last.optional) {
        (Chain::Plain(place), false) => Leaf::Always(take(place)),
        (Chain::Plain(place), true) => Leaf::Maybe(take(place)),
        (Chain::Optional(chain), optional) => {
            let value = take(quote!(v));
            Leaf::Maybe(if optional {
                quote!(#chain.and_then(|v| #value))
            } else {
                quote!(#chain.map(|v| #value))
            })
        }
    }
}

/// A path through the response, as an expression.
enum Chain {
    /// No field on the way is an `Option`: a place (`response.result.list`).
    Plain(TokenStream),
    /// An `Option` of the last field.
    Optional(TokenStream),
}

/// The path from `response` (a reference), giving a place or an `Option` of a reference.
fn by_ref(steps: &[PathStep]) -> Chain {
    chain(
        steps,
        |_| quote!(.as_ref()),
        |field| quote!(.map(|v| &v.#field)),
    )
}

/// The path from `response` (owned), giving the last field or an `Option` of it.
fn by_value(steps: &[PathStep]) -> Chain {
    chain(steps, |_| quote!(), |field| quote!(.map(|v| v.#field)))
}

/// Walks `steps` from `response`: fields are accessed as a place until the first `Option`,
/// which `enter` turns into the chain; after it, optional fields are `and_then`'d in (with
/// `enter` applied) and required ones `map`ped by `required`.
fn chain(
    steps: &[PathStep],
    enter: impl Fn(&proc_macro2::Ident) -> TokenStream,
    required: impl Fn(&proc_macro2::Ident) -> TokenStream,
) -> Chain {
    let mut place = quote!(response);
    let mut chain: Option<TokenStream> = None;
    for step in steps {
        let field = ident(&step.rust);
        chain = match chain {
            None if step.optional => {
                let enter = enter(&field);
                Some(quote!(#place.#field #enter))
            }
            None => {
                place = quote!(#place.#field);
                None
            }
            Some(c) if step.optional => {
                let enter = enter(&field);
                Some(quote!(#c.and_then(|v| v.#field #enter)))
            }
            Some(c) => {
                let map = required(&field);
                Some(quote!(#c #map))
            }
        };
    }
    match chain {
        Some(c) => Chain::Optional(c),
        None => Chain::Plain(place),
    }
}
