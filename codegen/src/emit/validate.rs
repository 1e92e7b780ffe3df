//! `Validate` impls: every documented limit of a request-side type, checked with its path.

use proc_macro2::TokenStream;
use quote::quote;

use super::doc::braced;
use super::ty::ident;
use super::types::literal;
use crate::ir::{
    FieldIr, FieldRef, GroupIr, GroupKind, Limits, Literal, RuleCheckIr, RuleIr, StructIr, TestIr,
    TyIr, ValueIr,
};
use crate::model::SeverityName;
use crate::typeexpr::Prim;

/// The `Validate` impl of a struct used in requests.
pub fn validate_impl(s: &StructIr) -> TokenStream {
    let name = ident(&s.name);
    let checks: Vec<TokenStream> = s.fields.iter().filter_map(field_checks).collect();
    let rules: Vec<TokenStream> = s.rules.iter().map(rule_check).collect();
    let groups: Vec<TokenStream> = s.groups.iter().map(group_check).collect();
    let (path, out) = if checks.is_empty() && rules.is_empty() && groups.is_empty() {
        (quote!(_path), quote!(_out))
    } else {
        (quote!(path), quote!(out))
    };
    let body = braced(checks.into_iter().chain(rules).chain(groups).collect());
    quote! {
        impl ::client_runtime::Validate for #name {
            #[inline]
            fn validate_at(&self, #path: &::client_runtime::Path<'_>, #out: &mut ::client_runtime::Violations) #body
        }
    }
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    }
}

