//! OpenAPI 3.1 documents of the specs, one per vendor, written from the same IR as the Rust code.
//!
//! Each endpoint is one operation, named after its client method, with the protocol family's
//! parameters described: DingTalk oapi takes `access_token` in the query and a JSON body; the
//! TOP router takes its system parameters (`method`, `v`, `timestamp`, `format`, `session`,
//! `app_key`, `sign_method`, `sign`) in the query and the request as a form body; ClassIn takes
//! the `action` in the query and `SID`, `safeKey`, `timeStamp` with the request in a form body
//! (`multipart/form-data` when the request has a file); a `GET` endpoint takes its fields, and
//! ClassIn's credentials, in the query. Answers are described inside their
//! envelope. OpenAPI allows one operation per path and method, and every TOP endpoint shares the
//! router's path (every ClassIn endpoint its script's), so their path keys carry the query
//! parameter that tells them apart: `/router/rest?method=<api>`, `<script>?action=<action>`.
//!
//! Schemas of the vendor's types are under `components/schemas`, named `<module>.<Type>`, written
//! by [`crate::schema`] in its [`Dialect::OpenApi`] form: every blocking limit, rule and group as
//! JSON Schema keywords, advisory limits as `x-` keywords, the spec's descriptions as written.
//! Each operation lists its documented error codes in its description and in `x-error-codes`.
//! The envelopes are there too, named after their protocol (`dingtalk-oapi.Envelope`), which no
//! module name can be.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::ir::{
    ClientFamily, EndpointIr, ErrorCodesIr, Ir, ModuleIr, RouteIr, StructIr, TyIr, VendorIr,
};
use crate::model::{EncodingName, ErrorKindName, MethodName, ProtocolName};
use crate::schema::{self, Dialect};

/// The OpenAPI version the documents follow.
pub const OPENAPI_VERSION: &str = "3.1.0";
/// DingTalk oapi's production base URL (the runtime's default).
pub const OAPI_SERVER: &str = "https://oapi.dingtalk.com";
/// The TOP router's production base URL (the runtime's default).
pub const TOP_SERVER: &str = "https://eco.taobao.com";
/// The TOP router's path under its base URL.
pub const TOP_ROUTER_PATH: &str = "/router/rest";
/// ClassIn's production base URL (the runtime's default).
pub const CLASSIN_SERVER: &str = "https://api.eeo.cn";

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// One OpenAPI 3.1 document per vendor, keyed by the vendor's module name.
///
/// The `codegen openapi [--vendor NAME] [--out DIR]` command writes these:
///
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let ir = codegen::ir_from_dir(std::path::Path::new("spec"))?;
/// for (vendor, document) in codegen::openapi::documents(&ir) {
///     std::fs::write(
///         format!("{vendor}.openapi.json"),
///         serde_json::to_string_pretty(&document)?,
///     )?;
/// }
/// # Ok(()) }
/// ```
pub fn documents(ir: &Ir) -> BTreeMap<String, Value> {
    ir.vendors
        .iter()
        .map(|(name, vendor)| (name.clone(), document(vendor)))
        .collect()
}

/// The production base URL of a protocol family.
fn server(p: ProtocolName) -> &'static str {
    match p {
        ProtocolName::DingTalkOapi => OAPI_SERVER,
        ProtocolName::DingTalkTop => TOP_SERVER,
        ProtocolName::ClassInV1 => CLASSIN_SERVER,
    }
}

fn protocol_words(p: ProtocolName) -> &'static str {
    match p {
        ProtocolName::DingTalkOapi => {
            "DingTalk oapi: `access_token` in the query, a JSON body; `errcode` 0 in the answer is success."
        }
        ProtocolName::DingTalkTop => {
            "DingTalk through the TOP router: system parameters in the query, the request as a form body; the answer is wrapped in `<method>_response`, or is an `error_response`."
        }
        ProtocolName::ClassInV1 => {
            "ClassIn partner API v1: `action` in the query; `SID`, `safeKey` and `timeStamp` with the request in a form body; `error_info.errno` 1 in the answer is success."
        }
    }
}

