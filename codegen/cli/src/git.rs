//! Reading one folder of a git revision (`HEAD~1:spec`) into a folder on disk, through the
//! `git` command.

use std::fmt;
use std::io::{self, Write};
use std::path::Path;
use std::process::{Command, Stdio};

/// Why a revision's folder could not be read.
#[derive(Debug)]
pub enum GitError {
    /// `git` could not be started.
    Missing(io::Error),
    /// The revision does not name a commit.
    NoRevision {
        /// The revision as given.
        rev: String,
        /// What git said.
        said: String,
    },
    /// The commit holds nothing at the path.
    NoFolder {
        /// The revision.
        rev: String,
        /// The folder.
        path: String,
    },
    /// A git command failed.
    Failed {
        /// The command.
        command: String,
        /// What git said.
        said: String,
    },
    /// Git's answer could not be read, or a file could not be written.
    Io(String),
}

impl fmt::Display for GitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GitError::Missing(e) => write!(
                f,
                "cannot run `git` ({e}); install git, or pass spec folders instead of revisions"
            ),
            GitError::NoRevision { rev, said } => {
                write!(f, "`{rev}` is not a revision of this repository: {said}")
            }
            GitError::NoFolder { rev, path } => {
                write!(f, "revision `{rev}` holds no folder `{path}`")
            }
            GitError::Failed { command, said } => write!(f, "`{command}` failed: {said}"),
            GitError::Io(e) => write!(f, "{e}"),
        }
    }
}

fn git(args: &[&str], input: Option<&[u8]>) -> Result<Vec<u8>, GitError> {
    let mut child = Command::new("git")
        .args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(GitError::Missing)?;
    if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
        let written = stdin.write_all(input);
        drop(stdin);
        written.map_err(|e| GitError::Io(format!("cannot write to git: {e}")))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| GitError::Io(format!("cannot read git's answer: {e}")))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(GitError::Failed {
            command: format!("git {}", args.join(" ")),
            said: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        })
    }
}

/// Writes every file under `path` (relative to the current folder) in revision `rev` to
/// `into`, keeping the layout below `path`.
pub fn extract(rev: &str, path: &str, into: &Path) -> Result<(), GitError> {
    let commit = format!("{rev}^{{commit}}");
    git(&["rev-parse", "--verify", "--quiet", &commit], None).map_err(|e| match e {
        GitError::Failed { said, .. } => GitError::NoRevision {
            rev: rev.to_owned(),
            said: if said.is_empty() {
                "unknown revision".to_owned()
            } else {
                said
            },
        },
        other => other,
    })?;
    let folder = path.trim_end_matches('/');
    let listing = git(&["ls-tree", "-r", "-z", rev, "--", folder], None)?;
    // Each entry: `<mode> <type> <object>\t<path>\0`.
    let mut blobs = Vec::new();
    for entry in listing.split(|b| *b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, file)) = entry.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split(' ');
        let (Some(_mode), Some("blob"), Some(object)) = (meta.next(), meta.next(), meta.next())
        else {
            continue;
        };
        let rel = file
            .strip_prefix(folder)
            .and_then(|r| r.strip_prefix('/'))
            .unwrap_or(file);
        blobs.push((object.to_owned(), rel.to_owned()));
    }
    if blobs.is_empty() {
        return Err(GitError::NoFolder {
            rev: rev.to_owned(),
            path: folder.to_owned(),
        });
    }
    let request: String = blobs.iter().map(|(o, _)| format!("{o}\n")).collect();
    let contents = git(&["cat-file", "--batch"], Some(request.as_bytes()))?;
    let mut rest = contents.as_slice();
    for (object, rel) in &blobs {
        let bad = || GitError::Io(format!("cannot read object {object} from git"));
        let header_end = rest.iter().position(|b| *b == b'\n').ok_or_else(bad)?;
        let header = String::from_utf8_lossy(&rest[..header_end]).into_owned();
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(bad)?;
        let start = header_end + 1;
        let end = start.checked_add(size).ok_or_else(bad)?;
        let body = rest.get(start..end).ok_or_else(bad)?;
        let target = into.join(rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| GitError::Io(format!("cannot create {}: {e}", parent.display())))?;
        }
        std::fs::write(&target, body)
            .map_err(|e| GitError::Io(format!("cannot write {}: {e}", target.display())))?;
        rest = rest.get(end + 1..).unwrap_or_default();
    }
    Ok(())
}
