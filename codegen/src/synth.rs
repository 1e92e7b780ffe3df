//! Synthetic specs for measuring the generator at scale: any number of endpoints in the spec
//! format, with the shapes real endpoints have (nested objects, lists of objects, string and
//! integer enums, every kind of limit, rules, error codes, per-item results) spread over the
//! three protocol families.
//!
//! The output is deterministic: endpoint `k` is the same text whatever the count, so the specs
//! for 100 endpoints are the first 100 of the specs for 1,000. Every set passes the checks.
//!
//! In [`Mode::JsonOnly`] every endpoint is a plain JSON one (`dingtalk-oapi`), and [`openapi()`]
//! writes the same API as an OpenAPI 3.0 document, for generators that read OpenAPI.

mod openapi;

pub use openapi::{openapi, write_openapi, OPENAPI_VERSION};

use crate::load::Source;

/// The folder name the spec files are written under, as shown in diagnostics.
pub const SPEC_DIR: &str = "spec";

/// A small deterministic generator (splitmix64): the same seed gives the same specs on every
/// machine and every run.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const NOUNS: &[&str] = &[
    "course", "student", "class", "teacher", "period", "contact", "grade", "lesson", "group",
    "notice", "room", "parent",
];
const VERBS: &[&str] = &[
    "create", "update", "get", "list", "delete", "batchadd", "query",
];
const PHRASES: &[&str] = &[
    "课程下添加学生",
    "需要添加的帐号数组",
    "机构后台旁听生的姓名",
    "不区分中英文,超过24字会自动截取为24字",
    "返回每个账号添加后的详情",
    "学段信息",
    "创建年级时,需要在此年级下创建多少个班级",
    "外部联系人信息",
    "the vendor documents this field in English",
    "用户自定义标识",
    "校验重名,返回重名人列表",
    "仅用于当identity为2(旁听身份)时",
];

/// The three protocol families, in the order endpoints cycle through them.
const PROTOCOLS: &[&str] = &["dingtalk-oapi", "dingtalk-top", "classin-v1"];

/// Which protocol families the endpoints use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// The three families in turn (`dingtalk-oapi`, `dingtalk-top`, `classin-v1`), with form
    /// encodings on the form-bodied ones: what the generation and compile benchmarks measure.
    #[default]
    Mixed,
    /// Every endpoint `dingtalk-oapi` with a JSON body, all under the `dingtalk` vendor: the API
    /// [`openapi()`] also writes as OpenAPI. Endpoint `k` differs from its mixed-mode twin only in
    /// its protocol (and what the protocol decides: route and form encodings).
    JsonOnly,
}

/// A YAML double-quoted scalar (JSON string syntax is valid YAML).
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

