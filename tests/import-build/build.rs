//! Imports every page of `tests/import-pages/vendor/` and every catalogue case that imports
//! (`tests/import-pages/cases/`, all but `bad_*`) into a spec folder under `OUT_DIR`, exactly as
//! `codegen import` writes them, then generates the client from that folder. A page that no
//! longer imports, or a draft that needs an edit to generate, stops the build.

use std::path::{Path, PathBuf};

fn main() {
    if let Err(message) = run() {
        eprintln!("{message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let pages = Path::new(env!("CARGO_MANIFEST_DIR")).join("../import-pages");
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?);
    let spec = out.join("spec");
    let _ = std::fs::remove_dir_all(&spec);
    for folder in ["vendor", "cases"] {
        let dir = pages.join(folder);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .filter(|p| {
                !p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("bad_"))
            })
            .collect();
        files.sort();
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let text =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let draft = codegen::import::import_page(&text, &Default::default())
                .map_err(|e| format!("{}:{e}", file.display()))?;
            let target = spec.join(draft.path());
            if target.exists() {
                return Err(format!(
                    "{}: a second page imports into {}",
                    file.display(),
                    draft.path()
                ));
            }
            std::fs::create_dir_all(target.parent().ok_or("no folder")?)
                .map_err(|e| e.to_string())?;
            std::fs::write(&target, &draft.text).map_err(|e| e.to_string())?;
        }
    }
    codegen::Config::new()
        .spec_dir(&spec)
        .compile()
        .map_err(|e| format!("the imported specs do not generate:\n\n{e}"))
}
