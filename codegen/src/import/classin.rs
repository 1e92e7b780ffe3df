//! Reads a ClassIn partner API page: the title, the `action=` URL (or the sample request
//! line), the parameter table in any of its layouts, the response table and the error codes.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::draft::{Endpoint, ErrorCode, Family, Object, Ty};
use super::enums::Glossary;
use super::limits::prose;
use super::page::{find_heading, has_cjk, is_name, quote, squash, Line};
use super::tree::{guess_from_example, Build, Node};
use super::{ImportError, Options, Problem};

static ACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:https?://[^/\s]+)?(/[\w/.\-]+\.php)\?action=([A-Za-z0-9_]+)").expect("valid")
});
static METHOD_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:-\s*)?(GET|POST)\b").expect("valid"));
static REQUIRED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(是|否|必填|选填|必须|可选|(?i:yes|no|required|optional))\s*(?:[(（](.*)[)）])?$")
        .expect("valid")
});

const REQUEST_HEADINGS: &[&str] = &[
    "请求参数",
    "Request Parameters",
    "请求参数说明",
    "Parameters",
];
const RESPONSE_HEADINGS: &[&str] = &[
    "响应参数",
    "Response Parameters",
    "返回参数",
    "返回参数说明",
];
const EXAMPLE_HEADINGS: &[&str] = &["示例", "请求示例", "Example", "Examples"];
const ERROR_HEADINGS: &[&str] = &["错误码说明", "错误码", "Error Codes", "Error codes"];
const ROUTE_HEADINGS: &[&str] = &["URL", "HTTP Request Methods", "编码格式", "Encoding"];
const CREDENTIALS: &[&str] = &["SID", "safeKey", "timeStamp"];

/// What a column of a ClassIn table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Name,
    Required,
    Limit,
    Description,
    Remark,
    Type,
    Example,
}

fn role(word: &str) -> Option<Role> {
    let w = word.trim().to_ascii_lowercase();
    Some(match w.as_str() {
        "key" | "参数" | "参数名" | "名称" | "字段" | "parameter" | "name" | "field" => {
            Role::Name
        }
        "必填" | "是否必填" | "是否必须" | "required" => Role::Required,
        "更多限制" | "限制" | "limit" | "limits" | "restriction" | "restrictions" => {
            Role::Limit
        }
        "说明" | "描述" | "含义" | "description" | "meaning" => Role::Description,
        "规则说明" | "备注" | "remark" | "remarks" | "rule" | "rules" | "note" | "notes" => {
            Role::Remark
        }
        "类型" | "type" => Role::Type,
        "示例值" | "示例" | "example" => Role::Example,
        _ => return None,
    })
}