fn document(vendor: &VendorIr) -> Value {
    let mut schemas = schema::type_schemas(vendor, Dialect::OpenApi);
    let mut paths = Map::new();
    let mut protocols: Vec<ProtocolName> = Vec::new();
    for m in vendor.modules.values() {
        let Some(e) = &m.endpoint else { continue };
        if !protocols.contains(&e.protocol) {
            protocols.push(e.protocol);
        }
        let item = paths
            .entry(path_key(&e.route))
            .or_insert_with(|| json!({ "servers": [{ "url": server(e.protocol) }] }));
        item[method_key(e.method)] = operation(vendor, m, e);
    }
    for p in &protocols {
        for (name, s) in envelope_components(*p) {
            schemas.insert(name, s);
        }
    }
    let shared: Vec<String> = vendor
        .modules
        .values()
        .filter(|m| m.endpoint.is_none())
        .map(|m| format!("`{}`: {}", m.name, schema::doc_text(&m.doc)))
        .collect();
    let mut description = format!(
        "Every endpoint of the `{}` specs, with its documented limits as JSON Schema keywords.",
        vendor.name
    );
    if !shared.is_empty() {
        description = format!(
            "{description}\n\nShared types:\n\n- {}",
            shared.join("\n- ")
        );
    }
    let mut doc = Map::new();
    doc.insert("openapi".into(), json!(OPENAPI_VERSION));
    doc.insert(
        "info".into(),
        json!({
            "title": format!("{} API", title(vendor)),
            "version": env!("CARGO_PKG_VERSION"),
            "description": description,
        }),
    );
    if !protocols.is_empty() {
        doc.insert(
            "servers".into(),
            Value::Array(
                protocols
                    .iter()
                    .map(|p| json!({ "url": server(*p), "description": p.as_str() }))
                    .collect(),
            ),
        );
        doc.insert(
            "tags".into(),
            Value::Array(
                protocols
                    .iter()
                    .map(|p| json!({ "name": p.as_str(), "description": protocol_words(*p) }))
                    .collect(),
            ),
        );
    }
    doc.insert("paths".into(), Value::Object(paths));
    doc.insert("components".into(), json!({ "schemas": schemas }));
    Value::Object(doc)
}

fn title(vendor: &VendorIr) -> &str {
    match vendor.family {
        Some(ClientFamily::DingTalk) => "DingTalk",
        Some(ClientFamily::ClassIn) => "ClassIn",
        None => &vendor.name,
    }
}

/// The key of an endpoint's path item.
fn path_key(route: &RouteIr) -> String {
    match route {
        RouteIr::Path(path) => path.clone(),
        RouteIr::TopMethod(method) => format!("{TOP_ROUTER_PATH}?method={method}"),
        RouteIr::Action { path, action } => format!("{path}?action={action}"),
    }
}

fn method_key(m: MethodName) -> &'static str {
    match m {
        MethodName::Get => "get",
        MethodName::Post => "post",
    }
}

fn component_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn kind_name(k: ErrorKindName) -> &'static str {
    match k {
        ErrorKindName::Success => "success",
        ErrorKindName::Failure => "failure",
        ErrorKindName::Retryable => "retryable",
        ErrorKindName::PartialSuccess => "partial_success",
    }
}

fn operation(vendor: &VendorIr, m: &ModuleIr, e: &EndpointIr) -> Value {
    let mut op = Map::new();
    op.insert("operationId".into(), json!(e.method_name));
    op.insert("summary".into(), json!(e.title));
    op.insert("tags".into(), json!([e.protocol.as_str()]));
    op.insert("x-api-name".into(), json!(e.api));
    let mut description = schema::doc_text(&m.doc);
    if let Some(codes) = &m.error_codes {
        description = format!("{description}\n\n{}", error_table(codes));
        op.insert("x-error-codes".into(), error_list(codes));
    }
    op.insert("description".into(), json!(description));

    let request = m.structs.iter().find(|s| s.name == e.request);
    let style = FormStyle::of(e.protocol);
    let mut parameters: Vec<Value> = family_parameters(&e.route)
        .iter()
        .map(Wire::query)
        .collect();
    match (e.method, e.protocol) {
        (MethodName::Get, p) => {
            if p == ProtocolName::ClassInV1 {
                parameters.extend(classin_credentials().iter().map(Wire::query));
            }
            if let Some(s) = request {
                parameters.extend(query_fields(vendor, m, e, s, style));
            }
        }
        (MethodName::Post, ProtocolName::DingTalkOapi) => {
            let body = schema::type_ref(&m.name, &e.request, Dialect::OpenApi);
            op.insert(
                "requestBody".into(),
                json!({ "required": true, "content": { JSON: { "schema": body } } }),
            );
        }
        (MethodName::Post, p) => {
            let mut body = schema::type_ref(&m.name, &e.request, Dialect::OpenApi);
            if p == ProtocolName::ClassInV1 {
                let credentials = classin_credentials();
                let properties: Map<String, Value> = credentials
                    .iter()
                    .map(|w| (w.name.to_owned(), w.described()))
                    .collect();
                let required: Vec<&str> = credentials.iter().map(|w| w.name).collect();
                body = json!({
                    "allOf": [body],
                    "type": "object",
                    "properties": properties,
                    "required": required,
                });
            }
            let media = if e.files.is_empty() { FORM } else { MULTIPART };
            let mut content = json!({ "schema": body });
            let encoding = request
                .map(|s| form_encoding(e, s, style))
                .unwrap_or_default();
            if !encoding.is_empty() {
                content["encoding"] = Value::Object(encoding);
            }
            op.insert(
                "requestBody".into(),
                json!({ "required": true, "content": { media: content } }),
            );
        }
    }
    op.insert("parameters".into(), Value::Array(parameters));
    let answer = json!({
        "description": format!("`{}` inside the {} envelope.", e.response, e.protocol.as_str()),
        "content": { JSON: { "schema": response_schema(m, e) } },
    });
    op.insert("responses".into(), json!({ "200": answer }));
    Value::Object(op)
}

