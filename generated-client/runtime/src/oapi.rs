//! The DingTalk oapi wire: JSON body and `access_token` in the query; `errcode` in every answer.

use serde_json::{Map, Value};

use crate::call::Answer;
use crate::endpoint::{Endpoint, HttpMethod, Route};
use crate::error::{snippet, Error};
use crate::form::{form_pairs, json_object, Fields, FormStyle};
use crate::http::{join, Http, RawResponse};
use crate::json::{decode, lenient_i64, text};
use crate::secret::Secret;

/// The `Content-Type` of an oapi request body.
pub const JSON_CONTENT_TYPE: &str = "application/json;charset=UTF-8";

/// Keys that mark a JSON object as an oapi answer when it carries no `errcode`.
const ENVELOPE_MARKERS: [&str; 4] = ["errmsg", "request_id", "success", "result"];

/// The request for `E` with `fields`: `POST <base><path>?access_token=...` with a JSON body, or
/// `GET` with the fields in the query.
pub(crate) fn request<E: Endpoint>(
    http: &Http,
    base: &str,
    token: &Secret,
    fields: &Fields,
) -> Result<reqwest::RequestBuilder, Error<E::ErrorCode>> {
    let path = match E::ROUTE {
        Route::Path(path) => path,
        Route::TopMethod(_) | Route::Action { .. } => {
            return Err(Error::Encode(crate::form::EncodeError::new(format!(
                "{} is an oapi endpoint but its route is not a path",
                E::API_NAME
            ))))
        }
    };
    let mut url = join(base, path)
        .map_err(|e| Error::Encode(crate::form::EncodeError::new(e.to_string())))?;
    url.query_pairs_mut()
        .append_pair("access_token", token.expose());
    Ok(match E::METHOD {
        HttpMethod::Post => http
            .request(reqwest::Method::POST, url)
            .header(reqwest::header::CONTENT_TYPE, JSON_CONTENT_TYPE)
            .body(json_object(fields)),
        HttpMethod::Get => {
            {
                let mut query = url.query_pairs_mut();
                for (name, value) in form_pairs(fields, E::FIELD_ENCODINGS, FormStyle::Top) {
                    query.append_pair(&name, &value);
                }
            }
            http.request(reqwest::Method::GET, url)
        }
    })
}

/// Read an oapi answer: `errcode` absent or 0 is success and the whole body is the response.
///
/// A body that is not a JSON object, or that has no `errcode` and looks like no oapi answer (a
/// non-2xx status, a gateway block page with `punish`, or none of `errmsg`, `request_id`,
/// `success`, `result`), is an unexpected body.
pub(crate) fn interpret<E: Endpoint>(
    raw: RawResponse,
) -> Result<Answer<E::Response>, Error<E::ErrorCode>> {
    let unexpected = || Error::UnexpectedBody {
        status: raw.status,
        snippet: snippet(&raw.body),
    };
    if raw.truncated {
        return Err(unexpected());
    }
    let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(&raw.body) else {
        return Err(unexpected());
    };
    let request_id = text(obj.get("request_id"));
    match obj.get("errcode") {
        Some(code) => {
            let Some(errcode) = lenient_i64(code) else {
                return Err(unexpected());
            };
            if errcode != 0 {
                return Err(api_error(errcode, &obj, request_id));
            }
        }
        None => {
            let looks_like_answer = (200..300).contains(&raw.status)
                && !obj.contains_key("punish")
                && ENVELOPE_MARKERS.iter().any(|k| obj.contains_key(*k));
            if !looks_like_answer {
                return Err(unexpected());
            }
        }
    }
    let response = decode(Value::Object(obj)).map_err(|message| Error::Decode {
        status: raw.status,
        message,
        snippet: snippet(&raw.body),
    })?;
    Ok((response, request_id))
}

