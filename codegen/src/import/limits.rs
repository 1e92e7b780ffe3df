//! Limits as pages state them: DingTalk's `最大长度:N` lines, ClassIn's prose in the limit
//! column. Only what the words state becomes a limit; anything else is left to a comment.

use std::sync::LazyLock;

use regex::Regex;

use super::draft::Limits;

/// A DingTalk limit line, read.
#[derive(Debug, Clone, PartialEq)]
pub enum DingLimit {
    /// `最大长度:N`.
    MaxLength(u64),
    /// `最大列表长度:N`.
    MaxItems(u64),
    /// `最小值:N`.
    Min(f64),
    /// `最大值:N`.
    Max(f64),
    /// `默认值:X` (`None` for `默认值:null`).
    Default(Option<String>),
}

static DING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(最大长度|最大列表长度|最小值|最大值|默认值)\s*[:：]\s*(.*)$").expect("valid")
});

/// Whether `text` is a DingTalk limit line (even one whose bound does not read).
pub fn is_ding_limit(text: &str) -> bool {
    text.starts_with(['最', '默']) && DING.is_match(text)
}

/// Reads a DingTalk limit line; `Err` with the reason when its bound is not a number.
pub fn ding_limit(text: &str) -> Option<Result<DingLimit, String>> {
    if !is_ding_limit(text) {
        return None;
    }
    let caps = DING.captures(text)?;
    let value = caps[2].trim();
    let int = || {
        value
            .parse::<u64>()
            .map_err(|_| format!("`{text}`: the bound is not a whole number"))
    };
    let num = || {
        value
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("`{text}`: the bound is not a number"))
    };
    Some(match &caps[1] {
        "最大长度" => int().map(DingLimit::MaxLength),
        "最大列表长度" => int().map(DingLimit::MaxItems),
        "最小值" => num().map(DingLimit::Min),
        "最大值" => num().map(DingLimit::Max),
        _ => Ok(DingLimit::Default(
            (!value.is_empty() && value != "null").then(|| value.to_owned()),
        )),
    })
}

/// What a ClassIn limit cell says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProseLimits {
    /// Limits the words state.
    pub limits: Limits,
    /// A default the words state.
    pub default: Option<String>,
    /// The words understood, for the comment that says where each limit came from.
    pub understood: Vec<String>,
    /// Whether some words were not understood.
    pub rest: bool,
}

static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d+)\s*[-~～至到]\s*(\d+)\s*(?:个)?(?:字|字符|位|characters?|chars?)")
        .expect("valid")
});
static TRUNCATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:超过|超出|beyond|over|more than)\s*(\d+)\s*(?:个)?(?:字|字符|characters?)?\s*(?:会|将|will be|are)?\s*(?:自动|automatically)?\s*(?:截取|截断|truncated)").expect("valid")
});
static FIXED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:固定|fixed)\s*(\d+)\s*(?:位|个字符|字符|characters?|chars?)").expect("valid")
});
static MAX_CHARS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:最多|不超过|最长|at most|up to)\s*(\d+)\s*(?:个)?(?:字|字符|位|characters?)")
        .expect("valid")
});
static DEFAULT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:不填写?|不传|为空|缺省)?\s*(?:时)?\s*默认(?:值)?(?:为|是)?\s*[:：]?\s*(-?[0-9A-Za-z_]+)|(?i:defaults?\s*(?:to|is)?\s*(-?[0-9A-Za-z_]+))").expect("valid")
});
static NOTHING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:无|-|—|/|none|n/a)?$").expect("valid"));

/// Reads a ClassIn limit cell. Length words apply to text fields only (`text` false leaves
/// them to the comment).
pub fn prose(cell: &str, text: bool) -> ProseLimits {
    let mut out = ProseLimits::default();
    let cell = cell.trim();
    if NOTHING.is_match(&cell.to_ascii_lowercase()) {
        return out;
    }
    let mut consumed = 0usize;
    if text {
        if let Some(c) = TRUNCATED.captures(cell) {
            out.limits.truncated_beyond = c[1].parse().ok();
            out.understood.push(c[0].to_owned());
            consumed += c[0].chars().count();
        }
        if let Some(c) = RANGE.captures(cell) {
            out.limits.min_length = c[1].parse().ok();
            // Where the server cuts the text beyond the bound, the bound is not a refusal.
            if out.limits.truncated_beyond.is_none() {
                out.limits.max_length = c[2].parse().ok();
            }
            out.understood.push(c[0].to_owned());
            consumed += c[0].chars().count();
        } else if let Some(c) = FIXED.captures(cell) {
            out.limits.length = c[1].parse().ok();
            out.understood.push(c[0].to_owned());
            consumed += c[0].chars().count();
        } else if let Some(c) = MAX_CHARS.captures(cell) {
            if out.limits.truncated_beyond.is_none() {
                out.limits.max_length = c[1].parse().ok();
            }
            out.understood.push(c[0].to_owned());
            consumed += c[0].chars().count();
        }
    }
    let lower = cell.to_ascii_lowercase();
    if !(cell.contains("默认") || lower.contains("default")) {
        // No default in these words.
    } else if let Some(c) = DEFAULT.captures(cell) {
        out.default = c.get(1).or(c.get(2)).map(|m| m.as_str().to_owned());
        out.understood.push(c[0].trim().to_owned());
        consumed += c[0].chars().count();
    }
    let words = cell
        .chars()
        .filter(|c| !c.is_whitespace() && !",，。;；、".contains(*c))
        .count();
    out.rest = consumed < words;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dingtalk_limit_lines() {
        assert_eq!(
            ding_limit("最大长度:120"),
            Some(Ok(DingLimit::MaxLength(120)))
        );
        assert_eq!(
            ding_limit("最大列表长度：20"),
            Some(Ok(DingLimit::MaxItems(20)))
        );
        assert_eq!(ding_limit("最小值:-1"), Some(Ok(DingLimit::Min(-1.0))));
        assert_eq!(
            ding_limit("默认值:null"),
            Some(Ok(DingLimit::Default(None)))
        );
        assert_eq!(
            ding_limit("默认值:abc"),
            Some(Ok(DingLimit::Default(Some("abc".into()))))
        );
        assert!(matches!(ding_limit("最大长度:很多"), Some(Err(_))));
        assert_eq!(ding_limit("学员列表"), None);
    }

    #[test]
    fn classin_prose() {
        let p = prose("1-24字,不区分中英文,超过24字会自动截取为24字", true);
        assert_eq!(p.limits.min_length, Some(1));
        assert_eq!(p.limits.max_length, None);
        assert_eq!(p.limits.truncated_beyond, Some(24));
        let p = prose("固定 32 位全小写字符", true);
        assert_eq!(p.limits.length, Some(32));
        let p = prose("不填写默认为1", false);
        assert_eq!(p.default.as_deref(), Some("1"));
        assert!(!p.rest);
        let p = prose("旁听人数最多可添加20人", false);
        assert!(p.limits.is_empty() && p.rest);
        assert_eq!(prose("无", true), ProseLimits::default());
        let p = prose("1-20 characters", true);
        assert_eq!(
            (p.limits.min_length, p.limits.max_length),
            (Some(1), Some(20))
        );
    }
}
