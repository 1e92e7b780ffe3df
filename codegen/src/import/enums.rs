//! Enumerations written in words inside descriptions, read into enum values with variant
//! names, or left to a `# review:` comment when the words do not settle them.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::draft::Variant;
use super::page::{has_cjk, quote};
use crate::naming;

/// Chinese labels with English names: a few common words, and every `中文:english` pair the
/// page itself writes (which win).
#[derive(Debug, Clone, Default)]
pub struct Glossary<'p> {
    lines: Vec<&'p str>,
}

/// Common labels of school and office endpoints.
const COMMON: &[(&str, &str)] = &[
    ("学生", "Student"),
    ("旁听", "Auditor"),
    ("旁听生", "Auditor"),
    ("老师", "Teacher"),
    ("教师", "Teacher"),
    ("家长", "Parent"),
    ("班主任", "HeadTeacher"),
    ("助教", "Assistant"),
    ("男", "Male"),
    ("女", "Female"),
    ("是", "Yes"),
    ("未知", "Unspecified"),
    ("否", "No"),
    ("开启", "On"),
    ("关闭", "Off"),
    ("启用", "Enabled"),
    ("禁用", "Disabled"),
    ("幼儿园", "Kindergarten"),
    ("小学", "PrimarySchool"),
    ("初中", "MiddleSchool"),
    ("高中", "HighSchool"),
    ("大学", "University"),
    ("在线课堂", "OnlineClassroom"),
    ("公开课", "PublicClass"),
    ("试用期", "Probation"),
    ("正式", "Regular"),
    ("无状态", "NoStatus"),
    ("全职", "FullTime"),
    ("兼职", "PartTime"),
    ("实习", "Intern"),
    ("成功", "Success"),
    ("失败", "Failure"),
    ("待审核", "Pending"),
    ("通过", "Approved"),
    ("拒绝", "Rejected"),
    ("文本", "Text"),
    ("图片", "Image"),
    ("视频", "Video"),
    ("音频", "Audio"),
    ("文件", "File"),
    ("链接", "Link"),
];

impl<'p> Glossary<'p> {
    /// A glossary that looks words up in the page's `lines`.
    pub fn new(lines: impl IntoIterator<Item = &'p str>) -> Glossary<'p> {
        Glossary {
            lines: lines.into_iter().collect(),
        }
    }

    /// The English word the page pairs with `label` (`幼儿园:kindergarten`).
    fn paired(&self, label: &str) -> Option<String> {
        for line in &self.lines {
            for (at, _) in line.match_indices(label) {
                // A whole label, not the end of a longer one (`学` in `小学`).
                let before = line[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric()) {
                    continue;
                }
                let rest = line[at + label.len()..].trim_start();
                let Some(rest) = rest.strip_prefix([':', '：']) else {
                    continue;
                };
                let rest = rest.trim_start();
                let word: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                    .collect();
                if word.starts_with(|c: char| c.is_ascii_lowercase()) {
                    return Some(word);
                }
            }
        }
        None
    }

    /// The English name of a label, when known.
    pub fn name(&self, label: &str) -> Option<String> {
        let label = label
            .trim()
            .trim_start_matches("表示")
            .trim_end_matches("身份")
            .trim_matches(|c: char| c.is_whitespace() || "。.,，;；".contains(c));
        if label.is_empty() {
            return None;
        }
        if !has_cjk(label) {
            return naming::variant_name(label).ok();
        }
        let known = |s: &str| {
            self.paired(s)
                .and_then(|w| naming::variant_name(&w).ok())
                .or_else(|| {
                    COMMON
                        .iter()
                        .find(|(k, _)| *k == s)
                        .map(|(_, v)| (*v).to_owned())
                })
        };
        if let Some(n) = known(label) {
            return Some(n);
        }
        // A known word followed by ASCII (`在线课堂Pro`).
        let split = label.find(|c: char| c.is_ascii_alphanumeric())?;
        let (head, tail) = label.split_at(split);
        let tail_name = naming::variant_name(tail).ok()?;
        Some(format!("{}{tail_name}", known(head)?))
    }
}

/// What a description says about the field's values.
#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    /// An enumeration the words settle.
    Enum {
        /// The values, named.
        values: Vec<Variant>,
        /// What was guessed (names taken from elsewhere on the page, say).
        reviews: Vec<String>,
    },
    /// Words that look like an enumeration but do not settle one: the comment that quotes them.
    Doubtful(String),
    /// No enumeration.
    Plain,
}

