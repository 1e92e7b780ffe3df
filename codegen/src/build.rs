//! The entry point for a build script, the prost-build way: [`Config`] generates the client for
//! a spec folder into `OUT_DIR`, tells Cargo to rerun the build when any spec changes, and
//! returns every problem as a [`BuildError`] that names what to fix.
//!
//! ```no_run
//! // build.rs of the crate that holds the generated client
//! fn main() -> Result<(), codegen::BuildError> {
//!     codegen::Config::new().spec_dir("spec").compile()
//! }
//! ```
//! and in its `lib.rs`: `client_runtime::include_client!();`. [`compile_specs`](crate::compile_specs)
//! is the short form with every default.
//!
//! The generated types derive serde's other direction (`Serialize` on response types,
//! `Deserialize` on request types) only with the crate's `serde-both` feature
//! ([`SERDE_BOTH_FEATURE`]); declare it in the crate's `[features]` to offer it.
//! [`Config::compile`] tells rustc the name is expected either way, so a crate that does not
//! declare it still builds warning-free.
//!
//! The files are laid out fast ([`Format::Fast`]: one item, statement or
//! field per line, documentation as `///`), not formatted with prettyplease unless
//! [`Config::format`] asks for it; and when neither the specs, the settings nor the generator
//! changed since the last run into the same `OUT_DIR`, nothing is generated again.
//!
//! A vendor whose folder name is a feature declared in the crate's `Cargo.toml` is compiled only
//! with that feature (`dingtalk = []`, listed in `default` to keep it on unless a user opts out);
//! vendors without one are always compiled, and the build says so when others have one.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::emit::{EmitError, DEFAULT_RUNTIME, SERDE_BOTH_FEATURE};
use crate::{
    generate_dir_with_externs, write, Diagnostics, ExternSpecs, Failure, Format, Layout, Options,
};

/// The file in the output folder that records what the files there were generated from.
pub const STAMP_FILE: &str = ".codegen-stamp";

/// What a build script needs to generate the client: where the specs are, where the code goes
/// and how it is generated. Every setting has a default, so `Config::new().compile()` generates
/// the specs in `spec/` into `OUT_DIR`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    spec_dir: PathBuf,
    out_dir: Option<PathBuf>,
    runtime: String,
    vendor_features: Option<BTreeSet<String>>,
    format: bool,
    doc_examples: Option<String>,
    externs: Vec<ExternSpecs>,
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

impl Config {
    /// The defaults: specs in `spec`, output to `OUT_DIR`, the runtime as `client_runtime`,
    /// vendor features read from the crate's `Cargo.toml`, files laid out fast rather than
    /// formatted.
    pub fn new() -> Self {
        Config {
            spec_dir: PathBuf::from("spec"),
            out_dir: None,
            runtime: DEFAULT_RUNTIME.to_owned(),
            vendor_features: None,
            format: false,
            doc_examples: None,
            externs: Vec::new(),
        }
    }

