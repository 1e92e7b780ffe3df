//! `codegen import` as a user runs it: pages in, one spec per page written whole, a summary
//! line per page; a page that fails writes nothing and names its line; an existing spec is
//! merged only with `--update`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn pages() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/import-pages")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("codegen-import-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .arg("import")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn imports_pages_and_standard_input_with_a_summary_per_page() {
    let out = scratch("ok");
    let vendor = pages().join("vendor");
    let p000 = vendor.join("000_92401415d506dd85.txt");
    let p002 = vendor.join("002_ad5e7d6bb43544b4.txt");
    let stdin = std::fs::read_to_string(vendor.join("001_f5786dc9cb2cef05.txt")).unwrap();
    let o = run(
        &[
            p000.to_str().unwrap(),
            "-",
            p002.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        Some(&stdin),
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let stdout = text(&o.stdout);
    assert!(
        stdout
            .contains("industry_studentpool_batchadd.yaml (12 fields, 0 enums, 0 review comments)"),
        "{stdout}"
    );
    assert!(stdout.contains("standard input: wrote"), "{stdout}");
    assert!(
        stdout.contains("edu_period_create.yaml (20 fields, 3 enums, 2 review comments)"),
        "{stdout}"
    );
    for f in [
        "dingtalk/industry_studentpool_batchadd.yaml",
        "dingtalk/edu_period_create.yaml",
        "classin/add_course_student_multiple.yaml",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    // What was written passes `codegen check` as it is.
    assert!(codegen::check_dir(&out).is_empty());
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn a_page_that_fails_writes_nothing_and_names_its_line() {
    let out = scratch("bad");
    let good = pages().join("vendor/003_086062a6549f3f03.txt");
    let bad = pages().join("cases/bad_row_with_too_few_columns.txt");
    let o = run(
        &[
            bad.to_str().unwrap(),
            good.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let stderr = text(&o.stderr);
    assert!(
        stderr.contains(
            "bad_row_with_too_few_columns.txt:line 7: the row of `campus_id` has too few columns"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("1 of 2 pages not imported"), "{stderr}");
    assert!(!out.join("dingtalk/edu_class_create.yaml").exists());
    assert!(out.join("dingtalk/corp_extcontact_update.yaml").is_file());
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(out.join("dingtalk"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["corp_extcontact_update.yaml"]);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn an_existing_spec_is_merged_only_with_update() {
    let out = scratch("update");
    let page = pages().join("vendor/003_086062a6549f3f03.txt");
    let args = [page.to_str().unwrap(), "--out", out.to_str().unwrap()];
    assert!(run(&args, None).status.success());
    let target = out.join("dingtalk/corp_extcontact_update.yaml");
    let edited = std::fs::read_to_string(&target).unwrap().replace(
        "    fields:\n      title:",
        "    fields:\n      title:\n        rust_name: job_title",
    );
    std::fs::write(&target, &edited).unwrap();

    let again = run(&args, None);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again.stderr).contains("exists; pass --update"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), edited);

    let mut with_update = args.to_vec();
    with_update.push("--update");
    let o = run(&with_update, None);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("the page changed nothing"),
        "{}",
        text(&o.stdout)
    );
    assert!(std::fs::read_to_string(&target)
        .unwrap()
        .contains("rust_name: job_title"));
    let _ = std::fs::remove_dir_all(&out);
}
