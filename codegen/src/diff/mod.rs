//! The compatibility report: what changed between two versions of the specs, and what each
//! change means for a user's Rust code (as a semver level) and for the wire.
//!
//! [`diff`] compares two resolved [`Model`]s and lists every change to an endpoint, a type, a
//! field, an enum value, a limit, a rule or group, a per-item result marker and an error code,
//! each with the spec location of both sides. The classification follows what the generated
//! code exposes (see `README.md`, "What a spec change means"):
//!
//! - structs have only public fields and are not `#[non_exhaustive]`, so adding or removing a
//!   field breaks struct literals and exhaustive patterns: [`Level::Major`];
//! - enums and error-code tables are `#[non_exhaustive]`, so adding a value is
//!   [`Level::Minor`];
//! - limits, rules and groups exist only inside `validate()`: changing them is
//!   [`Level::Patch`] for Rust, and tightening them means [`WireEffect::RequestsMayBeRefused`].

mod compare;
mod enums;
mod errors;
mod fields;
mod limits;
mod rules;
mod text;
mod usage;

use serde::{Serialize, Serializer};

use crate::resolved::{Loc, Model};

/// Compares two versions of the specs.
pub fn diff(old: &Model, new: &Model) -> Report {
    let mut changes = compare::changes(old, new);
    changes.sort_by(|a, b| (&a.module, &a.path, a.kind).cmp(&(&b.module, &b.path, b.kind)));
    Report { changes }
}

/// Every change between two versions of the specs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// The changes, grouped by module (`vendor::module`) and sorted by path.
    pub changes: Vec<Change>,
}

impl Report {
    /// The highest semver level of any change; `None` when nothing changed.
    pub fn level(&self) -> Option<Level> {
        self.changes.iter().map(|c| c.rust).max()
    }

    /// Whether some change is at `level` or above.
    pub fn reaches(&self, level: Level) -> bool {
        self.level().is_some_and(|l| l >= level)
    }

    /// How many changes there are at `level`.
    pub fn count(&self, level: Level) -> usize {
        self.changes.iter().filter(|c| c.rust == level).count()
    }

    /// The report as JSON: `{"level": "major" | "minor" | "patch" | null, "major": n, "minor": n,
    /// "patch": n, "changes": [...]}`.
    pub fn to_json(&self) -> serde_json::Result<String> {
        serde_json::to_string_pretty(self)
    }
}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shape<'a> {
            level: Option<Level>,
            major: usize,
            minor: usize,
            patch: usize,
            changes: &'a [Change],
        }
        Shape {
            level: self.level(),
            major: self.count(Level::Major),
            minor: self.count(Level::Minor),
            patch: self.count(Level::Patch),
            changes: &self.changes,
        }
        .serialize(serializer)
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The module it belongs to: `dingtalk::edu_period_create`.
    pub module: String,
    /// What changed: `dingtalk::edu_period_create::OpenPeriod.grades`.
    pub path: String,
    /// The kind of change.
    pub kind: ChangeKind,
    /// The change in words: `max_items 50 -> 20`.
    pub detail: String,
    /// Where the item stands in the old specs (for an added item, its parent).
    #[serde(serialize_with = "loc_json")]
    pub old: Option<Loc>,
    /// Where the item stands in the new specs (for a removed item, its parent).
    #[serde(serialize_with = "loc_json")]
    pub new: Option<Loc>,
    /// Its effect on a user's Rust code.
    pub rust: Level,
    /// Its effects on the wire, in order; empty when there is none.
    pub wire: Vec<WireEffect>,
}

fn loc_json<S: Serializer>(loc: &Option<Loc>, serializer: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Shape<'a> {
        file: &'a str,
        line: usize,
        col: usize,
    }
    loc.as_ref()
        .map(|l| Shape {
            file: &l.file,
            line: l.line,
            col: l.col,
        })
        .serialize(serializer)
}

/// A change's effect on code that uses the generated crate, as a semver bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Nothing that compiled stops compiling, and no item is added.
    Patch,
    /// Items are added; nothing that compiled stops compiling.
    Minor,
    /// Code that compiled may stop compiling.
    Major,
}

impl Level {
    /// The level's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Patch => "patch",
            Level::Minor => "minor",
            Level::Major => "major",
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A change's effect on what travels between the client and the vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum WireEffect {
    /// A request that passed validation before may now be refused, by `validate()` or by the
    /// vendor.
    RequestsMayBeRefused,
    /// The same request value is now sent differently: another route, method, key, encoding
    /// or initial value.
    RequestsSentDifferently,
    /// A response that decoded before may now fail to decode.
    ResponsesMayFailToDecode,
    /// The same response now reads as a different value (absent, `Unknown`, treated as
    /// another kind of outcome).
    ResponsesReadDifferently,
}

