//! Writes Rust from the IR: one file per spec module, plus the files that tie them together,
//! each laid out as [`Options::format`] says (prettyplease by default) and headed by a line
//! naming its source. The modules are independent and emitted in parallel.
//!
//! Every function the generator writes that is not generic is marked `#[inline]`. That is not a
//! speed hint: rustc compiles an `#[inline]` function to machine code only in a crate that calls
//! it, so a client crate of a thousand endpoints type-checks them all but generates code only for
//! the endpoints its users call, in the crates that call them (BENCHMARKS.md, "Machine code only
//! where an endpoint is called").

mod builder;
mod decode;
mod doc;
mod endpoint;
mod enums;
mod example;
mod layout;
mod paginate;
mod runtime;
mod text;
mod ty;
mod types;
mod validate;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{ClientFamily, Ir, ModuleIr, VendorIr};
use doc::doc_attrs;
use ty::ident;
pub use types::SERDE_BOTH_FEATURE;

/// The generated files, by path relative to the output folder (sorted, so writing order and
/// content never depend on hash order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// File path (`dingtalk/edu_period_create.rs`) to content.
    pub files: BTreeMap<String, String>,
    /// What was generated.
    pub summary: Summary,
}

/// Counts of what was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Per vendor: endpoints, object types, enums (error-code tables included), validators.
    pub vendors: BTreeMap<String, Counts>,
}

/// Counts for one vendor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Endpoints.
    pub endpoints: usize,
    /// Object types (requests and responses included).
    pub structs: usize,
    /// Enums and error-code tables.
    pub enums: usize,
    /// `Validate` impls.
    pub validators: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut total = Counts::default();
        for (vendor, c) in &self.vendors {
            writeln!(
                f,
                "{vendor}: {} endpoints, {} types, {} enums, {} validators",
                c.endpoints, c.structs, c.enums, c.validators
            )?;
            total.endpoints += c.endpoints;
            total.structs += c.structs;
            total.enums += c.enums;
            total.validators += c.validators;
        }
        write!(
            f,
            "total: {} endpoints, {} types, {} enums, {} validators",
            total.endpoints, total.structs, total.enums, total.validators
        )
    }
}

/// How the vendor and root files bring in the module files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// A plain module tree (`lib.rs`, `<vendor>/mod.rs`), to read, review or check in.
    Tree,
    /// One `lib.rs` that `include!`s each module file by its path relative to itself, for a
    /// build script: `include!` the `lib.rs` from wherever it was written (`OUT_DIR` by default).
    OutDir,
}

/// The path generated code names the runtime crate by unless told otherwise: the crate
/// `client-runtime` as a dependency of the generated crate.
pub const DEFAULT_RUNTIME: &str = "client_runtime";

/// How generated files are laid out as text. Both hold the same code: prettyplease of a
/// [`Format::Fast`] file is the [`Format::Pretty`] file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Formatted with prettyplease, as rustfmt would: for code people read, review or check
    /// in. Most of what generating costs: the code is parsed into a syntax tree to print it.
    Pretty,
    /// Written straight from the tokens (and the items the emitters write as text), one item,
    /// statement, field or attribute per line, indented, documentation as `///` lines:
    /// readable from an IDE's go-to-definition, and several times faster to generate. For a
    /// build script's output.
    Fast,
}

/// How to generate: the layout, which vendors sit behind a Cargo feature, the path of the
/// runtime crate and how the files are laid out.
///
/// Built from a [`Layout`] with the defaults for the rest:
/// `Options { vendor_features, ..Options::from(Layout::OutDir) }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// How the files are tied together.
    pub layout: Layout,
    /// Vendors whose module is compiled only with the Cargo feature of the same name (the
    /// vendor's folder name under the spec folder). Vendors not named here are always compiled.
    pub vendor_features: BTreeSet<String>,
    /// The path generated code names the runtime crate by ([`DEFAULT_RUNTIME`] by default): the
    /// name the generated crate gives `client-runtime` in its `[dependencies]`, or a re-export
    /// of it.
    pub runtime: String,
    /// How each file is laid out: [`Format::Pretty`] (the default) or [`Format::Fast`].
    pub format: Format,
    /// The path by which code outside the crate reaches the generated modules (the crate name,
    /// `generated_client`, or `my_crate::api` for code included in a module). When set, every
    /// client method's documentation has an example, built from the spec's example values,
    /// that `cargo test --doc` compiles; when not, the methods have no example, since one that
    /// named a wrong path would fail the crate's doctests.
    pub doc_examples: Option<String>,
}