    /// The spec folder, one sub-folder per vendor; relative to the crate being built (a build
    /// script runs in its crate's folder). Default: `spec`.
    pub fn spec_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.spec_dir = dir.into();
        self
    }

    /// Where the generated files go: a `lib.rs` and one file per endpoint, which `lib.rs`
    /// includes by paths relative to itself. Default: the build script's `OUT_DIR`, where
    /// `client_runtime::include_client!()` finds them.
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The path generated code names the runtime crate by: the name the crate gives
    /// `client-runtime` in its `[dependencies]`, or a re-export of it. Default:
    /// `client_runtime`.
    pub fn runtime_crate(&mut self, path: impl Into<String>) -> &mut Self {
        self.runtime = path.into();
        self
    }

    /// The vendors compiled only with the Cargo feature of their name. Default: the features
    /// declared in the `[features]` table of the crate's `Cargo.toml`.
    pub fn vendor_features<I, S>(&mut self, features: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.vendor_features = Some(features.into_iter().map(Into::into).collect());
        self
    }

    /// Whether the files are formatted with prettyplease ([`Format::Pretty`]) rather than laid
    /// out fast ([`Format::Fast`], the default). The code is the same; formatting makes large
    /// spec sets several times slower to generate, and is worth it where people read the files
    /// rather than jump to them from an IDE.
    pub fn format(&mut self, on: bool) -> &mut Self {
        self.format = on;
        self
    }

    /// Give every client method an example in its documentation, built from the spec's example
    /// values, that `cargo test --doc` compiles (not runs). `path` is how code outside the crate
    /// reaches the generated modules: the crate's name (`my_crate`, with `-` as `_`) when
    /// `include_client!()` is at its root, `my_crate::api` when it is inside `mod api`.
    /// Default: no examples.
    pub fn doc_examples(&mut self, path: impl Into<String>) -> &mut Self {
        self.doc_examples = Some(path.into());
        self
    }

    /// Specs in `dir` (one sub-folder per vendor, relative to the crate being built) are
    /// generated by another crate, a dependency that generated code reaches as `krate` (its name
    /// in `[dependencies]` with `-` as `_`, or a path from the crate root such as
    /// `crate::types`). They are read and checked with the specs here, which may name their
    /// types as they name any shared type; each vendor module re-exports their modules
    /// (`pub use my_api_types::dingtalk::common;`) instead of generating them again, so a type
    /// is the same Rust type in every crate that uses it. May be given more than once.
    ///
    /// This splits a large API over several crates: one crate generates the vendors' shared
    /// types, each of the others a folder of endpoints with `extern_specs` pointing at the
    /// shared folder. Editing a spec then regenerates and recompiles only the crate that holds
    /// it (and the ones that depend on it), and Cargo builds the others in parallel. An extern
    /// folder holds shared types only (an endpoint there is an `extern-endpoint` error), so the
    /// crate generating it gives every type both the request and the response side. When that
    /// crate puts a vendor behind a feature, a part's feature of the same name must turn it on
    /// (`dingtalk = ["my-api-types/dingtalk"]`).
    pub fn extern_specs(&mut self, dir: impl Into<PathBuf>, krate: impl Into<String>) -> &mut Self {
        self.externs.push(ExternSpecs {
            dir: dir.into(),
            krate: krate.into(),
        });
        self
    }

    /// Generates the client, prints the `cargo:` lines that make Cargo rerun the build when a
    /// spec or the manifest changes, and returns every problem found.
    pub fn compile(&self) -> Result<(), BuildError> {
        let directives = self.run(&|name| std::env::var_os(name))?;
        for line in directives {
            println!("{line}");
        }
        Ok(())
    }

    /// Generates with the environment variables `env` gives, returning the lines for Cargo.
    fn run(&self, env: &dyn Fn(&str) -> Option<OsString>) -> Result<Vec<String>, BuildError> {
        let var = |name: &'static str| {
            env(name)
                .map(PathBuf::from)
                .ok_or(BuildError::MissingEnv { var: name })
        };
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => var("OUT_DIR")?,
        };
        let (vendor_features, manifest) = match &self.vendor_features {
            Some(features) => (features.clone(), None),
            None => {
                let manifest = var("CARGO_MANIFEST_DIR")?.join("Cargo.toml");
                (declared_features(&manifest)?, Some(manifest))
            }
        };
        let options = Options {
            layout: Layout::OutDir,
            vendor_features,
            runtime: self.runtime.clone(),
            format: if self.format {
                Format::Pretty
            } else {
                Format::Fast
            },
            doc_examples: self.doc_examples.clone(),
        };
        let dirs: Vec<&Path> = std::iter::once(self.spec_dir.as_path())
            .chain(self.externs.iter().map(|e| e.dir.as_path()))
            .collect();
        let inputs: Vec<PathBuf> = dirs.iter().flat_map(|dir| spec_files(dir)).collect();
        let stamp = Stamp::new(
            &self.spec_dir,
            &self.externs,
            &inputs,
            &options,
            manifest.as_deref(),
        );
        if let Some(lines) = stamp.check(&out_dir) {
            return Ok(lines);
        }
        let output = generate_dir_with_externs(&self.spec_dir, &self.externs, options.clone())
            .map_err(|f| match f {
                Failure::Specs(diagnostics) => BuildError::Specs {
                    dir: self.spec_dir.clone(),
                    externs: self.externs.iter().map(|e| e.dir.clone()).collect(),
                    diagnostics,
                },
                Failure::Emit(e) => BuildError::Emit(e),
            })?;
        write::write_output(&output, &out_dir).map_err(|source| BuildError::Write {
            path: out_dir.clone(),
            source,
        })?;

        let mut lines: Vec<String> = dirs
            .iter()
            .map(|dir| format!("cargo:rerun-if-changed={}", dir.display()))
            .collect();
        lines.extend(
            inputs
                .iter()
                .map(|p| format!("cargo:rerun-if-changed={}", p.display())),
        );
        if let Some(manifest) = &manifest {
            lines.push(format!("cargo:rerun-if-changed={}", manifest.display()));
        }
        lines.push(format!(
            "cargo::rustc-check-cfg=cfg(feature, values(\"{SERDE_BOTH_FEATURE}\"))"
        ));
        let (gated, always): (Vec<&String>, Vec<&String>) = output
            .summary
            .vendors
            .keys()
            .partition(|v| options.vendor_features.contains(*v));
        let declared_in = match &manifest {
            Some(path) => format!("in {}", path.display()),
            None => "among the vendor features given to codegen::Config".to_owned(),
        };
        for v in always.iter().filter(|_| !gated.is_empty()) {
            lines.push(format!(
                "cargo:warning=vendor `{v}` has no feature of its own {declared_in}, so it is \
                 always compiled; declare `{v} = []` (and list it in `default`) to make it \
                 optional like the others"
            ));
        }
        // Without a stamp the next run generates again: that costs time, never correctness.
        let _ = stamp.write(&out_dir, &output, &lines);
        Ok(lines)
    }
}