static LABEL_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([\p{Han}A-Za-z0-9]+)\s*[:：]\s*([a-z][a-z0-9_]*)").expect("valid")
});
static VALUE_FIRST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[\s。;；,，])([a-z][a-z0-9_]*)\s*[:：]\s*").expect("valid"));
static INT_PAREN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(-?\d+)\s*[(（]([^()（）]+)[)）]").expect("valid"));
static INT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\d.\-])(-?\d+)\s*(?:[-—=:：]|表示|代表|为|是)\s*([^\s\d,，;；、。)）(（:：=][^\s,，;；、。)）(（:：=]*)")
        .expect("valid")
});
static INT_SEMI: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(-?\d+)\s*[,，]\s*([^;；,，]+?)\s*(?:[;；]|$)").expect("valid"));
static SLASH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([^\s/:：,，。()（）]+(?:\s*/\s*[^\s/:：,，。()（）]+)+)").expect("valid")
});
static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:枚举值|可选值|取值范围|取值|可选项|可选)\s*(?:有|为|是|包括)?\s*[:：]?\s*")
        .expect("valid")
});
static WORD_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Za-z0-9_]+(?:\s*[,，、]\s*[A-Za-z0-9_]+)+)").expect("valid")
});
static NUMBERED_WORDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\s*\d+\s*\p{Han}+){2,}\s*$").expect("valid"));
static DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{2,4}/\d{1,2}(/\d{1,2})?$").expect("valid"));

