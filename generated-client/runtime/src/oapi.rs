//! The DingTalk oapi wire: JSON body and `access_token` in the query; `errcode` in every answer
//! (read by [`crate::envelope::read_oapi`]).

use crate::endpoint::{Endpoint, HttpMethod, Route, Shape};
use crate::form::{form_pairs, json_body, EncodeError, FormStyle};
use crate::http::{BaseUrl, Http};
use crate::secret::Secret;

/// The `Content-Type` of an oapi request body.
pub const JSON_CONTENT_TYPE: &str = "application/json;charset=UTF-8";

/// A request's fields as oapi sends them, encoded once per call: a JSON body for `POST`, query
/// pairs (by the TOP form rule) for `GET`.
#[derive(Debug)]
pub(crate) enum Payload {
    /// The JSON body, shared by every attempt.
    Json(bytes::Bytes),
    /// The query pairs.
    Query(Vec<(String, String)>),
}

impl Payload {
    /// The payload of `request`.
    pub fn of<E: Endpoint>(request: &E) -> Result<Self, EncodeError> {
        // On a constant: an endpoint compiles the one encoding its method takes.
        Ok(
            if const {
                match E::METHOD {
                    HttpMethod::Post => true,
                    HttpMethod::Get => false,
                }
            } {
                Payload::Json(json_body(request)?.into())
            } else {
                Payload::Query(form_pairs(request, E::FIELD_ENCODINGS, FormStyle::Top)?)
            },
        )
    }
}

/// The request for `shape` with `payload`: `POST <base><path>?access_token=...` with a JSON
/// body, or `GET` with the fields in the query.
pub(crate) fn request(
    http: &Http,
    shape: &Shape,
    base: &BaseUrl,
    token: &Secret,
    payload: &Payload,
) -> Result<reqwest::RequestBuilder, EncodeError> {
    let path = match shape.route {
        Route::Path(path) => path,
        Route::TopMethod(_) | Route::Action { .. } => {
            return Err(EncodeError::new(format!(
                "{} is an oapi endpoint but its route is not a path",
                shape.api
            )))
        }
    };
    let mut url = base
        .join(path)
        .map_err(|e| EncodeError::new(e.to_string()))?;
    url.query_pairs_mut()
        .append_pair("access_token", token.expose());
    Ok(match payload {
        Payload::Json(body) => http
            .request(reqwest::Method::POST, url)
            .header(reqwest::header::CONTENT_TYPE, JSON_CONTENT_TYPE)
            .body(body.clone()),
        Payload::Query(pairs) => {
            url.query_pairs_mut().extend_pairs(pairs);
            http.request(reqwest::Method::GET, url)
        }
    })
}

#[cfg(test)]
mod tests {
    use crate::envelope::{read_oapi, Decoded};
    use crate::redact::Redactor;
    use crate::{Error, UndocumentedCode};
    use serde_json::Value;

    #[derive(serde::Deserialize, Debug)]
    struct Resp {
        #[serde(default)]
        result: Option<Value>,
    }

    /// A payload that refuses a `result` other than a list of numbers.
    #[derive(serde::Deserialize, Debug)]
    struct Strict {
        #[allow(dead_code)]
        result: Vec<i64>,
    }

    fn run(status: u16, body: &str) -> Result<Decoded<Resp, UndocumentedCode>, Error> {
        read_oapi(status, body.as_bytes(), &Redactor::default())
    }

    #[test]
    fn success_shapes() {
        let ok = run(
            200,
            r#"{"errcode":0,"errmsg":"ok","result":{"a":1},"request_id":"r1"}"#,
        )
        .unwrap();
        assert_eq!(ok.response.result.unwrap()["a"], 1);
        assert_eq!(ok.request_id.as_deref(), Some("r1"));
        assert!(run(200, r#"{"errcode":"0","errmsg":"ok"}"#).is_ok());
        assert!(run(200, r#"{"result":1,"errcode":0.0}"#).is_ok());
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
        // An error answer whose payload does not fit the response is still that error.
        let e = run(200, r#"{"result":"#).unwrap_err();
        assert!(matches!(e, Error::UnexpectedBody { .. }));
        let e = read_oapi::<Strict, UndocumentedCode>(
            200,
            br#"{"result":{"x":1},"errcode":40001,"errmsg":"bad token"}"#,
            &Redactor::default(),
        )
        .unwrap_err();
        assert!(matches!(e, Error::DingTalk { errcode: 40001, .. }), "{e}");
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
            (200, r#"{"success":true,"result":1}"#),
            (200, "[1,2]"),
            (200, ""),
            (200, r#"{"errcode":"x"}"#),
            (200, r#"{"errcode":0} trailing"#),
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
        let e = read_oapi::<Strict, UndocumentedCode>(
            200,
            br#"{"errcode":0,"result":{"x":1}}"#,
            &Redactor::default(),
        )
        .unwrap_err();
        match e {
            Error::Decode { message, .. } => assert!(message.starts_with("result"), "{message}"),
            other => panic!("{other:?}"),
        }
    }
}
