//! Every function the generator writes that is not generic is `#[inline]`, so that rustc
//! generates its machine code only in a crate that calls it (the reason is in `emit/mod.rs`).
//! Checked on the synthetic specs of the three families and on this repository's own specs.

use std::path::Path;

use codegen::{generate_dir, generate_sources, synth, Layout};

/// Whether `generics` has a type or const parameter (lifetimes do not count).
fn generic(generics: &syn::Generics) -> bool {
    generics
        .params
        .iter()
        .any(|p| !matches!(p, syn::GenericParam::Lifetime(_)))
}

/// Whether the function is monomorphised: generic, or taking an argument of `impl Trait` type.
fn generic_fn(sig: &syn::Signature) -> bool {
    generic(&sig.generics)
        || sig.inputs.iter().any(|arg| match arg {
            syn::FnArg::Typed(t) => type_has_impl_trait(&t.ty),
            syn::FnArg::Receiver(_) => false,
        })
}

fn type_has_impl_trait(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::ImplTrait(_) => true,
        syn::Type::Path(p) => p.path.segments.iter().any(|s| match &s.arguments {
            syn::PathArguments::AngleBracketed(a) => a.args.iter().any(|g| match g {
                syn::GenericArgument::Type(t) => type_has_impl_trait(t),
                _ => false,
            }),
            _ => false,
        }),
        syn::Type::Reference(r) => type_has_impl_trait(&r.elem),
        _ => false,
    }
}

fn is_inline(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("inline"))
}

/// The non-generic functions of `items` without `#[inline]`, as `file: item::fn`.
fn missing(file: &str, items: &[syn::Item], out: &mut Vec<String>, checked: &mut usize) {
    for item in items {
        match item {
            syn::Item::Fn(f) if !generic_fn(&f.sig) => {
                *checked += 1;
                if !is_inline(&f.attrs) {
                    out.push(format!("{file}: fn {}", f.sig.ident));
                }
            }
            syn::Item::Impl(imp) if !generic(&imp.generics) => {
                let owner = quote::ToTokens::to_token_stream(&imp.self_ty).to_string();
                for it in &imp.items {
                    let syn::ImplItem::Fn(f) = it else { continue };
                    if generic_fn(&f.sig) {
                        continue;
                    }
                    *checked += 1;
                    if !is_inline(&f.attrs) {
                        out.push(format!("{file}: {owner}::{}", f.sig.ident));
                    }
                }
            }
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    missing(file, items, out, checked);
                }
            }
            _ => {}
        }
    }
}

fn assert_all_inline(what: &str, output: &codegen::Output) {
    let (mut out, mut checked) = (Vec::new(), 0);
    for (rel, text) in &output.files {
        if !rel.ends_with(".rs") {
            continue;
        }
        let file: syn::File =
            syn::parse_str(text).unwrap_or_else(|e| panic!("{what}: {rel} does not parse: {e}"));
        missing(rel, &file.items, &mut out, &mut checked);
    }
    assert!(checked > 0, "{what}: no function was checked");
    assert!(
        out.is_empty(),
        "{what}: {} of {checked} non-generic functions are not #[inline]:\n{}",
        out.len(),
        out.join("\n")
    );
}

#[test]
fn synthetic_specs_of_every_family() {
    let output = generate_sources(synth::sources(6), Layout::Tree).expect("generates");
    assert_all_inline("synthetic specs", &output);
}

#[test]
fn this_repository_specs() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let output = generate_dir(&spec, Layout::Tree).expect("generates");
    assert_all_inline("spec/", &output);
}
