//! The generated enums, as a user sees them: non-exhaustive, lenient when reading a wire value,
//! strict through `TryFrom`, and with an `Unknown` variant that only ever holds a value the spec
//! does not list.

use client_runtime::{ErrorCode, UnknownEnumValue};
use generated_client::classin::add_course_student_multiple as classin;
use generated_client::dingtalk::edu_period_create as period;

/// A user's `match` needs a wildcard arm (the enums are `#[non_exhaustive]`), so a value added
/// to a spec later does not break it.
fn school_kind(step: &period::Step) -> &'static str {
    match step {
        period::Step::Kindergarten => "preschool",
        period::Step::PrimarySchool | period::Step::MiddleSchool | period::Step::HighSchool => {
            "school"
        }
        period::Step::Unknown(value) if value.as_str().ends_with("大学") => "university",
        _ => "other",
    }
}

fn identity_label(identity: classin::Identity) -> &'static str {
    match identity {
        classin::Identity::Student => "student",
        classin::Identity::Auditor => "auditor",
        _ => "other",
    }
}

fn code_label(code: classin::AddCourseStudentMultipleErrorCode) -> &'static str {
    match code {
        classin::AddCourseStudentMultipleErrorCode::Success => "ok",
        classin::AddCourseStudentMultipleErrorCode::Unknown(code) if code.value() < 0 => "negative",
        _ => "failed",
    }
}

#[test]
fn matches_on_generated_enums_keep_a_wildcard_arm() {
    assert_eq!(school_kind(&period::Step::Kindergarten), "preschool");
    assert_eq!(school_kind(&period::Step::from_wire("初中")), "school");
    assert_eq!(
        school_kind(&period::Step::from_wire("理工大学")),
        "university"
    );
    assert_eq!(school_kind(&period::Step::from_wire("托班")), "other");
    assert_eq!(identity_label(classin::Identity::from_wire(2)), "auditor");
    assert_eq!(identity_label(classin::Identity::from_wire(3)), "other");
    assert_eq!(
        code_label(classin::AddCourseStudentMultipleErrorCode::from_code(1)),
        "ok"
    );
    assert_eq!(
        code_label(classin::AddCourseStudentMultipleErrorCode::from_code(-7)),
        "negative"
    );
    assert_eq!(
        code_label(classin::AddCourseStudentMultipleErrorCode::from_code(104)),
        "failed"
    );
}

/// A documented value read from the wire is always its own variant, never `Unknown`.
#[test]
fn from_wire_gives_the_documented_variant() {
    assert_eq!(
        period::Step::from_wire("幼儿园"),
        period::Step::Kindergarten
    );
    assert_eq!(
        period::PeriodCode::from_wire("high_school"),
        period::PeriodCode::HighSchool
    );
    assert_eq!(classin::Identity::from_wire(1), classin::Identity::Student);
    for (i, value) in period::Step::VALUES.iter().enumerate() {
        let step = period::Step::from_wire(value);
        assert!(!matches!(step, period::Step::Unknown(_)), "{value}");
        assert_eq!(step.as_str(), *value);
        assert_eq!(step.to_string(), *value);
        assert_eq!(period::Step::VALUES[i], step.as_str());
    }
    for value in classin::Identity::VALUES {
        let identity = classin::Identity::from_wire(value.parse().unwrap());
        assert!(
            !matches!(identity, classin::Identity::Unknown(_)),
            "{value}"
        );
        assert_eq!(identity.to_string(), *value);
    }
}

/// `from_wire` keeps a value the spec does not list as `Unknown`, readable as it came.
#[test]
fn from_wire_keeps_other_values_as_unknown() {
    let step = period::Step::from_wire("大学");
    match &step {
        period::Step::Unknown(value) => assert_eq!(value.as_str(), "大学"),
        other => panic!("{other:?}"),
    }
    assert_eq!(step.as_str(), "大学");
    assert_eq!(step.to_string(), "大学");
    assert_ne!(step, period::Step::from_wire("大学 "));

    let identity = classin::Identity::from_wire(3);
    match identity {
        classin::Identity::Unknown(value) => assert_eq!(value.value(), 3),
        other => panic!("{other:?}"),
    }
    assert_eq!(identity.value(), 3);
    assert_eq!(identity.to_string(), "3");
    assert_eq!(classin::Identity::Auditor.value(), 2);

    let code = classin::AddCourseStudentMultipleErrorCode::from_code(99999);
    match code {
        classin::AddCourseStudentMultipleErrorCode::Unknown(value) => {
            assert_eq!(value.value(), 99999)
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(code.code(), 99999);
    assert_eq!(code.meaning(), None);
    assert_eq!(code.to_string(), "99999");
}

/// `TryFrom` accepts exactly the documented values and names the enum, the value and what
/// was expected otherwise.
#[test]
fn try_from_accepts_documented_values_only() {
    assert_eq!(
        period::Step::try_from("幼儿园"),
        Ok(period::Step::Kindergarten)
    );
    assert_eq!(
        period::NameMode::try_from("text"),
        Ok(period::NameMode::Text)
    );
    assert_eq!(
        classin::Identity::try_from(2),
        Ok(classin::Identity::Auditor)
    );

    let error: UnknownEnumValue = period::Step::try_from("大学").unwrap_err();
    assert_eq!(error.enum_name(), "Step");
    assert_eq!(error.value(), "大学");
    assert_eq!(error.documented(), period::Step::VALUES);
    assert_eq!(
        error.to_string(),
        r#""大学" is not a documented value of `Step`; expected one of "幼儿园", "小学", "初中", "高中""#
    );
    // Case and spacing matter: the wire value is compared as it is.
    assert!(period::PeriodCode::try_from("High_School").is_err());
    assert!(period::PeriodCode::try_from(" high_school").is_err());

    let error = classin::Identity::try_from(3).unwrap_err();
    assert_eq!(error.enum_name(), "Identity");
    assert_eq!(error.value(), "3");
    assert_eq!(
        error.to_string(),
        "3 is not a documented value of `Identity`; expected one of 1, 2"
    );
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(error);
    assert!(boxed.to_string().contains("`Identity`"));
}

/// Reading a response keeps an unknown value, and writing it back sends the same value.
#[test]
fn unknown_values_round_trip_through_serde() {
    let step: period::Step = serde_json::from_str(r#""大学""#).unwrap();
    assert_eq!(step, period::Step::from_wire("大学"));
    assert_eq!(serde_json::to_string(&step).unwrap(), r#""大学""#);

    let code: period::PeriodCode = serde_json::from_str(r#""university""#).unwrap();
    assert_eq!(code.as_str(), "university");
    assert_eq!(serde_json::to_string(&code).unwrap(), r#""university""#);

    let identity: classin::Identity = serde_json::from_str("7").unwrap();
    assert_eq!(identity.value(), 7);
    assert_eq!(serde_json::to_string(&identity).unwrap(), "7");
    // Read tolerantly, as the vendors send it: a number as a string.
    let identity: classin::Identity = serde_json::from_str(r#""7""#).unwrap();
    assert_eq!(identity, classin::Identity::from_wire(7));

    let documented: period::Step = serde_json::from_str(r#""幼儿园""#).unwrap();
    assert_eq!(documented, period::Step::Kindergarten);
}
