//! Every limit the crate's specs document is refused by `validate()` at the right path, Rust and
//! wire, and a request within them passes. Each case breaks one limit of a valid request.

use client_runtime::validate::GroupKind;
use client_runtime::{File, Rule, Validate};
use own_crate::classin::{add_course, register};
use own_crate::dingtalk::{common, course_create, course_update};

/// The one violation `value` has: its Rust path, wire path and rule.
fn only_violation(value: &impl Validate) -> (String, String, Rule) {
    let error = value.validate().expect_err("a broken limit is an error");
    let all: Vec<_> = error.violations.iter().collect();
    assert_eq!(all.len(), 1, "{error}");
    let v = all[0];
    (v.rust_path.clone(), v.wire_path.clone(), v.rule.clone())
}

fn assert_valid(value: &impl Validate) {
    let warnings = value.validate().expect("within every limit");
    assert!(warnings.is_empty(), "{warnings:?}");
}

/// A field (its Rust name), how to break one of its limits, and the limit broken.
type Case<T> = (&'static str, fn(&mut T), Rule);

/// A field (its Rust and its wire name), how to break one of its limits, and the limit broken.
type WireCase<T> = (&'static str, &'static str, fn(&mut T), Rule);

fn png(len: usize) -> File {
    File::from_bytes("me.png", vec![0u8; len])
}

fn register() -> register::RegisterRequest {
    let mut r = register::RegisterRequest::new();
    r.telephone = Some("13800138000".into());
    r.password = Some("secret-1".into());
    r.nickname = Some("小明".into());
    r.avatar = Some(png(1024));
    r
}

#[test]
fn a_register_request_within_every_limit_passes() {
    assert_valid(&register());
    let mut by_email = register();
    by_email.telephone = None;
    by_email.email = Some("ming@example.com".into());
    by_email.password = None;
    by_email.md5pass = Some("0123456789abcdef0123456789abcdef".into());
    by_email.avatar = Some(File::from_bytes("ME.JPEG", vec![0u8; 1_048_576]));
    assert_valid(&by_email);
}

#[test]
fn an_avatar_over_one_megabyte_is_refused() {
    let mut r = register();
    r.avatar = Some(png(1_048_577));
    assert_eq!(
        only_violation(&r),
        (
            "avatar".into(),
            "Filedata".into(),
            Rule::MaxBytes(1_048_576)
        )
    );
}

#[test]
fn an_avatar_of_another_type_is_refused() {
    for name in ["me.bmp", "me", "me.png.exe"] {
        let mut r = register();
        r.avatar = Some(File::from_bytes(name, vec![1, 2, 3]));
        let (rust, wire, rule) = only_violation(&r);
        assert_eq!(
            (rust.as_str(), wire.as_str()),
            ("avatar", "Filedata"),
            "{name}"
        );
        assert!(
            matches!(rule, Rule::Extensions(list) if list == ["jpg", "jpeg", "gif", "png"]),
            "{name}: {rule:?}"
        );
    }
}

#[test]
fn neither_telephone_nor_email_breaks_their_group() {
    let mut r = register();
    r.telephone = None;
    assert_eq!(
        only_violation(&r),
        (
            "(telephone|email)".into(),
            "(telephone|email)".into(),
            Rule::Group(GroupKind::AtLeastOne, &["telephone", "email"])
        )
    );
    r.email = Some("ming@example.com".into());
    r.telephone = Some("13800138000".into());
    assert_valid(&r);
}

#[test]
fn both_or_neither_password_and_md5pass_break_their_group() {
    let broken = (
        "(password|md5pass)".to_owned(),
        "(password|md5pass)".to_owned(),
        Rule::Group(GroupKind::ExactlyOne, &["password", "md5pass"]),
    );
    let mut both = register();
    both.md5pass = Some("0123456789abcdef0123456789abcdef".into());
    assert_eq!(only_violation(&both), broken);
    let mut neither = register();
    neither.password = None;
    assert_eq!(only_violation(&neither), broken);
}

#[test]
fn every_text_limit_of_register_is_refused() {
    let cases: [Case<register::RegisterRequest>; 6] = [
        (
            "telephone",
            |r| r.telephone = Some("23800138000".into()),
            Rule::Pattern("1[3-9][0-9]{9}"),
        ),
        (
            "email",
            |r| r.email = Some(format!("{}@example.com", "m".repeat(60))),
            Rule::MaxChars(64),
        ),
        (
            "password",
            |r| r.password = Some("12345".into()),
            Rule::MinChars(6),
        ),
        (
            "password",
            |r| r.password = Some("x".repeat(21)),
            Rule::MaxChars(20),
        ),
        (
            "md5pass",
            |r| {
                r.password = None;
                r.md5pass = Some("0123456789ABCDEF0123456789ABCDEF".into());
            },
            Rule::Pattern("[0-9a-f]+"),
        ),
        (
            "nickname",
            |r| r.nickname = Some("明".repeat(25)),
            Rule::MaxChars(24),
        ),
    ];
    for (field, breaks, rule) in cases {
        let mut r = register();
        breaks(&mut r);
        assert_eq!(only_violation(&r), (field.into(), field.into(), rule));
    }
    let mut short = register();
    short.password = None;
    short.md5pass = Some("0123456789abcdef".into());
    assert_eq!(
        only_violation(&short),
        ("md5pass".into(), "md5pass".into(), Rule::ExactChars(32))
    );
}

fn add_course() -> add_course::AddCourseRequest {
    let mut r = add_course::AddCourseRequest::new("高一数学".into());
    r.expiry_time = Some(0);
    r.main_teacher_uid = Some(1_000_082);
    r.course_introduce = Some("函数与方程".into());
    r.cover = Some(File::from_bytes("cover.jpg", vec![0u8; 2048]));
    r
}

#[test]
fn an_add_course_request_within_every_limit_passes_with_or_without_a_cover() {
    assert_valid(&add_course());
    let mut no_cover = add_course();
    no_cover.cover = None;
    assert_valid(&no_cover);
}

#[test]
fn every_limit_of_add_course_is_refused() {
    let cases: [WireCase<add_course::AddCourseRequest>; 6] = [
        (
            "course_name",
            "courseName",
            |r| r.course_name = "课".repeat(41),
            Rule::MaxChars(40),
        ),
        (
            "course_name",
            "courseName",
            |r| r.course_name = String::new(),
            Rule::NonEmpty,
        ),
        (
            "expiry_time",
            "expiryTime",
            |r| r.expiry_time = Some(-1),
            Rule::Minimum(0.0),
        ),
        (
            "main_teacher_uid",
            "mainTeacherUid",
            |r| r.main_teacher_uid = Some(0),
            Rule::Minimum(1.0),
        ),
        (
            "course_introduce",
            "courseIntroduce",
            |r| r.course_introduce = Some("介".repeat(1001)),
            Rule::MaxChars(1000),
        ),
        (
            "cover",
            "Filedata",
            |r| r.cover = Some(File::from_bytes("cover.jpg", vec![0u8; 2_097_153])),
            Rule::MaxBytes(2_097_152),
        ),
    ];
    for (rust, wire, breaks, rule) in cases {
        let mut r = add_course();
        breaks(&mut r);
        assert_eq!(only_violation(&r), (rust.into(), wire.into(), rule));
    }
}

#[test]
fn a_cover_of_another_type_or_media_type_is_refused() {
    let mut gif = add_course();
    gif.cover = Some(File::from_bytes("cover.gif", vec![0u8; 16]));
    let error = gif.validate().expect_err("a gif is no cover");
    let rules: Vec<&Rule> = error.violations.iter().map(|v| &v.rule).collect();
    assert!(
        matches!(rules.as_slice(), [Rule::Extensions(_), Rule::MediaTypes(_)]),
        "{error}"
    );
    assert!(error
        .violations
        .iter()
        .all(|v| v.rust_path == "cover" && v.wire_path == "Filedata"));

    let mut relabelled = add_course();
    relabelled.cover =
        Some(File::from_bytes("cover.png", vec![0u8; 16]).with_media_type("image/webp"));
    let (rust, wire, rule) = only_violation(&relabelled);
    assert_eq!((rust.as_str(), wire.as_str()), ("cover", "Filedata"));
    assert!(
        matches!(rule, Rule::MediaTypes(list) if list == ["image/jpeg", "image/png"]),
        "{rule:?}"
    );
}

#[test]
fn the_dingtalk_limits_are_refused_in_each_course_option_and_in_the_shared_types() {
    let mut create = course_create::CourseCreateRequest::builder()
        .class_id(42)
        .name("语文")
        .build();
    let mut option = course_create::CourseOption::new();
    option.max_students = Some(500);
    create.option = Some(option);
    create.period = Some(common::TimeRange::builder().start(0).end(3_600_000).build());
    assert_valid(&create);
    create.option.as_mut().unwrap().max_students = Some(501);
    assert_eq!(
        only_violation(&create),
        (
            "option.max_students".into(),
            "option.maxStudents".into(),
            Rule::Maximum(500.0)
        )
    );
    create.option = None;
    create.period = Some(common::TimeRange::builder().start(-1).end(0).build());
    assert_eq!(
        only_violation(&create),
        (
            "period.start".into(),
            "period.start".into(),
            Rule::Minimum(0.0)
        )
    );
    create.period = None;
    create.name = "文".repeat(51);
    assert_eq!(
        only_violation(&create),
        ("name".into(), "name".into(), Rule::MaxChars(50))
    );

    let mut update = course_update::CourseUpdateRequest::new(7);
    let mut option = course_update::CourseOption::new();
    option.visible = Some(true);
    option.cover_url = Some(format!("https://img.example.com/{}", "a".repeat(200)));
    update.option = Some(option);
    update.course_type = Some(common::CourseType::Recorded);
    assert_valid(&update);
    update.option.as_mut().unwrap().cover_url = Some("a".repeat(257));
    assert_eq!(
        only_violation(&update),
        (
            "option.cover_url".into(),
            "option.cover_url".into(),
            Rule::MaxChars(256)
        )
    );
    update.option = None;
    update.course_type = Some(common::CourseType::from_wire(3));
    let (rust, _, rule) = only_violation(&update);
    assert_eq!(rust, "course_type");
    assert!(matches!(rule, Rule::OneOf(_)), "{rule:?}");
}
