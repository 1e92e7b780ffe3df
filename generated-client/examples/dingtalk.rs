//! Calls the three DingTalk endpoints against a server of your choice.
//!
//! ```text
//! DINGTALK_APP_KEY=... DINGTALK_APP_SECRET=... \
//!     cargo run -p generated-client --example dingtalk -- https://oapi.dingtalk.com https://eco.taobao.com
//! ```
//!
//! The first argument is the oapi base URL, the optional second one the TOP router base URL
//! (default: the first). Credentials come from the environment, never from the command line:
//! `DINGTALK_APP_KEY` and `DINGTALK_APP_SECRET`, or a ready `DINGTALK_ACCESS_TOKEN`.

use std::process::ExitCode;
use std::time::Duration;

use generated_client::dingtalk::{
    corp_extcontact_update as ext, edu_period_create as period,
    industry_studentpool_batchadd as pool, DingTalkClient,
};
use generated_client::runtime;

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(oapi_base) = args.next() else {
        eprintln!("usage: dingtalk <oapi base URL> [<TOP base URL>]");
        return ExitCode::from(2);
    };
    let top_base = args.next().unwrap_or_else(|| oapi_base.clone());

    let mut builder = runtime::dingtalk::DingTalkClient::builder()
        .oapi_base_url(oapi_base)
        .top_base_url(top_base)
        .timeout(Duration::from_secs(20));
    builder = match (
        std::env::var("DINGTALK_APP_KEY"),
        std::env::var("DINGTALK_APP_SECRET"),
        std::env::var("DINGTALK_ACCESS_TOKEN"),
    ) {
        (Ok(key), Ok(secret), _) => builder.app_credentials(key, secret),
        (_, _, Ok(token)) => builder.access_token(token),
        _ => {
            eprintln!("set DINGTALK_APP_KEY and DINGTALK_APP_SECRET, or DINGTALK_ACCESS_TOKEN");
            return ExitCode::from(2);
        }
    };
    let client = match builder.build() {
        Ok(runtime) => DingTalkClient::new(runtime),
        Err(e) => {
            eprintln!("cannot configure the client: {e}");
            return ExitCode::from(2);
        }
    };

    let mut failed = false;

    let grades = vec![period::Grades::builder()
        .grade("2")
        .classes(0)
        .name("二年级2019级")
        .start_year("2019")
        .build()];
    let open = period::OpenPeriod::builder()
        .step(period::Step::PrimarySchool)
        .grades(grades)
        .period_code(period::PeriodCode::PrimarySchool)
        .build();
    let request = period::EduPeriodCreateRequest::builder()
        .super_id(1233)
        .operator("12334")
        .open_period(open)
        .build();
    match client.edu_period_create(&request).await {
        Ok(r) => println!("edu.period.create: {:?}", r.result),
        Err(e) => {
            failed = true;
            eprintln!("edu.period.create failed: {e}");
        }
    }

    let mut student = pool::TrainingStudentDto::new();
    student.name = Some("丁小明".into());
    student.mobile = Some("18511111111".into());
    let mut request = pool::IndustryStudentpoolBatchaddRequest::new("1003".into());
    request.student_list = Some(vec![student]);
    match client.industry_studentpool_batchadd(&request).await {
        Ok(r) => println!(
            "industry.studentpool.batchadd: duplicate names {:?}",
            r.result
        ),
        Err(e) => {
            failed = true;
            eprintln!("industry.studentpool.batchadd failed: {e}");
        }
    }

    let contact = ext::OpenExtContact::builder()
        .label_ids(vec![1])
        .follower_user_id("023420013645")
        .name("张三")
        .user_id("123420013632")
        .build();
    match client
        .corp_extcontact_update(&ext::CorpExtcontactUpdateRequest::new(contact))
        .await
    {
        Ok(r) => println!("corp.extcontact.update: {:?}", r.result),
        Err(e) => {
            failed = true;
            eprintln!("corp.extcontact.update failed: {e}");
        }
    }

    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
