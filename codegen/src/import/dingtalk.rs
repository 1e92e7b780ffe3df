//! Reads a DingTalk page (oapi and TOP share one layout): the title, the request and response
//! tables with their bullet groups, the Java sample, the response example and the error-code
//! table.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::draft::{Endpoint, ErrorCode, Family, Limits, Object, Ty};
use super::enums::Glossary;
use super::java::{self, Sample};
use super::limits::{ding_limit, is_ding_limit, DingLimit};
use super::page::{find_heading, is_name, quote, squash, Line};
use super::tree::{Build, Node};
use super::{ImportError, Options, Problem};

static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+)\s*[(（](.+)[)）]$").expect("valid")
});
static TYPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:([A-Za-z][A-Za-z0-9_]*)\s*(\[\])?|\[\])$").expect("valid"));

const REQUEST: &str = "请求参数";
const RESPONSE: &str = "响应参数";
const SAMPLE: &str = "请求示例";
const RESPONSE_EXAMPLE: &str = "响应示例";
const ERROR_EXAMPLE: &str = "异常示例";
const ERRORS: &str = "错误码解释";
const FURNITURE: &[&str] = &["API工具", "如何获得此API", "FAQ", "返回", "顶部"];
const REQUEST_HEADER: &str = "名称 类型 是否必须 示例值 更多限制 描述";
const RESPONSE_HEADERS: &[&str] = &["名称 类型 示例值 描述", "名称 类型 是否必须 示例值 描述"];