/// The documented error codes as a CommonMark table.
fn error_table(codes: &ErrorCodesIr) -> String {
    let rows: Vec<String> = codes
        .codes
        .iter()
        .map(|c| {
            let meaning = c.meaning.as_deref().unwrap_or("").replace('|', "\\|");
            format!(
                "| {} | {} | {} | {meaning} |",
                c.code,
                c.variant,
                kind_name(c.kind)
            )
        })
        .collect();
    format!(
        "Documented error codes:\n\n| code | name | kind | meaning |\n|---|---|---|---|\n{}",
        rows.join("\n")
    )
}

/// The documented error codes as the `x-error-codes` extension.
fn error_list(codes: &ErrorCodesIr) -> Value {
    Value::Array(
        codes
            .codes
            .iter()
            .map(|c| {
                let mut v = json!({ "code": c.code, "name": c.variant, "kind": kind_name(c.kind) });
                if let Some(meaning) = &c.meaning {
                    v["meaning"] = json!(meaning);
                }
                v
            })
            .collect(),
    )
}

/// A value the protocol family adds to every call: a query parameter or a form field.
struct Wire {
    name: &'static str,
    required: bool,
    description: &'static str,
    schema: Value,
}

impl Wire {
    fn new(name: &'static str, required: bool, description: &'static str, schema: Value) -> Self {
        Wire {
            name,
            required,
            description,
            schema,
        }
    }

    /// As a query parameter.
    fn query(&self) -> Value {
        json!({
            "name": self.name,
            "in": "query",
            "required": self.required,
            "description": self.description,
            "schema": self.schema,
        })
    }

    /// Its schema with its description, as a property of a form body.
    fn described(&self) -> Value {
        let mut schema = self.schema.clone();
        schema["description"] = json!(self.description);
        schema
    }
}

/// The family's own query parameters.
fn family_parameters(route: &RouteIr) -> Vec<Wire> {
    let token = || json!({ "type": "string", "minLength": 1 });
    match route {
        RouteIr::Path(_) => vec![Wire::new(
            "access_token",
            true,
            "The access token from `gettoken`, added by the client.",
            token(),
        )],
        RouteIr::TopMethod(method) => vec![
            Wire::new(
                "method",
                true,
                "The API name; fixed for this operation.",
                json!({ "type": "string", "const": method }),
            ),
            Wire::new(
                "v",
                true,
                "The TOP protocol version.",
                json!({ "type": "string", "const": "2.0" }),
            ),
            Wire::new(
                "timestamp",
                true,
                "The time of the call in GMT+8, `yyyy-MM-dd HH:mm:ss`.",
                json!({
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$",
                }),
            ),
            Wire::new(
                "format",
                true,
                "The answer's format.",
                json!({ "type": "string", "const": "json" }),
            ),
            Wire::new(
                "session",
                false,
                "The access token from `gettoken`; sent whenever the client has one.",
                token(),
            ),
            Wire::new(
                "app_key",
                false,
                "The app key, when the request is signed.",
                token(),
            ),
            Wire::new(
                "sign_method",
                false,
                "How `sign` is computed, when the request is signed.",
                json!({ "type": "string", "enum": ["md5", "hmac", "hmac-sha256"] }),
            ),
            Wire::new(
                "sign",
                false,
                "The signature of every system and application parameter (uppercase hex), when the request is signed.",
                json!({ "type": "string", "pattern": "^[0-9A-F]+$" }),
            ),
            Wire::new(
                "partner_id",
                false,
                "The partner id, when the client is configured with one.",
                json!({ "type": "string" }),
            ),
            Wire::new(
                "simplify",
                false,
                "`true`: the answer comes without the `<method>_response` wrapper.",
                json!({ "type": "string", "enum": ["true", "false"] }),
            ),
        ],
        RouteIr::Action { action, .. } => vec![Wire::new(
            "action",
            true,
            "The action; fixed for this operation.",
            json!({ "type": "string", "const": action }),
        )],
    }
}