impl From<Layout> for Options {
    fn from(layout: Layout) -> Self {
        Options {
            layout,
            vendor_features: BTreeSet::new(),
            runtime: DEFAULT_RUNTIME.to_owned(),
            format: Format::Pretty,
            doc_examples: None,
        }
    }
}

/// Why emitting stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmitError {
    /// A generation step produced tokens syn cannot parse: a generator bug, reported rather
    /// than panicking.
    #[error("internal error: the code generated for {file} does not parse ({reason}); please report it with the spec")]
    Unparsable {
        /// The file being generated.
        file: String,
        /// syn's message.
        reason: String,
    },
    /// [`Options::runtime`] is not a path generated code can name the runtime by.
    #[error("the runtime path `{0}` is not a Rust path: write a crate name such as `client_runtime`, or a path from the crate root such as `crate::runtime`")]
    RuntimePath(String),
    /// The crate said to provide some modules ([`ModuleIr::provided_by`]) is not a path
    /// generated code can name it by.
    #[error("the crate path `{0}` given for extern specs is not a Rust path: write the crate's name as a dependency (`my_api_types`), or a path from the crate root such as `crate::types`")]
    ExternPath(String),
}

/// Checks a path generated code is to name another crate by: a crate name (`my_api_types`) or a
/// path from the crate root (`crate::types`).
pub fn check_crate_path(path: &str) -> Result<(), EmitError> {
    runtime::crate_path(path)
        .map(|_| ())
        .ok_or_else(|| EmitError::ExternPath(path.to_owned()))
}

const HEADER: &str = "// @generated by codegen";

/// Code of a file as the emitters produce it: runs of tokens, and items written straight as
/// text ([`text`]), which a fast layout copies and prettyplease parses first.
enum Piece {
    Tokens(TokenStream),
    Text(String),
}

/// Pieces gathered in order, consecutive tokens in one run.
#[derive(Default)]
struct Pieces(Vec<Piece>);

impl Pieces {
    fn tokens(&mut self, tokens: TokenStream) {
        match self.0.last_mut() {
            // Moved, not copied: the run owns its tokens.
            Some(Piece::Tokens(run)) => run.extend(tokens),
            _ => self.0.push(Piece::Tokens(tokens)),
        }
    }

    fn text(&mut self, text: String) {
        self.0.push(Piece::Text(text));
    }
}

impl From<TokenStream> for Pieces {
    fn from(tokens: TokenStream) -> Self {
        Pieces(vec![Piece::Tokens(tokens)])
    }
}

/// The text of one generated file: the header naming its source, then the code laid out as
/// `format` says, the runtime named as `runtime` says (text pieces name it already).
fn format(
    file: &str,
    source: &str,
    pieces: Pieces,
    format: Format,
    runtime: Option<&runtime::Runtime>,
) -> Result<String, EmitError> {
    let rewrite = |tokens: TokenStream| match runtime {
        Some(r) => r.rewrite(tokens),
        None => tokens,
    };
    let code = match format {
        Format::Pretty => {
            let mut tokens = TokenStream::new();
            for piece in pieces.0 {
                match piece {
                    Piece::Tokens(t) => tokens.extend(rewrite(t)),
                    Piece::Text(text) => {
                        let read: TokenStream =
                            text.parse().map_err(|e: proc_macro2::LexError| {
                                EmitError::Unparsable {
                                    file: file.to_owned(),
                                    reason: e.to_string(),
                                }
                            })?;
                        tokens.extend(read);
                    }
                }
            }
            let parsed: syn::File = syn::parse2(tokens).map_err(|e| EmitError::Unparsable {
                file: file.to_owned(),
                reason: e.to_string(),
            })?;
            prettyplease::unparse(&parsed)
        }
        Format::Fast => {
            let mut code = String::new();
            for piece in pieces.0 {
                match piece {
                    Piece::Tokens(t) => code.push_str(&layout::layout(rewrite(t))),
                    Piece::Text(text) => code.push_str(&text),
                }
            }
            code
        }
    };
    Ok(format!(
        "{HEADER} from {source}. Do not edit: change the spec and regenerate.\n\n{code}"
    ))
}