/// Whether the page looks like a DingTalk page: its title line, or its request header.
pub fn recognises(lines: &[Line<'_>]) -> bool {
    lines
        .iter()
        .find(|l| !l.text.is_empty())
        .is_some_and(|l| TITLE.is_match(l.text))
        || lines.iter().any(|l| squash(l.text) == REQUEST_HEADER)
}

/// Reads a DingTalk page.
pub fn read(lines: &[Line<'_>], options: &Options) -> Result<Endpoint, ImportError> {
    let first = lines
        .iter()
        .position(|l| !l.text.is_empty())
        .ok_or_else(|| ImportError::new(1, Problem::Empty))?;
    let Some(title) = TITLE.captures(lines[first].text) else {
        return Err(ImportError::new(
            lines[first].no,
            Problem::NoTitle(quote(lines[first].text)),
        ));
    };
    let api = title[1].to_owned();
    let title_text = title[2].trim().to_owned();
    let last = lines.last().map_or(1, |l| l.no);
    let req_at = find_heading(lines, first + 1, &[REQUEST])
        .ok_or_else(|| ImportError::new(last, Problem::MissingSection(REQUEST)))?;
    let description = {
        let words: Vec<&str> = lines[first + 1..req_at]
            .iter()
            .map(|l| l.text)
            .filter(|t| !t.is_empty() && *t != "公共参数")
            .collect();
        (!words.is_empty()).then(|| words.join("\n"))
    };
    let resp_at = find_heading(lines, req_at + 1, &[RESPONSE])
        .ok_or_else(|| ImportError::new(last, Problem::Truncated("request table")))?;
    let sample_at = find_heading(lines, resp_at + 1, &[SAMPLE])
        .ok_or_else(|| ImportError::new(last, Problem::Truncated("response table")))?;
    let after_sample = find_heading(
        lines,
        sample_at + 1,
        &[RESPONSE_EXAMPLE, ERROR_EXAMPLE, ERRORS],
    )
    .unwrap_or(lines.len());
    let sample = Sample::read(&lines[sample_at + 1..after_sample]);
    let example = response_example(lines, sample_at);

    // The family and route, from the sample's URL.
    let mut reviews = Vec::new();
    let (family, path) = match &sample.url {
        Some((url, no)) => route(url, *no)?,
        None if api.starts_with("dingtalk.oapi.") => {
            return Err(ImportError::new(
                lines[sample_at].no,
                Problem::NoRoute(api.clone()),
            ));
        }
        None => {
            reviews.push(
                "the Java sample shows no URL: the TOP router is assumed, since the API name \
                 is not an oapi one (`dingtalk.oapi.…`)"
                    .to_owned(),
            );
            (Family::Top, None)
        }
    };
    let glossary = Glossary::new(lines.iter().map(|l| l.text));
    let module = options.module.clone().unwrap_or_else(|| module_of(&api));
    let mut endpoint = Endpoint {
        vendor: options
            .vendor
            .clone()
            .unwrap_or_else(|| "dingtalk".to_owned()),
        module,
        api,
        title: title_text,
        description,
        docs: None,
        name: None,
        notes: None,
        family,
        method: if sample.method.as_deref() == Some("GET") {
            "GET"
        } else {
            "POST"
        },
        path,
        action: None,
        request: Object::default(),
        response: Object::default(),
        types: Vec::new(),
        errors: Vec::new(),
        page_notes: Vec::new(),
        reviews,
        header: Vec::new(),
    };

    let request_rows = table(lines, req_at, resp_at, Side::Request, &sample, None)?;
    let mut response_rows = table(
        lines,
        resp_at,
        sample_at,
        Side::Response,
        &sample,
        example.as_ref(),
    )?;
    response_rows.retain(|n| !matches!(n.wire.as_str(), "errcode" | "errmsg"));
    for (var, member, no) in &sample.undeclared {
        endpoint.page_notes.push(format!(
            "The Java sample calls `{var}.set{member}` (line {no}) on a variable it never \
             declares; the parameter table's nesting is followed."
        ));
    }
    notes_on_examples(
        &mut endpoint,
        &request_rows,
        &response_rows,
        &sample,
        example.as_ref(),
    );

    let mut build = Build {
        endpoint: &mut endpoint,
        glossary: &glossary,
        request: true,
    };
    let request = build.object(request_rows, true);
    build.request = false;
    let response = build.object(response_rows, true);
    endpoint.request = request;
    endpoint.response = response;
    endpoint.errors = error_table(lines, sample_at)?;
    Ok(endpoint)
}

/// The module name for an API name: its words after the vendor's prefix
/// (`dingtalk.oapi.edu.period.create` gives `edu_period_create`).
fn module_of(api: &str) -> String {
    let rest = api
        .strip_prefix("dingtalk.oapi.")
        .or_else(|| api.strip_prefix("dingtalk."))
        .unwrap_or(api);
    let name = rest.replace(['.', '-'], "_");
    crate::naming::module_name(&name).unwrap_or(name)
}

/// The family and path a client URL names.
fn route(url: &str, line: usize) -> Result<(Family, Option<String>), ImportError> {
    let after_scheme = url.split_once("://").map_or(url, |(_, r)| r);
    let (host, path) = after_scheme
        .split_once('/')
        .map_or((after_scheme, ""), |(h, p)| (h, p));
    let path = format!("/{}", path.split(['?', '#']).next().unwrap_or(""));
    if path == "/router/rest" {
        return Ok((Family::Top, None));
    }
    if host.ends_with("dingtalk.com") && path.len() > 1 {
        return Ok((Family::Oapi, Some(path)));
    }
    Err(ImportError::new(line, Problem::UnknownUrl(url.to_owned())))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

/// One table cell of a bullet group or row, with its line.
#[derive(Clone, Copy)]
struct Cell<'a> {
    text: &'a str,
    no: usize,
}

fn is_type(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '[') && TYPE.is_match(&squash(s))
}

/// Whether a type cell names an object or a list (`Grades []`, `OpenPeriod`).
fn is_container(s: &str) -> bool {
    let s = squash(s);
    let Some(c) = TYPE.captures(&s) else {
        return false;
    };
    let scalar = matches!(
        c.get(1).map(|m| m.as_str()),
        Some(
            "String"
                | "Number"
                | "Long"
                | "Integer"
                | "Double"
                | "Float"
                | "Boolean"
                | "Date"
                | "Json"
                | "JSON"
        )
    );
    c.get(2).is_some() || (!scalar && s.starts_with(|ch: char| ch.is_ascii_uppercase()))
}

fn is_required(s: &str) -> Option<bool> {
    match s {
        "必须" | "必填" | "是" => Some(true),
        "可选" | "非必须" | "否" => Some(false),
        _ => None,
    }
}

/// A page type spelling as a spec type; object names are `Named`.
fn page_type(s: &str, reviews: &mut Vec<String>) -> Ty {
    let s = squash(s);
    let caps = TYPE.captures(&s);
    let (base, list) = match &caps {
        Some(c) => (
            c.get(1).map(|m| m.as_str()),
            c.get(2).is_some() || c.get(1).is_none(),
        ),
        None => (None, false),
    };
    let item = match base {
        None => {
            reviews.push(
                "the page types it `[]` without an item type: a list of strings is assumed"
                    .to_owned(),
            );
            Ty::Prim("string")
        }
        Some("String" | "string") => Ty::Prim("string"),
        Some("Number" | "Long" | "long" | "Integer" | "int" | "number") => Ty::Prim("int64"),
        Some("Double" | "Float" | "double" | "float" | "BigDecimal") => Ty::Prim("number"),
        Some("Boolean" | "boolean" | "bool") => Ty::Prim("bool"),
        Some("Date") => {
            reviews.push(
                "the page types it `Date`: it travels as text (`yyyy-MM-dd HH:mm:ss` on DingTalk); \
                 check the format"
                    .to_owned(),
            );
            Ty::Prim("string")
        }
        Some("Json" | "JSON" | "json") => {
            reviews.push("the page types it `Json`: kept as a string holding JSON text".to_owned());
            Ty::Prim("string")
        }
        Some(name) => Ty::Named(name.to_owned()),
    };
    if list {
        Ty::List(Box::new(item))
    } else {
        item
    }
}

/// The container a field is placed in while a table is read: its node, its page type name
/// (for the Java sample) and its path in the response example.
struct Open {
    path: Vec<usize>,
    class: String,
    /// Wire names from the response root, each with whether the table says it is a list.
    json: Vec<(String, bool)>,
}

/// Reads the table under the heading at `head` up to the heading at `end`.
fn table(
    lines: &[Line<'_>],
    head: usize,
    end: usize,
    side: Side,
    sample: &Sample,
    example: Option<&Value>,
) -> Result<Vec<Node>, ImportError> {
    let body: Vec<&Line<'_>> = lines[head + 1..end]
        .iter()
        .filter(|l| !l.text.is_empty())
        .collect();
    let Some(header) = body.first() else {
        return Err(ImportError::new(
            lines[head].no,
            Problem::NoHeader(if side == Side::Request {
                REQUEST
            } else {
                RESPONSE
            }),
        ));
    };
    let squashed = squash(header.text);
    let known = match side {
        Side::Request => squashed == REQUEST_HEADER,
        Side::Response => RESPONSE_HEADERS.contains(&squashed.as_str()),
    };
    if !known {
        return Err(ImportError::new(
            header.no,
            Problem::UnknownHeader(
                quote(header.text),
                match side {
                    Side::Request => REQUEST_HEADER,
                    Side::Response => RESPONSE_HEADERS[0],
                },
            ),
        ));
    }
    let with_required = squashed.contains("是否必须");
    let rows = &body[1..];
    let mut top: Vec<Node> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let l = rows[i];
        if l.bullet {
            let name = l.text.trim_start_matches('└').trim();
            return Err(ImportError::new(l.no, Problem::Orphan(quote(name))));
        }
        let mut node = row(l, with_required, side, sample, example)?;
        i += 1;
        // The row's own bullets: limits, then its description.
        let mut bullets: Vec<Cell<'_>> = Vec::new();
        while i < rows.len() && rows[i].bullet {
            bullets.push(Cell {
                text: rows[i].text,
                no: rows[i].no,
            });
            i += 1;
        }
        let starts = group_starts(&bullets, with_required);
        let own_end = starts.first().copied().unwrap_or(bullets.len());
        let own = &bullets[..own_end];
        if own.iter().any(|c| is_ding_limit(c.text)) {
            // With a limit, the row line holds no description: all of it is the example.
            if let Some(d) = node.description.take() {
                node.example = Some(match node.example.take() {
                    Some(x) => format!("{x} {d}"),
                    None => d,
                });
            }
        }
        for c in own {
            if let Some(limit) = ding_limit(c.text) {
                apply_limit(&mut node, limit, c)?;
            } else if node.description.is_none() {
                node.description = Some(c.text.to_owned());
            } else {
                return Err(ImportError::new(c.no, Problem::Stray(quote(c.text))));
            }
        }
        stack.clear();
        let json_root = vec![(node.wire.clone(), node.ty.as_ref().is_some_and(Ty::is_list))];
        if let Some(Ty::Named(class)) = node.ty.as_ref().map(|t| t.leaf().clone()) {
            stack.push(Open {
                path: vec![top.len()],
                class,
                json: json_root,
            });
        }
        top.push(node);
        for (k, &s) in starts.iter().enumerate() {
            let e = starts.get(k + 1).copied().unwrap_or(bullets.len());
            let group = &bullets[s..e];
            let child = group_node(group, with_required, side)?;
            if stack.is_empty() {
                let name = group[0].text.trim_start_matches('└').trim();
                return Err(ImportError::new(
                    group[0].no,
                    match top.last() {
                        Some(parent) => Problem::UnderScalar(
                            quote(name),
                            parent.wire.clone(),
                            parent.ty.as_ref().map_or_else(String::new, Ty::expr),
                        ),
                        None => Problem::Orphan(quote(name)),
                    },
                ));
            }
            place(&mut top, &mut stack, child, sample, example)?;
        }
    }
    Ok(top)
}

/// Puts `child` into the innermost open container the evidence allows, and opens it when it
/// is an object itself.
fn place(
    top: &mut [Node],
    stack: &mut Vec<Open>,
    mut child: Node,
    sample: &Sample,
    example: Option<&Value>,
) -> Result<(), ImportError> {
    let mut settled = None;
    let mut unknown = None;
    let mut checked = Vec::new();
    for idx in (0..stack.len()).rev() {
        let open = &stack[idx];
        let parent = node_at(top, &open.path);
        if parent.children.iter().any(|c| c.wire == child.wire) {
            continue;
        }
        let evidence = sample
            .has(&open.class, &child.wire)
            .or_else(|| json_has(example, &open.json, &child.wire));
        match evidence {
            Some(true) => {
                settled = Some(idx);
                break;
            }
            Some(false) => checked.push(open.class.clone()),
            None => {
                if unknown.is_none() {
                    unknown = Some(idx);
                }
            }
        }
    }
    let idx = match (settled, unknown) {
        (Some(i), _) => i,
        (None, Some(i)) => {
            if stack.len() > 1 {
                child.reviews.push(format!(
                    "nothing on the page marks where the fields of `{}` end, and neither the \
                     Java sample nor the response example settles it: placed in `{}`",
                    stack[stack.len() - 1].class,
                    stack[i].class
                ));
            }
            i
        }
        (None, None) => {
            let Some(i) = (0..stack.len()).rev().find(|&i| {
                !node_at(top, &stack[i].path)
                    .children
                    .iter()
                    .any(|c| c.wire == child.wire)
            }) else {
                return Err(ImportError::new(
                    child.line,
                    Problem::Twice(child.wire.clone()),
                ));
            };
            if stack.len() > 1 {
                child.reviews.push(format!(
                    "the Java sample and the response example do not show `{}` in {}: placed \
                     in `{}` as the table's order suggests",
                    child.wire,
                    checked.join(", "),
                    stack[i].class
                ));
            }
            i
        }
    };
    stack.truncate(idx + 1);
    let open = &stack[idx];
    let mut path = open.path.clone();
    let mut json = open.json.clone();
    let parent = node_at(top, &open.path);
    path.push(parent.children.len());
    json.push((
        child.wire.clone(),
        child.ty.as_ref().is_some_and(Ty::is_list),
    ));
    let class = match child.ty.as_ref().map(|t| t.leaf().clone()) {
        Some(Ty::Named(c)) => Some(c),
        _ => None,
    };
    parent.children.push(child);
    if let Some(class) = class {
        stack.push(Open { path, class, json });
    }
    Ok(())
}

fn node_at<'a>(top: &'a mut [Node], path: &[usize]) -> &'a mut Node {
    let (first, rest) = path.split_first().expect("a path has a root");
    let mut n = &mut top[*first];
    for &i in rest {
        n = &mut n.children[i];
    }
    n
}