/// ClassIn's credential fields, sent with every call.
fn classin_credentials() -> Vec<Wire> {
    vec![
        Wire::new(
            "SID",
            true,
            "The school's ID.",
            json!({ "type": "string", "minLength": 1 }),
        ),
        Wire::new(
            "safeKey",
            true,
            "Lowercase hex MD5 of the school's `SECRET` followed by `timeStamp`.",
            json!({ "type": "string", "pattern": "^[0-9a-f]{32}$" }),
        ),
        Wire::new(
            "timeStamp",
            true,
            "The time of the call, in seconds since the Unix epoch.",
            json!({ "type": "integer", "format": "int64", "minimum": 0 }),
        ),
    ]
}

/// How a protocol writes fields a spec gives no encoding.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FormStyle {
    /// Objects and lists of objects as JSON, lists of scalars comma-joined.
    Top,
    /// Objects and lists as JSON, scalars as text.
    ClassIn,
}

impl FormStyle {
    fn of(p: ProtocolName) -> Self {
        match p {
            ProtocolName::ClassInV1 => FormStyle::ClassIn,
            ProtocolName::DingTalkOapi | ProtocolName::DingTalkTop => FormStyle::Top,
        }
    }
}

/// How one top-level field travels in a form or a query: its spec's encoding, or the
/// protocol's rule. `None` for a file.
fn encoding_of(e: &EndpointIr, ty: &TyIr, wire: &str, style: FormStyle) -> Option<EncodingName> {
    if let Some((_, enc)) = e.encodings.iter().find(|(w, _)| w == wire) {
        return Some(*enc);
    }
    Some(match ty {
        TyIr::File => return None,
        TyIr::List(inner)
            if style == FormStyle::Top && matches!(**inner, TyIr::Prim(_) | TyIr::Enum(..)) =>
        {
            EncodingName::Comma
        }
        TyIr::List(_) | TyIr::Struct(_) => EncodingName::Json,
        TyIr::Prim(_) | TyIr::Enum(..) => EncodingName::Plain,
    })
}

/// The Encoding Objects of a form body, by field.
fn form_encoding(e: &EndpointIr, s: &StructIr, style: FormStyle) -> Map<String, Value> {
    let mut out = Map::new();
    for f in &s.fields {
        let enc = match encoding_of(e, &f.ty, &f.wire, style) {
            None => {
                let media = if f.limits.media_types.is_empty() {
                    "application/octet-stream".to_owned()
                } else {
                    f.limits.media_types.join(", ")
                };
                json!({ "contentType": media })
            }
            Some(EncodingName::Json) => json!({ "contentType": JSON }),
            Some(EncodingName::Comma) => json!({ "style": "form", "explode": false }),
            Some(EncodingName::Plain) => continue,
        };
        out.insert(f.wire.clone(), enc);
    }
    out
}

/// The request's fields as query parameters.
fn query_fields(
    vendor: &VendorIr,
    m: &ModuleIr,
    e: &EndpointIr,
    s: &StructIr,
    style: FormStyle,
) -> Vec<Value> {
    s.fields
        .iter()
        .map(|f| {
            let schema = schema::field_schema(vendor, &m.name, f, Dialect::OpenApi);
            let mut p = json!({
                "name": f.wire,
                "in": "query",
                "required": !f.optional,
                "description": schema::doc_text(&f.doc),
            });
            match encoding_of(e, &f.ty, &f.wire, style) {
                Some(EncodingName::Json) => p["content"] = json!({ JSON: { "schema": schema } }),
                Some(EncodingName::Comma) => {
                    p["style"] = json!("form");
                    p["explode"] = json!(false);
                    p["schema"] = schema;
                }
                Some(EncodingName::Plain) | None => p["schema"] = schema,
            }
            p
        })
        .collect()
}

