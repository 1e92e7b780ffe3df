//! Generates typed Rust API clients from YAML endpoint specs.
//!
//! The pipeline: [`load`] reads spec files into the plain [`model`], [`check`] finds every
//! problem at once and resolves the specs into the typed [`resolved`] model, [`lower`] turns
//! that into the [`ir`], and [`emit`] writes Rust from the IR, formatted with prettyplease or
//! laid out fast ([`Format`]). [`Config`] and [`compile_specs`] are the entry points for a
//! build script (the prost-build way, in [`build`](mod@build));
//! [`write`](mod@write) puts generated files into a folder without leaving it half-written;
//! [`synth`] writes synthetic specs for measuring all of it at scale.

pub mod build;
pub mod check;
pub mod diagnostic;
pub mod diff;
pub mod docs;
pub mod emit;
pub mod import;
pub mod ir;
pub mod load;
pub mod locate;
pub mod lower;
pub mod model;
pub mod naming;
pub mod openapi;
mod parallel;
pub mod resolved;
pub mod schema;
pub mod synth;
pub mod typeexpr;
pub mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use build::{BuildError, Config};
pub use diagnostic::{Diagnostic, Diagnostics};
pub use emit::{EmitError, Format, Layout, Options, Output, Summary};
pub use load::Source;

/// Why generation produced nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// The specs have problems; every one is listed.
    #[error("{0}")]
    Specs(Diagnostics),
    /// The generator produced code it cannot format (a generator bug).
    #[error(transparent)]
    Emit(#[from] EmitError),
}

/// Generates the client for the specs in `spec_dir` (relative to the crate being built) into
/// `OUT_DIR`, with every other setting of [`Config`] at its default: the short form for a build
/// script.
///
/// ```no_run
/// // build.rs
/// fn main() -> Result<(), codegen::BuildError> {
///     codegen::compile_specs("spec")
/// }
/// ```
pub fn compile_specs(spec_dir: impl AsRef<Path>) -> Result<(), BuildError> {
    Config::new().spec_dir(spec_dir.as_ref()).compile()
}

/// Checks every spec under `spec_dir` and returns every problem found (empty when all is well).
pub fn check_dir(spec_dir: &Path) -> Diagnostics {
    match ir_from_dir(spec_dir) {
        Err(Failure::Specs(diags)) => diags,
        _ => Diagnostics::default(),
    }
}

/// Loads and checks every spec under `spec_dir` into the resolved model.
pub fn model_from_dir(spec_dir: &Path) -> Result<resolved::Model, Failure> {
    let mut diags = Diagnostics::default();
    let sources = load::read_dir(spec_dir, &mut diags);
    resolve_sources(sources, diags)
}

/// Loads, checks and lowers every spec under `spec_dir` into the IR.
pub fn ir_from_dir(spec_dir: &Path) -> Result<ir::Ir, Failure> {
    Ok(lower::lower(&model_from_dir(spec_dir)?))
}

/// Generates the client for every spec under `spec_dir`, in a [`Layout`] or with [`Options`].
pub fn generate_dir(spec_dir: &Path, options: impl Into<Options>) -> Result<Output, Failure> {
    Ok(emit::emit(&ir_from_dir(spec_dir)?, options)?)
}

/// A spec folder whose client another crate generates: the specs being generated may name its
/// types, which are re-exported from that crate rather than generated again.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExternSpecs {
    /// The spec folder, one sub-folder per vendor.
    pub dir: PathBuf,
    /// How generated code names the crate that generates it: its name as a dependency
    /// (`my_api_types`), or a path from the crate root (`crate::types`).
    pub krate: String,
}

/// Generates the client for every spec under `spec_dir`, whose specs may name the types of the
/// [`ExternSpecs`] folders: those are read and checked with them, and each vendor module
/// re-exports their modules (`pub use my_api_types::dingtalk::common;`), so a type is the same
/// Rust type in every crate that uses it.
pub fn generate_dir_with_externs(
    spec_dir: &Path,
    externs: &[ExternSpecs],
    options: impl Into<Options>,
) -> Result<Output, Failure> {
    for e in externs {
        emit::check_crate_path(&e.krate)?;
    }
    let mut diags = Diagnostics::default();
    let mut sources = load::read_dir(spec_dir, &mut diags);
    // Each extern file's crate, and its text for pointing at it.
    let mut provided = BTreeMap::new();
    for e in externs {
        // Shown by the path the build script gave, so a problem in them is not mistaken for
        // one in a folder of the same name.
        let label = e.dir.display().to_string();
        for source in load::read_dir_as(&e.dir, &label, &mut diags) {
            provided.insert(
                source.display.clone(),
                (e.krate.clone(), source.text.clone()),
            );
            sources.push(source);
        }
    }
    let mut ir = lower::lower(&resolve_sources(sources, diags)?);
    let mut diags = Diagnostics::default();
    for module in ir.vendors.values_mut().flat_map(|v| v.modules.values_mut()) {
        let Some((krate, text)) = provided.get(&module.source) else {
            continue;
        };
        if module.endpoint.is_some() {
            diags.push(extern_endpoint(&module.source, text, krate));
        }
        module.provided_by = Some(krate.clone());
    }
    if !diags.is_empty() {
        return Err(Failure::Specs(diags));
    }
    Ok(emit::emit(&ir, options)?)
}

/// An endpoint in an extern folder. The crate generating that folder gives a shared type only
/// the side (request or response) its own endpoints use, which a part may need the other of;
/// a folder of shared types alone gives every type both.
fn extern_endpoint(file: &str, text: &str, krate: &str) -> Diagnostic {
    let api = locate::Locator::new(text).key(&locate::DocPath::root().key("api"));
    Diagnostic::new(
        file,
        text,
        api,
        diagnostic::Code::ExternEndpoint,
        format!("this endpoint is in a folder given as extern specs (generated by `{krate}`)"),
    )
    .hint("an extern folder holds only shared types, which then get both the request and the response side; move the endpoint to a part's own folder")
}

/// Loads and checks spec files given in memory into the resolved model.
pub fn model_from_sources(sources: Vec<Source>) -> Result<resolved::Model, Failure> {
    resolve_sources(sources, Diagnostics::default())
}

/// Generates the client for spec files given in memory, in a [`Layout`] or with [`Options`].
pub fn generate_sources(
    sources: Vec<Source>,
    options: impl Into<Options>,
) -> Result<Output, Failure> {
    let ir = lower::lower(&model_from_sources(sources)?);
    Ok(emit::emit(&ir, options)?)
}

/// Parses and checks `sources`, adding to the problems already found; the resolved model when
/// there are none.
fn resolve_sources(
    sources: Vec<Source>,
    mut diags: Diagnostics,
) -> Result<resolved::Model, Failure> {
    // Files are read independently, on every core; the problems are sorted below, so the
    // report does not depend on which thread found what.
    let loaded: Vec<_> = parallel::map_chunks(&sources, |chunk| {
        let mut found = Diagnostics::default();
        let loaded: Vec<_> = chunk
            .iter()
            .map(|s| load::parse(s.clone(), &mut found))
            .collect();
        vec![(loaded, found)]
    })
    .into_iter()
    .flat_map(|(loaded, mut found)| {
        diags.0.append(&mut found.0);
        loaded
    })
    .collect();
    let (model, mut found) = check::check(&loaded);
    diags.0.append(&mut found.0);
    match model {
        Some(model) if diags.is_empty() => Ok(model),
        _ => {
            diags.sort();
            Err(Failure::Specs(diags))
        }
    }
}
