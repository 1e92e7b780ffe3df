//! The awkward names reach the wire exactly as the specs write them, whatever Rust calls them,
//! and come back from it unchanged.

use client_runtime::{ErrorCode, Validate};
use serde_json::{json, Value};
use torture_client::alpha::{new as new_, shared, type_};
use torture_client::beta_vendor::call;

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("an object").keys().cloned().collect();
    k.sort();
    k
}

fn full_request() -> type_::TypeRequest {
    let mut item = shared::Item::new("abc".into());
    item.self_kind = Some(shared::Mode::SelfValue);
    item.type_ = Some(vec![shared::Mode::V2fa, shared::Mode::None]);
    let mut r = type_::TypeRequest::builder()
        .type_("kind")
        .v2fa("123456")
        .build();
    r.ref_ = Some(7);
    r.match_ = false;
    r.self_ = Some("lower".into());
    r.self_upper = Some("UPPR".into());
    r.crate_ = Some(vec!["c".into()]);
    r.async_ = Some(1.5);
    r.try_ = 2;
    r.a_b = shared::Mode::AB;
    r.result = Some(shared::ResultType { option: Some(9) });
    r.option = Some(vec![1, 2]);
    r.string = Some("s".into());
    r.client = Some(item.clone());
    r.validate = Some(vec![item]);
    r.dept_id_camel = Some(1);
    r.dept_id = Some(2);
    r
}

#[test]
fn every_request_field_goes_out_under_its_documented_name() {
    let wire = serde_json::to_value(full_request()).expect("serializes");
    let mut expected = vec![
        "type", "ref", "match", "self", "Self", "crate", "async", "try", "2fa", "a-b", "Result",
        "Option", "String", "client", "validate", "deptId", "dept_id",
    ];
    expected.sort();
    assert_eq!(keys(&wire), expected);
    assert_eq!(wire["2fa"], json!("123456"));
    assert_eq!(wire["a-b"], json!("a-b"));
    assert_eq!(wire["deptId"], json!(1));
    assert_eq!(wire["dept_id"], json!(2));
    assert_eq!(wire["Self"], json!("UPPR"));
    assert_eq!(wire["self"], json!("lower"));
    assert_eq!(wire["Result"], json!({"Option": 9}));
    assert_eq!(
        wire["client"],
        json!({"self": "abc", "Self": "self", "type": ["2fa", "None"]})
    );
}

#[test]
fn requests_read_back_unchanged() {
    let request = full_request();
    let wire = serde_json::to_string(&request).expect("serializes");
    let back: type_::TypeRequest = serde_json::from_str(&wire).expect("deserializes");
    assert_eq!(back, request);
}

#[test]
fn absent_optional_fields_are_not_sent_and_defaults_are() {
    let wire =
        serde_json::to_value(type_::TypeRequest::builder().type_("k").v2fa("1").build()).unwrap();
    assert_eq!(
        wire,
        json!({"type": "k", "match": true, "try": 3, "2fa": "1", "a-b": "a-b"})
    );
}

#[test]
fn responses_keep_self_and_type_apart() {
    let response: type_::TypeResponse = serde_json::from_value(json!({
        "Self": "upper", "self": "41", "type": [{"self": "x", "Self": "2fa", "type": ["a-b"]}]
    }))
    .expect("decodes");
    assert_eq!(response.self_upper.as_deref(), Some("upper"));
    assert_eq!(response.self_, Some(41));
    let items = response.type_.expect("items");
    assert_eq!(items[0].self_kind, Some(shared::Mode::V2fa));
    assert_eq!(items[0].type_, Some(vec![shared::Mode::AB]));
}

