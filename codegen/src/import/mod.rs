//! Turns a vendor's documentation page, as copied from a browser, into a draft spec: every
//! field with its wire name, type, required flag, example, description and stated limits,
//! nested objects as named types, enumerations written in words as enums, and every guess
//! marked with a `# review:` comment.
//!
//! [`import_page`] reads one page; [`update::update`] merges a fresh import into an
//! existing spec, keeping its hand edits. A page the importer cannot read gives an
//! [`ImportError`] naming the line, never a partial spec.
//!
//! ```
//! let page = "\
//! dingtalk.oapi.demo.get (查询示例)
//!
//! 请求参数
//!
//! 名称 类型 是否必须 示例值 更多限制 描述
//! id Number 必须 12 示例ID
//!
//! 响应参数
//!
//! 名称 类型 示例值 描述
//! errcode Number 0 错误码
//!
//! 请求示例
//!
//! DingTalkClient client = new DefaultDingTalkClient(\"https://oapi.dingtalk.com/topapi/demo/get\");
//! ";
//! let draft = codegen::import::import_page(page, &Default::default()).unwrap();
//! assert_eq!(draft.path(), "dingtalk/demo_get.yaml");
//! assert!(draft.text.contains("path: /topapi/demo/get"));
//! ```

mod classin;
mod dingtalk;
pub mod draft;
mod enums;
mod java;
mod limits;
mod page;
mod tree;
pub mod update;

mod write;

use draft::{Endpoint, Ty, TypeBody};

pub use write::HEADER;

/// What the caller settles instead of the page.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The vendor folder (default: `dingtalk` or `classin`, from the page).
    pub vendor: Option<String>,
    /// The module, the spec file's name without `.yaml` (default: from the API name or the
    /// ClassIn action).
    pub module: Option<String>,
}

/// A page read into a spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The endpoint as read.
    pub endpoint: Endpoint,
    /// The spec text.
    pub text: String,
}

impl Draft {
    /// Where the spec goes inside a spec folder: `<vendor>/<module>.yaml`.
    pub fn path(&self) -> String {
        format!("{}/{}.yaml", self.endpoint.vendor, self.endpoint.module)
    }

    /// Counts for a summary line.
    pub fn summary(&self) -> Summary {
        Summary {
            fields: self.endpoint.field_count(),
            enums: self.endpoint.enum_count(),
            reviews: self
                .text
                .lines()
                .filter(|l| l.trim_start().starts_with("# review:"))
                .count(),
        }
    }
}

/// What an import produced, counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Fields of the request, the response and every object type.
    pub fields: usize,
    /// Enum types.
    pub enums: usize,
    /// `# review:` comments.
    pub reviews: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let counted = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        write!(
            f,
            "{}, {}, {}",
            counted(self.fields, "field"),
            counted(self.enums, "enum"),
            counted(self.reviews, "review comment")
        )
    }
}

/// Why a page could not be read: the page line and what was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}\n  = hint: {}", problem.hint())]
pub struct ImportError {
    /// The page line, from 1.
    pub line: usize,
    /// What was not understood.
    pub problem: Problem,
}

impl ImportError {
    /// An error at `line`.
    pub fn new(line: usize, problem: Problem) -> ImportError {
        ImportError { line, problem }
    }
}

/// What the importer did not understand.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// The text is empty.
    #[error("the page is empty")]
    Empty,
    /// The text is far larger than any documentation page.
    #[error(
        "the text is larger than {} bytes, far beyond any documentation page",
        MAX_PAGE_BYTES
    )]
    TooLarge,
    /// Neither a DingTalk nor a ClassIn documentation page.
    #[error("this is not a DingTalk or ClassIn API documentation page")]
    NotADocPage,
    /// A DingTalk page whose first line is not `api.name (标题)`.
    #[error("the first line `{0}` is not a DingTalk title (`api.name (中文名)`)")]
    NoTitle(String),
    /// A section the page must have is missing.
    #[error("the page has no `{0}` section")]
    MissingSection(&'static str),
    /// The page ends inside a table.
    #[error("the page ends inside the {0}: the sections after it are missing")]
    Truncated(&'static str),
    /// A table without a header line.
    #[error("the `{0}` table has no header line")]
    NoHeader(&'static str),
    /// A table header the importer does not know, and the one it expected.
    #[error("table header `{0}` is not one the importer knows (expected `{1}`)")]
    UnknownHeader(String, &'static str),
    /// A row with too few columns: which is missing.
    #[error("the row of `{0}` has too few columns: {1}")]
    ShortRow(String, String),
    /// A nested row with no row above it to belong to.
    #[error("nested field `{0}` has no parent row")]
    Orphan(String),
    /// A nested row under a field that is not an object: the field and its type.
    #[error(
        "nested field `{0}` is under `{1}`, which is `{2}`, not an object or a list of objects"
    )]
    UnderScalar(String, String, String),
    /// A cell the importer cannot place.
    #[error("`{0}` is not a cell the importer can place in the table")]
    Stray(String),
    /// A field name that is not a name.
    #[error("`{0}` is not a field name")]
    BadName(String),
    /// A field listed twice in one object.
    #[error("field `{0}` is listed twice in one object")]
    Twice(String),
    /// A limit whose bound does not read.
    #[error("{0}")]
    BadLimit(String),
    /// An error code that is not a number.
    #[error("error code `{0}` is not a number")]
    BadCode(String),
    /// An oapi page whose Java sample shows no URL.
    #[error("the Java sample of `{0}` shows no URL, so the oapi path is unknown")]
    NoRoute(String),
    /// A client URL of no known family.
    #[error("the client URL `{0}` belongs to no known protocol family")]
    UnknownUrl(String),
}

impl Problem {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            Problem::Empty | Problem::NotADocPage | Problem::TooLarge => {
                "copy the whole documentation page from the browser (title to error codes)"
            }
            Problem::NoTitle(_) => {
                "the page must start with its title line, for example \
                                    `dingtalk.oapi.edu.period.create (创建学段)`"
            }
            Problem::MissingSection(_) | Problem::Truncated(_) => {
                "the copy stops early: copy the whole page, down to the error codes"
            }
            Problem::NoHeader(_) | Problem::UnknownHeader(..) => {
                "the table's header line is missing or changed; restore it as the vendor's page \
                 shows it"
            }
            Problem::ShortRow(..) => {
                "a cell of this row is missing; copy the row again from the page"
            }
            Problem::Orphan(_) | Problem::UnderScalar(..) => {
                "a nested field needs its parent row (an object or a list of objects) above it"
            }
            Problem::Stray(_) => "remove the stray text, or restore the row it belongs to",
            Problem::BadName(_) => "field names are the wire names as documented (ASCII)",
            Problem::Twice(_) => "remove the repeated row",
            Problem::BadLimit(_) => "a limit's bound is a number, for example `最大长度:64`",
            Problem::BadCode(_) => "each error-code row starts with the numeric code",
            Problem::NoRoute(_) => {
                "include the sample's `new DefaultDingTalkClient(\"https://oapi.dingtalk.com/…\")` \
                 line (the path cannot be derived from the API name), or write the spec by hand"
            }
            Problem::UnknownUrl(_) => {
                "DingTalk URLs are `https://oapi.dingtalk.com/…` or the TOP router \
                 `https://eco.taobao.com/router/rest`"
            }
        }
    }
}