/// Whether the response example's object at `path` (lists entered at their first item) has
/// `key`; `None` when the example does not reach that far.
fn json_has(example: Option<&Value>, path: &[(String, bool)], key: &str) -> Option<bool> {
    let mut v = example?;
    for (p, list) in path {
        v = v.get(p)?;
        // The TOP router wraps a list in an object named after its item type.
        if let (true, Some(o)) = (*list, v.as_object()) {
            if o.len() == 1 && o.values().all(Value::is_array) {
                v = o.values().next()?;
            }
        }
        while let Value::Array(items) = v {
            v = items.first()?;
        }
    }
    v.as_object().map(|o| o.contains_key(key))
}

/// Indexes of the bullets that open a nested field group.
fn group_starts(bullets: &[Cell<'_>], with_required: bool) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    // A group's own type and required cells never open another group.
    let own_cells = if with_required { 2 } else { 1 };
    for (i, c) in bullets.iter().enumerate() {
        let t = c.text;
        let inside = out.last().is_some_and(|&s| i <= s + own_cells);
        let marked = t.starts_with('└');
        // Without `└`, only an object or a list of objects opens a group.
        let unmarked = !inside
            && is_name(t)
            && bullets.get(i + 1).is_some_and(|n| is_container(n.text))
            && (!with_required
                || bullets
                    .get(i + 2)
                    .is_some_and(|n| is_required(n.text).is_some()));
        if marked || unmarked {
            out.push(i);
        }
    }
    out
}

/// A bullet group as a node.
fn group_node(group: &[Cell<'_>], with_required: bool, side: Side) -> Result<Node, ImportError> {
    let head = group[0];
    let name = match head.text.strip_prefix('└') {
        Some(rest) => rest.trim(),
        None => head.text,
    };
    if !is_name(name) {
        return Err(ImportError::new(head.no, Problem::BadName(quote(name))));
    }
    let mut node = Node {
        wire: name.to_owned(),
        line: head.no,
        ..Node::default()
    };
    let mut rest = &group[1..];
    if rest.is_empty() {
        return Err(ImportError::new(
            head.no,
            Problem::ShortRow(
                name.to_owned(),
                "no type, example or description".to_owned(),
            ),
        ));
    }
    let typed = if with_required {
        is_required(rest[0].text).is_none() && is_type(rest[0].text)
    } else {
        is_type(rest[0].text)
    };
    if typed {
        node.ty = Some(page_type(rest[0].text, &mut node.reviews));
        rest = &rest[1..];
    }
    if with_required {
        match rest.first().and_then(|c| is_required(c.text)) {
            Some(r) => {
                node.required = r;
                node.required_stated = true;
                rest = &rest[1..];
            }
            None if side == Side::Request => {
                return Err(ImportError::new(
                    rest.first().map_or(head.no, |c| c.no),
                    Problem::ShortRow(name.to_owned(), "no required cell (必须/可选)".to_owned()),
                ));
            }
            None => {}
        }
    }
    // Then: example, limits, description; an example and a description without limits
    // between them are told apart by count.
    let limit_at = rest.iter().position(|c| is_ding_limit(c.text));
    let plain: Vec<&Cell<'_>> = rest.iter().filter(|c| !is_ding_limit(c.text)).collect();
    match (limit_at, plain.len()) {
        (_, 0) => {}
        (Some(at), _) => {
            for c in &rest[..at] {
                if node.example.is_none() {
                    node.example = Some(c.text.to_owned());
                }
            }
            let after: Vec<&Cell<'_>> = rest[at..]
                .iter()
                .filter(|c| !is_ding_limit(c.text))
                .collect();
            if let Some(d) = after.last() {
                node.description = Some(d.text.to_owned());
            }
        }
        (None, 1) => node.description = Some(plain[0].text.to_owned()),
        (None, 2) => {
            node.example = Some(plain[0].text.to_owned());
            node.description = Some(plain[1].text.to_owned());
        }
        (None, _) => {
            return Err(ImportError::new(
                plain[2].no,
                Problem::Stray(quote(plain[2].text)),
            ));
        }
    }
    for c in rest {
        if let Some(limit) = ding_limit(c.text) {
            apply_limit(&mut node, limit, c)?;
        }
    }
    Ok(node)
}

fn apply_limit(
    node: &mut Node,
    limit: Result<DingLimit, String>,
    c: &Cell<'_>,
) -> Result<(), ImportError> {
    let limit = limit.map_err(|why| ImportError::new(c.no, Problem::BadLimit(why)))?;
    let l: &mut Limits = &mut node.limits;
    match limit {
        DingLimit::MaxLength(n) => l.max_length = Some(n),
        DingLimit::MaxItems(n) => l.max_items = Some(n),
        DingLimit::Min(n) => l.min = Some(n),
        DingLimit::Max(n) => l.max = Some(n),
        DingLimit::Default(d) => node.default = d,
    }
    Ok(())
}

/// A top-level row: `name type [required] [example] [description]`.
fn row(
    l: &Line<'_>,
    with_required: bool,
    side: Side,
    sample: &Sample,
    example: Option<&Value>,
) -> Result<Node, ImportError> {
    let text = l.text;
    let mut words = text.split_whitespace();
    let name = words.next().unwrap_or_default();
    if !is_name(name) {
        return Err(ImportError::new(l.no, Problem::BadName(quote(name))));
    }
    let mut node = Node {
        wire: name.to_owned(),
        line: l.no,
        ..Node::default()
    };
    let mut rest = text[name.len()..].trim_start();
    // The type: `Xxx`, `Xxx []`, or `[]`.
    let ty_end = type_prefix(rest).ok_or_else(|| {
        ImportError::new(
            l.no,
            Problem::ShortRow(name.to_owned(), "no type".to_owned()),
        )
    })?;
    node.ty = Some(page_type(&rest[..ty_end], &mut node.reviews));
    rest = rest[ty_end..].trim_start();
    if with_required {
        let word = rest.split_whitespace().next().unwrap_or_default();
        match is_required(word) {
            Some(r) => {
                node.required = r;
                node.required_stated = true;
                rest = rest[word.len()..].trim_start();
            }
            None => {
                return Err(ImportError::new(
                    l.no,
                    Problem::ShortRow(name.to_owned(), "no required cell (必须/可选)".to_owned()),
                ))
            }
        }
    }
    let known = match side {
        Side::Request => sample.value("", name),
        Side::Response => example
            .and_then(|x| x.get(name))
            .filter(|v| !v.is_object() && !v.is_array())
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            }),
    };
    let (x, d) = split_cells(rest, known.as_deref());
    node.example = x;
    node.description = d;
    Ok(node)
}