impl WireEffect {
    /// The effect's name in text reports.
    pub fn as_str(self) -> &'static str {
        match self {
            WireEffect::RequestsMayBeRefused => "requests may be refused",
            WireEffect::RequestsSentDifferently => "requests sent differently",
            WireEffect::ResponsesMayFailToDecode => "responses may fail to decode",
            WireEffect::ResponsesReadDifferently => "responses read differently",
        }
    }
}

/// The kinds of change, each with a fixed place in the text and JSON forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// An endpoint (its module, client method and types) was added.
    EndpointAdded,
    /// An endpoint was removed.
    EndpointRemoved,
    /// The protocol family changed.
    ProtocolChanged,
    /// The HTTP method changed.
    MethodChanged,
    /// The route (path, TOP method, ClassIn action) changed.
    RouteChanged,
    /// A named type was added.
    TypeAdded,
    /// A named type was removed.
    TypeRemoved,
    /// A type became an enum, or an enum became an object.
    TypeKindChanged,
    /// A request, response or error-code type got another Rust name.
    TypeRenamed,
    /// A field was added.
    FieldAdded,
    /// A field was removed.
    FieldRemoved,
    /// An optional field became required.
    FieldNowRequired,
    /// A required field became optional.
    FieldNowOptional,
    /// A field's type changed.
    FieldTypeChanged,
    /// A field's wire name changed (its Rust name stayed).
    WireNameChanged,
    /// A field's Rust name changed (its wire name stayed).
    RustNameChanged,
    /// A field got a default.
    DefaultAdded,
    /// A field lost its default.
    DefaultRemoved,
    /// A field's default changed.
    DefaultChanged,
    /// A field's form encoding changed.
    EncodingChanged,
    /// An enum value was added.
    EnumValueAdded,
    /// An enum value was removed.
    EnumValueRemoved,
    /// An enum value's variant got another name.
    VariantRenamed,
    /// A variant's wire value changed.
    EnumValueChanged,
    /// An enum's values changed between strings and integers.
    EnumReprChanged,
    /// A limit appeared where there was none.
    LimitAdded,
    /// A limit disappeared.
    LimitRemoved,
    /// A limit now accepts less.
    LimitTightened,
    /// A limit now accepts more.
    LimitLoosened,
    /// A limit changed so that it accepts some values it refused and refuses some it accepted.
    LimitChanged,
    /// A rule between fields was added.
    RuleAdded,
    /// A rule was removed.
    RuleRemoved,
    /// A rule's severity or words changed.
    RuleChanged,
    /// A group of fields was added.
    GroupAdded,
    /// A group was removed.
    GroupRemoved,
    /// A group's kind, severity or words changed.
    GroupChanged,
    /// An object became a per-item result.
    ItemResultAdded,
    /// An object stopped being a per-item result.
    ItemResultRemoved,
    /// A per-item result's code or message field changed.
    ItemResultChanged,
    /// An endpoint got an error-code table.
    ErrorTableAdded,
    /// An endpoint lost its error-code table.
    ErrorTableRemoved,
    /// An error code was added.
    ErrorCodeAdded,
    /// An error code was removed.
    ErrorCodeRemoved,
    /// An error code's kind (failure, retryable, ...) changed.
    ErrorKindChanged,
    /// An error code's variant got another name.
    ErrorCodeRenamed,
}