/// The spec folder, and the extern folders read with it, as an error names them.
fn folders(dir: &Path, externs: &[PathBuf]) -> String {
    match externs {
        [] => dir.display().to_string(),
        _ => format!(
            "{} and the extern specs in {}",
            dir.display(),
            externs
                .iter()
                .map(|e| e.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Why a build script could not generate the client. `Debug` shows the same text as `Display`,
/// so a build script's `fn main() -> Result<(), BuildError>` fails with a readable message.
#[derive(thiserror::Error)]
pub enum BuildError {
    /// The specs have problems: every one, with its file, line and column.
    #[error(
        "the API specs in {} have problems:\n\n{diagnostics}",
        folders(dir, externs)
    )]
    Specs {
        /// The spec folder.
        dir: PathBuf,
        /// The extern spec folders read with it ([`Config::extern_specs`]).
        externs: Vec<PathBuf>,
        /// Every problem found.
        diagnostics: Diagnostics,
    },
    /// An environment variable Cargo sets for build scripts is missing.
    #[error(
        "the environment variable {var} is not set: codegen::Config::compile must be called \
         from a build script (build.rs), where Cargo sets it"
    )]
    MissingEnv {
        /// The variable: `OUT_DIR` or `CARGO_MANIFEST_DIR`.
        var: &'static str,
    },
    /// The crate's `Cargo.toml`, read for its features, cannot be read or parsed.
    #[error("cannot read the Cargo manifest {}: {reason}", path.display())]
    Manifest {
        /// The manifest.
        path: PathBuf,
        /// Why it cannot be read.
        reason: String,
    },
    /// The generated files cannot be written.
    #[error("cannot write the generated client to {}: {source}", path.display())]
    Write {
        /// The output folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The generator produced code it cannot format (a generator bug).
    #[error(transparent)]
    Emit(#[from] EmitError),
}

impl fmt::Debug for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The features declared in the `[features]` table of the Cargo manifest at `manifest`: the
/// vendor folders named there are compiled only with their feature.
pub fn declared_features(manifest: &Path) -> Result<BTreeSet<String>, BuildError> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        #[serde(default)]
        features: BTreeMap<String, serde::de::IgnoredAny>,
    }
    let fail = |reason: String| BuildError::Manifest {
        path: manifest.to_owned(),
        reason,
    };
    let text = std::fs::read_to_string(manifest).map_err(|e| fail(e.to_string()))?;
    let parsed: Manifest = toml::from_str(&text).map_err(|e| fail(e.to_string()))?;
    Ok(parsed.features.into_keys().collect())
}

/// Every file under `dir` and its sub-folders (Cargo reruns the build when one changes), in
/// name order.
fn spec_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if p.is_dir() {
                walk(&p, files);
            } else {
                files.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, &mut files);
    files
}

/// What the files in an output folder were generated from: a hash of every spec file's path
/// and bytes, the options, the manifest's path and the generator (its version and the build
/// script binary it runs in, which is rebuilt whenever the generator changes). Cargo reruns a
/// build script when a spec is merely touched, or another build input changes; a matching
/// stamp lets that run end without generating. The hash is std's: it only has to agree with
/// itself between runs of the same build script.
struct Stamp {
    hash: u64,
}

impl Stamp {
    fn new(
        spec_dir: &Path,
        externs: &[ExternSpecs],
        inputs: &[PathBuf],
        options: &Options,
        manifest: Option<&Path>,
    ) -> Stamp {
        let mut h = DefaultHasher::new();
        env!("CARGO_PKG_VERSION").hash(&mut h);
        if let Some(exe) = std::env::current_exe().ok().and_then(|exe| {
            let meta = std::fs::metadata(&exe).ok()?;
            Some((exe, meta.len(), meta.modified().ok()))
        }) {
            exe.hash(&mut h);
        }
        format!("{options:?}").hash(&mut h);
        spec_dir.hash(&mut h);
        externs.hash(&mut h);
        manifest.hash(&mut h);
        for path in inputs {
            path.hash(&mut h);
            // A file that cannot be read hashes as missing; generating then reports it.
            std::fs::read(path).ok().hash(&mut h);
        }
        Stamp { hash: h.finish() }
    }

