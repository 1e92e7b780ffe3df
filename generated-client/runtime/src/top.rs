//! The TOP router wire: system parameters in the query, application parameters as a form body,
//! answers wrapped in `<method>_response` or `error_response` (read by
//! [`crate::envelope::read_top`]).

use std::borrow::Cow;

use time::OffsetDateTime;

use crate::clock::gmt8_timestamp;
use crate::endpoint::{Endpoint, HttpMethod, Shape};
use crate::http::Http;
use crate::secret::Secret;
use crate::top_sign::{sign_all, SignMethod};

/// The path of the router under the TOP base URL.
pub const ROUTER_PATH: &str = "/router/rest";

/// The `Content-Type` of a TOP request body.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded;charset=UTF-8";

/// Credentials for generic TOP signing: requests then carry `app_key`, `sign_method` and `sign`
/// besides the `session`.
#[derive(Debug, Clone)]
pub struct TopSigning {
    /// The `app_key`.
    pub app_key: String,
    /// The app secret the signature is keyed with.
    pub app_secret: Secret,
    /// How the signature is computed.
    pub method: SignMethod,
}

impl TopSigning {
    /// Sign with `app_key` and `app_secret` using `method`.
    pub fn new(
        app_key: impl Into<String>,
        app_secret: impl Into<Secret>,
        method: SignMethod,
    ) -> Self {
        TopSigning {
            app_key: app_key.into(),
            app_secret: app_secret.into(),
            method,
        }
    }
}

/// How TOP requests of one client are built.
#[derive(Debug, Clone)]
pub(crate) struct TopOptions {
    /// The router URL, base and [`ROUTER_PATH`].
    pub url: reqwest::Url,
    /// Generic signing, when configured.
    pub signing: Option<TopSigning>,
    /// Whether to send `simplify=true`.
    pub simplify: bool,
    /// The optional `partner_id`.
    pub partner_id: Option<String>,
}

/// The TOP method name of `E`: its route's method, or its API name.
pub(crate) fn method_name<E: Endpoint>() -> &'static str {
    Shape::of::<E>().top_method()
}

/// System parameters as `(name, value)` pairs, in the order they are sent.
pub(crate) type Params<'a> = Vec<(&'static str, Cow<'a, str>)>;

/// The system parameters of a call of `shape` (with `sign` last when signing) whose application
/// parameters are `application`.
pub(crate) fn parameters<'a>(
    shape: &Shape,
    options: &'a TopOptions,
    token: Option<&'a Secret>,
    now: OffsetDateTime,
    application: &[(String, String)],
) -> Params<'a> {
    let mut system: Params<'a> = Vec::with_capacity(10);
    system.push(("method", Cow::Borrowed(shape.top_method())));
    system.push(("v", Cow::Borrowed("2.0")));
    system.push(("timestamp", Cow::Owned(gmt8_timestamp(now))));
    system.push(("format", Cow::Borrowed("json")));
    if let Some(token) = token {
        system.push(("session", Cow::Borrowed(token.expose())));
    }
    if let Some(signing) = &options.signing {
        system.push(("app_key", Cow::Borrowed(&signing.app_key)));
        system.push(("sign_method", Cow::Borrowed(signing.method.as_str())));
    }
    if let Some(partner) = &options.partner_id {
        system.push(("partner_id", Cow::Borrowed(partner)));
    }
    if options.simplify {
        system.push(("simplify", Cow::Borrowed("true")));
    }
    if let Some(signing) = &options.signing {
        let all = system
            .iter()
            .map(|(k, v)| (*k, v.as_ref()))
            .chain(application.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let signature = sign_all(all, signing.app_secret.expose(), signing.method);
        system.push(("sign", Cow::Owned(signature)));
    }
    system
}

