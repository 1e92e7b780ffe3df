//! The Java sample of a DingTalk page, read as evidence (it is not always valid Java): the
//! client URL, which class each setter is called on, and the values it passes.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::page::Line;

/// What the Java sample shows.
#[derive(Debug, Clone, Default)]
pub struct Sample {
    /// The client URL and its line.
    pub url: Option<(String, usize)>,
    /// The HTTP method the sample sets (`req.setHttpMethod("GET")`).
    pub method: Option<String>,
    /// Setters by class (`""` for the request itself): normalised member name and argument.
    pub members: BTreeMap<String, Vec<(String, String)>>,
    /// Setters called on a variable the sample never declares: variable, member, line.
    pub undeclared: Vec<(String, String, usize)>,
}

static CLIENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"new\s+DefaultDingTalkClient\s*\(\s*"([^"]+)""#).expect("valid"));
static NEW_OBJ: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\w+)\s+(\w+)\s*=\s*new\s+(\w+)\s*\(").expect("valid"));
static NEW_LIST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^List<(\w+)>\s+(\w+)\s*=\s*new\b").expect("valid"));
static SETTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\w+)\.set(\w+)\s*\((.*)$").expect("valid"));

/// A member name as compared across the page: `BizCode`, `biz_code` and `bizCode` agree.
pub fn norm(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

impl Sample {
    /// Reads the sample's lines.
    pub fn read(lines: &[Line<'_>]) -> Sample {
        let mut s = Sample::default();
        let mut vars: BTreeMap<String, String> = BTreeMap::new();
        for l in lines {
            let t = l.text;
            if s.url.is_none() && t.contains("DefaultDingTalkClient") {
                if let Some(c) = CLIENT.captures(t) {
                    s.url = Some((c[1].to_owned(), l.no));
                }
            }
            let new = t.contains("new");
            if let Some(c) = new.then(|| NEW_LIST.captures(t)).flatten() {
                vars.insert(c[2].to_owned(), format!("list:{}", &c[1]));
            } else if let Some(c) = new.then(|| NEW_OBJ.captures(t)).flatten() {
                let class = &c[3];
                let owner = if class.ends_with("Request") && &c[2] == "req" {
                    String::new()
                } else {
                    class.to_owned()
                };
                vars.insert(c[2].to_owned(), owner);
            } else if let Some(c) = t.contains(".set").then(|| SETTER.captures(t)).flatten() {
                let arg = c[3].trim_end_matches([';', ' ']).trim_end_matches(')');
                if &c[2] == "HttpMethod" {
                    s.method = literal(arg).map(|m| m.to_ascii_uppercase());
                    continue;
                }
                let member = norm(&c[2]);
                match vars.get(&c[1]) {
                    Some(class) if !class.starts_with("list:") => s
                        .members
                        .entry(class.clone())
                        .or_default()
                        .push((member, arg.trim().to_owned())),
                    _ => s.undeclared.push((c[1].to_owned(), c[2].to_owned(), l.no)),
                }
            }
        }
        s
    }

    /// Whether the sample sets `wire` on an object of `class`; `None` when it never sets
    /// anything on that class.
    pub fn has(&self, class: &str, wire: &str) -> Option<bool> {
        let members = self.members.get(class)?;
        let n = norm(wire);
        Some(members.iter().any(|(m, _)| *m == n))
    }

    /// The argument the sample passes for `wire` on `class`, as page text (`"1003"` gives
    /// `1003`, `1233L` gives `1233`, `new Long[] { 12,34 }` gives `[12,34]`).
    pub fn value(&self, class: &str, wire: &str) -> Option<String> {
        let n = norm(wire);
        let (_, arg) = self.members.get(class)?.iter().find(|(m, _)| *m == n)?;
        literal(arg)
    }
}

static LONG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(-?\d+)[lL]$").expect("valid"));
static ARRAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^new\s+\w+\s*\[\]\s*\{(.*)\}\s*;?$").expect("valid"));
static CALL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^[\w.]+\(\s*"(.*)"\s*\)$"#).expect("valid"));

/// A Java literal as the page's tables write the same value.
fn literal(arg: &str) -> Option<String> {
    let arg = arg.trim();
    if let Some(inner) = arg.strip_prefix('"').and_then(|a| a.strip_suffix('"')) {
        return (!inner.contains('"')).then(|| inner.to_owned());
    }
    if let Some(c) = LONG.captures(arg) {
        return Some(c[1].to_owned());
    }
    if let Some(c) = ARRAY.captures(arg) {
        let items: Vec<&str> = c[1].split(',').map(str::trim).collect();
        return Some(format!("[{}]", items.join(",")));
    }
    if let Some(c) = CALL.captures(arg) {
        return Some(c[1].to_owned());
    }
    if arg == "true" || arg == "false" || arg.parse::<f64>().is_ok() {
        return Some(arg.to_owned());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::page::lines;

    #[test]
    fn reads_classes_setters_and_bugs() {
        let text = r#"DingTalkClient client = new DefaultDingTalkClient("https://oapi.dingtalk.com/topapi/a/b");
OapiABRequest req = new OapiABRequest();
req.setBizCode("1003");
List<Dto> list2 = new ArrayList<Dto>();
Dto obj3 = new Dto();
list2.add(obj3);
obj3.setPackageIds(new Long[] { 12,34 };
);
obj3.setSuperId(1233L);
list4.setPatriarchs(list2);
obj3.setShareUserIds(""023420013644"");
req.setHttpMethod("GET");"#;
        let s = Sample::read(&lines(text));
        assert_eq!(s.url.as_ref().map(|u| u.1), Some(1));
        assert_eq!(s.value("", "biz_code").as_deref(), Some("1003"));
        assert_eq!(s.value("Dto", "package_ids").as_deref(), Some("[12,34]"));
        assert_eq!(s.value("Dto", "super_id").as_deref(), Some("1233"));
        assert_eq!(s.value("Dto", "share_user_ids"), None);
        assert_eq!(s.has("Dto", "superId"), Some(true));
        assert_eq!(s.has("Dto", "name"), Some(false));
        assert_eq!(s.has("Other", "name"), None);
        assert_eq!(
            s.undeclared,
            vec![("list4".into(), "Patriarchs".into(), 10)]
        );
        assert_eq!(s.method.as_deref(), Some("GET"));
        assert_eq!(s.value("", "http_method"), None);
    }
}