/// The answer's schema: the payload inside the family's envelope.
fn response_schema(m: &ModuleIr, e: &EndpointIr) -> Value {
    let payload = schema::type_ref(&m.name, &e.response, Dialect::OpenApi);
    match e.protocol {
        ProtocolName::DingTalkOapi => json!({
            "allOf": [component_ref("dingtalk-oapi.Envelope")],
            "if": { "properties": { "errcode": { "const": 0 } } },
            "then": payload,
        }),
        ProtocolName::DingTalkTop => {
            let method = match &e.route {
                RouteIr::TopMethod(m) => m.as_str(),
                RouteIr::Path(_) | RouteIr::Action { .. } => e.api.as_str(),
            };
            let wrapper = format!("{}_response", method.replace('.', "_"));
            json!({
                "oneOf": [
                    {
                        "type": "object",
                        "properties": {
                            wrapper.clone(): {
                                "allOf": [payload],
                                "properties": { "request_id": { "type": "string" } },
                            }
                        },
                        "required": [wrapper],
                    },
                    component_ref("dingtalk-top.ErrorResponse"),
                    component_ref("dingtalk-top.RootError"),
                ]
            })
        }
        ProtocolName::ClassInV1 => json!({
            "allOf": [component_ref("classin-v1.Envelope")],
            "if": { "properties": { "error_info": { "properties": { "errno": { "enum": [1, "1"] } } } } },
            "then": payload,
        }),
    }
}

