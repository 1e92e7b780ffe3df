//! What generated code tells the runtime about an endpoint: its route, protocol and codes.

use serde::{de::DeserializeOwned, Serialize};

use crate::file::File;
use crate::validate::Validate;

/// The wire protocol family an endpoint speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// DingTalk `oapi` (`https://oapi.dingtalk.com/topapi/...`): JSON body, `access_token` in the query.
    DingTalkOapi,
    /// DingTalk through the TOP router (`/router/rest`): system parameters in the query, form body.
    DingTalkTop,
    /// ClassIn partner API v1: form body with `SID`, `timeStamp` and `safeKey`.
    ClassInV1,
}

/// HTTP method of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// `GET`, request fields in the query string.
    Get,
    /// `POST`, request fields in the body.
    Post,
}

/// Where an endpoint lives, per protocol family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    /// A path under the oapi base URL, for example `/topapi/edu/period/create`.
    Path(&'static str),
    /// A TOP router method name, for example `dingtalk.corp.extcontact.update`.
    TopMethod(&'static str),
    /// A ClassIn script path and its `action` query parameter.
    Action {
        /// Script path, for example `/partner/api/course.api.php`.
        path: &'static str,
        /// Value of the `action` query parameter, for example `addCourseStudentMultiple`.
        action: &'static str,
    },
}

/// How one top-level request field is written into a form body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldEncoding {
    /// The value as text (numbers and booleans in their JSON spelling).
    Plain,
    /// The value serialized as a JSON string inside the form field (objects, lists of objects).
    Json,
    /// A list of primitives joined with commas.
    CommaJoined,
}

/// A request type of one endpoint. Generated for every endpoint spec.
pub trait Endpoint: Serialize + Validate + Send + Sync {
    /// The documented API name, for example `dingtalk.oapi.edu.period.create`.
    const API_NAME: &'static str;
    /// The wire protocol family.
    const PROTOCOL: Protocol;
    /// The HTTP method.
    const METHOD: HttpMethod;
    /// Where the endpoint lives.
    const ROUTE: Route;
    /// Form encoding of top-level fields, by wire name. Fields not listed are encoded by the
    /// protocol family's default rule.
    const FIELD_ENCODINGS: &'static [(&'static str, FieldEncoding)];
    /// The response the spec's examples describe, as JSON (the payload inside the envelope):
    /// what the fake vendors of the `testing` feature answer unless a test says otherwise. Generated for
    /// every endpoint; an endpoint written by hand answers an empty payload.
    const EXAMPLE_RESPONSE: &'static str = "{}";
    /// The typed response (the payload inside the protocol envelope).
    type Response: DeserializeOwned + Send;
    /// The endpoint's documented error codes.
    type ErrorCode: ErrorCode;

    /// The request's files, as `(wire name, file)` in declaration order; an optional file field
    /// that is `None` is not listed. Generated for requests with file fields.
    ///
    /// A ClassIn request with files is sent as `multipart/form-data`: the text fields as they
    /// would be in the urlencoded body, less the file fields (whose serialized summary is left
    /// out), then one part per file. DingTalk endpoints take no files.
    fn files(&self) -> Vec<(&'static str, &File)> {
        Vec::new()
    }
}

/// An endpoint's constants as a value: what the course of a call needs to know of its endpoint.
/// The course (tokens, rate limits, sending, retries) takes it as data, so that it is compiled
/// once in this crate rather than once per endpoint in the crate that calls.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    /// [`Endpoint::API_NAME`].
    pub api: &'static str,
    /// [`Endpoint::PROTOCOL`].
    pub protocol: Protocol,
    /// [`Endpoint::METHOD`].
    pub method: HttpMethod,
    /// [`Endpoint::ROUTE`].
    pub route: Route,
}

impl Shape {
    /// The constants of `E`.
    pub(crate) const fn of<E: Endpoint>() -> Self {
        Shape {
            api: E::API_NAME,
            protocol: E::PROTOCOL,
            method: E::METHOD,
            route: E::ROUTE,
        }
    }

