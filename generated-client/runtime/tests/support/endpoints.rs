//! Hand-written mirrors of the four documented endpoints, shaped as the generator emits them.

use client_runtime::de::{lenient, lenient_opt, list_opt};
use client_runtime::validate::check;
use client_runtime::{
    CodeKind, Endpoint, ErrorCode, FieldEncoding, File, Found, HttpMethod, ItemResult, Path,
    Protocol, Route, Rule, Severity, UndocumentedCode, Validate, Violations,
};
use serde::{Deserialize, Serialize};

// ---- 001 dingtalk.oapi.edu.period.create ------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct EduPeriodCreate {
    pub super_id: i64,
    pub operator: String,
    pub open_period: OpenPeriod,
}

#[derive(Debug, Clone, Serialize)]
pub struct OpenPeriod {
    pub step: String,
    pub grades: Vec<Grades>,
    pub period_code: String,
    pub name_mode: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Grades {
    pub grade: String,
    pub classes: i64,
    pub name: String,
    pub start_year: String,
}

impl Validate for EduPeriodCreate {
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        check::non_empty(&path.field("operator", "operator"), &self.operator, out);
        let p = path.field("open_period", "open_period");
        const STEPS: &[&str] = &["幼儿园", "小学", "初中", "高中"];
        if !STEPS.contains(&self.open_period.step.as_str()) {
            out.push(
                &p.field("step", "step"),
                Rule::OneOf(STEPS),
                Found::Value(self.open_period.step.clone()),
                Severity::Error,
            );
        }
        check::items(
            &p.field("grades", "grades"),
            self.open_period.grades.len(),
            Some(1),
            None,
            out,
        );
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct EduPeriodCreateResponse {
    pub result: Option<OpenPeriodCreateResponse>,
    #[serde(default, deserialize_with = "lenient_opt")]
    pub success: Option<bool>,
    #[serde(default, deserialize_with = "lenient_opt")]
    pub errcode: Option<i64>,
    pub errmsg: Option<String>,
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct OpenPeriodCreateResponse {
    #[serde(rename = "deptId", default, deserialize_with = "lenient_opt")]
    pub dept_id: Option<i64>,
    #[serde(default, deserialize_with = "list_opt")]
    pub grades: Option<Vec<EduGradeDo>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EduGradeDo {
    #[serde(default, deserialize_with = "lenient_opt")]
    pub campus_id: Option<i64>,
    #[serde(default, deserialize_with = "lenient_opt")]
    pub dept_id: Option<i64>,
    #[serde(default, deserialize_with = "lenient_opt")]
    pub grade: Option<i64>,
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient_opt")]
    pub super_id: Option<i64>,
}

impl Endpoint for EduPeriodCreate {
    const API_NAME: &'static str = "dingtalk.oapi.edu.period.create";
    const PROTOCOL: Protocol = Protocol::DingTalkOapi;
    const METHOD: HttpMethod = HttpMethod::Post;
    const ROUTE: Route = Route::Path("/topapi/edu/period/create");
    const FIELD_ENCODINGS: &'static [(&'static str, FieldEncoding)] = &[];
    type Response = EduPeriodCreateResponse;
    type ErrorCode = UndocumentedCode;
}

pub fn edu_period() -> EduPeriodCreate {
    EduPeriodCreate {
        super_id: 1233,
        operator: "12334".into(),
        open_period: OpenPeriod {
            step: "小学".into(),
            grades: vec![Grades {
                grade: "2".into(),
                classes: 0,
                name: "二年级2019级".into(),
                start_year: "2019".into(),
            }],
            period_code: "high_school".into(),
            name_mode: "number".into(),
        },
    }
}

// ---- 000 dingtalk.oapi.industry.studentpool.batchadd -----------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct StudentpoolBatchadd {
    pub biz_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub student_list: Option<Vec<TrainingStudentDto>>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TrainingStudentDto {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package_ids: Option<Vec<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patriarchs: Option<Vec<PatriarchDto>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PatriarchDto {
    pub relation: Option<String>,
    pub mobile: Option<String>,
    pub name: Option<String>,
}

impl Validate for StudentpoolBatchadd {
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        check::non_empty(&path.field("biz_code", "biz_code"), &self.biz_code, out);
        if let Some(list) = &self.student_list {
            check::items(
                &path.field("student_list", "student_list"),
                list.len(),
                None,
                Some(20),
                out,
            );
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct StudentpoolBatchaddResponse {
    #[serde(default, deserialize_with = "list_opt")]
    pub result: Option<Vec<String>>,
    #[serde(default, deserialize_with = "lenient_opt")]
    pub success: Option<bool>,
    #[serde(default, deserialize_with = "lenient_opt")]
    pub errcode: Option<i64>,
    pub errmsg: Option<String>,
}

impl Endpoint for StudentpoolBatchadd {
    const API_NAME: &'static str = "dingtalk.oapi.industry.studentpool.batchadd";
    const PROTOCOL: Protocol = Protocol::DingTalkOapi;
    const METHOD: HttpMethod = HttpMethod::Post;
    const ROUTE: Route = Route::Path("/topapi/industry/studentpool/batchadd");
    const FIELD_ENCODINGS: &'static [(&'static str, FieldEncoding)] = &[];
    type Response = StudentpoolBatchaddResponse;
    type ErrorCode = UndocumentedCode;
}

pub fn batchadd(students: usize) -> StudentpoolBatchadd {
    StudentpoolBatchadd {
        biz_code: "1003".into(),
        student_list: Some(
            (0..students)
                .map(|i| TrainingStudentDto {
                    mobile: Some("18511111111".into()),
                    package_ids: Some(vec![12, 34]),
                    number: Some(format!("{}", 123456 + i)),
                    patriarchs: Some(vec![PatriarchDto {
                        relation: Some("F".into()),
                        mobile: Some("18511111111".into()),
                        name: Some("丁明".into()),
                    }]),
                    name: Some("丁小明".into()),
                })
                .collect(),
        ),
    }
}

// ---- 003 dingtalk.corp.extcontact.update (TOP) -----------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct CorpExtcontactUpdate {
    pub contact: OpenExtContact,
}

#[derive(Debug, Clone, Serialize)]
pub struct OpenExtContact {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub label_ids: Vec<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_dept_ids: Option<Vec<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    pub follower_user_id: String,
    pub name: String,
    pub user_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_user_ids: Option<Vec<String>>,
}

impl Validate for CorpExtcontactUpdate {
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        let p = path.field("contact", "contact");
        check::items(
            &p.field("label_ids", "label_ids"),
            self.contact.label_ids.len(),
            Some(1),
            None,
            out,
        );
        check::non_empty(&p.field("name", "name"), &self.contact.name, out);
        check::non_empty(&p.field("user_id", "user_id"), &self.contact.user_id, out);
        check::non_empty(
            &p.field("follower_user_id", "follower_user_id"),
            &self.contact.follower_user_id,
            out,
        );
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct CorpExtcontactUpdateResponse {
    pub result: Option<DingOpenResult>,
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DingOpenResult {
    #[serde(default, deserialize_with = "lenient_opt")]
    pub ding_open_errcode: Option<i64>,
    pub error_msg: Option<String>,
    #[serde(default, deserialize_with = "lenient_opt")]
    pub success: Option<bool>,
}

impl Endpoint for CorpExtcontactUpdate {
    const API_NAME: &'static str = "dingtalk.corp.extcontact.update";
    const PROTOCOL: Protocol = Protocol::DingTalkTop;
    const METHOD: HttpMethod = HttpMethod::Post;
    const ROUTE: Route = Route::TopMethod("dingtalk.corp.extcontact.update");
    const FIELD_ENCODINGS: &'static [(&'static str, FieldEncoding)] =
        &[("contact", FieldEncoding::Json)];
    type Response = CorpExtcontactUpdateResponse;
    type ErrorCode = UndocumentedCode;
}

pub fn extcontact() -> CorpExtcontactUpdate {
    CorpExtcontactUpdate {
        contact: OpenExtContact {
            title: Some("开发工程师".into()),
            label_ids: vec![1, 2, 3],
            share_dept_ids: Some(vec![1, 2, 3]),
            address: Some("地址内容".into()),
            remark: Some("备注内容".into()),
            follower_user_id: "023420013645".into(),
            name: "张三".into(),
            user_id: "123420013632".into(),
            company_name: Some("钉钉".into()),
            share_user_ids: Some(vec!["023420013644".into()]),
        },
    }
}

// ---- 002 ClassIn addCourseStudentMultiple ----------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct AddCourseStudentMultiple {
    #[serde(rename = "courseId")]
    pub course_id: i64,
    pub identity: i64,
    #[serde(rename = "studentJson")]
    pub student_json: Vec<StudentAccount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StudentAccount {
    pub uid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "customColumn", skip_serializing_if = "Option::is_none")]
    pub custom_column: Option<String>,
}

