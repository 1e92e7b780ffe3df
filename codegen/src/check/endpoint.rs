//! An endpoint's own keys: a dotted API name, the keys every endpoint needs, and a route that
//! fits its protocol family. A file without `api` may hold only shared types.

use std::collections::BTreeMap;

use super::layout::Names;
use super::{Ctx, Problem};
use crate::diagnostic::Code;
use crate::ir::RouteIr;
use crate::locate::DocPath;
use crate::model::{Http, MethodName, ProtocolName};
use crate::resolved::Endpoint;

pub(crate) fn check(cx: &mut Ctx<'_>, names: &Names) -> BTreeMap<usize, Endpoint> {
    let mut out = BTreeMap::new();
    let root = DocPath::root();
    for i in 0..cx.files.len() {
        let spec = &cx.files[i].spec;
        let Some(ep) = &names.files[i].endpoint else {
            types_only(cx, i);
            continue;
        };
        let api = spec.api.clone().unwrap_or_default();
        let valid = !api.is_empty()
            && api.split('.').all(|part| !part.is_empty())
            && api
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !valid {
            cx.at_value(
                i,
                &root.key("api"),
                Problem::new(Code::BadApiName, format!("`{api}` is not an API name")).hint(
                    "API names are dotted ASCII words, for example `dingtalk.oapi.edu.period.create`",
                ),
            );
        }
        // A key taken out with a structural problem is not missing: it was reported already.
        let missing: Vec<&str> = [
            ("title", spec.title.is_none()),
            ("protocol", spec.protocol.is_none()),
            ("http", spec.http.is_none()),
            ("request", spec.request.is_none()),
            ("response", spec.response.is_none()),
        ]
        .into_iter()
        .filter(|&(k, m)| m && !cx.dropped(i, &root.key(k)) && !cx.misspelt(i, &root, k))
        .map(|(k, _)| k)
        .collect();
        if !missing.is_empty() {
            let keys: Vec<String> = missing.iter().map(|k| format!("`{k}`")).collect();
            cx.at_key(
                i,
                &root.key("api"),
                Problem::new(
                    Code::MissingKey,
                    format!("endpoint `{api}` lacks {}", keys.join(", ")),
                )
                .hint(
                    "an endpoint needs `title`, `protocol`, `http`, `request` and `response` \
                     (an empty object is `fields: {}`)",
                ),
            );
        }
        let (Some(protocol), Some(http)) = (spec.protocol, spec.http.clone()) else {
            continue;
        };
        let Some(route) = route(cx, i, protocol, &http, &api) else {
            continue;
        };
        out.insert(
            i,
            Endpoint {
                at: cx.loc(i, &root.key("api")),
                api,
                title: spec.title.clone().unwrap_or_default(),
                protocol,
                method: http.method,
                route,
                request: ep.types.request.clone(),
                response: ep.types.response.clone(),
                error_code: ep.types.error_code.clone(),
                method_name: ep.method.clone(),
                pagination: None,
            },
        );
    }
    out
}

/// A file without `api`: only `types` (and words about them) belong in it.
fn types_only(cx: &mut Ctx<'_>, i: usize) {
    let spec = &cx.files[i].spec;
    let root = DocPath::root();
    let present: Vec<&str> = [
        ("title", spec.title.is_some()),
        ("protocol", spec.protocol.is_some()),
        ("http", spec.http.is_some()),
        ("request", spec.request.is_some()),
        ("response", spec.response.is_some()),
        ("errors", !spec.errors.is_empty()),
        ("pagination", spec.pagination.is_some()),
    ]
    .into_iter()
    .filter(|&(_, p)| p)
    .map(|(k, _)| k)
    .collect();
    let empty = spec.types.is_empty() && !cx.dropped(i, &root.key("types"));
    for key in present {
        cx.at_key(
            i,
            &root.key(key),
            Problem::new(
                Code::MissingApi,
                format!("`{key}` describes an endpoint, but the file has no `api`"),
            )
            .hint("add `api: <documented API name>`, or remove the key from this types-only file"),
        );
    }
    if empty && !cx.dropped(i, &root.key("api")) {
        cx.at_start(
            i,
            Problem::new(
                Code::MissingApi,
                "the file defines neither an endpoint (`api`) nor any `types`",
            )
            .hint("see spec/README.md for the layout of a spec file"),
        );
    }
}

/// The route, when `http` fits the protocol family.
fn route(
    cx: &mut Ctx<'_>,
    i: usize,
    protocol: ProtocolName,
    http: &Http,
    api: &str,
) -> Option<RouteIr> {
    let hp = DocPath::root().key("http");
    let bad = |message: &str| Problem::new(Code::BadRoute, message);
    // A key of `http` taken out as misspelt is reported already; what it lacks then follows.
    if cx.lost_a_key(i, &hp) {
        return None;
    }
    match protocol {
        ProtocolName::DingTalkOapi => {
            if http.action.is_some() {
                cx.at_key(
                    i,
                    &hp.key("action"),
                    bad("`action` is only for `classin-v1` endpoints"),
                );
            }
            match &http.path {
                Some(p) if p.starts_with('/') => Some(RouteIr::Path(p.clone())),
                Some(p) => {
                    cx.at_value(
                        i,
                        &hp.key("path"),
                        bad(&format!("path `{p}` does not start with `/`")).hint(
                            "write the path under the base URL, for example `/topapi/edu/period/create`",
                        ),
                    );
                    None
                }
                None => {
                    cx.at_key(
                        i,
                        &hp,
                        bad("a `dingtalk-oapi` endpoint needs `http.path`")
                            .hint("for example `path: /topapi/edu/period/create`"),
                    );
                    None
                }
            }
        }
        ProtocolName::DingTalkTop => {
            for (key, present) in [
                ("path", http.path.is_some()),
                ("action", http.action.is_some()),
            ] {
                if present {
                    cx.at_key(
                        i,
                        &hp.key(key),
                        bad(&format!(
                            "a `dingtalk-top` endpoint has no `{key}`: the router takes the API \
                             name as `method`"
                        ))
                        .hint("remove the key"),
                    );
                }
            }
            if http.method != MethodName::Post {
                cx.at_value(
                    i,
                    &hp.key("method"),
                    bad("the TOP router is called with POST").hint("write `method: POST`"),
                );
            }
            Some(RouteIr::TopMethod(api.to_owned()))
        }
        ProtocolName::ClassInV1 => {
            let path = http.path.clone().filter(|p| p.starts_with('/'));
            if path.is_none() {
                cx.at_key(
                    i,
                    &hp.key("path"),
                    bad("a `classin-v1` endpoint needs `http.path` starting with `/`")
                        .hint("for example `path: /partner/api/course.api.php`"),
                );
            }
            let action = http.action.clone().filter(|a| !a.is_empty());
            if action.is_none() {
                cx.at_key(
                    i,
                    &hp.key("action"),
                    bad("a `classin-v1` endpoint needs `http.action`")
                        .hint("for example `action: addCourseStudentMultiple`"),
                );
            }
            if http.method != MethodName::Post {
                cx.at_value(
                    i,
                    &hp.key("method"),
                    bad("ClassIn v1 endpoints are called with POST").hint("write `method: POST`"),
                );
            }
            Some(RouteIr::Action {
                path: path?,
                action: action?,
            })
        }
    }
}
