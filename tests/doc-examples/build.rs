//! Copies every YAML example of README.md and spec/README.md into a spec folder under `OUT_DIR`
//! (each names its file on its first line, `# spec/<vendor>/<module>.yaml`), then generates the
//! client from them with `codegen::Config`. A block that names no file, or two blocks naming one
//! file, stop the build.
//!
//! The Rust examples that use those specs are fenced `rs` (Rust to a Markdown reader, not a
//! doctest of `generated-client`, whose README doctests use its own specs): they are copied,
//! fenced `rust`, into `OUT_DIR/rs_examples.md`, which the crate's documentation includes, so
//! `cargo test --doc` runs each one as written.

use std::path::{Path, PathBuf};

/// The documents whose examples are built.
const DOCS: &[&str] = &["README.md", "spec/README.md"];

fn main() {
    if let Err(message) = run() {
        eprintln!("{message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?);
    let spec = out.join("spec");
    let _ = std::fs::remove_dir_all(&spec);
    let mut written = Vec::new();
    let mut rust = String::new();
    for doc in DOCS {
        let path = root.join(doc);
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{doc}: {e}"))?;
        for (line, block) in blocks(&text, "```rs") {
            rust.push_str(&format!("{doc}, line {line}:\n\n```rust\n{block}```\n\n"));
        }
        for (line, block) in blocks(&text, "```yaml") {
            let Some(rel) = block
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("# spec/"))
                .map(|rel| rel.trim().to_owned())
            else {
                return Err(format!(
                    "{doc}:{line}: a YAML example must start with the file it is, \
                     `# spec/<vendor>/<module>.yaml`"
                ));
            };
            if written.contains(&rel) {
                return Err(format!("{doc}:{line}: a second example is spec/{rel}"));
            }
            let file = spec.join(&rel);
            let dir = file
                .parent()
                .ok_or(format!("{doc}:{line}: no folder in {rel}"))?;
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            std::fs::write(&file, block).map_err(|e| format!("{}: {e}", file.display()))?;
            written.push(rel);
        }
    }
    let examples = out.join("rs_examples.md");
    std::fs::write(&examples, rust).map_err(|e| format!("{}: {e}", examples.display()))?;
    // The crate names the runtime `runtime` (a renamed dependency), so its code proves the
    // generator's runtime path too.
    codegen::Config::new()
        .spec_dir(&spec)
        .runtime_crate("runtime")
        .compile()
        .map_err(|e| {
            format!(
                "the examples of {} do not generate:\n\n{e}",
                DOCS.join(" and ")
            )
        })?;
    Ok(())
}

/// Every block of a Markdown text whose opening fence is `fence`, with the line it opens on.
fn blocks(text: &str, fence_open: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (n, line) in text.lines().enumerate() {
        let fence = line.trim_start();
        match &mut open {
            None if fence == fence_open => open = Some((n + 1, String::new())),
            None => {}
            Some(_) if fence.starts_with("```") => blocks.extend(open.take()),
            Some((_, block)) => {
                block.push_str(line);
                block.push('\n');
            }
        }
    }
    blocks
}