impl ChangeKind {
    /// Every kind, in order.
    pub const ALL: &'static [ChangeKind] = &[
        ChangeKind::EndpointAdded,
        ChangeKind::EndpointRemoved,
        ChangeKind::ProtocolChanged,
        ChangeKind::MethodChanged,
        ChangeKind::RouteChanged,
        ChangeKind::TypeAdded,
        ChangeKind::TypeRemoved,
        ChangeKind::TypeKindChanged,
        ChangeKind::TypeRenamed,
        ChangeKind::FieldAdded,
        ChangeKind::FieldRemoved,
        ChangeKind::FieldNowRequired,
        ChangeKind::FieldNowOptional,
        ChangeKind::FieldTypeChanged,
        ChangeKind::WireNameChanged,
        ChangeKind::RustNameChanged,
        ChangeKind::DefaultAdded,
        ChangeKind::DefaultRemoved,
        ChangeKind::DefaultChanged,
        ChangeKind::EncodingChanged,
        ChangeKind::EnumValueAdded,
        ChangeKind::EnumValueRemoved,
        ChangeKind::VariantRenamed,
        ChangeKind::EnumValueChanged,
        ChangeKind::EnumReprChanged,
        ChangeKind::LimitAdded,
        ChangeKind::LimitRemoved,
        ChangeKind::LimitTightened,
        ChangeKind::LimitLoosened,
        ChangeKind::LimitChanged,
        ChangeKind::RuleAdded,
        ChangeKind::RuleRemoved,
        ChangeKind::RuleChanged,
        ChangeKind::GroupAdded,
        ChangeKind::GroupRemoved,
        ChangeKind::GroupChanged,
        ChangeKind::ItemResultAdded,
        ChangeKind::ItemResultRemoved,
        ChangeKind::ItemResultChanged,
        ChangeKind::ErrorTableAdded,
        ChangeKind::ErrorTableRemoved,
        ChangeKind::ErrorCodeAdded,
        ChangeKind::ErrorCodeRemoved,
        ChangeKind::ErrorKindChanged,
        ChangeKind::ErrorCodeRenamed,
    ];

    /// The kind's name in text reports: `field removed`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::EndpointAdded => "endpoint added",
            ChangeKind::EndpointRemoved => "endpoint removed",
            ChangeKind::ProtocolChanged => "protocol changed",
            ChangeKind::MethodChanged => "method changed",
            ChangeKind::RouteChanged => "route changed",
            ChangeKind::TypeAdded => "type added",
            ChangeKind::TypeRemoved => "type removed",
            ChangeKind::TypeKindChanged => "type kind changed",
            ChangeKind::TypeRenamed => "type renamed",
            ChangeKind::FieldAdded => "field added",
            ChangeKind::FieldRemoved => "field removed",
            ChangeKind::FieldNowRequired => "field now required",
            ChangeKind::FieldNowOptional => "field now optional",
            ChangeKind::FieldTypeChanged => "field type changed",
            ChangeKind::WireNameChanged => "wire name changed",
            ChangeKind::RustNameChanged => "rust name changed",
            ChangeKind::DefaultAdded => "default added",
            ChangeKind::DefaultRemoved => "default removed",
            ChangeKind::DefaultChanged => "default changed",
            ChangeKind::EncodingChanged => "encoding changed",
            ChangeKind::EnumValueAdded => "enum value added",
            ChangeKind::EnumValueRemoved => "enum value removed",
            ChangeKind::VariantRenamed => "variant renamed",
            ChangeKind::EnumValueChanged => "enum value changed",
            ChangeKind::EnumReprChanged => "enum repr changed",
            ChangeKind::LimitAdded => "limit added",
            ChangeKind::LimitRemoved => "limit removed",
            ChangeKind::LimitTightened => "limit tightened",
            ChangeKind::LimitLoosened => "limit loosened",
            ChangeKind::LimitChanged => "limit changed",
            ChangeKind::RuleAdded => "rule added",
            ChangeKind::RuleRemoved => "rule removed",
            ChangeKind::RuleChanged => "rule changed",
            ChangeKind::GroupAdded => "group added",
            ChangeKind::GroupRemoved => "group removed",
            ChangeKind::GroupChanged => "group changed",
            ChangeKind::ItemResultAdded => "item result added",
            ChangeKind::ItemResultRemoved => "item result removed",
            ChangeKind::ItemResultChanged => "item result changed",
            ChangeKind::ErrorTableAdded => "error table added",
            ChangeKind::ErrorTableRemoved => "error table removed",
            ChangeKind::ErrorCodeAdded => "error code added",
            ChangeKind::ErrorCodeRemoved => "error code removed",
            ChangeKind::ErrorKindChanged => "error kind changed",
            ChangeKind::ErrorCodeRenamed => "error code renamed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(rust: Level) -> Change {
        Change {
            module: "demo::ping".to_owned(),
            path: "demo::ping::PingRequest.id".to_owned(),
            kind: ChangeKind::FieldRemoved,
            detail: "int64, required".to_owned(),
            old: Some(Loc {
                file: "old/demo/ping.yaml".to_owned(),
                line: 7,
                col: 5,
            }),
            new: None,
            rust,
            wire: vec![WireEffect::RequestsMayBeRefused],
        }
    }

    #[test]
    fn an_empty_report_has_no_level() {
        let report = Report::default();
        assert_eq!(report.level(), None);
        assert!(!report.reaches(Level::Patch));
        assert_eq!(report.to_string(), "no changes");
        let json: serde_json::Value = serde_json::from_str(&report.to_json().unwrap()).unwrap();
        assert_eq!(json["level"], serde_json::Value::Null);
        assert_eq!(json["changes"], serde_json::json!([]));
    }

    #[test]
    fn the_overall_level_is_the_highest_and_json_names_stay_fixed() {
        let report = Report {
            changes: vec![change(Level::Patch), change(Level::Minor)],
        };
        assert_eq!(report.level(), Some(Level::Minor));
        assert!(report.reaches(Level::Minor) && !report.reaches(Level::Major));
        let json: serde_json::Value = serde_json::from_str(&report.to_json().unwrap()).unwrap();
        assert_eq!(json["level"], "minor");
        assert_eq!(
            json["changes"][0],
            serde_json::json!({
                "module": "demo::ping",
                "path": "demo::ping::PingRequest.id",
                "kind": "field_removed",
                "detail": "int64, required",
                "old": {"file": "old/demo/ping.yaml", "line": 7, "col": 5},
                "new": null,
                "rust": "patch",
                "wire": ["RequestsMayBeRefused"],
            })
        );
        assert!(report
            .to_string()
            .ends_with("2 changes: 0 major, 1 minor, 1 patch; semver: minor"));
    }
}