    /// The TOP method name: the route's method, or the API name.
    pub(crate) fn top_method(&self) -> &'static str {
        match self.route {
            Route::TopMethod(m) => m,
            Route::Path(_) | Route::Action { .. } => self.api,
        }
    }
}

/// How a documented error code is to be treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeKind {
    /// The call or item succeeded.
    Success,
    /// The call or item failed; retrying the same request will not help.
    Failure,
    /// A transient failure: the same request may succeed if retried after a pause.
    Retryable,
    /// The work was done but something secondary failed; the caller must be told.
    PartialSuccess,
}

/// An endpoint's error-code table, generated from the spec's `errors` list.
pub trait ErrorCode: Copy + std::fmt::Debug + PartialEq + Send + Sync + 'static {
    /// The code for a numeric value; values not in the table map to an unknown variant.
    fn from_code(code: i64) -> Self;
    /// The numeric value.
    fn code(&self) -> i64;
    /// The documented meaning, or `None` for a code the spec does not list.
    fn meaning(&self) -> Option<&'static str>;
    /// How the code is to be treated.
    fn kind(&self) -> CodeKind;
}

/// The error-code type of an endpoint whose spec documents no codes of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UndocumentedCode(pub i64);

impl ErrorCode for UndocumentedCode {
    fn from_code(code: i64) -> Self {
        UndocumentedCode(code)
    }
    fn code(&self) -> i64 {
        self.0
    }
    fn meaning(&self) -> Option<&'static str> {
        None
    }
    fn kind(&self) -> CodeKind {
        CodeKind::Failure
    }
}

/// One item of a multi-item call's per-item results (ClassIn's `data[]` entries): its code and
/// message. Generated for types the spec marks with `item_result`.
pub trait ItemResult {
    /// The endpoint's error-code table.
    type Code: ErrorCode;
    /// The item's numeric code.
    fn raw_code(&self) -> i64;
    /// The item's message.
    fn message(&self) -> &str;

    /// What happened to this item.
    fn outcome(&self) -> Outcome<'_, Self::Code> {
        let code = Self::Code::from_code(self.raw_code());
        let message = self.message();
        match code.kind() {
            CodeKind::Success => Outcome::Success,
            CodeKind::PartialSuccess => Outcome::PartialSuccess { code, message },
            CodeKind::Retryable => Outcome::Failed {
                code,
                message,
                retryable: true,
            },
            CodeKind::Failure => Outcome::Failed {
                code,
                message,
                retryable: false,
            },
        }
    }
}

/// What happened to one item of a multi-item call.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outcome<'a, C> {
    /// The item was done.
    Success,
    /// The item was done, but something secondary failed (ClassIn 841: added, nickname sync failed).
    PartialSuccess {
        /// The code.
        code: C,
        /// The server's message.
        message: &'a str,
    },
    /// The item was not done.
    Failed {
        /// The code.
        code: C,
        /// The server's message.
        message: &'a str,
        /// Whether retrying the item later may succeed.
        retryable: bool,
    },
}

/// An error-code table for the runtime's own tests: 1 succeeds, 841 is a partial success, 464 and
/// 777 are retryable (777 on no family's fixed list), everything else fails.
#[cfg(test)]
pub(crate) mod test_codes {
    use super::{CodeKind, ErrorCode};

    #[derive(Debug, Clone, Copy, PartialEq)]
    pub(crate) struct Code(pub i64);

    impl ErrorCode for Code {
        fn from_code(code: i64) -> Self {
            Code(code)
        }
        fn code(&self) -> i64 {
            self.0
        }
        fn meaning(&self) -> Option<&'static str> {
            None
        }
        fn kind(&self) -> CodeKind {
            match self.0 {
                1 => CodeKind::Success,
                841 => CodeKind::PartialSuccess,
                464 | 777 => CodeKind::Retryable,
                _ => CodeKind::Failure,
            }
        }
    }
}