/// Largest page read, in bytes: far beyond any real page.
pub const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// Reads one page into a draft spec.
pub fn import_page(text: &str, options: &Options) -> Result<Draft, ImportError> {
    let endpoint = read_page(text, options)?;
    let text = write::spec_text(&endpoint);
    Ok(Draft { endpoint, text })
}

/// Reads one page into an endpoint.
pub fn read_page(text: &str, options: &Options) -> Result<Endpoint, ImportError> {
    if text.len() > MAX_PAGE_BYTES {
        return Err(ImportError::new(1, Problem::TooLarge));
    }
    let lines = page::lines(text);
    if lines.iter().all(|l| l.text.is_empty()) {
        return Err(ImportError::new(1, Problem::Empty));
    }
    let mut endpoint = if dingtalk::recognises(&lines) {
        dingtalk::read(&lines, options)?
    } else if classin::recognises(&lines) {
        classin::read(&lines, options)?
    } else {
        let first = lines
            .iter()
            .find(|l| !l.text.is_empty())
            .map_or(1, |l| l.no);
        return Err(ImportError::new(first, Problem::NotADocPage));
    };
    order_types(&mut endpoint);
    note_sides_that_differ(&mut endpoint);
    Ok(endpoint)
}

/// Every scalar field of one side (request or response), by wire name, with its type.
fn side_fields(
    e: &Endpoint,
    fields: &[draft::Field],
    out: &mut Vec<(String, String)>,
    seen: &mut Vec<String>,
) {
    for f in fields {
        match f.ty.leaf() {
            Ty::Named(n) => {
                if seen.contains(n) {
                    continue;
                }
                seen.push(n.clone());
                if let Some(TypeBody::Object(o)) = e.type_def(n).map(|t| &t.body) {
                    side_fields(e, &o.fields, out, seen);
                }
            }
            Ty::Prim(_) => out.push((f.wire.clone(), f.ty.expr())),
            Ty::List(_) => {}
        }
    }
}

/// A page note for each wire name the request table and the response table type differently
/// (`grade`: String in one, Number in the other): each side follows its own table.
fn note_sides_that_differ(e: &mut Endpoint) {
    let (mut request, mut response) = (Vec::new(), Vec::new());
    side_fields(e, &e.request.fields, &mut request, &mut Vec::new());
    side_fields(e, &e.response.fields, &mut response, &mut Vec::new());
    let mut notes = Vec::new();
    for (wire, ty) in &request {
        if let Some((_, other)) = response.iter().find(|(w, t)| w == wire && t != ty) {
            let note = format!(
                "`{wire}` is `{ty}` in the request table and `{other}` in the response table: \
                 each side follows its own table."
            );
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
    }
    e.page_notes.extend(notes);
}

/// Writes an endpoint as spec text.
pub fn spec_text(endpoint: &Endpoint) -> String {
    write::spec_text(endpoint)
}

/// Puts the named types in the order a reader meets them: each after the first type that
/// refers to it, the request's before the response's.
fn order_types(e: &mut Endpoint) {
    let mut order: Vec<String> = Vec::new();
    fn visit(e: &Endpoint, fields: &[draft::Field], order: &mut Vec<String>) {
        for f in fields {
            if let Ty::Named(n) = f.ty.leaf() {
                if order.contains(n) {
                    continue;
                }
                order.push(n.clone());
                if let Some(TypeBody::Object(o)) = e.type_def(n).map(|t| &t.body) {
                    visit(e, &o.fields, order);
                }
            }
        }
    }
    visit(e, &e.request.fields, &mut order);
    visit(e, &e.response.fields, &mut order);
    let mut types = std::mem::take(&mut e.types);
    let mut sorted = Vec::new();
    for n in &order {
        if let Some(i) = types.iter().position(|t| &t.name == n) {
            sorted.push(types.remove(i));
        }
    }
    sorted.extend(types);
    e.types = sorted;
}