/// The envelope schemas of a protocol family, by component name.
fn envelope_components(p: ProtocolName) -> Vec<(String, Value)> {
    match p {
        ProtocolName::DingTalkOapi => vec![(
            "dingtalk-oapi.Envelope".into(),
            json!({
                "type": "object",
                "description": "Every oapi answer: `errcode` 0 and the payload's fields beside it, or another `errcode` and `errmsg`.",
                "properties": {
                    "errcode": { "type": "integer", "description": "0 on success; otherwise the error code." },
                    "errmsg": { "type": "string", "description": "The error message." },
                    "sub_code": { "type": "string" },
                    "sub_msg": { "type": "string" },
                    "request_id": { "type": "string" },
                },
                "required": ["errcode"],
            }),
        )],
        ProtocolName::DingTalkTop => vec![
            (
                "dingtalk-top.ErrorResponse".into(),
                json!({
                    "type": "object",
                    "description": "A TOP router error. A payload whose `result.success` is false is a failure too.",
                    "properties": {
                        "error_response": {
                            "type": "object",
                            "properties": {
                                "code": { "type": "integer" },
                                "msg": { "type": "string" },
                                "sub_code": { "type": "string" },
                                "sub_msg": { "type": "string" },
                                "request_id": { "type": "string" },
                            },
                            "required": ["code"],
                        }
                    },
                    "required": ["error_response"],
                }),
            ),
            (
                "dingtalk-top.RootError".into(),
                json!({
                    "type": "object",
                    "description": "A DingTalk error answered at the root, outside the `<method>_response` wrapper.",
                    "properties": {
                        "errcode": { "type": "integer", "not": { "const": 0 } },
                        "errmsg": { "type": "string" },
                        "sub_code": { "type": "string" },
                        "sub_msg": { "type": "string" },
                        "request_id": { "type": "string" },
                    },
                    "required": ["errcode"],
                }),
            ),
        ],
        ProtocolName::ClassInV1 => vec![(
            "classin-v1.Envelope".into(),
            json!({
                "type": "object",
                "description": "Every ClassIn answer: `error_info` and the payload's fields beside it.",
                "properties": {
                    "error_info": {
                        "type": "object",
                        "properties": {
                            "errno": { "type": ["integer", "string"], "description": "1 on success; otherwise the error code (sometimes written as text)." },
                            "error": { "type": "string", "description": "The message." },
                        },
                        "required": ["errno"],
                    }
                },
                "required": ["error_info"],
            }),
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostics;
    use crate::load::{self, Source};

    fn project_documents() -> BTreeMap<String, Value> {
        let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        documents(&crate::ir_from_dir(&spec).expect("the project's specs are valid"))
    }

    /// The documents of spec files given as `(vendor, module, text)`.
    fn documents_of(files: &[(&str, &str, &str)]) -> BTreeMap<String, Value> {
        let mut diags = Diagnostics::default();
        let loaded: Vec<_> = files
            .iter()
            .map(|(vendor, module, text)| {
                load::parse(
                    Source {
                        display: format!("spec/{vendor}/{module}.yaml"),
                        vendor: (*vendor).to_owned(),
                        module: (*module).to_owned(),
                        text: (*text).to_owned(),
                    },
                    &mut diags,
                )
            })
            .collect();
        let (model, found) = crate::check::check(&loaded);
        assert!(diags.is_empty() && found.is_empty(), "{diags}\n{found}");
        documents(&crate::lower::lower(&model.expect("checked")))
    }

    fn op<'a>(doc: &'a Value, path: &str, method: &str) -> &'a Value {
        let op = &doc["paths"][path][method];
        assert!(op.is_object(), "no {method} {path} in {doc:#}");
        op
    }

    fn parameter_names(op: &Value) -> Vec<&str> {
        op["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .map(|p| p["name"].as_str().expect("a name"))
            .collect()
    }

    fn component<'a>(doc: &'a Value, name: &str) -> &'a Value {
        let s = &doc["components"]["schemas"][name];
        assert!(s.is_object(), "no component {name}");
        s
    }

    #[test]
    fn one_document_per_vendor_on_the_production_servers() {
        let docs = project_documents();
        assert_eq!(docs.keys().collect::<Vec<_>>(), ["classin", "dingtalk"]);
        for doc in docs.values() {
            assert_eq!(doc["openapi"], "3.1.0");
            assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
        }
        let urls = |doc: &Value| -> Vec<String> {
            doc["servers"]
                .as_array()
                .expect("servers")
                .iter()
                .map(|s| s["url"].as_str().expect("a url").to_owned())
                .collect()
        };
        assert_eq!(urls(&docs["classin"]), ["https://api.eeo.cn"]);
        let mut dingtalk = urls(&docs["dingtalk"]);
        dingtalk.sort();
        assert_eq!(
            dingtalk,
            ["https://eco.taobao.com", "https://oapi.dingtalk.com"]
        );
        let top = &docs["dingtalk"]["paths"]["/router/rest?method=dingtalk.corp.extcontact.update"];
        assert_eq!(top["servers"][0]["url"], "https://eco.taobao.com");
        let oapi = &docs["dingtalk"]["paths"]["/topapi/edu/period/create"];
        assert_eq!(oapi["servers"][0]["url"], "https://oapi.dingtalk.com");
    }

    #[test]
    fn an_oapi_operation_takes_the_token_in_the_query_and_a_json_body() {
        let docs = project_documents();
        let doc = &docs["dingtalk"];
        let op = op(doc, "/topapi/edu/period/create", "post");
        assert_eq!(op["operationId"], "edu_period_create");
        assert_eq!(op["summary"], "创建学段");
        assert!(op["description"]
            .as_str()
            .expect("a description")
            .contains("新建在已经校区下的学段"));
        assert_eq!(parameter_names(op), ["access_token"]);
        assert_eq!(op["parameters"][0]["in"], "query");
        assert_eq!(op["parameters"][0]["required"], true);
        assert_eq!(
            op["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/edu_period_create.EduPeriodCreateRequest"
        );
        let answer = &op["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(
            answer["allOf"][0]["$ref"],
            "#/components/schemas/dingtalk-oapi.Envelope"
        );
        assert_eq!(answer["if"]["properties"]["errcode"]["const"], 0);
        assert_eq!(
            answer["then"]["$ref"],
            "#/components/schemas/edu_period_create.EduPeriodCreateResponse"
        );
        let envelope = component(doc, "dingtalk-oapi.Envelope");
        assert_eq!(envelope["required"], json!(["errcode"]));
        assert!(envelope["properties"]["errmsg"].is_object());
    }

    #[test]
    fn a_top_operation_describes_the_system_parameters_and_the_wrapper() {
        let docs = project_documents();
        let doc = &docs["dingtalk"];
        let op = op(
            doc,
            "/router/rest?method=dingtalk.corp.extcontact.update",
            "post",
        );
        assert_eq!(op["operationId"], "corp_extcontact_update");
        let names = parameter_names(op);
        for name in [
            "method",
            "app_key",
            "session",
            "timestamp",
            "v",
            "format",
            "sign_method",
            "sign",
        ] {
            assert!(names.contains(&name), "{name} missing from {names:?}");
        }
        assert_eq!(
            op["parameters"][0]["schema"]["const"],
            "dingtalk.corp.extcontact.update"
        );
        let body = &op["requestBody"]["content"]["application/x-www-form-urlencoded"];
        assert_eq!(
            body["schema"]["$ref"],
            "#/components/schemas/corp_extcontact_update.CorpExtcontactUpdateRequest"
        );
        assert_eq!(
            body["encoding"]["contact"]["contentType"],
            "application/json"
        );
        let answer = &op["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(
            answer["oneOf"][0]["required"],
            json!(["dingtalk_corp_extcontact_update_response"])
        );
        assert_eq!(
            answer["oneOf"][1]["$ref"],
            "#/components/schemas/dingtalk-top.ErrorResponse"
        );
        assert_eq!(
            answer["oneOf"][2]["$ref"],
            "#/components/schemas/dingtalk-top.RootError"
        );
        assert_eq!(
            component(doc, "dingtalk-top.RootError")["required"],
            json!(["errcode"])
        );
    }

    #[test]
    fn a_classin_operation_sends_the_credentials_in_its_form_and_lists_its_error_codes() {
        let docs = project_documents();
        let doc = &docs["classin"];
        let op = op(
            doc,
            "/partner/api/course.api.php?action=addCourseStudentMultiple",
            "post",
        );
        assert_eq!(op["operationId"], "add_course_student_multiple");
        assert_eq!(parameter_names(op), ["action"]);
        assert_eq!(
            op["parameters"][0]["schema"]["const"],
            "addCourseStudentMultiple"
        );
        let body = &op["requestBody"]["content"]["application/x-www-form-urlencoded"];
        assert!(op["requestBody"]["content"][MULTIPART].is_null());
        assert_eq!(
            body["schema"]["allOf"][0]["$ref"],
            "#/components/schemas/add_course_student_multiple.AddCourseStudentMultipleRequest"
        );
        assert_eq!(
            body["schema"]["required"],
            json!(["SID", "safeKey", "timeStamp"])
        );
        assert_eq!(
            body["encoding"]["studentJson"]["contentType"],
            "application/json"
        );
        let codes = op["x-error-codes"].as_array().expect("x-error-codes");
        assert!(codes.contains(&json!({
            "code": 841,
            "name": "NicknameSyncFailed",
            "kind": "partial_success",
            "meaning": "表示成员添加成功,班级昵称同步失败",
        })));
        let description = op["description"].as_str().expect("a description");
        assert!(description.contains("| 464 | StudentBeingCreated | retryable |"));
        assert!(description.contains("旁听人数默认最多可添加 20 人"));
        let answer = &op["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(
            answer["allOf"][0]["$ref"],
            "#/components/schemas/classin-v1.Envelope"
        );
        assert_eq!(
            component(doc, "classin-v1.Envelope")["required"],
            json!(["error_info"])
        );
    }

    #[test]
    fn limits_enums_defaults_and_rules_are_schema_keywords() {
        let docs = project_documents();
        let doc = &docs["classin"];
        let request = component(
            doc,
            "add_course_student_multiple.AddCourseStudentMultipleRequest",
        );
        let students = &request["properties"]["studentJson"];
        assert_eq!(students["minItems"], 1);
        assert_eq!(students["x-recommended-max-items"], 30);
        assert!(students.get("maxItems").is_none(), "a warning is no bound");
        assert_eq!(request["properties"]["identity"]["default"], 1);
        let identity_doc = request["properties"]["identity"]["description"]
            .as_str()
            .expect("a description");
        assert!(identity_doc.contains("(`Identity`)") && !identity_doc.contains("[`"));
        assert_eq!(
            request["allOf"][0],
            json!({
                "if": { "properties": { "identity": { "enum": [2] } }, "required": ["identity"] },
                "then": { "properties": { "studentJson": { "maxItems": 20 } } },
            })
        );
        let account = component(doc, "add_course_student_multiple.StudentAccount");
        assert_eq!(account["properties"]["name"]["minLength"], 1);
        assert_eq!(account["properties"]["name"]["x-truncated-beyond"], 24);
        assert!(account["properties"]["name"]["description"]
            .as_str()
            .expect("a description")
            .contains("超过24字会自动截取为24字"));
        assert_eq!(
            component(doc, "add_course_student_multiple.StudentAddResult")["x-item-result"],
            json!({ "code": "errno", "message": "error" })
        );
        let identity = component(doc, "add_course_student_multiple.Identity");
        assert_eq!(identity["type"], "integer");
        assert_eq!(identity["enum"], json!([1, 2]));
        assert_eq!(identity["x-enum-varnames"], json!(["Student", "Auditor"]));
        let dingtalk = &docs["dingtalk"];
        let grades = component(dingtalk, "edu_period_create.Grades");
        assert_eq!(grades["properties"]["classes"]["minimum"], 0.0);
        assert_eq!(grades["properties"]["classes"]["format"], "int64");
        let pool = component(
            dingtalk,
            "industry_studentpool_batchadd.IndustryStudentpoolBatchaddRequest",
        );
        assert_eq!(pool["properties"]["student_list"]["maxItems"], 20);
        let mode = &component(dingtalk, "edu_period_create.OpenPeriod")["properties"]["name_mode"];
        assert_eq!(mode["default"], "number");
        assert_eq!(
            mode["$ref"],
            "#/components/schemas/edu_period_create.NameMode"
        );
    }

    const REGISTER: &str = r#"
api: classin.user.register
title: 注册用户
protocol: classin-v1
http: {method: POST, path: /partner/api/course.api.php, action: register}
request:
  fields:
    telephone: {type: string, pattern: "1[3-9][0-9]{9}", description: 手机号}
    email: {type: string, max_length: 64, description: 邮箱}
    password: {type: string, min_length: 6, max_length: 20, description: 明文密码}
    md5pass: {type: string, length: 32, description: md5 加密后的密码}
    Filedata:
      type: file
      rust_name: avatar
      max_bytes: 1048576
      extensions: [jpg, jpeg, gif, png]
      media_types: [image/jpeg, image/gif, image/png]
      description: 头像
  groups:
    - at_least_one_of: [telephone, email]
      description: 手机号与邮箱至少填写一个
    - exactly_one_of: [password, md5pass]
response:
  fields:
    data: {type: int64, description: 用户 UID}
"#;

    #[test]
    fn a_request_with_a_file_is_multipart_and_groups_are_keywords() {
        let docs = documents_of(&[("classin", "user_register", REGISTER)]);
        let doc = &docs["classin"];
        let op = op(doc, "/partner/api/course.api.php?action=register", "post");
        assert!(op["requestBody"]["content"][FORM].is_null());
        let body = &op["requestBody"]["content"][MULTIPART];
        assert_eq!(
            body["encoding"]["Filedata"]["contentType"],
            "image/jpeg, image/gif, image/png"
        );
        let request = component(doc, "user_register.UserRegisterRequest");
        let file = &request["properties"]["Filedata"];
        assert_eq!(file["type"], "string");
        assert_eq!(file["x-max-bytes"], 1_048_576);
        assert_eq!(file["x-extensions"], json!(["jpg", "jpeg", "gif", "png"]));
        assert_eq!(
            request["allOf"],
            json!([
                { "anyOf": [{ "required": ["telephone"] }, { "required": ["email"] }] },
                { "oneOf": [{ "required": ["password"] }, { "required": ["md5pass"] }] },
            ])
        );
        assert_eq!(
            request["properties"]["telephone"]["pattern"],
            "^(?:1[3-9][0-9]{9})$"
        );
        assert_eq!(request["properties"]["md5pass"]["minLength"], 32);
        assert_eq!(request["properties"]["md5pass"]["maxLength"], 32);
    }

    const LIST: &str = r#"
api: dingtalk.oapi.edu.class.list
title: 获取班级列表
protocol: dingtalk-oapi
http: {method: GET, path: /topapi/edu/class/list}
request:
  fields:
    ids: {type: list<int64>, required: true, max_items: 5}
    filter: {type: Filter}
    name: {type: string, max_length: 10}
response:
  fields:
    result: {type: list<int64>}
types:
  Filter:
    fields:
      grade: {type: int32}
"#;

    #[test]
    fn a_get_endpoint_takes_its_fields_in_the_query() {
        let docs = documents_of(&[("dingtalk", "edu_class_list", LIST)]);
        let op = op(&docs["dingtalk"], "/topapi/edu/class/list", "get");
        assert!(op["requestBody"].is_null());
        assert_eq!(
            parameter_names(op),
            ["access_token", "ids", "filter", "name"]
        );
        let ids = &op["parameters"][1];
        assert_eq!(
            (&ids["style"], &ids["explode"]),
            (&json!("form"), &json!(false))
        );
        assert_eq!(ids["required"], true);
        assert_eq!(ids["schema"]["maxItems"], 5);
        let filter = &op["parameters"][2];
        assert_eq!(filter["required"], false);
        assert_eq!(
            filter["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/edu_class_list.Filter"
        );
        assert_eq!(op["parameters"][3]["schema"]["maxLength"], 10);
    }
}
