//! Arbitrary response bodies decoded into every generated response type, and each ClassIn item's
//! outcome read: decoding may refuse a body, never panic.

#![no_main]

use client_runtime::ItemResult;
use generated_client::classin::add_course_student_multiple as classin;
use generated_client::dingtalk::{
    corp_extcontact_update as ext, edu_period_create as period,
    industry_studentpool_batchadd as pool,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let _ = serde_json::from_slice::<period::EduPeriodCreateResponse>(body);
    let _ = serde_json::from_slice::<pool::IndustryStudentpoolBatchaddResponse>(body);
    let _ = serde_json::from_slice::<ext::CorpExtcontactUpdateResponse>(body);
    if let Ok(r) = serde_json::from_slice::<classin::AddCourseStudentMultipleResponse>(body) {
        for item in r.data.unwrap_or_default() {
            let _ = item.outcome();
        }
    }
});