fn camel(s: &str) -> String {
    let mut out = String::new();
    for part in s.split('_') {
        let mut chars = part.chars();
        if let Some(c) = chars.next() {
            out.push(c.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    out
}

fn text(rng: &mut Rng, min_phrases: u64, max_phrases: u64) -> String {
    let n = rng.range(min_phrases, max_phrases);
    (0..n)
        .map(|_| *rng.pick(PHRASES))
        .collect::<Vec<_>>()
        .join("。")
}

/// One endpoint's identity.
struct Endpoint {
    vendor: &'static str,
    module: String,
    base: String,
    api: String,
    protocol: &'static str,
    noun: &'static str,
    verb: &'static str,
}

fn endpoint(k: usize, mode: Mode, rng: &mut Rng) -> Endpoint {
    let protocol = match mode {
        Mode::Mixed => PROTOCOLS[k % PROTOCOLS.len()],
        Mode::JsonOnly => "dingtalk-oapi",
    };
    let noun = *rng.pick(NOUNS);
    let verb = *rng.pick(VERBS);
    let module = format!("{noun}_{verb}_{k:04}");
    let api = match protocol {
        "dingtalk-oapi" => format!("dingtalk.oapi.synth.{noun}.{verb}{k}"),
        "dingtalk-top" => format!("dingtalk.synth.{noun}.{verb}{k}"),
        _ => format!("classin.synth.{verb}{}{k}", camel(noun)),
    };
    Endpoint {
        vendor: if protocol == "classin-v1" {
            "classin"
        } else {
            "dingtalk"
        },
        base: camel(&module),
        module,
        api,
        protocol,
        noun,
        verb,
    }
}

/// The types every vendor shares, in `<vendor>/common.yaml`.
fn common(vendor: &str) -> String {
    format!(
        r#"# Types shared by the synthetic {vendor} endpoints.
description: 通用类型
types:
  PageInfo:
    description: 分页信息
    fields:
      page:
        type: int32
        required: true
        min: 1
        example: 1
        description: 页码,从1开始
      size:
        type: int32
        default: 20
        min: 1
        max: 100
        description: 每页条数
      total:
        type: int64
        min: 0
        description: 总数
  Gender:
    description: 性别
    enum:
      - {{value: 0, name: Unspecified, description: 未填写}}
      - {{value: 1, name: Male, description: 男}}
      - {{value: 2, name: Female, description: 女}}
  Region:
    description: 地区
    enum:
      - {{value: 华北, name: North, description: 华北}}
      - {{value: 华东, name: East, description: 华东}}
      - {{value: 华南, name: South, description: 华南}}
      - {{value: overseas, description: 海外}}
"#
    )
}

/// One scalar field with a random type and the limits that fit it.
fn extra_field(out: &mut String, rng: &mut Rng, name: &str, form: bool) {
    out.push_str(&format!("    {name}:\n"));
    match rng.range(0, 5) {
        0 => {
            out.push_str("      type: string\n");
            if rng.chance(50) {
                out.push_str("      required: true\n");
            }
            let max = rng.range(8, 256);
            out.push_str(&format!("      min_length: 1\n      max_length: {max}\n"));
            if rng.chance(30) {
                out.push_str("      pattern: \"[A-Za-z0-9_-]+\"\n");
            }
        }
        1 => {
            out.push_str("      type: int64\n");
            let lo = rng.range(0, 10);
            let hi = lo + rng.range(1, 1_000_000);
            out.push_str(&format!("      min: {lo}\n      max: {hi}\n"));
        }
        2 => {
            out.push_str("      type: number\n      min: 0.5\n      max: 99.5\n");
        }
        3 => {
            out.push_str("      type: bool\n      default: false\n");
        }
        4 => {
            out.push_str("      type: list<string>\n");
            out.push_str(&format!(
                "      max_items: {}\n      max_length: 32\n",
                rng.range(5, 100)
            ));
            if form {
                out.push_str("      encoding: comma\n");
            }
        }
        _ => {
            out.push_str("      type: string\n");
            out.push_str(&format!("      length: {}\n", rng.range(6, 40)));
        }
    }
    out.push_str(&format!("      description: {}\n", q(&text(rng, 1, 3))));
}

/// One endpoint's spec file.
fn endpoint_spec(k: usize, mode: Mode) -> (Endpoint, String) {
    let mut rng = Rng::new(k as u64);
    let e = endpoint(k, mode, &mut rng);
    let b = &e.base;
    let form = e.protocol != "dingtalk-oapi";
    let json = if form { "      encoding: json\n" } else { "" };
    let comma = if form { "      encoding: comma\n" } else { "" };
    let mut s = String::new();
    s.push_str(&format!(
        "# {} (synthetic endpoint {k})\napi: {}\ntitle: {}\ndescription: {}\n",
        e.api,
        e.api,
        q(&format!("{}{}", e.verb, e.noun)),
        q(&text(&mut rng, 2, 8)),
    ));
    s.push_str(&format!(
        "docs: https://example.com/docs/{}/{}\nprotocol: {}\n",
        e.vendor, e.module, e.protocol
    ));
    match e.protocol {
        "dingtalk-oapi" => s.push_str(&format!(
            "http:\n  method: POST\n  path: /topapi/synth/{}/{}{k}\n",
            e.noun, e.verb
        )),
        "dingtalk-top" => s.push_str("http:\n  method: POST\n"),
        _ => s.push_str(&format!(
            "http:\n  method: POST\n  path: /partner/api/course.api.php\n  action: {}{}{k}\n",
            e.verb,
            camel(e.noun)
        )),
    }
    s.push_str(&format!("name: {b}\n"));
    if rng.chance(30) {
        s.push_str(&format!("notes: {}\n", q(&text(&mut rng, 1, 2))));
    }

    // The request: scalars with every kind of limit, enums, a nested object, a list of objects.
    s.push_str("\nrequest:\n  description: 请求参数\n  fields:\n");
    s.push_str(&format!(
        "    {noun}_id:\n      type: string\n      required: true\n      pattern: \"[0-9]{{1,20}}\"\n      example: \"{k}001\"\n      description: {}\n",
        q(&text(&mut rng, 1, 2)),
        noun = e.noun,
    ));
    s.push_str(&format!(
        "    name:\n      type: string\n      required: true\n      min_length: 1\n      max_length: 64\n      example: 张三\n      description: {}\n",
        q(&text(&mut rng, 1, 3))
    ));
    s.push_str("    code:\n      type: string\n      length: 32\n      description: 编码\n");
    s.push_str(&format!(
        "    remark:\n      type: string\n      truncated_beyond: 200\n      description: {}\n",
        q(&text(&mut rng, 1, 2))
    ));
    s.push_str(&format!(
        "    status:\n      type: {b}Status\n      default: active\n      description: 状态\n"
    ));
    s.push_str(&format!(
        "    kind:\n      type: {b}Kind\n      required: true\n      example: 1\n      description: 类型\n"
    ));
    s.push_str("    amount:\n      type: number\n      min: 0\n      max: 10000.5\n      description: 金额\n");
    s.push_str(
        "    count:\n      type: int32\n      default: 10\n      min: 0\n      max: 1000\n      description: 数量\n",
    );
    s.push_str(
        "    enabled:\n      type: bool\n      default: true\n      description: 是否启用\n",
    );
    s.push_str(&format!(
        "    tagIds:\n      type: list<int64>\n      max_items: 50\n      recommended_max_items: 20\n      min: 1\n{comma}      example: [1, 2, 3]\n      description: 标签ID列表\n"
    ));
    s.push_str(
        "    labels:\n      type: list<string>\n      max_items: 10\n      max_length: 20\n      description: 标签\n",
    );
    s.push_str(&format!(
        "    detail:\n      type: {b}Detail\n      required: true\n{json}      description: 详情\n"
    ));
    s.push_str(&format!(
        "    items:\n      type: list<{b}Item>\n      required: true\n      min_items: 1\n      max_items: 100\n{json}      description: 条目列表\n"
    ));
    for j in 0..rng.range(0, 4) {
        let name = if rng.chance(50) {
            format!("extraField{j}")
        } else {
            format!("extra_field_{j}")
        };
        extra_field(&mut s, &mut rng, &name, form);
    }
    s.push_str("  rules:\n");
    s.push_str("    - when: {field: kind, equals: 2}\n      check: {field: items, max_items: 20}\n      description: 批量类型最多20条\n");
    s.push_str("    - when: {field: status, not_equals: active}\n      check: {field: \"items[].note\", absent: true}\n      severity: warning\n      description: note 仅在启用时使用\n");

    // The response: a nested result, a shared page type, a list of per-item results.
    s.push_str("\nresponse:\n  fields:\n");
    s.push_str(&format!(
        "    result:\n      type: {b}Detail\n      description: 结果\n    page:\n      type: PageInfo\n      description: 分页\n    data:\n      type: list<{b}ItemResult>\n      description: 每个条目的结果\n    success:\n      type: bool\n      example: true\n      description: 是否成功\n"
    ));

    // Types: a nested object two levels deep, a list item, enums, a per-item result.
    s.push_str("\ntypes:\n");
    s.push_str(&format!(
        "  {b}Detail:\n    description: {}\n    fields:\n      title:\n        type: string\n        required: true\n        max_length: 100\n        description: 标题\n      description:\n        type: string\n        truncated_beyond: 500\n        description: 描述\n      meta:\n        type: {b}Meta\n        description: 元数据\n      region:\n        type: Region\n        description: 地区\n      ownerIds:\n        type: list<string>\n        min_items: 1\n        max_items: 20\n        pattern: \"[0-9]+\"\n        description: 负责人\n",
        q(&text(&mut rng, 1, 2))
    ));
    s.push_str(&format!(
        "  {b}Meta:\n    description: 元数据\n    fields:\n      created_by:\n        type: string\n        description: 创建人\n      version:\n        type: int64\n        min: 1\n        description: 版本\n      flags:\n        type: list<{b}Status>\n        max_items: 8\n        description: 标记\n"
    ));
    s.push_str(&format!(
        "  {b}Item:\n    description: 条目\n    fields:\n      uid:\n        type: string\n        required: true\n        pattern: \"[0-9]{{4,12}}\"\n        example: \"1001001\"\n        description: 用户ID\n      gender:\n        type: Gender\n        description: 性别\n      note:\n        type: string\n        min_length: 1\n        truncated_beyond: 50\n        description: 备注\n      score:\n        type: number\n        min: 0\n        max: 100\n        description: 分数\n      tags:\n        type: list<string>\n        max_items: 5\n        max_length: 10\n        description: 标签\n"
    ));
    s.push_str(&format!(
        "  {b}ItemResult:\n    description: 条目结果\n    item_result: {{code: errno, message: error}}\n    fields:\n      uid:\n        type: string\n        description: 用户ID\n      errno:\n        type: int64\n        required: true\n        description: 错误代码\n      error:\n        type: string\n        description: 错误详情\n"
    ));
    s.push_str(&format!(
        "  {b}Status:\n    description: 状态\n    enum:\n      - {{value: active, description: 启用}}\n      - {{value: inactive, description: 停用}}\n      - {{value: archived, description: 归档}}\n      - {{value: 审核中, name: InReview, description: 审核中}}\n"
    ));
    for j in 0..rng.range(0, 6) {
        s.push_str(&format!(
            "      - {{value: pending_{j}, description: {}}}\n",
            q(&text(&mut rng, 1, 1))
        ));
    }
    s.push_str(&format!(
        "  {b}Kind:\n    description: 类型\n    enum:\n      - {{value: 1, name: Single, description: 单个}}\n      - {{value: 2, name: Batch, description: 批量}}\n      - {{value: 3, name: Import, description: 导入}}\n"
    ));

    // Error codes of every kind.
    s.push_str("\nerrors:\n");
    s.push_str("  - {code: 0, name: Success, kind: success, meaning: 表示成功执行}\n");
    s.push_str("  - {code: 100, name: InvalidParameters, meaning: 表示参数不全或错误}\n");
    s.push_str("  - {code: 104, name: OperationFailed, kind: retryable, meaning: 表示操作失败}\n");
    s.push_str("  - {code: 841, name: PartlyDone, kind: partial_success, meaning: 表示部分成功}\n");
    for j in 0..rng.range(0, 8) {
        s.push_str(&format!(
            "  - {{code: {}, meaning: {}}}\n",
            40_000 + j,
            q(&text(&mut rng, 1, 1))
        ));
    }
    (e, s)
}

/// `count` endpoints as spec files: `(path relative to the spec folder, YAML text)`, sorted by
/// path. Endpoints cycle through `dingtalk-oapi`, `dingtalk-top` and `classin-v1`; each vendor
/// with an endpoint also gets a `common.yaml` of shared types.
pub fn specs(count: usize) -> Vec<(String, String)> {
    specs_with(count, Mode::Mixed)
}

/// [`specs`] in the given [`Mode`].
pub fn specs_with(count: usize, mode: Mode) -> Vec<(String, String)> {
    let mut out = Vec::with_capacity(count + 2);
    let mut vendors = std::collections::BTreeSet::new();
    for k in 0..count {
        let (e, text) = endpoint_spec(k, mode);
        vendors.insert(e.vendor);
        out.push((format!("{}/{}.yaml", e.vendor, e.module), text));
    }
    for v in vendors {
        out.push((format!("{v}/common.yaml"), common(v)));
    }
    out.sort();
    out
}

/// [`specs`] as in-memory sources, named as if read from a `spec/` folder.
pub fn sources(count: usize) -> Vec<Source> {
    sources_with(count, Mode::Mixed)
}

/// [`sources`] in the given [`Mode`].
pub fn sources_with(count: usize, mode: Mode) -> Vec<Source> {
    specs_with(count, mode)
        .into_iter()
        .map(|(path, text)| {
            let (vendor, file) = path.split_once('/').unwrap_or(("", &path));
            Source {
                display: format!("{SPEC_DIR}/{path}"),
                vendor: vendor.to_owned(),
                module: file.trim_end_matches(".yaml").to_owned(),
                text,
            }
        })
        .collect()
}

/// Writes [`specs`] under `dir` (`<dir>/<vendor>/<module>.yaml`) and returns how many files
/// were written.
pub fn write(count: usize, dir: &std::path::Path) -> std::io::Result<usize> {
    write_with(count, Mode::Mixed, dir)
}

/// [`write()`] in the given [`Mode`].
pub fn write_with(count: usize, mode: Mode, dir: &std::path::Path) -> std::io::Result<usize> {
    let files = specs_with(count, mode);
    for (path, text) in &files {
        let file = dir.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(file, text)?;
    }
    Ok(files.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_count_gives_the_same_specs_and_counts_are_prefixes() {
        assert_eq!(specs(7), specs(7));
        let small = specs(5);
        let large = specs(12);
        for (path, text) in small.iter().filter(|(p, _)| !p.ends_with("common.yaml")) {
            assert!(large.contains(&(path.clone(), text.clone())), "{path}");
        }
    }

    #[test]
    fn every_protocol_family_is_used() {
        let all: String = specs(3).into_iter().map(|(_, t)| t).collect();
        for p in PROTOCOLS {
            assert!(all.contains(&format!("protocol: {p}")), "{p}");
        }
    }

    #[test]
    fn json_only_endpoints_are_the_mixed_ones_with_a_json_protocol() {
        let json = specs_with(7, Mode::JsonOnly);
        let all: String = json.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(all.matches("protocol: dingtalk-oapi").count(), 7);
        assert!(
            !all.contains("encoding:"),
            "a JSON body has no form encodings"
        );
        assert!(json.iter().all(|(p, _)| p.starts_with("dingtalk/")));
        // Endpoints that are oapi in the mixed set too are the same text.
        let mixed = specs(7);
        for k in [0, 3, 6] {
            let suffix = format!("_{k:04}.yaml");
            let pick = |set: &[(String, String)]| {
                set.iter()
                    .find(|(p, _)| p.ends_with(&suffix))
                    .cloned()
                    .unwrap_or_default()
            };
            assert_eq!(pick(&json), pick(&mixed), "{suffix}");
        }
    }

    /// The mixed set is what the other benchmarks measure: a change to its text changes their
    /// workload, so it must be deliberate (update the figures in the benchmarks and this hash).
    #[test]
    fn the_mixed_set_is_unchanged() {
        // FNV-1a over every path and text: a fingerprint, not a security measure.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for (path, text) in specs(30) {
            for b in path.bytes().chain(text.bytes()) {
                hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        assert_eq!(
            hash, 0x4abe_d3b6_f0d8_1c32,
            "mixed synthetic specs changed: {hash:#x}"
        );
    }
}