    /// The first line of the stamp file.
    fn key(&self) -> String {
        format!("codegen {:016x}", self.hash)
    }

    /// The lines for Cargo of the run that wrote the stamp in `out_dir`, when it matches and
    /// every file it generated is still there.
    fn check(&self, out_dir: &Path) -> Option<Vec<String>> {
        let text = std::fs::read_to_string(out_dir.join(STAMP_FILE)).ok()?;
        let mut lines = text.lines();
        if lines.next()? != self.key() {
            return None;
        }
        let mut directives = Vec::new();
        for line in lines {
            if let Some(rel) = line.strip_prefix("file ") {
                if !out_dir.join(rel).is_file() {
                    return None;
                }
            } else {
                directives.push(line.to_owned());
            }
        }
        Some(directives)
    }

    fn write(
        &self,
        out_dir: &Path,
        output: &crate::Output,
        directives: &[String],
    ) -> std::io::Result<()> {
        let mut text = self.key();
        text.push('\n');
        for rel in output.files.keys() {
            text.push_str("file ");
            text.push_str(rel);
            text.push('\n');
        }
        for line in directives {
            text.push_str(line);
            text.push('\n');
        }
        std::fs::write(out_dir.join(STAMP_FILE), text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder of this test process.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("codegen-build-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn manifest(name: &str, text: &str) -> PathBuf {
        let path = scratch(name).join("Cargo.toml");
        std::fs::write(&path, text).unwrap();
        path
    }

    /// A spec folder holding `files` (path under the folder, content).
    fn specs(name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = scratch(name).join("spec");
        for (rel, text) in files {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    const ENDPOINT: &str = "api: demo.ping\ntitle: ping\nprotocol: dingtalk-oapi\n\
        http: {method: POST, path: /ping}\nrequest:\n  fields:\n    n: {type: int64, max: 9}\n\
        response:\n  fields:\n    ok: {type: bool}\n";

    /// An environment with only the variables given.
    fn env_of(vars: &[(&'static str, PathBuf)]) -> impl Fn(&str) -> Option<OsString> {
        let vars: Vec<(&str, OsString)> = vars
            .iter()
            .map(|(k, v)| (*k, v.clone().into_os_string()))
            .collect();
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn declared_features_are_the_keys_of_the_features_table() {
        let path = manifest(
            "features",
            "[package]\nname = \"x\"\n\n[features]\ndefault = [\"dingtalk\"]\ndingtalk = []\nserde-both = []\n\n[dependencies]\nserde = \"1\"\n",
        );
        let found = declared_features(&path).unwrap();
        assert_eq!(
            found.into_iter().collect::<Vec<_>>(),
            ["default", "dingtalk", "serde-both"]
        );
    }

    #[test]
    fn a_manifest_without_features_declares_none() {
        let path = manifest("none", "[package]\nname = \"x\"\n");
        assert!(declared_features(&path).unwrap().is_empty());
    }

    #[test]
    fn an_unreadable_manifest_is_an_error_naming_it() {
        let path = manifest("broken", "[features\n");
        match declared_features(&path).unwrap_err() {
            BuildError::Manifest { path: p, reason } => {
                assert_eq!(p, path);
                assert!(!reason.is_empty());
            }
            other => panic!("{other}"),
        }
        let missing = path.with_file_name("Missing.toml");
        let err = declared_features(&missing).unwrap_err();
        assert!(err.to_string().contains("Missing.toml"), "{err}");
        assert!(matches!(err, BuildError::Manifest { .. }), "{err}");
    }

    #[test]
    fn the_defaults_are_spec_out_dir_client_runtime_manifest_features_and_the_fast_layout() {
        let config = Config::new();
        assert_eq!(config.spec_dir, Path::new("spec"));
        assert_eq!(config.out_dir, None);
        assert_eq!(config.runtime, "client_runtime");
        assert_eq!(config.vendor_features, None);
        assert!(!config.format);
        assert_eq!(Config::default(), config);
    }

    #[test]
    fn every_setting_is_kept() {
        let mut config = Config::new();
        config
            .spec_dir("../spec")
            .out_dir("/tmp/x")
            .runtime_crate("my_crate::runtime")
            .vendor_features(["dingtalk"])
            .format(true);
        assert_eq!(config.spec_dir, Path::new("../spec"));
        assert_eq!(config.out_dir.as_deref(), Some(Path::new("/tmp/x")));
        assert_eq!(config.runtime, "my_crate::runtime");
        assert_eq!(
            config.vendor_features,
            Some(BTreeSet::from(["dingtalk".to_owned()]))
        );
        assert!(config.format);
    }

    #[test]
    fn the_output_goes_to_out_dir_with_the_features_of_the_manifest() {
        let spec = specs("defaults", &[("demo/ping.yaml", ENDPOINT)]);
        let out = spec.with_file_name("out");
        let manifest = manifest("defaults-manifest", "[features]\ndemo = []\n");
        let env = env_of(&[
            ("OUT_DIR", out.clone()),
            ("CARGO_MANIFEST_DIR", manifest.parent().unwrap().to_owned()),
        ]);
        let lines = Config::new().spec_dir(&spec).run(&env).unwrap();
        let lib = std::fs::read_to_string(out.join("lib.rs")).unwrap();
        assert!(lib.contains("#[cfg(feature = \"demo\")]"), "{lib}");
        assert!(out.join("demo/ping.rs").is_file());
        for file in [spec.join("demo/ping.yaml"), manifest] {
            let line = format!("cargo:rerun-if-changed={}", file.display());
            assert!(lines.contains(&line), "no {line} in {lines:?}");
        }
    }

    #[test]
    fn explicit_settings_need_no_environment_and_are_used() {
        let spec = specs("explicit", &[("demo/ping.yaml", ENDPOINT)]);
        let out = spec.with_file_name("generated");
        let lines = Config::new()
            .spec_dir(&spec)
            .out_dir(&out)
            .vendor_features(["demo"])
            .format(true)
            .run(&env_of(&[]))
            .unwrap();
        let lib = std::fs::read_to_string(out.join("lib.rs")).unwrap();
        assert!(
            lib.contains("#[cfg(feature = \"demo\")]\npub mod demo {\n"),
            "{lib}"
        );
        let module = std::fs::read_to_string(out.join("demo/ping.rs")).unwrap();
        assert!(module.starts_with("// @generated by codegen"), "{module}");
        let parsed = syn::parse_file(module.split_once("\n\n").unwrap().1).unwrap();
        assert!(
            module.ends_with(&prettyplease::unparse(&parsed)),
            "the file is formatted with prettyplease:\n{module}"
        );
        assert!(
            !lines.iter().any(|l| l.contains("Cargo.toml")),
            "no manifest was read: {lines:?}"
        );
    }

    #[test]
    fn a_missing_out_dir_or_manifest_dir_is_named() {
        let spec = specs("env", &[("demo/ping.yaml", ENDPOINT)]);
        let err = Config::new().spec_dir(&spec).run(&env_of(&[])).unwrap_err();
        assert!(
            matches!(err, BuildError::MissingEnv { var: "OUT_DIR" }),
            "{err}"
        );
        assert!(err.to_string().contains("build script"), "{err}");
        let env = env_of(&[("OUT_DIR", spec.with_file_name("out"))]);
        let err = Config::new().spec_dir(&spec).run(&env).unwrap_err();
        assert!(
            matches!(
                err,
                BuildError::MissingEnv {
                    var: "CARGO_MANIFEST_DIR"
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn a_broken_manifest_is_a_manifest_error() {
        let spec = specs("bad-manifest", &[("demo/ping.yaml", ENDPOINT)]);
        let manifest = manifest("bad-manifest-toml", "[features\n");
        let env = env_of(&[
            ("OUT_DIR", spec.with_file_name("out")),
            ("CARGO_MANIFEST_DIR", manifest.parent().unwrap().to_owned()),
        ]);
        match Config::new().spec_dir(&spec).run(&env).unwrap_err() {
            BuildError::Manifest { path, .. } => assert_eq!(path, manifest),
            other => panic!("{other}"),
        }
    }

    #[test]
    fn spec_problems_are_all_reported_with_their_files() {
        let bad = ENDPOINT.replace("int64, max: 9", "int46, max: 9");
        let other = ENDPOINT
            .replace("demo.ping", "demo.pong")
            .replace("/ping", "/pong")
            .replace("bool", "boolean");
        let spec = specs(
            "bad-specs",
            &[("demo/ping.yaml", &bad), ("demo/pong.yaml", &other)],
        );
        let err = Config::new()
            .spec_dir(&spec)
            .out_dir(spec.with_file_name("out"))
            .vendor_features(Vec::<String>::new())
            .compile()
            .unwrap_err();
        let BuildError::Specs {
            dir, diagnostics, ..
        } = &err
        else {
            panic!("{err}");
        };
        assert_eq!(dir, &spec);
        assert_eq!(diagnostics.len(), 2, "{diagnostics}");
        let text = err.to_string();
        for needle in ["ping.yaml", "pong.yaml", "int46", "boolean", "2 problems"] {
            assert!(text.contains(needle), "no {needle} in:\n{text}");
        }
        assert_eq!(format!("{err:?}"), text, "Debug reads like Display");
    }

    #[test]
    fn an_output_folder_that_cannot_be_written_is_a_write_error() {
        let spec = specs("unwritable", &[("demo/ping.yaml", ENDPOINT)]);
        let blocker = spec.with_file_name("a-file");
        std::fs::write(&blocker, "not a folder").unwrap();
        let err = Config::new()
            .spec_dir(&spec)
            .out_dir(&blocker)
            .vendor_features(["demo"])
            .compile()
            .unwrap_err();
        match &err {
            BuildError::Write { path, .. } => assert_eq!(path, &blocker),
            other => panic!("{other}"),
        }
        assert!(err.to_string().contains("a-file"), "{err}");
        assert!(std::error::Error::source(&err).is_some());
    }

    #[test]
    fn an_emit_error_says_it_is_a_generator_bug() {
        let err = BuildError::from(EmitError::Unparsable {
            file: "demo/ping.rs".to_owned(),
            reason: "expected `;`".to_owned(),
        });
        let text = err.to_string();
        assert!(
            text.contains("demo/ping.rs") && text.contains("please report it"),
            "{text}"
        );
    }

    #[test]
    fn an_ungated_vendor_beside_gated_ones_is_a_warning_naming_its_feature() {
        let spec = specs(
            "ungated",
            &[
                ("demo/ping.yaml", ENDPOINT),
                (
                    "other/ping.yaml",
                    &ENDPOINT.replace("demo.ping", "other.ping"),
                ),
            ],
        );
        let lines = Config::new()
            .spec_dir(&spec)
            .out_dir(spec.with_file_name("out"))
            .vendor_features(["demo"])
            .run(&env_of(&[]))
            .unwrap();
        let warnings: Vec<&String> = lines
            .iter()
            .filter(|l| l.starts_with("cargo:warning="))
            .collect();
        assert_eq!(warnings.len(), 1, "{lines:?}");
        assert!(warnings[0].contains("`other = []`"), "{}", warnings[0]);
    }

    #[test]
    fn the_default_layout_is_fast_and_holds_the_formatted_code() {
        let spec = specs("fast", &[("demo/ping.yaml", ENDPOINT)]);
        let out = spec.with_file_name("out");
        let config = || {
            let mut c = Config::new();
            c.spec_dir(&spec).out_dir(&out).vendor_features(["demo"]);
            c
        };
        config().run(&env_of(&[])).unwrap();
        let fast = std::fs::read_to_string(out.join("demo/ping.rs")).unwrap();
        assert!(fast.contains("\n///"), "documentation as `///`:\n{fast}");
        std::fs::remove_file(out.join(STAMP_FILE)).unwrap();
        config().format(true).run(&env_of(&[])).unwrap();
        let pretty = std::fs::read_to_string(out.join("demo/ping.rs")).unwrap();
        assert_ne!(fast, pretty);
        let (header, code) = fast.split_once("\n\n").unwrap();
        let parsed = syn::parse_file(code).unwrap();
        assert_eq!(
            format!("{header}\n\n{}", prettyplease::unparse(&parsed)),
            pretty
        );
    }

    #[test]
    fn an_unchanged_input_is_not_generated_again_and_any_change_is() {
        let spec = specs("stamp", &[("demo/ping.yaml", ENDPOINT)]);
        let out = spec.with_file_name("out");
        let run = |format: bool| {
            Config::new()
                .spec_dir(&spec)
                .out_dir(&out)
                .vendor_features(["demo"])
                .format(format)
                .run(&env_of(&[]))
                .unwrap()
        };
        let module = out.join("demo/ping.rs");
        let first = run(false);
        assert!(out.join(STAMP_FILE).is_file());
        // A run with the same inputs ends at the stamp: a file changed by hand stays as it is,
        // and Cargo gets the same lines.
        std::fs::write(&module, "// @generated by codegen, edited").unwrap();
        assert_eq!(run(false), first);
        assert_eq!(
            std::fs::read_to_string(&module).unwrap(),
            "// @generated by codegen, edited"
        );
        // Other settings generate again.
        run(true);
        let pretty = std::fs::read_to_string(&module).unwrap();
        assert!(pretty.contains("pub struct"), "{pretty}");
        // So does a changed spec...
        std::fs::write(
            spec.join("demo/ping.yaml"),
            ENDPOINT.replace("max: 9", "max: 8"),
        )
        .unwrap();
        run(true);
        let changed = std::fs::read_to_string(&module).unwrap();
        assert_ne!(changed, pretty);
        assert!(changed.contains('8'), "{changed}");
        // ...and a generated file gone missing.
        std::fs::remove_file(&module).unwrap();
        run(true);
        assert_eq!(std::fs::read_to_string(&module).unwrap(), changed);
    }

    const SHARED: &str =
        "types:\n  Level:\n    enum: [{value: 1, name: Low}, {value: 2, name: High}]\n";
    const USES_SHARED: &str = "api: demo.ping\ntitle: ping\nprotocol: dingtalk-oapi\n\
        http: {method: POST, path: /ping}\nrequest:\n  fields:\n    level: {type: common.Level, example: 2}\n\
        response:\n  fields:\n    ok: {type: bool}\n";

    /// A part folder with one endpoint naming a type of a shared folder, and both folders.
    fn split(name: &str, part: &[(&str, &str)]) -> (PathBuf, PathBuf) {
        let shared = specs(&format!("{name}-shared"), &[("demo/common.yaml", SHARED)]);
        (specs(name, part), shared)
    }

    /// Generates `part` into `out` beside it, with the extern folders `externs` (folder, crate
    /// path).
    fn part_run(part: &Path, externs: &[(&Path, &str)]) -> Result<Vec<String>, BuildError> {
        let mut config = Config::new();
        config
            .spec_dir(part)
            .out_dir(part.with_file_name("out"))
            .vendor_features(["demo"]);
        for (dir, krate) in externs {
            config.extern_specs(dir, *krate);
        }
        config.run(&env_of(&[]))
    }

    /// The error of [`part_run`].
    fn part_error(part: &Path, externs: &[(&Path, &str)]) -> String {
        part_run(part, externs).unwrap_err().to_string()
    }

    #[test]
    fn extern_specs_are_read_for_their_types_and_re_exported_not_generated() {
        let (part, shared) = split("extern", &[("demo/ping.yaml", USES_SHARED)]);
        let out = part.with_file_name("out");
        let lines = part_run(&part, &[(&shared, "my_types")]).unwrap();
        let lib = std::fs::read_to_string(out.join("lib.rs")).unwrap();
        assert!(lib.contains("pub use ::my_types::demo::common;"), "{lib}");
        assert!(!out.join("demo/common.rs").exists(), "generated again");
        let module = std::fs::read_to_string(out.join("demo/ping.rs")).unwrap();
        assert!(module.contains("super::common::Level"), "{module}");
        // Cargo reruns the build when a shared spec changes too.
        for watched in [&shared, &shared.join("demo/common.yaml")] {
            let line = format!("cargo:rerun-if-changed={}", watched.display());
            assert!(lines.contains(&line), "no {line} in {lines:?}");
        }
        // ...and then generates again: the stamp covers the shared specs.
        std::fs::write(
            shared.join("demo/common.yaml"),
            SHARED.replace("Low", "Least"),
        )
        .unwrap();
        std::fs::write(out.join("demo/ping.rs"), "// stale").unwrap();
        part_run(&part, &[(&shared, "my_types")]).unwrap();
        let module = std::fs::read_to_string(out.join("demo/ping.rs")).unwrap();
        assert!(module.contains("super::common::Level"), "{module}");
    }

    #[test]
    fn a_vendor_only_the_extern_specs_have_is_left_out() {
        let (part, shared) = split("extern-vendor", &[("demo/ping.yaml", USES_SHARED)]);
        std::fs::create_dir_all(shared.join("other")).unwrap();
        std::fs::write(shared.join("other/common.yaml"), SHARED).unwrap();
        let out = part.with_file_name("out");
        part_run(&part, &[(&shared, "crate::types")]).unwrap();
        let lib = std::fs::read_to_string(out.join("lib.rs")).unwrap();
        assert!(lib.contains("pub use crate::types::demo::common;"), "{lib}");
        assert!(!lib.contains("other"), "{lib}");
    }

    #[test]
    fn a_part_and_its_extern_specs_may_not_define_the_same_module() {
        let (part, shared) = split(
            "extern-collision",
            &[
                ("demo/ping.yaml", USES_SHARED),
                ("demo/common.yaml", SHARED),
            ],
        );
        let error = part_error(&part, &[(&shared, "my_types")]);
        assert!(error.contains("module-collision"), "{error}");
        assert!(error.contains("common.yaml"), "{error}");
    }

    #[test]
    fn a_problem_in_extern_specs_names_their_folder_as_given() {
        let (part, shared) = split("extern-problem", &[("demo/ping.yaml", USES_SHARED)]);
        std::fs::write(
            shared.join("demo/common.yaml"),
            SHARED.replace("enum:", "enum_values:"),
        )
        .unwrap();
        let error = part_error(&part, &[(&shared, "my_types")]);
        let file = format!("{}/demo/common.yaml:", shared.display());
        assert!(error.contains(&file), "no {file} in:\n{error}");
    }

    #[test]
    fn an_endpoint_in_extern_specs_is_refused_where_its_api_is() {
        let (part, shared) = split("extern-endpoint", &[("demo/ping.yaml", USES_SHARED)]);
        std::fs::write(
            shared.join("demo/pong.yaml"),
            format!("# shared?\n{}", ENDPOINT.replace("demo.ping", "demo.pong")),
        )
        .unwrap();
        let error = part_error(&part, &[(&shared, "my_types")]);
        assert!(error.contains("error[extern-endpoint]"), "{error}");
        let place = format!("{}/demo/pong.yaml:2:1", shared.display());
        assert!(error.contains(&place), "no {place} in:\n{error}");
        // The header names every folder read.
        assert!(
            error.contains(&format!("and the extern specs in {}", shared.display())),
            "{error}"
        );
    }

    #[test]
    fn extern_modules_are_re_exported_in_the_module_tree_too() {
        let (part, shared) = split("extern-tree", &[("demo/ping.yaml", USES_SHARED)]);
        let externs = [ExternSpecs {
            dir: shared,
            krate: "my_types".to_owned(),
        }];
        let output = crate::generate_dir_with_externs(
            &part,
            &externs,
            Options {
                doc_examples: Some("my_part".to_owned()),
                ..Options::from(Layout::Tree)
            },
        )
        .unwrap();
        assert_eq!(
            output.files.keys().collect::<Vec<_>>(),
            ["demo/mod.rs", "demo/ping.rs", "lib.rs"]
        );
        let vendor = &output.files["demo/mod.rs"];
        assert!(
            vendor.contains("pub use ::my_types::demo::common;"),
            "{vendor}"
        );
        // The example reaches the shared type through the part's re-export.
        let ping = &output.files["demo/ping.rs"];
        assert!(ping.contains("my_part::demo::common::Level"), "{ping}");
    }

    #[test]
    fn an_extern_crate_that_is_no_rust_path_is_named() {
        let (part, shared) = split("extern-path", &[("demo/ping.yaml", USES_SHARED)]);
        let error = part_error(&part, &[(&shared, "my-types")]);
        assert!(error.contains("`my-types`"), "{error}");
        assert!(
            error.contains("my_api_types"),
            "the hint shows a crate name: {error}"
        );
        // Checked whether or not the part uses the folder.
        let unused = specs("extern-path-unused", &[("other/common.yaml", SHARED)]);
        let error = part_error(&part, &[(&shared, "my_types"), (&unused, "super::types")]);
        assert!(error.contains("`super::types`"), "{error}");
    }

    #[test]
    fn a_missing_extern_folder_is_a_spec_error_naming_it() {
        let part = specs("extern-missing", &[("demo/ping.yaml", USES_SHARED)]);
        let nowhere = part.with_file_name("nowhere");
        let error = part_error(&part, &[(&nowhere, "my_types")]);
        assert!(error.contains("nowhere"), "{error}");
        assert!(error.contains("cannot read the spec folder"), "{error}");
    }

    #[test]
    fn a_failed_run_leaves_no_stamp_that_hides_the_problem() {
        let spec = specs("stamp-fail", &[("demo/ping.yaml", ENDPOINT)]);
        let out = spec.with_file_name("out");
        let run = || {
            Config::new()
                .spec_dir(&spec)
                .out_dir(&out)
                .vendor_features(["demo"])
                .run(&env_of(&[]))
        };
        run().unwrap();
        std::fs::write(
            spec.join("demo/ping.yaml"),
            ENDPOINT.replace("int64", "int46"),
        )
        .unwrap();
        assert!(matches!(run(), Err(BuildError::Specs { .. })));
        assert!(
            matches!(run(), Err(BuildError::Specs { .. })),
            "reported every time"
        );
        std::fs::write(spec.join("demo/ping.yaml"), ENDPOINT).unwrap();
        run().unwrap();
    }
}
