//! Reading the loosely typed fields of vendor envelopes, and decoding payloads with the path of
//! whatever did not fit.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// A number, or a string holding one (ClassIn sends `errno` both ways).
pub(crate) fn lenient_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A string, or a number or boolean as text; `None` for `null`, absent, lists and objects.
pub(crate) fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Whether `v` says "false": `false`, `"false"`, `0` or `"0"`.
pub(crate) fn is_false(v: &Value) -> bool {
    match v {
        Value::Bool(b) => !b,
        Value::String(s) => matches!(s.trim(), "false" | "0"),
        Value::Number(n) => n.as_i64() == Some(0),
        _ => false,
    }
}

/// Decode `value` into `T`; the error names the path that did not fit, for example
/// `result.grades[0].grade: invalid type: ...`.
pub(crate) fn decode<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        if path == "." {
            e.into_inner().to_string()
        } else {
            format!("{path}: {}", e.into_inner())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lenient_numbers() {
        assert_eq!(lenient_i64(&json!(1)), Some(1));
        assert_eq!(lenient_i64(&json!("841")), Some(841));
        assert_eq!(lenient_i64(&json!(" -1 ")), Some(-1));
        assert_eq!(lenient_i64(&json!(2.0)), Some(2));
        assert_eq!(lenient_i64(&json!(2.5)), None);
        assert_eq!(lenient_i64(&json!("x")), None);
        assert_eq!(lenient_i64(&json!(null)), None);
    }

    #[test]
    fn falsehood() {
        assert!(is_false(&json!(false)) && is_false(&json!("false")) && is_false(&json!(0)));
        assert!(!is_false(&json!(true)) && !is_false(&json!(null)) && !is_false(&json!("true")));
    }

    #[test]
    fn decode_errors_name_the_path() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct R {
            result: Inner,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Inner {
            grades: Vec<u8>,
        }
        let e = decode::<R>(json!({"result":{"grades":[1,"x"]}})).unwrap_err();
        assert!(e.starts_with("result.grades[1]: invalid type"), "{e}");
    }
}