/// Whether the page looks like a ClassIn page.
pub fn recognises(lines: &[Line<'_>]) -> bool {
    lines
        .iter()
        .any(|l| l.text.contains("action=") && ACTION.is_match(l.text))
}

/// One row of a ClassIn table, by role.
#[derive(Debug, Clone, Default)]
struct Row {
    no: usize,
    depth: usize,
    name: String,
    cells: BTreeMap<&'static str, String>,
}

/// Reads a ClassIn page.
pub fn read(lines: &[Line<'_>], options: &Options) -> Result<Endpoint, ImportError> {
    let last = lines.last().map_or(1, |l| l.no);
    let (script, action) = lines
        .iter()
        .filter(|l| l.text.contains("action="))
        .find_map(|l| ACTION.captures(l.text))
        .map(|c| (c[1].to_owned(), c[2].to_owned()))
        .ok_or_else(|| ImportError::new(1, Problem::NotADocPage))?;
    let req_at = find_heading(lines, 0, REQUEST_HEADINGS)
        .ok_or_else(|| ImportError::new(last, Problem::MissingSection("请求参数")))?;
    let resp_at = find_heading(lines, req_at + 1, RESPONSE_HEADINGS)
        .ok_or_else(|| ImportError::new(last, Problem::Truncated("parameter table")))?;
    let resp_end = find_heading(lines, resp_at + 1, EXAMPLE_HEADINGS)
        .or_else(|| find_heading(lines, resp_at + 1, ERROR_HEADINGS))
        .ok_or_else(|| ImportError::new(last, Problem::Truncated("response table")))?;

    let mut reviews = Vec::new();
    // Title and description: the lines before the route or the table.
    let first = lines.iter().position(|l| !l.text.is_empty()).unwrap_or(0);
    let intro_end = find_heading(lines, 0, ROUTE_HEADINGS).map_or(req_at, |i| i.min(req_at));
    let intro: Vec<&str> = lines[first..intro_end]
        .iter()
        .map(|l| l.text)
        .filter(|t| !t.is_empty())
        .collect();
    let (title, description) = match intro.split_first() {
        Some((t, rest)) if !ACTION.is_match(t) => {
            ((*t).to_owned(), (!rest.is_empty()).then(|| rest.join("\n")))
        }
        _ => {
            reviews.push(format!(
                "the page has no title line: the title is the action `{action}`"
            ));
            (action.clone(), None)
        }
    };
    let method = method(lines).unwrap_or_else(|| {
        reviews.push("the page names no HTTP method: POST is assumed".to_owned());
        "POST"
    });
    let stem = script
        .rsplit('/')
        .next()
        .and_then(|f| f.split('.').next())
        .unwrap_or("api")
        .to_owned();
    let module = options.module.clone().unwrap_or_else(|| {
        crate::naming::module_name(&action).unwrap_or_else(|_| action.to_ascii_lowercase())
    });
    let mut endpoint = Endpoint {
        vendor: options
            .vendor
            .clone()
            .unwrap_or_else(|| "classin".to_owned()),
        module,
        api: format!("classin.{stem}.{action}"),
        title,
        description,
        docs: None,
        name: None,
        notes: None,
        family: Family::ClassIn,
        method,
        path: Some(script),
        action: Some(action),
        request: Object::default(),
        response: Object::default(),
        types: Vec::new(),
        errors: Vec::new(),
        page_notes: Vec::new(),
        reviews,
        header: Vec::new(),
    };

    let (req_rows, req_layout, req_required) = rows(lines, req_at, resp_at)?;
    let (resp_rows, _, resp_required) = rows(lines, resp_at, resp_end)?;
    if let Some(note) = req_layout {
        endpoint.reviews.push(note);
    }
    let whole_required = lines[..req_at].iter().any(|l| {
        l.text.contains("所有参数均为必填")
            || l.text
                .to_ascii_lowercase()
                .contains("all parameters are required")
    });
    let mut response = tree(
        &resp_rows,
        resp_required,
        &mut endpoint.page_notes,
        "response table",
    )?;
    response.retain(|n| n.wire != "error_info");
    let mut request = tree(
        &req_rows,
        req_required,
        &mut endpoint.page_notes,
        "parameter table",
    )?;
    request.retain(|n| !CREDENTIALS.contains(&n.wire.as_str()));
    let sample = sample_request(lines);
    let mut typed = BTreeMap::new();
    response_types(&response, &mut typed);
    for n in &mut request {
        infer(
            n,
            sample.get(&n.wire).cloned(),
            &typed,
            true,
            whole_required,
        );
    }
    for n in &mut response {
        response_type(n);
    }
    let glossary = Glossary::new(lines.iter().map(|l| l.text));
    let mut build = Build {
        endpoint: &mut endpoint,
        glossary: &glossary,
        request: true,
    };
    let request = build.object(request, true);
    build.request = false;
    let response = build.object(response, true);
    endpoint.request = request;
    endpoint.response = response;
    let intro: Vec<&str> = lines[..req_at].iter().map(|l| l.text).collect();
    endpoint.request.groups = groups(&intro, &endpoint.request);
    endpoint.errors = errors(lines, resp_end)?;
    if !endpoint.errors.is_empty() {
        mark_item_results(&mut endpoint);
    }
    Ok(endpoint)
}

fn method(lines: &[Line<'_>]) -> Option<&'static str> {
    let at = find_heading(lines, 0, &["HTTP Request Methods", "请求方式", "Method"]);
    let from_heading = at.and_then(|i| {
        lines[i + 1..]
            .iter()
            .find(|l| !l.text.is_empty())
            .and_then(|l| METHOD_LINE.captures(l.text))
    });
    let from_sample = || {
        lines.iter().find_map(|l| {
            l.text
                .contains("action=")
                .then(|| METHOD_LINE.captures(l.text))
                .flatten()
        })
    };
    match from_heading.or_else(from_sample)?.get(1)?.as_str() {
        "GET" => Some("GET"),
        _ => Some("POST"),
    }
}

/// Reads a table in any of its layouts: rows by role, and a note when the layout loses
/// columns.
fn rows(
    lines: &[Line<'_>],
    head: usize,
    end: usize,
) -> Result<(Vec<Row>, Option<String>, bool), ImportError> {
    let region: Vec<&Line<'_>> = lines[head + 1..end].iter().collect();
    let first = region.iter().position(|l| !l.text.is_empty());
    let Some(first) = first else {
        return Err(ImportError::new(lines[head].no, Problem::NoHeader("table")));
    };
    let header = region[first];
    let mut out = Vec::new();
    if header.text.contains('|') {
        let roles: Vec<Option<Role>> = pipe_cells(header.text).iter().map(|c| role(c)).collect();
        check_header(&roles, header)?;
        let required = roles.contains(&Some(Role::Required));
        for l in &region[first + 1..] {
            if l.text.is_empty() {
                continue;
            }
            let cells = pipe_cells(l.text);
            if cells
                .iter()
                .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
            {
                continue;
            }
            if !l.text.contains('|') {
                return Err(ImportError::new(l.no, Problem::Stray(quote(l.text))));
            }
            let mut cells = cells;
            if let Some(first) = cells.first_mut() {
                if l.indent >= 2 && !l.text.starts_with('|') {
                    first.insert_str(0, "  ");
                }
            }
            out.push(row_from(&roles, &cells, l.no)?);
        }
        return Ok((out, None, required));
    }
    // One cell per line: the header is a run of header words.
    let words: Vec<&str> = header.text.split_whitespace().collect();
    if words.len() == 1 && role(words[0]).is_some() {
        let mut roles = Vec::new();
        let mut i = first;
        while i < region.len() && role(region[i].text).is_some() && !region[i].text.is_empty() {
            roles.push(role(region[i].text));
            i += 1;
        }
        check_header(&roles, header)?;
        let cells: Vec<&Line<'_>> = region[i..].to_vec();
        let trimmed_end = cells
            .iter()
            .rposition(|l| !l.text.is_empty())
            .map_or(0, |p| p + 1);
        let cells = &cells[..trimmed_end];
        let cells: Vec<&Line<'_>> = cells
            .iter()
            .skip_while(|l| l.text.is_empty())
            .copied()
            .collect();
        for chunk in cells.chunks(roles.len()) {
            if chunk.len() < roles.len() {
                let l = chunk.last().copied().unwrap_or(header);
                return Err(ImportError::new(
                    l.no,
                    Problem::ShortRow(
                        quote(chunk[0].text),
                        format!("{} cells where the header has {}", chunk.len(), roles.len()),
                    ),
                ));
            }
            let texts: Vec<String> = chunk.iter().map(|l| l.text.to_owned()).collect();
            out.push(row_from(&roles, &texts, chunk[0].no)?);
        }
        let required = roles.contains(&Some(Role::Required));
        return Ok((out, None, required));
    }
    // Cells separated by spaces only.
    let roles: Vec<Option<Role>> = words.iter().map(|w| role(w)).collect();
    check_header(&roles, header)?;
    let mut lossy = false;
    for l in &region[first + 1..] {
        if l.text.is_empty() {
            continue;
        }
        let (name, depth, rest) = split_name(l.text);
        if name.is_empty() {
            return Err(ImportError::new(l.no, Problem::Stray(quote(l.text))));
        }
        let mut r = Row {
            no: l.no,
            depth,
            name: name.to_owned(),
            cells: BTreeMap::new(),
        };
        let mut rest = rest.trim();
        if roles.contains(&Some(Role::Type)) {
            let word = rest.split_whitespace().next().unwrap_or_default();
            r.cells.insert("type", word.to_owned());
            rest = rest[word.len()..].trim_start();
        }
        if roles.contains(&Some(Role::Required)) {
            let word = rest.split_whitespace().next().unwrap_or_default();
            if REQUIRED.is_match(word) {
                r.cells.insert("required", word.to_owned());
                rest = rest[word.len()..].trim_start();
            }
        }
        // `无` marks an empty cell.
        let words: Vec<&str> = rest.split_whitespace().collect();
        let start = words.iter().position(|w| *w != "无").unwrap_or(words.len());
        let end = words
            .iter()
            .rposition(|w| *w != "无")
            .map_or(start, |p| p + 1);
        let rest = words[start..end.max(start)].join(" ");
        if !rest.is_empty() {
            r.cells.insert("prose", rest.clone());
            r.cells.insert("description", rest);
        }
        lossy = true;
        out.push(r);
    }
    let note = lossy.then(|| {
        "the table separates its cells by spaces only: each row's limit, description and \
         remark were read as one description, limits taken from its words"
            .to_owned()
    });
    Ok((out, note, roles.contains(&Some(Role::Required))))
}

fn check_header(roles: &[Option<Role>], header: &Line<'_>) -> Result<(), ImportError> {
    if roles.first() != Some(&Some(Role::Name)) || roles.iter().flatten().count() < 2 {
        return Err(ImportError::new(
            header.no,
            Problem::UnknownHeader(
                quote(header.text),
                "key | 必填 | 更多限制 | 说明 | 规则说明",
            ),
        ));
    }
    Ok(())
}

fn pipe_cells(text: &str) -> Vec<String> {
    let t = text.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    t.split('|').map(|c| c.to_owned()).collect()
}

/// The name cell's name, its depth (`└` marks; an indented `└` one more), and the rest.
fn split_name(cell: &str) -> (&str, usize, &str) {
    let indented = cell.starts_with("  ") || cell.starts_with('\u{3000}');
    let t = cell.trim_start();
    let marks = t
        .chars()
        .take_while(|c| *c == '└' || c.is_whitespace())
        .filter(|c| *c == '└')
        .count();
    let t = t.trim_start_matches(|c: char| c == '└' || c.is_whitespace());
    let depth = marks + usize::from(indented && marks > 0);
    let end = t.find(char::is_whitespace).unwrap_or(t.len());
    (&t[..end], depth, &t[end..])
}

fn row_from(roles: &[Option<Role>], cells: &[String], no: usize) -> Result<Row, ImportError> {
    let Some(name_cell) = cells.first() else {
        return Err(ImportError::new(
            no,
            Problem::ShortRow(String::new(), "no name".to_owned()),
        ));
    };
    let (name, depth, rest) = split_name(name_cell);
    let name = if rest.trim().is_empty() {
        name.to_owned()
    } else {
        // A name cell with words after the name (`学生1 帐号信息`).
        format!("{name}{rest}").trim().to_owned()
    };
    let needed = roles
        .iter()
        .rposition(|r| matches!(r, Some(Role::Required | Role::Type)))
        .map_or(1, |p| p + 1);
    if cells.len() < needed {
        let shown = cells.iter().filter(|c| !c.trim().is_empty()).count();
        return Err(ImportError::new(
            no,
            Problem::ShortRow(
                name,
                format!("{shown} cells where the header has {}", roles.len()),
            ),
        ));
    }
    let mut r = Row {
        no,
        depth,
        name,
        cells: BTreeMap::new(),
    };
    for (role, cell) in roles.iter().zip(cells).skip(1) {
        let key = match role {
            Some(Role::Required) => "required",
            Some(Role::Limit) => "limit",
            Some(Role::Description) => "description",
            Some(Role::Remark) => "remark",
            Some(Role::Type) => "type",
            Some(Role::Example) => "example",
            _ => continue,
        };
        let cell = cell.trim();
        if !cell.is_empty() {
            r.cells.insert(key, cell.to_owned());
        }
    }
    Ok(r)
}

/// Whether a row stands for an array's items (`学生1帐号信息`, `······`, `data返回信息2`).
fn pseudo(name: &str) -> bool {
    !is_name(name)
}

/// Builds the field tree of a table: `└` rows under the row above, numbered item rows
/// standing for one item type.
fn tree(
    rows: &[Row],
    required: bool,
    notes: &mut Vec<String>,
    what: &str,
) -> Result<Vec<Node>, ImportError> {
    let mut top: Vec<Node> = Vec::new();
    // Whether the current top-level row's children are items, and whether a second item row
    // (a repeat) has been seen.
    let mut items = false;
    let mut repeat = false;
    let mut repeat_noted = false;
    for r in rows {
        if r.depth == 0 {
            if pseudo(&r.name) {
                return Err(ImportError::new(r.no, Problem::BadName(quote(&r.name))));
            }
            top.push(node(r, required));
            items = false;
            repeat = false;
            continue;
        }
        let Some(parent) = top.last_mut() else {
            return Err(ImportError::new(r.no, Problem::Orphan(quote(&r.name))));
        };
        if pseudo(&r.name) {
            if items {
                repeat = true;
                if !repeat_noted {
                    notes.push(format!(
                        "The {what} lists the item fields of `{}` again under `{}` (line {}): \
                         one item type, repeated.",
                        parent.wire, r.name, r.no
                    ));
                    repeat_noted = true;
                }
            }
            items = true;
            if parent.description.is_none() {
                parent.description = r.cells.get("description").cloned();
            }
            continue;
        }
        let child = node(r, required);
        // Under an item row, the fields are the items'; an indented `└` is a grandchild.
        let target = if r.depth >= 2 {
            match parent.children.last_mut() {
                Some(p) => p,
                None => return Err(ImportError::new(r.no, Problem::Orphan(quote(&r.name)))),
            }
        } else {
            parent
        };
        if items && r.depth < 2 {
            target.ty = Some(Ty::List(Box::new(Ty::Named(String::new()))));
        }
        if let Some(same) = target.children.iter_mut().find(|c| c.wire == child.wire) {
            if !repeat {
                return Err(ImportError::new(r.no, Problem::Twice(child.wire)));
            }
            // A repeat row adds what the first one lacked.
            if same.example.is_none() {
                same.example = child.example;
            }
            continue;
        }
        if repeat {
            let mut child = child;
            child.reviews.push(format!(
                "only the repeated item rows list `{}`: check that every item has it",
                child.wire
            ));
            target.children.push(child);
        } else {
            target.children.push(child);
        }
    }
    Ok(top)
}

fn node(r: &Row, required_column: bool) -> Node {
    let mut n = Node {
        wire: r.name.clone(),
        line: r.no,
        ..Node::default()
    };
    let description = r.cells.get("description").cloned();
    let remark = r
        .cells
        .get("remark")
        .filter(|m| !matches!(m.as_str(), "无" | "-" | "none" | "None"))
        .cloned();
    n.description = match (description, remark) {
        (Some(d), Some(m)) if d != m => Some(format!("{d}。{m}")),
        (d, m) => d.or(m),
    };
    n.example = r.cells.get("example").cloned();
    if let Some(req) = r.cells.get("required") {
        n.required_stated = true;
        if let Some(c) = REQUIRED.captures(req) {
            let yes = matches!(
                c[1].to_ascii_lowercase().as_str(),
                "是" | "必填" | "必须" | "yes" | "required"
            );
            match c.get(2) {
                Some(cond) if yes => n.reviews.push(format!(
                    "required only on a condition (`{}`): left optional",
                    cond.as_str()
                )),
                _ => n.required = yes,
            }
        } else {
            n.reviews.push(format!(
                "the required cell reads `{}`: left optional",
                quote(req)
            ));
        }
    } else if required_column {
        n.reviews
            .push("the page does not say whether it is required: left optional".to_owned());
    }
    if let Some(t) = r.cells.get("type") {
        n.ty = match t.to_ascii_lowercase().as_str() {
            "string" | "str" => Some(Ty::Prim("string")),
            "number" | "int" | "integer" | "long" => Some(Ty::Prim("int64")),
            "float" | "double" => Some(Ty::Prim("number")),
            "bool" | "boolean" => Some(Ty::Prim("bool")),
            "object" => Some(Ty::Named(String::new())),
            "array" => Some(Ty::List(Box::new(Ty::Prim("string")))),
            _ => None,
        };
    }
    if let Some(words) = r.cells.get("prose") {
        // Cells run together: limits from the words, which stay the description.
        let p = prose(words, true);
        n.limits = p.limits;
        n.default = p.default;
    }
    if let Some(limit) = r.cells.get("limit").cloned() {
        // Length words count only for text; the type is settled later, so they are read
        // now and dropped later for other types.
        let p = prose(&limit, true);
        n.limits = p.limits;
        n.default = p.default;
        if p.rest {
            n.reviews.push(format!(
                "the limit column says `{}`; only what its words state plainly was written",
                quote(&limit)
            ));
        }
    }
    n
}

/// Response fields by wire name with their types: a request field of the same name without a
/// type of its own takes it.
fn response_types(nodes: &[Node], out: &mut BTreeMap<String, Ty>) {
    for n in nodes {
        if let Some(t) = &n.ty {
            if !matches!(t.leaf(), Ty::Named(_)) {
                out.entry(n.wire.clone()).or_insert_with(|| t.clone());
            }
        }
        response_types(&n.children, out);
    }
}

/// Settles a response field's type from its rows: an `array` with item rows is a list of
/// objects, an `object` row an object.
fn response_type(n: &mut Node) {
    if n.ty == Some(Ty::List(Box::new(Ty::Prim("string")))) && !n.children.is_empty() {
        n.ty = Some(Ty::List(Box::new(Ty::Named(String::new()))));
    }
    if n.ty.is_none() && !n.children.is_empty() {
        n.ty = Some(Ty::Named(String::new()));
    }
    if !matches!(n.ty, Some(Ty::Prim("string"))) {
        clear_text_limits(n);
    }
    for c in &mut n.children {
        response_type(c);
    }
}

fn clear_text_limits(n: &mut Node) {
    n.limits.min_length = None;
    n.limits.max_length = None;
    n.limits.length = None;
    n.limits.truncated_beyond = None;
}

/// Settles a request field's type (the table has none): from its rows, the response table, the
/// sample request, or its limit words; every guess said.
fn infer(
    n: &mut Node,
    sample: Option<Value>,
    typed: &BTreeMap<String, Ty>,
    top: bool,
    whole_required: bool,
) {
    if whole_required && !n.required {
        n.required = true;
        n.required_stated = true;
        n.reviews
            .retain(|r| !r.starts_with("the page does not say"));
        n.reviews
            .push("the introduction says every parameter is required".to_owned());
    }
    let shown = sample.as_ref().map(|v| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    if n.example.is_none() {
        n.example = shown.clone();
    }
    if matches!(n.ty, Some(Ty::List(_))) || !n.children.is_empty() {
        let list = matches!(n.ty, Some(Ty::List(_))) || matches!(sample, Some(Value::Array(_)));
        n.ty = Some(if list {
            Ty::List(Box::new(Ty::Named(String::new())))
        } else {
            Ty::Named(String::new())
        });
        let item = match &sample {
            Some(Value::Array(items)) => items.first().cloned(),
            other => other.clone(),
        };
        for c in &mut n.children {
            let v = item.as_ref().and_then(|i| i.get(&c.wire)).cloned();
            infer(c, v, typed, false, false);
        }
        return;
    }
    let from_response = typed.get(&n.wire);
    let from_sample = shown.as_deref().map(|s| {
        // Form values are text: one that reads as a number is taken for one only when the
        // name or the words say numbers (`courseId`, `seatNum`, `0=…,1=…`); a phone number or
        // a password stays text.
        match &sample {
            Some(Value::String(_)) if top && numeric_words(n) => guess_from_example(s),
            Some(Value::String(_)) => Ty::Prim("string"),
            _ => guess_from_example(s),
        }
    });
    let text_limits = n.limits.min_length.is_some()
        || n.limits.max_length.is_some()
        || n.limits.length.is_some()
        || n.limits.truncated_beyond.is_some();
    let (ty, why) = match (from_response, &from_sample) {
        (Some(r), Some(s)) if r != s => (
            r.clone(),
            format!(
                "the request table gives no types: `{}` as the response table types `{}`, \
                 though the sample request sends `{}`",
                r.expr(),
                n.wire,
                shown.clone().unwrap_or_default()
            ),
        ),
        (Some(r), _) => (
            r.clone(),
            format!(
                "the request table gives no types: `{}` as the response table types `{}`",
                r.expr(),
                n.wire
            ),
        ),
        (None, Some(s)) => (
            s.clone(),
            format!(
                "the request table gives no types: `{}` inferred from the sample request (`{}`)",
                s.expr(),
                quote(&shown.clone().unwrap_or_default())
            ),
        ),
        (None, None) if text_limits => (
            Ty::Prim("string"),
            "the request table gives no types: `string`, as its limits count characters".to_owned(),
        ),
        (None, None) => (
            Ty::Prim("string"),
            "the request table gives no types and the sample request does not send it: \
             `string` assumed"
                .to_owned(),
        ),
    };
    if ty != Ty::Prim("string") && text_limits {
        clear_text_limits(n);
    }
    n.reviews.push(why);
    n.ty = Some(ty);
}

static NUMERIC_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:Id|ID|Uid|UID|Num|Count|Type|Status|identity|Year|Time|Size|Level)$|^(?:id|uid|num|count|type|status|identity)$")
        .expect("valid")
});
static NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d+\s*(?:=|为|表示|[(（])").expect("valid"));

/// Whether a field's name or words say it holds a number.
fn numeric_words(n: &Node) -> bool {
    NUMERIC_NAME.is_match(&n.wire)
        || n.description
            .as_deref()
            .is_some_and(|d| NUMBERED.is_match(d))
        || n.default
            .as_deref()
            .is_some_and(|d| d.parse::<i64>().is_ok())
}

/// The fields the sample request sends (`SID=…&courseId=…&studentJson=[…]`), JSON values
/// parsed.
fn sample_request(lines: &[Line<'_>]) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for l in lines {
        if !(l.text.contains("SID=") && l.text.contains('&')) || l.text.starts_with('-') {
            continue;
        }
        for pair in l.text.split('&') {
            let Some((k, v)) = pair.split_once('=') else {
                continue;
            };
            let v = v.trim();
            let value = if v.starts_with(['[', '{']) {
                serde_json::from_str(v).unwrap_or_else(|_| Value::String(v.to_owned()))
            } else {
                Value::String(v.to_owned())
            };
            out.entry(k.trim().to_owned()).or_insert(value);
        }
        break;
    }
    out
}

static AT_LEAST_ONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:at least one of\s+`?(\w+)`?\s+(?:and|or)\s+`?(\w+)`?)|(?:([\p{Han}\w]+?)\s*(?:与|和|或)\s*([\p{Han}\w]+?)\s*(?:至少|必须)(?:填写|填|传|传递)?(?:一个|一项|其一))",
    )
    .expect("valid")
});