impl Validate for AddCourseStudentMultiple {
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        let ids = path.field("identity", "identity");
        check::range(&ids, self.identity as f64, Some(1.0), Some(2.0), out);
        let list = path.field("student_json", "studentJson");
        check::items(&list, self.student_json.len(), Some(1), None, out);
        if self.identity == 2 {
            check::items(&list, self.student_json.len(), None, Some(20), out);
        } else {
            check::recommended_max_items(&list, self.student_json.len(), 30, out);
        }
        for (i, s) in self.student_json.iter().enumerate() {
            let item = list.index(i);
            check::non_empty(&item.field("uid", "uid"), &s.uid, out);
            if let Some(name) = &s.name {
                check::truncated_beyond(&item.field("name", "name"), name, 24, out);
            }
            if let Some(c) = &s.custom_column {
                check::truncated_beyond(&item.field("custom_column", "customColumn"), c, 50, out);
            }
        }
    }
}

/// The error-code table of addCourseStudentMultiple.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassInCode(pub i64);

impl ErrorCode for ClassInCode {
    fn from_code(code: i64) -> Self {
        ClassInCode(code)
    }
    fn code(&self) -> i64 {
        self.0
    }
    fn meaning(&self) -> Option<&'static str> {
        Some(match self.0 {
            1 => "表示成功执行",
            100 => "表示参数不全或错误",
            102 => "表示无权限(安全验证没通过)",
            104 => "表示操作失败(未知错误)",
            114 => "表示服务器异常",
            144 => "表示机构下无此课程",
            155 => "表示数据数组不可为空",
            163 => "表示课程下已存在此学生",
            464 => "表示课程学生正在被其他请求创建(并发请求可能会导致该错误)",
            841 => "表示成员添加成功,班级昵称同步失败",
            _ => return None,
        })
    }
    fn kind(&self) -> CodeKind {
        match self.0 {
            1 => CodeKind::Success,
            841 => CodeKind::PartialSuccess,
            104 | 114 | 460 | 464 => CodeKind::Retryable,
            _ => CodeKind::Failure,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct AddCourseStudentMultipleResponse {
    #[serde(default, deserialize_with = "list_opt")]
    pub data: Option<Vec<AddedStudent>>,
    pub error_info: ErrorInfo,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ErrorInfo {
    #[serde(deserialize_with = "lenient")]
    pub errno: i64,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AddedStudent {
    #[serde(rename = "customColumn", default, deserialize_with = "lenient_opt")]
    pub custom_column: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub errno: i64,
    #[serde(default)]
    pub error: String,
}

impl ItemResult for AddedStudent {
    type Code = ClassInCode;
    fn raw_code(&self) -> i64 {
        self.errno
    }
    fn message(&self) -> &str {
        &self.error
    }
}

impl Endpoint for AddCourseStudentMultiple {
    const API_NAME: &'static str = "addCourseStudentMultiple";
    const PROTOCOL: Protocol = Protocol::ClassInV1;
    const METHOD: HttpMethod = HttpMethod::Post;
    const ROUTE: Route = Route::Action {
        path: "/partner/api/course.api.php",
        action: "addCourseStudentMultiple",
    };
    const FIELD_ENCODINGS: &'static [(&'static str, FieldEncoding)] =
        &[("studentJson", FieldEncoding::Json)];
    type Response = AddCourseStudentMultipleResponse;
    type ErrorCode = ClassInCode;
}

pub fn add_students(n: usize) -> AddCourseStudentMultiple {
    AddCourseStudentMultiple {
        course_id: 490583,
        identity: 1,
        student_json: (0..n)
            .map(|i| StudentAccount {
                uid: format!("{}", 1001001 + i),
                name: None,
                custom_column: Some(format!("{}", 123 + i)),
            })
            .collect(),
    }
}

// ---- ClassIn uploadFile (a text field and a file) --------------------------------------------

/// The most bytes `uploadFile` takes in these tests.
pub const UPLOAD_MAX_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UploadFile {
    #[serde(rename = "folderId")]
    pub folder_id: i64,
    #[serde(rename = "Filedata")]
    pub file_data: File,
}

impl Validate for UploadFile {
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        check::file(
            &path.field("file_data", "Filedata"),
            &self.file_data,
            Some(UPLOAD_MAX_BYTES),
            &[],
            &[],
            out,
        );
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct UploadFileResponse {
    #[serde(default, deserialize_with = "lenient_opt")]
    pub data: Option<i64>,
    pub error_info: ErrorInfo,
}

impl Endpoint for UploadFile {
    const API_NAME: &'static str = "uploadFile";
    const PROTOCOL: Protocol = Protocol::ClassInV1;
    const METHOD: HttpMethod = HttpMethod::Post;
    const ROUTE: Route = Route::Action {
        path: "/partner/api/cloud.api.php",
        action: "uploadFile",
    };
    const FIELD_ENCODINGS: &'static [(&'static str, FieldEncoding)] = &[];
    type Response = UploadFileResponse;
    type ErrorCode = ClassInCode;

    fn files(&self) -> Vec<(&'static str, &File)> {
        vec![("Filedata", &self.file_data)]
    }
}

pub fn upload(file: File) -> UploadFile {
    UploadFile {
        folder_id: 7788,
        file_data: file,
    }
}

// ---- DingTalk endpoints given a file, which their families do not take -----------------------

#[derive(Debug, Clone, Serialize)]
pub struct OapiUpload {
    pub media: File,
}

impl Validate for OapiUpload {
    fn validate_at(&self, _: &Path<'_>, _: &mut Violations) {}
}

impl Endpoint for OapiUpload {
    const API_NAME: &'static str = "dingtalk.oapi.media.upload";
    const PROTOCOL: Protocol = Protocol::DingTalkOapi;
    const METHOD: HttpMethod = HttpMethod::Post;
    const ROUTE: Route = Route::Path("/media/upload");
    const FIELD_ENCODINGS: &'static [(&'static str, FieldEncoding)] = &[];
    type Response = EduPeriodCreateResponse;
    type ErrorCode = UndocumentedCode;

    fn files(&self) -> Vec<(&'static str, &File)> {
        vec![("media", &self.media)]
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TopUpload {
    pub image: File,
}

impl Validate for TopUpload {
    fn validate_at(&self, _: &Path<'_>, _: &mut Violations) {}
}

impl Endpoint for TopUpload {
    const API_NAME: &'static str = "dingtalk.corp.image.upload";
    const PROTOCOL: Protocol = Protocol::DingTalkTop;
    const METHOD: HttpMethod = HttpMethod::Post;
    const ROUTE: Route = Route::TopMethod("dingtalk.corp.image.upload");
    const FIELD_ENCODINGS: &'static [(&'static str, FieldEncoding)] = &[];
    type Response = CorpExtcontactUpdateResponse;
    type ErrorCode = UndocumentedCode;

    fn files(&self) -> Vec<(&'static str, &File)> {
        vec![("image", &self.image)]
    }
}
