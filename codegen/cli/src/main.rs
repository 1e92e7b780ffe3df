//! `codegen`: generate the typed client from the YAML specs, check the specs, report what a
//! change to them means for users, or export them as OpenAPI documents.

mod git;
mod import;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use codegen::diff::{self, Level};
use codegen::resolved::Model;
use codegen::{check_dir, generate_dir, write, Diagnostics, Failure, Layout, Options};

#[derive(Parser)]
#[command(
    version,
    about = "Generate typed Rust API clients from YAML endpoint specs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the generated modules to a folder and print a summary.
    Generate {
        /// The spec folder: one sub-folder per vendor, one YAML file per endpoint.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// Where to write the generated module tree.
        #[arg(long, default_value = "target/generated")]
        out: PathBuf,
        /// Write nothing; exit with status 1 if the folder is not up to date: a file differs,
        /// is missing, or was generated from a spec that no longer produces it.
        #[arg(long)]
        check: bool,
        /// Give every client method a doc example that names the generated modules by this
        /// path from outside the crate (`my_crate`, or `my_crate::api`).
        #[arg(long, value_name = "PATH")]
        doc_examples: Option<String>,
    },
    /// Report every problem in the specs; exit with status 1 if there is any.
    Check {
        /// The spec folder.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
    },
    /// List every change between two versions of the specs with what it means for users' Rust
    /// code (a semver level) and for the wire. Exit status: 0, 1 when `--deny` finds a change
    /// at or above its level, 2 when either side cannot be read or has problems.
    Diff {
        /// The old specs: a spec folder, or `REV:PATH`, a folder in a git revision
        /// (`HEAD~1:spec`).
        old: String,
        /// The new specs, in the same forms.
        new: String,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Exit with status 1 when a change at or above this level is found.
        #[arg(long, value_enum)]
        deny: Option<Deny>,
    },
    /// Turn vendor documentation pages (text copied from the browser) into draft specs, one
    /// per page, each guess marked `# review:`; print what each page gave.
    Import {
        /// Page files, or `-` for standard input.
        #[arg(required = true)]
        pages: Vec<String>,
        /// The vendor folder (default: `dingtalk` or `classin`, from the page).
        #[arg(long)]
        vendor: Option<String>,
        /// The spec folder to write `<vendor>/<module>.yaml` into.
        #[arg(long, default_value = "spec")]
        out: PathBuf,
        /// Merge into an existing spec, keeping its hand edits, and report what the page
        /// changed.
        #[arg(long)]
        update: bool,
    },
    /// Write one OpenAPI 3.1 document per vendor.
    Openapi {
        /// The spec folder.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// Only this vendor.
        #[arg(long)]
        vendor: Option<String>,
        /// Where to write `<vendor>.openapi.json`.
        #[arg(long, default_value = "target/openapi")]
        out: PathBuf,
    },
}

/// The level `--deny` refuses.
#[derive(Clone, Copy, ValueEnum)]
enum Deny {
    /// Changes that break users' code (semver major).
    Breaking,
    /// Additions and breaking changes (semver minor and major).
    Minor,
    /// Any change.
    Patch,
}

impl Deny {
    fn level(self) -> Level {
        match self {
            Deny::Breaking => Level::Major,
            Deny::Minor => Level::Minor,
            Deny::Patch => Level::Patch,
        }
    }
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Check { spec } => {
            let diags = check_dir(&spec);
            if diags.is_empty() {
                println!("{}: no problems found", spec.display());
                ExitCode::SUCCESS
            } else {
                eprintln!("{diags}");
                ExitCode::FAILURE
            }
        }
        Command::Generate {
            spec,
            out,
            check,
            doc_examples,
        } => generate(&spec, &out, check, doc_examples),
        Command::Diff {
            old,
            new,
            json,
            deny,
        } => run_diff(&old, &new, json, deny),
        Command::Openapi { spec, vendor, out } => openapi(&spec, vendor.as_deref(), &out),
        Command::Import {
            pages,
            vendor,
            out,
            update,
        } => import::run(&pages, vendor, &out, update),
    }
}