/// `at least one of a and b`, `手机号与邮箱至少填写一个` in the introduction: a group of the two
/// fields, named by wire name or by description. Required fields cannot be in a group, so a
/// sentence naming one gives none.
fn groups(intro: &[&str], request: &Object) -> Vec<super::draft::Group> {
    let find = |word: &str| {
        request
            .fields
            .iter()
            .find(|f| f.wire == word || f.description.as_deref() == Some(word))
            .filter(|f| !f.required && f.default.is_none())
            .map(|f| f.wire.clone())
    };
    let mut out = Vec::new();
    for line in intro {
        for c in AT_LEAST_ONE.captures_iter(line) {
            let (a, b) = match (c.get(1), c.get(2), c.get(3), c.get(4)) {
                (Some(a), Some(b), _, _) | (_, _, Some(a), Some(b)) => (a.as_str(), b.as_str()),
                _ => continue,
            };
            let (Some(fa), Some(fb)) = (find(a), find(b)) else {
                continue;
            };
            if fa == fb {
                continue;
            }
            out.push(super::draft::Group {
                kind: "at_least_one_of",
                fields: vec![fa.clone(), fb.clone()],
                description: c[0].to_owned(),
                reviews: vec![format!(
                    "read from the introduction's words `{}`: `{a}` is `{fa}`, `{b}` is `{fb}`",
                    &c[0]
                )],
            });
        }
    }
    out
}

