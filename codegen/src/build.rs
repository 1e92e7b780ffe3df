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
//! A vendor whose folder name is a feature declared in the crate's `Cargo.toml` is compiled only
//! with that feature (`dingtalk = []`, listed in `default` to keep it on unless a user opts out);
//! vendors without one are always compiled, and the build says so when others have one.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::emit::{EmitError, DEFAULT_RUNTIME, SERDE_BOTH_FEATURE};
use crate::{generate_dir, write, Diagnostics, Failure, Layout, Options};

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
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

impl Config {
    /// The defaults: specs in `spec`, output to `OUT_DIR`, the runtime as `client_runtime`,
    /// vendor features read from the crate's `Cargo.toml`, files formatted.
    pub fn new() -> Self {
        Config {
            spec_dir: PathBuf::from("spec"),
            out_dir: None,
            runtime: DEFAULT_RUNTIME.to_owned(),
            vendor_features: None,
            format: true,
            doc_examples: None,
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

    /// Whether the files are formatted with prettyplease (default: on). Off, the build is
    /// faster and the files hold the same code on few, very long lines.
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
            format: self.format,
            doc_examples: self.doc_examples.clone(),
        };
        let output = generate_dir(&self.spec_dir, options.clone()).map_err(|f| match f {
            Failure::Specs(diagnostics) => BuildError::Specs {
                dir: self.spec_dir.clone(),
                diagnostics,
            },
            Failure::Emit(e) => BuildError::Emit(e),
        })?;
        write::write_output(&output, &out_dir).map_err(|source| BuildError::Write {
            path: out_dir.clone(),
            source,
        })?;

        let mut lines = Vec::new();
        rerun_if_changed(&self.spec_dir, &mut lines);
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
        Ok(lines)
    }
}

/// Why a build script could not generate the client. `Debug` shows the same text as `Display`,
/// so a build script's `fn main() -> Result<(), BuildError>` fails with a readable message.
#[derive(thiserror::Error)]
pub enum BuildError {
    /// The specs have problems: every one, with its file, line and column.
    #[error("the API specs in {} have problems:\n\n{diagnostics}", dir.display())]
    Specs {
        /// The spec folder.
        dir: PathBuf,
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

/// A `cargo:rerun-if-changed` line for `dir` and for everything under it, in name order.
fn rerun_if_changed(dir: &Path, lines: &mut Vec<String>) {
    lines.push(format!("cargo:rerun-if-changed={}", dir.display()));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            rerun_if_changed(&p, lines);
        } else {
            lines.push(format!("cargo:rerun-if-changed={}", p.display()));
        }
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
    fn the_defaults_are_spec_out_dir_client_runtime_manifest_features_and_formatting() {
        let config = Config::new();
        assert_eq!(config.spec_dir, Path::new("spec"));
        assert_eq!(config.out_dir, None);
        assert_eq!(config.runtime, "client_runtime");
        assert_eq!(config.vendor_features, None);
        assert!(config.format);
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
            .format(false);
        assert_eq!(config.spec_dir, Path::new("../spec"));
        assert_eq!(config.out_dir.as_deref(), Some(Path::new("/tmp/x")));
        assert_eq!(config.runtime, "my_crate::runtime");
        assert_eq!(
            config.vendor_features,
            Some(BTreeSet::from(["dingtalk".to_owned()]))
        );
        assert!(!config.format);
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
            .format(false)
            .run(&env_of(&[]))
            .unwrap();
        let lib = std::fs::read_to_string(out.join("lib.rs")).unwrap();
        assert!(lib.contains("# [cfg (feature = \"demo\")]"), "{lib}");
        let module = std::fs::read_to_string(out.join("demo/ping.rs")).unwrap();
        assert!(module.starts_with("// @generated by codegen"), "{module}");
        assert!(
            module.lines().count() < 10,
            "the unformatted file is the token text on few lines:\n{module}"
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
        let BuildError::Specs { dir, diagnostics } = &err else {
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
}