/// The length of the type cell at the start of `rest`.
fn type_prefix(rest: &str) -> Option<usize> {
    let mut words = rest.split_whitespace();
    let first = words.next()?;
    if !is_type(first) {
        return None;
    }
    let after = &rest[first.len()..];
    if first != "[]" && after.trim_start().starts_with("[]") {
        let spaces = after.len() - after.trim_start().len();
        return Some(first.len() + spaces + 2);
    }
    Some(first.len())
}

static DATE_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?").expect("valid")
});

/// Splits the example and description cells of a row, which only spaces separate. The
/// sample's or the response example's value, when known, says where the example ends.
fn split_cells(rest: &str, known: Option<&str>) -> (Option<String>, Option<String>) {
    let rest = rest.trim();
    if rest.is_empty() {
        return (None, None);
    }
    let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    if let Some(k) = known.filter(|k| !k.is_empty()) {
        for shown in [k.to_owned(), format!("\"{k}\"")] {
            if let Some(after) = rest.strip_prefix(&shown) {
                if after.is_empty() || after.starts_with(char::is_whitespace) {
                    return (Some(shown), some(after));
                }
            }
        }
        if !rest.contains(char::is_whitespace) && rest == k {
            return (Some(rest.to_owned()), None);
        }
    }
    if !rest.contains(char::is_whitespace) {
        return (None, Some(rest.to_owned()));
    }
    if let Some(end) = balanced(rest) {
        return (Some(rest[..end].to_owned()), some(&rest[end..]));
    }
    if let Some(m) = DATE_TIME.find(rest) {
        return (Some(m.as_str().to_owned()), some(&rest[m.end()..]));
    }
    let first = rest.split_whitespace().next().unwrap_or_default();
    (Some(first.to_owned()), some(&rest[first.len()..]))
}