#[test]
fn enum_values_that_are_keywords_round_trip() {
    for (mode, wire) in [
        (shared::Mode::Type, "type"),
        (shared::Mode::SelfValue, "self"),
        (shared::Mode::V2fa, "2fa"),
        (shared::Mode::AB, "a-b"),
        (shared::Mode::None, "None"),
        (shared::Mode::Default, "Default"),
        (shared::Mode::Error, "Error"),
    ] {
        assert_eq!(serde_json::to_value(&mode).unwrap(), json!(wire));
        assert_eq!(shared::Mode::from_wire(wire), mode);
        assert_eq!(shared::Mode::try_from(wire), Ok(mode));
    }
    assert_eq!(shared::TryFrom::try_from(2), Ok(shared::TryFrom::Error));
    assert_eq!(shared::TryFrom::from_wire(1).value(), 1);
    let unlisted = shared::Mode::from_wire("Self");
    assert!(matches!(&unlisted, shared::Mode::Unknown(v) if v.as_str() == "Self"));
    assert!(shared::Mode::try_from("Self").is_err());
}

#[test]
fn violations_name_the_rust_field_and_the_wire_field() {
    let mut r = type_::TypeRequest::builder()
        .type_("")
        .v2fa("1234567")
        .build();
    r.self_upper = Some("toolong".into());
    r.ref_ = Some(101);
    let all = r.validate().expect_err("refused").violations;
    let paths: Vec<(String, String)> = all
        .iter()
        .map(|v| (v.rust_path.clone(), v.wire_path.clone()))
        .collect();
    for (rust, wire) in [
        ("type_", "type"),
        ("ref_", "ref"),
        ("self_upper", "Self"),
        ("v2fa", "2fa"),
    ] {
        assert!(
            paths.contains(&(rust.to_owned(), wire.to_owned())),
            "{rust}/{wire} not in {paths:?}"
        );
    }
}

#[test]
fn a_shared_type_is_one_type_and_a_name_in_two_vendors_is_two() {
    fn takes_shared(_: &shared::Item) {}
    let item = shared::Item::new("a".into());
    takes_shared(&item);
    let new_request = new_::OptionTypeRequest::new(item.clone());
    takes_shared(&new_request.item);
    let mut type_request = type_::TypeRequest::builder().type_("k").v2fa("1").build();
    type_request.client = Some(item);
    takes_shared(type_request.client.as_ref().expect("set"));
    // beta-vendor's `Item` has fields of its own.
    let other = call::Item::new("u".into());
    assert_eq!(serde_json::to_value(&other).unwrap(), json!({"uid": "u"}));
}

#[test]
fn client_methods_avoid_the_client_s_own_names() {
    // Each endpoint is a method; `new` and `call` are taken by the client and the runtime.
    let _ = torture_client::alpha::DingTalkClient::type_;
    let _ = torture_client::alpha::DingTalkClient::new_endpoint;
    let _ = torture_client::beta_vendor::ClassInClient::call_endpoint;
}

#[test]
fn error_code_names_that_shadow_the_prelude_work() {
    assert_eq!(call::CallErrorCode::from_code(1), call::CallErrorCode::Ok);
    assert_eq!(
        call::CallErrorCode::from_code(-1),
        call::CallErrorCode::None
    );
    assert_eq!(
        call::CallErrorCode::from_code(2),
        call::CallErrorCode::SelfValue
    );
    assert_eq!(
        call::CallErrorCode::from_code(i64::MIN),
        call::CallErrorCode::CodeMinus9223372036854775808
    );
    assert_eq!(call::CallErrorCode::Code3.code(), 3);
}

#[test]
fn response_types_named_like_the_decoders_locals_decode() {
    let response: type_::TypeResponse = serde_json::from_value(json!({
        "map": {"deserializer": "7", "FIELDS": "f"},
        "field": [{"f_map": "slot", "map": "param"}, {}]
    }))
    .expect("decodes");
    let d = response.map.expect("map");
    assert_eq!((d.deserializer, d.fields_upper.as_deref()), (7, Some("f")));
    let list = response.field.expect("field");
    assert_eq!(list[0].f_map.as_deref(), Some("slot"));
    assert_eq!(list[0].map.as_deref(), Some("param"));
    assert_eq!(list[1], type_::A::new());

    let missing = serde_json::from_value::<type_::D>(json!({"FIELDS": "f"})).unwrap_err();
    assert!(
        missing.to_string().contains("missing field `deserializer`"),
        "{missing}"
    );
}