/// The request for `shape` with application parameters `application` (its form fields, by the TOP
/// rule): `POST <router>?<system parameters>` with the application parameters as a form body
/// (`GET` endpoints take them in the query too). Also returns the signature, when signing, so
/// that an echo of it can be scrubbed from the answer.
pub(crate) fn request(
    http: &Http,
    shape: &Shape,
    options: &TopOptions,
    token: Option<&Secret>,
    now: OffsetDateTime,
    application: &[(String, String)],
) -> (reqwest::RequestBuilder, Option<Secret>) {
    let mut system = parameters(shape, options, token, now, application);
    let mut url = options.url.clone();
    {
        let mut query = url.query_pairs_mut();
        for (k, v) in &system {
            query.append_pair(k, v);
        }
        if shape.method == HttpMethod::Get {
            for (k, v) in application {
                query.append_pair(k, v);
            }
        }
    }
    let sign = match system.last_mut() {
        Some(("sign", v)) => Some(Secret::new(std::mem::take(v).into_owned())),
        _ => None,
    };
    let request = match shape.method {
        HttpMethod::Post => {
            let mut body = form_urlencoded::Serializer::new(String::with_capacity(128));
            body.extend_pairs(application);
            http.request(reqwest::Method::POST, url)
                .header(reqwest::header::CONTENT_TYPE, FORM_CONTENT_TYPE)
                .body(body.finish())
        }
        HttpMethod::Get => http.request(reqwest::Method::GET, url),
    };
    (request, sign)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::{read_top, Decoded};
    use crate::form::{form_pairs, FormStyle};
    use crate::redact::Redactor;
    use crate::top_sign::sign;
    use crate::{Error, FieldEncoding, Protocol, Route, UndocumentedCode, Validate};
    use serde_json::Value;
    use time::macros::datetime;

    #[derive(serde::Serialize)]
    struct Req {
        fields: &'static str,
    }
    impl Validate for Req {
        fn validate_at(&self, _: &crate::Path<'_>, _: &mut crate::Violations) {}
    }
    #[derive(serde::Deserialize, Debug)]
    struct Resp {
        result: Option<Value>,
        request_id: Option<String>,
    }
    impl Endpoint for Req {
        const API_NAME: &'static str = "taobao.user.seller.get";
        const PROTOCOL: Protocol = Protocol::DingTalkTop;
        const METHOD: HttpMethod = HttpMethod::Post;
        const ROUTE: Route = Route::TopMethod("taobao.user.seller.get");
        const FIELD_ENCODINGS: &'static [(&'static str, FieldEncoding)] = &[];
        type Response = Resp;
        type ErrorCode = UndocumentedCode;
    }

    fn options(signing: Option<TopSigning>) -> TopOptions {
        TopOptions {
            url: reqwest::Url::parse("http://127.0.0.1:1/router/rest").unwrap(),
            signing,
            simplify: false,
            partner_id: None,
        }
    }

    #[test]
    fn dingtalk_mode_sends_session_and_no_signature() {
        let app = form_pairs(
            &Req { fields: "nick" },
            Req::FIELD_ENCODINGS,
            FormStyle::Top,
        )
        .unwrap();
        let options = options(None);
        let token = Secret::new("tok");
        let system = parameters(
            &Shape::of::<Req>(),
            &options,
            Some(&token),
            datetime!(2013-05-06 05:52:03 UTC),
            &app,
        );
        let keys: Vec<&str> = system.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["method", "v", "timestamp", "format", "session"]);
        assert_eq!(system[2].1, "2013-05-06 13:52:03");
        assert_eq!(app, vec![("fields".to_owned(), "nick".to_owned())]);
    }

    #[test]
    fn signing_mode_signs_system_and_application_parameters() {
        // The protocol's test vector, with format=json instead of xml: recomputed independently.
        let app = form_pairs(
            &Req { fields: "nick" },
            Req::FIELD_ENCODINGS,
            FormStyle::Top,
        )
        .unwrap();
        let options = options(Some(TopSigning::new("test", "test", SignMethod::Md5)));
        let token = Secret::new("test");
        let system = parameters(
            &Shape::of::<Req>(),
            &options,
            Some(&token),
            datetime!(2013-05-06 05:52:03 UTC),
            &app,
        );
        let (k, v) = system.last().unwrap();
        assert_eq!(*k, "sign");
        let mut expected = vec![
            ("app_key", "test"),
            ("fields", "nick"),
            ("format", "json"),
            ("method", "taobao.user.seller.get"),
            ("session", "test"),
            ("sign_method", "md5"),
            ("timestamp", "2013-05-06 13:52:03"),
            ("v", "2.0"),
        ];
        expected.sort();
        assert_eq!(v, &sign(&expected, "test", SignMethod::Md5));
    }

    fn run(status: u16, body: &str) -> Result<Decoded<Resp, UndocumentedCode>, Error> {
        read_top(
            status,
            body.as_bytes(),
            "taobao.user.seller.get",
            false,
            &Redactor::default(),
        )
    }

    fn run_simplified(body: &str) -> Result<Decoded<Resp, UndocumentedCode>, Error> {
        read_top(
            200,
            body.as_bytes(),
            "taobao.user.seller.get",
            true,
            &Redactor::default(),
        )
    }

    #[test]
    fn wrapped_and_simplified_answers() {
        let ok = run(
            200,
            r#"{"taobao_user_seller_get_response":{"result":{"success":true},"request_id":"abc"}}"#,
        )
        .unwrap();
        assert_eq!(ok.request_id.as_deref(), Some("abc"));
        assert_eq!(ok.response.request_id.as_deref(), Some("abc"));
        let ok = run_simplified(r#"{"result":{"success":true},"request_id":"abc"}"#).unwrap();
        assert!(ok.response.result.is_some());
        assert_eq!(ok.request_id.as_deref(), Some("abc"));
        // With simplify on, a wrapped answer is read too.
        let ok = run_simplified(
            r#"{"taobao_user_seller_get_response":{"result":{"success":true},"request_id":"w"}}"#,
        )
        .unwrap();
        assert_eq!(ok.response.request_id.as_deref(), Some("w"));
    }

    #[test]
    fn error_response_and_failed_result() {
        match run(
            200,
            r#"{"error_response":{"code":50,"msg":"Remote service error","sub_code":"isv.invalid-parameter","sub_msg":"非法参数","request_id":"r9"}}"#,
        ) {
            Err(Error::Top {
                code: 50,
                msg,
                sub_code,
                sub_msg,
                request_id,
            }) => {
                assert_eq!(msg, "Remote service error");
                assert_eq!(sub_code.as_deref(), Some("isv.invalid-parameter"));
                assert_eq!(sub_msg.as_deref(), Some("非法参数"));
                assert_eq!(request_id.as_deref(), Some("r9"));
            }
            other => panic!("{other:?}"),
        }
        for body in [
            r#"{"taobao_user_seller_get_response":{"result":{"ding_open_errcode":40000,"error_msg":"失败","success":false},"request_id":"r2"}}"#,
            r#"{"taobao_user_seller_get_response":{"request_id":"r2","result":{"success":"false","ding_open_errcode":"40000","error_msg":"失败"}}}"#,
        ] {
            match run(200, body) {
                Err(Error::TopFailure {
                    ding_open_errcode: Some(40000),
                    error_msg,
                    request_id,
                }) => {
                    assert_eq!(error_msg.as_deref(), Some("失败"));
                    assert_eq!(request_id.as_deref(), Some("r2"));
                }
                other => panic!("{other:?}"),
            }
        }
        // A root errcode is a DingTalk error, in either mode.
        let e = run(200, r#"{"errcode":88,"errmsg":"no"}"#).unwrap_err();
        assert!(matches!(e, Error::DingTalk { errcode: 88, .. }), "{e}");
        let e = run_simplified(r#"{"errcode":88,"errmsg":"no"}"#).unwrap_err();
        assert!(matches!(e, Error::DingTalk { errcode: 88, .. }), "{e}");
    }

    #[test]
    fn unexpected_answers() {
        for body in [
            "<error_response><code>50</code></error_response>",
            r#"{"other_method_response":{"x":1}}"#,
            r#"{"error_response":"nope"}"#,
            r#"{"taobao_user_seller_get_response":[1]}"#,
            r#"{"status":1111,"wait":5,"punish":"deny","request_id":"x"}"#,
            r#"{"code":"Throttling.User","message":"denied","request_id":"x"}"#,
            r#"{"result":{"success":true},"request_id":"abc"}"#,
        ] {
            assert!(
                matches!(run(200, body), Err(Error::UnexpectedBody { .. })),
                "{body}"
            );
        }
        // Simplified answers must still look like TOP answers.
        for body in [
            r#"{"code":"Throttling.User","message":"denied","request_id":"x"}"#,
            r#"{"status":1111,"wait":5,"punish":"deny"}"#,
            r#"{}"#,
        ] {
            assert!(
                matches!(run_simplified(body), Err(Error::UnexpectedBody { .. })),
                "{body}"
            );
        }
    }
}