/// The end of a JSON value (`[..]`, `{..}`, `".."`) at the start of `s`, spaces allowed inside.
fn balanced(s: &str) -> Option<usize> {
    let open = s.chars().next()?;
    if !matches!(open, '[' | '{' | '"') {
        return None;
    }
    let mut depth = 0i32;
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    in_str = false;
                    if depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '[' | '{' => depth += 1,
            ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// The JSON response example after the sample heading, when the page has one that parses.
fn response_example(lines: &[Line<'_>], sample_at: usize) -> Option<Value> {
    let at = find_heading(lines, sample_at + 1, &[RESPONSE_EXAMPLE])?;
    let end = find_heading(lines, at + 1, &[ERROR_EXAMPLE, ERRORS]).unwrap_or(lines.len());
    let block = &lines[at + 1..end];
    let start = block
        .iter()
        .position(|l| !l.bullet && l.text.starts_with('{'))?;
    let text: Vec<&str> = block[start..].iter().map(|l| l.text).collect();
    let text = text.join("\n");
    let len = balanced(&text)?;
    let value: Value = serde_json::from_str(&text[..len]).ok()?;
    // The TOP router's success envelope: `{"<method>_response": {...}}`.
    match value.as_object() {
        Some(o) if o.len() == 1 && o.keys().all(|k| k.ends_with("_response")) => {
            o.values().next().cloned()
        }
        _ => Some(value),
    }
}

/// Page notes where the examples contradict the tables.
fn notes_on_examples(
    e: &mut super::draft::Endpoint,
    request: &[Node],
    response: &[Node],
    sample: &Sample,
    example: Option<&Value>,
) {
    // A list an oapi response example shows wrapped in an object (`{"string": [...]}`), as
    // only the TOP router answers.
    if let Some(x) = example.filter(|_| e.family == Family::Oapi) {
        for n in response {
            let Some(v) = x.get(&n.wire) else { continue };
            let listed = n.ty.as_ref().is_some_and(Ty::is_list);
            if let (true, Some(o)) = (listed, v.as_object()) {
                if o.len() == 1 && o.values().all(Value::is_array) {
                    let key = o.keys().next().cloned().unwrap_or_default();
                    e.page_notes.push(format!(
                        "The response table says `{}` is a list, but the JSON example shows \
                         {{\"{}\":{{\"{key}\":[...]}}}} (the TOP router's list wrapping); the \
                         table is followed, and the generated client reads either shape.",
                        n.wire, n.wire
                    ));
                }
            }
        }
    }
    // A list the sample passes something else for (`""023420013644""`).
    fn walk(nodes: &[Node], class: &str, sample: &Sample, notes: &mut Vec<String>) {
        for n in nodes {
            if let (Some(Ty::List(_)), Some(members)) = (&n.ty, sample.members.get(class)) {
                let key = java::norm(&n.wire);
                if let Some((_, arg)) = members.iter().find(|(m, _)| *m == key) {
                    if arg.contains("\"\"") {
                        notes.push(format!(
                            "The Java sample passes `{arg}` for `{}`, which is not valid Java; \
                             the table says it is a list, which is followed.",
                            n.wire
                        ));
                    }
                }
            }
            if let Some(Ty::Named(c)) = n.ty.as_ref().map(Ty::leaf) {
                walk(&n.children, c, sample, notes);
            }
        }
    }
    let mut notes = Vec::new();
    walk(request, "", sample, &mut notes);
    e.page_notes.extend(notes);
}

/// The error-code table (`错误码 错误描述 解决方案`), often empty.
fn error_table(lines: &[Line<'_>], from: usize) -> Result<Vec<ErrorCode>, ImportError> {
    let Some(at) = find_heading(lines, from, &[ERRORS]) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut header = false;
    for l in &lines[at + 1..] {
        if l.text.is_empty() {
            continue;
        }
        if FURNITURE.contains(&l.text) {
            break;
        }
        if !header {
            if squash(l.text).starts_with("错误码") {
                header = true;
                continue;
            }
            return Err(ImportError::new(
                l.no,
                Problem::UnknownHeader(quote(l.text), "错误码 错误描述 解决方案"),
            ));
        }
        let mut words = l.text.splitn(2, char::is_whitespace);
        let code = words.next().unwrap_or_default();
        let Ok(code) = code.parse::<i64>() else {
            return Err(ImportError::new(l.no, Problem::BadCode(quote(code))));
        };
        if out.iter().any(|c: &ErrorCode| c.code == code) {
            continue;
        }
        let meaning = words.next().map(squash).filter(|m| !m.is_empty());
        out.push(ErrorCode {
            code,
            name: None,
            kind: None,
            meaning,
        });
    }
    Ok(out)
}