/// Reads the enumeration in `desc`, for a field whose own type is numeric or not, with the
/// page's example.
pub fn read(
    desc: &str,
    numeric: bool,
    example: Option<&Value>,
    glossary: &Glossary<'_>,
) -> Reading {
    let Some((values, shape)) = recognise(desc) else {
        if NUMBERED_WORDS.is_match(desc) {
            return Reading::Doubtful(format!(
                "the description `{}` may list values by number, but nothing separates them: \
                 left as written",
                quote(desc)
            ));
        }
        return Reading::Plain;
    };
    if shape == UNMARKED {
        let shown = example.map(|x| match x {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        if !shown.is_some_and(|s| values.iter().any(|(v, _)| *v == s)) {
            return Reading::Plain;
        }
    }
    let ints: Option<Vec<i64>> = values.iter().map(|(v, _)| v.parse().ok()).collect();
    let words = values
        .iter()
        .map(|(v, l)| match l {
            Some(l) => format!("{v} ({l})"),
            None => v.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let doubt = |why: &str| {
        Reading::Doubtful(format!(
            "the description reads like an enumeration ({shape}: {words}), but {why}: left a plain \
             {}",
            if numeric { "number" } else { "string" }
        ))
    };
    let mut seen = Vec::new();
    for (v, _) in &values {
        if seen.contains(v) {
            return doubt("a value is listed twice");
        }
        seen.push(v.clone());
    }
    if numeric && ints.is_none() {
        return doubt("the field is a number and the values are not");
    }
    if !numeric && ints.is_some() && shape == "numbered labels" {
        return doubt("the field is a string and the values are numbers");
    }
    if let Some(x) = example {
        let shown = match x {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if !values.iter().any(|(v, _)| *v == shown) {
            return doubt(&format!("the example `{shown}` is not one of them"));
        }
    }
    let mut out = Vec::new();
    let mut reviews = Vec::new();
    let mut names = Vec::new();
    for (v, label) in &values {
        let value = match (&ints, numeric) {
            (Some(_), true) => Value::from(v.parse::<i64>().unwrap_or_default()),
            _ => Value::String(v.clone()),
        };
        let self_named = !numeric && naming::variant_from_value(v).is_ok();
        let name = if self_named {
            None
        } else {
            let from = label.as_deref().unwrap_or(v);
            match glossary.name(from) {
                Some(n) => Some(n),
                None => {
                    return doubt(&format!("no English name could be derived for `{from}`"));
                }
            }
        };
        let rust = match &name {
            Some(n) => n.clone(),
            None => naming::variant_from_value(v).unwrap_or_default(),
        };
        if rust == naming::UNKNOWN_VARIANT || names.contains(&rust) {
            return doubt(&format!("two values would both be named `{rust}`"));
        }
        names.push(rust);
        out.push(Variant {
            value,
            name,
            description: label.clone(),
        });
    }
    let named: Vec<String> = out
        .iter()
        .zip(&values)
        .filter_map(|(var, (v, l))| {
            let n = var.name.as_ref()?;
            let from = l.as_deref().unwrap_or(v);
            has_cjk(from).then(|| format!("{from} → {n}"))
        })
        .collect();
    let numbered: Vec<String> = values
        .iter()
        .filter(|(v, l)| l.is_none() && v.parse::<i64>().is_ok())
        .map(|(v, _)| v.clone())
        .collect();
    if !numbered.is_empty() {
        reviews.push(format!(
            "the page gives no words for {}: the variants are named after their values",
            numbered.join(", ")
        ));
    }
    if !named.is_empty() {
        reviews.push(format!(
            "variant names translated from the page's words: {}",
            named.join(", ")
        ));
    }
    Reading::Enum {
        values: out,
        reviews,
    }
}

type Values = Vec<(String, Option<String>)>;

/// A slash list with no word such as `枚举值` before it: an enumeration only when the page's
/// example is one of its values (`学生/旁听UID` is not one).
const UNMARKED: &str = "an unmarked list of words";

/// The values and labels of the first shape that fits, with the shape's name.
fn recognise(desc: &str) -> Option<(Values, &'static str)> {
    let desc = desc.trim();
    // Each shape needs a character the words must have; most descriptions have none of them.
    let colon = has_colon(desc);
    let digit = desc.contains(|c: char| c.is_ascii_digit());
    if !colon && !digit && !desc.contains('/') && !MARKER.is_match(desc) {
        return None;
    }
    if colon {
        if let Some(found) = pairs(desc) {
            return Some(found);
        }
    }
    if digit {
        if let Some(found) = numbered(desc) {
            return Some(found);
        }
    }
    words(desc)
}

fn has_colon(s: &str) -> bool {
    s.contains([':', '：'])
}

/// `幼儿园:kindergarten 小学:primary_school` and `number: … text: …`.
fn pairs(desc: &str) -> Option<(Values, &'static str)> {
    // `幼儿园:kindergarten 小学:primary_school`: labels first, values in ASCII.
    let pairs: Values = LABEL_VALUE
        .captures_iter(desc)
        .filter(|c| has_cjk(&c[1]))
        .map(|c| (c[2].to_owned(), Some(c[1].to_owned())))
        .collect();
    if pairs.len() >= 2 && covers(desc, &LABEL_VALUE) {
        return Some((pairs, "label: value pairs"));
    }
    // `number: … text: …`: ASCII values first, each followed by its meaning.
    let starts: Vec<_> = VALUE_FIRST.captures_iter(desc).collect();
    if starts.len() >= 2 && starts[0].get(0).is_some_and(|m| m.start() == 0) {
        let mut values = Vec::new();
        for (i, c) in starts.iter().enumerate() {
            let end = starts
                .get(i + 1)
                .and_then(|n| n.get(1))
                .map_or(desc.len(), |m| m.start());
            let from = c.get(0).map_or(0, |m| m.end());
            let label = desc[from..end].trim().to_owned();
            values.push((c[1].to_owned(), (!label.is_empty()).then_some(label)));
        }
        return Some((values, "value: meaning pairs"));
    }
    None
}

/// Numbered labels in their several shapes.
fn numbered(desc: &str) -> Option<(Values, &'static str)> {
    // `1(在线课堂)、2(在线课堂Pro)`.
    let paren: Values = INT_PAREN
        .captures_iter(desc)
        .map(|c| (c[1].to_owned(), Some(c[2].trim().to_owned())))
        .collect();
    if paren.len() >= 2 {
        return Some((paren, "numbered labels"));
    }
    // `2,试用期;3,正式;-1,无状态`.
    if desc.contains(';') || desc.contains('；') {
        let semi: Values = INT_SEMI
            .captures_iter(desc)
            .map(|c| (c[1].to_owned(), Some(c[2].trim().to_owned())))
            .collect();
        if semi.len() >= 2 {
            return Some((semi, "numbered labels"));
        }
    }
    // `0-… 1-…`, `0=…,1=…`, `2表示…,4表示…`, `1为学生,2为旁听`.
    let labelled: Values = INT_LABEL
        .captures_iter(desc)
        .map(|c| (c[1].to_owned(), Some(c[2].trim().to_owned())))
        .collect();
    if labelled.len() >= 2 {
        return Some((labelled, "numbered labels"));
    }
    None
}

/// Lists of words: after a marker, or separated by `/`.
fn words(desc: &str) -> Option<(Values, &'static str)> {
    // `可选值有 start, start_finish, finish`.
    if let Some(m) = MARKER.find(desc) {
        if let Some(c) = WORD_LIST.captures(&desc[m.end()..]) {
            let values = c[1]
                .split([',', '，', '、'])
                .map(|w| (w.trim().to_owned(), None))
                .collect();
            return Some((values, "a list of words"));
        }
    }
    // `幼儿园/小学/初中/高中`, `1/6/12`: after a marker, or as the whole description.
    let marked = MARKER.find(desc).map(|m| &desc[m.end()..]);
    let scope = marked.unwrap_or(desc);
    if let Some(c) = SLASH.captures(scope) {
        let whole = c.get(0)?;
        // The list closes the description (`有效期 1/6/12`), or follows a marker.
        let alone = marked.is_some() || whole.end() == scope.trim_end().len();
        if alone && !DATE.is_match(whole.as_str()) {
            let values = whole
                .as_str()
                .split('/')
                .map(|w| (w.trim().to_owned(), None))
                .collect();
            let shape = if marked.is_some() {
                "a list of words"
            } else {
                UNMARKED
            };
            return Some((values, shape));
        }
    }
    None
}

/// Whether the matches of `re` account for all of `text` but spaces and punctuation.
fn covers(text: &str, re: &Regex) -> bool {
    let rest = re.replace_all(text, "");
    rest.chars()
        .all(|c| c.is_whitespace() || "。.,，;；、".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enum_of(desc: &str, numeric: bool, example: Option<Value>) -> Vec<(Value, Option<String>)> {
        let g = Glossary::new([desc]);
        match read(desc, numeric, example.as_ref(), &g) {
            Reading::Enum { values, .. } => values.into_iter().map(|v| (v.value, v.name)).collect(),
            other => panic!("{desc}: {other:?}"),
        }
    }

    #[test]
    fn every_shape_of_the_format_notes() {
        let v = enum_of(
            "幼儿园:kindergarten 小学:primary_school 初中: middle_school",
            false,
            None,
        );
        assert_eq!(v[2], (Value::from("middle_school"), None));
        let v = enum_of(
            "number: 初中按照1,2,3年级命名。默认。 text: 初中按照6,7,8,9年级命名",
            false,
            Some(Value::from("number")),
        );
        assert_eq!(v.len(), 2);
        let v = enum_of("1(在线课堂)、2(在线课堂Pro)", true, None);
        assert_eq!(v[1], (Value::from(2), Some("OnlineClassroomPro".into())));
        let v = enum_of("2,试用期;3,正式;-1,无状态", true, None);
        assert_eq!(v[2], (Value::from(-1), Some("NoStatus".into())));
        let v = enum_of("可选值有 start, start_finish, finish", false, None);
        assert_eq!(v[1], (Value::from("start_finish"), None));
        let v = enum_of("学生和旁听的识别(1为学生,2为旁听)", true, None);
        assert_eq!(v[1], (Value::from(2), Some("Auditor".into())));
        let v = enum_of("0-男 1-女", true, None);
        assert_eq!(v[0], (Value::from(0), Some("Male".into())));
        let v = enum_of(
            "学段名. 其枚举值: 幼儿园/小学/初中/高中",
            false,
            Some(Value::from("小学")),
        );
        assert_eq!(v[0], (Value::from("幼儿园"), Some("Kindergarten".into())));
    }

    #[test]
    fn words_that_only_look_like_an_enumeration() {
        let g = Glossary::default();
        assert_eq!(
            read(
                "创建年级时,需要在此年级下创建多少个班级。允许填0.",
                true,
                None,
                &g
            ),
            Reading::Plain
        );
        assert_eq!(read("开始日期 2019/01/01", false, None, &g), Reading::Plain);
        assert_eq!(read("学生/旁听UID", false, None, &g), Reading::Plain);
        assert_eq!(
            read("3/4 表示比例", true, Some(&Value::from(3)), &g),
            Reading::Plain
        );
        assert!(matches!(
            read("有效期 1/6/12", true, Some(&Value::from(6)), &g),
            Reading::Enum { .. }
        ));
        // A list with no marker is an enumeration only when the example is one of its values.
        assert_eq!(
            read("1/6/12", true, Some(&Value::from(3)), &g),
            Reading::Plain
        );
        assert!(matches!(
            read("枚举值: 1/6/12", true, Some(&Value::from(3)), &g),
            Reading::Doubtful(_)
        ));
        assert!(matches!(
            read("1甲2乙", true, None, &g),
            Reading::Doubtful(_)
        ));
        assert!(matches!(
            read("1(甲)、2(乙)", true, None, &g),
            Reading::Doubtful(_)
        ));
    }
}