/// What every file is generated with: the options, and the runtime path they name, checked.
struct Emitter<'a> {
    options: &'a Options,
    runtime: Option<runtime::Runtime>,
    /// The runtime's path as code written as text names it.
    runtime_code: String,
}

impl Emitter<'_> {
    /// The text of one file: its code naming the runtime as the options say, laid out.
    fn file_text(
        &self,
        file: &str,
        source: &str,
        code: impl Into<Pieces>,
    ) -> Result<String, EmitError> {
        format(
            file,
            source,
            code.into(),
            self.options.format,
            self.runtime.as_ref(),
        )
    }

    /// The path and text of a module's file, and what it holds.
    fn module_file(
        &self,
        vendor: &VendorIr,
        m: &ModuleIr,
    ) -> Result<(String, String, Counts), EmitError> {
        let file = format!("{}/{}.rs", vendor.name, m.name);
        let mut counts = Counts::default();
        let code = module_code(
            vendor,
            m,
            self.options.doc_examples.as_deref(),
            &self.options.runtime,
            &self.runtime_code,
            &mut counts,
        );
        let text = self.file_text(&file, &m.source, code)?;
        Ok((file, text, counts))
    }
}

/// Writes every file for `ir` as `options` say (a [`Layout`] alone gates no vendor).
pub fn emit(ir: &Ir, options: impl Into<Options>) -> Result<Output, EmitError> {
    let options = options.into();
    let layout = options.layout;
    let runtime_code = runtime::code_path(&options.runtime)?;
    let emitter = Emitter {
        options: &options,
        runtime: runtime::Runtime::new(&options.runtime)?,
        runtime_code: runtime_code.clone(),
    };
    // Modules another crate provides are re-exported from it, not generated again.
    let modules: Vec<(&VendorIr, &ModuleIr)> = ir
        .vendors
        .values()
        .flat_map(|v| v.modules.values().map(move |m| (v, m)))
        .filter(|(_, m)| m.provided_by.is_none())
        .collect();
    // Each thread names the runtime with tokens of its own (tokens cannot cross threads); the
    // path was checked above.
    let files = crate::parallel::map_chunks(&modules, |chunk| {
        let emitter = Emitter {
            options: &options,
            runtime: runtime::Runtime::new(&options.runtime).ok().flatten(),
            runtime_code: runtime_code.clone(),
        };
        chunk
            .iter()
            .map(|(v, m)| emitter.module_file(v, m))
            .collect()
    });
    let mut out = Output::default();
    for ((vendor, _), file) in modules.iter().zip(files) {
        let (file, text, counts) = file?;
        out.files.insert(file, text);
        let total = out.summary.vendors.entry(vendor.name.clone()).or_default();
        total.endpoints += counts.endpoints;
        total.structs += counts.structs;
        total.enums += counts.enums;
        total.validators += counts.validators;
    }
    let mut root_items = Vec::new();
    // A vendor all of whose modules another crate provides has nothing of its own here.
    let own_vendors = ir
        .vendors
        .values()
        .filter(|v| v.modules.values().any(|m| m.provided_by.is_none()));
    for vendor in own_vendors {
        out.summary.vendors.entry(vendor.name.clone()).or_default();
        let vendor_items = vendor_tokens(vendor, layout)?;
        let feature = options
            .vendor_features
            .contains(&vendor.name)
            .then_some(vendor.name.as_str());
        let name = ident(&vendor.name);
        let doc = doc_attrs(&vendor_doc(vendor, feature));
        let gate = feature.map(|f| quote!(#[cfg(feature = #f)]));
        match layout {
            Layout::Tree => {
                let file = format!("{}/mod.rs", vendor.name);
                let source = format!("the specs of vendor `{}`", vendor.name);
                let text = emitter.file_text(&file, &source, vendor_items)?;
                out.files.insert(file, text);
                root_items.push(quote!(#doc #gate pub mod #name;));
            }
            Layout::OutDir => {
                root_items.push(quote!(#doc #gate pub mod #name { #vendor_items }));
            }
        }
    }
    out.files.insert(
        "lib.rs".to_owned(),
        emitter.file_text("lib.rs", "every spec", quote!(#(#root_items)*))?,
    );
    Ok(out)
}

fn vendor_doc(v: &VendorIr, feature: Option<&str>) -> String {
    let gate = feature
        .map(|f| format!("\n\nCompiled only with the `{f}` feature."))
        .unwrap_or_default();
    let names: Vec<String> = v
        .modules
        .values()
        .filter(|m| m.provided_by.is_none())
        .filter_map(|m| {
            m.endpoint
                .as_ref()
                .map(|e| format!("- `{}`: {}", e.api, e.title))
        })
        .collect();
    if names.is_empty() {
        format!("Types of vendor `{}`.{gate}", v.name)
    } else {
        format!(
            "Endpoints of vendor `{}`:\n\n{}{gate}",
            v.name,
            names.join("\n")
        )
    }
}

fn vendor_tokens(v: &VendorIr, layout: Layout) -> Result<TokenStream, EmitError> {
    let mut modules = Vec::new();
    for m in v.modules.values() {
        let name = ident(&m.name);
        if let Some(krate) = &m.provided_by {
            // The same module, so the same types, as in the crate that generates it; its
            // documentation comes with it.
            let (krate, _) =
                runtime::crate_path(krate).ok_or_else(|| EmitError::ExternPath(krate.clone()))?;
            let vendor = ident(&v.name);
            modules.push(quote!(pub use #krate::#vendor::#name;));
            continue;
        }
        let doc = doc_attrs(&m.doc);
        modules.push(match layout {
            Layout::Tree => quote!(#doc pub mod #name;),
            Layout::OutDir => {
                // Relative to the including file, so the tree can be written anywhere.
                let path = format!("{}/{}.rs", v.name, m.name);
                quote!(#doc pub mod #name { include!(#path); })
            }
        });
    }
    // Endpoints another crate provides are called through that crate's client.
    let own_endpoints = v
        .modules
        .values()
        .any(|m| m.provided_by.is_none() && m.endpoint.is_some());
    let client = v.family.filter(|_| own_endpoints).map(client_tokens);
    Ok(quote! {
        #client
        #(#modules)*
    })
}

fn client_tokens(family: ClientFamily) -> TokenStream {
    let name = ident(family.client_type());
    let rt = ident(family.runtime_module());
    let doc = doc_attrs(&format!(
        "Client of these endpoints: one method per endpoint, each returning the typed response.\n\n\
         Wraps the runtime's [`client_runtime::{rt}::{name}`], which holds the credentials and \
         connection pool; cloning is cheap and clones share both."
    ));
    quote! {
        #doc
        #[derive(Debug, Clone)]
        pub struct #name {
            inner: ::client_runtime::#rt::#name,
        }

        impl #name {
            /// Wraps a configured runtime client.
            #[inline]
            pub fn new(inner: ::client_runtime::#rt::#name) -> Self {
                Self { inner }
            }

            /// The runtime client, for calling any [`client_runtime::Endpoint`] generically.
            #[inline]
            pub fn inner(&self) -> &::client_runtime::#rt::#name {
                &self.inner
            }
        }

        impl From<::client_runtime::#rt::#name> for #name {
            #[inline]
            fn from(inner: ::client_runtime::#rt::#name) -> Self {
                Self::new(inner)
            }
        }
    }
}

/// The code of a module's file; `runtime` is the runtime path as the options give it,
/// `runtime_code` as code written as text names it.
fn module_code(
    v: &VendorIr,
    m: &ModuleIr,
    doc_examples: Option<&str>,
    runtime: &str,
    runtime_code: &str,
    counts: &mut Counts,
) -> Pieces {
    let mut items = Pieces::default();
    for s in &m.structs {
        let mut code = text::Code::new();
        types::struct_item(s, runtime_code, &mut code);
        if s.usage.request {
            builder::builder_items(s, runtime_code, &mut code);
        }
        items.text(code.finish());
        if s.usage.response {
            items.tokens(decode::deserialize_impl(s));
        }
        if s.usage.request {
            items.tokens(validate::validate_impl(s));
            counts.validators += 1;
        }
        if let Some(t) = endpoint::item_result_impl(s) {
            items.tokens(t);
        }
        counts.structs += 1;
    }
    for e in &m.enums {
        items.tokens(enums::enum_item(e));
        counts.enums += 1;
        counts.validators += 1;
    }
    if let (Some(c), Some(e)) = (&m.error_codes, &m.endpoint) {
        items.tokens(enums::error_codes_item(c, &e.api));
        counts.enums += 1;
    }
    if let (Some(e), Some(family)) = (&m.endpoint, v.family) {
        let example = doc_examples.map(|root| {
            // A runtime re-exported inside the crate is reached through the crate's name.
            let runtime = match runtime.strip_prefix("crate::") {
                Some(inside) => {
                    let krate = root.split("::").next().unwrap_or(root);
                    format!("{krate}::{inside}")
                }
                None => runtime.to_owned(),
            };
            let place = example::Place {
                root,
                vendor: &v.name,
                module: &m.name,
                client: family.client_type(),
                method: &e.method_name,
                runtime: &runtime,
            };
            example::example_doc(&e.example_request, &place)
        });
        items.tokens(endpoint::endpoint_items(
            e,
            family,
            m.error_codes.as_ref().map(|c| c.name.as_str()),
            example.as_deref(),
        ));
        if let Some(p) = &e.pagination {
            items.tokens(paginate::paginate_items(e, p, family));
        }
        counts.endpoints += 1;
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generate(options: Options) -> Output {
        crate::generate_sources(crate::synth::sources(3), options).expect("the specs generate")
    }

    /// Every file laid out fast holds the code of the prettyplease file: prettyplease of it is
    /// that file, byte for byte.
    fn assert_same_code(options: Options, endpoints: usize) {
        let runtime = options.runtime.clone();
        let sources = crate::synth::sources(endpoints);
        let pretty = crate::generate_sources(sources.clone(), options.clone()).expect("generates");
        let fast = crate::generate_sources(
            sources,
            Options {
                format: Format::Fast,
                ..options
            },
        )
        .expect("generates");
        assert_eq!(pretty.summary, fast.summary);
        assert_eq!(
            pretty.files.keys().collect::<Vec<_>>(),
            fast.files.keys().collect::<Vec<_>>()
        );
        for (rel, text) in &fast.files {
            // Whether written as tokens or as text, code names the runtime as the options say.
            if runtime != DEFAULT_RUNTIME {
                assert!(
                    !text.contains("::client_runtime::")
                        && !pretty.files[rel].contains("::client_runtime::"),
                    "{rel} names the default runtime under `{runtime}`:\n{text}"
                );
            }
            let (header, code) = text.split_once("\n\n").expect("a header line");
            assert!(header.starts_with(HEADER), "{rel}: {header}");
            let parsed: syn::File = syn::parse_str(code)
                .unwrap_or_else(|e| panic!("{rel} does not parse: {e}\n{code}"));
            let formatted = format!("{header}\n\n{}", prettyplease::unparse(&parsed));
            assert_eq!(&formatted, &pretty.files[rel], "{rel}");
        }
    }

    #[test]
    fn fast_files_hold_the_same_code_on_readable_lines() {
        assert_same_code(Options::from(Layout::OutDir), 3);
        let fast = generate(Options {
            format: Format::Fast,
            ..Options::from(Layout::OutDir)
        });
        for (rel, text) in &fast.files {
            // Documentation lines are as long as the spec writes them; code lines are short.
            let longest = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .max_by_key(|l| l.len())
                .unwrap_or_default();
            assert!(
                longest.len() < 300,
                "{rel} has a line of {} bytes:\n{longest}",
                longest.len()
            );
            assert!(
                text.contains("\n///"),
                "{rel} documents with `///`:\n{text}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]

        /// Over synthetic spec sets of every size, both layouts and the settings that change
        /// the code, the fast layout loses nothing.
        #[test]
        fn fast_layout_is_the_pretty_code(
            endpoints in 1usize..14,
            tree in proptest::bool::ANY,
            examples in proptest::bool::ANY,
            runtime in proptest::sample::select(vec!["client_runtime", "my_rt", "crate::rt"]),
            gated in proptest::bool::ANY,
        ) {
            let layout = if tree { Layout::Tree } else { Layout::OutDir };
            let options = Options {
                vendor_features: if gated { ["classin".to_owned()].into() } else { BTreeSet::new() },
                runtime: runtime.to_owned(),
                doc_examples: examples.then(|| "generated_client".to_owned()),
                ..Options::from(layout)
            };
            assert_same_code(options, endpoints);
        }
    }

    #[test]
    fn the_out_dir_root_includes_module_files_relative_to_itself() {
        let output = generate(Options::from(Layout::OutDir));
        let lib = &output.files["lib.rs"];
        for rel in output.files.keys().filter(|r| *r != "lib.rs") {
            let include = format!("include!(\"{rel}\");");
            assert!(lib.contains(&include), "no {include} in:\n{lib}");
        }
        assert!(!lib.contains("OUT_DIR"), "{lib}");
    }
}