fn opt_f64(v: Option<f64>) -> TokenStream {
    match v {
        Some(n) => {
            let lit = proc_macro2::Literal::f64_suffixed(n);
            quote!(Some(#lit))
        }
        None => quote!(None),
    }
}

/// Checks of one scalar value `v` (a `&String` or a `&number`) at path `p`.
fn scalar_checks(prim: Prim, l: &Limits) -> Option<TokenStream> {
    let mut out = Vec::new();
    if prim == Prim::String {
        if l.min_length.is_some() || l.max_length.is_some() {
            let (min, max) = (opt_u64(l.min_length), opt_u64(l.max_length));
            out.push(quote!(::client_runtime::validate::check::chars(&p, v, #min, #max, out);));
        }
        if let Some(n) = l.length {
            out.push(quote!(::client_runtime::validate::check::exact_chars(&p, v, #n, out);));
        }
        if let Some(n) = l.truncated_beyond {
            out.push(quote!(::client_runtime::validate::check::truncated_beyond(&p, v, #n, out);));
        }
        if let Some(pat) = &l.pattern {
            out.push(quote! {
                static PATTERN: ::client_runtime::validate::Pattern = ::client_runtime::validate::Pattern::new(#pat);
                ::client_runtime::validate::check::pattern(&p, v, &PATTERN, out);
            });
        }
    } else if prim.is_numeric() && (l.min.is_some() || l.max.is_some()) {
        let (min, max) = (opt_f64(l.min), opt_f64(l.max));
        let cast = if prim == Prim::Number {
            quote!(*v)
        } else {
            quote!(*v as f64)
        };
        out.push(quote!(::client_runtime::validate::check::range(&p, #cast, #min, #max, out);));
    }
    (!out.is_empty()).then(|| quote!(#(#out)*))
}

fn field_checks(f: &FieldIr) -> Option<TokenStream> {
    let rust = &f.rust;
    let wire = &f.wire;
    let name = ident(&f.rust);
    let l = &f.limits;
    let body: TokenStream = match &f.ty {
        TyIr::Prim(prim) => {
            let mut parts = Vec::new();
            if f.non_empty && !f.optional {
                parts.push(quote!(::client_runtime::validate::check::non_empty(&p, v, out);));
            }
            if let Some(s) = scalar_checks(*prim, l) {
                parts.push(s);
            }
            if parts.is_empty() {
                return None;
            }
            quote!(#(#parts)*)
        }
        TyIr::Struct(_) | TyIr::Enum(..) => {
            quote!(::client_runtime::Validate::validate_at(v, &p, out);)
        }
        TyIr::File => {
            if l.max_bytes.is_none() && l.extensions.is_empty() && l.media_types.is_empty() {
                return None;
            }
            let max = opt_u64(l.max_bytes);
            let (exts, media) = (&l.extensions, &l.media_types);
            quote!(::client_runtime::validate::check::file(&p, v, #max, &[#(#exts),*], &[#(#media),*], out);)
        }
        TyIr::List(inner) => {
            let mut parts = Vec::new();
            if l.min_items.is_some() || l.max_items.is_some() {
                let (min, max) = (opt_u64(l.min_items), opt_u64(l.max_items));
                parts.push(
                    quote!(::client_runtime::validate::check::items(&p, v.len(), #min, #max, out);),
                );
            }
            if let Some(n) = l.recommended_max_items {
                parts.push(quote!(::client_runtime::validate::check::recommended_max_items(&p, v.len(), #n, out);));
            }
            match inner.as_ref() {
                TyIr::Struct(_) | TyIr::Enum(..) => {
                    parts.push(quote!(::client_runtime::Validate::validate_at(v, &p, out);));
                }
                TyIr::Prim(prim) => {
                    if let Some(s) = scalar_checks(*prim, l) {
                        parts.push(quote! {
                            for (i, v) in v.iter().enumerate() {
                                let p = p.index(i);
                                #s
                            }
                        });
                    }
                }
                // Lists of lists, and of files (which the checks refuse), have no item checks.
                TyIr::List(_) | TyIr::File => {}
            }
            if parts.is_empty() {
                return None;
            }
            quote!(#(#parts)*)
        }
    };
    let bind = if f.optional {
        quote!(if let Some(v) = &self.#name)
    } else {
        quote!(let v = &self.#name;)
    };
    Some(if f.optional {
        quote! {
            #bind {
                let p = path.field(#rust, #wire);
                #body
            }
        }
    } else {
        quote! {
            {
                #bind
                let p = path.field(#rust, #wire);
                #body
            }
        }
    })
}

fn severity(s: SeverityName) -> TokenStream {
    match s {
        SeverityName::Error => quote!(::client_runtime::Severity::Error),
        SeverityName::Warning => quote!(::client_runtime::Severity::Warning),
    }
}

/// A value a condition compares with, as an expression comparable with the field's value (a
/// `&str` for text, which `String` compares with).
fn compared(v: &ValueIr) -> TokenStream {
    match &v.rust {
        Literal::Str(s) => quote!(#s),
        other => literal(other),
    }
}

/// Whether `value` (an expression of the field's type) equals one of `values`.
fn equals_any(value: TokenStream, values: &[&ValueIr]) -> TokenStream {
    let tests = values.iter().map(|v| {
        let v = compared(v);
        quote!(#value == #v)
    });
    quote!(#(#tests)||*)
}

/// The condition of a rule, as a boolean expression.
fn condition(when: &FieldRef, test: &TestIr) -> TokenStream {
    let name = ident(&when.rust);
    let (values, negate): (Vec<&ValueIr>, bool) = match test {
        TestIr::Present => return quote!(self.#name.is_some()),
        TestIr::Absent => return quote!(self.#name.is_none()),
        TestIr::Equals(v) => (vec![v], false),
        TestIr::NotEquals(v) => (vec![v], true),
        TestIr::In(vs) => (vs.iter().collect(), false),
    };
    let holds = if when.optional {
        let any = equals_any(quote!(*v), &values);
        quote!(self.#name.as_ref().is_some_and(|v| #any))
    } else {
        equals_any(quote!(self.#name), &values)
    };
    match (negate, when.optional) {
        (false, _) => holds,
        (true, true) => quote!(!#holds),
        (true, false) => {
            let v = compared(values[0]);
            quote!(self.#name != #v)
        }
    }
}

fn rule_check(r: &RuleIr) -> TokenStream {
    let cond = condition(&r.when, &r.test);
    let text = &r.text;
    let sev = severity(r.severity);
    let body = match &r.check {
        RuleCheckIr::MaxItems { field, max } => {
            let (rust, wire, name) = (&field.rust, &field.wire, ident(&field.rust));
            let push = quote! {
                if v.len() as u64 > #max {
                    out.push(
                        &path.field(#rust, #wire),
                        ::client_runtime::Rule::Stated(#text),
                        ::client_runtime::Found::Items(v.len()),
                        #sev,
                    );
                }
            };
            if field.optional {
                quote!(if let Some(v) = &self.#name { #push })
            } else {
                quote!({ let v = &self.#name; #push })
            }
        }
        RuleCheckIr::Presence {
            list,
            field,
            absent,
        } => {
            let (rust, wire, name) = (&field.rust, &field.wire, ident(&field.rust));
            // The checks let presence rules name optional fields only.
            let broken = if *absent {
                quote!(item.#name.is_some())
            } else {
                quote!(item.#name.is_none())
            };
            let found = if *absent {
                quote!(::client_runtime::Found::Present)
            } else {
                quote!(::client_runtime::Found::Missing)
            };
            match list {
                Some(list) => {
                    let (lrust, lwire, lname) = (&list.rust, &list.wire, ident(&list.rust));
                    let items = if list.optional {
                        quote!(self.#lname.iter().flatten())
                    } else {
                        quote!(self.#lname.iter())
                    };
                    quote! {
                        let list = path.field(#lrust, #lwire);
                        for (i, item) in #items.enumerate() {
                            if #broken {
                                out.push(
                                    &list.index(i).field(#rust, #wire),
                                    ::client_runtime::Rule::Stated(#text),
                                    #found,
                                    #sev,
                                );
                            }
                        }
                    }
                }
                None => quote! {
                    let item = self;
                    if #broken {
                        out.push(
                            &path.field(#rust, #wire),
                            ::client_runtime::Rule::Stated(#text),
                            #found,
                            #sev,
                        );
                    }
                },
            }
        }
    };
    quote! {
        if #cond {
            #body
        }
    }
}

/// A group: how many of its fields are set, checked against what the group asks.
fn group_check(g: &GroupIr) -> TokenStream {
    let set = g.fields.iter().map(|f| {
        let name = ident(&f.rust);
        quote!(usize::from(self.#name.is_some()))
    });
    let rust = g.fields.iter().map(|f| &f.rust);
    let wire = g.fields.iter().map(|f| &f.wire);
    let kind = match g.kind {
        GroupKind::AtMostOne => quote!(AtMostOne),
        GroupKind::AtLeastOne => quote!(AtLeastOne),
        GroupKind::ExactlyOne => quote!(ExactlyOne),
    };
    let sev = severity(g.severity);
    quote! {
        ::client_runtime::validate::check::group(
            path,
            ::client_runtime::validate::GroupKind::#kind,
            &[#(#rust),*],
            &[#(#wire),*],
            #(#set)+*,
            #sev,
            out,
        );
    }
}