fn generate(spec: &Path, out: &Path, check: bool, doc_examples: Option<String>) -> ExitCode {
    let options = Options {
        doc_examples,
        ..Options::from(Layout::Tree)
    };
    let output = match generate_dir(spec, options) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    if check {
        let differ: Vec<&String> = output
            .files
            .iter()
            .filter(|(rel, content)| {
                std::fs::read_to_string(out.join(rel)).ok().as_ref() != Some(*content)
            })
            .map(|(rel, _)| rel)
            .collect();
        let stale = match write::stale_files(&output, out) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("cannot read {}: {e}", out.display());
                return ExitCode::FAILURE;
            }
        };
        if differ.is_empty() && stale.is_empty() {
            println!("{} is up to date", out.display());
            return ExitCode::SUCCESS;
        }
        for rel in differ {
            eprintln!("out of date: {}", out.join(rel).display());
        }
        for rel in stale {
            eprintln!(
                "no longer produced by any spec: {}",
                out.join(rel).display()
            );
        }
        return ExitCode::FAILURE;
    }
    match write::write_output(&output, out) {
        Ok(report) => {
            println!("{}", output.summary);
            println!(
                "wrote {} files to {} ({} unchanged, {} removed)",
                report.written.len(),
                out.display(),
                report.unchanged,
                report.removed.len()
            );
            for f in &report.written {
                println!("  written: {f}");
            }
            for f in &report.removed {
                println!("  removed: {f}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot write to {}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}

/// Why one side of a diff has no model.
enum SideError {
    /// The revision's folder could not be read.
    Git(git::GitError),
    /// The specs have problems.
    Specs(Diagnostics),
    /// Something else went wrong.
    Other(String),
}

/// A folder in a git revision, copied to a temporary folder removed when this is dropped.
struct Extracted(PathBuf);

impl Drop for Extracted {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Loads one side: a folder, or `REV:PATH`. Locations in a revision read `REV:PATH/...`.
fn load_side(arg: &str, side: &str) -> Result<Model, SideError> {
    let as_folder = Path::new(arg);
    let revision = arg
        .split_once(':')
        .filter(|(rev, _)| !rev.is_empty() && !as_folder.is_dir());
    let Some((rev, path)) = revision else {
        return codegen::model_from_dir(as_folder).map_err(failure);
    };
    let folder = path.trim_end_matches('/');
    let label = Path::new(folder)
        .file_name()
        .map_or_else(|| "spec".to_owned(), |n| n.to_string_lossy().into_owned());
    let scratch =
        Extracted(std::env::temp_dir().join(format!("codegen-diff-{}-{side}", std::process::id())));
    let _ = std::fs::remove_dir_all(&scratch.0);
    let root = scratch.0.join(&label);
    git::extract(rev, folder, &root).map_err(SideError::Git)?;
    let shown = format!("{rev}:{folder}/");
    let relabel = |file: &mut String| {
        if let Some(rest) = file.strip_prefix(&format!("{label}/")) {
            *file = format!("{shown}{rest}");
        }
    };
    match codegen::model_from_dir(&root) {
        Ok(mut model) => {
            relabel_model(&mut model, &relabel);
            Ok(model)
        }
        Err(Failure::Specs(mut diags)) => {
            for d in &mut diags.0 {
                relabel(&mut d.file);
            }
            Err(SideError::Specs(diags))
        }
        Err(e) => Err(failure(e)),
    }
}

fn failure(e: Failure) -> SideError {
    match e {
        Failure::Specs(d) => SideError::Specs(d),
        other => SideError::Other(other.to_string()),
    }
}

/// Renames the files of every location in the model.
fn relabel_model(model: &mut Model, relabel: &impl Fn(&mut String)) {
    for vendor in model.vendors.values_mut() {
        for module in vendor.modules.values_mut() {
            relabel(&mut module.source);
            if let Some(e) = &mut module.endpoint {
                relabel(&mut e.at.file);
            }
            for o in &mut module.objects {
                relabel(&mut o.at.file);
                for f in &mut o.fields {
                    relabel(&mut f.at.file);
                }
                for r in &mut o.rules {
                    relabel(&mut r.at.file);
                }
                for g in &mut o.groups {
                    relabel(&mut g.at.file);
                }
            }
            for e in &mut module.enums {
                relabel(&mut e.at.file);
                match &mut e.values {
                    codegen::resolved::EnumValues::Str(vs) => {
                        vs.iter_mut().for_each(|v| relabel(&mut v.at.file))
                    }
                    codegen::resolved::EnumValues::Int(vs) => {
                        vs.iter_mut().for_each(|v| relabel(&mut v.at.file))
                    }
                }
            }
            if let Some(t) = &mut module.errors {
                for c in &mut t.codes {
                    relabel(&mut c.at.file);
                }
            }
        }
    }
}

fn run_diff(old: &str, new: &str, json: bool, deny: Option<Deny>) -> ExitCode {
    let sides = [("old", old), ("new", new)].map(|(side, arg)| {
        load_side(arg, side).map_err(|e| {
            match e {
                SideError::Git(e) => eprintln!("the {side} specs ({arg}): {e}"),
                SideError::Specs(d) => eprintln!("the {side} specs ({arg}) have problems:\n{d}"),
                SideError::Other(e) => eprintln!("the {side} specs ({arg}): {e}"),
            };
        })
    });
    let [Ok(old), Ok(new)] = sides else {
        return ExitCode::from(2);
    };
    let report = diff::diff(&old, &new);
    if json {
        match report.to_json() {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("cannot write the report as JSON: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        println!("{report}");
    }
    match deny {
        Some(d) if report.reaches(d.level()) => ExitCode::FAILURE,
        _ => ExitCode::SUCCESS,
    }
}

fn openapi(spec: &Path, vendor: Option<&str>, out: &Path) -> ExitCode {
    let ir = match codegen::ir_from_dir(spec) {
        Ok(ir) => ir,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let documents = codegen::openapi::documents(&ir);
    if let Some(v) = vendor.filter(|v| !documents.contains_key(*v)) {
        let known: Vec<&str> = documents.keys().map(String::as_str).collect();
        eprintln!(
            "no vendor `{v}` in {}; vendors: {}",
            spec.display(),
            known.join(", ")
        );
        return ExitCode::FAILURE;
    }
    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!("cannot create {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    for (name, document) in &documents {
        if vendor.is_some_and(|v| v != name) {
            continue;
        }
        let path = out.join(format!("{name}.openapi.json"));
        let text = match serde_json::to_string_pretty(document) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("cannot write the {name} document: {e}");
                return ExitCode::FAILURE;
            }
        };
        if let Err(e) = std::fs::write(&path, text + "\n") {
            eprintln!("cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("wrote {}", path.display());
    }
    ExitCode::SUCCESS
}
