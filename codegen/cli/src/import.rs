//! `codegen import`: documentation pages in, one draft spec per page out, each written whole
//! (a temporary file renamed into place) or not at all.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::import::{self, update, Options};

/// Imports every page; returns failure when any page could not be imported or written.
pub fn run(pages: &[String], vendor: Option<String>, out: &Path, update: bool) -> ExitCode {
    let mut failed = 0usize;
    let mut stdin_used = false;
    for page in pages {
        let (label, text) = if page == "-" {
            if stdin_used {
                eprintln!("-: standard input can be read only once");
                failed += 1;
                continue;
            }
            stdin_used = true;
            let mut text = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut text) {
                eprintln!("-: cannot read standard input: {e}");
                failed += 1;
                continue;
            }
            ("standard input".to_owned(), text)
        } else {
            match read_page(Path::new(page)) {
                Ok(t) => (page.clone(), t),
                Err(e) => {
                    eprintln!("{page}: {e}");
                    failed += 1;
                    continue;
                }
            }
        };
        let options = Options {
            vendor: vendor.clone(),
            module: None,
        };
        match one(&text, &options, out, update) {
            Ok(line) => println!("{label}: {line}"),
            Err(e) => {
                eprintln!("{label}:{e}");
                failed += 1;
            }
        }
    }
    if failed > 0 {
        eprintln!("{failed} of {} pages not imported", pages.len());
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn read_page(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.len() > import::MAX_PAGE_BYTES as u64 {
        return Err(format!(
            "larger than {} bytes: not a documentation page",
            import::MAX_PAGE_BYTES
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_owned())
}

/// Imports one page into `out`; the summary line, or the error (starting with the line).
fn one(text: &str, options: &Options, out: &Path, update: bool) -> Result<String, String> {
    let draft = import::import_page(text, options).map_err(|e| e.to_string())?;
    let rel = draft.path();
    let target = out.join(&rel);
    let (content, changes) = if update && target.exists() {
        let old = std::fs::read_to_string(&target)
            .map_err(|e| format!(" cannot read {}: {e}", target.display()))?;
        let merged = update::update(&draft.endpoint, &old)
            .map_err(|e| format!(" cannot update {}: {e}", target.display()))?;
        (merged.text, Some(merged.changes))
    } else if target.exists() {
        return Err(format!(
            " {} exists; pass --update to merge the page into it",
            target.display()
        ));
    } else {
        (draft.text.clone(), None)
    };
    write_whole(&target, &content)
        .map_err(|e| format!(" cannot write {}: {e}", target.display()))?;
    let summary = import::Draft {
        endpoint: draft.endpoint,
        text: content,
    }
    .summary();
    let mut line = format!("wrote {} ({summary})", target.display());
    if let Some(changes) = changes {
        if changes.is_empty() {
            line.push_str("\n  the page changed nothing");
        }
        for c in changes {
            line.push_str(&format!("\n  {c}"));
        }
    }
    Ok(line)
}

/// Writes `content` to `path` through a temporary file in the same folder, renamed into place.
fn write_whole(path: &Path, content: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, content)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