/// The error-code table: `code | meaning`.
fn errors(lines: &[Line<'_>], from: usize) -> Result<Vec<ErrorCode>, ImportError> {
    let Some(at) = find_heading(lines, from, ERROR_HEADINGS) else {
        return Ok(Vec::new());
    };
    let mut out: Vec<ErrorCode> = Vec::new();
    for l in &lines[at + 1..] {
        let t = l.text;
        if t.is_empty() {
            continue;
        }
        let cells: Vec<String> = if t.contains('|') {
            pipe_cells(t)
                .into_iter()
                .map(|c| c.trim().to_owned())
                .collect()
        } else {
            let (a, b) = t.split_once(char::is_whitespace).unwrap_or((t, ""));
            vec![a.to_owned(), b.trim().to_owned()]
        };
        let first = cells.first().map(String::as_str).unwrap_or_default();
        if first.chars().all(|c| matches!(c, '-' | ':' | ' '))
            || has_cjk(first) && out.is_empty() && first.contains("错误码")
        {
            continue;
        }
        if matches!(
            squash(first).to_ascii_lowercase().as_str(),
            "code" | "errno" | "错误码"
        ) {
            continue;
        }
        let Ok(code) = first.parse::<i64>() else {
            return Err(ImportError::new(l.no, Problem::BadCode(quote(first))));
        };
        if out.iter().any(|c| c.code == code) {
            continue;
        }
        let meaning = cells.get(1).filter(|m| !m.is_empty()).cloned();
        let kind = match code {
            1 => Some("success"),
            104 | 114 | 460 | 464 => Some("retryable"),
            841 => Some("partial_success"),
            _ => None,
        };
        out.push(ErrorCode {
            code,
            name: None,
            kind,
            meaning,
        });
    }
    Ok(out)
}

/// Marks each response item type with `errno` and `error` as a per-item result.
fn mark_item_results(e: &mut Endpoint) {
    let mut marked = Vec::new();
    for t in &mut e.types {
        if let super::draft::TypeBody::Object(o) = &mut t.body {
            let code = o.field("errno").is_some_and(|f| f.ty == Ty::Prim("int64"));
            let message = o.field("error").is_some_and(|f| f.ty == Ty::Prim("string"));
            if code && message {
                o.item_result = Some(("errno".to_owned(), "error".to_owned()));
                marked.push(t.name.clone());
            }
        }
    }
    for name in marked {
        if let Some(t) = e.types.iter_mut().find(|t| t.name == name) {
            t.reviews.push(
                "marked as a per-item result (`errno`, `error`), as ClassIn's multi-item calls \
                 answer"
                    .to_owned(),
            );
        }
    }
    if e.errors.iter().any(|c| c.kind.is_some()) {
        e.reviews.push(
            "error kinds follow the ClassIn protocol: 1 success; 104, 114, 460, 464 retryable; \
             841 partial success"
                .to_owned(),
        );
    }
}