fn api_error<C: crate::ErrorCode>(
    errcode: i64,
    obj: &Map<String, Value>,
    request_id: Option<String>,
) -> Error<C> {
    Error::DingTalk {
        errcode,
        errmsg: text(obj.get("errmsg")).unwrap_or_default(),
        sub_code: text(obj.get("sub_code")),
        sub_msg: text(obj.get("sub_msg")),
        request_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FieldEncoding, Protocol, UndocumentedCode, Validate};

    #[derive(serde::Serialize)]
    struct Req;
    impl Validate for Req {
        fn validate_at(&self, _: &crate::Path<'_>, _: &mut crate::Violations) {}
    }
    #[derive(serde::Deserialize, Debug)]
    struct Resp {
        #[serde(default)]
        result: Option<Value>,
    }
    impl Endpoint for Req {
        const API_NAME: &'static str = "dingtalk.oapi.test";
        const PROTOCOL: Protocol = Protocol::DingTalkOapi;
        const METHOD: HttpMethod = HttpMethod::Post;
        const ROUTE: Route = Route::Path("/topapi/test");
        const FIELD_ENCODINGS: &'static [(&'static str, FieldEncoding)] = &[];
        type Response = Resp;
        type ErrorCode = UndocumentedCode;
    }

    fn run(status: u16, body: &str) -> Result<Answer<Resp>, Error<UndocumentedCode>> {
        interpret::<Req>(RawResponse {
            status,
            body: body.as_bytes().to_vec(),
            truncated: false,
        })
    }

    #[test]
    fn success_shapes() {
        let (r, id) = run(
            200,
            r#"{"errcode":0,"errmsg":"ok","result":{"a":1},"request_id":"r1"}"#,
        )
        .unwrap();
        assert_eq!(r.result.unwrap()["a"], 1);
        assert_eq!(id.as_deref(), Some("r1"));
        assert!(run(200, r#"{"success":true,"result":1}"#).is_ok());
        assert!(run(200, r#"{"errcode":"0","errmsg":"ok"}"#).is_ok());
    }

    #[test]
    fn api_errors_keep_their_fields() {
        let e = run(
            200,
            r#"{"errcode":88,"sub_code":"60011","sub_msg":"没有调用该接口的权限","errmsg":"ding talk error[subcode=60011,...]","request_id":"5imjny7u9xwa"}"#,
        )
        .unwrap_err();
        match e {
            Error::DingTalk {
                errcode,
                sub_code,
                sub_msg,
                request_id,
                ..
            } => {
                assert_eq!(errcode, 88);
                assert_eq!(sub_code.as_deref(), Some("60011"));
                assert_eq!(sub_msg.as_deref(), Some("没有调用该接口的权限"));
                assert_eq!(request_id.as_deref(), Some("5imjny7u9xwa"));
            }
            other => panic!("{other:?}"),
        }
        // A numeric sub_code is kept as text.
        let e = run(200, r#"{"errcode":15,"sub_code":-1,"errmsg":"x"}"#).unwrap_err();
        assert!(matches!(e, Error::DingTalk { sub_code: Some(ref s), .. } if s == "-1"));
    }

    #[test]
    fn unexpected_bodies() {
        for (status, body) in [
            (
                200,
                r#"{"status":1111,"wait":5,"punish":"deny","request_id":"x"}"#,
            ),
            (200, "<html><body>blocked</body></html>"),
            (502, r#"{"result":1}"#),
            (200, r#"{"foo":1}"#),
            (200, "[1,2]"),
            (200, ""),
            (200, r#"{"errcode":"x"}"#),
        ] {
            match run(status, body) {
                Err(Error::UnexpectedBody { status: s, snippet }) => {
                    assert_eq!(s, status);
                    assert!(snippet.len() <= body.len() + 3);
                }
                other => panic!("{body}: {other:?}"),
            }
        }
    }

    #[test]
    fn decode_error_when_the_envelope_is_fine_but_the_payload_is_not() {
        let e = run(200, r#"{"errcode":0,"result":"#).unwrap_err();
        assert!(matches!(e, Error::UnexpectedBody { .. }));
        #[derive(serde::Deserialize, Debug)]
        struct Strict {
            #[allow(dead_code)]
            result: Vec<i64>,
        }
        let raw = RawResponse {
            status: 200,
            body: br#"{"errcode":0,"result":{"x":1}}"#.to_vec(),
            truncated: false,
        };
        let obj: Value = serde_json::from_slice(&raw.body).unwrap();
        assert!(decode::<Strict>(obj).unwrap_err().starts_with("result"));
    }
}
